namespace IOLink.Zarr;

/// <summary>How <see cref="ZarrArray.Write(ImageView, string, ZarrOptions, IProgress{double})"/> and <see cref="ZarrArray.Create"/> lay a new array out.</summary>
public sealed class ZarrOptions
{
    /// <summary>
    /// The chunk length per view dimension, in the view's order (as <c>iolink convert --chunks</c> takes them); null
    /// for chunks of at most 1 MiB. A vector element's components always share a chunk.
    /// </summary>
    public VectorXu64? Chunks { get; set; }

    /// <summary>The Zarr format written; default <see cref="ZarrFormat.V3"/>, as zarr-python 3 writes. Choose <see cref="ZarrFormat.V2"/> for zarr-python 2 and older Dask.</summary>
    public ZarrFormat Format { get; set; } = ZarrFormat.V3;

    /// <summary>
    /// The shard length per view dimension, in the view's order, or null for no shards: each shard is one stored object
    /// holding a block of chunks (<see cref="Chunks"/>, which must divide it along every dimension) and an index of
    /// them (Zarr v3's sharding codec; <see cref="ZarrFormat.V3"/> only). Shards are built whole in memory, one per
    /// thread at a time.
    /// </summary>
    public VectorXu64? Shards { get; set; }

    /// <summary>How chunks are compressed; default <see cref="ZarrCodec.Zstd"/>.</summary>
    public ZarrCodec Codec { get; set; } = ZarrCodec.Zstd;

    /// <summary>The compression level, or null for the codec's default.</summary>
    public int? Level { get; set; }

    /// <summary>The view's dimensions in the order the array's axes should have (rule 8), or null for the export rules' order.</summary>
    public ImageDimension[]? Order { get; set; }

    /// <summary>
    /// Whether chunk keys are nested folders (separator "/": <c>c/0/3/1</c> in v3, <c>0/3/1</c> in v2) rather than flat
    /// names (<c>c.0.3.1</c>, <c>0.3.1</c>); null for the format's default, as zarr-python writes: nested in v3, flat in v2.
    /// </summary>
    public bool? NestedChunkKeys { get; set; }

    /// <summary>
    /// Whether <see cref="ZarrArray.Write(ImageView, string, ZarrOptions, IProgress{double})"/> writes an OME-Zarr image (NGFF 0.5 in
    /// <see cref="ZarrFormat.V3"/>, 0.4 in <see cref="ZarrFormat.V2"/>): a group whose metadata names the axes (t, c, z, y, x) and the
    /// spatial spacing, holding the array as its level "0". The view's axes must be known.
    /// </summary>
    public bool OmeZarr { get; set; }
}
