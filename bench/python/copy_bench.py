"""
Layout-changing copies from Python against NumPy's own, on the same data in the same run:

    artifacts/venv/bin/python bench/python/copy_bench.py

For 256^3 volumes of UINT8, UINT16 and FLOAT with all axes reversed (a full transpose): NumPy's
numpy.ascontiguousarray(a.transpose(2, 1, 0)) and numpy.copyto into a preallocated array, against iolink's
ImageViewFactory.copy_in_memory and view.read_region(..., out=...) of the reversed view, on one thread and on all
cores (IOLink.CopyParallelism). A contiguous copy of the same bytes (numpy.copyto) is printed as the memory's pace.
"""

import os

import numpy as np

import iolink
from timing import best
from iolink import ImageViewFactory, NumpyInterop, RegionXu64


def main():
    parallelism = iolink._dotnet.net.CopyParallelism
    cores = os.cpu_count()
    print("iolink %s, NumPy %s, %d cores" % (iolink.__version__, np.__version__, cores))
    for dtype in (np.uint8, np.uint16, np.float32):
        a = np.random.default_rng(0).integers(0, 100, (256, 256, 256)).astype(dtype)
        nbytes = a.nbytes
        out = np.empty_like(a)
        flat = out.reshape(-1).view(np.uint8)
        # Rule 1: the view's dimensions are the array's axes as they are, so its dense copy (first dimension
        # fastest) is the array with every axis reversed: exactly numpy.ascontiguousarray(a.transpose(2, 1, 0)).
        reversed_view = NumpyInterop.from_numpy_array(a)
        region = RegionXu64.create_full_region(reversed_view.shape())
        figures = {"memory pace: numpy.copyto of the same bytes, contiguous": best(lambda: np.copyto(out, a))}
        figures["numpy.ascontiguousarray(a.transpose(2, 1, 0))"] = best(lambda: np.ascontiguousarray(a.transpose(2, 1, 0)))
        figures["numpy.copyto(out, a.transpose(2, 1, 0))"] = best(lambda: np.copyto(out, a.transpose(2, 1, 0)))
        for threads in (1, cores):
            parallelism.MaxDegreeOfParallelism = threads
            label = "1 thread" if threads == 1 else "%d threads" % threads
            figures["iolink copy_in_memory(reversed), %s" % label] = best(lambda: ImageViewFactory.copy_in_memory(reversed_view).dispose())
            figures["iolink read_region(reversed, out=...), %s" % label] = best(lambda: reversed_view.read_region(region, out=flat))
        parallelism.MaxDegreeOfParallelism = cores
        numpy_time = figures["numpy.ascontiguousarray(a.transpose(2, 1, 0))"]
        pace = figures["memory pace: numpy.copyto of the same bytes, contiguous"]
        print("%s 256^3 (%d MiB), ms; x = NumPy's ascontiguousarray time / this one; pace = contiguous copy time / this one"
              % (np.dtype(dtype).name, nbytes >> 20))
        for name, seconds in figures.items():
            print("  %-58s %8.2f ms   %5.1fx NumPy   %.2f of the pace" % (name, seconds * 1e3, numpy_time / seconds, pace / seconds))
        assert np.array_equal(np.frombuffer(reversed_view.read_region(region), dtype).reshape(256, 256, 256), a.transpose(2, 1, 0))


if __name__ == "__main__":
    main()
