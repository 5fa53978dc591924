using System.Buffers;
using IOLink.Files;
using IOLink.Interop;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr;

/// <summary>
/// A Zarr v2 array in a directory store as an image view: READ, and WRITE unless opened read-only; no
/// MEMORY_ACCESS. Region reads decode only the chunks the region touches, in parallel (<see cref="CopyParallelism"/>),
/// straight into the destination where a chunk lies wholly inside the region in the same order; missing chunks
/// read as the fill value; a bounded cache of decoded chunks serves repeated small reads. Writes re-encode whole
/// chunks (reading, changing and rewriting the ones a region covers partly), each as a new file renamed into place.
/// </summary>
/// <remarks>
/// The array's axes become the view's dimensions by the NumPy rules, as for a .npy file
/// (<see cref="ArrayAxes"/>): without an interpretation the view keeps the array's axis order (rule 1); with one,
/// the axes are read in NumPy order (T, Z, Y, X, C; rule 2) and the view is in canonical order; an axis list names
/// each array axis (rule 3); one trailing axis of 2 to 4 becomes vector components (rule 4). An OME-Zarr image (a
/// group whose <c>multiscales</c> name the axes t, c, z, y, x) names them itself. Reads and writes are safe from
/// several threads; writes of the same chunk are serialized.
/// </remarks>
public sealed unsafe class ZarrArray : ImageView
{
    /// <summary>The chunk cache of a newly opened array: 64 MiB of decoded chunks (64 chunks of 64^3 UINT16).</summary>
    public const long DefaultChunkCacheBytes = 64L << 20;

    private readonly ChunkStore _store;
    private readonly int[] _viewDimension;
    private readonly bool _writable;

