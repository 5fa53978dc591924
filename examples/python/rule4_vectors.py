# Rule 4: one more packed axis of length 2..4 becomes vector components; an unpacked one is an error that says so.
import numpy as np
from iolink import NumpyInterop, ImageTypeId

rgb = np.zeros((480, 640, 3), np.uint16)
view = NumpyInterop.from_numpy_array(rgb, ImageTypeId.IMAGE)
print(view.shape(), view.data_type())                 # VectorXu64(640, 480) VEC3_UINT16
try:
    NumpyInterop.from_numpy_array(np.zeros((480, 640, 6), np.uint16)[..., ::2], ImageTypeId.IMAGE)
except ValueError as e:
    print("ValueError:", e)
