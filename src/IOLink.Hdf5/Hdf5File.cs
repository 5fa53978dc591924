using IOLink.Storage;
using IOLink.Chunked;
using IOLink.Hdf5.Internal;
using IOLink.Interop;
using PureHDF;
using PureHDF.VOL.Native;

namespace IOLink.Hdf5;

/// <summary>
/// HDF5 datasets as image views. A contiguous dataset in this machine's byte order is memory-mapped: the view has
/// MEMORY_ACCESS and nothing is read until it is used, so a 4 GiB dataset opens at once and NumPy shares it. A chunked
/// dataset is read chunk by chunk through the chunked-array layer: a region decodes only the chunks it touches, on
/// every core, undoing deflate (gzip), shuffle, Fletcher-32, LZF and Zstandard filters. The file's structure
/// (superblock, groups, object headers, chunk indexes) is read by PureHDF.
/// </summary>
/// <remarks>
/// Axes follow the NumPy rules (as a .npy of the same array), unless the dataset names them: an <c>axes</c> attribute
/// (<c>"zyx"</c>, <c>"tczyx"</c>, as Ilastik and many pipelines write), or dimension labels (h5py's
/// <c>ds.dims[i].label</c>) of t, c, z, y and x. An <c>element_size_um</c> attribute (Ilastik, ImageJ) is the voxel size
/// in micrometres. Every other attribute is in the view's metadata under <c>hdf5/</c>.
/// </remarks>
public static partial class Hdf5File
{
    /// <summary>The most groups and datasets a file's tree is walked through, and how deep: a larger or deeper tree (or one that loops through hard links) is refused.</summary>
    private const int MaxObjects = 100_000, MaxDepth = 64;

    /// <summary>
    /// Opens dataset <paramref name="dataset"/> (a path such as <c>/scan/volume</c>) of the HDF5 file at
    /// <paramref name="path"/> as a read-only view; a file holding a single dataset opens without naming it.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The file holds several datasets and none was named, or none has that name (the message lists them).</exception>
    /// <exception cref="InvalidFileFormatException">The file is not HDF5, is damaged, or the dataset holds what IOLink does not read (the message says what).</exception>
    public static ImageView Open(string path, string? dataset = null) => Open(path, dataset, map: true);

    /// <summary>Opens the dataset read chunk by chunk (a contiguous one read by byte range), never mapped.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">As <see cref="Open(string, string?)"/>.</exception>
    /// <exception cref="InvalidFileFormatException">As <see cref="Open(string, string?)"/>.</exception>
    public static ImageView OpenChunked(string path, string? dataset = null) => Open(path, dataset, map: false);

    /// <summary>Every dataset of the file that IOLink can open or describe, by path, with its shape, type, layout and filters.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileFormatException">The file is not HDF5 or is damaged.</exception>
    public static IReadOnlyList<Hdf5DatasetDescription> Describe(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = Locations.OpenRead(path);
        CheckSignature(file, path);
        using var stream = new BufferedStream(file.AsStream(), 64 << 10);   // PureHDF reads its structures a few bytes at a time
        return Guard(path, () =>
        {
            using var h5 = H5File.Open(stream);
            return Datasets(h5, path).Select(d => DatasetDescription(d.Path, d.Dataset, path)).ToList();
        });
    }

    private static Hdf5DatasetDescription DatasetDescription(string name, NativeDataset dataset, string path)
    {
        var shape = dataset.Space.Type == H5DataspaceType.Simple ? dataset.Space.Dimensions.Select(d => (long)d).ToArray() : [];
        var layout = dataset.Layout.Class;
        var filters = layout == H5DataLayoutClass.Chunked ? PureHdfInternals.Filters(dataset) : [];
        string type;
        try
        {
            type = ItemType(dataset, name, path).Type.ToString();
        }
        catch (InvalidFileFormatException)
        {
            type = $"{dataset.Type.Class} of {dataset.Type.Size} bytes (not read)";
        }

        return new Hdf5DatasetDescription
        {
            Path = name,
            Shape = shape,
            DataType = type,
            Layout = layout.ToString().ToLowerInvariant(),
            Chunks = layout == H5DataLayoutClass.Chunked ? dataset.Layout.Chunks.Select(c => (long)c).ToArray() : null,
            Filters = filters.Select(f => Hdf5FilterCodec.FilterName(f.Id)).ToArray(),
            BigEndian = PureHdfInternals.BigEndian(dataset.Type),
        };
    }

