namespace IOLink.Zarr;

/// <summary>How a new Zarr array compresses its chunks (numcodecs codecs, read by zarr-python and Dask).</summary>
public enum ZarrCodec
{
    /// <summary>Chunks stored as they are.</summary>
    None,

    /// <summary>zlib (deflate), default level 1.</summary>
    Zlib,

    /// <summary>gzip (deflate with a gzip header), default level 1.</summary>
    Gzip,

    /// <summary>Zstandard, default level 1: managed, always available.</summary>
    Zstd,

    /// <summary>Blosc with LZ4 and byte shuffle, default level 5: zarr-python's default. Needs the c-blosc library (Debian: libblosc1).</summary>
    BloscLz4,

    /// <summary>Blosc with Zstandard and byte shuffle, default level 3. Needs the c-blosc library.</summary>
    BloscZstd,

    /// <summary>Blosc with zlib and byte shuffle, default level 5. Needs the c-blosc library.</summary>
    BloscZlib,
}
