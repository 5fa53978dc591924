"""TiffFile from Python: stacks tifffile writes, read equal; contiguous ones shared with NumPy without a copy."""

import numpy as np
import pytest

tifffile = pytest.importorskip("tifffile")

from iolink import ImageCapability, ImageDimension, ImageInterpretation, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, TiffFile  # noqa: E402


def test_a_contiguous_stack_is_shared_with_numpy_without_a_copy(tmp_path):
    a = (np.arange(7 * 48 * 64) % 4093).astype(np.uint16).reshape(7, 48, 64)
    path = tmp_path / "stack.tif"
    tifffile.imwrite(path, a, photometric="minisblack")
    view = TiffFile.open(path)
    assert view.support(ImageCapability.MEMORY_ACCESS) and view.axes_interpretation() == ImageTypeId.VOLUME
    shared = NumpyInterop.to_numpy_array(view)
    assert shared.shape == a.shape and (shared == a).all() and not shared.flags.writeable
    # The array is the file's mapped pages: a change written to the file shows in it.
    offset = tifffile.TiffFile(path).pages[0].dataoffsets[0]
    with open(path, "r+b") as f:
        f.seek(offset + 2 * (3 * 64 + 5))
        f.write(np.uint16(54321).tobytes())
    assert shared[0, 3, 5] == 54321
    assert TiffFile.describe(path)["mappable"] is True


def test_a_tiled_deflate_image_reads_equal_and_regions_decode_only_their_tiles(tmp_path):
    a = np.linspace(-1, 1, 5 * 70 * 90, dtype=np.float32).reshape(5, 70, 90)
    path = tmp_path / "tiles.tif"
    tifffile.imwrite(path, a, tile=(32, 32), compression="zlib", photometric="minisblack")
    view = TiffFile.open(path)
    assert not view.support(ImageCapability.MEMORY_ACCESS)
    assert (NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view)) == a).all()
    out = np.empty((1, 10, 20), np.float32)
    view.read_region(RegionXu64((40, 5, 2), (20, 10, 1)), out=out)
    assert (out == a[2:3, 5:15, 40:60]).all()
    info = TiffFile.describe(path)
    assert (info["compression"], info["layout"], info["stack_pages"]) == ("Deflate", "tiles of 32 x 32", 5)


def test_what_is_not_a_tiff_is_a_value_error(tmp_path):
    path = tmp_path / "x.tif"
    path.write_bytes(b"GIF89a" + bytes(20))
    with pytest.raises(ValueError, match="not a TIFF file"):
        TiffFile.open(path)
    with pytest.raises(FileNotFoundError):
        TiffFile.open(tmp_path / "missing.tif")


def test_an_ome_tiff_opens_with_tifffiles_axes_voxel_size_and_channels_and_shares_its_pages(tmp_path):
    a = (np.arange(2 * 3 * 4 * 20 * 30) % 65521).astype(np.uint16).reshape(2, 3, 4, 20, 30)
    path = tmp_path / "cells.ome.tif"
    tifffile.imwrite(path, a, ome=True, photometric="minisblack", metadata={
        "axes": "TCZYX", "PhysicalSizeX": 0.5, "PhysicalSizeY": 0.5, "PhysicalSizeZ": 2.0, "Channel": {"Name": ["DAPI", "GFP", "RFP"]}})
    view = TiffFile.open(path)
    assert view.axes_interpretation() == ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE
    shared = NumpyInterop.to_numpy_array(view)
    # The NumPy rules put CHANNEL last: (T, Z, Y, X, C), a strided view of the file's mapped pages.
    assert shared.shape == (2, 4, 20, 30, 3) and (shared == np.moveaxis(a, 1, -1)).all()
    assert view.support(ImageCapability.MEMORY_ACCESS) and not shared.flags.c_contiguous
    assert tuple(view.properties().spatial_spacing) == (0.5, 0.5, 2.0) and view.properties().spatial_unit == "micrometer"
    info = TiffFile.describe(path)
    with tifffile.TiffFile(path) as t:
        assert info["series"][0]["axes"] == t.series[0].axes == "TCZYX"
    assert info["kind"] == "OME" and info["series"][0]["channel_names"] == ["DAPI", "GFP", "RFP"]


def test_every_image_of_a_file_is_a_frame_and_a_pyramid_is_a_lod_view(tmp_path):
    path = tmp_path / "two.ome.tif"
    b = (np.arange(64 * 96) % 251).astype(np.uint8).reshape(64, 96)
    with tifffile.TiffWriter(path, ome=True) as w:
        w.write(b, subifds=2, tile=(16, 16), compression="zlib", metadata={"axes": "YX"})
        w.write(b[::2, ::2], subfiletype=1, tile=(16, 16), compression="zlib")
        w.write(b[::4, ::4], subfiletype=1, tile=(16, 16), compression="zlib")
        w.write(np.ones((5, 7), np.float32), metadata={"axes": "YX"})
    frames = TiffFile.open_series(path)
    assert len(frames) == 2
    assert (NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(frames[1])) == 1).all()
    lod = TiffFile.open_lod(path)
    assert lod.level_range() == (0, 2)
    coarse = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(lod.resolution(2)))
    assert (coarse == b[::4, ::4]).all()
    assert [s["levels"] for s in TiffFile.describe(path)["series"]] == [3, 1]


