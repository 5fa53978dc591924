# DLPack: a volume goes to PyTorch and the result comes back, with no copy on either crossing.
import numpy as np
import torch
from iolink import DLPackInterop, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop

ct = np.zeros((32, 64, 64), np.float32)                          # (Z, Y, X)
ct[8:24, 16:48, 16:48] = 1000.0                                   # a dense cube
volume = NumpyInterop.from_numpy_array(ct, ImageTypeId.VOLUME)    # shape X, Y, Z

t = torch.from_dlpack(volume)                                     # (Z, Y, X), the same memory
print(tuple(t.shape), t.data_ptr() == ct.ctypes.data)

smooth = torch.nn.functional.avg_pool3d(t[None, None], 3, stride=1, padding=1)[0, 0]
result = DLPackInterop.from_dlpack(smooth, ImageTypeId.VOLUME)    # torch's memory, seen as a VOLUME
print(result.shape(), result.axes_interpretation())
back = NumpyInterop.to_numpy_array(result)
print(back.shape, round(float(back[16, 32, 32]), 1), round(float(back[8, 16, 16]), 1))

rgb = NumpyInterop.from_numpy_array(np.zeros((480, 640, 3), np.uint8), ImageTypeId.IMAGE)   # VEC3_UINT8
print(tuple(torch.from_dlpack(rgb).shape))                        # (H, W, 3), rule 6
planar = DLPackInterop.to_dlpack(rgb, [ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN])
print(tuple(torch.from_dlpack(planar).shape))                     # (3, H, W), rule 8: what torchvision expects

try:
    torch.from_dlpack(ImageViewFactory.flip_dimension(volume, ImageDimension.COLUMN))
except BufferError as e:
    print("BufferError:", e)
