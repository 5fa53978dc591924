using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// The consistency model: a chunk another handle or process has rewritten since it was cached is decoded again, so
/// reads see the newest chunk file and a read-modify-write never writes old data back over another writer's.
/// </summary>
public sealed class ZarrConsistencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Array8x8()
    {
        var path = _dir.File("a.zarr");
        using var v = ImageViewFactory.Allocate(new VectorXu64(8, 8), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE));
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(8, 8) });
        return path;
    }

    private static byte[] All(ImageView v)
    {
        var bytes = new byte[v.ByteCount];
        v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), bytes);
        return bytes;
    }

    [Fact]
    public void AChunkZarrPythonRewroteAfterACachedRead_IsReadAgain_AndAWriteKeepsItsValues()
    {
        var path = Array8x8();
        using var z = ZarrArray.Open(path, writable: true, ImageTypeId.IMAGE);
        Assert.Equal(0, z.GetValue<byte>(1, 1));              // the chunk is now cached
        NumpyProcess.Run($"import zarr; a = zarr.open(r'{path}', mode='r+'); a[:] = 9", "numpy, zarr");
        Assert.Equal(9, z.GetValue<byte>(2, 2));               // not the cached zeros
        z.SetValue((byte)1, 0UL, 0UL);
        var expected = Enumerable.Repeat((byte)9, 64).ToArray();
        expected[0] = 1;
        Assert.Equal(expected, All(z));
        var back = NumpyProcess.Run($"import zarr; print(int(zarr.open(r'{path}', mode='r')[:].sum()))", "numpy, zarr");
        Assert.Equal((63 * 9) + 1, int.Parse(back.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TwoHandlesInOneProcess_SeeEachOthersWrites()
    {
        var path = Array8x8();
        using var first = ZarrArray.Open(path, writable: true, ImageTypeId.IMAGE);
        using var second = ZarrArray.Open(path, writable: true, ImageTypeId.IMAGE);
        Assert.Equal(0, first.GetValue<byte>(3, 3));
        Assert.Equal(0, second.GetValue<byte>(3, 3));
        second.WriteRegion(RegionXu64.CreateFullRegion(second.Shape), Enumerable.Repeat((byte)5, 64).ToArray());
        Assert.Equal(5, first.GetValue<byte>(3, 3));
        first.SetValue((byte)7, 0UL, 0UL);                     // a read-modify-write of second's chunk
        Assert.Equal(63 * 5 + 7, All(second).Sum(b => b));
        Assert.Equal(All(first), All(second));
    }

    [Fact]
    public void RepeatedReadsOfAnUnchangedChunk_StillComeFromTheCache()
    {
        var path = Array8x8();
        using var z = ZarrArray.Open(path, writable: true, ImageTypeId.IMAGE);
        z.SetValue((byte)3, 4UL, 4UL);
        var decoded = z.ChunksDecoded;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(3, z.GetValue<byte>(4, 4));
        }

        Assert.Equal(decoded, z.ChunksDecoded);
    }
}
