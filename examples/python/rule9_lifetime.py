# Rule 9: each side keeps the other's memory alive; a view without WRITE exports a read-only array.
import gc
import numpy as np
from iolink import NumpyInterop, ImageViewFactory, DataTypeId, ImageTypeId

view = ImageViewFactory.reinterpret(ImageViewFactory.allocate((3, 2), DataTypeId.FLOAT), ImageTypeId.IMAGE)
array = NumpyInterop.to_numpy_array(view)
array[1, 2] = 4.5
del view; gc.collect()
print(array[1, 2], array.shape)                        # still valid after the view is gone

a = np.arange(6, dtype=np.uint16).reshape(2, 3)
view = NumpyInterop.from_numpy_array(a)
del a; gc.collect()
print(NumpyInterop.to_numpy_array(view).tolist())      # the view keeps the array's memory

ro = ImageViewFactory.make_read_only(view)
print(NumpyInterop.to_numpy_array(ro).flags.writeable)
