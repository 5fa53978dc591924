"""Hdf5File from Python: datasets h5py writes, read equal (contiguous ones shared with NumPy without a copy), and
datasets IOLink writes, read by h5py."""

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from iolink import Hdf5File, ImageCapability, ImageViewFactory, NumpyInterop, RegionXu64  # noqa: E402


def test_a_contiguous_dataset_is_shared_with_numpy_without_a_copy(tmp_path):
    a = (np.arange(7 * 48 * 64) % 4093).astype(np.uint16).reshape(7, 48, 64)
    path = tmp_path / "scan.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("entry/volume", data=a)
        offset = f["entry/volume"].id.get_offset()
    view = Hdf5File.open(path)
    assert view.support(ImageCapability.MEMORY_ACCESS)
    shared = NumpyInterop.to_numpy_array(view)
    assert shared.shape == a.shape and (shared == a).all() and not shared.flags.writeable
    # The array is the file's mapped pages: a change written to the file shows in it.
    with open(path, "r+b") as f:
        f.seek(offset + 2 * (3 * 64 + 5))
        f.write(np.uint16(54321).tobytes())
    assert shared[0, 3, 5] == 54321


def test_a_chunked_gzip_dataset_reads_equal_and_a_region_decodes_only_its_chunks(tmp_path):
    a = np.linspace(-1, 1, 6 * 70 * 90, dtype=np.float32).reshape(6, 70, 90)
    path = tmp_path / "chunked.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("raw", data=np.zeros(3))
        d = f.create_dataset("data", data=a, chunks=(2, 32, 32), compression="gzip", shuffle=True)
        d.attrs["axes"] = "zyx"
        d.attrs["element_size_um"] = [2.0, 0.5, 0.5]
    with pytest.raises(ValueError, match="holds 2 datasets; name one"):
        Hdf5File.open(path)
    view = Hdf5File.open(path, "/data")
    assert not view.support(ImageCapability.MEMORY_ACCESS)
    assert (NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view)) == a).all()
    out = np.empty((1, 10, 20), np.float32)
    view.read_region(RegionXu64((40, 5, 2), (20, 10, 1)), out=out)
    assert (out == a[2:3, 5:15, 40:60]).all()
    assert tuple(view.properties().spatial_spacing) == (0.5, 0.5, 2.0)
    info = {d["path"]: d for d in Hdf5File.describe(path)}
    assert info["/data"]["chunks"] == (2, 32, 32) and sorted(info["/data"]["filters"]) == ["gzip", "shuffle"]


def test_a_dataset_iolink_writes_is_read_by_h5py(tmp_path):
    a = (np.arange(5 * 40 * 30) % 251).astype(np.uint8).reshape(5, 40, 30)
    path = tmp_path / "written.h5"
    Hdf5File.write(NumpyInterop.from_numpy_array(a), path, dataset="/scan/volume", chunks=(1, 16, 16), gzip=9)
    with h5py.File(path, "r") as f:
        d = f["scan/volume"]
        assert d.chunks == (1, 16, 16) and d.compression == "gzip" and d.shuffle
        assert (d[...] == a).all()
