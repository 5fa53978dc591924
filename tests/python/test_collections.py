"""LodImageView and MultiImageView from Python: levels and frames, their errors, and an OME-Zarr pyramid written by zarr-python."""

import numpy as np
import pytest

from iolink import (ImageTypeId, ImageViewFactory, LodImageView, LodImageViewFactory, MultiImageViewFactory, NumpyInterop, ZarrArray)


def volume(shape, start=0):
    return (np.arange(np.prod(shape)) + start).astype(np.uint16).reshape(shape)


def test_levels_from_views_share_their_data_and_name_their_range():
    arrays = [volume((8, 12, 16)), volume((4, 6, 8)), volume((2, 3, 4))]
    views = [NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME) for a in arrays]
    with LodImageViewFactory.from_views(views) as lod:
        assert lod.level_range() == (0, 2) and len(lod) == 3
        assert [tuple(v.shape()) for v in lod] == [(16, 12, 8), (8, 6, 4), (4, 3, 2)]
        level = lod.resolution(1)
        np.asarray(level)[1, 2, 3] = 999            # the level is the caller's array's memory
        assert arrays[1][1, 2, 3] == 999
        with pytest.raises(ValueError, match="levels 0 to 2"):
            lod.resolution(5)
        with pytest.raises(TypeError):
            lod.resolution("0")
    with pytest.raises(ValueError, match="disposed"):
        lod.level_range()
    assert NumpyInterop.to_numpy_array(level)[1, 2, 3] == 999   # a level outlives its multi-resolution view


def test_levels_that_are_not_of_one_image_are_refused():
    full = NumpyInterop.from_numpy_array(volume((8, 8, 8)), ImageTypeId.VOLUME)
    other = NumpyInterop.from_numpy_array(volume((16, 4, 4)), ImageTypeId.VOLUME)
    with pytest.raises(ValueError, match="larger than level 0"):
        LodImageViewFactory.from_views([full, other])
    with pytest.raises(ValueError, match="at least one level"):
        LodImageViewFactory.from_views([])
    with pytest.raises(TypeError):
        LodImageView(object())


def test_frames_index_iterate_and_change():
    a = NumpyInterop.from_numpy_array(volume((2, 3)))
    b = NumpyInterop.from_numpy_array(volume((5,), 100))
    frames = MultiImageViewFactory.from_views([a, b])
    assert len(frames) == 2 and frames.count() == 2
    assert tuple(frames[-1].shape()) == (5,)
    frames.add(a)
    frames.insert(0, b)
    assert [tuple(f.shape()) for f in frames] == [(5,), (2, 3), (5,), (2, 3)]
    frames.remove(0)
    frames.set(1, a)
    assert [tuple(f.shape()) for f in frames] == [(2, 3), (2, 3), (2, 3)]
    with pytest.raises(IndexError):
        frames[3]
    with pytest.raises(ValueError, match="from 0 to 2"):
        frames.at(3)
    read_only = MultiImageViewFactory.from_views([a], writable=False)
    assert str(read_only.capabilities()) == "READ"
    with pytest.raises(Exception, match="WRITE"):
        read_only.add(a)
    frames.dispose()
    assert str(frames.capabilities()) == "NONE"


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_an_ome_zarr_pyramid_written_by_zarr_python_is_one_multi_resolution_view(tmp_path, zarr_format):
    zarr = pytest.importorskip("zarr")
    zarr_3 = int(zarr.__version__.split(".")[0]) >= 3
    if zarr_format == 3 and not zarr_3:
        pytest.skip("zarr-python 2 writes Zarr v2 only")
    path = str(tmp_path / "pyramid.zarr")
    # NGFF 0.4 on Zarr v2 (multiscales in the attributes), 0.5 on Zarr v3 (under "ome").
    fmt = {"zarr_format": zarr_format} if zarr_3 else {}
    group = zarr.open_group(path, mode="w", **fmt)
    full = volume((8, 12, 16)) % 1000
    levels = [full, full[::2, ::2, ::2], full[::4, ::4, ::4]]
    for i, level in enumerate(levels):
        array = zarr.open(path + "/" + str(i), mode="w", shape=level.shape, chunks=(4, 4, 4), dtype=level.dtype, **fmt)
        array[...] = level
    multiscales = [{
        "axes": [{"name": n, "type": "space"} for n in "zyx"],
        "datasets": [{"path": str(i), "coordinateTransformations": [{"type": "scale", "scale": [2.0 ** i] * 3}]}
                     for i in range(3)]}]
    if zarr_format == 3:
        group.attrs["ome"] = {"version": "0.5", "multiscales": multiscales}
    else:
        multiscales[0]["version"] = "0.4"
        group.attrs["multiscales"] = multiscales
    with ZarrArray.open_lod(path) as lod:
        assert lod.level_range() == (0, 2)
        for i, view in enumerate(lod):
            assert view.axes_interpretation() == ImageTypeId.VOLUME
            copy = ImageViewFactory.copy_in_memory(view)
            assert np.array_equal(NumpyInterop.to_numpy_array(copy), zarr.open(path + "/" + str(i), mode="r")[:])


