# Rule 3: naming each array axis, in the array's order; the view is reordered to canonical order through strides.
import numpy as np
from iolink import NumpyInterop, ImageDimension

a = np.zeros((2, 3), np.uint8)
print(NumpyInterop.order_from_numpy_array(a, [ImageDimension.ROW, ImageDimension.COLUMN]).shape())
b = np.zeros((2, 3, 4), np.uint8)
v = NumpyInterop.order_from_numpy_array(b, [ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.SLICE])
print(v.shape(), v.axes_interpretation())
