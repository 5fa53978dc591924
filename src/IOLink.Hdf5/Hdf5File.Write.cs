using System.Runtime.InteropServices;
using IOLink.Files;
using IOLink.Interop;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace IOLink.Hdf5;

/// <summary>How <see cref="Hdf5File.Write"/> writes a dataset.</summary>
public sealed class Hdf5WriteOptions
{
    /// <summary>The dataset's path in the new file; <c>/data</c> by default.</summary>
    public string Dataset { get; set; } = "/data";

    /// <summary>
    /// The chunk shape in the dataset's (NumPy's) order, or null for chunks of about 1 MiB: whole rows of the last
    /// axes, split along the first. Chunks always span a vector element's components.
    /// </summary>
    public long[]? Chunks { get; set; }

    /// <summary>The gzip (deflate) level: 1 (default), 6 or 9 (what PureHDF writes); 0 for no compression.</summary>
    public int GzipLevel { get; set; } = 1;

    /// <summary>Whether bytes are shuffled before compression (h5py's shuffle=True); true by default, which shrinks most images.</summary>
    public bool Shuffle { get; set; } = true;
}

public static partial class Hdf5File
{
    /// <summary>
    /// Writes <paramref name="view"/> as a new HDF5 file at <paramref name="path"/> holding one chunked dataset (by
    /// default <c>/data</c>, gzip level 1 with shuffle): the array the NumPy rules see in the view (what
    /// <c>NumpyInterop.ToNumpyArray</c> gives: NumPy's order for known axes, the view's order for UNKNOWN ones, a vector's
    /// components last), which <see cref="Open(string, string?)"/> reads back as the same view and h5py as the same array. Its axes (when the
    /// view knows them) are an <c>axes</c> attribute of t, c, z, y, x letters (none for a vector's components), its
    /// voxel size in micrometres an <c>element_size_um</c> attribute. Streamed: a slab of whole chunks along the first axis is read from the view
    /// at a time and its chunks compressed and written, so memory stays bounded by one slab. The file is written
    /// under a temporary name and renamed into place when complete.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not valid, or the view's type has no HDF5 form here.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(ImageView view, string path, Hdf5WriteOptions? options = null, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new Hdf5WriteOptions();
        ObjectDisposedException.ThrowIf(view.IsDisposed, view);
        if (!view.Support(ImageCapability.READ))
        {
            throw new NotSupportedException("The view cannot be read (it has no READ capability), so it cannot be written as HDF5.");
        }

        if (options.GzipLevel is not (0 or 1 or 6 or 9))
        {
            throw new ArgumentException($"GzipLevel {options.GzipLevel}: IOLink writes gzip levels 1, 6 and 9 (or 0 for none).", nameof(options));
        }

        var name = options.Dataset.Trim('/');
        if (name.Length == 0 || name.Split('/').Any(p => p.Length == 0 || p is "." or ".."))
        {
            throw new ArgumentException($"Dataset '{options.Dataset}' is not a dataset path; give one such as /data or /scan/volume.", nameof(options));
        }

        var type = view.DataType;
        var component = type.ComponentType;
        if (type.Interpretation is not (DataTypeInterpretation.RAW or DataTypeInterpretation.VECTOR) || !component.TryGetNamedId(out var id)
            || id is not (DataTypeId.UINT8 or DataTypeId.INT8 or DataTypeId.UINT16 or DataTypeId.INT16 or DataTypeId.UINT32 or DataTypeId.INT32
                or DataTypeId.UINT64 or DataTypeId.INT64 or DataTypeId.FLOAT or DataTypeId.DOUBLE))
        {
            throw new ArgumentException($"The view holds {type} elements; IOLink writes HDF5 datasets of integers and floats (vectors as a last axis). Adapt the type first (ImageViewFactory.AdaptDataType).", nameof(view));
        }

        // The dataset is the array the NumPy rules see in the view (what NumpyInterop.to_numpy_array gives): a known
        // interpretation in NumPy order (CHANNEL last), UNKNOWN axes in the view's order, a vector's components last.
        var array = ArrayAxes.Export(view);
        var dims = array.Lengths.ToArray().Select(l => (ulong)l).ToList();
        var mapping = array.Dimensions.ToArray();
        var chunks = Chunks(options.Chunks, dims, component.ByteCount);
        if (array.HasComponentAxis)
        {
            chunks[^1] = type.Dimension;   // a vector element's components stay in one chunk
        }

