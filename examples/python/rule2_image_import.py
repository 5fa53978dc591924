# Rule 2: import as IMAGE reads the axes in NumPy order (rows, columns) and gives canonical order (columns, rows).
import numpy as np
from iolink import NumpyInterop, ImageTypeId_IMAGE, RegionXu64

a = np.arange(6, dtype=np.uint16).reshape(2, 3)
view = NumpyInterop.from_numpy_array(a, ImageTypeId_IMAGE)
print(view.shape())                                   # VectorXu64(3, 2): 3 columns, 2 rows
x2y0 = np.frombuffer(view.read_region(RegionXu64((2, 0), (1, 1))), np.uint16)[0]
print(x2y0 == a[0, 2])                                # view (x=2, y=0) is a[0, 2]
