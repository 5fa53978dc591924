"""
Value-mapping adapters from Python against NumPy's equivalent, on the same 256^3 volume in the same run:

    artifacts/venv/bin/python bench/python/adapt_bench.py

Three maps, each read whole into a preallocated array (view.read_region(..., out=...)) on one thread and on all cores
(IOLink.CopyParallelism), against NumPy doing the same arithmetic into the same kind of array:

- adapt_data_type UINT16 -> FLOAT (the value kept): numpy.copyto(out, a), NumPy's own cast (astype without the allocation);
- adapt_data_type UINT16 -> UINT8 (the whole range onto the whole range): numpy.rint(a * (255 / 65535)) cast to uint8;
- adapt_dynamic_range FLOAT -> UINT8, (100, 600) onto (10, 250): numpy.rint(numpy.clip(a * s + o, 10, 250)) cast to uint8.

NumPy's arithmetic runs in float64 as ours does; its temporaries are allocated anew on each call, as a user's line
of NumPy does. Each result is checked equal to NumPy's before timing.
"""

import os

import numpy as np

import iolink
from timing import best
from iolink import DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64


def numpy_rint_into(values, out):
    np.rint(values, out=values)
    np.copyto(out, values, casting="unsafe")


def main():
    parallelism = iolink._dotnet.net.CopyParallelism
    cores = os.cpu_count()
    print("iolink %s, NumPy %s, %d cores" % (iolink.__version__, np.__version__, cores))
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 65536, (256, 256, 256), dtype=np.uint16)
    reals = (rng.random((256, 256, 256), dtype=np.float32) * 1200 - 100).astype(np.float32)
    s = (250 - 10) / (600 - 100)
    o = 10 - 100 * s
    cases = [
        ("adapt_data_type UINT16 -> FLOAT", counts, np.float32,
         lambda v: ImageViewFactory.adapt_data_type(v, DataTypeId.FLOAT),
         "numpy.copyto(out, a)", lambda a, out: np.copyto(out, a)),
        ("adapt_data_type UINT16 -> UINT8", counts, np.uint8,
         lambda v: ImageViewFactory.adapt_data_type(v, DataTypeId.UINT8),
         "rint(a * (255 / 65535)) into out", lambda a, out: numpy_rint_into(a * (255 / 65535), out)),
        ("adapt_dynamic_range FLOAT -> UINT8", reals, np.uint8,
         lambda v: ImageViewFactory.adapt_dynamic_range(v, DataTypeId.UINT8, (100, 600), (10, 250)),
         "rint(clip(a * s + o, 10, 250)) into out", lambda a, out: numpy_rint_into(np.clip(a.astype(np.float64) * s + o, 10, 250), out)),
    ]
    for title, a, out_type, adapt, numpy_name, numpy_map in cases:
        out = np.empty(a.shape, out_type)
        expected = np.empty(a.shape, out_type)
        numpy_map(a, expected)
        view = adapt(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME))
        region = RegionXu64.create_full_region(view.shape())
        view.read_region(region, out=out)
        assert np.array_equal(out, expected), title
        figures = {"numpy " + numpy_name: best(lambda: numpy_map(a, out))}
        for threads in (1, cores):
            parallelism.MaxDegreeOfParallelism = threads
            label = "1 thread" if threads == 1 else "%d threads" % threads
            figures["iolink read_region(out=...), %s" % label] = best(lambda: view.read_region(region, out=out))
        parallelism.MaxDegreeOfParallelism = cores
        base = figures["numpy " + numpy_name]
        print("%s, 256^3 (%d MiB in, %d MiB out); x = NumPy's time / this one" % (title, a.nbytes >> 20, out.nbytes >> 20))
        for name, seconds in figures.items():
            print("  %-58s %8.2f ms   %5.2fx NumPy" % (name, seconds * 1e3, base / seconds))


if __name__ == "__main__":
    main()
