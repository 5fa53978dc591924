namespace IOLink.Zarr;

/// <summary>The version of the Zarr format an array is stored in.</summary>
public enum ZarrFormat
{
    /// <summary>Zarr v2: <c>.zarray</c>, <c>.zgroup</c> and <c>.zattrs</c>; chunks named <c>0.3.1</c> (or <c>0/3/1</c>). What zarr-python 2 and Dask before 2025 read.</summary>
    V2 = 2,

    /// <summary>Zarr v3: one <c>zarr.json</c> per array or group; chunks named <c>c/0/3/1</c>; codecs in a pipeline, shards. What zarr-python 3 writes by default, and what OME-Zarr 0.5 is written in.</summary>
    V3 = 3,
}
