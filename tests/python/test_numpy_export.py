"""Rules 6 to 9."""

import io

import numpy as np
import pytest

from iolink import DataTypeId, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64


def volume(data_type, image_type=ImageTypeId.VOLUME):
    view = ImageViewFactory.allocate((12, 4, 6), data_type)
    return ImageViewFactory.reinterpret(view, image_type) if image_type != ImageTypeId.UNKNOWN else view


def test_rule6_volume_order_and_values():
    view = volume(DataTypeId.UINT16)
    view.write_region(RegionXu64((11, 2, 5), (1, 1, 1)), np.uint16(42).tobytes())
    a = NumpyInterop.to_numpy_array(view)
    assert a.shape == (6, 4, 12) and a.dtype == np.uint16 and a.strides == (96, 24, 2)
    assert a[5, 2, 11] == 42
    assert a.__array_interface__["data"][0] == view.net.Buffer.ToInt64()


def test_rule6_vector_components_last():
    a = NumpyInterop.to_numpy_array(volume(DataTypeId.VEC3_UINT16))
    assert a.shape == (6, 4, 12, 3) and a.dtype == np.uint16


@pytest.mark.parametrize("data_type, shape", [(DataTypeId.UINT16, (12, 4, 6)), (DataTypeId.VEC3_UINT16, (12, 4, 6, 3))])
def test_rule7_unknown_keeps_view_order(data_type, shape):
    assert NumpyInterop.to_numpy_array(volume(data_type, ImageTypeId.UNKNOWN)).shape == shape


@pytest.mark.parametrize("data_type, dtype", [
    (DataTypeId.UINT8, "uint8"), (DataTypeId.INT8, "int8"), (DataTypeId.UINT16, "uint16"), (DataTypeId.INT16, "int16"),
    (DataTypeId.UINT32, "uint32"), (DataTypeId.INT32, "int32"), (DataTypeId.UINT64, "uint64"), (DataTypeId.INT64, "int64"),
    (DataTypeId.FLOAT, "float32"), (DataTypeId.DOUBLE, "float64"), (DataTypeId.COMPLEX_FLOAT, "complex64"),
    (DataTypeId.COMPLEX_DOUBLE, "complex128"), (DataTypeId.VEC4_INT8, "int8"),
])
def test_every_type_exports_to_its_dtype(data_type, dtype):
    a = NumpyInterop.to_numpy_array(ImageViewFactory.allocate((3, 2), data_type))
    assert a.dtype == np.dtype(dtype)


def test_rule8_chosen_order():
    view = volume(DataTypeId.FLOAT)
    a = NumpyInterop.order_to_numpy_array(view, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW])
    assert a.shape == (6, 12, 4)
    a[2, 7, 3] = 1.5
    assert np.frombuffer(view.read_region(RegionXu64((7, 3, 2), (1, 1, 1))), np.float32)[0] == 1.5
    b = NumpyInterop.order_to_numpy_array(volume(DataTypeId.VEC3_UINT16),
                                          [ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN])
    assert b.shape == (3, 6, 4, 12) and b.strides == (2, 288, 72, 6)


def test_rule8_errors():
    with pytest.raises(ValueError, match="UNKNOWN"):
        NumpyInterop.order_to_numpy_array(volume(DataTypeId.UINT8, ImageTypeId.UNKNOWN),
                                          [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE])
    with pytest.raises(ValueError, match="exactly once"):
        NumpyInterop.order_to_numpy_array(volume(DataTypeId.VEC3_UINT16), [ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN])
    with pytest.raises(ValueError, match="exactly once"):
        NumpyInterop.order_to_numpy_array(volume(DataTypeId.UINT8), [ImageDimension.SLICE, ImageDimension.SLICE, ImageDimension.COLUMN])
    both = ImageViewFactory.reinterpret(ImageViewFactory.allocate((4, 3, 2), DataTypeId.VEC2_FLOAT), ImageTypeId.MULTISPECTRAL_IMAGE)
    with pytest.raises(ValueError, match="both a CHANNEL"):
        NumpyInterop.order_to_numpy_array(both, [ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN])
    with pytest.raises(TypeError):
        NumpyInterop.to_numpy_array(np.zeros(3))


def test_export_needs_memory_access_and_names_copy_in_memory():
    uniform = ImageViewFactory.uniform((2, 2), DataTypeId.UINT8, b"\x07")
    with pytest.raises(ValueError, match="copy_in_memory") as info:
        NumpyInterop.to_numpy_array(uniform)
    assert isinstance(info.value, io.UnsupportedOperation)
    assert NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(uniform)).sum() == 28


def test_rule9_read_only_view_exports_read_only_array():
    a = NumpyInterop.to_numpy_array(ImageViewFactory.make_read_only(volume(DataTypeId.UINT8)))
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0, 0] = 1


def test_flipped_view_exports_negative_strides():
    view = volume(DataTypeId.INT16)
    a = NumpyInterop.to_numpy_array(view)
    a[2, 1, :] = np.arange(12)
    f = NumpyInterop.to_numpy_array(ImageViewFactory.flip_dimension(view, ImageDimension.COLUMN))
    assert f.strides == (96, 24, -2)
    assert f[2, 1].tolist() == list(range(11, -1, -1))


def test_roundtrip_is_the_same_memory():
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    b = NumpyInterop.to_numpy_array(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME))
    assert b.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    assert b.shape == a.shape and b.strides == a.strides
    assert np.shares_memory(a, b)


def test_uniform_takes_a_number_or_one_per_component():
    f = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(ImageViewFactory.uniform((3, 2), DataTypeId.FLOAT, 1.5)))
    assert f.dtype == np.float32 and (f == 1.5).all()
    v = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(ImageViewFactory.uniform((2,), DataTypeId.VEC3_UINT8, (1, 2, 3))))
    assert v.tolist() == [[1, 2, 3], [1, 2, 3]]
    c = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(ImageViewFactory.uniform((2,), DataTypeId.COMPLEX_DOUBLE, 1 - 2j)))
    assert c.tolist() == [1 - 2j, 1 - 2j]
    with pytest.raises(ValueError, match="has 3 components: give a tuple of 3 numbers"):
        ImageViewFactory.uniform((2,), DataTypeId.VEC3_UINT8, 7)
    with pytest.raises(ValueError, match="does not fit"):
        ImageViewFactory.uniform((2,), DataTypeId.UINT8, 300)
    with pytest.raises(TypeError, match="value must be a number"):
        ImageViewFactory.uniform((2,), DataTypeId.UINT8, "7")
