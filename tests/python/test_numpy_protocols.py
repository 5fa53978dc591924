"""
NumPy's own protocols on an image view: numpy.asarray(view) through __array_interface__ (rules 6 and 7, read-only
without WRITE, the memory kept alive as to_numpy_array keeps it), memoryview(view) where Python allows it, and a
clear error, never a silent copy or an object array, for a view without MEMORY_ACCESS.
"""

import gc
import io
import sys

import numpy as np
import pytest

from iolink import (DataTypeId, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, _native)

from test_lifetime import churn, collect, live_blocks


def volume():
    # (Z, Y, X) = (2, 3, 4): the view's shape is (4, 3, 2).
    return NumpyInterop.from_numpy_array(np.arange(24, dtype=np.uint16).reshape(2, 3, 4), ImageTypeId.VOLUME)


def test_asarray_shares_the_views_memory_both_ways():
    view = ImageViewFactory.reinterpret(ImageViewFactory.allocate((4, 3, 2), DataTypeId.UINT16), ImageTypeId.VOLUME)
    a = np.asarray(view)
    assert a.shape == (2, 3, 4) and a.dtype == np.uint16 and a.flags.writeable
    a[1, 2, 3] = 4242                                        # Z=1, Y=2, X=3
    element = view.read_region(RegionXu64((3, 2, 1), (1, 1, 1)))
    assert np.frombuffer(element, np.uint16)[0] == 4242
    view.write_region(RegionXu64((0, 0, 0), (1, 1, 1)), np.array([77], np.uint16))
    assert a[0, 0, 0] == 77


def test_asarray_follows_rules_6_and_7_like_to_numpy_array():
    view = volume()
    assert np.array_equal(np.asarray(view), NumpyInterop.to_numpy_array(view))
    vectors = NumpyInterop.from_numpy_array(np.zeros((5, 6, 3), np.float32), ImageTypeId.IMAGE)
    assert np.asarray(vectors).shape == (5, 6, 3)           # (Y, X, components)
    unknown = ImageViewFactory.allocate((7, 2), DataTypeId.INT8)
    assert np.asarray(unknown).shape == (7, 2)               # view order when UNKNOWN


def test_asarray_of_a_flipped_view_has_negative_strides_over_the_same_memory():
    source = np.arange(24, dtype=np.uint16).reshape(2, 3, 4)
    flipped = ImageViewFactory.flip_dimension(NumpyInterop.from_numpy_array(source, ImageTypeId.VOLUME), ImageDimension.COLUMN)
    a = np.asarray(flipped)
    assert np.array_equal(a, source[:, :, ::-1])
    assert a.strides[2] < 0 and np.shares_memory(a, source)


def test_asarray_of_a_read_only_view_is_read_only():
    a = np.asarray(ImageViewFactory.make_read_only(volume()))
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0, 0] = 1


def test_asarray_keeps_the_memory_alive_after_the_view_is_disposed_and_dropped():
    view = ImageViewFactory.allocate((4096,), DataTypeId.UINT32)
    a = np.asarray(view)
    a[:] = 0xC0FFEE
    view.dispose()
    del view
    collect()
    churn()
    assert (a == 0xC0FFEE).all()
    collect()
    collect()
    alive = live_blocks()
    del a                       # the last user of the memory: now it is freed
    collect()
    assert live_blocks() == alive - 1


def test_repeated_asarray_holds_the_memory_once():
    view = volume()
    gc.collect()
    start = _native.live_handles()
    arrays = [np.asarray(view) for _ in range(1000)]
    assert _native.live_handles() - start == 1
    del arrays
    del view
    gc.collect()
    assert _native.live_handles() == start - 1


def test_a_view_without_memory_access_is_an_error_that_names_copy_in_memory():
    uniform = ImageViewFactory.uniform((2, 2), DataTypeId.UINT8, b"\x07")
    with pytest.raises(io.UnsupportedOperation, match="copy_in_memory"):
        np.asarray(uniform)
    assert np.asarray(ImageViewFactory.copy_in_memory(uniform)).sum() == 28


def test_a_disposed_view_is_a_value_error_not_an_object_array():
    view = volume()
    view.dispose()
    with pytest.raises(ValueError, match="disposed"):
        np.asarray(view)


def test_memoryview_of_a_view_where_python_allows_it_and_through_asarray_everywhere():
    view = ImageViewFactory.allocate((8,), DataTypeId.UINT8)
    if sys.version_info >= (3, 12):
        m = memoryview(view)            # __buffer__ (PEP 688)
        m[3] = 9
        assert view.read_region(RegionXu64((3,), (1,)))[0] == 9
    else:
        with pytest.raises(TypeError):  # a Python class cannot offer the buffer protocol before 3.12
            memoryview(view)
    m = memoryview(np.asarray(view))
    m[5] = 11
    assert view.read_region(RegionXu64((5,), (1,)))[0] == 11


@pytest.mark.skipif(sys.version_info < (3, 12), reason="a Python class offers the buffer protocol from 3.12 (PEP 688)")
def test_memoryview_follows_a_reshape_made_through_dotnet():
    # __buffer__ keeps the array it made while the view's memory and layout stay the same; a view reshaped by its
    # .NET side (RESHAPE) gets new memory and a new layout, and memoryview(view) must show them, not the old ones.
    from iolink import DataType, VectorXu64
    view = ImageViewFactory.allocate((8,), DataTypeId.UINT8)
    view.shape()                                              # the view's own handle, made on first use
    gc.collect()
    start = _native.live_handles()
    first = memoryview(view)
    held = _native.live_handles()
    assert held == start + 1                                  # one lease: the array behind the buffer
    again = memoryview(view)
    assert _native.live_handles() == held                     # kept: the same array, no new hold
    assert (again.shape, again.format) == ((8,), "B")
    view.net.Reshape(VectorXu64(3, 2)._to_net(), DataType(DataTypeId.UINT16)._net)
    m = memoryview(view)
    assert _native.live_handles() == held + 1                 # a new array over the new memory
    assert (m.shape, m.format, m.itemsize) == ((3, 2), "H", 2)     # axes UNKNOWN after the reshape: rule 7
    m[2, 1] = 500
    assert np.asarray(view)[2, 1] == 500
    assert np.frombuffer(view.read_region(RegionXu64((2, 1), (1, 1))), np.uint16)[0] == 500
    first[0] = 1                                              # the old memory stays valid while it is held
    assert first[0] == 1


@pytest.mark.skipif(sys.version_info < (3, 12), reason="a Python class offers the buffer protocol from 3.12 (PEP 688)")
def test_memoryview_of_a_disposed_or_memoryless_view_is_the_clear_error():
    view = volume()
    memoryview(view)
    view.dispose()
    with pytest.raises(ValueError, match="disposed"):
        memoryview(view)
    uniform = ImageViewFactory.uniform((2, 2), DataTypeId.UINT8, b"\x07")
    with pytest.raises(io.UnsupportedOperation, match="copy_in_memory"):
        memoryview(uniform)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="a Python class offers the buffer protocol from 3.12 (PEP 688)")
def test_memoryview_and_asarray_hold_the_memory_once_and_release_it():
    view = volume()
    gc.collect()
    start = _native.live_handles()
    views = [memoryview(view) for _ in range(500)] + [np.asarray(view) for _ in range(500)]
    assert _native.live_handles() - start <= 2                # one hold for __buffer__'s array, one for the interface
    del views, view
    gc.collect()
    assert _native.live_handles() == start - 1