    /// <summary>What an open holds, and which of it a view's store has taken over (the rest is closed when opening ends).</summary>
    private sealed class Opening(RandomAccess file) : IDisposable
    {
        public RandomAccess File { get; } = file;

        public Stream? Stream { get; set; }

        public NativeFile? H5 { get; set; }

        public bool StoreOwnsFile { get; set; }

        public bool StoreOwnsH5 { get; set; }

        public void Dispose()
        {
            if (!StoreOwnsH5)
            {
                H5?.Dispose();
                Stream?.Dispose();
            }

            if (!StoreOwnsFile)
            {
                File.Dispose();
            }
        }
    }

    private static ImageView Open(string path, string? name, bool map)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var opening = new Opening(Locations.OpenRead(path));
        var file = opening.File;
        CheckSignature(file, path);
        opening.Stream = new BufferedStream(file.AsStream(), 64 << 10);   // PureHDF reads its structures a few bytes at a time
        var h5 = Guard(path, () => H5File.Open(opening.Stream));
        opening.H5 = h5;
        var (datasetPath, dataset) = Find(h5, name, path);
        var where = $"'{path}' dataset '{datasetPath}'";
        var (type, isBool, bigEndian) = Guard(path, () => ItemType(dataset, datasetPath, path));
        if (Guard(path, () => dataset.Space.Type) != H5DataspaceType.Simple || Guard(path, () => dataset.Space.Dimensions.Length) == 0)
        {
            throw new InvalidFileFormatException($"{where} holds a single value, not an array; a view needs at least one dimension.");
        }

        var lengths = Guard(path, () => dataset.Space.Dimensions).Select(d => d <= long.MaxValue ? (long)d : throw new InvalidFileFormatException($"{where} has a dimension of {d} elements, past any array.")).ToArray();
        if (lengths.Contains(0))
        {
            throw new InvalidFileFormatException($"{where} is empty (shape ({string.Join(", ", lengths)})); a view needs at least one element.");
        }

        long bytes = type.ByteCount;
        foreach (var length in lengths)
        {
            if (bytes > long.MaxValue / length)
            {
                throw new InvalidFileFormatException($"{where} has shape ({string.Join(", ", lengths)}), more bytes than any file holds; the file is damaged.");
            }

            bytes *= length;
        }

        var heap = new Heap(file, Guard(path, () => PureHdfInternals.BaseAddress(dataset)));
        var axes = Axes(dataset, lengths.Length, heap);
        ImageView view = Guard(path, () => dataset.Layout.Class) switch
        {
            H5DataLayoutClass.Contiguous => Contiguous(opening, dataset, path, where, lengths, type, isBool, bigEndian, bytes, axes, map),
            H5DataLayoutClass.Chunked => Chunked(opening, dataset, path, where, lengths, type, isBool, bigEndian, axes),
            _ => Small(dataset, where, lengths, type, isBool, bigEndian, bytes, axes),
        };

