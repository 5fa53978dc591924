using System.Buffers;
using IOLink.Chunked;
using IOLink.Files;
using IOLink.Interop;
using IOLink.Storage;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr;

/// <summary>Creating Zarr arrays and writing views as Zarr: the chunk plan, the checks on what may be replaced, the chunk writer.</summary>
public sealed unsafe partial class ZarrArray
{
    /// <summary>
    /// Creates an empty Zarr array (every chunk missing, so every element reads as zero) for a view of
    /// <paramref name="shape"/> and <paramref name="type"/>, and opens it writable. The array's axes follow the
    /// export rules: NumPy order for a known <paramref name="interpretation"/>, the view's order otherwise, or
    /// <see cref="ZarrOptions.Order"/>.
    /// </summary>
    /// <exception cref="IOException">Something other than an empty folder is at <paramref name="path"/>, or its parent folder is missing.</exception>
    /// <exception cref="ArgumentException">The shape, chunks or order do not fit.</exception>
    public static ZarrArray Create(string path, VectorXu64 shape, DataType type, ImageType interpretation = default, ZarrOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = LocalTarget(path);
        options ??= new ZarrOptions();
        using var probe = ImageViewFactory.Uniform(shape, type, new byte[type.ByteCount]);
        probe.Properties.AxesInterpretation = interpretation;
        var (metadata, order, _) = Plan(probe, options);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new IOException($"'{path}' exists and is not empty; remove it or name a new folder for the array.");
        }

