using System.Globalization;
using System.Text;
using System.Text.Json;
using IOLink.Chunked;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Zarr v3 metadata (<c>zarr.json</c>): array metadata read into a <see cref="ZarrMetadata"/> (shape, data type,
/// regular chunk grid, chunk key encoding, fill value, codecs with sharding, dimension names, attributes), each field
/// checked so that nothing later can overflow or read past a buffer, and written as zarr-python 3 writes it.
/// </summary>
internal static class ZarrV3
{
    /// <summary>The members an array's zarr.json may hold; any other must be an extension that need not be understood.</summary>
    private static readonly HashSet<string> ArrayMembers = new(StringComparer.Ordinal)
    {
        "zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs",
        "attributes", "dimension_names", "storage_transformers",
    };

    /// <summary>What a <c>zarr.json</c> describes: "array" or "group".</summary>
    /// <exception cref="InvalidFileFormatException">The document is not Zarr v3 metadata.</exception>
    public static string NodeType(ReadOnlySpan<byte> json, string where) =>
        ZarrJson.Read(json, 64, $"{where}: zarr.json", root => NodeType(root, where));

    private static string NodeType(JsonElement root, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFileFormatException($"{where}: zarr.json must hold a JSON object.");
        }

        var format = Member(root, "zarr_format", where);
        if (format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out var version) || version != 3)
        {
            throw new InvalidFileFormatException($"{where}: zarr.json says zarr_format {format.GetRawText()}, not 3; IOLink reads Zarr v2 (.zarray) and v3 (zarr.json with zarr_format 3).");
        }

        var type = Member(root, "node_type", where);
        return type.ValueKind == JsonValueKind.String && type.GetString() is "array" or "group" ? type.GetString()!
            : throw new InvalidFileFormatException($"{where}: zarr.json's node_type {type.GetRawText()} is neither \"array\" nor \"group\".");
    }

    /// <summary>The <c>attributes</c> of a group's or array's zarr.json handed to <paramref name="read"/> (an empty object when there are none).</summary>
    public static T Attributes<T>(ReadOnlySpan<byte> json, string where, Func<JsonElement, T> read) =>
        ZarrJson.Read(json, 64, $"{where}: zarr.json", root =>
        {
            NodeType(root, where);
            if (root.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
            {
                return read(attributes);
            }

            using var empty = JsonDocument.Parse("{}");
            return read(empty.RootElement);
        });

    /// <summary>Reads and checks an array's <c>zarr.json</c>; <paramref name="where"/> names the array in messages.</summary>
    /// <exception cref="InvalidFileFormatException">The document is not valid JSON, not Zarr v3 array metadata, or uses what IOLink does not read (the message names it).</exception>
    public static ZarrMetadata Parse(ReadOnlySpan<byte> json, string where) =>
        ZarrJson.Read(json, 64, $"{where}: zarr.json", root => Parse(root, where));

    private static ZarrMetadata Parse(JsonElement root, string where)
    {
        if (NodeType(root, where) != "array")
        {
            throw new InvalidFileFormatException($"{where} is a Zarr group, not an array.");
        }

        foreach (var member in root.EnumerateObject())
        {
            if (!ArrayMembers.Contains(member.Name) && !(member.Value.ValueKind == JsonValueKind.Object
                && member.Value.TryGetProperty("must_understand", out var must) && must.ValueKind == JsonValueKind.False))
            {
                throw new InvalidFileFormatException(
                    $"{where}: zarr.json holds the extension '{member.Name}', which IOLink does not understand and which does not say it may be ignored (\"must_understand\": false).");
            }
        }

        if (root.TryGetProperty("storage_transformers", out var transformers) && transformers.ValueKind != JsonValueKind.Null
            && !(transformers.ValueKind == JsonValueKind.Array && transformers.GetArrayLength() == 0))
        {
            throw new InvalidFileFormatException(
                $"{where} uses the storage transformers {Names(transformers)}, which IOLink does not apply; rewrite the array without storage transformers.");
        }

        var shape = ZarrMetadata.Lengths(Member(root, "shape", where), "shape", where, minimum: 0);
        if (shape.Length == 0)
        {
            throw new InvalidFileFormatException($"{where} is a 0-d array (a single value); a view needs at least one dimension.");
        }

        if (shape.Length > ImageView.MaxDimensionCount)
        {
            throw new InvalidFileFormatException($"{where} has {shape.Length} dimensions; IOLink views have at most {ImageView.MaxDimensionCount}.");
        }

        if (Array.IndexOf(shape, 0L) >= 0)
        {
            throw new InvalidFileFormatException($"{where} is empty (shape {ZarrMetadata.TupleText(shape)}); a view needs at least one element.");
        }

        var typeElement = Member(root, "data_type", where);
        var typeName = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : null;
        if (typeName is null || !ZarrDtype.IsV3Name(typeName))
        {
            throw new InvalidFileFormatException(
                $"{where}: the data_type {typeElement.GetRawText()} cannot be read: IOLink reads bool, int8 to int64, uint8 to uint64, float16, float32, float64, complex64 and complex128.");
        }

        var chunks = ChunkShape(Member(root, "chunk_grid", where), shape.Length, where);
        var keys = KeyEncoding(Member(root, "chunk_key_encoding", where), where);
        var (arrayToArray, arrayToBytes, bytesToBytes) = Codecs(Member(root, "codecs", where), where, shape.Length);
        if (arrayToBytes.Name == "sharding_indexed" && (arrayToArray.Count > 0 || bytesToBytes.Count > 0))
        {
            throw new InvalidFileFormatException(
                $"{where}: codecs around the sharding codec ({string.Join(", ", arrayToArray.Concat(bytesToBytes).Select(c => c.Name))}) would make every read decode whole shards; IOLink reads sharded arrays whose codecs are inside the shards.");
        }

        var dtype = ZarrDtype.V3(typeName, arrayToBytes.Endian ?? ByteOrder.LittleEndian);
        ZarrMetadata.CheckProduct(shape, dtype.ItemSize, long.MaxValue, $"{where}: the shape {ZarrMetadata.TupleText(shape)} holds more bytes than a 64-bit size can count.");
        ShardLayout? shards = null;
        CodecPipeline pipeline;
        if (arrayToBytes.Sharding is { } sharding)
        {
            shards = Sharding(sharding, chunks, dtype, where, out pipeline, out dtype);
        }
        else
        {
            if (arrayToBytes.Endian is null && dtype.ItemSize > 1 && dtype.ItemType.ComponentByteCount > 1)
            {
                throw new InvalidFileFormatException($"{where}: the bytes codec must say its endian for {typeName} items.");
            }

            pipeline = new CodecPipeline(new BytesCodec(dtype.Order), bytesToBytes.Select(c => c.Codec!), arrayToArray.Select(c => c.Transpose!));
        }

        var readChunks = shards?.InnerChunks ?? chunks;
        ZarrMetadata.CheckProduct(readChunks, dtype.ItemSize, ZarrMetadata.MaxChunkBytes,
            $"{where}: a chunk of {ZarrMetadata.TupleText(readChunks)} items is larger than 2 GiB; IOLink decodes each chunk into one buffer.");
        var fill = dtype.FillBytes(Member(root, "fill_value", where), where);
        var names = DimensionNames(root, shape.Length, where);
        var attributes = root.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a.GetRawText() : "{}";
        return new ZarrMetadata(shape, chunks, dtype, fill, keys, pipeline, shards, names, attributes);
    }

    /// <summary>The codec list parsed: one stage of a pipeline, with what the metadata said of it.</summary>
    private sealed record Stage(string Name, BytesToBytesCodec? Codec = null, TransposeCodec? Transpose = null, ByteOrder? Endian = null, JsonElement? Sharding = null);

    private static (List<Stage> ArrayToArray, Stage ArrayToBytes, List<Stage> BytesToBytes) Codecs(JsonElement codecs, string where, int? rankForTranspose = null)
    {
        if (codecs.ValueKind != JsonValueKind.Array || codecs.GetArrayLength() == 0)
        {
            throw new InvalidFileFormatException($"{where}: 'codecs' must be a list of codecs, not {codecs.GetRawText()}.");
        }

        var arrayToArray = new List<Stage>();
        var bytesToBytes = new List<Stage>();
        Stage? arrayToBytes = null;
        foreach (var codec in codecs.EnumerateArray())
        {
            var (name, configuration) = NameAndConfiguration(codec, "codec", where);
            switch (name)
            {
                case "transpose":
                    if (arrayToBytes is not null)
                    {
                        throw new InvalidFileFormatException($"{where}: the transpose codec comes after {arrayToBytes.Name}; array-to-array codecs come first.");
                    }

                    arrayToArray.Add(new Stage(name, Transpose: Transpose(configuration, rankForTranspose, where)));
                    break;
                case "bytes":
                case "sharding_indexed":
                    if (arrayToBytes is not null)
                    {
                        throw new InvalidFileFormatException($"{where}: the codecs name two array-to-bytes codecs ({arrayToBytes.Name} and {name}); there is one.");
                    }

                    arrayToBytes = name == "bytes" ? new Stage(name, Endian: Endian(configuration, where)) : new Stage(name, Sharding: configuration.Clone());
                    break;
                default:
                    var stage = name == "crc32c" ? new Crc32cCodec() : ZarrCompressor.ParseV3(name, configuration, where)?.Codec;
                    if (stage is null)
                    {
                        throw new InvalidFileFormatException(
                            $"{where} uses the codec '{name}', which IOLink does not read (it reads bytes, transpose, gzip, zstd, blosc, crc32c and sharding_indexed); rewrite the array with those.");
                    }

                    if (arrayToBytes is null)
                    {
                        throw new InvalidFileFormatException($"{where}: the codec {name} comes before the bytes codec; bytes-to-bytes codecs come after it.");
                    }

                    bytesToBytes.Add(new Stage(name, Codec: stage));
                    break;
            }
        }

        return (arrayToArray, arrayToBytes ?? throw new InvalidFileFormatException($"{where}: the codecs have no array-to-bytes codec (such as bytes); there must be one."), bytesToBytes);
    }

    private static ShardLayout Sharding(JsonElement configuration, long[] shardShape, ZarrDtype dtype, string where, out CodecPipeline inner, out ZarrDtype innerDtype)
    {
        if (configuration.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidFileFormatException($"{where}: the sharding codec needs a configuration with chunk_shape, codecs and index_codecs.");
        }

        var innerChunks = ZarrMetadata.Lengths(Member(configuration, "chunk_shape", where, "the sharding configuration"), "chunk_shape", where, minimum: 1);
        if (innerChunks.Length != shardShape.Length)
        {
            throw new InvalidFileFormatException($"{where}: the sharding chunk_shape has {innerChunks.Length} lengths for an array of {shardShape.Length} dimensions.");
        }

        for (var i = 0; i < innerChunks.Length; i++)
        {
            if (shardShape[i] % innerChunks[i] != 0)
            {
                throw new InvalidFileFormatException(
                    $"{where}: the inner chunks {ZarrMetadata.TupleText(innerChunks)} do not divide the shards {ZarrMetadata.TupleText(shardShape)}; each shard holds a whole number of inner chunks along every axis.");
            }
        }

        var (arrayToArray, arrayToBytes, bytesToBytes) = Codecs(Member(configuration, "codecs", where, "the sharding configuration"), where, shardShape.Length);
        if (arrayToBytes.Sharding is not null)
        {
            throw new InvalidFileFormatException($"{where} shards inside shards (nested sharding_indexed), which IOLink does not read; rewrite it with one level of shards.");
        }

        if (arrayToBytes.Endian is null && dtype.ItemType.ComponentByteCount > 1)
        {
            throw new InvalidFileFormatException($"{where}: the bytes codec inside the shards must say its endian for {dtype.V3Name} items.");
        }

        innerDtype = ZarrDtype.V3(dtype.V3Name!, arrayToBytes.Endian ?? ByteOrder.LittleEndian);
        inner = new CodecPipeline(new BytesCodec(innerDtype.Order), bytesToBytes.Select(c => c.Codec!), arrayToArray.Select(c => c.Transpose!));

        var (indexA2A, indexBytes, indexB2B) = Codecs(Member(configuration, "index_codecs", where, "the sharding configuration"), where, shardShape.Length + 1);
        if (indexA2A.Count > 0 || indexBytes.Sharding is not null || indexB2B.Any(c => c.Name != "crc32c") || indexB2B.Count > 1)
        {
            throw new InvalidFileFormatException(
                $"{where}: the shard index codecs are {string.Join(", ", indexA2A.Append(indexBytes).Concat(indexB2B).Select(c => c.Name))}; IOLink reads indexes of bytes, optionally followed by crc32c (what zarr-python and tensorstore write), so that an index is read in one ranged read.");
        }

        var atStart = false;
        if (configuration.TryGetProperty("index_location", out var location))
        {
            atStart = location.ValueKind == JsonValueKind.String && location.GetString() is "start" or "end" ? location.GetString() == "start"
                : throw new InvalidFileFormatException($"{where}: the sharding index_location {location.GetRawText()} is neither \"start\" nor \"end\".");
        }

        var layout = new ShardLayout(shardShape, innerChunks, inner, indexBytes.Endian ?? ByteOrder.LittleEndian, indexB2B.Count == 1, atStart);
        if (layout.InnerCount > ShardLayout.MaxInnerCount)
        {
            throw new InvalidFileFormatException($"{where}: a shard holds more than {ShardLayout.MaxInnerCount} inner chunks; IOLink reads shards of at most 2^24 inner chunks (an index of 256 MiB).");
        }

        return layout;
    }

    private static TransposeCodec Transpose(JsonElement configuration, int? rank, string where)
    {
        var order = configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty("order", out var o) ? o : default;
        if (order.ValueKind == JsonValueKind.String && order.GetString() is "C" or "F" && rank is not null)
        {
            // Early drafts of the spec named the two orders.
            var text = order.GetString();
            return text == "F" ? TransposeCodec.Fortran(rank.Value) : new TransposeCodec(Enumerable.Range(0, rank.Value).ToArray());
        }

        if (order.ValueKind != JsonValueKind.Array || order.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
        {
            throw new InvalidFileFormatException($"{where}: the transpose codec's order must be a list of axes, not {(order.ValueKind == JsonValueKind.Undefined ? "missing" : order.GetRawText())}.");
        }

        var axes = order.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        try
        {
            var codec = new TransposeCodec(axes);
            if (rank is not null && axes.Length != rank)
            {
                throw new ArgumentException($"it has {axes.Length} axes for an array of {rank}");
            }

            return codec;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidFileFormatException($"{where}: the transpose order {order.GetRawText()} is not a permutation of the array's axes ({ex.Message.Split(" (Parameter")[0]}).", ex);
        }
    }

    private static ByteOrder? Endian(JsonElement configuration, string where)
    {
        if (configuration.ValueKind != JsonValueKind.Object || !configuration.TryGetProperty("endian", out var endian) || endian.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return endian.ValueKind == JsonValueKind.String && endian.GetString() is "little" or "big"
            ? (endian.GetString() == "little" ? ByteOrder.LittleEndian : ByteOrder.BigEndian)
            : throw new InvalidFileFormatException($"{where}: the bytes codec's endian {endian.GetRawText()} is neither \"little\" nor \"big\".");
    }

    private static long[] ChunkShape(JsonElement grid, int rank, string where)
    {
        var (name, configuration) = NameAndConfiguration(grid, "chunk grid", where);
        if (name != "regular")
        {
            throw new InvalidFileFormatException($"{where} uses the chunk grid '{name}'; IOLink reads regular chunk grids.");
        }

        var chunks = ZarrMetadata.Lengths(Member(configuration, "chunk_shape", where, "the chunk grid"), "chunk_shape", where, minimum: 1);
        return chunks.Length == rank ? chunks
            : throw new InvalidFileFormatException($"{where}: 'chunk_shape' has {chunks.Length} lengths for a shape of {rank}.");
    }

    private static ChunkKeyEncoding KeyEncoding(JsonElement encoding, string where)
    {
        var (name, configuration) = NameAndConfiguration(encoding, "chunk key encoding", where);
        if (name is not ("default" or "v2"))
        {
            throw new InvalidFileFormatException($"{where} uses the chunk key encoding '{name}'; IOLink reads \"default\" and \"v2\".");
        }

        var separator = name == "default" ? '/' : '.';
        if (configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty("separator", out var s))
        {
            separator = s.ValueKind == JsonValueKind.String && s.GetString() is "." or "/" ? s.GetString()![0]
                : throw new InvalidFileFormatException($"{where}: the chunk key separator {s.GetRawText()} is neither \".\" nor \"/\".");
        }

        return name == "default" ? ChunkKeyEncoding.Default(separator) : ChunkKeyEncoding.V2(separator);
    }

    private static string?[]? DimensionNames(JsonElement root, int rank, string where)
    {
        if (!root.TryGetProperty("dimension_names", out var names) || names.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (names.ValueKind != JsonValueKind.Array || names.GetArrayLength() != rank
            || names.EnumerateArray().Any(n => n.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)))
        {
            throw new InvalidFileFormatException($"{where}: 'dimension_names' must list {rank} names (or nulls), one per dimension, not {names.GetRawText()}.");
        }

        return names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() : null).ToArray();
    }

    /// <summary>A codec, grid or encoding: a name alone, or an object with a name and an optional configuration.</summary>
    private static (string Name, JsonElement Configuration) NameAndConfiguration(JsonElement element, string what, string where)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return (element.GetString()!, default);
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw new InvalidFileFormatException($"{where}: a {what} must be an object with a \"name\", not {element.GetRawText()}.");
        }

        var configuration = element.TryGetProperty("configuration", out var c) ? c : default;
        if (configuration.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object or JsonValueKind.Null))
        {
            throw new InvalidFileFormatException($"{where}: the {what} {name.GetString()}'s configuration must be an object, not {configuration.GetRawText()}.");
        }

        return (name.GetString()!, configuration);
    }

    private static string Names(JsonElement list) => list.ValueKind == JsonValueKind.Array
        ? string.Join(", ", list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) ? n.ToString() : e.GetRawText()))
        : list.GetRawText();

    private static JsonElement Member(JsonElement root, string name, string where, string what = "zarr.json") =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) ? value
            : throw new InvalidFileFormatException($"{where}: {what} has no '{name}'; it is not Zarr v3 array metadata.");

    /// <summary>The <c>zarr.json</c> of an array IOLink writes, as zarr-python 3 writes it.</summary>
    public static string ToJson(ZarrMetadata metadata)
    {
        var inv = CultureInfo.InvariantCulture;
        var json = new StringBuilder();
        var itemSize = metadata.Dtype.ItemSize;
        var bytes = metadata.Dtype.ItemType.ComponentByteCount == 1 && metadata.Dtype.ItemType.Interpretation != DataTypeInterpretation.COMPLEX
            ? "{\"name\": \"bytes\"}"
            : $"{{\"name\": \"bytes\", \"configuration\": {{\"endian\": \"{(metadata.Dtype.Order == ByteOrder.LittleEndian ? "little" : "big")}\"}}}}";
        var chunkCodecs = metadata.Compressor is { } compressor ? $"[{bytes}, {compressor.V3Json(itemSize)}]" : $"[{bytes}]";
        var codecs = metadata.Shards is { } shards
            ? string.Create(inv, $"[{{\"name\": \"sharding_indexed\", \"configuration\": {{\"chunk_shape\": [{string.Join(", ", shards.InnerChunks)}], \"codecs\": {chunkCodecs}, \"index_codecs\": {shards.IndexCodecsJson}, \"index_location\": \"{(shards.IndexAtStart ? "start" : "end")}\"}}}}]")
            : chunkCodecs;
        json.Append("{\n");
        json.Append(inv, $"    \"shape\": [{string.Join(", ", metadata.Shape)}],\n");
        json.Append(inv, $"    \"data_type\": \"{metadata.Dtype.V3Name}\",\n");
        json.Append(inv, $"    \"chunk_grid\": {{\"name\": \"regular\", \"configuration\": {{\"chunk_shape\": [{string.Join(", ", metadata.Chunks)}]}}}},\n");
        json.Append(inv, $"    \"chunk_key_encoding\": {{\"name\": \"default\", \"configuration\": {{\"separator\": \"{metadata.Separator}\"}}}},\n");
        json.Append(inv, $"    \"fill_value\": {metadata.Dtype.FillJson(metadata.Fill)},\n");
        json.Append(inv, $"    \"codecs\": {codecs},\n");
        json.Append(inv, $"    \"attributes\": {metadata.Attributes},\n");
        if (metadata.DimensionNames is { } names)
        {
            json.Append(inv, $"    \"dimension_names\": [{string.Join(", ", names.Select(n => n is null ? "null" : JsonSerializer.Serialize(n)))}],\n");
        }

        json.Append("    \"zarr_format\": 3,\n    \"node_type\": \"array\",\n    \"storage_transformers\": []\n}\n");
        return json.ToString();
    }

    /// <summary>The <c>zarr.json</c> of a group with <paramref name="attributes"/> (a JSON object).</summary>
    public static string GroupJson(string attributes) =>
        $"{{\n    \"attributes\": {attributes},\n    \"zarr_format\": 3,\n    \"consolidated_metadata\": null,\n    \"node_type\": \"group\"\n}}\n";
}
