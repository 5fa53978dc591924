using System.Globalization;
using System.Text;
using System.Text.Json;
using IOLink.Chunked;
using IOLink.Storage;

namespace IOLink.Zarr.Internal;

/// <summary>
/// A Zarr v2 array's <c>.zarray</c>: shape and chunks in the array's axis order, dtype, fill value, chunk order,
/// compressor and key separator, each checked so that nothing later can overflow or read past a buffer.
/// </summary>
internal sealed class ZarrMetadata
{
    /// <summary>The largest decoded chunk: chunks are decoded into single buffers.</summary>
    public const long MaxChunkBytes = int.MaxValue - 64;

    public ZarrMetadata(long[] shape, long[] chunks, ZarrDtype dtype, byte[] fill, bool fortranOrder, ZarrCompressor? compressor, char separator)
    {
        Format = 2;
        Shape = shape;
        Chunks = chunks;
        Dtype = dtype;
        Fill = fill;
        FortranOrder = fortranOrder;
        Compressor = compressor;
        Separator = separator;
        Grid = ChunkGrid.Regular(shape, chunks);
        Keys = ChunkKeyEncoding.V2(separator);
        ChunkPipeline = new CodecPipeline(
            new BytesCodec(Dtype.Order),
            Compressor is { } c ? [c.Codec] : null,
            FortranOrder ? [TransposeCodec.Fortran(Shape.Length)] : null);
    }

    /// <summary>A Zarr v3 array: its chunks (shards, when <paramref name="shards"/> is given) named by <paramref name="keys"/>, encoded by <paramref name="pipeline"/> (the inner chunks', when sharded).</summary>
    public ZarrMetadata(long[] shape, long[] chunks, ZarrDtype dtype, byte[] fill, ChunkKeyEncoding keys, CodecPipeline pipeline, ShardLayout? shards,
        string?[]? dimensionNames, string attributes, ZarrCompressor? compressor = null)
    {
        Format = 3;
        Shape = shape;
        Chunks = chunks;
        Dtype = dtype;
        Fill = fill;
        Keys = keys;
        ChunkPipeline = pipeline;
        Shards = shards;
        DimensionNames = dimensionNames;
        Attributes = attributes;
        Compressor = compressor;
        Separator = keys.Separator;
        Grid = ChunkGrid.Regular(shape, chunks);
    }

    /// <summary>2 or 3.</summary>
    public int Format { get; }

    /// <summary>How the stored objects (chunks, or shards) are named.</summary>
    public ChunkKeyEncoding Keys { get; }

    /// <summary>How a chunk the array is read by is encoded (an inner chunk's, when sharded).</summary>
    public CodecPipeline ChunkPipeline { get; }

    /// <summary>The shards' layout, or null when each chunk is stored alone.</summary>
    public ShardLayout? Shards { get; }

    /// <summary>A v3 array's <c>dimension_names</c>, or null.</summary>
    public string?[]? DimensionNames { get; }

    /// <summary>A v3 array's <c>attributes</c> object, as JSON text.</summary>
    public string Attributes { get; } = "{}";

    /// <summary>The lengths of the chunks the array is read by: the inner chunks when sharded.</summary>
    public long[] ReadChunks => Shards?.InnerChunks ?? Chunks;

    /// <summary>The compression of a chunk as <c>iolink info</c> shows it, such as <c>zstd (level 1)</c>, or <c>none</c>.</summary>
    public string CodecDescription => ChunkPipeline.Description;

    /// <summary>The array's lengths, in its axis order.</summary>
    public long[] Shape { get; }

    /// <summary>The lengths of the stored objects (chunks, or shards when sharded), in the array's axis order.</summary>
    public long[] Chunks { get; }

    /// <summary>The chunk grid (whose chunk count and chunk size saturate rather than overflow).</summary>
    public RegularChunkGrid Grid { get; }

    public ZarrDtype Dtype { get; }

    /// <summary>One item holding the fill value, in this machine's byte order.</summary>
    public byte[] Fill { get; }

    /// <summary>Whether items within a chunk are in Fortran order (<c>"order": "F"</c>).</summary>
    public bool FortranOrder { get; }

    public ZarrCompressor? Compressor { get; }

    /// <summary>The dimension separator of chunk keys: '.' (flat) or '/' (nested folders).</summary>
    public char Separator { get; }

    /// <summary>The number of items in one (full) chunk the array is read by.</summary>
    public long ChunkElements => ReadGrid.MaxChunkElements;

    /// <summary>How many chunks (inner chunks, when sharded) the array has, stored or not.</summary>
    public long ChunkCount => ReadGrid.ChunkCount;

    /// <summary>The grid of the chunks the array is read by (the inner chunks when sharded).</summary>
    public RegularChunkGrid ReadGrid => Shards is null ? Grid : ChunkGrid.Regular(Shape, Shards.InnerChunks);

    /// <summary>The array as chunks in <paramref name="store"/> (its keys below the store's root), named <paramref name="name"/> in messages.</summary>
    public ChunkedArray InStore(KeyValueStore store, string name, ChunkCache? cache)
    {
        if (Shards is null)
        {
            return new(store, Grid, Keys, ChunkPipeline, Dtype.ItemType, Fill, cache, ownsStore: true, name: name);
        }

        var inner = new ShardedStore(store, Shards, name, ownsShards: true);
        return new(inner, ReadGrid, new ShardKeyEncoding(Keys, Shards.ChunksPerShard), ChunkPipeline, Dtype.ItemType, Fill, cache, ownsStore: true, name: name);
    }

