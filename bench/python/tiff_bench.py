"""
TIFF through IOLink against tifffile, on the same files in the same run (plain python3 with the wheel):

    python bench/python/tiff_bench.py [MiB] [FOLDER]

A UINT16 volume (default 1024 MiB; smooth structure plus noise, so that it compresses as CT data does) is written by
tifffile twice: uncompressed and contiguous (as tifffile and ImageJ write stacks), and in 256x256 tiles with Deflate
(zlib level 1). Then, best of three:
- the contiguous file: `TiffFile.open` + `NumpyInterop.to_numpy_array` (mapped, no copy) against the same on a 4 KiB
  TIFF, and against tifffile's `memmap` (also mapped) and `imread` (a read into memory);
- the tiled file read whole: `read_region(out=)` (tiles decoded on every core) against `tifffile.imread` (which
  decodes tiles on a thread pool);
- the same tiles written: `TiffFile.write` (an OME-TIFF, tiles compressed on every core a band at a time) against
  `tifffile.imwrite` with the same tiles, codec and level (6, then 1; its tiles compressed on a thread pool of
  `maxworkers`), each file removed and the dirty pages written back before each run; sizes printed beside the times.
"""

import os
import shutil
import sys
import tempfile

import numpy as np
import tifffile

from iolink import ImageTypeId, NumpyInterop, RegionXu64, TiffFile
from timing import best, settle, volume


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    where = sys.argv[2] if len(sys.argv) > 2 else None
    a = volume(mib)
    folder = tempfile.mkdtemp(dir=where)
    try:
        plain, tiled, small = (os.path.join(folder, n) for n in ("plain.tif", "tiled.tif", "small.tif"))
        tifffile.imwrite(plain, a, photometric="minisblack")
        tifffile.imwrite(small, a[:1, :32, :64], photometric="minisblack")
        tifffile.imwrite(tiled, a, tile=(256, 256), compression="zlib", compressionargs={"level": 1}, photometric="minisblack")
        print("%d MiB UINT16 volume %s in %s; tifffile %s; best of 3 (%d cores)"
              % (a.nbytes >> 20, a.shape, where or tempfile.gettempdir(), tifffile.__version__, os.cpu_count()))

        def open_mapped(path):
            return NumpyInterop.to_numpy_array(TiffFile.open(path))

        big = best(lambda: open_mapped(plain), rounds=3)
        tiny = best(lambda: open_mapped(small), rounds=3)
        assert (open_mapped(plain) == a).all()
        memmap = best(lambda: tifffile.memmap(plain), rounds=3)
        imread = best(lambda: tifffile.imread(plain), rounds=3)
        print("  contiguous: open + to_numpy_array %.0f us (4 KiB file: %.0f us, %.2fx); tifffile.memmap %.0f us; "
              "tifffile.imread %.0f ms" % (big * 1e6, tiny * 1e6, big / tiny, memmap * 1e6, imread * 1e3))

        view = TiffFile.open(tiled)
        out = np.empty_like(a)
        region = RegionXu64((0, 0, 0), tuple(view.shape()))
        ours = best(lambda: view.read_region(region, out=out), rounds=3)
        assert (out == a).all()
        theirs = best(lambda: tifffile.imread(tiled), rounds=3)
        stored = os.path.getsize(tiled)
        print("  256x256 Deflate tiles (%.1f%% of raw): read whole IOLink %.0f ms, tifffile.imread %.0f ms (%.2fx)"
              % (100.0 * stored / a.nbytes, ours * 1e3, theirs * 1e3, theirs / ours))

        ours_out, theirs_out = os.path.join(folder, "ours.tif"), os.path.join(folder, "theirs.tif")
        source = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)   # (Z, Y, X) as X, Y, Z: no copy
        # .NET's zlib is zlib-ng, whose level 1 is a faster mode that compresses less than zlib's level 1 (tifffile's);
        # level 6, zlib's default, compresses alike in both, so the sizes are printed beside the times.
        for level in (6, 1):
            ours = best(lambda: TiffFile.write(source, ours_out, compression="deflate", level=level, tile=(256, 256)),
                        rounds=3, before=lambda: settle(ours_out))
            theirs = best(lambda: tifffile.imwrite(theirs_out, a, tile=(256, 256), compression="zlib",
                                                   compressionargs={"level": level}, photometric="minisblack",
                                                   maxworkers=os.cpu_count()),
                          rounds=3, before=lambda: settle(theirs_out))
            assert (tifffile.imread(ours_out) == a).all()
            print("  256x256 Deflate level %d tiles written: IOLink %.0f ms (%.1f%% of raw), tifffile.imwrite %.0f ms (%.1f%%) (%.2fx)"
                  % (level, ours * 1e3, 100.0 * os.path.getsize(ours_out) / a.nbytes, theirs * 1e3,
                     100.0 * os.path.getsize(theirs_out) / a.nbytes, theirs / ours))
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
