namespace IOLink.Views;

/// <summary>
/// N views of one shape and data type as one view with one more dimension, the last: index k of it is view k. Lazy:
/// a region read or write goes to each view it spans, into (or from) its contiguous part of the dense buffer.
/// READ and WRITE as every view allows; never MEMORY_ACCESS.
/// </summary>
internal sealed unsafe class StackedImageView : ImageView
{
    private readonly ImageView[] _views;

    /// <summary>Takes ownership of <paramref name="views"/> (handles of its own).</summary>
    public StackedImageView(ImageView[] views, VectorXu64 shape, ImageProperties properties)
        : base(shape, views[0].DataType, properties, views[0].Metadata)
    {
        _views = views;
    }

    protected override ImageCapability CapabilitiesCore =>
        _views.Aggregate(ImageCapability.READ | ImageCapability.WRITE, (caps, v) => caps & v.Capabilities);

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var (region, planeBytes, last) = Plane(origin, size);
        for (long k = 0; k < size[last]; k++)
        {
            _views[origin[last] + k].ReadRegion(region, new Span<byte>(dst + (k * planeBytes), checked((int)planeBytes)));
        }
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        var (region, planeBytes, last) = Plane(origin, size);
        for (long k = 0; k < size[last]; k++)
        {
            _views[origin[last] + k].WriteRegion(region, new ReadOnlySpan<byte>(src + (k * planeBytes), checked((int)planeBytes)));
        }
    }

    protected override void ReleaseResources()
    {
        foreach (var view in _views)
        {
            view.Dispose();
        }
    }

    /// <summary>The region of each stacked view that a region of this view covers, and its bytes.</summary>
    private (RegionXu64 Region, long PlaneBytes, int Last) Plane(ReadOnlySpan<long> origin, ReadOnlySpan<long> size)
    {
        var last = origin.Length - 1;
        var o = new ulong[last];
        var s = new ulong[last];
        long bytes = DataType.ByteCount;
        for (var d = 0; d < last; d++)
        {
            o[d] = (ulong)origin[d];
            s[d] = (ulong)size[d];
            bytes *= size[d];
        }

        return (new RegionXu64(new VectorXu64(o), new VectorXu64(s)), bytes, last);
    }
}
