using System.Runtime.InteropServices;
using IOLink.Internal;
using IOLink.Layout;

namespace IOLink.Views;

/// <summary>
/// A view made from a view without MEMORY_ACCESS (a file-backed or uniform view): a sub-region, flip,
/// sub-sampling, reordering, channel or reinterpretation of it, computed on each access.
/// </summary>
/// <remarks>
/// Each view dimension k maps to parent dimension <c>ParentDimension[k]</c> as <c>parent = origin + step * index</c>;
/// parent dimensions no view dimension maps to stay at their origin. An optional component selection picks one
/// component of each parent element. A region access reads (and writes back) the parent's bounding box of the
/// region, in slabs of bounded size. The view holds one reference on the parent's data source, so the parent's data
/// stays usable after the parent itself is disposed; each access goes through the parent, which holds the data for
/// the length of the call.
/// </remarks>
internal sealed unsafe class DerivedImageView : ImageView
{
    private const long SlabBytes = 32L << 20;

    private readonly ImageView _parent;
    private readonly long[] _parentOrigin;
    private readonly int[] _parentDimension;
    private readonly long[] _step;
    private readonly int _componentOffset;
    private readonly bool _writable;

    public DerivedImageView(ImageView parent, VectorXu64 shape, DataType type, long[] parentOrigin, int[] parentDimension, long[] step,
        int componentOffset, bool writable, ImageProperties? properties, MetadataNode? metadata)
        : base(parent.ShareSource(), shape, type, properties, metadata, ownsProperties: true)
    {
        _parent = parent;
        _parentOrigin = parentOrigin;
        _parentDimension = parentDimension;
        _step = step;
        _componentOffset = componentOffset;
        _writable = writable;
    }

    protected override ImageCapability CapabilitiesCore
    {
        get
        {
            var parent = _parent.DataCapabilities;
            var caps = parent & ImageCapability.READ;
            // A write that does not cover whole parent elements and runs reads the parent back first.
            if (_writable && (parent & ImageCapability.WRITE) != 0 && ((parent & ImageCapability.READ) != 0 || !NeedsReadBack))
            {
                caps |= ImageCapability.WRITE;
            }

            return caps;
        }
    }

    private bool NeedsReadBack => !CoversWholeElements || Array.Exists(_step, s => Math.Abs(s) != 1);

    private bool CoversWholeElements => DataType == _parent.DataType;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        ForEachSlab(origin.ToArray(), size.ToArray(), dst, read: true);
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        ForEachSlab(origin.ToArray(), size.ToArray(), src, read: false);
    }

    private void ForEachSlab(long[] origin, long[] size, byte* buffer, bool read)
    {
        var box = BoundingBox(origin, size, out var boxBytes);
        if (boxBytes > SlabBytes)
        {
            // Split the region along its outermost dimension longer than one element and do each half on its own.
            var k = Array.FindLastIndex(size, s => s > 1);
            if (k >= 0)
            {
                var (half, firstSize, secondOrigin, secondSize) = StridedLayout.Halve(origin, size, k);
                var secondOffset = StridedLayout.DenseStrides(size, DataType.ByteCount)[k] * half;
                ForEachSlab(origin, firstSize, buffer, read);
                ForEachSlab(secondOrigin, secondSize, buffer + secondOffset, read);
                return;
            }
        }

        var temp = (byte*)NativeMemory.Alloc((nuint)boxBytes);
        try
        {
            var (start, strides) = LayoutInBox(origin, box);
            var dense = StridedLayout.DenseStrides(size, DataType.ByteCount);
            var full = CoversBox(size);
            if (read || !full)
            {
                _parent.ReadRegionData(box.Origin, box.Size, temp);
            }

            if (read)
            {
                StridedCopy.Copy(temp + start, strides, buffer, dense, size, DataType);
            }
            else
            {
                StridedCopy.Copy(buffer, dense, temp + start, strides, size, DataType);
                _parent.WriteRegionData(box.Origin, box.Size, temp);
            }
        }
        finally
        {
            NativeMemory.Free(temp);
        }
    }

    private (long[] Origin, long[] Size) BoundingBox(long[] origin, long[] size, out long bytes)
    {
        var rank = _parentOrigin.Length;
        var lo = (long[])_parentOrigin.Clone();
        var extent = new long[rank];
        Array.Fill(extent, 1L);
        for (var k = 0; k < size.Length; k++)
        {
            var d = _parentDimension[k];
            var first = _parentOrigin[d] + (_step[k] * origin[k]);
            var last = first + (_step[k] * (size[k] - 1));
            lo[d] = Math.Min(first, last);
            extent[d] = Math.Abs(last - first) + 1;
        }

        bytes = _parent.DataType.ByteCount;
        foreach (var e in extent)
        {
            bytes *= e;
        }

        return (lo, extent);
    }

    private (long Start, long[] Strides) LayoutInBox(long[] origin, (long[] Origin, long[] Size) box)
    {
        var parentStrides = StridedLayout.DenseStrides(box.Size, _parent.DataType.ByteCount);
        var start = (long)_componentOffset;
        var strides = new long[origin.Length];
        for (var k = 0; k < origin.Length; k++)
        {
            var d = _parentDimension[k];
            var first = _parentOrigin[d] + (_step[k] * origin[k]);
            start += (first - box.Origin[d]) * parentStrides[d];
            strides[k] = _step[k] * parentStrides[d];
        }

        return (start, strides);
    }

    /// <summary>Whether writing the region overwrites every byte of its bounding box (no read-back needed).</summary>
    private bool CoversBox(long[] size)
    {
        if (!CoversWholeElements)
        {
            return false;
        }

        for (var k = 0; k < size.Length; k++)
        {
            if (size[k] > 1 && Math.Abs(_step[k]) != 1)
            {
                return false;
            }
        }

        return true;
    }
}
