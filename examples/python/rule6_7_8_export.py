# Rules 6, 7, 8: export a VOLUME of shape (12, 4, 6) with and without an interpretation, and in a chosen order.
from iolink import (NumpyInterop, ImageViewFactory, DataTypeId, ImageTypeId, ImageDimension, ImageViewFactory)

volume = ImageViewFactory.reinterpret(ImageViewFactory.allocate((12, 4, 6), DataTypeId.UINT16), ImageTypeId.VOLUME)
vec3 = ImageViewFactory.reinterpret(ImageViewFactory.allocate((12, 4, 6), DataTypeId.VEC3_UINT16), ImageTypeId.VOLUME)
print(NumpyInterop.to_numpy_array(volume).shape)                         # (6, 4, 12)
print(NumpyInterop.to_numpy_array(vec3).shape)                           # (6, 4, 12, 3)
unknown = ImageViewFactory.allocate((12, 4, 6), DataTypeId.UINT16)
unknown3 = ImageViewFactory.allocate((12, 4, 6), DataTypeId.VEC3_UINT16)
print(NumpyInterop.to_numpy_array(unknown).shape)                        # (12, 4, 6)
print(NumpyInterop.to_numpy_array(unknown3).shape)                       # (12, 4, 6, 3)
order = [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]
print(NumpyInterop.order_to_numpy_array(volume, order).shape)            # (6, 12, 4)
print(NumpyInterop.order_to_numpy_array(vec3, order + [ImageDimension.CHANNEL]).shape)   # (6, 12, 4, 3)
try:
    NumpyInterop.order_to_numpy_array(unknown, order)
except ValueError as e:
    print("ValueError:", e)
uniform = ImageViewFactory.uniform((2, 2), DataTypeId.UINT8, b"\x07")
try:
    NumpyInterop.to_numpy_array(uniform)
except ValueError as e:
    print(type(e).__name__ + ":", e)
print(NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(uniform)).sum())
