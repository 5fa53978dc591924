# Rule 5: read-only arrays give views without WRITE; negative strides are fine; bool and complex map; bad arrays are errors.
import numpy as np
from iolink import NumpyInterop, ImageCapability

a = np.arange(6, dtype=np.int32)
a.flags.writeable = False
view = NumpyInterop.from_numpy_array(a)
print(view.support(ImageCapability.WRITE), view.capabilities())
print(NumpyInterop.from_numpy_array(np.arange(6)[::-1]).shape())
b = NumpyInterop.from_numpy_array(np.zeros((2, 2), bool))
print(b.data_type(), b.image_interpretation())
print(NumpyInterop.from_numpy_array(np.zeros(2, np.complex64)).data_type(),
      NumpyInterop.from_numpy_array(np.zeros(2, np.complex128)).data_type())
for bad in (np.zeros(3, '>u2'), np.zeros(3, object), np.zeros(3, 'U2'), np.array(1)):
    try:
        NumpyInterop.from_numpy_array(bad)
    except ValueError as e:
        print("ValueError:", e)
