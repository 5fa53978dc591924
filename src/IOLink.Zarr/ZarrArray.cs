using IOLink.Chunked;
using IOLink.Interop;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr;

/// <summary>
/// A Zarr array (v2, or v3 with or without shards) in a directory store as an image view: READ, and WRITE unless opened read-only; no
/// MEMORY_ACCESS: a <see cref="ChunkedImageView"/> over the array's chunks. Region reads decode only the chunks the region touches, in parallel (<see cref="CopyParallelism"/>),
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
public sealed partial class ZarrArray : ChunkedImageView
{
    /// <summary>The chunk cache of a newly opened array: 64 MiB of decoded chunks (64 chunks of 64^3 UINT16).</summary>
    public const long DefaultChunkCacheBytes = 64L << 20;

    private readonly ZarrMetadata _metadata;

    private ZarrArray(ChunkedArray array, ZarrMetadata metadata, AxisSpec axes, bool writable, bool isBool)
        : base(array, axes, writable, isBool: isBool)
    {
        _metadata = metadata;
    }

    /// <summary>A region write into a sharded array rewrites each shard it touches once (not once per inner chunk).</summary>
    protected override unsafe void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
    {
        if (ChunkedArray.Store is not ShardedStore sharded)
        {
            base.WriteRegionCore(origin, size, src);
            return;
        }

        var o = origin.ToArray();
        var s = size.ToArray();
        var address = (nint)src;
        sharded.Batched(() => base.WriteRegionCore(o, s, (byte*)address));
    }

    /// <summary>The array's folder, as given when it was opened.</summary>
    public string Path => ChunkedArray.Name;

    /// <summary>The array's lengths in its own axis order (zarr-python's <c>shape</c>).</summary>
    public IReadOnlyList<long> ArrayShape => _metadata.Shape;

    /// <summary>The lengths of the chunks the array is read by, in its own axis order (zarr-python's <c>chunks</c>; a sharded array's inner chunks).</summary>
    public IReadOnlyList<long> ArrayChunks => _metadata.ReadChunks;

    /// <summary>The shard lengths in the array's own axis order (zarr-python's <c>shards</c>), or null when each chunk is stored alone.</summary>
    public IReadOnlyList<long>? ArrayShards => _metadata.Shards?.ShardShape;

    /// <summary>How many shards the array has, stored or not (0 when it is not sharded).</summary>
    public long ShardCount => _metadata.Shards is null ? 0 : _metadata.Grid.ChunkCount;

    /// <summary>The Zarr format the array is stored in.</summary>
    public ZarrFormat Format => (ZarrFormat)_metadata.Format;

    /// <summary>A v3 array's <c>dimension_names</c> (null entries for unnamed dimensions), or null when it has none.</summary>
    public IReadOnlyList<string?>? DimensionNames => _metadata.DimensionNames;

    /// <summary>How a sharded array's shard index is stored (such as <c>index at the end with crc32c</c>), or null when it is not sharded.</summary>
    public string? ShardIndex => _metadata.Shards?.IndexDescription;

    /// <summary>The NumPy type string of the stored items, such as <c>&lt;u2</c> or <c>&gt;f4</c>.</summary>
    public string Dtype => _metadata.Dtype.Text;

    /// <summary>The compression of a chunk (an inner chunk, when sharded) as <c>iolink info</c> shows it, such as <c>zstd (level 1)</c> or <c>zstd (level 1), crc32c</c>, or <c>none</c>.</summary>
    public string Codec => _metadata.CodecDescription;

    /// <summary>How many chunks (inner chunks, when sharded) the array has, stored or not.</summary>
    public long ChunkCount => _metadata.ChunkCount;

    /// <summary>
    /// The most bytes of decoded chunks kept for repeated reads (default <see cref="DefaultChunkCacheBytes"/>; 0 keeps
    /// none, and a sharded array then keeps no shard index either: every read reads what it needs from the store). One
    /// chunk larger than this is kept alone until the next is decoded, so memory is bounded by the larger of this and
    /// the largest chunk.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long ChunkCacheBytes
    {
        get => ChunkedArray.Cache!.ByteBudget;
        set
        {
            ChunkedArray.Cache!.ByteBudget = value;
            if (ChunkedArray.Store is ShardedStore sharded)
            {
                sharded.CachesIndexes = value > 0;
            }
        }
    }
}
