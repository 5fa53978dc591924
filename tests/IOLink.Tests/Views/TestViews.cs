namespace IOLink.Tests.Views;

/// <summary>
/// A view that reaches its data only through region reads and writes (no MEMORY_ACCESS), like a file-backed view:
/// it exercises the derived-view paths that memory views do not take.
/// </summary>
internal sealed unsafe class IndirectView : ImageView
{
    private readonly ImageView _inner;

    // Through the public extension constructor, as a format outside IOLink would be written: it holds its own share
    // of the inner view and gives it back in ReleaseResources.
    public IndirectView(ImageView inner)
        : base(inner.Shape, inner.DataType, inner.Properties) => _inner = ImageViewFactory.Share(inner);

    public int ReadCalls { get; private set; }

    public int WriteCalls { get; private set; }

    protected override ImageCapability CapabilitiesCore => ImageCapability.READ | ImageCapability.WRITE;

    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        ReadCalls++;
        _inner.ReadRegionData(origin, size, dst);
    }

    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        WriteCalls++;
        _inner.WriteRegionData(origin, size, src);
    }

    protected override void ReleaseResources() => _inner.Dispose();
}

internal static class SampleViews
{
    /// <summary>A UINT16 view of shape (nx, ny, nz) whose element (x, y, z) holds x + 10 y + 100 z.</summary>
    public static ImageView Numbered(ulong nx, ulong ny, ulong nz)
    {
        var v = ImageViewFactory.Allocate(new VectorXu64(nx, ny, nz), DataTypeId.UINT16);
        for (ulong z = 0; z < nz; z++)
        {
            for (ulong y = 0; y < ny; y++)
            {
                for (ulong x = 0; x < nx; x++)
                {
                    v.SetValue((ushort)(x + (10 * y) + (100 * z)), x, y, z);
                }
            }
        }

        return v;
    }

    public static ushort[] ReadAll16(ImageView v)
    {
        var bytes = new byte[v.ByteCount];
        v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes).ToArray();
    }

    /// <summary>Every element read one by one, in canonical order: the oracle for region reads.</summary>
    public static ushort[] ReadOneByOne16(ImageView v)
    {
        var result = new List<ushort>();
        var shape = v.Shape.ToArray();
        var index = new ulong[shape.Length];
        while (true)
        {
            result.Add(v.GetValue<ushort>(index));
            var k = 0;
            while (k < shape.Length && ++index[k] == shape[k])
            {
                index[k++] = 0;
            }

            if (k == shape.Length)
            {
                return [.. result];
            }
        }
    }
}
