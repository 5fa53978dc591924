"""ZarrArray from Python: arrays zarr-python reads and writes, region reads, NumPy round trips, the usual errors."""

import shutil

import numpy as np
import pytest
import zarr

from iolink import DataTypeId, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, ZarrArray


# zarr-python 3 writes Zarr v3 unless told otherwise, as IOLink does; zarr-python 2 reads and writes v2 only, so
# what IOLink writes for it is v2 (OURS).
ZARR_3 = int(zarr.__version__.split(".")[0]) >= 3
V2 = {"zarr_format": 2} if ZARR_3 else {}
OURS = {} if ZARR_3 else {"zarr_format": 2}


def compressor_id(z):
    if not ZARR_3:
        return z.compressor.codec_id
    codec = z.compressors[0]                            # a v3 codec (BloscCodec) or a numcodecs one (v2 arrays)
    return getattr(codec, "codec_id", None) or type(codec).__name__.replace("Codec", "").lower()


def volume():
    return (np.arange(9 * 21 * 37, dtype=np.uint16) * 7).reshape(9, 21, 37)


def test_write_then_zarr_python_reads_it(tmp_path):
    a = volume()
    path = tmp_path / "v.zarr"
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), path, chunks=(16, 8, 4), codec="blosc-lz4", **OURS)
    z = zarr.open(str(path), mode="r")
    assert z.chunks == (4, 8, 16)
    assert compressor_id(z) == "blosc"
    assert (z[:] == a).all()


def test_open_what_zarr_python_wrote_and_read_a_region(tmp_path):
    a = volume().astype(">u2")
    path = tmp_path / "p.zarr"
    z = zarr.open(str(path), mode="w", shape=a.shape, chunks=(4, 8, 16), dtype=a.dtype, order="F", **V2)
    z[:] = a
    view = ZarrArray.open(path, image_type=ImageTypeId.VOLUME)
    assert tuple(view.shape()) == (37, 21, 9)
    out = np.empty((2, 5, 10), dtype=np.uint16)         # (Z, Y, X) of the region below
    view.read_region(RegionXu64((3, 4, 5), (10, 5, 2)), out=out)
    assert (out == a[5:7, 4:9, 3:13]).all()
    info = ZarrArray.info(view)
    assert info["shape"] == (9, 21, 37) and info["dtype"] == ">u2" and info["chunks_decoded"] >= 1
    copy = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view))
    assert (copy == a).all()


def test_create_write_and_axes_lists(tmp_path):
    path = tmp_path / "c.zarr"
    view = ZarrArray.create(path, (6, 4), DataTypeId.INT16, ImageTypeId.IMAGE, chunks=(4, 4), codec="gzip", **OURS)
    view.write_region(RegionXu64((1, 2), (3, 1)), np.array([5, 6, 7], dtype=np.int16))
    assert zarr.open(str(path), mode="r")[2, 1:4].tolist() == [5, 6, 7]
    by_axes = ZarrArray.open(path, axes=[ImageDimension.ROW, ImageDimension.COLUMN])
    assert tuple(by_axes.shape()) == (6, 4)


def test_ome_zarr_levels(tmp_path):
    path = tmp_path / "ome.zarr"
    ZarrArray.write(NumpyInterop.from_numpy_array(volume(), ImageTypeId.VOLUME), path, ome_zarr=True)
    assert ZarrArray.level_paths(path) == ["0"]
    level = ZarrArray.open_level(path, 0)
    assert tuple(level.shape()) == (37, 21, 9)
    with pytest.raises(ValueError, match="1 resolution levels"):
        ZarrArray.open_level(path, 3)


def test_errors_are_the_usual_python_kinds(tmp_path):
    with pytest.raises(FileNotFoundError, match="There is no Zarr array"):
        ZarrArray.open(tmp_path / "missing.zarr")
    bad = tmp_path / "bad.zarr"
    bad.mkdir()
    (bad / ".zarray").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        ZarrArray.open(bad)
    with pytest.raises(ValueError, match="codec 'lz5' is not one of"):
        ZarrArray.write(ImageViewFactory.allocate((2, 2), DataTypeId.UINT8), tmp_path / "x.zarr", codec="lz5")


def test_write_never_replaces_a_group_zarr_python_made(tmp_path):
    path = tmp_path / "g.zarr"
    root = zarr.open_group(str(path), mode="w", **V2)
    root.zeros(name="labels", shape=(4, 4), chunks=(2, 2), dtype="u1")[:] = 3
    root.create_group("sub")
    view = ImageViewFactory.allocate((4, 4), DataTypeId.UINT8)
    with pytest.raises(OSError, match="is a Zarr group; IOLink replaces only a single Zarr array"):
        ZarrArray.write(view, path)
    assert (zarr.open_group(str(path), mode="r")["labels"][:] == 3).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.zarr"]


@pytest.mark.skipif(not ZARR_3, reason="zarr-python 2 writes Zarr v2 only")
def test_write_never_replaces_a_zarr_v3_group_but_replaces_a_v3_array(tmp_path):
    path = tmp_path / "n.zarr"
    zarr.open_group(str(path), mode="w").create_group("sub")
    before = sorted(str(p.relative_to(path)) for p in path.rglob("*"))
    with pytest.raises(OSError, match="is a Zarr group; IOLink replaces only a single Zarr array"):
        ZarrArray.write(ImageViewFactory.allocate((4, 4), DataTypeId.UINT8), path)
    assert sorted(str(p.relative_to(path)) for p in path.rglob("*")) == before
    zarr.open(str(path), mode="r")                      # still zarr-python's
    shutil.rmtree(path)
    # A single array holding only its metadata and chunks is replaced, as a v2 array is.
    zarr.create_array(str(path), shape=(4, 4), chunks=(2, 2), dtype="u1", fill_value=3)[:] = 1
    ZarrArray.write(NumpyInterop.from_numpy_array(np.full((4, 4), 9, np.uint8)), path)
    assert (zarr.open_array(str(path), mode="r")[:] == 9).all()
    with open(path / "c" / "notes.txt", "w") as f:      # a file of the user's inside: never replaced
        f.write("mine")
    with pytest.raises(OSError, match="also holds 'c/notes.txt'"):
        ZarrArray.write(ImageViewFactory.allocate((4, 4), DataTypeId.UINT8), path)
    assert (path / "c" / "notes.txt").read_text() == "mine"
