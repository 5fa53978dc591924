import numpy as np

from iolink import DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop

# A view indexes as NumPy does, in NumPy order: (Z, Y, X) for a volume.
ct = NumpyInterop.from_numpy_array(np.arange(4 * 6 * 8, dtype=np.uint16).reshape(4, 6, 8), ImageTypeId.VOLUME)
print(ct.np_shape, ct.np_dtype, len(ct), ct.shape())    # (4, 6, 8) uint16 4 VectorXu64(8, 6, 4)
plane = ct[2]                                           # a NumPy array over the view's memory: no copy
plane[0, 0] = 999
print(ct[2, 0, :3], ct[..., -1][:, 0])                  # [999  97  98] [  7  55 103 151]

# A view without memory (computed when read) reads only the box its index touches, into a new array.
scaled = ImageViewFactory.adapt_data_type(ct, DataTypeId.FLOAT)
print(scaled[1:3, ::-2, 4].tolist())                    # [[92.0, 76.0, 60.0], [140.0, 124.0, 108.0]]
