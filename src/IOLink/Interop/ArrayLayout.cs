namespace IOLink.Interop;

/// <summary>
/// How a view is seen as an array under the NumPy rules (<see cref="ArrayAxes.Export(ImageView, ImageDimension[], bool?, string)"/>):
/// for each array axis in array order, its length, the view dimension it walks and, for a view with MEMORY_ACCESS,
/// its byte stride.
/// </summary>
public sealed class ArrayLayout
{
    private readonly long[] _lengths;
    private readonly int[] _dimensions;
    private readonly long[]? _strides;

    internal ArrayLayout(long[] lengths, int[] dimensions, long[]? strides, long? byteExtent, long? lowestByteOffset, DataType itemType, int viewRank)
    {
        _lengths = lengths;
        _dimensions = dimensions;
        _strides = strides;
        ByteExtent = byteExtent;
        LowestByteOffset = lowestByteOffset;
        ItemType = itemType;
        ViewRank = viewRank;
    }

    /// <summary>The number of array axes: the view's rank, plus one for a trailing axis of components.</summary>
    public int Rank => _lengths.Length;

    /// <summary>The length of each array axis (a copy).</summary>
    public long[] Lengths => (long[])_lengths.Clone();

    /// <summary>For each array axis, the view dimension it walks, or <see cref="ArrayAxes.ComponentAxis"/> for the components of an element (a copy).</summary>
    public int[] Dimensions => (int[])_dimensions.Clone();

    /// <summary>The byte stride of each array axis in the view's memory (a copy); null when the view has no MEMORY_ACCESS.</summary>
    public long[]? ByteStrides => (long[]?)_strides?.Clone();

    /// <summary>The bytes the array spans in the view's memory, from its lowest byte to its highest; null without MEMORY_ACCESS.</summary>
    public long? ByteExtent { get; }

    /// <summary>The byte offset of the array's lowest byte from its element 0 (negative when a stride is negative); null without MEMORY_ACCESS.</summary>
    public long? LowestByteOffset { get; }

    /// <summary>What one array item is: the view's data type, or its component type when the components have their own axis.</summary>
    public DataType ItemType { get; }

    /// <summary>Whether the last array axis holds the components of each element.</summary>
    public bool HasComponentAxis => Array.IndexOf(_dimensions, ArrayAxes.ComponentAxis) >= 0;

    /// <summary>The view's rank.</summary>
    internal int ViewRank { get; }

    internal ReadOnlySpan<long> LengthSpan => _lengths;

    internal ReadOnlySpan<int> DimensionSpan => _dimensions;

    internal ReadOnlySpan<long> StrideSpan => _strides;

    /// <summary>
    /// Per-axis values in array order (strides of a destination array, say) rearranged per view dimension, the
    /// components' entry last: what a copy kernel walking the view needs.
    /// </summary>
    public long[] ToViewOrder(ReadOnlySpan<long> perArrayAxis)
    {
        if (perArrayAxis.Length != Rank)
        {
            throw new ArgumentException($"{perArrayAxis.Length} value(s) were given for an array of {Rank} axes; give one per array axis.", nameof(perArrayAxis));
        }

        var result = new long[Rank];
        for (var k = 0; k < Rank; k++)
        {
            result[_dimensions[k] == ArrayAxes.ComponentAxis ? ViewRank : _dimensions[k]] = perArrayAxis[k];
        }

        return result;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ArrayLayout(lengths: ({string.Join(", ", _lengths)}), view dimensions: [{string.Join(", ", _dimensions)}], item: {ItemType})";
}
