"""Rules 1 to 5, with NumPy as the oracle."""

import numpy as np
import pytest

from iolink import (DataTypeId, ImageCapability, ImageDimension, ImageTypeId, NumpyInterop, RegionXu64,
                    VectorXu64)
from iolink._model import ImageInterpretation


def dense(view):
    """The view's elements, dense in canonical order (first dimension fastest)."""
    return bytes(view.read_region(RegionXu64.create_full_region(view.shape())))


def address(a):
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("order", ["C", "F"])
def test_rule1_plain_import_keeps_axes(order):
    a = np.array(np.arange(6, dtype=np.uint16).reshape(2, 3), order=order)
    view = NumpyInterop.from_numpy_array(a)
    assert str(view.shape()) == "VectorXu64(2, 3)"
    assert view.axes_interpretation() == ImageTypeId.UNKNOWN
    assert tuple(view.net.Strides) == a.strides
    assert dense(view) == a.tobytes(order="F")


def test_rule2_image_gives_columns_then_rows():
    a = np.arange(6, dtype=np.uint16).reshape(2, 3)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
    assert view.shape() == VectorXu64(3, 2)
    assert np.frombuffer(view.read_region(RegionXu64((2, 0), (1, 1))), np.uint16)[0] == a[0, 2]


@pytest.mark.parametrize("image_type, shape, expected", [
    (ImageTypeId.VOLUME, (6, 4, 12), (12, 4, 6)),
    (ImageTypeId.MULTISPECTRAL_IMAGE, (4, 12, 7), (12, 4, 7)),
    (ImageTypeId.IMAGE_SEQUENCE, (5, 4, 12), (12, 4, 5)),
    (ImageTypeId.VOLUME_SEQUENCE, (2, 3, 4, 5), (5, 4, 3, 2)),
    (ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE, (2, 3, 4, 5, 6), (5, 4, 3, 6, 2)),
])
def test_rule2_numpy_order_to_canonical(image_type, shape, expected):
    a = np.zeros(shape, np.int16)
    view = NumpyInterop.from_numpy_array(a, image_type)
    assert view.shape() == expected
    assert view.axes_interpretation() == image_type


def test_rule3_named_axes():
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    view = NumpyInterop.order_from_numpy_array(a, [ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.SLICE])
    assert view.shape() == (3, 2, 4)
    assert view.axes_interpretation() == ImageTypeId.VOLUME
    assert np.frombuffer(view.read_region(RegionXu64((2, 1, 3), (1, 1, 1))), np.float32)[0] == a[1, 2, 3]
    assert dense(view) == np.transpose(a, (1, 0, 2)).tobytes(order="F")


def test_rule3_errors():
    a = np.zeros((2, 3), np.uint8)
    with pytest.raises(ValueError, match="listed twice"):
        NumpyInterop.order_from_numpy_array(a, [ImageDimension.ROW, ImageDimension.ROW])
    with pytest.raises(ValueError, match="does not fit"):
        NumpyInterop.order_from_numpy_array(np.zeros((2, 3, 4), np.uint8), [ImageDimension.ROW])
    with pytest.raises(TypeError):
        NumpyInterop.order_from_numpy_array(a, ["ROW", "COLUMN"])
    with pytest.raises(TypeError):
        NumpyInterop.order_from_numpy_array(a, ImageDimension.ROW)


@pytest.mark.parametrize("n, expected", [(2, DataTypeId.VEC2_FLOAT), (3, DataTypeId.VEC3_FLOAT), (4, DataTypeId.VEC4_FLOAT)])
def test_rule4_vector_components(n, expected):
    a = np.arange(2 * 3 * n, dtype=np.float32).reshape(2, 3, n)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
    assert view.data_type() == expected
    assert view.shape() == (3, 2)
    assert bytes(view.read_region(RegionXu64((2, 1), (1, 1)))) == a[1, 2].tobytes()


