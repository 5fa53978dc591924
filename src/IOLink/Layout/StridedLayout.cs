using System.Diagnostics;

namespace IOLink.Layout;

/// <summary>
/// Where the elements of a strided N-dimensional array lie, relative to element 0: one length and one signed
/// byte stride per dimension, the element size, the lowest and highest byte any element occupies, and flags.
/// Everything is computed once, with checked arithmetic, when the layout is made; the operations below are the
/// only place layouts change, so views, the copy kernels and every importer share one set of rules.
/// </summary>
/// <remarks>
/// Dimensions are in the owner's order (a view's canonical order, or an array's axis order). A length may be 0
/// (no element is addressable; the extent is then 0) or 1 (its stride is irrelevant and ignored by the flags).
/// Offsets are byte offsets from element 0; <see cref="LowestOffset"/> is at most 0 (negative strides reach
/// below element 0) and <see cref="EndOffset"/> is one past the highest byte.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
internal readonly struct StridedLayout
{
    private readonly long[] _lengths;
    private readonly long[] _strides;

    private StridedLayout(long[] lengths, long[] strides, int elementSize)
    {
        _lengths = lengths;
        _strides = strides;
        ElementSize = elementSize;
        long low = 0, high = 0, count = 1;
        var empty = false;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] == 0)
            {
                empty = true;
                continue;
            }

            count = checked(count * lengths[i]);
            var reach = checked((lengths[i] - 1) * strides[i]);
            if (reach < 0)
            {
                low = checked(low + reach);
            }
            else
            {
                high = checked(high + reach);
            }
        }

        ElementCount = empty ? 0 : count;
        LowestOffset = empty ? 0 : low;
        EndOffset = empty ? 0 : checked(high + elementSize);
        _ = checked(EndOffset - LowestOffset);
        _ = checked(ElementCount * elementSize);
        Flags = ComputeFlags(lengths, strides, elementSize);
        AssertInvariants();
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _lengths.Length;

    /// <summary>The length of each dimension.</summary>
    public ReadOnlySpan<long> Lengths => _lengths;

    /// <summary>The byte stride of each dimension.</summary>
    public ReadOnlySpan<long> Strides => _strides;

    /// <summary>The size of one element in bytes.</summary>
    public int ElementSize { get; }

    /// <summary>The number of elements (0 when a length is 0).</summary>
    public long ElementCount { get; }

    /// <summary>The byte count of a dense copy.</summary>
    public long DenseByteCount => ElementCount * ElementSize;

    /// <summary>The byte offset, from element 0, of the lowest byte an element occupies (0 or negative).</summary>
    public long LowestOffset { get; }

    /// <summary>One past the byte offset, from element 0, of the highest byte an element occupies.</summary>
    public long EndOffset { get; }

    /// <summary>How many bytes of memory the layout spans, from its lowest byte to its highest.</summary>
    public long Extent => EndOffset - LowestOffset;

    /// <summary>What kind of layout this is.</summary>
    public StridedLayoutFlags Flags { get; }

    /// <summary>Dense with the first dimension fastest (IOLink's canonical order); length-1 dimensions may have any stride.</summary>
    public bool IsDenseCanonical => (Flags & StridedLayoutFlags.DenseCanonical) != 0;

    /// <summary>Dense with the last dimension fastest (NumPy's C order).</summary>
    public bool IsDenseC => (Flags & StridedLayoutFlags.DenseC) != 0;

    /// <summary>Some dimension longer than 1 has a negative stride.</summary>
    public bool HasNegativeStride => (Flags & StridedLayoutFlags.NegativeStride) != 0;

    /// <summary>A layout from lengths and strides, checked.</summary>
    /// <exception cref="ArgumentException">The counts differ, a length is negative, or the offsets or the byte count overflow 64 bits.</exception>
    public static StridedLayout Create(ReadOnlySpan<long> lengths, ReadOnlySpan<long> strides, int elementSize, string paramName)
    {
        if (lengths.Length != strides.Length)
        {
            throw new ArgumentException($"{strides.Length} stride(s) were given for a shape of {lengths.Length} dimension(s); give one byte stride per dimension.", paramName);
        }

        if (elementSize <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, elementSize, "The element size must be at least one byte.");
        }

        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Length {length} is negative; every length is at least 0.", paramName);
            }
        }

        try
        {
            return new StridedLayout(lengths.ToArray(), strides.ToArray(), elementSize);
        }
        catch (OverflowException)
        {
            throw new ArgumentException(
                $"Byte strides [{string.Join(", ", strides.ToArray())}] over lengths [{string.Join(", ", lengths.ToArray())}] overflow 64-bit offsets; use a smaller shape or strides.",
                paramName);
        }
    }

    /// <summary>A dense layout: the first dimension fastest (canonical), or the last (C order) when <paramref name="cOrder"/>.</summary>
    /// <exception cref="ArgumentException">The byte count overflows 64 bits, or a length is negative.</exception>
    public static StridedLayout Dense(ReadOnlySpan<long> lengths, int elementSize, bool cOrder = false, string paramName = "shape") =>
        Create(lengths, DenseStrides(lengths, elementSize, cOrder, paramName), elementSize, paramName);

    /// <inheritdoc cref="Dense(ReadOnlySpan{long}, int, bool, string)"/>
    public static StridedLayout Dense(VectorXu64 shape, int elementSize, bool cOrder = false, string paramName = "shape") =>
        Dense(ToLengths(shape), elementSize, cOrder, paramName);

    /// <summary>The strides of a dense layout, first dimension fastest (or last, for C order).</summary>
    /// <exception cref="ArgumentException">The byte count overflows 64 bits.</exception>
    public static long[] DenseStrides(ReadOnlySpan<long> lengths, long elementSize, bool cOrder = false, string paramName = "shape")
    {
        var strides = new long[lengths.Length];
        var s = elementSize;
        try
        {
            for (var n = 0; n < lengths.Length; n++)
            {
                var i = cOrder ? lengths.Length - 1 - n : n;
                strides[i] = s;
                s = checked(s * Math.Max(lengths[i], 1));
            }
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Lengths [{string.Join(", ", lengths.ToArray())}] of {elementSize}-byte elements need more than 2^63 bytes; use a smaller shape.", paramName);
        }

        return strides;
    }

    /// <summary>The lengths of a shape whose every size is known to fit a long.</summary>
    public static long[] ToLengths(VectorXu64 shape)
    {
        var lengths = new long[shape.Size];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = checked((long)shape[i]);
        }

        return lengths;
    }

    /// <summary>The byte offset of the element at <paramref name="index"/> (already checked against the lengths).</summary>
    public long OffsetOf(ReadOnlySpan<long> index)
    {
        var offset = 0L;
        for (var i = 0; i < index.Length; i++)
        {
            offset += index[i] * _strides[i];
        }

        return offset;
    }

    /// <summary>
    /// The derivation every view operation reduces to (ImageViewFactory's region, flip, sub-sampling, reordering,
    /// channel and component views describe themselves this way, so memory and computed views share it): dimension k of the result walks dimension
    /// <paramref name="dimensions"/>[k] of this layout from <paramref name="origin"/> in steps of
    /// <paramref name="steps"/>[k] for <paramref name="lengths"/>[k] elements; dimensions no result dimension walks
    /// stay at their origin. <paramref name="componentOffset"/> bytes into each element, the result's elements are
    /// <paramref name="elementSize"/> bytes. Returns the new layout and the byte offset of its element 0 from this one's.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments do not fit this layout, or the result overflows.</exception>
    public (StridedLayout Layout, long Offset) Derive(ReadOnlySpan<long> origin, ReadOnlySpan<int> dimensions, ReadOnlySpan<long> steps,
        ReadOnlySpan<long> lengths, int componentOffset, int elementSize, string paramName)
    {
        if (origin.Length != Rank || dimensions.Length != steps.Length || dimensions.Length != lengths.Length)
        {
            throw new ArgumentException("A derived layout needs one origin per dimension and one dimension, step and length per result dimension.", paramName);
        }

        // A component lies inside an element; an element larger than this layout's (packed components folded into
        // a vector) starts at an element and is checked against the memory by the caller.
        if (componentOffset < 0 || (componentOffset > 0 && componentOffset + elementSize > ElementSize))
        {
            throw new ArgumentException($"Bytes {componentOffset} to {componentOffset + elementSize} do not lie inside a {ElementSize}-byte element.", paramName);
        }

        try
        {
            long offset = componentOffset;
            for (var d = 0; d < Rank; d++)
            {
                CheckIndex(origin[d], d, paramName);
                offset = checked(offset + (origin[d] * _strides[d]));
            }

            var strides = new long[dimensions.Length];
            for (var k = 0; k < strides.Length; k++)
            {
                var d = dimensions[k];
                if ((uint)d >= (uint)Rank)
                {
                    throw new ArgumentException($"Dimension {d} does not exist in a layout of {Rank} dimension(s).", paramName);
                }

                if (lengths[k] > 0)
                {
                    CheckIndex(checked(origin[d] + (steps[k] * (lengths[k] - 1))), d, paramName);
                }

                strides[k] = checked(steps[k] * _strides[d]);
            }

            return (new StridedLayout(lengths.ToArray(), strides, elementSize), offset);
        }
        catch (OverflowException)
        {
            throw new ArgumentException("The derived layout overflows 64-bit offsets; use a smaller shape or step.", paramName);
        }
    }

    /// <summary>
    /// The layout an export sees: axis k walks dimension <paramref name="mapping"/>[k], or, where the mapping holds
    /// <paramref name="componentAxis"/>, the <paramref name="componentCount"/> components of <paramref name="componentSize"/>
    /// bytes inside each element (then the result's elements are components).
    /// </summary>
    public StridedLayout Reorder(ReadOnlySpan<int> mapping, int componentAxis, int componentCount, int componentSize)
    {
        var lengths = new long[mapping.Length];
        var strides = new long[mapping.Length];
        var components = false;
        for (var k = 0; k < mapping.Length; k++)
        {
            if (mapping[k] == componentAxis)
            {
                lengths[k] = componentCount;
                strides[k] = componentSize;
                components = true;
            }
            else
            {
                lengths[k] = _lengths[mapping[k]];
                strides[k] = _strides[mapping[k]];
            }
        }

        return new StridedLayout(lengths, strides, components ? componentSize : ElementSize);
    }

    /// <summary>Whether <paramref name="size"/> elements from <paramref name="origin"/> lie inside the lengths.</summary>
    public bool Holds(ReadOnlySpan<long> origin, ReadOnlySpan<long> size)
    {
        if (origin.Length != Rank || size.Length != Rank)
        {
            return false;
        }

        for (var i = 0; i < Rank; i++)
        {
            if (origin[i] < 0 || size[i] < 0 || origin[i] > _lengths[i] - size[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A region cut in two along dimension <paramref name="k"/>: the first half's size (from the same origin), and the
    /// second half's origin and size; <c>Half</c> is the first half's length along <paramref name="k"/>.
    /// </summary>
    public static (long Half, long[] FirstSize, long[] SecondOrigin, long[] SecondSize) Halve(long[] origin, long[] size, int k)
    {
        var half = size[k] / 2;
        var firstSize = (long[])size.Clone();
        firstSize[k] = half;
        var secondOrigin = (long[])origin.Clone();
        secondOrigin[k] += half;
        var secondSize = (long[])size.Clone();
        secondSize[k] -= half;
        return (half, firstSize, secondOrigin, secondSize);
    }

    /// <summary>
    /// Simplifies a copy between two layouts of the same lengths for the copy kernels: an element of
    /// <paramref name="componentCount"/> components becomes a leading dimension, length-1 dimensions go, the
    /// destination strides are made positive (moving both starting offsets), dimensions are sorted by destination
    /// stride and neighbours that are contiguous on both sides are merged. Returns how many entries of
    /// <paramref name="into"/> (which needs Rank + 1) were filled; 0 with offsets untouched for a single element.
    /// Any length 0 gives -1: there is nothing to copy.
    /// </summary>
    public static int SimplifyCopy(ReadOnlySpan<long> lengths, ReadOnlySpan<long> srcStrides, ReadOnlySpan<long> dstStrides,
        long componentCount, long componentSize, CopyDimensions into, ref long srcOffset, ref long dstOffset)
    {
        var count = 0;
        if (componentCount > 1)
        {
            into[count++] = new CopyDimension(componentCount, componentSize, componentSize);
        }

        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] == 0)
            {
                return -1;
            }

            if (lengths[i] == 1)
            {
                continue;
            }

            var d = new CopyDimension(lengths[i], srcStrides[i], dstStrides[i]);
            if (d.Destination < 0)
            {
                srcOffset += (d.Length - 1) * d.Source;
                dstOffset += (d.Length - 1) * d.Destination;
                d = new CopyDimension(d.Length, -d.Source, -d.Destination);
            }

            into[count++] = d;
        }

        var dims = into[..count];
        SortByDestination(dims);
        return Merge(dims);
    }

    private static void SortByDestination(CopyDimensions dims)
    {
        for (var i = 1; i < dims.Length; i++)
        {
            var x = dims[i];
            var j = i - 1;
            while (j >= 0 && (dims[j].Destination > x.Destination || (dims[j].Destination == x.Destination && Math.Abs(dims[j].Source) > Math.Abs(x.Source))))
            {
                dims[j + 1] = dims[j];
                j--;
            }

            dims[j + 1] = x;
        }
    }

    private static int Merge(CopyDimensions dims)
    {
        if (dims.Length == 0)
        {
            return 0;
        }

        var n = 0;
        for (var i = 1; i < dims.Length; i++)
        {
            var last = dims[n];
            var next = dims[i];
            if (next.Source == last.Source * last.Length && next.Destination == last.Destination * last.Length)
            {
                dims[n] = new CopyDimension(last.Length * next.Length, last.Source, last.Destination);
            }
            else
            {
                dims[++n] = next;
            }
        }

        return n + 1;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"StridedLayout(lengths [{string.Join(", ", _lengths ?? [])}], strides [{string.Join(", ", _strides ?? [])}], {ElementSize}-byte elements, bytes {LowestOffset}..{EndOffset})";

    private static StridedLayoutFlags ComputeFlags(long[] lengths, long[] strides, int elementSize)
    {
        var flags = StridedLayoutFlags.DenseCanonical | StridedLayoutFlags.DenseC;
        long expected = elementSize;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] > 1 && strides[i] != expected)
            {
                flags &= ~StridedLayoutFlags.DenseCanonical;
            }

            if (lengths[i] > 1 && strides[i] < 0)
            {
                flags |= StridedLayoutFlags.NegativeStride;
            }

            expected *= Math.Max(lengths[i], 1);
        }

        expected = elementSize;
        for (var i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] > 1 && strides[i] != expected)
            {
                flags &= ~StridedLayoutFlags.DenseC;
            }

            expected *= Math.Max(lengths[i], 1);
        }

        return flags;
    }

    private void CheckIndex(long index, int dimension, string paramName)
    {
        if (index < 0 || index >= Math.Max(_lengths[dimension], 1))
        {
            throw new ArgumentException($"Index {index} lies outside dimension {dimension} of length {_lengths[dimension]}.", paramName);
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lengths.Length == _strides.Length, "one stride per dimension");
        Debug.Assert(LowestOffset <= 0 && EndOffset >= 0, "element 0 lies inside the extent");
        Debug.Assert(ElementCount == 0 || EndOffset - LowestOffset >= ElementSize, "the extent holds at least one element");
        Debug.Assert(!IsDenseCanonical || ElementCount == 0 || Extent == DenseByteCount, "a dense layout spans exactly its bytes");
    }

    /// <summary>The dimensions 0 to n-1, in order.</summary>
    internal static int[] Identity(int n)
    {
        var a = new int[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = i;
        }

        return a;
    }

    /// <summary>n steps of 1.</summary>
    internal static long[] Ones(int n)
    {
        var a = new long[n];
        Array.Fill(a, 1L);
        return a;
    }
}
