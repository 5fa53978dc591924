using System.Runtime.InteropServices;
using IOLink.Storage;
using IOLink.Tests.Remote;
using IOLink.Zarr;

namespace IOLink.Remote.Tests;

/// <summary>
/// Every format read from a real nginx on loopback: each region equals the local file's, and the access log shows
/// the bytes fetched were those the region needs (its chunks, its rows), not the file.
/// </summary>
[Collection("remote options")]
public sealed class RemoteReadTests : IDisposable
{
    private const int X = 128, Y = 96, Z = 80;
    private readonly Nginx _server = new();

    public void Dispose() => _server.Dispose();

    internal static ImageView Volume(int x = X, int y = Y, int z = Z)
    {
        var view = ImageViewFactory.Allocate(new VectorXu64((ulong)x, (ulong)y, (ulong)z), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var data = new ushort[x * y * z];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (ushort)((i % x * 3) + (i / x % y * 5) + (i / (x * y) * 11));
        }

        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), MemoryMarshal.AsBytes(data.AsSpan()));
        return view;
    }

    internal static byte[] Region(ImageView view, ulong[] origin, ulong[] size)
    {
        var region = new RegionXu64(new VectorXu64(origin), new VectorXu64(size));
        var bytes = new byte[(long)region.ElementCount * view.DataType.ByteCount];
        view.ReadRegion(region, bytes);
        return bytes;
    }

    private static readonly ulong[] Origin = [17, 9, 31];
    private static readonly ulong[] Size = [64, 40, 33];

    [Fact]
    public void Npy_RegionEqualsTheLocalFile_AndFetchesOnlyItsRows()
    {
        // Slices of 128 KiB: farther apart than reads are coalesced over, so each slice's rows are one request.
        const int x = 256, y = 256, z = 40;
        ulong[] origin = [17, 9, 5], size = [64, 40, 20];
        using var local = Volume(x, y, z);
        NpyFile.Write(local, Path.Combine(_server.Root, "v.npy"));
        using var remote = NpyFile.Open(_server.Url("v.npy"), ImageTypeId.VOLUME);
        Assert.Equal(local.Shape, remote.Shape);
        Assert.Equal(local.AxesInterpretation, remote.AxesInterpretation);
        _server.ClearLog();

        Assert.Equal(Region(local, origin, size), Region(remote, origin, size));

        var header = NpyFile.ReadHeader(Path.Combine(_server.Root, "v.npy")).DataOffset;
        var requests = _server.Requests();
        Assert.Equal((int)size[2], requests.Count);
        foreach (var request in requests)
        {
            var (first, last) = request.Bytes!.Value;
            var slice = (first - header) / (x * y * 2);
            Assert.InRange((ulong)slice, origin[2], origin[2] + size[2] - 1);
            var sliceStart = header + (slice * x * y * 2);
            Assert.Equal(sliceStart + ((((long)origin[1] * x) + (long)origin[0]) * 2), first);
            Assert.Equal(sliceStart + ((((long)(origin[1] + size[1] - 1) * x) + (long)(origin[0] + size[0])) * 2) - 1, last);
        }
    }

    [Fact]
    public void NpyRead_ReadsTheWholeArrayIntoMemory_AndMapIsRefused()
    {
        using var local = Volume();
        NpyFile.Write(local, Path.Combine(_server.Root, "v.npy"));
        using var read = NpyFile.Read(_server.Url("v.npy"), ImageTypeId.VOLUME);
        Assert.Equal(Region(local, [0, 0, 0], [X, Y, Z]), Region(read, [0, 0, 0], [X, Y, Z]));
        var ex = Assert.Throws<NotSupportedException>(() => NpyFile.OpenMapped(_server.Url("v.npy")));
        Assert.Contains("cannot be mapped", ex.Message);
    }

    [Theory]
    [InlineData(ZarrFormat.V2, false)]
    [InlineData(ZarrFormat.V3, false)]
    [InlineData(ZarrFormat.V3, true)]
    public void Zarr_RegionEqualsTheLocalArray_InAtMostOneRequestPerChunk(ZarrFormat format, bool sharded)
    {
        using var local = Volume();
        var folder = Path.Combine(_server.Root, "v.zarr");
        var options = new ZarrOptions { Format = format, Chunks = new VectorXu64(32, 32, 16), Codec = ZarrCodec.Zstd };
        if (sharded)
        {
            options.Shards = new VectorXu64(64, 64, 32);
        }

        ZarrArray.Write(local, folder, options);
        using var remote = ZarrArray.Open(_server.Url("v.zarr"), false, IOLink.Interop.AxisSpec.Of(ImageTypeId.VOLUME));
        Assert.Equal(local.Shape, remote.Shape);
        var store = Assert.IsType<HttpStore>(remote.ChunkedArray.Store is HttpStore s ? s : Inner(remote));
        _server.ClearLog();

        Assert.Equal(Region(local, Origin, Size), Region(remote, Origin, Size));

        // The region touches 3 x 2 x 3 chunks (x 17-80 in 32s, y 9-48, z 31-63 in 16s); a sharded array reads the
        // indexes of the shards it touches besides.
        var chunks = 3 * 2 * 3;
        var shards = sharded ? 2 * 1 * 2 : 0;
        var requests = _server.Requests();
        Assert.InRange(requests.Count, 1, chunks + shards);
        Assert.All(requests, r => Assert.Contains(r.Status, new[] { 200, 206, 404 }));
        Assert.True(store.RequestCount > 0);
    }

    private static HttpStore Inner(ZarrArray array) =>
        Assert.IsType<HttpStore>(array.ChunkedArray.Store.GetType().GetField("_shards", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(array.ChunkedArray.Store));

    [Fact]
    public void Zarr_MissingChunksReadAsTheFillValue()
    {
        using (var local = ImageViewFactory.Allocate(new VectorXu64(64, 64), DataTypeId.UINT8))
        {
            ZarrArray.Write(local, Path.Combine(_server.Root, "zeros.zarr"), new ZarrOptions { Format = ZarrFormat.V3, Chunks = new VectorXu64(16, 16) });
        }

        foreach (var chunk in Directory.EnumerateFiles(Path.Combine(_server.Root, "zeros.zarr", "c"), "*", SearchOption.AllDirectories).Take(5))
        {
            File.Delete(chunk);
        }

        using var remote = ZarrArray.Open(_server.Url("zeros.zarr"));
        Assert.All(Region(remote, [0, 0], [64, 64]), b => Assert.Equal(0, b));
        Assert.Contains(_server.Requests(), r => r.Status == 404);
    }

    [Fact]
    public void OmeZarr_OpensAsTheImageWithItsLevels()
    {
        using var local = Volume();
        using (var pyramid = LodImageViewFactory.Downsample(local, 2, DownsampleMethod.Mean))
        {
            ZarrArray.Write(pyramid, Path.Combine(_server.Root, "img.ome.zarr"), new ZarrOptions { Format = ZarrFormat.V3, Chunks = new VectorXu64(32, 32, 16) });
        }

        using var localLod = ZarrArray.OpenLod(Path.Combine(_server.Root, "img.ome.zarr"));
        using var remoteLod = ZarrArray.OpenLod(_server.Url("img.ome.zarr"));
        Assert.Equal(localLod.LevelCount, remoteLod.LevelCount);
        Assert.Equal(ZarrArray.LevelPaths(Path.Combine(_server.Root, "img.ome.zarr")), ZarrArray.LevelPaths(_server.Url("img.ome.zarr")));
        Assert.Equal(ZarrArray.DescribeOme(Path.Combine(_server.Root, "img.ome.zarr")), ZarrArray.DescribeOme(_server.Url("img.ome.zarr")));
        for (var level = 0; level < localLod.LevelCount; level++)
        {
            using var a = localLod.Resolution(level);
            using var b = remoteLod.Resolution(level);
            Assert.Equal(a.Shape, b.Shape);
            Assert.Equal(a.Properties.SpatialSpacing, b.Properties.SpatialSpacing);
            Assert.Equal(Region(a, [0, 0, 0], [a.Shape[0], a.Shape[1], a.Shape[2]]), Region(b, [0, 0, 0], [b.Shape[0], b.Shape[1], b.Shape[2]]));
        }

        // A level opened by its own address is named by the image's axes, as locally.
        using var level1 = ZarrArray.Open(_server.Url("img.ome.zarr/1"));
        Assert.Equal(localLod.Resolution(1).AxesInterpretation, level1.AxesInterpretation);
    }

    [Theory]
    [InlineData(IOLink.Tiff.TiffCompression.None)]
    [InlineData(IOLink.Tiff.TiffCompression.Deflate)]
    public void Tiff_RegionEqualsTheLocalFile(IOLink.Tiff.TiffCompression compression)
    {
        using var local = Volume();
        var path = Path.Combine(_server.Root, "v.ome.tif");
        IOLink.Tiff.TiffFile.Write(local, path, new IOLink.Tiff.TiffWriteOptions
        {
            Compression = compression, TileWidth = compression == IOLink.Tiff.TiffCompression.None ? 0 : 64, TileHeight = compression == IOLink.Tiff.TiffCompression.None ? 0 : 32,
        });
        using var fromFile = IOLink.Tiff.TiffFile.Open(path);
        using var remote = IOLink.Tiff.TiffFile.Open(_server.Url("v.ome.tif"));
        Assert.Equal(fromFile.Shape, remote.Shape);
        Assert.Equal(fromFile.AxesInterpretation, remote.AxesInterpretation);
        Assert.Equal(Region(local, Origin, Size), Region(remote, Origin, Size));
        Assert.Equal(IOLink.Tiff.TiffFile.Describe(path).Series[0].Shape, IOLink.Tiff.TiffFile.Describe(_server.Url("v.ome.tif")).Series[0].Shape);
        Assert.DoesNotContain(_server.Requests(), r => r.Range == "-");   // never the whole file
    }

    [Fact]
    public void Hdf5_ChunkedDatasetEqualsTheLocalFile()
    {
        using var local = Volume();
        var path = Path.Combine(_server.Root, "v.h5");
        IOLink.Hdf5.Hdf5File.Write(local, path, new IOLink.Hdf5.Hdf5WriteOptions { Chunks = [16, 32, 32] });
        using var remote = IOLink.Hdf5.Hdf5File.Open(_server.Url("v.h5"));
        Assert.Equal(local.Shape, remote.Shape);
        Assert.Equal(Region(local, Origin, Size), Region(remote, Origin, Size));
        Assert.DoesNotContain(_server.Requests(), r => r.Range == "-");
    }

    [Fact]
    public void FileAddresses_AreLocalPaths()
    {
        using var local = Volume(8, 8, 8);
        var path = Path.Combine(_server.Root, "small.npy");
        NpyFile.Write(local, path);
        using var view = NpyFile.Open(new Uri(path).AbsoluteUri);
        Assert.Equal(local.Shape, view.Shape);
        using var access = RandomAccessFactory.OpenUri(new Uri(path));
        Assert.Equal(new FileInfo(path).Length, access.Size);
    }

    [Fact]
    public void HttpStore_ReadsKeysAndRanges_AndRefusesWhatHttpCannotDo()
    {
        Directory.CreateDirectory(Path.Combine(_server.Root, "s", "a b"));
        File.WriteAllBytes(Path.Combine(_server.Root, "s", "a b", "k"), Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        using var store = new HttpStore(new Uri(_server.Url("s")));
        using (var all = store.Get("a b/k"))
        {
            Assert.Equal(100, all!.Length);
            Assert.Equal(100, all.ValueLength);
        }

        using (var part = store.Get("a b/k", ByteRange.Of(10, 5)))
        {
            Assert.Equal(new byte[] { 10, 11, 12, 13, 14 }, part!.ToArray());
        }

        using (var last = store.Get("a b/k", ByteRange.Last(3)))
        {
            Assert.Equal(new byte[] { 97, 98, 99 }, last!.ToArray());
            Assert.Equal(97, last.Offset);
        }

        using (var past = store.Get("a b/k", ByteRange.From(200)))
        {
            Assert.Equal(0, past!.Length);
        }

        Assert.Null(store.Get("a b/missing"));
        Assert.NotNull(store.Version("a b/k"));
        Assert.Throws<InvalidFileFormatException>(() => store.Get("a b/k", ByteRange.All, 10));
        var many = store.GetMany([new StoreRead("a b/k", ByteRange.Of(0, 2)), new StoreRead("nope"), new StoreRead("a b/k", ByteRange.Of(98, 9))]);
        Assert.Equal(new byte[] { 0, 1 }, many[0]!.ToArray());
        Assert.Null(many[1]);
        Assert.Equal(new byte[] { 98, 99 }, many[2]!.ToArray());
        foreach (var value in many)
        {
            value?.Dispose();
        }

        Assert.Contains("does not list", Assert.Throws<NotSupportedException>(() => store.List()).Message);
        Assert.Throws<NotSupportedException>(() => store.Set("x", [1]));
        Assert.Throws<ArgumentException>(() => new HttpStore(new Uri("ftp://example.org/x")));
        using var random = store.OpenRandomAccess("a b/k");
        Assert.Equal(100, random!.Size);
    }
}
