"""Zarr arrays (v2, and v3 with shards) and OME-Zarr images as IOLink views (the .NET ZarrArray): open, create and write, from Python."""

from ._dotnet import System, load_assembly, net, translate, location
from ._model import ImageView, _data_type, _dimensions, _image_type, _net_view, _vector

_assembly = None


def _net():
    """IOLink.Zarr, loaded when a Zarr array is first used."""
    global _assembly
    if _assembly is None:
        _assembly = load_assembly("IOLink.Zarr")
    return _assembly

_CODECS = {
    "zstd": "Zstd", "blosc-lz4": "BloscLz4", "blosc-zstd": "BloscZstd", "blosc-zlib": "BloscZlib",
    "zlib": "Zlib", "gzip": "Gzip", "none": "None",
}


def _options(chunks, codec, level, order, nested, ome_zarr, zarr_format=3, shards=None):
    if codec not in _CODECS:
        raise ValueError("codec %r is not one of %s" % (codec, ", ".join(sorted(_CODECS))))
    if zarr_format not in (2, 3) or isinstance(zarr_format, bool):
        raise ValueError("zarr_format must be 2 or 3, not %r" % (zarr_format,))
    options = _net().ZarrOptions()
    options.Format = getattr(_net().ZarrFormat, "V%d" % zarr_format)
    options.Codec = getattr(_net().ZarrCodec, _CODECS[codec])
    if chunks is not None:
        options.Chunks = _vector(chunks, "chunks")
    if shards is not None:
        options.Shards = _vector(shards, "shards")
    if level is not None:
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError("level must be an int, not %s" % type(level).__name__)
        options.Level = System.Nullable[System.Int32](level)
    if order is not None:
        options.Order = _dimensions(order, "order")
    if nested is not None:
        options.NestedChunkKeys = System.Nullable[System.Boolean](bool(nested))
    options.OmeZarr = bool(ome_zarr)
    return options


class ZarrArray:
    """
    Zarr arrays (v2, and v3 with or without shards) in a directory store as views (READ, WRITE unless read-only, no MEMORY_ACCESS): region reads
    decode only the chunks they touch, on every core. Axes follow the NumPy rules as for .npy files.

        view = ZarrArray.open("ct.zarr", image_type=ImageTypeId.VOLUME)
        a = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))
    """

    @staticmethod
    @translate
    def open(path, writable=False, image_type=None, axes=None):
        """The array at path (a folder with zarr.json or .zarray, or an OME-Zarr image's group) as a view; image_type (rule 2)
        or axes (rule 3, in the array's axis order) name its axes, otherwise rule 1 or the OME-Zarr axes."""
        path = location(path)
        if image_type is not None and axes is not None:
            raise ValueError("give image_type or axes, not both")
        if axes is not None:
            return ImageView(_net().ZarrArray.Open(path, bool(writable), _dimensions(axes, "axes")))
        if image_type is not None:
            return ImageView(_net().ZarrArray.Open(path, bool(writable), _image_type(image_type)))
        return ImageView(_net().ZarrArray.Open(path, bool(writable)))

    @staticmethod
    @translate
    def open_level(path, level, writable=False):
        """Resolution level `level` of the OME-Zarr image at path (0: full resolution), with its axes and spacing."""
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError("level must be an int, not %s" % type(level).__name__)
        return ImageView(_net().ZarrArray.OpenLevel(location(path), level, bool(writable)))

    @staticmethod
    @translate
    def open_lod(path, writable=False):
        """The OME-Zarr image at path as one LodImageView (its levels finest first, with their axes and spacing)."""
        from ._collections import LodImageView
        return LodImageView(_net().ZarrArray.OpenLod(location(path), bool(writable)))

    @staticmethod
    @translate
    def level_paths(path):
        """The resolution levels of the OME-Zarr image at path, as paths below it ([''] for a single array)."""
        return [str(p) for p in _net().ZarrArray.LevelPaths(location(path))]

    @staticmethod
    @translate
    def create(path, shape, data_type, image_type=None, chunks=None, codec="zstd", level=None, order=None, nested=None, zarr_format=3):
        """A new, empty array (every element reads as 0) for a view of shape and data_type, opened writable;
        zarr_format 3 (default, as zarr-python 3 writes) or 2."""
        interpretation = _image_type(image_type) if image_type is not None else net.ImageType.Unknown
        options = _options(chunks, codec, level, order, nested, False, zarr_format)
        return ImageView(_net().ZarrArray.Create(location(path), _vector(shape, "shape"), _data_type(data_type), interpretation, options))

    @staticmethod
    @translate
    def write(view, path, chunks=None, codec="zstd", level=None, order=None, nested=None, ome_zarr=False, zarr_format=3, shards=None):
        """Writes a readable view as a new Zarr array (or OME-Zarr image) at path, chunk by chunk on every core:
        Zarr v3 by default (zarr_format=2 for zarr-python 2 and older Dask), with shards of `shards` elements per
        dimension (v3 only; each a whole number of chunks) when given, OME-Zarr 0.5 in v3 and 0.4 in v2;
        an existing Zarr array there is replaced when the new one is complete. A Zarr group, or an array folder holding
        other files, is never replaced (OSError). A LodImageView is written as an OME-Zarr image with one array per
        level (a lazy pyramid is computed as it is written)."""
        from ._collections import LodImageView
        options = _options(chunks, codec, level, order, nested, ome_zarr, zarr_format, shards)
        if isinstance(view, LodImageView):
            _net().ZarrArray.Write(view._net, location(path), options, None)
        else:
            _net().ZarrArray.Write(_net_view(view), location(path), options, None)

    @staticmethod
    @translate
    def info(view):
        """What a Zarr view is stored as: format (2 or 3), array shape, chunks and shards (array order; shards None when
        not sharded), dtype, codec, dimension names (v3), chunks decoded so far."""
        z = _net_view(view)
        if not isinstance(z, _net().ZarrArray):
            raise TypeError("info() takes a view that ZarrArray.open or create returned")
        return {
            "path": str(z.Path), "shape": tuple(int(n) for n in z.ArrayShape), "chunks": tuple(int(n) for n in z.ArrayChunks),
            "dtype": str(z.Dtype), "codec": str(z.Codec), "chunks_decoded": int(z.ChunksDecoded),
            "format": int(z.Format), "shards": None if z.ArrayShards is None else tuple(int(n) for n in z.ArrayShards),
            "dimension_names": None if z.DimensionNames is None else tuple(None if n is None else str(n) for n in z.DimensionNames),
        }
