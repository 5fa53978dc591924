using System.Runtime.CompilerServices;

namespace IOLink.Layout;

/// <summary>One dimension of a simplified copy: its length and the byte stride on the source and destination side.</summary>
internal readonly record struct CopyDimension(long Length, long Source, long Destination);

/// <summary>
/// The dimensions of one copy, in memory the caller holds fixed (stack memory, or a pinned array) for as long as
/// this lives: a span of IOLink's own rather than <see cref="Span{T}"/>, because crossgen2 precompiles no CoreLib
/// generic code over IOLink's types (Span's constructors, Slice, CopyTo and ToArray over <see cref="CopyDimension"/>
/// were jitted in every process's first copy, about a millisecond), while these members are precompiled with the
/// kernels that use them.
/// </summary>
internal readonly unsafe ref struct CopyDimensions
{
    private readonly CopyDimension* _first;

    /// <param name="first">The first dimension; <paramref name="length"/> of them follow it, fixed in memory.</param>
    /// <param name="length">How many dimensions.</param>
    public CopyDimensions(CopyDimension* first, int length)
    {
        _first = first;
        Length = length;
    }

    public int Length { get; }

    public ref CopyDimension this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length)
            {
                ThrowIndex();
            }

            return ref _first[index];
        }
    }

    /// <summary>The <paramref name="length"/> dimensions from <paramref name="start"/> on (what <c>dims[a..b]</c> compiles to).</summary>
    public CopyDimensions Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            ThrowIndex();
        }

        return new CopyDimensions(_first + start, length);
    }

    /// <summary>The dimensions as a new array (a parallel copy hands them to its pieces).</summary>
    public CopyDimension[] ToArray()
    {
        var a = new CopyDimension[Length];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = _first[i];
        }

        return a;
    }

    private static void ThrowIndex() => throw new ArgumentOutOfRangeException("index", "A copy dimension index is outside the copy's dimensions.");
}
