using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IOLink.Chunked;
using ZstdSharp;

namespace IOLink.Zarr.Internal;

/// <summary>
/// A Zarr v2 <c>compressor</c> (a numcodecs codec) as the bytes-to-bytes codec of the array's pipeline, with the JSON
/// numcodecs writes for it: zlib and gzip through the core's <see cref="DeflateCodec"/>, zstd through the system's
/// libzstd or ZstdSharp, blosc through the c-blosc library. Decoding fills a buffer of the chunk's exact size and
/// refuses data that decodes to any other size.
/// </summary>
internal sealed class ZarrCompressor(BytesToBytesCodec codec, string json, Func<int, string>? v3Json = null)
{
    /// <summary>The codec of the array's pipeline.</summary>
    public BytesToBytesCodec Codec => codec;

    /// <summary>How <c>iolink info</c> names it, such as <c>blosc (lz4, level 5, byte shuffle)</c>.</summary>
    public string Description => codec.Description;

    /// <summary>The codec's JSON object, as numcodecs writes it.</summary>
    public string Json => json;

    /// <summary>The codec's Zarr v3 JSON object for items of <paramref name="itemSize"/> bytes, as zarr-python 3 writes it.</summary>
    /// <exception cref="ArgumentException">The codec has no Zarr v3 form (zlib: use gzip).</exception>
    public string V3Json(int itemSize) => v3Json?.Invoke(itemSize)
        ?? throw new ArgumentException($"The codec {codec.Name} is a Zarr v2 (numcodecs) codec with no Zarr v3 form; write v3 arrays with gzip, zstd or blosc.");

    /// <summary>Reads a Zarr v3 bytes-to-bytes codec other than crc32c (<c>gzip</c>, <c>zstd</c>, <c>blosc</c>) from its configuration; null when the name is none of those.</summary>
    /// <exception cref="InvalidFileFormatException">The configuration is not valid.</exception>
    public static ZarrCompressor? ParseV3(string name, JsonElement configuration, string where) => name switch
    {
        "gzip" => Deflate(gzip: true, Level(configuration, "level", 1, 0, 9, where)),
        "zstd" => Zstandard(Level(configuration, "level", 0, -131072, 22, where)),
        "blosc" => Blosc.FromV3Json(configuration, where),
        _ => null,
    };

    private static byte[] Rent(int length) => ArrayPool<byte>.Shared.Rent(length);

    /// <summary>Reads the <c>compressor</c> member: null for none.</summary>
    /// <exception cref="InvalidFileFormatException">The codec is unknown or its settings are not valid.</exception>
    public static ZarrCompressor? Parse(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidFileFormatException($"{where}: 'compressor' must be null or an object with an \"id\", not {element.GetRawText()}.");
        }

