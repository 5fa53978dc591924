"""TIFF and BigTIFF files as IOLink views (the .NET TiffFile), from Python."""

from ._dotnet import load_assembly, translate
from ._model import ImageView

_assembly = None


def _net():
    """IOLink.Tiff, loaded when a TIFF file is first opened."""
    global _assembly
    if _assembly is None:
        _assembly = load_assembly("IOLink.Tiff")
    return _assembly


class TiffFile:
    """
    TIFF and BigTIFF files as read-only views. The first image of a file (a page, or a stack of pages alike) opens as
    one view: an IMAGE (X, Y) or a VOLUME (X, Y, Z), 2 to 4 samples per pixel as vector components, planar or more
    samples as a CHANNEL dimension. An uncompressed image stored contiguously in this machine's byte order is
    memory-mapped (MEMORY_ACCESS: `NumpyInterop.to_numpy_array` shares it, no copy); any other is read strip by strip
    or tile by tile, decoding only what a region touches.

        view = TiffFile.open("stack.tif")
        a = NumpyInterop.to_numpy_array(view)          # (Z, Y, X), mapped
    """

    @staticmethod
    @translate
    def open(path):
        """The first image of the TIFF file at path, memory-mapped when its layout allows."""
        return ImageView(_net().TiffFile.Open(str(path)))

    @staticmethod
    @translate
    def open_chunked(path):
        """The first image, read strip by strip or tile by tile, never mapped."""
        return ImageView(_net().TiffFile.OpenChunked(str(path)))

    @staticmethod
    @translate
    def describe(path):
        """What the file holds: TIFF or BigTIFF, byte order, pages, page size, samples, type, compression, layout, mapped."""
        d = _net().TiffFile.Describe(str(path))
        return {
            "bigtiff": bool(d.BigTiff), "byteorder": "<" if str(d.ByteOrder) == "LittleEndian" else ">",
            "pages": int(d.PageCount), "stack_pages": int(d.StackPages), "width": int(d.Width), "height": int(d.Height),
            "samples_per_pixel": int(d.SamplesPerPixel), "sample_type": str(d.SampleType), "compression": str(d.Compression),
            "layout": str(d.Layout), "planar": bool(d.Planar), "predictor": int(d.Predictor), "mappable": bool(d.Mappable),
            "description": None if d.Description is None else str(d.Description),
        }
