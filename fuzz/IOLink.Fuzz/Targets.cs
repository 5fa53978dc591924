using System.Text;

namespace IOLink.Fuzz;

/// <summary>
/// The fuzz targets: each takes arbitrary bytes, drives one parser or adapter with them, and lets through only the
/// exceptions that part documents for bad input. Anything else escaping (or a crash, or a hang) is a finding. The
/// checked-in corpus under fuzz/corpus/TARGET is replayed through the same functions as ordinary tests.
/// </summary>
public static class Targets
{
    /// <summary>The targets by name, as <c>./build.sh fuzz TARGET</c> takes them.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["npy-header"] = NpyHeaderBytes,
        ["npy-read"] = NpyReadBytes,
        ["streams"] = StreamScript,
        ["cli"] = CliArguments,
        ["zarr-metadata"] = ZarrMetadataBytes,
        ["zarr-chunk"] = ZarrChunkBytes,
        ["dlpack"] = HostileTargets.DLPackTensor,
        ["zarr-links"] = HostileTargets.ZarrLinks,
        ["zarr3-metadata"] = Zarr3MetadataBytes,
        ["zarr-shard"] = ZarrShardBytes,
        ["tiff"] = TiffBytes,
        ["hdf5"] = Hdf5Bytes,
    };

    private static readonly string[] ChunkCodecs =
    [
        "null",
        "{\"id\": \"zlib\", \"level\": 1}",
        "{\"id\": \"gzip\", \"level\": 1}",
        "{\"id\": \"zstd\", \"level\": 1}",
        "{\"blocksize\": 0, \"clevel\": 5, \"cname\": \"lz4\", \"id\": \"blosc\", \"shuffle\": 1}",
    ];

    /// <summary>A Zarr array's .zarray document: only InvalidFileFormatException may come out.</summary>
    public static void ZarrMetadataBytes(byte[] data)
    {
        try
        {
            var metadata = Zarr.Internal.ZarrMetadata.ParseV2(data, "fuzz");
            _ = metadata.ToJson();
            // What a parsed document describes must also be a valid chunked array (grid, pipeline, fill value).
            var array = metadata.InStore(new IOLink.Storage.MemoryStore("fuzz"), "fuzz", cache: null);
            _ = array.DecodedByteStridesOf(new long[array.Grid.Rank]);
            array.Close();
        }
        catch (InvalidFileFormatException)
        {
        }
    }

    /// <summary>A whole TIFF file, described, opened (mapped or not, each image, each level) and read when small: only InvalidFileFormatException may come out.</summary>
    public static void TiffBytes(byte[] data)
    {
        var path = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-{Environment.ProcessId}.tif");
        File.WriteAllBytes(path, data);
        try
        {
            _ = Tiff.TiffFile.Describe(path);
            foreach (var open in new Func<string, ImageView>[] { Tiff.TiffFile.Open, Tiff.TiffFile.OpenChunked })
            {
                using var view = open(path);
                if (view.ByteCount <= 1 << 22)
                {
                    view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), new byte[view.ByteCount]);
                }
            }

            using (var series = Tiff.TiffFile.OpenSeries(path))
            {
                for (var i = 0; i < series.Count; i++)
                {
                    using var frame = series.At(i);
                    if (frame.ByteCount <= 1 << 20)
                    {
                        frame.ReadRegion(RegionXu64.CreateFullRegion(frame.Shape), new byte[frame.ByteCount]);
                    }
                }
            }

            using var levels = Tiff.TiffFile.OpenLod(path);
            using var coarsest = levels.Resolution(levels.LevelRange().Coarsest);
            if (coarsest.ByteCount <= 1 << 20)
            {
                coarsest.ReadRegion(RegionXu64.CreateFullRegion(coarsest.Shape), new byte[coarsest.ByteCount]);
            }
        }
        catch (InvalidFileFormatException)
        {
        }
        catch (ArgumentException ex) when (ex.Message.Contains("empty", StringComparison.Ordinal))
        {
            // An empty file cannot be mapped; RandomAccessFactory says so.
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A whole HDF5 file, described, and each dataset opened (mapped and chunked) and read when small: only
    /// InvalidFileFormatException (and ArgumentException for a file of several datasets opened unnamed) may come out.
    /// </summary>
    public static void Hdf5Bytes(byte[] data)
    {
        var path = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-{Environment.ProcessId}.h5");
        File.WriteAllBytes(path, data);
        try
        {
            foreach (var dataset in Hdf5.Hdf5File.Describe(path).Take(8))
            {
                foreach (var open in new Func<string, string?, ImageView>[] { Hdf5.Hdf5File.Open, Hdf5.Hdf5File.OpenChunked })
                {
                    try
                    {
                        using var view = open(path, dataset.Path);
                        if (view.ByteCount <= 1 << 22)
                        {
                            view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), new byte[view.ByteCount]);
                        }
                    }
                    catch (InvalidFileFormatException)
                    {
                    }
                }
            }
        }
        catch (InvalidFileFormatException)
        {
        }
        catch (ArgumentException ex) when (ex.Message.Contains("empty", StringComparison.Ordinal))
        {
            // An empty file cannot be mapped; RandomAccessFactory says so.
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A Zarr v3 array's zarr.json: only InvalidFileFormatException may come out.</summary>
    public static void Zarr3MetadataBytes(byte[] data)
    {
        try
        {
            var metadata = Zarr.Internal.ZarrV3.Parse(data, "fuzz");
            _ = Zarr.Internal.ZarrV3.ToJson(metadata);
            // What a parsed document describes must also be a valid chunked array (grid, pipeline, fill value, shards).
            var array = metadata.InStore(new IOLink.Storage.MemoryStore("fuzz"), "fuzz", cache: null);
            _ = array.DecodedByteStridesOf(new long[array.Grid.Rank]);
            array.Close();
        }
        catch (InvalidFileFormatException)
        {
        }
        catch (ArgumentException ex) when (ex.Message.Contains("no Zarr v3 form", StringComparison.Ordinal))
        {
        }
    }

    private static readonly string[] ShardIndexes =
    [
        "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}, {\"name\": \"crc32c\"}], \"index_location\": \"end\"",
        "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}], \"index_location\": \"start\"",
        "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"big\"}}, {\"name\": \"crc32c\"}], \"index_location\": \"start\"",
    ];

    private static readonly string[] InnerCodecs =
    [
        "",
        ", {\"name\": \"zstd\", \"configuration\": {\"level\": 1}}",
        ", {\"name\": \"gzip\", \"configuration\": {\"level\": 1}}, {\"name\": \"crc32c\"}",
    ];

    /// <summary>
    /// One shard file of an 8x6 UINT16 Zarr v3 array in one shard of 4x4 inner chunks, its index codecs and place
    /// and its inner codecs chosen by the first byte, read as a view and written into: only InvalidFileFormatException may come out.
    /// </summary>
    public static void ZarrShardBytes(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-{Environment.ProcessId}-v3.zarr");
        Directory.CreateDirectory(folder);
        try
        {
            var index = ShardIndexes[data[0] % ShardIndexes.Length];
            var inner = InnerCodecs[data[0] / ShardIndexes.Length % InnerCodecs.Length];
            File.WriteAllText(Path.Combine(folder, "zarr.json"), $$$"""
                {"zarr_format": 3, "node_type": "array", "shape": [8, 6], "data_type": "uint16",
                 "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [8, 8]}},
                 "chunk_key_encoding": {"name": "default"}, "fill_value": 7,
                 "codecs": [{"name": "sharding_indexed", "configuration": {"chunk_shape": [4, 4],
                   "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}{{{inner}}}], "index_codecs": {{{index}}}}}]}
                """);
            Directory.CreateDirectory(Path.Combine(folder, "c", "0"));
            File.WriteAllBytes(Path.Combine(folder, "c", "0", "0"), data.AsSpan(1).ToArray());
            using var view = Zarr.ZarrArray.Open(folder, writable: true);
            var bytes = new byte[view.ByteCount];
            try
            {
                view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
                view.WriteRegion(new RegionXu64(new VectorXu64(0, 0), new VectorXu64(2, 2)), new byte[8]);
            }
            catch (InvalidFileFormatException)
            {
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// One chunk file of an 8x8 big-endian UINT16 array with 4x4 chunks, its codec chosen by the first byte
    /// (none, zlib, gzip, zstd, blosc), read as a view: only InvalidFileFormatException may come out.
    /// </summary>
    public static void ZarrChunkBytes(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-{Environment.ProcessId}.zarr");
        Directory.CreateDirectory(folder);
        try
        {
            var codec = ChunkCodecs[data[0] % ChunkCodecs.Length];
            File.WriteAllText(Path.Combine(folder, ".zarray"),
                $"{{\"chunks\": [4, 4], \"compressor\": {codec}, \"dtype\": \">u2\", \"fill_value\": 7, \"filters\": null, \"order\": \"{(data[0] % 2 == 0 ? 'C' : 'F')}\", \"shape\": [8, 6], \"zarr_format\": 2}}");
            File.WriteAllBytes(Path.Combine(folder, "0.0"), data.AsSpan(1).ToArray());
            using var view = Zarr.ZarrArray.Open(folder);
            var bytes = new byte[view.ByteCount];
            try
            {
                view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
            }
            catch (InvalidFileFormatException)
            {
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A .npy header parsed from a stream: only InvalidFileFormatException may come out.</summary>
    public static void NpyHeaderBytes(byte[] data)
    {
        try
        {
            var header = NpyHeader.Read(new MemoryStream(data));
            _ = header.ToString();
            _ = header.DataType;
        }
        catch (InvalidFileFormatException)
        {
        }
    }

    /// <summary>A whole .npy file read into memory and mapped, plain and with an interpretation, then read back.</summary>
    public static void NpyReadBytes(byte[] data)
    {
        var path = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-{Environment.ProcessId}.npy");
        File.WriteAllBytes(path, data);
        try
        {
            foreach (var open in new Func<string, ImageView>[]
            {
                NpyFile.Read,
                p => NpyFile.OpenMapped(p),
                p => NpyFile.Read(p, ImageTypeId.VOLUME),
                p => NpyFile.OpenMapped(p, false, ImageDimension.ROW, ImageDimension.COLUMN),
            })
            {
                try
                {
                    using var view = open(path);
                    if (view.ByteCount <= 1 << 20)
                    {
                        var bytes = new byte[view.ByteCount];
                        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
                        using var copy = new MemoryStream();
                        NpyFile.Write(view, copy);
                    }
                }
                catch (Exception ex) when (ex is InvalidFileFormatException or ArgumentException or InsufficientMemoryException)
                {
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The bytes as a script of stream operations on an in-memory access and its Stream adapter (write, read,
    /// seek, set length, tell), so that positions and sizes reach every edge: only the documented exceptions may come out.
    /// </summary>
    public static void StreamScript(byte[] data)
    {
        using var access = data.Length > 0 && data[0] % 2 == 1 ? StreamAccessFactory.FromBuffer(new byte[64]) : StreamAccessFactory.Allocate();
        using var stream = access.AsStream();
        var buffer = new byte[256];
        for (var i = 1; i + 9 <= data.Length; i += 9)
        {
            var op = data[i] % 8;
            var value = Position(data[i], BitConverter.ToInt64(data, i + 1));
            var small = (int)((ulong)value % 257);
            try
            {
                switch (op)
                {
                    case 0: access.Write(buffer.AsSpan(0, small)); break;
                    case 1: access.Read(buffer.AsSpan(0, small)); break;
                    case 2: access.Seek(value, (SeekOrigin)(data[i] / 32 % 3)); break;
                    case 3: access.SetLength(value); break;
                    case 4: _ = access.Tell() + (access.IsEof ? 1 : 0); break;
                    case 5: stream.Write(buffer, 0, small); break;
                    case 6: _ = stream.Read(buffer, 0, small); break;
                    default: stream.Position = value; break;
                }
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or IOException or NotSupportedException)
            {
            }
        }
    }

    /// <summary>
    /// A position or length for the stream script: an edge (0, -1, 2^62, the largest and smallest long) or a value
    /// below 1 MiB. Values between would only make the in-memory stream allocate and zero gigabytes, which is
    /// slow, not wrong; the edges are where arithmetic can overflow.
    /// </summary>
    private static long Position(byte selector, long raw) => (selector / 8 % 4) switch
    {
        0 => raw switch { < 0 => long.MinValue, 0 => 0, _ => long.MaxValue },
        1 => raw % 2 == 0 ? 1L << 62 : -1,
        _ => raw % (1 << 20),
    };

    /// <summary>
    /// The bytes as the tool's arguments (one per line) for info, convert or slice, run in a scratch folder that
    /// holds one small .npy and one raw file. Every path is kept inside that folder. The tool must answer with an
    /// exit code (0, 1 or 2), never an exception.
    /// </summary>
    public static void CliArguments(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var args = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Confine).Take(16).ToArray();
        string[] commands = ["info", "convert", "slice"];
        if (args.Length == 0)
        {
            args = ["info"];
        }
        else if (!commands.Contains(args[0]))
        {
            // Only these three: 'python' would run code and 'demo' writes where it likes. Any other first word
            // picks one of them, so that every input reaches the tool.
            args[0] = commands[args[0].Sum(c => c) % 3];
        }

        var folder = Path.Combine(Path.GetTempPath(), $"iolink-fuzz-cli-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            Seed(folder);
            var code = IOLink.Cli.Cli.Run(args, TextWriter.Null, TextWriter.Null);
            if (code is not (0 or 1 or 2))
            {
                throw new InvalidOperationException($"iolink exited {code}");
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Keeps an argument from naming anything outside the scratch folder.</summary>
    private static string Confine(string arg) => arg.Replace('/', '_').Replace('\\', '_').Replace("..", "_", StringComparison.Ordinal).Trim('\0');

    private static void Seed(string folder)
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(6, 4, 3), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        NpyFile.Write(view, Path.Combine(folder, "in.npy"));
        File.WriteAllBytes(Path.Combine(folder, "in.raw"), new byte[144]);
    }
}
