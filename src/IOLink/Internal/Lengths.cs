namespace IOLink.Internal;

/// <summary>
/// Comparisons of shapes and stride lists on the copy and write paths, as plain loops: crossgen2 leaves
/// <c>MemoryExtensions.SequenceEqual&lt;long&gt;</c> and <c>Array.IndexOf&lt;long&gt;</c> to the JIT, which then
/// compiled them in every process's first copy or .npy write.
/// </summary>
internal static class Lengths
{
    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> hold the same values.</summary>
    public static bool Equal(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether any length is 0: a block with nothing in it.</summary>
    public static bool AnyZero(ReadOnlySpan<long> lengths)
    {
        foreach (var n in lengths)
        {
            if (n == 0)
            {
                return true;
            }
        }

        return false;
    }
}
