using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using IOLink.Tests.Formats;

namespace IOLink.Zarr.Tests;

/// <summary>
/// Zarr v3 and its sharding codec without zarr-python (which the pytest suite runs under Debian 13's zarr-python 3):
/// round trips of every type, shards read by their index and only the inner chunks needed, damaged shards and
/// metadata told by name, partial-shard writes, and the metadata IOLink writes.
/// </summary>
public sealed class ZarrV3Tests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ImageView Volume(DataType type, VectorXu64 shape)
    {
        var view = ImageViewFactory.Allocate(shape, type, new ImageProperties(ImageTypeId.VOLUME));
        var bytes = new byte[view.ByteCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 131) + (i >> 7));
        }

        if (type.PrimitiveType == PrimitiveTypeId.FLOATING_POINT)
        {
            // Finite floats only, so that equality means equal bits.
            var n = type.ComponentByteCount;
            for (var i = 0; i + n <= bytes.Length; i += n)
            {
                bytes[i + n - 1] = (byte)(bytes[i + n - 1] & 0x3F);
            }
        }

        view.WriteRegion(RegionXu64.CreateFullRegion(shape), bytes);
        return view;
    }

    private static byte[] All(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    public static TheoryData<DataTypeId, bool> Types()
    {
        var data = new TheoryData<DataTypeId, bool>();
        foreach (var type in new[] { DataTypeId.UINT8, DataTypeId.INT8, DataTypeId.UINT16, DataTypeId.INT16, DataTypeId.UINT32, DataTypeId.INT32,
                     DataTypeId.UINT64, DataTypeId.INT64, DataTypeId.FLOAT, DataTypeId.DOUBLE, DataTypeId.COMPLEX_FLOAT, DataTypeId.COMPLEX_DOUBLE, DataTypeId.VEC3_UINT8 })
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryType_RoundTrips_ShardedOrNot(DataTypeId type, bool sharded)
    {
        using var source = Volume(type, new VectorXu64(13, 10, 7));
        var path = _dir.File($"{type}-{sharded}.zarr");
        var options = new ZarrOptions { Chunks = new VectorXu64(4, 4, 4), Shards = sharded ? new VectorXu64(8, 12, 4) : (VectorXu64?)null };
        ZarrArray.Write(source, path, options);
        using var back = ZarrArray.Open(path);
        Assert.Equal(ZarrFormat.V3, back.Format);
        Assert.Equal(source.Shape, back.Shape);
        Assert.Equal(source.DataType, back.DataType);
        Assert.Equal(ImageTypeId.VOLUME, back.AxesInterpretation.Id);   // named by dimension_names z, y, x
        Assert.Equal(All(source), All(back));
        // Shards in the array's order (Z, Y, X, and a vector's components whole).
        long[] shards = type == DataTypeId.VEC3_UINT8 ? [4, 12, 8, 3] : [4, 12, 8];
        Assert.Equal(sharded ? shards : null, back.ArrayShards?.ToArray());
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(path, "zarr.json"))).RootElement;
        Assert.Equal(3, json.GetProperty("zarr_format").GetInt32());
        Assert.Equal(sharded ? "sharding_indexed" : "bytes", json.GetProperty("codecs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void AnOmeZarrOfChannels_OrdersItsAxesAsNgffSays_TimeChannelSpace_AndLabelsThem()
    {
        // NumPy's order puts CHANNEL last (z, y, x, c); NGFF wants t, c, z, y, x.
        using var plain = Volume(DataTypeId.UINT16, new VectorXu64(20, 12, 6));
        using var channels = ImageViewFactory.Stack([plain, plain, plain], ImageDimension.CHANNEL);   // 3 channels
        using var view = ImageViewFactory.Stack([channels, channels], ImageDimension.SEQUENCE);          // 2 time points
        var labels = view.Metadata.Add("ome", null).Add("channels", 3);
        labels.Add("0", null).Add("name", "DAPI");
        labels.Add("1", null).Add("name", "GFP \"bright\"");
        labels.Add("2", null);
        var path = _dir.File("channels.ome.zarr");
        ZarrArray.Write(view, path, new ZarrOptions { OmeZarr = true });
        var json = File.ReadAllText(Path.Combine(path, "zarr.json"));
        var names = System.Text.RegularExpressions.Regex.Matches(json, "\"name\": \"(\\w)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(["t", "c", "z", "y", "x"], names);
        using var back = ZarrArray.Open(path);
        // The channel names (an OME-TIFF's, say) become omero labels, which read back as the OME-Zarr's.
        Assert.Equal("DAPI", back.Metadata.Find("ome/omero/channels/0/label")?.Value);
        Assert.Equal("GFP \"bright\"", back.Metadata.Find("ome/omero/channels/1/label")?.Value);
        Assert.Null(back.Metadata.Find("ome/omero/channels/2/label"));
        Assert.Equal(view.AxesInterpretation, back.AxesInterpretation);
        Assert.Equal(view.Shape, back.Shape);
        Assert.Equal(All(view), All(back));
    }

    [Fact]
    public void ARegionOfAShardedArray_ReadsTheIndexOnce_AndDecodesOnlyTheInnerChunksItTouches()
    {
        using var source = Volume(DataTypeId.UINT16, new VectorXu64(64, 64, 64));
        var path = _dir.File("s.zarr");
        ZarrArray.Write(source, path, new ZarrOptions { Chunks = new VectorXu64(16, 16, 16), Shards = new VectorXu64(64, 64, 64) });
        Assert.Equal(["zarr.json", "c/0/0/0"], Files(path));
        using var view = ZarrArray.Open(path);
        var region = new RegionXu64(new VectorXu64(16, 32, 48), new VectorXu64(16, 16, 16));
        var got = new byte[region.ElementCount * 2];
        view.ReadRegion(region, got);
        Assert.Equal(1, view.ChunksDecoded);
        var expected = new byte[got.Length];
        source.ReadRegion(region, expected);
        Assert.Equal(expected, got);
        // A box across 2 x 2 x 2 inner chunks decodes those 8.
        region = new RegionXu64(new VectorXu64(10, 10, 10), new VectorXu64(10, 10, 10));
        got = new byte[region.ElementCount * 2];
        view.ReadRegion(region, got);
        Assert.Equal(1 + 8, view.ChunksDecoded);
    }

    [Fact]
    public void MissingInnerChunksAndShards_ReadAsTheFillValue()
    {
        var path = _dir.File("fill.zarr");
        Directory.CreateDirectory(path);
        // Shard c/0/0 holds inner chunk [1,0] only; shard c/1/0 is missing; the fill value is a float32 NaN with a payload.
        File.WriteAllText(Path.Combine(path, "zarr.json"), ShardedJson("float32", "\"0x7fc00001\"", [16, 4], [4, 2], [8, 4], "end", crc: true));
        var inner = new byte[4 * 2 * 4];
        MemoryMarshal.Cast<byte, float>(inner.AsSpan()).Fill(2.5f);
        WriteShard(path, "c/0/0", [null, null, inner, null], atStart: false, crc: true);
        using var view = ZarrArray.Open(path);
        Assert.Equal(new VectorXu64(16, 4), view.Shape);                       // rule 1: the array's own axis order
        var all = MemoryMarshal.Cast<byte, uint>(All(view).AsSpan()).ToArray(); // the view's first dimension fastest
        for (var row = 0; row < 16; row++)
        {
            for (var col = 0; col < 4; col++)
            {
                var expected = row is >= 4 and < 8 && col < 2 ? BitConverter.SingleToUInt32Bits(2.5f) : 0x7FC00001u;
                Assert.Equal(expected, all[row + (col * 16)]);
            }
        }
    }

    [Fact]
    public void DamagedShards_AreClearErrors_NamingTheShard()
    {
        var path = _dir.File("damaged.zarr");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "zarr.json"), ShardedJson("uint16", "0", [4, 4], [2, 2], [4, 4], "end", crc: true, innerCrc: true));
        var chunk = WithCrc(new byte[8]);
        var shard = WriteShard(path, "c/0/0", [chunk, chunk, chunk, chunk], atStart: false, crc: true);

        void Expect(byte[] bytes, string message)
        {
            File.WriteAllBytes(Path.Combine(path, "c", "0", "0"), bytes);
            using var view = ZarrArray.Open(path);
            var ex = Assert.Throws<InvalidFileFormatException>(() => All(view));
            Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        }

        var badIndexCrc = shard.ToArray();
        badIndexCrc[^1] ^= 1;
        Expect(badIndexCrc, "shard 'c/0/0' cannot be read: its index its crc32c checksum does not match");
        Expect(shard[..10], "shard 'c/0/0' holds 10 bytes, fewer than its index of 68");
        var badChunkCrc = shard.ToArray();
        badChunkCrc[0] ^= 1;
        Expect(badChunkCrc, "chunk 'c/0/0[0,0]' cannot be read: its crc32c checksum does not match");
        var pastTheEnd = shard.ToArray();
        var entries = pastTheEnd.AsSpan(shard.Length - 68, 64);
        BinaryPrimitives.WriteUInt64LittleEndian(entries[16..], 1UL << 62);
        BinaryPrimitives.WriteUInt32LittleEndian(pastTheEnd.AsSpan(shard.Length - 4), Crc32C(entries));
        Expect(pastTheEnd, "places inner chunk 1 at bytes 4611686018427387904");
    }

    [Fact]
    public void PartialWritesIntoAShard_KeepItsOtherChunks_FromManyThreads()
    {
        using var source = Volume(DataTypeId.INT32, new VectorXu64(16, 16, 1));
        var path = _dir.File("rmw.zarr");
        ZarrArray.Write(source, path, new ZarrOptions { Chunks = new VectorXu64(4, 4, 1), Shards = new VectorXu64(16, 16, 1) });
        var expected = All(source);
        using (var view = ZarrArray.Open(path, writable: true))
        {
            // Sixteen writers, each into its own inner chunk of the one shard, at once.
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var region = new RegionXu64(new VectorXu64((ulong)(i % 4 * 4) + 1, (ulong)(i / 4 * 4) + 1, 0), new VectorXu64(2, 2, 1));
                var values = Enumerable.Repeat(-i - 1, 4).ToArray();
                view.WriteRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));
            });
        }

        var ints = MemoryMarshal.Cast<byte, int>(expected.AsSpan());
        for (var i = 0; i < 16; i++)
        {
            for (var y = 1; y < 3; y++)
            {
                for (var x = 1; x < 3; x++)
                {
                    ints[(((i / 4 * 4) + y) * 16) + (i % 4 * 4) + x] = -i - 1;
                }
            }
        }

        using var back = ZarrArray.Open(path);
        Assert.Equal(expected, All(back));
        Assert.Equal(["zarr.json", "c/0/0/0"], Files(path));
    }

    [Theory]
    [InlineData("""{"zarr_format": 3}""", "has no 'node_type'")]
    [InlineData("""{"zarr_format": 3, "node_type": "table"}""", "node_type \"table\"")]
    [InlineData("""{"zarr_format": 4, "node_type": "array"}""", "zarr_format 4, not 3")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "r16", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}]}""", "data_type \"r16\" cannot be read")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}]}""", "'chunk_shape' has 2 lengths")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "hashed"}, "fill_value": 0, "codecs": [{"name": "bytes"}]}""", "chunk key encoding 'hashed'")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 300, "codecs": [{"name": "bytes"}]}""", "fill_value 300 cannot be read")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "float32", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": "0x7fc0", "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}""", "\"0x\" and 8 hex digits")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint16", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}]}""", "must say its endian")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "gzip"}, {"name": "bytes"}]}""", "comes before the bytes codec")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}, {"name": "bytes"}]}""", "two array-to-bytes codecs")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4, 4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "transpose", "configuration": {"order": [0, 0]}}, {"name": "bytes"}]}""", "not a permutation")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [3], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}]}}]}""", "do not divide the shards")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [2], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}, {"name": "zstd"}]}}]}""", "shard index codecs are bytes, zstd")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [2], "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [1], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}]}}], "index_codecs": [{"name": "bytes"}]}}]}""", "shards inside shards")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [2], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}]}}, {"name": "gzip"}]}""", "codecs around the sharding codec (gzip)")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [16777216, 2], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [16777216, 2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [1, 1], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}]}}]}""", "at most 2^24 inner chunks")]
    [InlineData("""{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "uint8", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}}, "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}], "dimension_names": ["x", "y"]}""", "'dimension_names' must list 1 names")]
    public void BadMetadata_IsAnInvalidFileFormatException_SayingWhatIsWrong(string json, string message)
    {
        var path = _dir.File("bad" + Guid.NewGuid().ToString("N")[..8] + ".zarr");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "zarr.json"), json);
        var ex = Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(path));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionsAreRefused_UnlessTheySayTheyMayBeIgnored_AndTransformersAlways()
    {
        var good = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ShardedJson("uint8", "0", [4], [2], [4], "end", crc: false))!;
        var path = _dir.File("ext.zarr");
        Directory.CreateDirectory(path);

        void With(string name, string value)
        {
            var doc = new Dictionary<string, JsonElement>(good) { [name] = JsonDocument.Parse(value).RootElement };
            File.WriteAllText(Path.Combine(path, "zarr.json"), JsonSerializer.Serialize(doc));
        }

        With("my_extension", """{"must_understand": false, "anything": 1}""");
        using (ZarrArray.Open(path))
        {
        }

        With("my_extension", """{"must_understand": true}""");
        Assert.Contains("the extension 'my_extension'", Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(path)).Message, StringComparison.Ordinal);
        With("storage_transformers", """[{"name": "chunk-manifest-json"}]""");
        Assert.Contains("storage transformers chunk-manifest-json", Assert.Throws<InvalidFileFormatException>(() => ZarrArray.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteOptions_ThatDoNotFit_AreArgumentExceptions_BeforeAnythingIsWritten()
    {
        using var source = Volume(DataTypeId.UINT8, new VectorXu64(8, 8, 8));
        var path = _dir.File("refused.zarr");
        Assert.Contains("multiple of the chunk length", Assert.Throws<ArgumentException>(() =>
            ZarrArray.Write(source, path, new ZarrOptions { Chunks = new VectorXu64(4, 4, 4), Shards = new VectorXu64(6, 4, 4) })).Message, StringComparison.Ordinal);
        Assert.Contains("Shards are a Zarr v3 codec", Assert.Throws<ArgumentException>(() =>
            ZarrArray.Write(source, path, new ZarrOptions { Format = ZarrFormat.V2, Shards = new VectorXu64(8, 8, 8) })).Message, StringComparison.Ordinal);
        Assert.Contains("no Zarr v3 form", Assert.Throws<ArgumentException>(() =>
            ZarrArray.Write(source, path, new ZarrOptions { Codec = ZarrCodec.Zlib })).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void AWriteOverAV3Group_IsRefused_AndOverAV3Array_ReplacesIt()
    {
        using var source = Volume(DataTypeId.UINT8, new VectorXu64(4, 4, 4));
        var group = _dir.File("g.zarr");
        Directory.CreateDirectory(Path.Combine(group, "member"));
        File.WriteAllText(Path.Combine(group, "zarr.json"), """{"zarr_format": 3, "node_type": "group", "attributes": {}}""");
        ZarrArray.Write(source, Path.Combine(group, "member"));
        Assert.Contains("is a Zarr group", Assert.Throws<IOException>(() => ZarrArray.Write(source, group)).Message, StringComparison.Ordinal);
        Assert.Contains("holds the array", Assert.Throws<ArgumentException>(() => ZarrArray.Open(group)).Message, StringComparison.Ordinal);
        var array = Path.Combine(group, "member");
        ZarrArray.Write(source, array, new ZarrOptions { Shards = new VectorXu64(4, 4, 4), Chunks = new VectorXu64(2, 2, 2) });
        using var back = ZarrArray.Open(array);
        Assert.NotNull(back.ArrayShards);
        Assert.Equal(["zarr.json", "c/0/0/0"], Files(array));
    }

    private static string[] Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .OrderBy(f => f.Contains('/', StringComparison.Ordinal)).ThenBy(f => f, StringComparer.Ordinal).ToArray();

    private static string ShardedJson(string type, string fill, long[] shape, long[] inner, long[] shard, string location, bool crc, bool innerCrc = false) =>
        $$$"""
        {"zarr_format": 3, "node_type": "array", "shape": [{{{string.Join(", ", shape)}}}], "data_type": "{{{type}}}",
         "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [{{{string.Join(", ", shard)}}}]}},
         "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}}, "fill_value": {{{fill}}},
         "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [{{{string.Join(", ", inner)}}}],
           "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}{{{(innerCrc ? ", {\"name\": \"crc32c\"}" : "")}}}],
           "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}{{{(crc ? ", {\"name\": \"crc32c\"}" : "")}}}],
           "index_location": "{{{location}}}"}}],
         "attributes": {}}
        """;

    /// <summary>Writes a shard of <paramref name="chunks"/> (null: missing) by the spec's layout, independently of IOLink's writer.</summary>
    private static byte[] WriteShard(string array, string key, byte[]?[] chunks, bool atStart, bool crc)
    {
        var indexBytes = (chunks.Length * 16) + (crc ? 4 : 0);
        var index = new byte[indexBytes];
        var body = new List<byte>();
        for (var i = 0; i < chunks.Length; i++)
        {
            var (offset, length) = chunks[i] is { } c ? ((ulong)((atStart ? indexBytes : 0) + body.Count), (ulong)c.Length) : (ulong.MaxValue, ulong.MaxValue);
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan(i * 16), offset);
            BinaryPrimitives.WriteUInt64LittleEndian(index.AsSpan((i * 16) + 8), length);
            body.AddRange(chunks[i] ?? []);
        }

        if (crc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(chunks.Length * 16), Crc32C(index.AsSpan(0, chunks.Length * 16)));
        }

        var shard = atStart ? [.. index, .. body] : body.Concat(index).ToArray();
        var file = Path.Combine(array, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, shard);
        return shard;
    }

    private static byte[] WithCrc(byte[] data)
    {
        var result = new byte[data.Length + 4];
        data.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(data.Length), Crc32C(data));
        return result;
    }

    /// <summary>CRC-32C bit by bit, as the Castagnoli polynomial defines it: an oracle independent of IOLink's.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
