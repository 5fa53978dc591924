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
public sealed unsafe partial class ZarrArray : ImageView
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
}
