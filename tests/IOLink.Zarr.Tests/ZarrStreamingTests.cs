using IOLink.Tests.Formats;
using System.Runtime.InteropServices;

namespace IOLink.Zarr.Tests;

/// <summary>Streaming a Zarr array into a file or a copy reads whole chunk layers: each chunk is decoded once.</summary>
public sealed class ZarrStreamingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>512x256x64 UINT16 in 128x128x32 chunks: a 256 KiB plane, so the .npy writer's 4 MiB reads would take 16 planes, half a chunk.</summary>
    private ZarrArray Array(out ushort[] values)
    {
        values = new ushort[512 * 256 * 64];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(i * 7);
        }

        var path = _dir.File("v.zarr");
        using (var v = ImageViewFactory.Allocate(new VectorXu64(512, 256, 64), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(128, 128, 32), Codec = ZarrCodec.Zlib });
        }

        var zarr = ZarrArray.Open(path, false, ImageTypeId.VOLUME);
        zarr.ChunkCacheBytes = 0;   // every decode counts
        return zarr;
    }

    [Fact]
    public void NpyWrite_OfAZarrArray_DecodesEachChunkOnce()
    {
        using var zarr = Array(out var values);
        NpyFile.Write(zarr, _dir.File("v.npy"));
        Assert.Equal(zarr.ChunkCount, zarr.ChunksDecoded);
        using var back = NpyFile.Read(_dir.File("v.npy"), ImageTypeId.VOLUME);
        var bytes = new byte[back.ByteCount];
        back.ReadRegion(RegionXu64.CreateFullRegion(back.Shape), bytes);
        Assert.True(MemoryMarshal.AsBytes(values.AsSpan()).SequenceEqual(bytes));
    }

    [Fact]
    public void SlabsAndCopies_OfAZarrArray_AreWholeChunkLayers()
    {
        using var zarr = Array(out var values);
        // 4 MiB slabs would be 16 planes; they become one 32-plane chunk layer (8 MiB), then whole layers.
        Assert.Equal(512L * 256 * 32 * 2, RegionSlabs.For(zarr, 4L << 20).MaxByteCount);
        Assert.Equal(512L * 256 * 64 * 2, RegionSlabs.For(zarr, 20L << 20).MaxByteCount);
        using var copy = ImageViewFactory.CopyOnDisk(zarr);
        Assert.Equal(zarr.ChunkCount, zarr.ChunksDecoded);
        Assert.Equal(values[123456], copy.GetValue<ushort>(123456 % 512, 123456 / 512 % 256, 123456 / (512 * 256)));
        // A view that is not stored in blocks keeps the slabs it is given.
        using var plain = ImageViewFactory.Allocate(zarr.Shape, DataTypeId.UINT16);
        Assert.Equal(512L * 256 * 16 * 2, RegionSlabs.For(plain, 4L << 20).MaxByteCount);
    }
}
