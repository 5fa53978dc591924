"""HDF5 datasets as IOLink views (the .NET Hdf5File), from Python."""

from ._dotnet import System, load_assembly, translate, location
from ._model import ImageView, _net_view

_assembly = None


def _net():
    """IOLink.Hdf5, loaded when an HDF5 file is first opened."""
    global _assembly
    if _assembly is None:
        _assembly = load_assembly("IOLink.Hdf5")
    return _assembly


class Hdf5File:
    """
    HDF5 datasets as read-only views. A contiguous dataset in this machine's byte order is memory-mapped
    (MEMORY_ACCESS: `NumpyInterop.to_numpy_array` shares the file's pages, no copy); a chunked one is read chunk by
    chunk, decoding only what a region touches (gzip, shuffle, lzf, fletcher32, zstd). A file holding one dataset
    opens without naming it; otherwise name one (`dataset="/entry/data"`), and the error lists them. Axes follow the
    NumPy rules, as for a .npy of the same array, unless the dataset names them (an `axes` attribute such as "zyx",
    or h5py dimension labels); `element_size_um` is the voxel size; other attributes are in the view's metadata.

        view = Hdf5File.open("scan.h5", "/entry/volume")
        a = NumpyInterop.to_numpy_array(view)          # the dataset's array, mapped when contiguous
    """

    @staticmethod
    @translate
    def open(path, dataset=None):
        """The dataset of the HDF5 file at path (the only one when None), memory-mapped when contiguous."""
        return ImageView(_net().Hdf5File.Open(location(path), None if dataset is None else str(dataset)))

    @staticmethod
    @translate
    def open_chunked(path, dataset=None):
        """The dataset, read chunk by chunk (a contiguous one by byte range), never mapped."""
        return ImageView(_net().Hdf5File.OpenChunked(location(path), None if dataset is None else str(dataset)))

    @staticmethod
    @translate
    def describe(path):
        """Every dataset of the file: path, shape (NumPy order), IOLink type, layout, chunks, filters, byte order."""
        return [{
            "path": str(d.Path), "shape": tuple(int(n) for n in d.Shape), "data_type": str(d.DataType),
            "layout": str(d.Layout), "chunks": None if d.Chunks is None else tuple(int(n) for n in d.Chunks),
            "filters": [str(f) for f in d.Filters], "big_endian": bool(d.BigEndian),
        } for d in _net().Hdf5File.Describe(location(path))]

    @staticmethod
    @translate
    def write(view, path, dataset="/data", chunks=None, gzip=1, shuffle=True):
        """Writes a readable view as a new HDF5 file at path holding one chunked dataset (NumPy's order; chunks in
        that order, about 1 MiB by default; gzip level 1, 6 or 9, or 0 for none; shuffle before it), with the view's
        axes and voxel size as attributes, under a temporary name renamed into place. h5py reads it."""
        options = _net().Hdf5WriteOptions()
        options.Dataset = str(dataset)
        if chunks is not None:
            options.Chunks = System.Array[System.Int64]([int(c) for c in chunks])
        options.GzipLevel = int(gzip)
        options.Shuffle = bool(shuffle)
        _net().Hdf5File.Write(_net_view(view), location(path), options, None)