    /// <summary>Reads and checks a <c>.zarray</c> document; <paramref name="where"/> names the array in messages.</summary>
    /// <exception cref="InvalidFileFormatException">The document is not valid JSON, or not valid Zarr v2 array metadata that IOLink reads.</exception>
    public static ZarrMetadata ParseV2(ReadOnlySpan<byte> json, string where) =>
        ZarrJson.Read(json, 32, $"{where}: .zarray", root => Parse(root, where));

    private static ZarrMetadata Parse(JsonElement root, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFileFormatException($"{where}: .zarray must hold a JSON object.");
        }

        var format = Member(root, "zarr_format", where);
        if (format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out var version) || version != 2)
        {
            throw new InvalidFileFormatException($"{where}: zarr_format {format.GetRawText()} is not 2; IOLink reads Zarr v2 arrays.");
        }

        var shape = Lengths(Member(root, "shape", where), "shape", where, minimum: 0);
        var chunks = Lengths(Member(root, "chunks", where), "chunks", where, minimum: 1);
        if (shape.Length == 0)
        {
            throw new InvalidFileFormatException($"{where} is a 0-d array (a single value); a view needs at least one dimension.");
        }

        if (chunks.Length != shape.Length)
        {
            throw new InvalidFileFormatException($"{where}: 'chunks' has {chunks.Length} lengths for a shape of {shape.Length}.");
        }

        if (shape.Length > ImageView.MaxDimensionCount)
        {
            throw new InvalidFileFormatException($"{where} has {shape.Length} dimensions; IOLink views have at most {ImageView.MaxDimensionCount}.");
        }

        if (Array.IndexOf(shape, 0L) >= 0)
        {
            throw new InvalidFileFormatException($"{where} is empty (shape {TupleText(shape)}); a view needs at least one element.");
        }

        var dtype = ZarrDtype.Parse(Member(root, "dtype", where), where);
        CheckProduct(shape, dtype.ItemSize, long.MaxValue, $"{where}: the shape {TupleText(shape)} holds more bytes than a 64-bit size can count.");
        CheckProduct(chunks, dtype.ItemSize, MaxChunkBytes, $"{where}: a chunk of {TupleText(chunks)} items is larger than 2 GiB; IOLink decodes each chunk into one buffer.");

        var order = Member(root, "order", where);
        if (order.ValueKind != JsonValueKind.String || order.GetString() is not ("C" or "F"))
        {
            throw new InvalidFileFormatException($"{where}: 'order' must be \"C\" or \"F\", not {order.GetRawText()}.");
        }

        if (root.TryGetProperty("filters", out var filters) && filters.ValueKind != JsonValueKind.Null
            && !(filters.ValueKind == JsonValueKind.Array && filters.GetArrayLength() == 0))
        {
            var ids = filters.ValueKind == JsonValueKind.Array
                ? string.Join(", ", filters.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out var id) ? id.ToString() : f.GetRawText()))
                : filters.GetRawText();
            throw new InvalidFileFormatException(
                $"{where} uses the filters {ids}, which IOLink does not apply; rewrite the array without filters (filters=None in zarr-python).");
        }

        var separator = '.';
        if (root.TryGetProperty("dimension_separator", out var sep) && sep.ValueKind != JsonValueKind.Null)
        {
            separator = sep.ValueKind == JsonValueKind.String && sep.GetString() is "." or "/" ? sep.GetString()![0]
                : throw new InvalidFileFormatException($"{where}: 'dimension_separator' must be \".\" or \"/\", not {sep.GetRawText()}.");
        }

        var compressor = ZarrCompressor.Parse(Member(root, "compressor", where), where);
        var fill = dtype.FillBytes(Member(root, "fill_value", where), where);
        return new ZarrMetadata(shape, chunks, dtype, fill, order.GetString() == "F", compressor, separator);
    }

    /// <summary>The <c>.zarray</c> document of this array, formatted as zarr-python writes it.</summary>
    public string ToJson()
    {
        var inv = CultureInfo.InvariantCulture;
        var json = new StringBuilder();
        json.Append("{\n");
        json.Append(inv, $"    \"chunks\": [{string.Join(", ", Chunks)}],\n");
        json.Append(inv, $"    \"compressor\": {Compressor?.Json ?? "null"},\n");
        json.Append(inv, $"    \"dimension_separator\": \"{Separator}\",\n");
        json.Append(inv, $"    \"dtype\": \"{Dtype.Text}\",\n");
        json.Append(inv, $"    \"fill_value\": {Dtype.FillJson(Fill)},\n");
        json.Append("    \"filters\": null,\n");
        json.Append(inv, $"    \"order\": \"{(FortranOrder ? 'F' : 'C')}\",\n");
        json.Append(inv, $"    \"shape\": [{string.Join(", ", Shape)}],\n");
        json.Append("    \"zarr_format\": 2\n}\n");
        return json.ToString();
    }

    internal static JsonElement Member(JsonElement root, string name, string where) =>
        root.TryGetProperty(name, out var value) ? value
            : throw new InvalidFileFormatException($"{where}: .zarray has no '{name}'; it is not Zarr v2 array metadata.");

    internal static long[] Lengths(JsonElement element, string name, string where, long minimum)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidFileFormatException($"{where}: '{name}' must be a list of integers, not {element.GetRawText()}.");
        }

        var result = new long[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < minimum)
            {
                throw new InvalidFileFormatException(
                    $"{where}: '{name}' holds {item.GetRawText()}; each length must be an integer of at least {minimum}.");
            }

            result[i++] = value;
        }

        return result;
    }

    /// <summary>A shape as Python prints a tuple: "(3, 4)", "(5,)".</summary>
    internal static string TupleText(long[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    internal static void CheckProduct(long[] lengths, long itemSize, long limit, string message)
    {
        var product = itemSize;
        foreach (var n in lengths)
        {
            if (product > limit / n)
            {
                throw new InvalidFileFormatException(message);
            }

            product *= n;
        }
    }
}
