# Rule 1: a plain import keeps the array's axes as they are, C or Fortran order alike.
import numpy as np
from iolink import NumpyInterop

c = np.arange(6, dtype=np.uint16).reshape(2, 3)
f = np.asfortranarray(c)
for a in (c, f):
    view = NumpyInterop.from_numpy_array(a)
    print(view.shape())
# view index (i, j) is array element [i, j]
view = NumpyInterop.from_numpy_array(f)
print(view.axes_interpretation(), np.frombuffer(view.read_region(__import__("iolink").RegionXu64((1, 2), (1, 1))), np.uint16)[0] == f[1, 2])
