# Zarr: a volume IOLink writes, Dask computes on, and IOLink reads back region by region.
import os, shutil, tempfile
import numpy as np
import dask.array as da
import zarr
from iolink import ImageTypeId, NumpyInterop, RegionXu64, ZarrArray

z, y, x = np.mgrid[0:64, 0:128, 0:128]
ct = (1000 + 3 * x + 2 * y + 40 * z).astype(np.uint16)             # (Z, Y, X)
path = os.path.join(tempfile.mkdtemp(), "ct.zarr")
fmt = 3 if zarr.__version__ >= "3" else 2                           # Dask reads through zarr-python; version 2 reads Zarr v2
ZarrArray.write(NumpyInterop.from_numpy_array(ct, ImageTypeId.VOLUME), path, chunks=(64, 64, 32), codec="zstd", zarr_format=fmt)

volume = da.from_zarr(path)                                         # Dask sees (Z, Y, X) in 32x64x64 chunks
print(volume.shape, volume.chunksize, float(volume.mean().compute()))

view = ZarrArray.open(path, image_type=ImageTypeId.VOLUME)          # X, Y, Z again
print(view.shape(), ZarrArray.info(view)["codec"])
plane = view.read_region(RegionXu64((0, 0, 10), (128, 128, 1)), out=np.empty((128, 128), np.uint16))
print(int(plane[5, 7]), ZarrArray.info(view)["chunks_decoded"])      # y=5, x=7 of slice 10; 4 chunks decoded
view.dispose()
shutil.rmtree(os.path.dirname(path))                                # the temporary folder goes too
