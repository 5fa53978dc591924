using IOLink.Tests.Formats;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr.Tests;

/// <summary>Malformed metadata and chunks: an InvalidFileFormatException naming the array (and the chunk), never garbage.</summary>
public sealed class ZarrBadInputTests : IDisposable
{
    private const string Good = """
        {"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Array(string zarray)
    {
        var path = _dir.File("a" + Guid.NewGuid().ToString("N")[..8] + ".zarr");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, ".zarray"), zarray);
        return path;
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "must hold a JSON object")]
    [InlineData("""{"zarr_format": 2}""", "has no 'shape'")]
    [InlineData("""{"zarr_format": 3, "shape": [2]}""", "is not 2")]
    [InlineData("""{"chunks": [0, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "at least 1")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [-8, 6], "zarr_format": 2}""", "at least 0")]
    [InlineData("""{"chunks": [4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "'chunks' has 1 lengths")]
    [InlineData("""{"chunks": [1, 1], "compressor": null, "dtype": "<u8", "fill_value": 0, "filters": null, "order": "C", "shape": [4611686018427387904, 4], "zarr_format": 2}""", "more bytes than a 64-bit size")]
    [InlineData("""{"chunks": [65536, 65536], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "larger than 2 GiB")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<U8", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "dtype '<U8'")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": [["r", "<u1"]], "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "structured")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2\u0000", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "it is not a NumPy type string")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u+2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "it is not a NumPy type string")]
    [InlineData("""{"chunks": [4, 4], "compressor": {"id": "lz4"}, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "compressor 'lz4'")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": [{"id": "delta", "dtype": "<u2"}], "order": "C", "shape": [8, 6], "zarr_format": 2}""", "filters delta")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 70000, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "fill_value 70000")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "K", "shape": [8, 6], "zarr_format": 2}""", "'order'")]
    [InlineData("""{"chunks": [4, 4], "compressor": {"id": "blosc", "cname": "xz"}, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "cname \"xz\"")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": 0, "filters": null, "order": "C", "shape": [0, 6], "zarr_format": 2}""", "is empty")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<f4", "fill_value": NaNx, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "not valid JSON")]
    [InlineData("""{"chunks": [4, 4], "compressor": null, "dtype": "<u2", "fill_value": NaN, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2}""", "fill_value")]
    public void MalformedMetadata_IsAnInvalidFileFormatException_NamingTheArray(string zarray, string expected)
    {
        var path = Array(zarray);
        var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN", float.NaN)]
    [InlineData("Infinity", float.PositiveInfinity)]
    [InlineData("-Infinity", float.NegativeInfinity)]
    public void BareNonFiniteLiterals_ReadAsPythonsJsonReadsThem(string literal, float expected)
    {
        // Python's json (so zarr-python) takes NaN, Infinity and -Infinity unquoted; a string that holds one stays a string.
        var path = Array($$"""{"chunks": [4, 4], "compressor": null, "dtype": "<f4", "fill_value": {{literal}}, "filters": null, "order": "C", "shape": [8, 6], "zarr_format": 2, "note": "NaN, \"Infinity\""}""");
        using var v = ZarrArray.Open(path);
        Assert.Equal(expected, v.GetValue<float>(3, 5));
    }

    [Fact]
    public void BareNonFiniteLiterals_AreQuoted_OutsideStringsOnly()
    {
        Assert.Equal("""{"a": "NaN", "b": ["-Infinity","Infinity"], "c": "x NaN \" NaN", "d": 1e5}""",
            System.Text.Encoding.UTF8.GetString(Internal.ZarrJson.QuoteNonFinite("""{"a": NaN, "b": [-Infinity,Infinity], "c": "x NaN \" NaN", "d": 1e5}"""u8)));
    }

    [Theory]
    [InlineData("truncated", "holds 5 bytes instead of the chunk's 32")]
    [InlineData("long", "holds 40 bytes instead of the chunk's 32")]
    public void UncompressedChunks_OfTheWrongSize_NameTheChunk(string kind, string expected)
    {
        var path = Array(Good);
        File.WriteAllBytes(Path.Combine(path, "1.0"), new byte[kind == "truncated" ? 5 : 40]);
        using var z = ZarrArray.Open(path);
        var ex = Assert.Throws<InvalidFileFormatException>(() => z.GetValue<ushort>(5, 0));
        Assert.Contains("chunk '1.0'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal((ushort)0, z.GetValue<ushort>(0, 0));   // the other chunks are still readable
    }

    [Theory]
    [InlineData(ZarrCodec.Zlib)]
    [InlineData(ZarrCodec.Gzip)]
    [InlineData(ZarrCodec.Zstd)]
    [InlineData(ZarrCodec.BloscLz4)]
    public void CorruptTruncatedOrWrongSizeChunks_NameTheChunk_ForEveryCodec(ZarrCodec codec)
    {
        var path = _dir.File($"{codec}.zarr");
        using (var v = ImageViewFactory.Allocate(new VectorXu64(64, 64), DataTypeId.UINT16))
        {
            var noise = new byte[v.ByteCount];
            new Random(3).NextBytes(noise);
            v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), noise);
            ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Codec = codec, Chunks = new VectorXu64(32, 32) });
        }

        var chunk = Path.Combine(path, "0.0");
        var good = File.ReadAllBytes(chunk);
        var other = Path.Combine(path, "1.1");

        // Truncated.
        File.WriteAllBytes(chunk, good[..(good.Length / 2)]);
        AssertChunkError(path, "0.0");

        // Garbage of the same length.
        var garbage = (byte[])good.Clone();
        for (var i = 0; i < garbage.Length; i += 3)
        {
            garbage[i] ^= 0x5A;
        }

        File.WriteAllBytes(chunk, garbage);
        AssertChunkError(path, "0.0");

        // A valid chunk of another array's size: decodes to the wrong size.
        using (var small = ImageViewFactory.Allocate(new VectorXu64(16, 16), DataTypeId.UINT16))
        {
            ZarrArray.Write(small, _dir.File("small.zarr"), new ZarrOptions { Format = ZarrFormat.V2, Codec = codec, Chunks = new VectorXu64(16, 16) });
        }

        File.Copy(Path.Combine(_dir.File("small.zarr"), "0.0"), chunk, overwrite: true);
        AssertChunkError(path, "0.0");

        // A directory where a chunk belongs.
        File.WriteAllBytes(chunk, good);
        File.Delete(other);
        Directory.CreateDirectory(other);
        AssertChunkError(path, "1.1", "is a directory");
    }

    private static void AssertChunkError(string path, string key, string? text = null)
    {
        using var z = ZarrArray.Open(path);
        var ex = Assert.Throws<InvalidFileFormatException>(() => z.ReadRegion(RegionXu64.CreateFullRegion(z.Shape), new byte[z.ByteCount]));
        Assert.Contains($"chunk '{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        if (text is not null)
        {
            Assert.Contains(text, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MissingArraysFilesAndPlainFolders_SayWhatIsThere()
    {
        Assert.Throws<FileNotFoundException>(() => ZarrArray.Open(_dir.File("none.zarr")));
        File.WriteAllText(_dir.File("file.zarr"), "x");
        Assert.Contains("a regular file", Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(_dir.File("file.zarr"))).Message, StringComparison.Ordinal);
        Directory.CreateDirectory(_dir.File("plain"));
        Assert.Contains("has no zarr.json (Zarr v3) nor .zarray or .zgroup (Zarr v2)", Assert.Throws<ArgumentException>(() => ZarrArray.Open(_dir.File("plain"))).Message, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(_dir.File("dir.zarr"), ".zarray"));
        Assert.Contains(".zarray is a directory, not a file", Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(_dir.File("dir.zarr"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyArrays_RefuseWrites_AndWritesNeverFollowAPlantedLink()
    {
        var path = Array(Good);
        using (var z = ZarrArray.Open(path))
        {
            Assert.Throws<NotSupportedException>(() => z.SetValue((ushort)1, 0UL, 0UL));
        }

        // A chunk name planted as a link to a file outside the array: reads refuse it (never passing the file off
        // as pixels), a write of the whole chunk replaces the link, and the file it pointed to stays as it was.
        var outside = _dir.File("outside.txt");
        File.WriteAllText(outside, "keep");
        File.CreateSymbolicLink(Path.Combine(path, "0.0"), outside);
        using (var z = ZarrArray.Open(path, writable: true))
        {
            Assert.Contains("does not follow links", Assert.Throws<InvalidFileFormatException>(() => z.GetValue<ushort>(1, 1)).Message, StringComparison.Ordinal);
            Assert.Throws<InvalidFileFormatException>(() => z.SetValue((ushort)9, 1UL, 1UL));
            var chunk = new ushort[16];
            chunk[5] = 9;
            z.WriteRegion(new RegionXu64(new VectorXu64(0, 0), new VectorXu64(4, 4)), System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan()));
        }

        Assert.Equal("keep", File.ReadAllText(outside));
        Assert.Null(new FileInfo(Path.Combine(path, "0.0")).LinkTarget);
        using var back = ZarrArray.Open(path);
        Assert.Equal((ushort)9, back.GetValue<ushort>(1, 1));
        Assert.Empty(Directory.GetFiles(path, "*.partial"));
    }

    [Fact]
    public void WritingOverSomethingThatIsNotZarr_IsRefused_AndAFailedWriteLeavesNothing()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8);
        var folder = _dir.File("photos");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.jpg"), "x");
        Assert.Contains("holds something other than a Zarr array", Assert.Throws<IOException>(() => ZarrArray.Write(v, folder, new ZarrOptions { Format = ZarrFormat.V2 })).Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "a.jpg")));
        Assert.Throws<DirectoryNotFoundException>(() => ZarrArray.Write(v, _dir.File("no/such/out.zarr"), new ZarrOptions { Format = ZarrFormat.V2 }));
        Assert.Throws<ArgumentException>(() => ZarrArray.Write(v, _dir.File("c.zarr"), new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(2) }));
        Assert.Equal(["photos"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(p => Path.GetFileName(p)).ToList());

        // An existing Zarr array is replaced whole.
        var path = _dir.File("r.zarr");
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(2, 2) });
        Assert.Equal(4, Directory.GetFiles(path, "?.?").Length);
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(4, 4) });
        Assert.Single(Directory.GetFiles(path, "?.?"));
    }

    [Fact]
    public void WritingOverAGroupOrAnArrayHoldingOtherFiles_IsRefused_AndDeletesNothing()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8);
        v.Properties.AxesInterpretation = ImageTypeId.IMAGE;
        const string GroupJson = """{"zarr_format": 2}""";

        // A group holding an array, a sub-group and a file of the user's.
        var group = _dir.File("g.zarr");
        ZarrArray.Write(v, Path.Combine(_dir.Path, "member.zarr"), new ZarrOptions { Format = ZarrFormat.V2 });
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, ".zgroup"), GroupJson);
        Directory.Move(Path.Combine(_dir.Path, "member.zarr"), Path.Combine(group, "labels"));
        Directory.CreateDirectory(Path.Combine(group, "sub"));
        File.WriteAllText(Path.Combine(group, "sub", ".zgroup"), GroupJson);
        File.WriteAllText(Path.Combine(group, "notes.txt"), "mine");
        var before = Tree(group);
        var ex = Assert.Throws<IOException>(() => ZarrArray.Write(v, group, new ZarrOptions { Format = ZarrFormat.V2 }));
        Assert.Contains("is a Zarr group; IOLink replaces only a single Zarr array", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => ZarrArray.Write(v, group + "/", new ZarrOptions { Format = ZarrFormat.V2 }));
        Assert.Throws<IOException>(() => ZarrArray.Write(v, group, new ZarrOptions { Format = ZarrFormat.V2, OmeZarr = true }));
        Assert.Equal(before, Tree(group));

        // An array whose folder also holds a file that is not part of it.
        var array = _dir.File("a.zarr");
        ZarrArray.Write(v, array, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(2, 2), NestedChunkKeys = true });
        File.WriteAllText(Path.Combine(array, "0", "README"), "mine");
        var foreign = Assert.Throws<IOException>(() => ZarrArray.Write(v, array, new ZarrOptions { Format = ZarrFormat.V2 }));
        Assert.Contains("also holds '0/README', which is not part of it", foreign.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(array, "0", "README")));

        // Without it, the array (nested chunk folders, attributes) is replaced.
        File.Delete(Path.Combine(array, "0", "README"));
        File.WriteAllText(Path.Combine(array, ".zattrs"), "{}");
        ZarrArray.Write(v, array, new ZarrOptions { Format = ZarrFormat.V2 });
        Assert.Equal([".zarray", "0.0"], Tree(array).Keys);
        Assert.Equal(["a.zarr", "g.zarr"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static SortedDictionary<string, string> Tree(string folder) =>
        new(Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => File.Exists(f) ? File.ReadAllText(f) : "/"), StringComparer.Ordinal);

    [Fact]
    public void ALongValidOutputName_IsWritten_AndAStoppedWriteLeavesNothing()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(64, 64), DataTypeId.UINT8);
        // 250 bytes is a valid name on every Linux file system; the temporary beside it must not be longer.
        var name = new string('a', 245) + ".zarr";
        ZarrArray.Write(v, _dir.File(name), new ZarrOptions { Format = ZarrFormat.V2 });
        Assert.True(File.Exists(Path.Combine(_dir.File(name), ".zarray")));

        Assert.Throws<OperationCanceledException>(() => ZarrArray.Write(v, _dir.File("stopped.zarr"), new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(8, 8) },
            new Stop()));
        Assert.Equal([name], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    private sealed class Stop : IProgress<double>
    {
        public void Report(double value) => throw new OperationCanceledException("interrupted");
    }

    [Fact]
    public void ArraysOfLengthsNear2To63_CountTheirChunksRight_AndHugeWritesAreRefused()
    {
        // 2^63 - 807 one-byte items in chunks of 1000: shape + chunk - 1 would overflow.
        var path = Array("""{"chunks": [1000], "compressor": null, "dtype": "|u1", "fill_value": 7, "filters": null, "order": "C", "shape": [9223372036854775001], "zarr_format": 2}""");
        using (var z = ZarrArray.Open(path))
        {
            Assert.Equal(9223372036854776L, z.ChunkCount);
            Assert.Equal(7, z.GetValue<byte>(9223372036854775000UL));
        }

        using var huge = ImageViewFactory.Uniform(new VectorXu64(1UL << 62), DataTypeId.UINT8, [1]);
        var ex = Assert.Throws<ArgumentException>(() => ZarrArray.Write(huge, _dir.File("huge.zarr"), new ZarrOptions { Format = ZarrFormat.V2 }));
        Assert.Contains("chunk files", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ZarrArray.Write(huge, _dir.File("huge.zarr"), new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(1UL << 62) }));
        Assert.False(Directory.Exists(_dir.File("huge.zarr")));
    }

    [Fact]
    public void ATinyArrayDeclaringAHugeChunk_ReadsWhatIsAsked_WithoutFillingTheChunk()
    {
        // 10 items in one chunk of almost 2 GiB, every chunk missing: only the 10 items read are filled.
        var path = Array("""{"chunks": [2147483000], "compressor": null, "dtype": "|u1", "fill_value": 5, "filters": null, "order": "C", "shape": [10], "zarr_format": 2}""");
        using var z = ZarrArray.Open(path);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var values = new byte[10];
        z.ReadRegion(RegionXu64.CreateFullRegion(z.Shape), values);
        Assert.Equal(Enumerable.Repeat((byte)5, 10), values);
        Assert.Equal(5, z.GetValue<byte>(3));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < (1 << 20), "a missing chunk's fill allocated the chunk");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void AChunkLargerThanTheCache_IsDecodedOncePerPass_NotOncePerSlab()
    {
        // One chunk of 96 MiB (the cache holds 64 MiB), read plane by plane as a streaming conversion reads it.
        using var v = ImageViewFactory.Allocate(new VectorXu64(1024, 1024, 96), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME));
        var path = _dir.File("one.zarr");
        ZarrArray.Write(v, path, new ZarrOptions { Format = ZarrFormat.V2, Chunks = new VectorXu64(1024, 1024, 96) });
        using var z = ZarrArray.Open(path, false, ImageTypeId.VOLUME);
        Assert.True(z.ChunkCacheBytes < 96L << 20);
        var plane = new byte[1024 * 1024];
        for (ulong k = 0; k < 96; k++)
        {
            z.ReadRegion(new RegionXu64(new VectorXu64(0, 0, k), new VectorXu64(1024, 1024, 1)), plane);
        }

        Assert.Equal(1, z.ChunksDecoded);
        z.ChunkCacheBytes = 0;                                  // 0 still keeps nothing
        z.ReadRegion(new RegionXu64(new VectorXu64(0, 0, 0), new VectorXu64(1024, 1024, 1)), plane);
        z.ReadRegion(new RegionXu64(new VectorXu64(0, 0, 1), new VectorXu64(1024, 1024, 1)), plane);
        Assert.Equal(3, z.ChunksDecoded);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void ANonFiniteSpacing_IsRefusedForOmeZarr_InsteadOfWritingInvalidJson(double bad)
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE));
        v.Properties.SpatialSpacing = [bad, 1.0, 1.0];
        var ex = Assert.Throws<ArgumentException>(() => ZarrArray.Write(v, _dir.File("ome.zarr"), new ZarrOptions { Format = ZarrFormat.V2, OmeZarr = true }));
        Assert.Contains("is not finite, and OME-Zarr scales are finite numbers", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        ZarrArray.Write(v, _dir.File("plain.zarr"), new ZarrOptions { Format = ZarrFormat.V2 });        // a plain array stores no spacing
    }

    [Fact]
    public void MissingBlosc_SaysWhatToInstall()
    {
        var ex = Assert.Throws<DllNotFoundException>(() => BloscLibrary.Load(["libblosc-not-installed.so.1"]));
        Assert.Contains("sudo apt-get install libblosc1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedArrays_ReportTheDisposedView()
    {
        var path = Array(Good);
        var z = ZarrArray.Open(path);
        z.Dispose();
        Assert.Throws<ObjectDisposedException>(() => z.GetValue<ushort>(0, 0));
    }
}