        try
        {
            Annotate(view, dataset, axes, heap);
            return view;
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    /// <summary>A contiguous dataset: mapped when in this machine's byte order (and asked), else read by byte range as chunks of whole rows.</summary>
    private static ImageView Contiguous(Opening opening, NativeDataset dataset, string path, string where, long[] lengths, DataType type,
        bool isBool, bool bigEndian, long bytes, AxisSpec axes, bool map)
    {
        var file = opening.File;
        var (address, size) = Guard(path, () => PureHdfInternals.Contiguous(dataset, (ulong)bytes));
        var baseAddress = Guard(path, () => PureHdfInternals.BaseAddress(dataset));
        if (address == ulong.MaxValue)
        {
            // Never written: every element is the fill value.
            return Small(dataset, where, lengths, type, isBool, bigEndian, bytes, axes);
        }

        var offset = baseAddress + (long)Math.Min(address, (ulong)long.MaxValue / 2);
        if (size < (ulong)bytes || offset > file.Size || bytes > file.Size - offset)
        {
            throw new InvalidFileFormatException($"{where} lies at bytes {offset} to {offset + bytes} of a file of {file.Size}; the file is truncated or damaged.");
        }

        var strides = DenseStrides(lengths, type.ByteCount);
        if (map && !Locations.IsRemote(path) && bigEndian == !BitConverter.IsLittleEndian)
        {
            var mapped = RandomAccessFactory.MapFile(path);
            try
            {
                if (mapped.Size != file.Size)
                {
                    throw new IOException($"'{path}' changed while it was opened ({file.Size} bytes, then {mapped.Size}); open it again.");
                }

                var layout = axes.Import(lengths, strides, type, nameof(path), isBool);
                var view = ImageViewFactory.FromBuffer(mapped.Buffer + (nint)offset, bytes, layout, mapped, writable: false);
                mapped = null;   // the view owns the mapping now
                return view;
            }
            finally
            {
                mapped?.Dispose();
            }
        }

        // Rows of the outermost axis as chunks (as many as divide it evenly into about 1 MiB), each a byte range of the file.
        var rowBytes = bytes / lengths[0];
        var rows = Math.Max(1, Math.Min(lengths[0], (1L << 20) / Math.Max(1, rowBytes)));
        while (lengths[0] % rows != 0)
        {
            rows--;
        }

        var chunk = (long[])lengths.Clone();
        chunk[0] = rows;
        var fill = Fill(dataset, type);
        var store = new RangeStore(file, offset, rows * rowBytes, $"{where}");
        opening.StoreOwnsFile = true;
        return ChunkedView(store, ChunkGrid.Regular(lengths, chunk), type, bigEndian, [], fill, axes, isBool, path);
    }

    private static ChunkedImageView Chunked(Opening opening, NativeDataset dataset, string path, string where, long[] lengths, DataType type,
        bool isBool, bool bigEndian, AxisSpec axes)
    {
        var chunk = Guard(path, () => dataset.Layout.Chunks).Select(c => (long)c).ToArray();
        if (chunk.Length != lengths.Length || chunk.Any(c => c < 1))
        {
            throw new InvalidFileFormatException($"{where} has chunks ({string.Join(", ", chunk)}) for {lengths.Length} dimensions; the file is damaged.");
        }

        var chunkBytes = (decimal)type.ByteCount;
        foreach (var c in chunk)
        {
            chunkBytes *= Math.Min(c, long.MaxValue / 2);
            if (chunkBytes > int.MaxValue - 64)
            {
                throw new InvalidFileFormatException($"{where} has chunks of ({string.Join(", ", chunk)}) elements, over 2 GiB each; IOLink decodes a chunk into one buffer.");
            }
        }

        var filters = Guard(path, () => PureHdfInternals.Filters(dataset)).ToArray();
        foreach (var (id, _) in filters)
        {
            if (!Hdf5FilterCodec.Reads(id))
            {
                throw new InvalidFileFormatException(
                    $"{where} is compressed with {Hdf5FilterCodec.FilterName(id)}, which IOLink does not undo; it reads gzip, shuffle, fletcher32, lzf and zstd (h5py: compression='gzip').");
            }
        }

        var grid = ChunkGrid.Regular(lengths, chunk);
        var along = Enumerable.Range(0, lengths.Length).Select(a => grid.ChunksAlong(a)).ToArray();
        var index = Guard(path, () => new PureHdfInternals.ChunkIndex(dataset));
        var baseAddress = Guard(path, () => PureHdfInternals.BaseAddress(dataset));
        var fill = Fill(dataset, type);
        var store = new Hdf5Store(opening.File, new KeyValueStoreHolder(opening.H5!, opening.Stream!), index, baseAddress, along, where);
        opening.StoreOwnsFile = opening.StoreOwnsH5 = true;
        return ChunkedView(store, grid, type, bigEndian, filters, fill, axes, isBool, path);
    }

    private static ChunkedImageView ChunkedView(Storage.KeyValueStore store, ChunkGrid grid, DataType type, bool bigEndian, (int Id, uint[] ClientData)[] filters, byte[] fill,
        AxisSpec axes, bool isBool, string path)
    {
        // An HDF5 chunk's value starts with its filter mask, which the filter codec takes off (with or without filters).
        BytesToBytesCodec[] codecs = store is Hdf5Store ? [new Hdf5FilterCodec(filters, type.ByteCount)] : [];

        var pipeline = new CodecPipeline(new BytesCodec(bigEndian ? ByteOrder.BigEndian : ByteOrder.LittleEndian), codecs);
        var array = new ChunkedArray(store, grid, ChunkKeyEncoding.V2('/'), pipeline, type, fill, new IOLink.Chunked.ChunkCache(64L << 20), ownsStore: true, name: path);
        try
        {
            return new ChunkedImageView(array, axes, isBool: isBool);
        }
        catch
        {
            array.Close();
            throw;
        }
    }

    /// <summary>A compact dataset (or one never written): small, read whole by PureHDF into memory, which the view then is.</summary>
    private static ImageView Small(NativeDataset dataset, string where, long[] lengths, DataType type, bool isBool, bool bigEndian, long bytes, AxisSpec axes)
    {
        if (bytes > 64L << 20)
        {
            throw new InvalidFileFormatException($"{where} is stored compact (or never written) and holds {bytes} bytes; IOLink reads such datasets whole only up to 64 MiB.");
        }

        byte[] data;
        try
        {
            data = dataset.Read<byte[]>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            data = new byte[bytes];
            var fill = Fill(dataset, type);
            for (var i = 0; i + fill.Length <= data.Length; i += fill.Length)
            {
                fill.CopyTo(data, i);
            }
        }

        if (data.Length != bytes)
        {
            throw new InvalidFileFormatException($"{where} gave {data.Length} bytes for {bytes} of its shape; the file is damaged.");
        }

        if (bigEndian && type.ComponentByteCount > 1)
        {
            for (var i = 0; i < data.Length; i += type.ComponentByteCount)
            {
                data.AsSpan(i, type.ComponentByteCount).Reverse();
            }
        }

        var strides = DenseStrides(lengths, type.ByteCount);
        var layout = axes.Import(lengths, strides, type, "path", isBool);
        // The array read is the view's memory (pinned until the last view of it goes), not copied again.
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(data, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            return ImageViewFactory.FromBuffer(handle.AddrOfPinnedObject(), bytes, layout, new PinnedArray(handle), writable: false);
        }
        catch
        {
            handle.Free();
            throw;
        }
    }

    /// <summary>The byte strides of a dense array in C order (the last axis fastest), as HDF5 stores datasets.</summary>
    private static long[] DenseStrides(long[] lengths, long itemBytes)
    {
        var strides = new long[lengths.Length];
        var stride = itemBytes;
        for (var a = lengths.Length - 1; a >= 0; a--)
        {
            strides[a] = stride;
            stride *= lengths[a];
        }

        return strides;
    }

    /// <summary>Frees a pinned array when the last view of it goes.</summary>
    private sealed class PinnedArray(System.Runtime.InteropServices.GCHandle handle) : IDisposable
    {
        public void Dispose() => handle.Free();
    }

    /// <summary>Keeps PureHDF's file and the stream it reads open as long as a chunked view reads through its chunk index.</summary>
    private sealed class KeyValueStoreHolder(NativeFile file, Stream stream) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            stream.Dispose();
        }
    }

    /// <summary>The dataset's fill value as one item's bytes (zeros when it has none).</summary>
    private static byte[] Fill(NativeDataset dataset, DataType type)
    {
        try
        {
            if (dataset.FillValue.Value is { } value && value.Length == type.ByteCount)
            {
                var bytes = (byte[])value.Clone();
                return bytes;   // in the file's byte order, as the chunks are: the bytes codec swaps both alike
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No readable fill value: zeros, as HDF5's default.
        }

        return new byte[type.ByteCount];
    }

    /// <summary>The IOLink type of the dataset's items: integers and floats of every NumPy size, and h5py's bools (an 8-bit enum of FALSE and TRUE).</summary>
    private static (DataType Type, bool IsBool, bool BigEndian) ItemType(NativeDataset dataset, string name, string path)
    {
        var type = dataset.Type;
        var bigEndian = PureHdfInternals.BigEndian(type);
        DataType? result = (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? DataTypeId.INT8 : DataTypeId.UINT8,
            (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? DataTypeId.INT16 : DataTypeId.UINT16,
            (H5DataTypeClass.FixedPoint, 4) => type.FixedPoint.IsSigned ? DataTypeId.INT32 : DataTypeId.UINT32,
            (H5DataTypeClass.FixedPoint, 8) => type.FixedPoint.IsSigned ? DataTypeId.INT64 : DataTypeId.UINT64,
            (H5DataTypeClass.FloatingPoint, 4) => DataTypeId.FLOAT,
            (H5DataTypeClass.FloatingPoint, 8) => DataTypeId.DOUBLE,
            _ => null,
        };
        if (result is { } numeric)
        {
            return (numeric, false, bigEndian);
        }

        if (type.Class == H5DataTypeClass.Enumerated && type.Size == 1 && IsBoolEnum(type))
        {
            return (DataTypeId.UINT8, true, false);
        }

        throw new InvalidFileFormatException(
            $"'{path}' dataset '{name}' holds {type.Class} items of {type.Size} bytes; IOLink reads datasets of integers, floats and h5py's bools.");
    }

    private static bool IsBoolEnum(IH5DataType type)
    {
        try
        {
            var members = type.Enumeration.GetMembers<sbyte>();
            return members.Count == 2 && members.TryGetValue("FALSE", out var f) && f == 0 && members.TryGetValue("TRUE", out var t) && t == 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>
    /// The dataset's axes when it names them: an <c>axes</c> attribute of t, c, z, y, x letters (a string, or one per
    /// dimension), or dimension labels of those letters; otherwise the NumPy rules.
    /// </summary>
    private static AxisSpec Axes(NativeDataset dataset, int rank, Heap heap)
    {
        string[]? letters = null;
        if (Attribute(dataset, "axes", heap) is { } axes)
        {
            // One letter per axis, or one fewer: the last axis is then a vector element's components (as IOLink writes RGB).
            letters = axes switch
            {
                string text when text.Length == rank || (text.Length == rank - 1 && text.Length > 0) => text.Select(c => c.ToString()).ToArray(),
                string[] list when list.Length == rank || (list.Length == rank - 1 && list.Length > 0) => list,
                _ => null,
            };
        }

        if (letters is null && Attribute(dataset, "DIMENSION_LABELS", heap) is string[] labels && labels.Length == rank)
        {
            letters = labels;
        }

        if (letters is null)
        {
            return AxisSpec.Unknown;
        }

        var names = new ImageDimension[letters.Length];
        for (var i = 0; i < letters.Length; i++)
        {
            ImageDimension? dimension = letters[i].Trim().ToLowerInvariant() switch
            {
                "x" => ImageDimension.COLUMN,
                "y" => ImageDimension.ROW,
                "z" => ImageDimension.SLICE,
                "c" or "channel" or "channels" => ImageDimension.CHANNEL,
                "t" or "time" => ImageDimension.SEQUENCE,
                _ => null,
            };
            if (dimension is not { } d || names.AsSpan(0, i).Contains(d))
            {
                return AxisSpec.Unknown;   // labels that are not axes IOLink knows: the NumPy rules
            }

            names[i] = d;
        }

        return AxisSpec.Named(names);
    }

    /// <summary>The dataset's attributes into the view's metadata (<c>hdf5/name</c>), and <c>element_size_um</c> as its voxel size.</summary>
    private static void Annotate(ImageView view, NativeDataset dataset, AxisSpec axes, Heap heap)
    {
        var node = view.Metadata.Add("hdf5", null);
        foreach (var attribute in Guarded(() => dataset.Attributes().Take(1024).ToList()) ?? [])
        {
            if (attribute.Name.Contains('/', StringComparison.Ordinal) || attribute.Name.Length == 0 || attribute.Name is "DIMENSION_LIST" or "REFERENCE_LIST")
            {
                continue;
            }

            if (Value(attribute, heap) is { } value)
            {
                node.Add(attribute.Name, value);
            }
        }

        if (Attribute(dataset, "element_size_um", heap) is double[] sizes && sizes.Length == view.DimensionCount && sizes.All(s => s > 0 && double.IsFinite(s)))
        {
            // In the dataset's axis order: the NumPy rules (or the names) put X, Y, Z in reverse of it.
            var named = axes.Names;
            var spacing = view.Properties.SpatialSpacing;
            for (var i = 0; i < sizes.Length; i++)
            {
                var k = named is null ? sizes.Length - 1 - i : named[i] switch
                {
                    ImageDimension.COLUMN => 0,
                    ImageDimension.ROW => 1,
                    ImageDimension.SLICE => 2,
                    _ => -1,
                };
                if (k is >= 0 and < 3)
                {
                    spacing[k] = sizes[i];
                }
            }

            view.Properties.SpatialSpacing = spacing;
            view.Properties.SpatialUnit = "micrometer";
        }
    }

    private static object? Attribute(NativeDataset dataset, string name, Heap heap) =>
        Guarded(() => dataset.AttributeExists(name) ? Value(dataset.Attribute(name), heap) : null);

    /// <summary>The file's bytes and its superblock's base address, to check heap references before PureHDF follows them.</summary>
    private sealed record Heap(RandomAccess File, long BaseAddress);

    /// <summary>An attribute's value: text, a whole number, a float, or an array of one of these; null for any other kind.</summary>
    private static object? Value(IH5Attribute attribute, Heap heap) => Guarded<object?>(() =>
    {
        if (attribute.Type.Class == H5DataTypeClass.VariableLength && !PureHdfInternals.HeapReferencesAreSound(attribute, heap.File, heap.BaseAddress))
        {
            return null;   // a damaged heap reference: skipped, never followed (PureHDF would allocate what it claims)
        }

        var scalar = attribute.Space.Type == H5DataspaceType.Scalar;
        if (attribute.Space.Type == H5DataspaceType.Simple && attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) > 4096)
        {
            return null;
        }

        if (PureHdfInternals.BigEndian(attribute.Type))
        {
            return null;
        }

        return (attribute.Type.Class, attribute.Type.Size, attribute.Type.Class == H5DataTypeClass.FixedPoint && attribute.Type.FixedPoint.IsSigned) switch
        {
            (H5DataTypeClass.String, _, _) or (H5DataTypeClass.VariableLength, _, _) => scalar ? attribute.Read<string>() : attribute.Read<string[]>(),
            (H5DataTypeClass.FloatingPoint, 8, _) => scalar ? attribute.Read<double>() : attribute.Read<double[]>(),
            (H5DataTypeClass.FloatingPoint, 4, _) => scalar ? attribute.Read<float>() : attribute.Read<float[]>().Select(v => (double)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 8, true) => scalar ? attribute.Read<long>() : attribute.Read<long[]>(),
            (H5DataTypeClass.FixedPoint, 4, true) => scalar ? (long)attribute.Read<int>() : attribute.Read<int[]>().Select(v => (long)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 2, true) => scalar ? (long)attribute.Read<short>() : attribute.Read<short[]>().Select(v => (long)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 1, true) => scalar ? (long)attribute.Read<sbyte>() : attribute.Read<sbyte[]>().Select(v => (long)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 4, false) => scalar ? (long)attribute.Read<uint>() : attribute.Read<uint[]>().Select(v => (long)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 2, false) => scalar ? (long)attribute.Read<ushort>() : attribute.Read<ushort[]>().Select(v => (long)v).ToArray(),
            (H5DataTypeClass.FixedPoint, 1, false) => scalar ? (long)attribute.Read<byte>() : attribute.Read<byte[]>().Select(v => (long)v).ToArray(),
            _ => null,
        };
    });

    /// <summary>What <paramref name="read"/> gives, or default when the file's metadata cannot be read (metadata is optional: the data is not refused for it).</summary>
    private static T? Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not PureHdfInternals.MissingInternalException)
        {
            return default;   // including an allocation a damaged size asked for (OutOfMemoryException)
        }
    }

    /// <summary>
    /// Runs PureHDF on the file: whatever it throws on a damaged file (its own exceptions, argument and I/O errors from
    /// offsets that point nowhere) becomes an <see cref="InvalidFileFormatException"/> naming the file.
    /// </summary>
    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (InvalidFileFormatException or PureHdfInternals.MissingInternalException))
        {
            throw new InvalidFileFormatException($"'{path}' is damaged or not an HDF5 file IOLink can read ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>Refuses a file that has no HDF5 signature where HDF5 puts it (byte 0, 512, 1024, 2048, ...).</summary>
    private static void CheckSignature(RandomAccess file, string path)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];
        Span<byte> head = stackalloc byte[8];
        for (long at = 0; at + 8 <= file.Size; at = at == 0 ? 512 : at * 2)
        {
            file.Read(at, head);
            if (head.SequenceEqual(signature))
            {
                return;
            }
        }

        throw new InvalidFileFormatException($"'{path}' has no HDF5 signature (at byte 0, 512, 1024, ...); it is not an HDF5 file.");
    }

    /// <summary>The dataset to open: the one named, or the file's only one; otherwise an error listing them.</summary>
    private static (string Path, NativeDataset Dataset) Find(NativeFile h5, string? dataset, string path)
    {
        var all = Guard(path, () => Datasets(h5, path));
        if (dataset is not null)
        {
            var wanted = "/" + dataset.Trim('/');
            foreach (var (p, d) in all)
            {
                if (p == wanted)
                {
                    return (p, d);
                }
            }

            throw new ArgumentException($"'{path}' has no dataset '{wanted}'; its datasets are {List(all)}.", nameof(dataset));
        }

        if (all.Count == 1)
        {
            return all[0];
        }

        throw new ArgumentException(all.Count == 0
            ? $"'{path}' holds no dataset."
            : $"'{path}' holds {all.Count} datasets; name one ({List(all)}), with --dataset in the tool.", nameof(dataset));
    }

    private static string List(List<(string Path, NativeDataset Dataset)> all) =>
        all.Count == 0 ? "none" : string.Join(", ", all.Take(20).Select(d => d.Path)) + (all.Count > 20 ? $" and {all.Count - 20} more" : "");

    /// <summary>Every dataset in the file's tree, depth first, by path; a tree too large or too deep (a loop of hard links) is refused.</summary>
    private static List<(string Path, NativeDataset Dataset)> Datasets(NativeFile h5, string path)
    {
        var result = new List<(string, NativeDataset)>();
        var visited = 0;
        void Walk(IH5Group group, string prefix, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new InvalidFileFormatException($"'{path}' has groups nested more than {MaxDepth} deep at '{prefix}' (a loop of links?); IOLink does not walk it.");
            }

            foreach (var child in group.Children().OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                if (++visited > MaxObjects)
                {
                    throw new InvalidFileFormatException($"'{path}' has more than {MaxObjects} groups and datasets; IOLink does not walk it.");
                }

                if (child.Name.Length == 0 || child.Name.Contains('/', StringComparison.Ordinal))
                {
                    continue;   // a name no path can reach (a damaged file)
                }

                var childPath = prefix + "/" + child.Name;
                if (child is NativeDataset dataset)
                {
                    result.Add((childPath, dataset));
                }
                else if (child is IH5Group sub)
                {
                    Walk(sub, childPath, depth + 1);
                }
            }
        }

        Walk(h5, "", 0);
        return result;
    }
}

/// <summary>One dataset of an HDF5 file, as <see cref="Hdf5File.Describe"/> reads it.</summary>
public sealed class Hdf5DatasetDescription
{
    /// <summary>Its path in the file (<c>/group/name</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Its shape in the file's (NumPy's) order; empty for a single value.</summary>
    public required long[] Shape { get; init; }

    /// <summary>The IOLink type of its items, or what it holds when IOLink does not read it.</summary>
    public required string DataType { get; init; }

    /// <summary><c>contiguous</c>, <c>chunked</c> or <c>compact</c>.</summary>
    public required string Layout { get; init; }

    /// <summary>The chunk shape of a chunked dataset, or null.</summary>
    public long[]? Chunks { get; init; }

    /// <summary>Its filters, as h5py names them (gzip, shuffle, lzf, ...).</summary>
    public required string[] Filters { get; init; }

    /// <summary>Whether its numbers are big-endian.</summary>
    public bool BigEndian { get; init; }
}
