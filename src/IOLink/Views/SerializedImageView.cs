namespace IOLink.Views;

/// <summary>
/// A view whose reads and writes run one at a time, behind one lock (make_thread_safe): for a view implemented outside
/// IOLink that is not safe to call from several threads. READ and WRITE as the parent allows; never MEMORY_ACCESS,
/// since direct memory access could not be serialized.
/// </summary>
internal sealed unsafe class SerializedImageView : ImageView
{
    private readonly ImageView _parent;
    private readonly Lock _gate = new();

    /// <summary>Takes ownership of <paramref name="parent"/> (a handle of its own).</summary>
    public SerializedImageView(ImageView parent, ImageProperties properties)
        : base(parent.Shape, parent.DataType, properties, parent.MetadataIfAny)
    {
        _parent = parent;
    }

    protected override ImageCapability CapabilitiesCore => _parent.Capabilities & (ImageCapability.READ | ImageCapability.WRITE);

    protected override VectorXu64? StorageBlockShapeCore => _parent.StorageBlockShape;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        lock (_gate)
        {
            _parent.ReadRegionData(origin, size, dst);
        }
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        lock (_gate)
        {
            _parent.WriteRegionData(origin, size, src);
        }
    }

    protected override void ReleaseResources() => _parent.Dispose();
}
