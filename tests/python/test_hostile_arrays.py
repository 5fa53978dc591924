"""Arrays whose Python attributes lie about their layout: the view follows NumPy's own record of the array, and a
layout that does not fit its memory is refused, never read."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from iolink import ImageTypeId, NumpyInterop, RegionXu64


def dense(view):
    return bytes(view.read_region(RegionXu64.create_full_region(view.shape())))


def real_shape(view):
    return tuple(int(view.shape()[i]) for i in range(view.dimension_count()))


class LyingShape(np.ndarray):
    @property
    def shape(self):
        return (1 << 20,)


class LyingStrides(np.ndarray):
    @property
    def strides(self):
        return (1 << 20,)


class LyingInterface(np.ndarray):
    @property
    def __array_interface__(self):
        real = np.ndarray.__array_interface__.__get__(self)
        return dict(real, shape=(1 << 20,), data=(real["data"][0] + 31, False))


class LyingDtype(np.ndarray):
    @property
    def dtype(self):
        return np.dtype(np.float64)


class LyingBase(np.ndarray):
    @property
    def base(self):
        return bytearray(1 << 20)


@pytest.mark.parametrize("cls", [LyingShape, LyingStrides, LyingInterface, LyingDtype, LyingBase])
def test_lying_attributes_are_not_believed(cls):
    a = np.arange(32, dtype=np.uint8)
    liar = a.view(cls)
    view = NumpyInterop.from_numpy_array(liar)
    assert real_shape(view) == (32,)
    assert view.data_type().byte_count == 1
    assert dense(view) == a.tobytes()
    # Still the array's memory: a write through the view shows in the array.
    view.write_region(RegionXu64((5,), (1,)), bytes([200]))
    assert a[5] == 200


def test_lying_attributes_with_an_interpretation():
    a = np.arange(12, dtype=np.uint16).reshape(3, 4)
    view = NumpyInterop.from_numpy_array(a.view(LyingShape), ImageTypeId.IMAGE)
    assert real_shape(view) == (4, 3)
    assert dense(view) == a.tobytes()


def test_an_object_claiming_to_be_an_ndarray_is_refused():
    class Impostor:
        @property
        def __class__(self):
            return np.ndarray

    assert isinstance(Impostor(), np.ndarray)
    with pytest.raises(TypeError, match="expected a numpy.ndarray"):
        NumpyInterop.from_numpy_array(Impostor())


@pytest.mark.parametrize("shape, strides", [((33,), (1,)), ((16,), (3,)), ((2, 20), (20, 1)), ((4,), (-8,))])
def test_a_layout_past_its_memory_is_refused(shape, strides):
    a = np.arange(32, dtype=np.uint8)
    bad = as_strided(a[1:] if strides[0] < 0 else a, shape=shape, strides=strides)
    with pytest.raises(ValueError, match="does not fit its memory"):
        NumpyInterop.from_numpy_array(bad)


@pytest.mark.parametrize("make", [
    lambda a: as_strided(a, shape=(8, 4), strides=(4, 1)),          # overlapping rows inside the buffer
    lambda a: as_strided(a, shape=(4, 32), strides=(0, 1)),         # broadcast
    lambda a: a[::-1],
    lambda a: a[3:29:2],
    lambda a: np.frombuffer(a.tobytes(), np.uint8),                 # memory of a bytes object
    lambda a: np.frombuffer(bytearray(a.tobytes()), np.uint8)[4:],  # memory of a bytearray, through a memoryview
])
def test_layouts_inside_their_memory_are_accepted(make):
    a = np.arange(32, dtype=np.uint8)
    b = make(a)
    view = NumpyInterop.from_numpy_array(b)
    assert dense(view) == b.tobytes(order="F")


def test_a_memory_mapped_file_is_checked_against_its_mapping(tmp_path):
    m = np.memmap(tmp_path / "m.bin", dtype=np.uint8, mode="w+", shape=(64,))
    m[:] = np.arange(64, dtype=np.uint8)
    assert dense(NumpyInterop.from_numpy_array(m[10:20])) == bytes(range(10, 20))
    with pytest.raises(ValueError, match="does not fit its memory"):
        NumpyInterop.from_numpy_array(as_strided(m, shape=(65,), strides=(1,)))


def test_the_strided_wrapper_of_this_numpy_is_known():
    # as_strided's wrapper class moved between NumPy 1.x and 2.x; the check finds it through the public function.
    from iolink import _bridge
    a = np.arange(4, dtype=np.uint8)
    wrapper = as_strided(a, shape=(2,), strides=(1,)).base
    assert type(wrapper) is _bridge._strided_wrapper and _bridge._strided_base_known


class Described:
    """Another library's memory, known to NumPy only through __array_interface__ (as torch's .numpy() is)."""

    def __init__(self, array):
        self.array = array
        self.__array_interface__ = dict(array.__array_interface__)


@pytest.mark.parametrize("source", ["interface", "iolink"])
def test_memory_an_object_describes_bounds_the_arrays_made_over_it(source):
    a = np.arange(32, dtype=np.uint8)
    if source == "interface":
        described = np.asarray(Described(a))
    else:
        described = NumpyInterop.to_numpy_array(NumpyInterop.from_numpy_array(a))
    assert dense(NumpyInterop.from_numpy_array(described[4:20:2])) == a[4:20:2].tobytes()
    rows = as_strided(described, shape=(4, 8), strides=(8, 1))
    assert dense(NumpyInterop.from_numpy_array(rows)) == rows.tobytes(order="F")
    for shape, strides in (((33,), (1,)), ((2,), (40,)), ((4, 9), (8, 1))):
        with pytest.raises(ValueError, match="does not fit its memory"):
            NumpyInterop.from_numpy_array(as_strided(described, shape=shape, strides=strides))


# --- read_region(out=) and write_region buffers: size, shape and item type are the region's ------------------------


def _uint16_view():
    from iolink import DataTypeId, ImageViewFactory
    return ImageViewFactory.allocate((4, 3), DataTypeId.UINT16)


def test_a_wrong_size_out_names_both_sizes():
    view = _uint16_view()
    with pytest.raises(ValueError, match="out has 10 bytes and the region 24"):
        view.read_region(RegionXu64.create_full_region(view.shape()), out=bytearray(10))


def test_an_out_of_the_right_size_in_another_shape_is_refused():
    view = _uint16_view()
    region = RegionXu64.create_full_region(view.shape())
    with pytest.raises(ValueError, match=r"out has shape \(4, 3\) but the region 4x3 is \(3, 4\) in NumPy order"):
        view.read_region(region, out=np.zeros((4, 3), np.uint16))
    assert view.read_region(region, out=np.zeros((3, 4), np.uint16)).shape == (3, 4)
    assert view.read_region(region, out=np.zeros(12, np.uint16)).shape == (12,)
    assert len(view.read_region(region, out=bytearray(24))) == 24


@pytest.mark.parametrize("dtype", [np.float32, np.int16, np.dtype(">u2"), np.float64])
def test_buffers_of_another_item_type_are_refused_not_reinterpreted(dtype):
    view = _uint16_view()
    region = RegionXu64.create_full_region(view.shape())
    items = np.ones(24 // np.dtype(dtype).itemsize, dtype)          # the region's 24 bytes, in other items
    with pytest.raises(TypeError, match=r"buffer holds .* items but the view's are UINT16 \(u16\)"):
        view.write_region(region, items)
    with pytest.raises(TypeError, match=r"out holds .* items but the view's are UINT16"):
        view.read_region(region, out=np.zeros_like(items))
    assert not any(view.read_region(region))                        # nothing was written


def test_a_float32_write_into_a_uint16_view_names_both_types():
    view = _uint16_view()
    with pytest.raises(TypeError, match=r"buffer holds float32 items but the view's are UINT16"):
        view.write_region(RegionXu64((0, 0), (2, 1)), np.array([1.0], np.float64).astype(np.float32).repeat(2))
    view.write_region(RegionXu64((0, 0), (2, 1)), np.array([7, 8], np.uint16))
    assert list(np.frombuffer(view.read_region(RegionXu64((0, 0), (2, 1))), np.uint16)) == [7, 8]
