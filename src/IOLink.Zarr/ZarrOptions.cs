namespace IOLink.Zarr;

/// <summary>How <see cref="ZarrArray.Write(ImageView, string, ZarrOptions, IProgress{double})"/> and <see cref="ZarrArray.Create"/> lay a new array out.</summary>
public sealed class ZarrOptions
{
    /// <summary>
    /// The chunk length per view dimension, in the view's order (as <c>iolink convert --chunks</c> takes them); null
    /// for chunks of at most 1 MiB. A vector element's components always share a chunk.
    /// </summary>
    public VectorXu64? Chunks { get; set; }

    /// <summary>How chunks are compressed; default <see cref="ZarrCodec.Zstd"/>.</summary>
    public ZarrCodec Codec { get; set; } = ZarrCodec.Zstd;

    /// <summary>The compression level, or null for the codec's default.</summary>
    public int? Level { get; set; }

    /// <summary>The view's dimensions in the order the array's axes should have (rule 8), or null for the export rules' order.</summary>
    public ImageDimension[]? Order { get; set; }

    /// <summary>Whether chunk keys are nested folders (<c>dimension_separator</c> "/", such as 0/3/1) rather than flat names (0.3.1).</summary>
    public bool NestedChunkKeys { get; set; }

    /// <summary>
    /// Whether <see cref="ZarrArray.Write(ImageView, string, ZarrOptions, IProgress{double})"/> writes an OME-Zarr (NGFF 0.4) image: a group whose metadata names the
    /// axes (t, c, z, y, x) and the spatial spacing, holding the array as its level "0". The view's axes must be known.
    /// </summary>
    public bool OmeZarr { get; set; }
}
