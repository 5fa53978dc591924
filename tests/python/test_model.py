import io

import numpy as np
import pytest

import iolink
from iolink import (DataTypeId, ImageAxes, ImageCapability, ImageDimension, ImageTypeId, ImageViewFactory,
                    RegionXu64, VectorXu64)


def test_public_names_exist():
    for name in ("NumpyInterop", "ImageViewFactory", "DataTypeId", "ImageTypeId", "ImageDimension", "ImageAxes",
                 "ImageCapability", "VectorXu64", "RegionXu64", "StreamAccessFactory", "StreamAccessRawIO"):
        assert hasattr(iolink, name), name


@pytest.mark.parametrize("name", ["IMAGE", "VOLUME", "MULTISPECTRAL_IMAGE", "MULTISPECTRAL_VOLUME", "IMAGE_SEQUENCE",
                                  "VOLUME_SEQUENCE", "MULTISPECTRAL_IMAGE_SEQUENCE", "MULTISPECTRAL_VOLUME_SEQUENCE",
                                  "UNKNOWN"])
def test_image_type_constants_in_the_18_spelling(name):
    assert getattr(iolink, "ImageTypeId_" + name) is ImageTypeId[name]


def test_image_axes_is_image_dimension():
    assert ImageAxes is ImageDimension
    assert [d.name for d in ImageDimension] == ["COLUMN", "ROW", "SLICE", "CHANNEL", "SEQUENCE"]
    assert [int(d) for d in ImageDimension] == [0, 1, 2, 3, 4]


def test_enums_print_their_iolink_names():
    assert str(DataTypeId.VEC3_UINT16) == "VEC3_UINT16"
    assert str(ImageDimension.ROW) == "ROW"
    assert str(ImageCapability.READ | ImageCapability.WRITE) == "READ|WRITE"


def test_vector_prints_like_iolink():
    v = VectorXu64(2, 3)
    assert repr(v) == str(v) == "VectorXu64(2, 3)"
    assert v == (2, 3) and v == VectorXu64((2, 3)) and len(v) == 2 and v[1] == 3 and list(v) == [2, 3]
    with pytest.raises(ValueError):
        VectorXu64(-1)
    with pytest.raises(TypeError):
        VectorXu64(1.5)


def test_an_argument_of_the_wrong_kind_names_the_argument_and_its_enum():
    with pytest.raises(TypeError, match=r"^data_type must be a member of DataTypeId, not str$"):
        ImageViewFactory.allocate((2, 3), "UINT16")
    view = ImageViewFactory.allocate((2, 3), DataTypeId.UINT8)
    with pytest.raises(TypeError, match=r"^dim must be a member of ImageDimension, not float$"):
        ImageViewFactory.flip_dimension(view, 1.5)


def test_allocate_and_view_methods():
    view = ImageViewFactory.allocate((3, 2), DataTypeId.UINT16)
    assert view.shape() == VectorXu64(3, 2)
    assert view.data_type() == DataTypeId.UINT16
    assert view.support(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.MEMORY_ACCESS)
    assert view.axes_interpretation() == ImageTypeId.UNKNOWN
    region = RegionXu64((1, 0), (2, 2))
    view.write_region(region, np.array([1, 2, 3, 4], np.uint16).tobytes())
    assert np.frombuffer(view.read_region(region), np.uint16).tolist() == [1, 2, 3, 4]
    assert np.frombuffer(view.read_region(RegionXu64.create_full_region(view.shape())), np.uint16).tolist() == [0, 1, 2, 0, 3, 4]


def test_factory_errors_are_python_exceptions():
    with pytest.raises(ValueError, match="Shape"):
        ImageViewFactory.allocate((0, 2), DataTypeId.UINT8)
    with pytest.raises(TypeError):
        ImageViewFactory.allocate((2, 2), "UINT8")
    view = ImageViewFactory.allocate((2, 2), DataTypeId.UINT8)
    with pytest.raises(ValueError, match="outside"):
        view.read_region(RegionXu64((1, 1), (2, 2)))
    with pytest.raises(ValueError, match="dimension"):
        ImageViewFactory.reinterpret(view, ImageTypeId.VOLUME)
    ro = ImageViewFactory.make_read_only(view)
    with pytest.raises(ValueError, match="WRITE"):
        ro.write_region(RegionXu64((0, 0), (1, 1)), b"\x01")
    view.dispose()
    with pytest.raises(ValueError, match="disposed"):
        view.read_region(RegionXu64((0, 0), (1, 1)))


def test_reinterpret_axes_and_extract_region_share_memory():
    view = ImageViewFactory.allocate((2, 3), DataTypeId.UINT8)
    named = ImageViewFactory.reinterpret_axes(view, [ImageDimension.ROW, ImageDimension.COLUMN])
    assert named.shape() == VectorXu64(3, 2) and named.axes_interpretation() == ImageTypeId.IMAGE
    sub = ImageViewFactory.extract_region(named, RegionXu64((1, 1), (2, 1)))
    sub.write_region(RegionXu64((0, 0), (2, 1)), b"\x05\x06")
    assert bytes(view.read_region(RegionXu64((1, 1), (1, 2)))) == b"\x05\x06"


def test_dotnet_messages_use_the_python_names():
    # What a Python user reads names what a Python user calls, not the .NET methods behind it.
    view = ImageViewFactory.make_read_only(ImageViewFactory.allocate((4, 3), DataTypeId.UINT8))
    with pytest.raises(io.UnsupportedOperation) as e:
        view.write_region(RegionXu64((0, 0), (1, 1)), bytes(1))
    assert "write_region needs the WRITE capability" in str(e.value)
    assert "ImageViewFactory.copy_in_memory" in str(e.value)
    assert "CopyInMemory" not in str(e.value) and "WriteRegion" not in str(e.value)
    from iolink._dotnet import python_names
    assert python_names("Use DLPackInterop.FromDLPack or NumpyInterop.ToNumpyArray; ImageViewFactory.FromArray.") == \
        "Use DLPackInterop.from_dlpack or NumpyInterop.to_numpy_array; ImageViewFactory.FromArray."


def test_copy_in_memory_is_one_fast_call_and_leaves_no_handle_behind():
    # A view on a handle (as NumPy imports are) is copied by one ctypes call: no pythonnet wrapper is made for either
    # view, the copy holds the same elements in canonical order, and disposing both leaves the handle count as it was.
    from iolink import NumpyInterop, _native
    start = _native.live_handles()
    a = np.arange(2 * 3 * 4, dtype=np.uint16).reshape(2, 3, 4)
    view = NumpyInterop.from_numpy_array(a.transpose(2, 1, 0), ImageTypeId.VOLUME)
    copy = ImageViewFactory.copy_in_memory(view)
    assert copy._n is None
    assert view._n is None or not _native.FAST_IMPORT      # where NumPy imports take pythonnet, the view has a wrapper
    whole = RegionXu64((0, 0, 0), tuple(view.shape()))
    assert bytes(copy.read_region(whole)) == bytes(view.read_region(whole))
    assert _native.live_handles() - start == 2
    copy.dispose()
    view.dispose()
    assert _native.live_handles() == start
    with pytest.raises(ValueError, match="disposed"):
        ImageViewFactory.copy_in_memory(view)