def test_rule4_errors():
    with pytest.raises(ValueError, match="not packed"):
        NumpyInterop.from_numpy_array(np.zeros((2, 3, 6), np.uint16)[..., ::2], ImageTypeId.IMAGE)
    with pytest.raises(ValueError, match="2 to 4"):
        NumpyInterop.from_numpy_array(np.zeros((2, 3, 5), np.uint16), ImageTypeId.IMAGE)
    with pytest.raises(ValueError, match="complex"):
        NumpyInterop.from_numpy_array(np.zeros((2, 3, 2), np.complex128), ImageTypeId.IMAGE)


DTYPES = [
    ("bool", DataTypeId.UINT8), ("uint8", DataTypeId.UINT8), ("int8", DataTypeId.INT8),
    ("uint16", DataTypeId.UINT16), ("int16", DataTypeId.INT16), ("uint32", DataTypeId.UINT32),
    ("int32", DataTypeId.INT32), ("uint64", DataTypeId.UINT64), ("int64", DataTypeId.INT64),
    ("float32", DataTypeId.FLOAT), ("float64", DataTypeId.DOUBLE),
    ("complex64", DataTypeId.COMPLEX_FLOAT), ("complex128", DataTypeId.COMPLEX_DOUBLE),
]


@pytest.mark.parametrize("dtype, expected", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "flipped", "strided"])
def test_rule5_every_dtype_and_layout_zero_copy(dtype, expected, layout):
    base = (np.arange(48).reshape(6, 8) % 3).astype(dtype)
    a = {"C": base, "F": np.asfortranarray(base), "flipped": base[::-1, ::-1], "strided": base[1::2, ::3]}[layout]
    view = NumpyInterop.from_numpy_array(a)
    assert view.data_type() == expected
    assert view.image_interpretation() == (ImageInterpretation.BINARY if dtype == "bool" else ImageInterpretation.UNKNOWN)
    assert tuple(view.net.Strides) == a.strides
    assert view.net.Buffer.ToInt64() == address(a)
    assert dense(view) == a.tobytes(order="F")


def test_float16():
    view = NumpyInterop.from_numpy_array(np.array([1.5, 2.0], np.float16))
    assert view.data_type().bit_depth == 16 and view.data_type().byte_count == 2


def test_rule5_read_only_array_gives_view_without_write():
    a = np.arange(4, dtype=np.int32)
    a.flags.writeable = False
    view = NumpyInterop.from_numpy_array(a)
    assert not view.support(ImageCapability.WRITE)
    with pytest.raises(ValueError, match="WRITE"):
        view.write_region(RegionXu64((0,), (1,)), b"\0\0\0\0")
    assert not NumpyInterop.to_numpy_array(view).flags.writeable


@pytest.mark.parametrize("array, fragment", [
    (lambda: np.zeros(3, ">u2"), "non-native byte order"),
    (lambda: np.zeros(3, ">f8"), "non-native byte order"),
    (lambda: np.zeros(3, object), "object array"),
    (lambda: np.zeros(3, [("x", "f4"), ("y", "i2")]), "structured"),
    (lambda: np.zeros(3, "U4"), "strings"),
    (lambda: np.zeros(3, "S4"), "strings"),
    (lambda: np.zeros(3, "M8[s]"), "dates"),
    (lambda: np.array(5, np.uint8), "0-d"),
    (lambda: np.zeros((2, 0), np.uint8), "no elements"),
])
def test_rule5_unsupported_arrays_raise_value_error(array, fragment):
    with pytest.raises(ValueError, match=fragment):
        NumpyInterop.from_numpy_array(array())


def test_not_an_array_is_a_type_error():
    with pytest.raises(TypeError, match="numpy.ndarray"):
        NumpyInterop.from_numpy_array([1, 2, 3])
    with pytest.raises(TypeError):
        NumpyInterop.from_numpy_array(np.zeros(3), "IMAGE")


def test_writes_cross_both_ways():
    a = np.zeros((2, 3), np.uint16)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
    view.write_region(RegionXu64((2, 1), (1, 1)), np.uint16(77).tobytes())
    assert a[1, 2] == 77
    a[0, 1] = 1234
    assert np.frombuffer(view.read_region(RegionXu64((1, 0), (1, 1))), np.uint16)[0] == 1234
