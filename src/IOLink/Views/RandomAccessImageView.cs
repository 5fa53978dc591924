using IOLink.Layout;

namespace IOLink.Views;

/// <summary>
/// A view over raw pixels stored in a <see cref="RandomAccess"/> without MEMORY_ACCESS (a file, a stream), dense in
/// canonical order from a byte offset. Region reads and writes transfer one contiguous run per call: the
/// region's leading full-width dimensions are merged, so a full-width region is a single transfer.
/// </summary>
/// <remarks>The view holds a reference on the access's data source, which therefore stays open until the view is disposed.</remarks>
internal sealed unsafe class RandomAccessImageView : ImageView
{
    private readonly RandomAccess _access;
    private readonly long _offset;
    private readonly StridedLayout _layout;

    public RandomAccessImageView(RandomAccess access, long offset, VectorXu64 shape, DataType type, ImageProperties? properties, MetadataNode? metadata)
        : this(access, offset, shape, type, StridedLayout.Dense(shape, type.ByteCount), properties, metadata, ownsProperties: false)
    {
    }

    /// <summary>A view whose elements lie in the access at <paramref name="offset"/> plus <paramref name="layout"/>'s byte offsets (non-negative strides, inside the access).</summary>
    public RandomAccessImageView(RandomAccess access, long offset, VectorXu64 shape, DataType type, StridedLayout layout, ImageProperties? properties, MetadataNode? metadata, bool ownsProperties)
        : base(access.ShareSource(), shape, type, properties, metadata, ownsProperties)
    {
        _access = access;
        _offset = offset;
        _layout = layout;
    }

    /// <summary>The byte offset of the first element in the access, and the layout from there.</summary>
    internal (long Offset, StridedLayout Layout) Placement => (_offset, _layout);

    /// <summary>The access behind the view.</summary>
    internal RandomAccess Access => _access;

    private protected override ImageCapability CapabilitiesCore
    {
        get
        {
            var caps = _access.CapabilitiesCore;
            return ((caps & RandomAccessCapability.READ) != 0 ? ImageCapability.READ : ImageCapability.NONE)
                | ((caps & RandomAccessCapability.WRITE) != 0 ? ImageCapability.WRITE : ImageCapability.NONE);
        }
    }

    internal override void ReadRegionCore(long[] origin, long[] size, byte* dst)
    {
        using var lease = _access.Source.Lease(nameof(ImageView));
        Transfer(origin, size, dst, read: true);
    }

    internal override void WriteRegionCore(long[] origin, long[] size, byte* src)
    {
        using var lease = _access.Source.Lease(nameof(ImageView));
        try
        {
            Transfer(origin, size, src, read: false);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"Writing a region of {string.Join("x", size)} elements at ({string.Join(", ", origin)}) failed part-way: the region in the underlying file or stream " +
                "may be partly updated. Fix the cause (disk space, permissions) and write the whole region again.", ex);
        }
    }

    /// <summary>
    /// Moves the region run by run: the copy between the file's dense layout and the buffer's is simplified as the
    /// memory copies are (the region's leading full-width dimensions merge into one run), and each run is one transfer.
    /// </summary>
    private void Transfer(long[] origin, long[] size, byte* buffer, bool read)
    {
        var element = DataType.ByteCount;
        var offset = _offset + _layout.OffsetOf(origin);
        var dense = StridedLayout.DenseStrides(size, element);
        var dims = new CopyDimension[size.Length];
        long fileOffset = 0, bufferOffset = 0;
        var count = StridedLayout.SimplifyCopy(size, _layout.Strides, dense, 1, element, dims, ref fileOffset, ref bufferOffset);
        if (count < 0)
        {
            return;
        }

        // The innermost dimension is one run when it is contiguous on both sides; otherwise each element is.
        long run = element;
        var outer = dims.AsSpan(0, count);
        if (count > 0 && outer[0].Source == element && outer[0].Destination == element)
        {
            run = outer[0].Length * element;
            outer = outer[1..];
        }

        var walk = new CopyOdometer(outer, stackalloc long[outer.Length]);
        do
        {
            var at = offset + fileOffset + walk.SourceOffset;
            var p = buffer + bufferOffset + walk.DestinationOffset;
            if (read)
            {
                _access.ReadLong(at, p, run);
            }
            else
            {
                _access.WriteLong(at, p, run);
            }
        }
        while (walk.Next());
    }
}
