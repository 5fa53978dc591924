using System.Runtime.InteropServices;
using IOLink.Internal;
using IOLink.Layout;

namespace IOLink.Views;

/// <summary>
/// N scalar views of one shape and type as one view of an N-component vector type: component k of each element is
/// view k's element (interlace, assemble_channels). Lazy: a region read reads each view's region in slabs of
/// bounded size and places its elements as component k; a write does the reverse. READ and WRITE as every view
/// allows; never MEMORY_ACCESS.
/// </summary>
internal sealed unsafe class InterlacedImageView : ImageView
{
    private const long SlabBytes = 8L << 20;

    private readonly ImageView[] _views;

    /// <summary>Takes ownership of <paramref name="views"/> (handles of its own).</summary>
    public InterlacedImageView(ImageView[] views, DataType type, ImageProperties properties)
        : base(views[0].Shape, type, properties, views[0].MetadataIfAny)
    {
        _views = views;
    }

    protected override ImageCapability CapabilitiesCore =>
        _views.Aggregate(ImageCapability.READ | ImageCapability.WRITE, (caps, v) => caps & v.Capabilities);

    protected override VectorXu64? StorageBlockShapeCore => _views[0].StorageBlockShape;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst) =>
        Slabs(origin.ToArray(), size.ToArray(), dst, read: true);

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src) =>
        Slabs(origin.ToArray(), size.ToArray(), src, read: false);

    protected override void ReleaseResources()
    {
        foreach (var view in _views)
        {
            view.Dispose();
        }
    }

    private void Slabs(long[] origin, long[] size, byte* buffer, bool read)
    {
        var component = DataType.ComponentType;
        var componentBytes = component.ByteCount;
        var last = size.Length - 1;
        long planeElements = 1;
        for (var d = 0; d < last; d++)
        {
            planeElements *= size[d];
        }

        var planes = Math.Max(1, Math.Min(size[last], SlabBytes / Math.Max(1, planeElements * componentBytes)));
        var temp = (byte*)NativeMemory.Alloc((nuint)(planes * planeElements * componentBytes));
        try
        {
            var o = (long[])origin.Clone();
            var s = (long[])size.Clone();
            for (long done = 0; done < size[last]; done += planes)
            {
                o[last] = origin[last] + done;
                s[last] = Math.Min(planes, size[last] - done);
                var slab = buffer + (done * planeElements * DataType.ByteCount);
                var own = StridedLayout.DenseStrides(s, componentBytes);
                var interlaced = StridedLayout.DenseStrides(s, DataType.ByteCount);
                for (var k = 0; k < _views.Length; k++)
                {
                    if (read)
                    {
                        _views[k].ReadRegionData(o, s, temp);
                        StridedCopy.Copy(temp, own, slab + (k * componentBytes), interlaced, s, component);
                    }
                    else
                    {
                        StridedCopy.Copy(slab + (k * componentBytes), interlaced, temp, own, s, component);
                        _views[k].WriteRegionData(o, s, temp);
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(temp);
        }
    }
}