    private ZarrArray(ChunkStore store, ViewLayout layout, bool writable, ImageProperties properties, ImageDimension[]? arrayOrder)
        : base(layout.Shape, layout.DataType, properties)
    {
        _store = store;
        _writable = writable;
        try
        {
            // Which view dimension each array axis walks: the export rules give it (rule 8 with the axes as imported).
            var export = ArrayAxes.Export(this, arrayOrder);
            _viewDimension = export.Dimensions.ToArray();
            if (!export.Lengths.SequenceEqual(store.Metadata.Shape))
            {
                throw new InvalidOperationException("The axis rules gave a view whose export is not the array; this is a bug in IOLink.");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The array's folder, as given when it was opened.</summary>
    public string Path => _store.Name;

    /// <summary>The array's lengths in its own axis order (zarr-python's <c>shape</c>).</summary>
    public IReadOnlyList<long> ArrayShape => _store.Metadata.Shape;

    /// <summary>The chunk lengths in the array's own axis order (zarr-python's <c>chunks</c>).</summary>
    public IReadOnlyList<long> ArrayChunks => _store.Metadata.Chunks;

    /// <summary>The chunk lengths per view dimension, in the view's order (what <c>--chunks</c> takes).</summary>
    public VectorXu64 ChunkShape
    {
        get
        {
            var result = new ulong[DimensionCount];
            for (var a = 0; a < _viewDimension.Length; a++)
            {
                if (_viewDimension[a] != ArrayAxes.ComponentAxis)
                {
                    result[_viewDimension[a]] = (ulong)_store.Metadata.Chunks[a];
                }
            }

            return new VectorXu64(result);
        }
    }

    /// <summary>The NumPy type string of the stored items, such as <c>&lt;u2</c> or <c>&gt;f4</c>.</summary>
    public string Dtype => _store.Metadata.Dtype.Text;

    /// <summary>The compressor as <c>iolink info</c> shows it, such as <c>zstd (level 1)</c>, or <c>none</c>.</summary>
    public string Codec => _store.Metadata.Compressor?.Description ?? "none";

    /// <summary>How many chunks the array has, stored or not.</summary>
    public long ChunkCount => _store.Metadata.ChunkCount;

    /// <summary>How many chunks were decoded from their files since the array was opened (cache hits and missing chunks are not).</summary>
    public long ChunksDecoded => _store.ChunksDecoded;

    /// <summary>
    /// The most bytes of decoded chunks kept for repeated reads (default <see cref="DefaultChunkCacheBytes"/>; 0 keeps
    /// none). One chunk larger than this is kept alone until the next is decoded, so memory is bounded by the larger of
    /// this and the largest chunk.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long ChunkCacheBytes
    {
        get => _store.CacheLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _store.CacheLimit = value;
        }
    }

    /// <inheritdoc/>
    protected override ImageCapability CapabilitiesCore =>
        ImageCapability.READ | (_writable ? ImageCapability.WRITE : ImageCapability.NONE);

    /// <summary>Opens the Zarr array (or OME-Zarr image) at <paramref name="path"/>: its axes by rule 1, or as the OME-Zarr metadata names them.</summary>
    /// <param name="path">A folder holding <c>.zarray</c>, or an OME-Zarr image's group (its first resolution level is opened).</param>
    /// <param name="writable">Whether the view gets WRITE.</param>
    /// <exception cref="FileNotFoundException">There is nothing at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The path is a plain group; the message lists its arrays.</exception>
    /// <exception cref="InvalidFileFormatException">The metadata is not valid Zarr v2 that IOLink reads.</exception>
    public static ZarrArray Open(string path, bool writable = false) => Open(path, writable, ImageType.Unknown, null);

    /// <summary>Opens a Zarr array whose axes are read in NumPy order for <paramref name="type"/> (rules 2 and 4).</summary>
    /// <exception cref="ArgumentException">The array's rank does not fit the interpretation, or as <see cref="Open(string, bool)"/>.</exception>
    public static ZarrArray Open(string path, bool writable, ImageType type) => Open(path, writable, type, null);

    /// <summary>Opens a Zarr array whose axes are named, in the array's axis order (rules 3 and 4).</summary>
    /// <exception cref="ArgumentException">The names do not fit the array, or as <see cref="Open(string, bool)"/>.</exception>
    public static ZarrArray Open(string path, bool writable, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Open(path, writable, ImageType.Unknown, axes);
    }

    /// <summary>Opens resolution level <paramref name="level"/> of the OME-Zarr image at <paramref name="path"/> (0 is the full resolution), its axes and spacing as the image names them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The image has no such level, or the path is a single array and the level is not 0.</exception>
    public static ZarrArray OpenLevel(string path, int level, bool writable = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        return Open(path, writable, ImageType.Unknown, null, level);
    }

    /// <summary>The resolution levels of the OME-Zarr image at <paramref name="path"/>, as paths below it (such as "0", "1"); one empty path for a single array.</summary>
    /// <exception cref="ArgumentException">The path is neither a Zarr array nor an OME-Zarr image.</exception>
    public static IReadOnlyList<string> LevelPaths(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (StorePaths.IsFile(full, ".zarray", $"Zarr array '{path}'"))
        {
            return [""];
        }

        var levels = OmeZarr.Levels(full, path) ?? throw new ArgumentException(Groups.Describe(full, path), nameof(path));
        return levels.Select(l => System.IO.Path.GetRelativePath(full, l.Folder).Replace('\\', '/')).ToList();
    }

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
        OutputFile.ReplaceEntry(System.IO.Path.Combine(full, ".zarray"), System.Text.Encoding.UTF8.GetBytes(metadata.ToJson()));
        return OpenArray(full, path, metadata, writable: true, interpretation, order);
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
        if (view.IsDisposed)
        {
            throw new ObjectDisposedException(nameof(ImageView),
                "This image view has been disposed; keep the view alive (or make a copy with ImageViewFactory.CopyInMemory) while you use it.");
        }

        if (!view.Support(ImageCapability.READ))
        {
            throw new NotSupportedException($"Write needs the READ capability, and this view has only {view.Capabilities}.");
        }
        options ??= new ZarrOptions();
        var (metadata, order, mapping) = Plan(view, options);
        if (metadata.ChunkCount > int.MaxValue)
        {
            // Every chunk of a written array is a file: more than 2^31 of them is no array anyone can store.
            throw new ArgumentException(
                $"Writing this view as Zarr would make {metadata.ChunkCount} chunk files (array {string.Join("x", metadata.Shape)} in chunks of {string.Join("x", metadata.Chunks)}); choose larger chunks (at most {int.MaxValue} chunks).", nameof(options));
        }

        var target = System.IO.Path.GetFullPath(path.TrimEnd('/'));
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
        {
            var folder = temp;
            if (options.OmeZarr)
            {
                // An OME-Zarr image: a group naming the axes and the spacing, its one resolution level the array "0".
                var names = mapping.Select(d => d == ArrayAxes.ComponentAxis ? ImageDimension.CHANNEL : view.AxesInterpretation.Dimensions[d]).ToArray();
                OutputFile.ReplaceEntry(System.IO.Path.Combine(temp, ".zgroup"), "{\n    \"zarr_format\": 2\n}\n"u8);
                var attributes = OmeZarr.Attributes(names, view.Properties, System.IO.Path.GetFileNameWithoutExtension(target));
                OutputFile.ReplaceEntry(System.IO.Path.Combine(temp, ".zattrs"), System.Text.Encoding.UTF8.GetBytes(attributes));
                folder = System.IO.Path.Combine(temp, "0");
                Directory.CreateDirectory(folder);
            }

            OutputFile.ReplaceEntry(System.IO.Path.Combine(folder, ".zarray"), System.Text.Encoding.UTF8.GetBytes(metadata.ToJson()));
            var store = new ChunkStore(folder, path, metadata, cacheLimit: 0);
            try
            {
                new ChunkWriter(view, store, mapping, progress).Run();
            }
            finally
            {
                store.Close();
            }
        });
    }

