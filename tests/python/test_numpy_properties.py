"""The NumPy rules over generated arrays (hypothesis.extra.numpy), NumPy being the oracle: any dtype the rules
map, any shape, C or Fortran order, slices with steps, negative strides, broadcasts and read-only arrays."""

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from iolink import ImageCapability, ImageDimension, ImageTypeId, NumpyInterop, RegionXu64

DTYPES = st.sampled_from([np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32, np.uint64, np.int64,
                          np.float16, np.float32, np.float64, np.complex64, np.complex128, np.bool_])

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def arrays(draw, min_dims=1, max_dims=4):
    """An array and a layout made from it: as created, Fortran-ordered, stepped, flipped, or broadcast."""
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=6))
    base = draw(hnp.arrays(dtype, shape, elements=hnp.from_dtype(np.dtype(dtype), allow_nan=False, allow_infinity=False)))
    how = draw(st.sampled_from(["plain", "fortran", "stepped", "flipped", "transposed", "broadcast", "readonly"]))
    if how == "fortran":
        return np.asfortranarray(base)
    if how == "stepped":
        return base[tuple(slice(None, None, draw(st.integers(1, 3))) for _ in shape)]
    if how == "flipped":
        return base[tuple(slice(None, None, -1) if draw(st.booleans()) else slice(None) for _ in shape)]
    if how == "transposed":
        return base.transpose(draw(st.permutations(range(len(shape)))))
    if how == "broadcast":
        return np.broadcast_to(base[..., :1], shape[:-1] + (draw(st.integers(1, 4)),))
    if how == "readonly":
        base.flags.writeable = False
    return base


def dense(view):
    return bytes(view.read_region(RegionXu64.create_full_region(view.shape())))


@SETTINGS
@given(arrays())
def test_rule1_views_any_layout_in_place(a):
    view = NumpyInterop.from_numpy_array(a)
    assert tuple(int(view.shape()[i]) for i in range(a.ndim)) == a.shape
    # Rule 1 keeps the array's axes, and a region read is canonical (first dimension fastest): NumPy's F order.
    assert dense(view) == np.ascontiguousarray(a).tobytes(order="F")
    assert view.support(ImageCapability.WRITE) == a.flags.writeable
    back = NumpyInterop.to_numpy_array(view)
    assert back.shape == a.shape and back.strides == a.strides
    assert back.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    assert np.array_equal(back, a)


@SETTINGS
@given(arrays(min_dims=2, max_dims=3))
def test_rule2_reads_numpy_order_and_round_trips(a):
    image_type = ImageTypeId.IMAGE if a.ndim == 2 else ImageTypeId.VOLUME
    view = NumpyInterop.from_numpy_array(a, image_type)
    assert tuple(int(view.shape()[i]) for i in range(a.ndim)) == a.shape[::-1]
    # Canonical order is the array's axes reversed, so a dense read is the array in C order.
    assert dense(view) == np.ascontiguousarray(a).tobytes(order="C")
    back = NumpyInterop.to_numpy_array(view)
    assert back.shape == a.shape and back.strides == a.strides
    assert np.array_equal(back, a)


@SETTINGS
@given(arrays(min_dims=2, max_dims=3), st.data())
def test_rule8_orders_are_numpy_transposes(a, data):
    image_type = ImageTypeId.IMAGE if a.ndim == 2 else ImageTypeId.VOLUME
    view = NumpyInterop.from_numpy_array(a, image_type)
    canonical = [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE][: a.ndim]
    order = data.draw(st.permutations(canonical))
    out = NumpyInterop.order_to_numpy_array(view, list(order))
    # Array axis k of the import was canonical dimension ndim-1-k; the export puts dimension order[j] at axis j.
    perm = [a.ndim - 1 - canonical.index(d) for d in order]
    assert out.shape == a.transpose(perm).shape
    assert out.strides == a.transpose(perm).strides
    assert np.array_equal(out, a.transpose(perm))
