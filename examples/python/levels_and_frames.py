"""One image at several resolutions, and a collection of frames (the README's "Several images in one view")."""

import numpy as np

from iolink import (ImageTypeId, ImageViewFactory, LodImageViewFactory, MultiImageViewFactory, NumpyInterop,
                    VectorXu64)

# A 64^3 volume and two coarser levels of it, as a pyramid writer would make them.
full = NumpyInterop.from_numpy_array(np.arange(64 ** 3, dtype=np.uint16).reshape(64, 64, 64), ImageTypeId.VOLUME)
half = ImageViewFactory.copy_in_memory(ImageViewFactory.sub_sample(full, VectorXu64(2, 2, 2)))
quarter = ImageViewFactory.copy_in_memory(ImageViewFactory.sub_sample(full, VectorXu64(4, 4, 4)))
with LodImageViewFactory.from_views([full, half, quarter]) as lod:
    print(lod.level_range(), [tuple(level.shape()) for level in lod])   # (0, 2) [(64, 64, 64), (32, 32, 32), (16, 16, 16)]
    coarsest = lod.resolution(2)                                        # a view of its own: it outlives `lod`
print(NumpyInterop.to_numpy_array(coarsest)[1, 0, 0])                  # 16384: element (0, 0, 4) of the full volume

# Frames need not be related: a volume, an image, another volume.
frames = MultiImageViewFactory.from_views([full, NumpyInterop.from_numpy_array(np.zeros((3, 5), np.float32))])
frames.add(quarter)
print(len(frames), [str(f.data_type()) for f in frames], tuple(frames[-1].shape()))   # 3 ['UINT16', 'FLOAT', 'UINT16'] (16, 16, 16)