        Directory.CreateDirectory(full);
        WriteMetadata(full, metadata);
        return OpenArray(full, path, metadata, writable: true, order is not null ? AxisSpec.Named(order) : AxisSpec.Of(interpretation));
    }

    /// <summary>
    /// Writes a readable view as a new Zarr array at <paramref name="path"/>, chunk by chunk on every core with
    /// memory bounded by a few chunks per thread. The array's axes follow the export rules (NumPy order for a known
    /// interpretation, or <see cref="ZarrOptions.Order"/>). The array is written into a new folder beside the target
    /// and moved into place when complete, replacing an existing Zarr array there (a single array holding nothing but
    /// its metadata and chunks: a group, or an array folder holding other files, is refused); a failed write leaves nothing.
    /// </summary>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="IOException">Something other than a Zarr array or an empty folder is at <paramref name="path"/> (a Zarr group included), or writing failed.</exception>
    /// <exception cref="ArgumentException">The chunks or order do not fit the view.</exception>
    public static void Write(ImageView view, string path, ZarrOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteLevels([view], path, options ?? new ZarrOptions(), progress);
    }

    /// <summary>
    /// Writes a multi-resolution view as an OME-Zarr image at <paramref name="path"/>: a group whose metadata names the
    /// axes and each level's scale, holding level i as the array "i", each written as <see cref="Write(ImageView, string, ZarrOptions, IProgress{double})"/>
    /// writes a view (the same chunk lengths, clipped to each level; the same codec). A lazy pyramid
    /// (<see cref="LodImageViewFactory.Downsample"/>) is computed level by level as it is written. The image is written
    /// into a new folder beside the target and moved into place when complete; a failed write leaves nothing.
    /// </summary>
    /// <exception cref="NotSupportedException">A level does not have READ.</exception>
    /// <exception cref="IOException">Something other than a Zarr array or an empty folder is at <paramref name="path"/>, or writing failed.</exception>
    /// <exception cref="ArgumentException">The levels' axes are not known, or the chunks or order do not fit.</exception>
    public static void Write(LodImageView lod, string path, ZarrOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(lod);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var given = options ?? new ZarrOptions();
        var ome = new ZarrOptions
        {
            Format = given.Format, Chunks = given.Chunks, Shards = given.Shards, Codec = given.Codec, Level = given.Level, Order = given.Order,
            NestedChunkKeys = given.NestedChunkKeys, OmeZarr = true,
        };
        var (finest, coarsest) = lod.LevelRange();
        var levels = new List<ImageView>();
        try
        {
            for (var level = finest; level <= coarsest; level++)
            {
                levels.Add(lod.Resolution(level));
            }

            WriteLevels(levels, path, ome, progress);
        }
        finally
        {
            levels.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Writes one array, or (for OME-Zarr) an image group with one array per level, finest first.</summary>
    private static void WriteLevels(List<ImageView> levels, string path, ZarrOptions options, IProgress<double>? progress)
    {
        foreach (var level in levels)
        {
            if (level.IsDisposed)
            {
                throw new ObjectDisposedException(nameof(ImageView),
                    "This image view has been disposed; keep the view alive (or make a copy with ImageViewFactory.CopyInMemory) while you use it.");
            }

            if (!level.Support(ImageCapability.READ))
            {
                throw new NotSupportedException($"Write needs the READ capability, and this view has only {level.Capabilities}.");
            }
        }

        var plans = levels.Select(level => Plan(level, options)).ToList();
        foreach (var (metadata, _, _) in plans)
        {
            if (metadata.Grid.ChunkCount > int.MaxValue)
            {
                // Every chunk of a written array is a file: more than 2^31 of them is no array anyone can store.
                throw new ArgumentException(
                    $"Writing this view as Zarr would make {metadata.Grid.ChunkCount} {(metadata.Shards is null ? "chunk" : "shard")} files (array {string.Join("x", metadata.Shape)} in {(metadata.Shards is null ? "chunks" : "shards")} of {string.Join("x", metadata.Chunks)}); choose larger {(metadata.Shards is null ? "chunks" : "shards")} (at most {int.MaxValue}).", nameof(options));
            }
        }

        if (Locations.IsRemote(path))
        {
            WriteRemote(levels, plans, path, options, progress);
            return;
        }

        var target = System.IO.Path.GetFullPath(LocalTarget(path).TrimEnd('/'));
        var parent = System.IO.Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': its folder '{parent}' does not exist; create it first.");
        }

        var existing = FileProbe.Kind(target, followLinks: false);
        if (existing == FileKind.Directory && NotReplaceable(target, path) is { } reason)
        {
            throw new IOException(reason);
        }

        if (existing is not (FileKind.Missing or FileKind.Directory))
        {
            throw new IOException($"'{path}' is {FileProbe.Describe(existing)}; name a folder for the Zarr array.");
        }

        // Written in a hidden folder beside the target, renamed into place when complete (OutputFile.WriteFolder).
        OutputFile.WriteFolder(path, replaceExisting: existing == FileKind.Directory, temp =>
            WriteInto(levels, plans, path, System.IO.Path.GetFileNameWithoutExtension(target), options, progress, sub =>
            {
                var folder = sub.Length == 0 ? temp : System.IO.Path.Combine(temp, sub);
                Directory.CreateDirectory(folder);
                return new DirectoryStore(folder, name: path);
            }));
    }

    /// <summary>
    /// Writes to an S3 prefix, which must hold nothing yet (IOLink never replaces what is there): chunks first, each
    /// array's metadata after its chunks and the image's last, so that no reader sees an array before its data; a failed
    /// write deletes what it wrote.
    /// </summary>
    private static void WriteRemote(List<ImageView> levels, List<(ZarrMetadata Metadata, ImageDimension[]? Order, int[] Mapping)> plans, string path, ZarrOptions options, IProgress<double>? progress)
    {
        using var root = Locations.OpenStore(path, readOnly: false);
        if (root is not S3Store s3)
        {
            throw new NotSupportedException($"Cannot write '{path}': IOLink writes Zarr to local folders and S3 buckets, not to HTTP servers.");
        }

        if (s3.List().Count > 0)
        {
            throw new IOException($"'{path}' already holds objects; IOLink writes a Zarr array only under an empty prefix and never replaces what is there. Name a new prefix, or delete those objects yourself first.");
        }

        var name = s3.Prefix.TrimEnd('/');
        try
        {
            WriteInto(levels, plans, path, name[(name.LastIndexOf('/') + 1)..].Split('.')[0], options, progress,
                sub => sub.Length == 0 ? new S3Store(s3.Bucket, s3.Prefix, s3.Options) : s3.Below(sub));
        }
        catch
        {
            foreach (var key in s3.List())
            {
                try
                {
                    s3.Delete(key);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // What cannot be deleted stays; the failure being reported is the write's.
                }
            }

            throw;
        }
    }

    /// <summary>Writes the levels (and an OME-Zarr image's group) into the stores <paramref name="storeAt"/> gives for "" (the target) and each level's folder.</summary>
    private static void WriteInto(List<ImageView> levels, List<(ZarrMetadata Metadata, ImageDimension[]? Order, int[] Mapping)> plans, string path, string imageName,
        ZarrOptions options, IProgress<double>? progress, Func<string, KeyValueStore> storeAt)
    {
        // Each level's share of the progress is its share of the bytes.
        var total = (double)levels.Sum(l => l.ByteCount);
        double done = 0;
        for (var i = 0; i < levels.Count; i++)
        {
            var (metadata, _, mapping) = plans[i];
            var sub = options.OmeZarr ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            var start = done;
            var share = levels[i].ByteCount / total;
            IProgress<double>? levelProgress = progress is null ? null : new Progress(f => progress.Report(start + (f * share)));
            if (metadata.Shards is not null)
            {
                using var store = storeAt(sub);
                new ShardWriter(levels[i], metadata, store, mapping, levelProgress).Run();
            }
            else
            {
                var array = metadata.InStore(storeAt(sub), path, cache: null);
                try
                {
                    new ChunkWriter(levels[i], array, mapping, levelProgress).Run();
                }
                finally
                {
                    array.Close();
                }
            }

            using (var store = storeAt(sub))
            {
                WriteMetadata(store, metadata);
            }

            done += share;
        }

        if (options.OmeZarr)
        {
            // An OME-Zarr image: a group naming the axes and each level's scale, its levels the arrays "0", "1", ...
            var first = levels[0];
            var names = ArrayNames(plans[0].Mapping, first);
            var levelProperties = levels.Select(l => l.Properties).ToList();
            var labels = ChannelLabels(first);
            using var group = storeAt("");
            if (options.Format == ZarrFormat.V3)
            {
                group.Set("zarr.json", System.Text.Encoding.UTF8.GetBytes(ZarrV3.GroupJson(OmeZarr.Attributes(names, levelProperties, imageName, "0.5", labels))));
            }
            else
            {
                group.Set(".zattrs", System.Text.Encoding.UTF8.GetBytes(OmeZarr.Attributes(names, levelProperties, imageName, "0.4", labels)));
                group.Set(".zgroup", "{\n    \"zarr_format\": 2\n}\n"u8);
            }
        }
    }

    /// <summary>Writes an array's metadata into its store: zarr.json (v3) or .zarray (v2).</summary>
    private static void WriteMetadata(KeyValueStore store, ZarrMetadata metadata)
    {
        if (metadata.Format == 3)
        {
            store.Set("zarr.json", System.Text.Encoding.UTF8.GetBytes(ZarrV3.ToJson(metadata)));
        }
        else
        {
            store.Set(".zarray", System.Text.Encoding.UTF8.GetBytes(metadata.ToJson()));
        }
    }

    /// <summary>Writes an array's metadata file: zarr.json (v3) or .zarray (v2).</summary>
    private static void WriteMetadata(string folder, ZarrMetadata metadata)
    {
        if (metadata.Format == 3)
        {
            OutputFile.ReplaceEntry(System.IO.Path.Combine(folder, "zarr.json"), System.Text.Encoding.UTF8.GetBytes(ZarrV3.ToJson(metadata)));
        }
        else
        {
            OutputFile.ReplaceEntry(System.IO.Path.Combine(folder, ".zarray"), System.Text.Encoding.UTF8.GetBytes(metadata.ToJson()));
        }
    }

    /// <summary>The dimension each array axis is (the components of a vector type: CHANNEL).</summary>
    private static ImageDimension[] ArrayNames(int[] mapping, ImageView view) =>
        mapping.Select(d => d == ArrayAxes.ComponentAxis ? ImageDimension.CHANNEL : view.AxesInterpretation.Dimensions[d]).ToArray();

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    /// <summary>
    /// The names of the view's channels, when its metadata has them for every channel: an OME-TIFF's
    /// (<c>ome/channels/i/name</c>) or an OME-Zarr's (<c>ome/omero/channels/i/label</c>); null otherwise.
    /// </summary>
    private static string?[]? ChannelLabels(ImageView view)
    {
        var count = view.AxesInterpretation.Has(ImageDimension.CHANNEL) ? (long)view.Shape[view.AxesInterpretation.IndexOf(ImageDimension.CHANNEL)]
            : ArrayAxes.HasComponentAxis(view.DataType) ? view.DataType.Dimension : 0;
        if (count is < 1 or > 4096)
        {
            return null;
        }

        var labels = new string?[count];
        var any = false;
        for (var i = 0; i < count; i++)
        {
            labels[i] = (view.Metadata.Find($"ome/channels/{i}/name") ?? view.Metadata.Find($"ome/omero/channels/{i}/label"))?.Value as string;
            any |= labels[i] is not null;
        }

        return any ? labels : null;
    }

    /// <summary>Whether the view is bools (BINARY, UINT8, 0 and 1), written as Zarr's bool as it was read.</summary>
    private static bool IsBool(ImageView view) =>
        view.Properties.ImageInterpretation == ImageInterpretation.BINARY && view.DataType == (DataType)DataTypeId.UINT8;

    /// <summary>The metadata of the array a view becomes, and the order of its axes (rule 8) if given.</summary>
    private static (ZarrMetadata Metadata, ImageDimension[]? Order, int[] Mapping) Plan(ImageView view, ZarrOptions options)
    {
        var order = options.Order;
        if (options.OmeZarr)
        {
            if (!view.AxesInterpretation.IsKnown)
            {
                throw new ArgumentException("OME-Zarr names every axis: give the view an axes interpretation (such as VOLUME) before writing it as OME-Zarr.", nameof(options));
            }

            var spacing = view.Properties.SpatialSpacing;
            if (!double.IsFinite(spacing[0]) || !double.IsFinite(spacing[1]) || !double.IsFinite(spacing[2]))
            {
                // JSON has no NaN or Infinity: such a scale would make metadata neither IOLink nor zarr-python opens.
                throw new ArgumentException(
                    $"The view's spatial spacing ({spacing[0]}, {spacing[1]}, {spacing[2]}) is not finite, and OME-Zarr scales are finite numbers; set Properties.SpatialSpacing to the voxel size before writing.", nameof(view));
            }

            var present = view.AxesInterpretation;
            if (order is null && (present.Has(ImageDimension.CHANNEL) ^ ArrayAxes.HasComponentAxis(view.DataType)))
            {
                // NGFF orders axes by type: time, then channel, then space (t, c, z, y, x). NumPy's order puts a CHANNEL
                // dimension last, so it moves; the components of a vector type become the c axis there too.
                order = [.. new[] { ImageDimension.SEQUENCE, ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN }
                    .Where(d => d == ImageDimension.CHANNEL || present.Has(d))];
            }
        }

        var export = ArrayAxes.Export(view, order, parameterName: nameof(options.Order));
        var mapping = export.Dimensions;
        var shape = export.Lengths.ToArray();
        var viewChunks = options.Chunks is { } given ? CheckChunks(given, view, nameof(options)) : DefaultChunks(view);
        var chunks = new long[shape.Length];
        for (var a = 0; a < shape.Length; a++)
        {
            chunks[a] = mapping[a] == ArrayAxes.ComponentAxis ? shape[a] : Math.Min(viewChunks[mapping[a]], shape[a]);
        }

        var compressor = ZarrCompressor.Create(options.Codec, options.Level);
        ZarrMetadata metadata;
        if (options.Format == ZarrFormat.V2)
        {
            if (options.Shards is not null)
            {
                throw new ArgumentException("Shards are a Zarr v3 codec; write the array with Format = ZarrFormat.V3, or without shards.", nameof(options));
            }

            var dtype = IsBool(view) ? ZarrDtype.Bool() : ZarrDtype.Native(export.ItemType);
            metadata = new ZarrMetadata(shape, chunks, dtype, new byte[dtype.ItemSize], fortranOrder: false, compressor, options.NestedChunkKeys == true ? '/' : '.');
        }
        else if (options.Format == ZarrFormat.V3)
        {
            var dtype = IsBool(view) ? ZarrDtype.V3("bool", NumpyTypeString.NativeOrder) : ZarrDtype.V3(export.ItemType, NumpyTypeString.NativeOrder);
            var keys = ChunkKeyEncoding.Default(options.NestedChunkKeys == false ? '.' : '/');
            if (compressor is not null)
            {
                compressor.V3Json(dtype.ItemSize);   // a v2-only codec is refused before anything is written
            }

            var pipeline = new CodecPipeline(new BytesCodec(dtype.Order), compressor is null ? null : [compressor.Codec]);
            string?[]? names = view.AxesInterpretation.IsKnown
                ? mapping.ToArray().Select(d => ArrayMetadata.Letter(d == ArrayAxes.ComponentAxis ? ImageDimension.CHANNEL : view.AxesInterpretation.Dimensions[d])).ToArray()
                : null;
            ShardLayout? shards = null;
            var stored = chunks;
            if (options.Shards is { } givenShards)
            {
                var viewShards = CheckChunks(givenShards, view, nameof(options));
                stored = new long[shape.Length];
                for (var a = 0; a < shape.Length; a++)
                {
                    // A shard along the components holds them all; elsewhere it is whole chunks, clipped to the array.
                    var length = mapping[a] == ArrayAxes.ComponentAxis ? shape[a] : Math.Min(viewShards[mapping[a]], RoundUp(shape[a], chunks[a]));
                    if (length % chunks[a] != 0)
                    {
                        throw new ArgumentException(
                            $"Shards {givenShards} do not hold whole chunks of {options.Chunks?.ToString() ?? string.Join("x", chunks)}: each shard length must be a multiple of the chunk length along its dimension.", nameof(options));
                    }

                    stored[a] = length;
                }

                shards = new ShardLayout(stored, chunks, pipeline, ByteOrder.LittleEndian, indexChecksum: true, indexAtStart: false);
                if (shards.InnerCount > ShardLayout.MaxInnerCount)
                {
                    throw new ArgumentException($"Shards of {string.Join("x", stored)} items would hold more than {ShardLayout.MaxInnerCount} chunks of {string.Join("x", chunks)}; choose larger chunks or smaller shards.", nameof(options));
                }
                ZarrMetadata.CheckProduct(stored, dtype.ItemSize, ZarrMetadata.MaxChunkBytes,
                    $"Shards of {string.Join("x", stored)} items are larger than 2 GiB; IOLink builds each shard in memory, so choose smaller shards.");
            }

            metadata = new ZarrMetadata(shape, stored, dtype, new byte[dtype.ItemSize], keys, pipeline, shards, names, "{}", compressor);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Use ZarrFormat.V2 or ZarrFormat.V3.");
        }

        if (metadata.ChunkElements > ZarrMetadata.MaxChunkBytes / metadata.Dtype.ItemSize)
        {
            throw new ArgumentException($"Chunks of {string.Join("x", chunks)} items are larger than 2 GiB; choose smaller chunks.", nameof(options));
        }

        return (metadata, order, mapping.ToArray());
    }

    private static long RoundUp(long n, long multiple) => (n + multiple - 1) / multiple * multiple;

    private static long[] CheckChunks(VectorXu64 chunks, ImageView view, string paramName)
    {
        if (chunks.Size != view.DimensionCount)
        {
            throw new ArgumentException($"Chunks {chunks} have {chunks.Size} lengths for a view of {view.DimensionCount} dimensions; give one length per dimension, in the view's order.", paramName);
        }

        var result = new long[chunks.Size];
        for (var d = 0; d < result.Length; d++)
        {
            if (chunks[d] == 0 || chunks[d] > long.MaxValue)
            {
                throw new ArgumentException($"Chunks {chunks}: every chunk length must be at least 1.", paramName);
            }

            result[d] = (long)chunks[d];
        }

        return result;
    }

    /// <summary>Chunks of at most 1 MiB: the longest chunk side is halved until one fits (64x64x128 for a 512^3 UINT16 volume).</summary>
    private static long[] DefaultChunks(ImageView view)
    {
        var chunks = Array.ConvertAll(view.Shape.ToArray(), v => (long)v);
        long bytes = view.DataType.ByteCount;
        foreach (var c in chunks)
        {
            bytes = (long)Math.Min((double)long.MaxValue, (double)bytes * c);
        }

        while (bytes > 1 << 20)
        {
            var longest = 0;
            for (var d = 1; d < chunks.Length; d++)
            {
                if (chunks[d] > chunks[longest])
                {
                    longest = d;
                }
            }

            if (chunks[longest] == 1)
            {
                break;
            }

            var half = (chunks[longest] + 1) / 2;
            bytes = bytes / chunks[longest] * half;
            chunks[longest] = half;
        }

        return chunks;
    }

    /// <summary>
    /// Why the folder at <paramref name="folder"/> may not be replaced by a new array, or null when it is empty or a Zarr
    /// array holding nothing but its own metadata and chunks: a write never deletes a group with its arrays, nor a
    /// file the user keeps inside an array's folder.
    /// </summary>
    private static string? NotReplaceable(string folder, string path)
    {
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            return null;
        }

        var kind = ArrayMetadata.Kind(folder, path);
        if (kind is NodeKind.V2Group or NodeKind.V3Group)
        {
            return $"'{path}' is a Zarr group; IOLink replaces only a single Zarr array, never a group with what it holds. Name a new folder for the array, or remove the group yourself first.";
        }

        if (kind is NodeKind.None)
        {
            return $"'{path}' is a folder that holds something other than a Zarr array; name a new folder for the array.";
        }

        return ForeignEntry(folder, "") is { } foreign
            ? $"'{path}' is a Zarr array but also holds '{foreign}', which is not part of it; IOLink replaces an array only when it holds nothing else. Move that out, or name a new folder for the array."
            : null;
    }

    /// <summary>The first entry below <paramref name="folder"/> that is not an array's metadata file or chunk (a chunk key's digits, or folders of them), or null.</summary>
    private static string? ForeignEntry(string folder, string relative)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = System.IO.Path.GetFileName(entry);
            var shown = relative.Length == 0 ? name : relative + "/" + name;
            var kind = FileProbe.Kind(entry, followLinks: false);
            var digits = name.Length > 0 && name.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(name[0]) && char.IsAsciiDigit(name[^1]);
            // v3's default keys start with "c": a folder c (c/0/3/1), or flat names c.0.3.1.
            var v3Flat = relative.Length == 0 && name.StartsWith("c.", StringComparison.Ordinal) && name.Length > 2 && name[2..].All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(name[^1]);
            var ok = kind switch
            {
                FileKind.Regular => digits || v3Flat || (relative.Length == 0 && name is ".zarray" or ".zattrs" or "zarr.json"),
                FileKind.Directory => (digits && !name.Contains('.', StringComparison.Ordinal)) || (relative.Length == 0 && name == "c"),
                _ => false,
            };
            if (!ok)
            {
                return shown;
            }

            if (kind == FileKind.Directory && ForeignEntry(entry, shown) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>Writes a view into a new array's chunks: each part reads one chunk's region of the view and stores the chunk.</summary>
    private sealed class ChunkWriter(ImageView view, ChunkedArray array, int[] viewDimension, IProgress<double>? progress)
    {
        private readonly object _progressGate = new();
        private long _done;

        public void Run()
        {
            var total = array.Grid.ChunkCount;
            var threads = CopyParallelism.MaxDegreeOfParallelism;
            // Parts are runs of chunks: one part per chunk would cost more scheduling than small chunks take to write.
            var parts = (int)Math.Min(total, Math.Max(threads * 16L, 1));
            CopyParallelism.RunParts(parts, part =>
            {
                var first = total * part / parts;
                var end = total * (part + 1) / parts;
                byte[]? buffer = null;
                try
                {
                    for (var n = first; n < end; n++)
                    {
                        WriteChunk(n, ref buffer);
                    }
                }
                finally
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                if (progress is not null)
                {
                    lock (_progressGate)
                    {
                        _done += end - first;
                        progress.Report((double)_done / total);
                    }
                }
            });
        }

        private static VectorXu64 Vector(long[] values) => new(Array.ConvertAll(values, v => (ulong)v));

        private void WriteChunk(long number, ref byte[]? buffer)
        {
            var grid = array.Grid;
            var rank = grid.Rank;
            var chunk = grid.Coordinates(number);

            // The chunk's part inside the array, as a region of the view.
            var origin = new long[view.DimensionCount];
            var size = new long[view.DimensionCount];
            var lengths = new long[rank];
            var whole = true;
            for (var a = 0; a < rank; a++)
            {
                var start = grid.ChunkStart(a, chunk[a]);
                var length = grid.ChunkLength(a, chunk[a]);
                lengths[a] = Math.Min(length, grid.ArrayShape[a] - start);
                whole &= lengths[a] == length;
                if (viewDimension[a] != ArrayAxes.ComponentAxis)
                {
                    origin[viewDimension[a]] = start;
                    size[viewDimension[a]] = lengths[a];
                }
            }

            var from = RegionByteStrides(viewDimension, size, view.DataType);
            var region = new RegionXu64(Vector(origin), Vector(size));
            var chunkStrides = array.DecodedByteStridesOf(chunk);
            if (whole && from.AsSpan().SequenceEqual(chunkStrides))
            {
                // The view's region, read densely, is the chunk's own layout: read it straight into the chunk.
                array.WriteChunk(chunk, ChunkWriteStart.Nothing, data => view.ReadRegion(region, data));
                return;
            }

            var bytes = (int)array.ChunkBytesOf(chunk);
            buffer ??= ArrayPool<byte>.Shared.Rent(bytes);
            view.ReadRegion(region, buffer.AsSpan(0, (int)(view.DataType.ByteCount * Elements(size))));
            fixed (byte* read = buffer)
            {
                var regionAddress = (nint)read;
                array.WriteChunk(chunk, whole ? ChunkWriteStart.Nothing : ChunkWriteStart.Fill, data =>
                {
                    fixed (byte* to = data)
                    {
                        StridedMemory.DangerousCopy((byte*)regionAddress, from, to, chunkStrides, lengths, array.ItemType);
                    }
                });
            }
        }

        private static long Elements(long[] size)
        {
            long n = 1;
            foreach (var length in size)
            {
                n *= length;
            }

            return n;
        }
    }

    /// <summary>The local folder a write goes to: a path, or a file:// address's; a remote address is refused.</summary>
    private static string LocalTarget(string path)
    {
        if (Locations.IsRemote(path))
        {
            throw new NotSupportedException($"Cannot write '{path}': IOLink writes Zarr to local folders; write it to a folder and upload that.");
        }

        return Locations.LocalPath(path);
    }
}
