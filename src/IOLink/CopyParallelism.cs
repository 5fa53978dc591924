namespace IOLink;

/// <summary>
/// How many threads IOLink's copies use: region reads and writes, <see cref="ImageViewFactory.CopyInMemory"/> and
/// every layout-changing copy. A copy of at least <see cref="MinimumBytesPerThread"/> bytes per thread is split
/// along its outer dimensions (transpose tiles kept whole) into one part per thread, at most
/// <see cref="MaxDegreeOfParallelism"/>, on the .NET thread pool; smaller copies run on the calling thread with no
/// scheduling cost at all.
/// </summary>
public static class CopyParallelism
{
    private static int _maxDegree = Environment.ProcessorCount;

    /// <summary>The bytes a copy must move per thread before it is split: below, a thread would cost more than it saves.</summary>
    public const long MinimumBytesPerThread = 1L << 20;

    /// <summary>
    /// The most threads one copy uses. The default is the number of processors this process may run on
    /// (<see cref="Environment.ProcessorCount"/>); 1 makes every copy serial. Process-wide; set it before copies run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref _maxDegree);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxDegree, value);
        }
    }

    /// <summary>How many parts a copy of <paramref name="bytes"/> bytes is split into (1: serial).</summary>
    internal static int PartsFor(long bytes)
    {
        var degree = MaxDegreeOfParallelism;
        if (degree <= 1 || bytes < 2 * MinimumBytesPerThread)
        {
            return 1;
        }

        return (int)Math.Min(degree, bytes / MinimumBytesPerThread);
    }
}