def test_a_lazy_mean_pyramid_matches_numpy():
    a = np.arange(6 * 5 * 4, dtype=np.float32).reshape(6, 5, 4)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    with LodImageViewFactory.downsample(view, 2) as lod:
        half = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(lod.resolution(1)))
    padded = np.pad(a, [(0, 0), (0, 1), (0, 0)], constant_values=np.nan)   # 5 rows: the last window holds one row
    expected = np.nanmean(padded.reshape(3, 2, 3, 2, 2, 2), axis=(1, 3, 5))
    assert half.shape == (3, 3, 2) and np.allclose(half, expected)
    with pytest.raises(ValueError, match="method"):
        LodImageViewFactory.downsample(view, 2, method="median")
    with pytest.raises(ValueError, match="ask for at most"):
        LodImageViewFactory.downsample(view, 9)


def test_a_pyramid_written_as_ome_zarr_is_what_zarr_python_reads(tmp_path):
    zarr = pytest.importorskip("zarr")
    a = (np.arange(32 * 24 * 16) % 4000).astype(np.uint16).reshape(16, 24, 32)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    path = str(tmp_path / "pyramid.ome.zarr")
    zarr_3 = int(zarr.__version__.split(".")[0]) >= 3
    with LodImageViewFactory.downsample(view, 3, method="nearest") as lod:
        # OME-Zarr 0.5 (Zarr v3) where zarr-python reads it, 0.4 (Zarr v2) for zarr-python 2.
        ZarrArray.write(lod, path, chunks=(8, 8, 8), codec="gzip", zarr_format=3 if zarr_3 else 2)
    group = zarr.open_group(path, mode="r")
    datasets = (group.attrs["ome"] if zarr_3 else group.attrs)["multiscales"][0]["datasets"]
    assert [d["path"] for d in datasets] == ["0", "1", "2"]
    assert [d["coordinateTransformations"][0]["scale"] for d in datasets] == [[1.0] * 3, [2.0] * 3, [4.0] * 3]
    for i, step in enumerate((1, 2, 4)):
        assert np.array_equal(group[str(i)][:], a[::step, ::step, ::step])


def test_stacked_frames_are_one_view_that_writes_through():
    from iolink import ImageDimension
    arrays = [np.full((2, 4), k, np.uint16) for k in range(3)]
    planes = [NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE) for a in arrays]
    volume = ImageViewFactory.stack(planes, ImageDimension.SLICE)
    assert volume.axes_interpretation() == ImageTypeId.VOLUME and tuple(volume.shape()) == (4, 2, 3)
    copy = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(volume))
    assert np.array_equal(copy, np.stack(arrays))
    frames = MultiImageViewFactory.from_views(planes)
    sequence = ImageViewFactory.stack(frames, ImageDimension.SEQUENCE)
    assert sequence.axes_interpretation() == ImageTypeId.IMAGE_SEQUENCE
    with pytest.raises(ValueError, match="does not come after"):
        ImageViewFactory.stack(planes, ImageDimension.ROW)
