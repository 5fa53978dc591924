import numpy as np

from iolink import DataTypeId, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop

# A 12-bit CT volume shown in 8 bits: a window from 1000 to 3000 mapped onto 0 to 255, computed when read.
ct = NumpyInterop.from_numpy_array(np.arange(0, 4096, 16, dtype=np.uint16).reshape(4, 8, 8), ImageTypeId.VOLUME)
window = ImageViewFactory.adapt_dynamic_range(ct, DataTypeId.UINT8, (1000, 3000), (0, 255))
print(window.data_type(), window.capabilities())                           # UINT8 READ|WRITE: no copy was made
print(NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(window))[1, 7, 3:])   # [123 125 128 130 132]
print(ImageViewFactory.adapt_data_type(ct, DataTypeId.FLOAT).data_type())  # FLOAT: values kept

# An RGB image from NumPy (Y, X, C): its channels become one vector per pixel, over the same memory.
rgb = np.zeros((480, 640, 3), np.uint8)
channels = NumpyInterop.order_from_numpy_array(rgb, [ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL])
pixels = ImageViewFactory.assemble_channels(channels)
np.asarray(pixels)[0, 0] = (255, 128, 0)
print(pixels.data_type(), pixels.axes_interpretation(), rgb[0, 0])        # VEC3_UINT8 IMAGE [255 128   0]
