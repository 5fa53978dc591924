using IOLink.Internal;

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
    private readonly long[] _strides;

    public RandomAccessImageView(RandomAccess access, long offset, VectorXu64 shape, DataType type, ImageProperties? properties, MetadataNode? metadata)
        : base(access.ShareSource(), shape, type, properties, metadata)
    {
        _access = access;
        _offset = offset;
        _strides = MemoryLayout.DenseStrides(shape, type.ByteCount);
    }

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

    /// <summary>Moves the region run by run: dimensions 0..m-1 form one contiguous run, the outer ones are walked by an odometer.</summary>
    private void Transfer(long[] origin, long[] size, byte* buffer, bool read)
    {
        var rank = size.Length;
        long run = DataType.ByteCount;
        var m = 0;
        while (m < rank)
        {
            run *= size[m];
            m++;
            if (size[m - 1] != (long)Shape[m - 1])
            {
                break;
            }
        }

        var offset = _offset;
        for (var k = 0; k < rank; k++)
        {
            offset += origin[k] * _strides[k];
        }

        Span<long> index = stackalloc long[rank];
        while (true)
        {
            if (read)
            {
                _access.ReadLong(offset, buffer, run);
            }
            else
            {
                _access.WriteLong(offset, buffer, run);
            }

            buffer += run;
            var k = m;
            while (k < rank)
            {
                offset += _strides[k];
                if (++index[k] < size[k])
                {
                    break;
                }

                offset -= index[k] * _strides[k];
                index[k] = 0;
                k++;
            }

            if (k == rank)
            {
                return;
            }
        }
    }
}
