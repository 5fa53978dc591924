using System.Runtime.InteropServices;
using IOLink.Conformance;

namespace IOLink.Zarr.Tests;

/// <summary>A Zarr array passes the conformance tests every view passes: chunked, compressed, written then reopened.</summary>
public sealed class ZarrConformanceTests : ImageViewConformance, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-zarr-conformance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    protected override ImageView CreateView()
    {
        var path = Path.Combine(_dir, $"a{Guid.NewGuid():N}.zarr");
        using (var source = ImageViewFactory.Allocate(new VectorXu64(9, 7, 5), DataTypeId.INT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var values = Enumerable.Range(0, 315).Select(i => (short)((i * 37) - 5000)).ToArray();
            source.WriteRegion(new RegionXu64(new VectorXu64(0, 0, 0), source.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            ZarrArray.Write(source, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(4, 3, 2), Codec = ZarrCodec.Zstd });
        }

        return ZarrArray.Open(path, writable: true, ImageType.FromId(ImageTypeId.VOLUME));
    }
}

/// <summary>A sharded Zarr v3 array (gzip inner chunks, shards clipped by the array) passes the same conformance tests.</summary>
public sealed class ZarrShardedConformanceTests : ImageViewConformance, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-zarr3-conformance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    protected override ImageView CreateView()
    {
        var path = Path.Combine(_dir, $"a{Guid.NewGuid():N}.zarr");
        using (var source = ImageViewFactory.Allocate(new VectorXu64(9, 7, 5), DataTypeId.INT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var values = Enumerable.Range(0, 315).Select(i => (short)((i * 37) - 5000)).ToArray();
            source.WriteRegion(new RegionXu64(new VectorXu64(0, 0, 0), source.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            ZarrArray.Write(source, path, new ZarrOptions { Chunks = new VectorXu64(4, 3, 2), Shards = new VectorXu64(8, 6, 4), Codec = ZarrCodec.Gzip });
        }

        return ZarrArray.Open(path, writable: true, ImageType.FromId(ImageTypeId.VOLUME));
    }
}