        var id = idElement.GetString();
        return id switch
        {
            "zlib" => Deflate(gzip: false, Level(element, "level", 1, 0, 9, where)),
            "gzip" => Deflate(gzip: true, Level(element, "level", 1, 0, 9, where)),
            "zstd" => Zstandard(Level(element, "level", 1, -131072, 22, where)),
            "blosc" => Blosc.FromJson(element, where),
            _ => throw new InvalidFileFormatException(
                $"{where}: the compressor '{id}' is not one IOLink reads (it reads blosc, zstd, zlib, gzip and uncompressed arrays); "
                + "recompress the array with one of those, for example in zarr-python with compressor=numcodecs.Zstd()."),
        };
    }

    /// <summary>Makes the compressor for a new array.</summary>
    public static ZarrCompressor? Create(ZarrCodec codec, int? level) => codec switch
    {
        ZarrCodec.None => null,
        ZarrCodec.Zlib => Deflate(gzip: false, level ?? 1),
        ZarrCodec.Gzip => Deflate(gzip: true, level ?? 1),
        ZarrCodec.Zstd => Zstandard(level ?? 1),
        ZarrCodec.BloscLz4 => Blosc.Create("lz4", level ?? 5, 1, 0),
        ZarrCodec.BloscZstd => Blosc.Create("zstd", level ?? 3, 1, 0),
        ZarrCodec.BloscZlib => Blosc.Create("zlib", level ?? 5, 1, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Use one of the ZarrCodec values."),
    };

    private static ZarrCompressor Deflate(bool gzip, int level)
    {
        var codec = new DeflateCodec(gzip, level);
        var text = level.ToString(CultureInfo.InvariantCulture);
        return new(codec, $"{{\"id\": \"{codec.Name}\", \"level\": {text}}}",
            gzip ? _ => $"{{\"name\": \"gzip\", \"configuration\": {{\"level\": {text}}}}}" : null);
    }

    private static ZarrCompressor Zstandard(int level)
    {
        var text = level.ToString(CultureInfo.InvariantCulture);
        return new(new Zstd(level), $"{{\"id\": \"zstd\", \"level\": {text}}}",
            _ => $"{{\"name\": \"zstd\", \"configuration\": {{\"level\": {text}, \"checksum\": false}}}}");
    }

    private static int Level(JsonElement codec, string name, int fallback, int min, int max, string where)
    {
        if (codec.ValueKind != JsonValueKind.Object || !codec.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var level) || level < min || level > max)
        {
            throw new InvalidFileFormatException($"{where}: the compressor's '{name}' {value.GetRawText()} is not an integer from {min} to {max}.");
        }

        return level;
    }

    /// <summary>Zstandard frames (numcodecs' Zstd), through the managed ZstdSharp port.</summary>
    private sealed class Zstd(int level) : BytesToBytesCodec
    {
        [ThreadStatic]
        private static Decompressor? t_decompressor;

        public override string Name => "zstd";

        public override string Description => $"zstd (level {level})";

        public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
        {
            if (NativeZstd.Default is { } native)
            {
                native.Decompress(encoded, decoded);
                return;
            }

            var decompressor = t_decompressor ??= new Decompressor();
            int n;
            try
            {
                var size = Decompressor.GetDecompressedSize(encoded);
                if (size != 0 && size != (ulong)decoded.Length)
                {
                    throw new InvalidDataException($"it decompresses to {size} bytes instead of {decoded.Length}");
                }

                n = decompressor.Unwrap(encoded, decoded);
            }
            catch (ZstdException ex)
            {
                throw new InvalidDataException($"it is not valid zstd data, or decompresses to more than the chunk's {decoded.Length} bytes ({ex.Message.TrimEnd('.')})", ex);
            }

            if (n != decoded.Length)
            {
                throw new InvalidDataException($"it decompresses to {n} bytes instead of {decoded.Length}");
            }
        }

        public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
        {
            if (NativeZstd.Default is { } native)
            {
                return native.Compress(data, level, Rent, out output);
            }

            using var compressor = new Compressor(level);
            output = Rent(Compressor.GetCompressBound(data.Length));
            return compressor.Wrap(data, output);
        }
    }

    /// <summary>Blosc (zarr-python's default): an inner compressor after a byte or bit shuffle.</summary>
    private sealed class Blosc(string cname, int level, int shuffle, int blockSize) : BytesToBytesCodec
    {
        private static readonly string[] Names = ["lz4", "lz4hc", "blosclz", "zstd", "zlib", "snappy"];

        public override string Description =>
            $"blosc ({cname}, level {level}, {shuffle switch { 0 => "no shuffle", 1 => "byte shuffle", 2 => "bit shuffle", _ => "automatic shuffle" }})";

        public override string Name => "blosc";

        private static readonly string[] ShuffleNames = ["noshuffle", "shuffle", "bitshuffle"];

        public static ZarrCompressor Create(string cname, int level, int shuffle, int blockSize) =>
            new(new Blosc(cname, level, shuffle, blockSize), string.Create(CultureInfo.InvariantCulture,
                $"{{\"blocksize\": {blockSize}, \"clevel\": {level}, \"cname\": \"{cname}\", \"id\": \"blosc\", \"shuffle\": {shuffle}}}"),
                itemSize => string.Create(CultureInfo.InvariantCulture,
                    $"{{\"name\": \"blosc\", \"configuration\": {{\"typesize\": {itemSize}, \"cname\": \"{cname}\", \"clevel\": {level}, \"shuffle\": \"{ShuffleNames[shuffle == -1 ? (itemSize == 1 ? 2 : 1) : shuffle]}\", \"blocksize\": {blockSize}}}}}"));

        /// <summary>Zarr v3's blosc configuration: the shuffle is named ("noshuffle", "shuffle", "bitshuffle").</summary>
        public static ZarrCompressor FromV3Json(JsonElement element, string where)
        {
            var cname = "lz4";
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("cname", out var name))
            {
                cname = name.ValueKind == JsonValueKind.String && Array.IndexOf(Names, name.GetString()) >= 0 ? name.GetString()!
                    : throw new InvalidFileFormatException($"{where}: the blosc codec's cname {name.GetRawText()} is not one of {string.Join(", ", Names)}.");
            }

            var shuffle = 1;
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("shuffle", out var s))
            {
                shuffle = s.ValueKind == JsonValueKind.String ? Array.IndexOf(ShuffleNames, s.GetString()) : -2;
                if (shuffle < 0)
                {
                    throw new InvalidFileFormatException($"{where}: the blosc codec's shuffle {s.GetRawText()} is not one of {string.Join(", ", ShuffleNames)}.");
                }
            }

            return Create(cname, Level(element, "clevel", 5, 0, 9, where), shuffle, Level(element, "blocksize", 0, 0, int.MaxValue, where));
        }

        public static ZarrCompressor FromJson(JsonElement element, string where)
        {
            var cname = "lz4";
            if (element.TryGetProperty("cname", out var name))
            {
                cname = name.ValueKind == JsonValueKind.String && Array.IndexOf(Names, name.GetString()) >= 0 ? name.GetString()!
                    : throw new InvalidFileFormatException($"{where}: the blosc compressor's cname {name.GetRawText()} is not one of {string.Join(", ", Names)}.");
            }

            return Create(cname, Level(element, "clevel", 5, 0, 9, where), Level(element, "shuffle", 1, -1, 2, where),
                Level(element, "blocksize", 0, 0, int.MaxValue, where));
        }

        public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded) => BloscLibrary.Default.Decompress(encoded, decoded);

        public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
        {
            // numcodecs' AUTOSHUFFLE: bit shuffle for 1-byte items, byte shuffle otherwise.
            var resolved = shuffle == -1 ? (itemSize == 1 ? 2 : 1) : shuffle;
            output = Rent(data.Length + BloscLibrary.MaxOverhead);
            return BloscLibrary.Default.Compress(data, cname, level, resolved, itemSize, blockSize, output);
        }
    }
}
