using IOLink.Memory;

namespace IOLink.Layout;

/// <summary>
/// A <see cref="StridedLayout"/> placed in memory: the address of element 0 inside a <see cref="MemoryBlock"/>.
/// Made only after proving that every byte the layout spans lies inside the block; immutable, so one snapshot
/// (block, address, lengths and strides together) is what a memory view's copy works on.
/// </summary>
internal sealed class MemoryLayout
{
    private MemoryLayout(MemoryBlock block, nint address, StridedLayout layout)
    {
        Block = block;
        Address = address;
        Layout = layout;
    }

    /// <summary>The memory the elements lie in.</summary>
    public MemoryBlock Block { get; }

    /// <summary>The address of element 0.</summary>
    public nint Address { get; }

    /// <summary>The lengths, strides and extent.</summary>
    public StridedLayout Layout { get; }

    /// <summary>The byte strides, in the owner's dimension order.</summary>
    public ReadOnlySpan<long> Strides => Layout.Strides;

    /// <summary>Whether elements are dense in canonical order (length-1 dimensions may have any stride).</summary>
    public bool IsDenseCanonical => Layout.IsDenseCanonical;

    /// <summary>Places <paramref name="layout"/> at <paramref name="address"/> after proving it lies inside <paramref name="block"/>.</summary>
    /// <exception cref="ArgumentException">The layout reaches outside the block.</exception>
    public static MemoryLayout Create(MemoryBlock block, nint address, StridedLayout layout, string paramName)
    {
        var start = (long)address + layout.LowestOffset;
        if (!block.Contains((nint)start, layout.Extent))
        {
            ThrowOutside(layout, block.Length, paramName);
        }

        return new MemoryLayout(block, address, layout);
    }

    /// <summary>Refuses a layout that does not fit the <paramref name="byteLength"/> bytes from its lowest byte, before a block is made for it.</summary>
    /// <exception cref="ArgumentException">The layout's extent is larger.</exception>
    public static void CheckFits(StridedLayout layout, long byteLength, string paramName)
    {
        if (layout.Extent > byteLength)
        {
            ThrowOutside(layout, byteLength, paramName);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOutside(StridedLayout layout, long memoryLength, string paramName) =>
        throw new ArgumentException(
            $"A layout with byte strides [{string.Join(", ", layout.Strides.ToArray())}] over lengths [{string.Join(", ", layout.Lengths.ToArray())}] reaches {-layout.LowestOffset} byte(s) before and {layout.EndOffset} byte(s) from its first element, " +
            $"outside the {memoryLength}-byte memory it points into; give strides and a shape that stay inside the buffer.", paramName);

    /// <summary>A dense canonical layout of <paramref name="shape"/> from the start of <paramref name="block"/> plus <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">The layout does not fit the block.</exception>
    public static MemoryLayout Dense(MemoryBlock block, long offset, VectorXu64 shape, int elementSize, string paramName) =>
        Create(block, block.Address + (nint)offset, StridedLayout.Dense(shape, elementSize, paramName: paramName), paramName);

    /// <summary>A layout derived from this one over the same memory (see <see cref="StridedLayout.Derive"/>).</summary>
    /// <exception cref="ArgumentException">The derivation does not fit this layout.</exception>
    public MemoryLayout Derive(ReadOnlySpan<long> origin, ReadOnlySpan<int> dimensions, ReadOnlySpan<long> steps, ReadOnlySpan<long> lengths,
        int componentOffset, int elementSize, string paramName)
    {
        var (layout, offset) = Layout.Derive(origin, dimensions, steps, lengths, componentOffset, elementSize, paramName);
        return Create(Block, Address + (nint)offset, layout, paramName);
    }

    /// <summary>Whether the checked region <paramref name="origin"/> + <paramref name="size"/> lies in this layout (a reshape may have changed the view's shape meanwhile).</summary>
    public bool Holds(ReadOnlySpan<long> origin, ReadOnlySpan<long> size) => Layout.Holds(origin, size);

    /// <summary>The address of the element at <paramref name="index"/> (already checked against the shape).</summary>
    public nint ElementAddress(ReadOnlySpan<long> index) => Address + (nint)Layout.OffsetOf(index);
}
