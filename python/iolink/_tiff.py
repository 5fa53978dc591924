"""TIFF and BigTIFF files as IOLink views (the .NET TiffFile), from Python."""

from ._dotnet import load_assembly, net as core, translate, location
from ._model import ImageView, _dimensions, _net_view

_assembly = None


def _net():
    """IOLink.Tiff, loaded when a TIFF file is first opened."""
    global _assembly
    if _assembly is None:
        _assembly = load_assembly("IOLink.Tiff")
    return _assembly


class TiffFile:
    """
    TIFF and BigTIFF files as read-only views. The first image of a file opens as one view: an OME-TIFF's first Image
    with its axes (T, C, Z as SEQUENCE, CHANNEL, SLICE), voxel size and channel names; an ImageJ hyperstack likewise;
    a plain page as an IMAGE (X, Y) and a stack of pages alike as a VOLUME (X, Y, Z). 2 to 4 samples per pixel are
    vector components, planar or more samples a CHANNEL dimension. Every image of a file opens with `open_series`
    (a MultiImageView), the resolutions of a pyramid with `open_lod` (a LodImageView). An uncompressed image stored contiguously in this machine's byte order is
    memory-mapped (MEMORY_ACCESS: `NumpyInterop.to_numpy_array` shares it, no copy); any other is read strip by strip
    or tile by tile, decoding only what a region touches.

        view = TiffFile.open("stack.tif")
        a = NumpyInterop.to_numpy_array(view)          # (Z, Y, X), mapped
    """

    @staticmethod
    @translate
    def open(path, page_axis=None):
        """The first image of the TIFF file at path, memory-mapped when its layout allows; the pages of a plain stack
        along page_axis (ImageDimension.SLICE, a VOLUME, by default; SEQUENCE for an IMAGE_SEQUENCE)."""
        if page_axis is None:
            return ImageView(_net().TiffFile.Open(location(path)))
        return ImageView(_net().TiffFile.Open(location(path), _dimensions([page_axis], "page_axis")[0]))

    @staticmethod
    @translate
    def open_chunked(path):
        """The first image, read strip by strip or tile by tile, never mapped."""
        return ImageView(_net().TiffFile.OpenChunked(location(path)))

    @staticmethod
    @translate
    def open_series(path):
        """Every image of the file (an OME-TIFF's Images, or each run of alike pages) as the frames of a MultiImageView."""
        from ._collections import MultiImageView
        return MultiImageView(_net().TiffFile.OpenSeries(location(path)))

    @staticmethod
    @translate
    def open_lod(path, series=0):
        """The resolutions of image `series` (SubIFD pyramids, or reduced pages after a page) as a LodImageView."""
        from ._collections import LodImageView
        return LodImageView(_net().TiffFile.OpenLod(location(path), int(series)))

    @staticmethod
    @translate
    def write(view, path, compression="none", level=None, tile=None, ome=True, bigtiff=None, levels=1, downsample="mean"):
        """Writes a readable view (or a LodImageView, as a pyramid) as a TIFF at path, under a temporary name renamed
        into place: an OME-TIFF by default, whose OME-XML names the axes (Z, C, T), the voxel size and the channels;
        compression "none" (strips in one contiguous run, which open() maps), "deflate" or "zstd" (in tiles of
        `tile` = (width, height), 256 x 256 by default); BigTIFF when over 4 GiB unless `bigtiff` says; `levels` > 1
        adds a pyramid of each plane halved in X and Y ("mean" or "nearest"), in SubIFDs as OME-TIFF pyramids are."""
        from ._collections import LodImageView
        net = _net()
        compressions = {"none": "None", "deflate": "Deflate", "zlib": "Deflate", "zstd": "Zstd"}
        if compression not in compressions:
            raise ValueError("compression %r is not one IOLink writes; use 'none', 'deflate' or 'zstd'" % (compression,))
        if downsample not in ("mean", "nearest"):
            raise ValueError("downsample %r: use 'mean' or 'nearest'" % (downsample,))
        options = net.TiffWriteOptions()
        options.Compression = getattr(net.TiffCompression, compressions[compression])
        if level is not None:
            options.CompressionLevel = int(level)
        if tile is not None:
            width, height = tile
            options.TileWidth, options.TileHeight = int(width), int(height)
        options.Ome = bool(ome)
        if bigtiff is not None:
            options.BigTiff = bool(bigtiff)
        options.Levels = int(levels)
        options.Downsample = getattr(core.DownsampleMethod, downsample.capitalize())
        if isinstance(view, LodImageView):
            net.TiffFile.Write(view._net, location(path), options, None)
        else:
            net.TiffFile.Write(_net_view(view), location(path), options, None)

    @staticmethod
    @translate
    def describe(path):
        """What the file holds: TIFF or BigTIFF, byte order, pages, page size, samples, type, compression, layout, mapped,
        how it describes its images (kind: OME, ImageJ, shaped, pages) and each image (series: axes and shape as
        tifffile gives them, levels, voxel size and unit, channel names)."""
        d = _net().TiffFile.Describe(location(path))
        return {
            "bigtiff": bool(d.BigTiff), "byteorder": "<" if str(d.ByteOrder) == "LittleEndian" else ">",
            "pages": int(d.PageCount), "stack_pages": int(d.StackPages), "width": int(d.Width), "height": int(d.Height),
            "samples_per_pixel": int(d.SamplesPerPixel), "sample_type": str(d.SampleType), "compression": str(d.Compression),
            "layout": str(d.Layout), "planar": bool(d.Planar), "predictor": int(d.Predictor), "mappable": bool(d.Mappable),
            "description": None if d.Description is None else str(d.Description), "kind": str(d.Kind), "bilevel": bool(d.Bilevel),
            "series": [{
                "name": str(s.Name), "axes": str(s.Axes), "shape": tuple(int(n) for n in s.Shape), "levels": int(s.Levels),
                "spacing": tuple(float(v) for v in s.Spacing), "unit": str(s.Unit),
                "channel_names": None if s.ChannelNames is None else [str(n) for n in s.ChannelNames],
            } for s in d.Series],
        }
