using IOLink.Internal;

namespace IOLink.Views;

/// <summary>
/// A view over addressable memory: a base address plus one signed byte stride per dimension, so C order,
/// Fortran order, permuted axes, sub-regions, sub-sampling and flipped axes are all this one kind of view.
/// </summary>
internal sealed unsafe class MemoryImageView : ImageView
{
    private MemoryLayout _layout;
    private readonly bool _writable;
    private readonly bool _reshapable;

    /// <summary>Creates a view holding a new reference on the layout's block (the caller's reference is not consumed).</summary>
    public MemoryImageView(MemoryLayout layout, VectorXu64 shape, DataType type, bool writable, bool reshapable,
        ImageProperties? properties, MetadataNode? metadata, bool takeReference = true, bool ownsProperties = false)
        : base(shape, type, properties, metadata, ownsProperties)
    {
        if (takeReference)
        {
            layout.Block.AddReference();
        }

        _layout = layout;
        _writable = writable;
        _reshapable = reshapable;
    }

    public bool Writable => _writable;

    private protected override ImageCapability CapabilitiesCore =>
        ImageCapability.READ | ImageCapability.MEMORY_ACCESS
        | (_writable ? ImageCapability.WRITE : ImageCapability.NONE)
        | (_reshapable ? ImageCapability.RESHAPE : ImageCapability.NONE);

    internal override MemoryLayout Layout => _layout;

    internal override void ReadRegionCore(long[] origin, long[] size, byte* dst)
    {
        var src = (byte*)_layout.ElementAddress(origin);
        StridedCopy.Copy(src, _layout.Strides, dst, MemoryLayout.DenseStrides(size, DataType.ByteCount), size, DataType);
    }

    internal override void WriteRegionCore(long[] origin, long[] size, byte* src)
    {
        var dst = (byte*)_layout.ElementAddress(origin);
        StridedCopy.Copy(src, MemoryLayout.DenseStrides(size, DataType.ByteCount), dst, _layout.Strides, size, DataType);
    }

    private protected override void ReshapeCore(VectorXu64 shape, DataType type, long byteCount)
    {
        var block = byteCount == _layout.Block.Length ? _layout.Block : NativeMemoryBlock.Allocate(byteCount);
        var layout = MemoryLayout.Create(block, block.Address, MemoryLayout.DenseStrides(shape, type.ByteCount), shape, type.ByteCount, nameof(shape));
        if (!ReferenceEquals(block, _layout.Block))
        {
            _layout.Block.Release();
        }

        _layout = layout;
    }

    private protected override void ReleaseResources() => _layout.Block.Release();
}
