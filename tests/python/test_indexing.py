"""Pythonic views: view[...] with NumPy's basic indexing in NumPy order, np_shape and np_dtype, len. A memory view
gives arrays over its memory (a write through one is read back through the view); any other view reads only the box
its index touches; both equal numpy.asarray of the view (or of its copy) indexed the same way."""

import numpy as np
import pytest

from iolink import DataTypeId, ImageCapability, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64

KEYS = [
    5, -1, (3, 4), (slice(None), 2), (Ellipsis, 7), (2, Ellipsis), (slice(1, 9, 3), slice(None, None, -2), 4),
    (slice(None, None, -1),), (None, 1), (slice(2, 2),), (slice(-5, None), slice(10, 3, -3), slice(None, 7)),
    (1, 2, 3), (Ellipsis,), (slice(100, 200),), (0, None, slice(1, 4), Ellipsis),
]


@pytest.fixture
def volume():
    a = (np.arange(12 * 10 * 14, dtype=np.uint16) * 7).reshape(12, 10, 14)
    return a, NumpyInterop.from_numpy_array(a.copy(), ImageTypeId.VOLUME)


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_a_memory_view_indexes_as_numpy_does_over_its_memory(volume, key):
    a, view = volume
    got = view[key]
    np.testing.assert_array_equal(got, a[key])
    if isinstance(got, np.ndarray) and got.size:   # a whole-integer index is a scalar, as in NumPy
        assert np.shares_memory(got, np.asarray(view))


def test_writing_through_an_indexed_memory_view_writes_the_view(volume):
    a, view = volume
    plane = view[3]
    plane[4, 5] = 4242
    out = np.empty(view.np_shape, view.np_dtype)
    view.read_region(RegionXu64((0, 0, 0), tuple(view.shape())), out=out)
    assert out[3, 4, 5] == 4242


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_a_view_without_memory_reads_only_what_its_index_touches(volume, key):
    a, view = volume
    lazy = ImageViewFactory.adapt_data_type(view, DataTypeId.FLOAT)
    assert not lazy.support(ImageCapability.MEMORY_ACCESS)
    expected = a.astype(np.float32)[key]
    got = lazy[key]
    np.testing.assert_array_equal(got, expected)
    assert got.shape == expected.shape and got.dtype == np.float32


def test_vectors_and_unknown_axes_follow_the_numpy_rules():
    rgb = (np.arange(6 * 8 * 3, dtype=np.uint8)).reshape(6, 8, 3)
    view = NumpyInterop.from_numpy_array(rgb, ImageTypeId.IMAGE)
    assert view.np_shape == (6, 8, 3) and view.np_dtype == np.uint8 and len(view) == 6
    np.testing.assert_array_equal(view[..., 1], rgb[..., 1])
    lazy = ImageViewFactory.adapt_data_type(view, view.data_type())
    np.testing.assert_array_equal(lazy[2:5, ::-3, 2], rgb[2:5, ::-3, 2])
    plain = NumpyInterop.from_numpy_array(np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    assert plain.np_shape == np.asarray(plain).shape
    np.testing.assert_array_equal(plain[1, :, ::2], np.asarray(plain)[1, :, ::2])


def test_np_shape_and_np_dtype_make_the_buffer_read_region_fills(volume):
    a, view = volume
    assert view.np_shape == (12, 10, 14) and view.np_dtype == np.uint16 and len(view) == 12
    assert "VOLUME" in repr(view) and "UINT16" in repr(view)


def test_advanced_and_out_of_range_indexes_are_refused(volume):
    _, view = volume
    with pytest.raises(TypeError, match="basic indexing"):
        view[[1, 2]]
    with pytest.raises(TypeError, match="basic indexing"):
        view[np.array([1, 2])]
    with pytest.raises(TypeError, match="basic indexing"):
        view[True]
    lazy = ImageViewFactory.adapt_data_type(view, DataTypeId.FLOAT)
    with pytest.raises(IndexError, match="out of bounds"):
        lazy[12]
    with pytest.raises(IndexError, match="too many indices"):
        lazy[1, 2, 3, 4]
    with pytest.raises(IndexError, match="single ellipsis"):
        lazy[..., 1, ...]
