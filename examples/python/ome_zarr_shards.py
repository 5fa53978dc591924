# OME-Zarr 0.5 in shards: a pyramid IOLink writes, zarr-python 3 and Dask read, and IOLink opens as one view.
import os, shutil, tempfile
import numpy as np
import dask.array as da
import zarr
from iolink import ImageTypeId, LodImageViewFactory, NumpyInterop, ZarrArray

z, y, x = np.mgrid[0:64, 0:256, 0:256]
ct = (1000 + 3 * x + 2 * y + 40 * z).astype(np.uint16)             # (Z, Y, X)
view = NumpyInterop.from_numpy_array(ct, ImageTypeId.VOLUME)
path = os.path.join(tempfile.mkdtemp(), "ct.ome.zarr")
with LodImageViewFactory.downsample(view, 3) as pyramid:            # 2x means, computed level by level as written
    ZarrArray.write(pyramid, path, chunks=(64, 64, 32), shards=(128, 128, 64))

image = zarr.open_group(path, mode="r")                             # zarr-python 3
print(image.attrs["ome"]["version"], [image[level].shape for level in ("0", "1", "2")])
print(image["0"].chunks, image["0"].shards, image["0"].metadata.dimension_names)
print(float(da.from_zarr(path, component="2").mean().compute()))    # Dask on the coarsest level

with ZarrArray.open_lod(path) as lod:                               # IOLink: the levels as one view
    print(lod.level_range(), [str(level.shape()) for level in lod])
shutil.rmtree(os.path.dirname(path))                                # the temporary folder goes too