        var attributes = new Dictionary<string, object>();
        if (view.AxesInterpretation.IsKnown)
        {
            var named = view.AxesInterpretation.Dimensions;
            // 2 to 4 components (the last axis) are not named: they read back as the element (RGB); more are channels.
            var letters = mapping.Where(d => d != ArrayAxes.ComponentAxis).Select(d => named[d] switch
            {
                ImageDimension.COLUMN => 'x',
                ImageDimension.ROW => 'y',
                ImageDimension.SLICE => 'z',
                ImageDimension.CHANNEL => 'c',
                _ => 't',
            });
            attributes["axes"] = new string([.. letters]) + (array.HasComponentAxis && type.Dimension > 4 ? "c" : "");
            if (view.Properties.SpatialUnit is "micrometer" or "um" or "µm")
            {
                var spacing = view.Properties.SpatialSpacing;
                var sizes = mapping.Where(d => d != ArrayAxes.ComponentAxis).Select(d => named[d] switch
                {
                    ImageDimension.COLUMN => spacing[0],
                    ImageDimension.ROW => spacing[1],
                    ImageDimension.SLICE => spacing[2],
                    _ => 1.0,
                });
                attributes["element_size_um"] = array.HasComponentAxis && type.Dimension > 4 ? [.. sizes, 1.0] : sizes.ToArray();
            }
        }

