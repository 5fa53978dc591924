"""
HDF5 through IOLink against h5py, on the same files in the same run (plain python3 with the wheel):

    python bench/python/hdf5_bench.py [MiB] [FOLDER]

A UINT16 volume (default 1024 MiB; smooth structure plus noise, as tiff_bench.py makes it) is written by h5py twice:
contiguous, and in 64^3 chunks with shuffle and gzip (h5py's default level 4). Then, best of three:
- the contiguous dataset: `Hdf5File.open` + `NumpyInterop.to_numpy_array` (mapped, no copy) against the same on a
  4 KiB file, and against h5py's `ds[...]` (a read into new memory) and `read_direct` (into an existing array);
- the chunked dataset read whole: `read_region(out=)` (chunks decoded on every core) against h5py's `ds[...]` and
  `read_direct` (one thread: libhdf5 decodes chunk after chunk);
- the chunked dataset written: `Hdf5File.write` (64^3 chunks, shuffle, gzip level 1 and 6) against h5py's
  `create_dataset` with the same chunks, filters and level, each file removed and dirty pages written back first.
"""

import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

from iolink import Hdf5File, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64
from tiff_bench import volume
from timing import best, settle


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    where = sys.argv[2] if len(sys.argv) > 2 else None
    a = volume(mib)
    folder = tempfile.mkdtemp(dir=where)
    try:
        plain, chunked, small = (os.path.join(folder, n) for n in ("plain.h5", "chunked.h5", "small.h5"))
        with h5py.File(plain, "w") as f:
            f.create_dataset("volume", data=a)
        with h5py.File(small, "w") as f:
            f.create_dataset("volume", data=a[:1, :32, :64])
        with h5py.File(chunked, "w") as f:
            f.create_dataset("volume", data=a, chunks=(64, 64, 64), compression="gzip", shuffle=True)
        print("%d MiB UINT16 volume %s in %s; h5py %s (HDF5 %s); best of 3 (%d cores)"
              % (a.nbytes >> 20, a.shape, where or tempfile.gettempdir(), h5py.__version__, h5py.version.hdf5_version, os.cpu_count()))

        def open_mapped(path):
            return NumpyInterop.to_numpy_array(Hdf5File.open(path))

        big = best(lambda: open_mapped(plain), rounds=3)
        tiny = best(lambda: open_mapped(small), rounds=3)
        assert (open_mapped(plain) == a).all()
        out = np.empty_like(a)
        with h5py.File(plain, "r") as f:
            ds = f["volume"]
            theirs = best(lambda: ds[...], rounds=3)
            direct = best(lambda: ds.read_direct(out), rounds=3)
        print("  contiguous: open + to_numpy_array %.0f us (4 KiB file: %.0f us, %.2fx); h5py ds[...] %.0f ms, read_direct %.0f ms"
              % (big * 1e6, tiny * 1e6, big / tiny, theirs * 1e3, direct * 1e3))

        # No axes attribute: the NumPy rules leave the axes UNKNOWN; name them (Z, Y, X) to read into a (Z, Y, X) array.
        view = ImageViewFactory.reinterpret_axes(Hdf5File.open(chunked), [ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN])
        region = RegionXu64((0, 0, 0), tuple(view.shape()))
        ours = best(lambda: view.read_region(region, out=out), rounds=3)
        assert (out == a).all()
        with h5py.File(chunked, "r") as f:
            ds = f["volume"]
            theirs = best(lambda: ds[...], rounds=3)
            direct = best(lambda: ds.read_direct(out), rounds=3)
        print("  64^3 chunks, shuffle + gzip 4 (%.1f%% of raw): read whole IOLink %.0f ms, h5py ds[...] %.0f ms (%.2fx), read_direct %.0f ms (%.2fx)"
              % (100.0 * os.path.getsize(chunked) / a.nbytes, ours * 1e3, theirs * 1e3, theirs / ours, direct * 1e3, direct / ours))

        ours_out, theirs_out = os.path.join(folder, "ours.h5"), os.path.join(folder, "theirs.h5")
        source = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)   # (Z, Y, X) as X, Y, Z: no copy

        def h5py_write(level):
            with h5py.File(theirs_out, "w") as f:
                f.create_dataset("data", data=a, chunks=(64, 64, 64), compression="gzip", compression_opts=level, shuffle=True)

        for level in (1, 6):
            ours = best(lambda: Hdf5File.write(source, ours_out, chunks=(64, 64, 64), gzip=level), rounds=3,
                        before=lambda: settle(ours_out))
            theirs = best(lambda: h5py_write(level), rounds=3, before=lambda: settle(theirs_out))
            with h5py.File(ours_out, "r") as f:
                assert (f["data"][...] == a).all()
            print("  64^3 chunks, shuffle + gzip %d written: IOLink %.0f ms (%.1f%% of raw), h5py %.0f ms (%.1f%%) (%.2fx)"
                  % (level, ours * 1e3, 100.0 * os.path.getsize(ours_out) / a.nbytes, theirs * 1e3,
                     100.0 * os.path.getsize(theirs_out) / a.nbytes, theirs / ours))
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