    /// <summary>The chunks, per view dimension: streaming reads take whole chunk layers (see <see cref="ImageView.StorageBlockShape"/>).</summary>
    protected override VectorXu64? StorageBlockShapeCore => ChunkShape;

    /// <inheritdoc/>
    protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
    {
        var box = ArrayBox(origin, size);
        ChunkCopy.Read(_store, box.Low, box.Count, dst, box.Strides);
    }

    /// <inheritdoc/>
    protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        var box = ArrayBox(origin, size);
        ChunkCopy.Write(_store, box.Low, box.Count, src, box.Strides);
    }

    /// <summary>Drops the chunk cache once this view and every view made from it are gone.</summary>
    protected override void ReleaseResources() => _store.Close();

    /// <summary>A view region in array space: where it starts and how long it is along each array axis, and the dense region buffer's strides there.</summary>
    private (long[] Low, long[] Count, long[] Strides) ArrayBox(ReadOnlySpan<long> origin, ReadOnlySpan<long> size)
    {
        var rank = _viewDimension.Length;
        var low = new long[rank];
        var count = new long[rank];
        for (var a = 0; a < rank; a++)
        {
            var d = _viewDimension[a];
            (low[a], count[a]) = d == ArrayAxes.ComponentAxis ? (0, DataType.Dimension) : (origin[d], size[d]);
        }

        return (low, count, RegionStrides(_viewDimension, size, DataType));
    }

    /// <summary>The byte strides, per array axis, of a view region of <paramref name="size"/> read densely in the view's order (a component axis: one component apart).</summary>
    private static long[] RegionStrides(int[] viewDimension, ReadOnlySpan<long> size, DataType type)
    {
        var dense = StridedMemory.DenseByteStrides(size, type.ByteCount);
        var strides = new long[viewDimension.Length];
        for (var a = 0; a < strides.Length; a++)
        {
            strides[a] = viewDimension[a] == ArrayAxes.ComponentAxis ? type.ComponentByteCount : dense[viewDimension[a]];
        }

        return strides;
    }

    private static ZarrArray Open(string path, bool writable, ImageType interpretation, ImageDimension[]? axes, int level = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var kind = FileProbe.Kind(full, followLinks: true);
        if (kind == FileKind.Missing)
        {
            throw new FileNotFoundException($"There is no Zarr array '{path}'; check the path.", path);
        }

        if (kind != FileKind.Directory)
        {
            throw new InvalidFileFormatException($"'{path}' is {FileProbe.Describe(kind)}; a Zarr array is a folder holding .zarray.");
        }

        if (StorePaths.Probe(full, ".zarray", $"Zarr array '{path}'", out _) == FileKind.Missing)
        {
            var levels = OmeZarr.Levels(full, path) ?? throw new ArgumentException(Groups.Describe(full, path), nameof(path));
            if (level >= levels.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(level), level, $"The OME-Zarr image '{path}' has {levels.Count} resolution levels (0 to {levels.Count - 1}).");
            }

            return OpenLevel(levels[level], writable, interpretation, axes);
        }

        if (level != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"'{path}' is a single Zarr array, not an OME-Zarr image with resolution levels; open it with level 0.");
        }

        // An array that is a level of an OME-Zarr image is named by the image's axes, unless the caller names them.
        if (axes is null && !interpretation.IsKnown && OmeZarr.LevelOf(full) is { } own)
        {
            return OpenLevel(own with { Folder = full, Name = path }, writable, interpretation, axes);
        }

        var metadata = ReadMetadata(full, path);
        return OpenArray(full, path, metadata, writable, interpretation, axes);
    }

    private static ZarrArray OpenLevel(OmeZarr.Level level, bool writable, ImageType interpretation, ImageDimension[]? axes)
    {
        var metadata = ReadMetadata(level.Folder, level.Name);
        var named = axes is null && !interpretation.IsKnown;
        if (named && level.Axes.Length != metadata.Shape.Length)
        {
            throw new InvalidFileFormatException(
                $"OME-Zarr array '{level.Name}' has {metadata.Shape.Length} dimensions but the image names {level.Axes.Length} axes.");
        }

        var view = OpenArray(level.Folder, level.Name, metadata, writable, interpretation, named ? level.Axes : axes);
        if (named && level.Scale is { } scale)
        {
            var spacing = view.Properties.SpatialSpacing;
            for (var i = 0; i < level.Axes.Length; i++)
            {
                var k = level.Axes[i] switch { ImageDimension.COLUMN => 0, ImageDimension.ROW => 1, ImageDimension.SLICE => 2, _ => -1 };
                if (k >= 0 && scale[i] > 0)
                {
                    spacing[k] = scale[i];
                }
            }

            view.Properties.SpatialSpacing = spacing;
            view.Properties.SpatialUnit = level.Unit;
        }

        return view;
    }

    private static ZarrMetadata ReadMetadata(string folder, string name)
    {
        var json = ZarrJson.ReadSmallFile(folder, ".zarray", $"Zarr array '{name}'", 1 << 20)
            ?? throw new InvalidFileFormatException($"Zarr array '{name}': .zarray is larger than 1 MiB; array metadata is a small JSON document, so the store is damaged or not a Zarr array.");
        return ZarrMetadata.Parse(json, $"Zarr array '{name}'");
    }

    /// <summary>Makes the view: the axis rules on the array's lengths (as a dense C-order array of its items), then the view over the store.</summary>
    private static ZarrArray OpenArray(string folder, string name, ZarrMetadata metadata, bool writable, ImageType interpretation, ImageDimension[]? axes)
    {
        var item = metadata.Dtype.ItemType;
        var strides = StridedMemory.DenseByteStrides(metadata.Shape, item.ByteCount, cOrder: true);
        ImageDimension[]? order;
        ViewLayout layout;
        if (axes is not null)
        {
            layout = ArrayAxes.Import(metadata.Shape, strides, item, axes, nameof(axes));
            // Rule 8 gives the same axes back; CHANNEL stands there for the components that rule 4 made.
            order = axes.Length < metadata.Shape.Length ? [.. axes, ImageDimension.CHANNEL] : axes;
        }
        else if (interpretation.IsKnown)
        {
            layout = ArrayAxes.Import(metadata.Shape, strides, item, interpretation, "type");
            order = null;   // rule 6 is rule 2 read backwards
        }
        else
        {
            layout = ArrayAxes.Import(metadata.Shape, strides, item, nameof(name));
            order = null;
        }

        var properties = new ImageProperties(layout.AxesInterpretation)
        {
            ImageInterpretation = metadata.Dtype.IsBool ? ImageInterpretation.BINARY : ImageInterpretation.UNKNOWN,
        };
        var store = new ChunkStore(folder, name, metadata, DefaultChunkCacheBytes);
        try
        {
            return new ZarrArray(store, layout, writable, properties, order);
        }
        catch
        {
            store.Close();
            throw;
        }
    }

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

            if (order is null && ArrayAxes.HasComponentAxis(view.DataType))
            {
                // NGFF puts channels before the space axes: the components of a vector type become the c axis there.
                var numpy = ArrayAxes.InNumpyOrder(view.AxesInterpretation);
                order = [.. numpy.Where(d => d == ImageDimension.SEQUENCE), ImageDimension.CHANNEL, .. numpy.Where(d => d != ImageDimension.SEQUENCE)];
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

        var dtype = ZarrDtype.Native(export.ItemType);
        var compressor = ZarrCompressor.Create(options.Codec, options.Level);
        var metadata = new ZarrMetadata(shape, chunks, dtype, new byte[dtype.ItemSize], fortranOrder: false, compressor, options.NestedChunkKeys ? '/' : '.');
        if (metadata.ChunkElements > ZarrMetadata.MaxChunkBytes / dtype.ItemSize)
        {
            throw new ArgumentException($"Chunks of {string.Join("x", chunks)} items are larger than 2 GiB; choose smaller chunks.", nameof(options));
        }

        return (metadata, order, mapping.ToArray());
    }

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

        if (Groups.IsFile(folder, ".zgroup"))
        {
            return $"'{path}' is a Zarr group; IOLink replaces only a single Zarr array, never a group with what it holds. Name a new folder for the array, or remove the group yourself first.";
        }

        if (!Groups.IsFile(folder, ".zarray"))
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
            var chunkName = name.Length > 0 && name.All(c => char.IsAsciiDigit(c) || c == '.') && char.IsAsciiDigit(name[0]) && char.IsAsciiDigit(name[^1]);
            var ok = kind switch
            {
                FileKind.Regular => chunkName || (relative.Length == 0 && name is ".zarray" or ".zattrs"),
                FileKind.Directory => chunkName && !name.Contains('.', StringComparison.Ordinal),
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
    private sealed class ChunkWriter(ImageView view, ChunkStore store, int[] viewDimension, IProgress<double>? progress)
    {
        private readonly object _progressGate = new();
        private long _done;

        public void Run()
        {
            var metadata = store.Metadata;
            var total = metadata.ChunkCount;
            var threads = CopyParallelism.MaxDegreeOfParallelism;
            // Parts are runs of chunks: one part per chunk would cost more scheduling than small chunks take to write.
            var parts = (int)Math.Min(total, Math.Max(threads * 16L, 1));
            CopyParallelism.RunParts(parts, part =>
            {
                var first = total * part / parts;
                var end = total * (part + 1) / parts;
                var buffer = ArrayPool<byte>.Shared.Rent(metadata.ChunkBytes);
                try
                {
                    for (var n = first; n < end; n++)
                    {
                        WriteChunk(n, buffer);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
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

        private void WriteChunk(long number, byte[] buffer)
        {
            var metadata = store.Metadata;
            var rank = metadata.Shape.Length;
            var chunk = new long[rank];
            var rest = number;
            for (var a = rank - 1; a >= 0; a--)
            {
                chunk[a] = rest % metadata.Grid[a];
                rest /= metadata.Grid[a];
            }

            // The chunk's part inside the array, as a region of the view.
            var origin = new long[view.DimensionCount];
            var size = new long[view.DimensionCount];
            var lengths = new long[rank];
            var whole = true;
            for (var a = 0; a < rank; a++)
            {
                var start = chunk[a] * metadata.Chunks[a];
                lengths[a] = Math.Min(metadata.Chunks[a], metadata.Shape[a] - start);
                whole &= lengths[a] == metadata.Chunks[a];
                if (viewDimension[a] != ArrayAxes.ComponentAxis)
                {
                    origin[viewDimension[a]] = start;
                    size[viewDimension[a]] = lengths[a];
                }
            }

            var from = RegionStrides(viewDimension, size, view.DataType);
            var region = new RegionXu64(Vector(origin), Vector(size));

            var chunkStrides = metadata.ChunkStrides;
            if (whole && from.AsSpan().SequenceEqual(chunkStrides))
            {
                // The view's region, read densely, is the chunk's own layout: read it straight into the chunk.
                store.Write(chunk, ChunkStore.Start.Nothing, data => view.ReadRegion(region, data));
                return;
            }

            view.ReadRegion(region, buffer);
            fixed (byte* read = buffer)
            {
                var regionAddress = (nint)read;
                store.Write(chunk, whole ? ChunkStore.Start.Nothing : ChunkStore.Start.Fill, data =>
                {
                    fixed (byte* to = data)
                    {
                        StridedMemory.DangerousCopy((byte*)regionAddress, from, to, chunkStrides, lengths, metadata.Dtype.ItemType);
                    }
                });
            }
        }
    }
}