        OutputFile.Write(path, 0, stream =>
        {
            if (!stream.CanRead || !stream.CanSeek)
            {
                throw new IOException($"'{path}' is not a regular file; HDF5 is written with its index filled in at the end, so write it to a file.");
            }

            switch (id)
            {
                case DataTypeId.UINT8: WriteTyped<byte>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.INT8: WriteTyped<sbyte>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.UINT16: WriteTyped<ushort>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.INT16: WriteTyped<short>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.UINT32: WriteTyped<uint>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.INT32: WriteTyped<int>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.UINT64: WriteTyped<ulong>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.INT64: WriteTyped<long>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                case DataTypeId.FLOAT: WriteTyped<float>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
                default: WriteTyped<double>(view, stream, name, dims, mapping, chunks, attributes, options, progress); break;
            }
        });
        progress?.Report(1);
    }

    /// <summary>The chunk shape: the one given (checked), or about 1 MiB of whole trailing rows, split along the first axes.</summary>
    private static uint[] Chunks(long[]? given, List<ulong> dims, int itemBytes)
    {
        if (given is not null)
        {
            if (given.Length != dims.Count || given.Any(c => c < 1 || c > uint.MaxValue))
            {
                throw new ArgumentException(
                    $"Chunks ({string.Join(", ", given)}) do not fit a dataset of shape ({string.Join(", ", dims)}); give one positive length per dimension, in NumPy's order.", nameof(given));
            }

            return given.Select((c, i) => (uint)Math.Min((ulong)c, dims[i])).ToArray();
        }


        // From the last axis back: whole axes while they fit in 1 MiB, then the part of the next one that does.
        var chunks = new uint[dims.Count];
        long bytes = itemBytes;
        for (var a = dims.Count - 1; a >= 0; a--)
        {
            var fit = Math.Max(1, (1L << 20) / bytes);
            chunks[a] = (uint)Math.Min((ulong)fit, Math.Min(dims[a], uint.MaxValue));
            bytes *= chunks[a];
        }

        return chunks;
    }

    private static void WriteTyped<T>(ImageView view, Stream stream, string name, List<ulong> dims, int[] mapping, uint[] chunks, Dictionary<string, object> attributes,
        Hdf5WriteOptions options, IProgress<double>? progress)
        where T : unmanaged
    {
        var filters = new List<H5Filter>();
        if (options.GzipLevel > 0)
        {
            if (options.Shuffle)
            {
                filters.Add(ShuffleFilter.Id);
            }

            filters.Add(new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = options.GzipLevel == 6 ? -1 : options.GzipLevel }));
        }

        var cache = new SlabChunkCache();
        var dataset = new H5Dataset<T[]>(fileDims: [.. dims], chunks: chunks, datasetCreation: new H5DatasetCreation(ChunkCache: cache, Filters: filters));
        foreach (var (key, value) in attributes)
        {
            dataset.Attributes[key] = value;
        }

        // Groups along the path, the dataset in the innermost.
        var file = new H5File();
        H5Group group = file;
        var parts = name.Split('/');
        foreach (var part in parts[..^1])
        {
            var next = new H5Group();
            group[part] = next;
            group = next;
        }

        group[parts[^1]] = dataset;

        // Blocks of whole chunks along the first axes and whole lengths along the rest, each at most 64 MiB (or one
        // chunk), read from the view in its canonical order, which is the block's C order in the dataset's axes.
        var rank = dims.Count;
        var split = 0;
        while (split < rank)
        {
            ulong blockBytes = (ulong)Marshal.SizeOf<T>();
            for (var a = 0; a < rank; a++)
            {
                blockBytes *= a < split ? chunks[a] : dims[a];
            }

            if (blockBytes <= 64UL << 20)
            {
                break;
            }

            split++;
        }

        var block = new ulong[rank];
        for (var a = 0; a < rank; a++)
        {
            block[a] = a < split ? chunks[a] : dims[a];
        }

        var blockElements = block.Aggregate(1UL, (x, y) => x * y);
        var buffer = new T[blockElements];
        var staging = Permutes(mapping) ? new T[blockElements] : null;
        var total = dims.Aggregate(1UL, (x, y) => x * y);
        ulong done = 0;
        var position = new ulong[rank];
        var viewRank = view.DimensionCount;
        using (var writer = file.BeginWrite(stream, new H5WriteOptions(PreferCompactDatasetLayout: false)))
        {
            while (true)
            {
                var sizes = new ulong[rank];
                for (var a = 0; a < rank; a++)
                {
                    sizes[a] = Math.Min(block[a], dims[a] - position[a]);
                }

                var elements = sizes.Aggregate(1UL, (x, y) => x * y);
                var data = elements == blockElements ? buffer : new T[elements];
                var origin = new ulong[viewRank];
                var size = view.Shape.ToArray();
                for (var a = 0; a < rank; a++)
                {
                    if (mapping[a] != ArrayAxes.ComponentAxis)
                    {
                        origin[mapping[a]] = position[a];
                        size[mapping[a]] = sizes[a];
                    }
                }

                var region = new RegionXu64(new VectorXu64(origin), new VectorXu64(size));
                if (staging is null)
                {
                    view.ReadRegion(region, MemoryMarshal.AsBytes(data.AsSpan()));   // canonical order is the block's C order
                }
                else
                {
                    var read = elements == blockElements ? staging : new T[elements];
                    view.ReadRegion(region, MemoryMarshal.AsBytes(read.AsSpan()));
                    Permute(read, data, sizes, mapping, size, (int)view.DataType.Dimension);
                }

                writer.Write(dataset, data, fileSelection: new HyperslabSelection(rank, [.. position], sizes));
                cache.Flush();
                done += elements;
                progress?.Report((double)done / total);

                // The next block: the odometer over the split axes, the last of them fastest.
                var axis = split - 1;
                while (axis >= 0)
                {
                    position[axis] += block[axis];
                    if (position[axis] < dims[axis])
                    {
                        break;
                    }

                    position[axis] = 0;
                    axis--;
                }

                if (axis < 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Whether the array's axes are not simply the view's dimensions reversed (components last), so a block read in canonical order needs reordering.</summary>
    private static bool Permutes(int[] mapping)
    {
        var dims = mapping.Where(d => d != ArrayAxes.ComponentAxis).ToArray();
        for (var k = 0; k < dims.Length; k++)
        {
            if (dims[k] != dims.Length - 1 - k)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A block read in the view's canonical order (view dimension 0 fastest, components innermost) into the C order of
    /// the array's axes (the last fastest).
    /// </summary>
    private static void Permute<T>(T[] source, T[] target, ulong[] sizes, int[] mapping, ulong[] viewSizes, int components)
        where T : unmanaged
    {
        var rank = sizes.Length;
        // The source stride, in items, of each array axis.
        var viewStrides = new long[viewSizes.Length];
        long stride = components;
        for (var d = 0; d < viewSizes.Length; d++)
        {
            viewStrides[d] = stride;
            stride *= (long)viewSizes[d];
        }

        var strides = mapping.Select(d => d == ArrayAxes.ComponentAxis ? 1L : viewStrides[d]).ToArray();
        var index = new ulong[rank];
        long at = 0;
        var inner = rank - 1;
        var innerStride = strides[inner];
        var innerLength = (int)sizes[inner];
        for (long t = 0; t < target.Length; t += innerLength)
        {
            var s = at;
            for (var i = 0; i < innerLength; i++, s += innerStride)
            {
                target[t + i] = source[s];
            }

            // The odometer over the outer axes.
            for (var a = inner - 1; a >= 0; a--)
            {
                index[a]++;
                at += strides[a];
                if (index[a] < sizes[a])
                {
                    break;
                }

                at -= strides[a] * (long)sizes[a];
                index[a] = 0;
            }
        }
    }

    /// <summary>
    /// PureHDF's chunks of the slab just written, compressed and written as soon as the slab is complete (its own
    /// cache keeps every chunk until the file is closed): memory stays one slab of chunks.
    /// </summary>
    private sealed class SlabChunkCache : IWritingChunkCache
    {
        private readonly Dictionary<ulong, (Memory<byte> Chunk, Action<ulong, Memory<byte>> Writer)> _chunks = [];

        public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
        {
            if (!_chunks.TryGetValue(chunkIndex, out var entry))
            {
                entry = (chunkAllocator(), chunkWriter);
                _chunks[chunkIndex] = entry;
            }

            return entry.Chunk;
        }

        /// <summary>Writes every chunk held, and forgets them.</summary>
        public void Flush()
        {
            foreach (var (index, entry) in _chunks)
            {
                entry.Writer(index, entry.Chunk);
            }

            _chunks.Clear();
        }

        public void Flush(Action<ulong, Memory<byte>> chunkWriter)
        {
            foreach (var (index, entry) in _chunks)
            {
                chunkWriter(index, entry.Chunk);
            }

            _chunks.Clear();
        }
    }
}
