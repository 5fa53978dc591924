using IOLink.Memory;

namespace IOLink.Views;

/// <summary>A READ-only view whose every element is one value; no memory stands behind it.</summary>
internal sealed unsafe class UniformImageView : ImageView
{
    private readonly byte[] _value;

    public UniformImageView(VectorXu64 shape, DataType type, byte[] value, ImageProperties? properties, MetadataNode? metadata)
        : base(new Resources(null), shape, type, properties, metadata) => _value = value;

    protected override ImageCapability CapabilitiesCore => ImageCapability.READ;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var count = 1L;
        foreach (var s in size)
        {
            count *= s;
        }

        var elem = _value.Length;
        if (elem == 1)
        {
            for (long done = 0; done < count; done += int.MaxValue)
            {
                new Span<byte>(dst + done, (int)Math.Min(int.MaxValue, count - done)).Fill(_value[0]);
            }

            return;
        }

        // Doubling copies: each pass copies what is already filled, so large regions take log2(n) block copies.
        var total = count * elem;
        fixed (byte* v = _value)
        {
            System.Buffer.MemoryCopy(v, dst, elem, elem);
        }

        for (long filled = elem; filled < total;)
        {
            var chunk = Math.Min(filled, total - filled);
            System.Buffer.MemoryCopy(dst, dst + filled, chunk, chunk);
            filled += chunk;
        }
    }
}
