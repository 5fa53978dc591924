using IOLink.Layout;

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
    private readonly StridedLayout? _memory;

    internal ArrayLayout(long[] lengths, int[] dimensions, StridedLayout? memory, DataType itemType, int viewRank, object? source, ImageType axes, bool components)
    {
        HasComponentAxis = components;
        _lengths = lengths;
        _dimensions = dimensions;
        _memory = memory;
        ItemType = itemType;
        ViewRank = viewRank;
        Source = source;
        Axes = axes;
    }

    /// <summary>The view memory layout (or shape) and axes this export was computed for: a plain export is cached on the view while they stay the same.</summary>
    internal object? Source { get; }

    internal ImageType Axes { get; }

    /// <summary>The number of array axes: the view's rank, plus one for a trailing axis of components.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The length of each array axis.</summary>
    public ReadOnlySpan<long> Lengths => _memory is { } m ? m.Lengths : _lengths;

    /// <summary>For each array axis, the view dimension it walks, or <see cref="ArrayAxes.ComponentAxis"/> for the components of an element.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>Whether the view has MEMORY_ACCESS, so that <see cref="ByteStrides"/>, <see cref="ByteExtent"/> and <see cref="LowestByteOffset"/> describe its memory.</summary>
    public bool HasByteStrides => _memory is not null;

    /// <summary>The byte stride of each array axis in the view's memory; empty when the view has no MEMORY_ACCESS.</summary>
    public ReadOnlySpan<long> ByteStrides => _memory is { } m ? m.Strides : default;

    /// <summary>The bytes the array spans in the view's memory, from its lowest byte to its highest; null without MEMORY_ACCESS.</summary>
    public long? ByteExtent => _memory?.Extent;

    /// <summary>The byte offset of the array's lowest byte from its element 0 (negative when a stride is negative); null without MEMORY_ACCESS.</summary>
    public long? LowestByteOffset => _memory?.LowestOffset;

    /// <summary>What one array item is: the view's data type, or its component type when the components have their own axis.</summary>
    public DataType ItemType { get; }

    /// <summary>Whether the last array axis holds the components of each element.</summary>
    public bool HasComponentAxis { get; }

    /// <summary>The view's rank.</summary>
    internal int ViewRank { get; }

    /// <summary>
    /// Per-axis values in array order (strides of a destination array, say) rearranged per view dimension, the
    /// components' entry last: what a copy kernel walking the view needs.
    /// </summary>
    /// <exception cref="ArgumentException">Not one value per array axis.</exception>
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
        $"ArrayLayout(lengths: ({string.Join(", ", Lengths.ToArray())}), view dimensions: [{string.Join(", ", _dimensions)}], item: {ItemType})";
}
