"""Remote data from Python: Zarr (v2, v3 sharded, OME-Zarr) and TIFF files served by a real nginx on loopback,
opened by their http:// addresses, read equal to the arrays written; zarr-python (with fsspec's HTTP store, where
the stack has it) reads the same served array as IOLink."""

import io
import os

import numpy as np
import pytest

import nginx_server

from iolink import ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, TiffFile, ZarrArray


@pytest.fixture(scope="module")
def server():
    """A real nginx serving a temporary folder on a free loopback port; stopped and removed at the end."""
    if nginx_server.binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; ./build.sh packages lists it")
        pytest.skip("nginx is not installed (Debian's nginx-light)")
    with nginx_server.Nginx() as nginx:
        yield nginx.root, nginx.url


def volume(shape=(40, 48, 64), dtype=np.uint16):
    return (np.arange(int(np.prod(shape)), dtype=np.uint64) * 7919 % 60000).astype(dtype).reshape(shape)


def as_numpy(view):
    return NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))


@pytest.mark.parametrize("zarr_format,shards", [(2, None), (3, None), (3, (64, 32, 16))])
def test_zarr_over_http_reads_what_was_written(server, zarr_format, shards):
    root, url = server
    a = volume()
    name = "v%d%s.zarr" % (zarr_format, "s" if shards else "")
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), os.path.join(root, name), chunks=(32, 16, 8),
                    zarr_format=zarr_format, shards=shards)
    view = ZarrArray.open(url + name, image_type=ImageTypeId.VOLUME)
    np.testing.assert_array_equal(as_numpy(view), a)
    # A region: x 5-36, y 7-26, z 3-22, in NumPy order [z, y, x].
    region = np.empty((20, 20, 32), np.uint16)
    view.read_region(RegionXu64((5, 7, 3), (32, 20, 20)), region)
    np.testing.assert_array_equal(region, a[3:23, 7:27, 5:37])


def test_ome_zarr_over_http_has_its_levels(server):
    root, url = server
    from iolink import LodImageViewFactory
    a = volume()
    pyramid = LodImageViewFactory.downsample(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), 2)
    ZarrArray.write(pyramid, os.path.join(root, "img.ome.zarr"), chunks=(32, 32, 16))
    lod = ZarrArray.open_lod(url + "img.ome.zarr")
    assert lod.level_range() == (0, 1)
    np.testing.assert_array_equal(as_numpy(lod.resolution(0)), a)
    assert as_numpy(lod.resolution(1)).shape == (20, 24, 32)


def test_tiff_over_http_reads_what_tifffile_wrote(server):
    tifffile = pytest.importorskip("tifffile")
    root, url = server
    a = volume()
    tifffile.imwrite(os.path.join(root, "t.tif"), a, tile=(16, 32), compression="zlib")
    np.testing.assert_array_equal(as_numpy(TiffFile.open(url + "t.tif")), a)


def test_missing_and_unwritable_addresses_are_python_errors(server):
    root, url = server
    with pytest.raises(FileNotFoundError):
        TiffFile.open(url + "nothing.tif")
    with pytest.raises(ValueError, match="the server has no zarr.json"):
        ZarrArray.open(url + "nothing.zarr")
    view = NumpyInterop.from_numpy_array(volume((4, 4, 4)), ImageTypeId.VOLUME)
    with pytest.raises(io.UnsupportedOperation, match="reads but does not write"):
        ZarrArray.write(view, url + "out.zarr")


def test_zarr_python_reads_the_same_served_array(server):
    zarr = pytest.importorskip("zarr")
    pytest.importorskip("fsspec")
    pytest.importorskip("aiohttp")
    root, url = server
    a = volume()
    version = int(zarr.__version__.split(".")[0])
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), os.path.join(root, "both.zarr"), chunks=(32, 16, 8),
                    zarr_format=3 if version >= 3 else 2)
    theirs = zarr.open_array(url + "both.zarr", mode="r") if version >= 3 else zarr.open_array(url + "both.zarr", mode="r")
    ours = as_numpy(ZarrArray.open(url + "both.zarr", image_type=ImageTypeId.VOLUME))
    np.testing.assert_array_equal(theirs[...], ours)
    np.testing.assert_array_equal(ours, a)