def test_an_ome_tiff_written_by_iolink_is_read_by_tifffile_with_its_axes_pyramid_and_voxel_size(tmp_path):
    a = (np.arange(3 * 2 * 40 * 50) % 4093).astype(np.uint16).reshape(3, 2, 40, 50)   # (C, Z, Y, X)
    dims = [ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN]   # a 4-D array keeps its order
    view = ImageViewFactory.reinterpret_axes(NumpyInterop.from_numpy_array(a), dims)
    view.properties().spatial_spacing = (0.5, 0.5, 3.0)
    view.properties().spatial_unit = "micrometer"
    path = tmp_path / "written.ome.tif"
    TiffFile.write(view, path, compression="deflate", tile=(16, 16), levels=2, downsample="nearest")
    with tifffile.TiffFile(path) as t:
        s = t.series[0]
        assert s.axes == "CZYX" and t.is_ome and len(s.levels) == 2
        assert (s.asarray() == a).all() and (s.levels[1].asarray() == a[..., ::2, ::2]).all()
        assert 'PhysicalSizeZ="3"' in t.ome_metadata and 'PhysicalSizeXUnit="µm"' in t.ome_metadata
    with pytest.raises(ValueError, match="compression 'lzw'"):
        TiffFile.write(view, tmp_path / "x.tif", compression="lzw")


def test_a_plain_stack_opens_as_a_sequence_on_request_and_a_bilevel_page_as_binary(tmp_path):
    a = (np.arange(4 * 8 * 9) % 250).astype(np.uint8).reshape(4, 8, 9)
    path = tmp_path / "frames.tif"
    tifffile.imwrite(path, a, photometric="minisblack")
    assert TiffFile.open(path).axes_interpretation() == ImageTypeId.VOLUME
    frames = TiffFile.open(path, page_axis=ImageDimension.SEQUENCE)
    assert frames.axes_interpretation() == ImageTypeId.IMAGE_SEQUENCE
    assert (NumpyInterop.to_numpy_array(frames) == a).all()
    bits = tmp_path / "mask.tif"
    tifffile.imwrite(bits, a[0] % 3 == 0)
    view = TiffFile.open(bits)
    assert view.properties().image_interpretation == ImageInterpretation.BINARY
    mask = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))
    assert (mask == (a[0] % 3 == 0)).all()
    assert TiffFile.describe(bits)["bilevel"] is True


def _canonical(a, axes):
    """tifffile's array in IOLink's canonical order read back as NumPy sees it: T, Z, Y, X, and C (or samples) last."""
    order = sorted(range(a.ndim), key=lambda d: "TZQYXCS".index(axes[d]))
    return a.transpose(order)


@pytest.mark.parametrize("kind", ["ome-tczyx", "imagej-hyperstack", "tiled-deflate", "bigtiff", "big-endian", "planar-rgb", "pyramid"])
def test_what_this_tifffile_writes_reads_equal_with_its_axes(tmp_path, kind):
    """Under each Python stack's own tifffile (Debian 12's 2023.02, Debian 13's 2025.03)."""
    path = tmp_path / (kind + ".tif")
    a = (np.arange(2 * 3 * 4 * 20 * 30) % 65521).astype(np.uint16).reshape(2, 3, 4, 20, 30)
    if kind == "ome-tczyx":
        tifffile.imwrite(path, a, ome=True, photometric="minisblack", metadata={"axes": "TCZYX", "PhysicalSizeX": 0.5})
    elif kind == "imagej-hyperstack":
        tifffile.imwrite(path, a.transpose(0, 2, 1, 3, 4), imagej=True, resolution=(2.0, 2.0),
                         metadata={"axes": "TZCYX", "spacing": 3.0, "unit": "um"})
    elif kind == "tiled-deflate":
        tifffile.imwrite(path, a[0, 0], tile=(16, 16), compression="zlib", photometric="minisblack")
    elif kind == "bigtiff":
        tifffile.imwrite(path, a[0, 0], bigtiff=True, photometric="minisblack")
    elif kind == "big-endian":
        tifffile.imwrite(path, a[0, 0], byteorder=">", photometric="minisblack")
    elif kind == "planar-rgb":
        tifffile.imwrite(path, (a[0, :, 0] % 256).astype(np.uint8), photometric="rgb", planarconfig="separate")
    else:
        with tifffile.TiffWriter(path) as w:
            w.write(a[0, 0, 0], subifds=1, tile=(16, 16), metadata={"axes": "YX"})
            w.write(a[0, 0, 0, ::2, ::2], subfiletype=1, tile=(16, 16))
    with tifffile.TiffFile(path) as t:
        series = t.series[0]
        expected, axes = series.asarray(), series.axes
        levels = len(series.levels)
    view = TiffFile.open(path)
    got = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))
    assert (got == _canonical(expected, axes)).all()
    info = TiffFile.describe(path)["series"][0]
    assert info["axes"] == axes and info["levels"] == levels
    if kind == "imagej-hyperstack":
        assert tuple(view.properties().spatial_spacing) == (0.5, 0.5, 3.0)
    if kind == "ome-tczyx":
        assert view.properties().spatial_spacing[0] == 0.5
