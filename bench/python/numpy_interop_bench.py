"""Issue 5 figures, run inside the host: iolink python bench/python/numpy_interop_bench.py [MiB]

- to_numpy_array / from_numpy_array per call for 1 KiB and 1 GiB (must be within 1.5x, under 50 us)
- reading a file through io.BufferedReader(StreamAccessRawIO(...)) vs open(path, 'rb') (must be >= 0.7)
"""

import io
import os
import sys
import tempfile
import time

import numpy as np

from iolink import DataTypeId, ImageViewFactory, NumpyInterop, StreamAccessFactory, StreamAccessRawIO


def per_call(fn, n):
    fn()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best * 1e6


def main():
    stream_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    for label, nbytes in (("1 KiB", 1 << 10), ("1 GiB", 1 << 30)):
        view = ImageViewFactory.allocate((nbytes,), DataTypeId.UINT8)
        array = np.empty(nbytes, np.uint8)
        export_us = per_call(lambda: NumpyInterop.to_numpy_array(view), 2000)
        import_us = per_call(lambda: NumpyInterop.from_numpy_array(array), 2000)
        print("%-6s to_numpy_array %6.1f us   from_numpy_array %6.1f us" % (label, export_us, import_us))
        del view, array

    data = np.random.default_rng(0).integers(0, 256, stream_mib << 20, dtype=np.uint8)
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        data.tofile(path)
        chunk = bytearray(1 << 20)

        def python_open():
            with open(path, "rb") as f:
                while f.readinto(chunk):
                    pass

        def iolink_raw():
            with io.BufferedReader(StreamAccessRawIO(StreamAccessFactory.open_file_read(path))) as f:
                while f.readinto(chunk):
                    pass

        times = {}
        # Alternating, best of 7 each: single reads of a page-cached file vary by 1.5x from one to the next here.
        for name, fn in (("open(path, 'rb')", python_open), ("BufferedReader(StreamAccessRawIO)", iolink_raw)) * 7:
            t = time.perf_counter()
            fn()
            times[name] = min(times.get(name, float("inf")), time.perf_counter() - t)
        base = times["open(path, 'rb')"]
        for name, t in times.items():
            print("%-34s %7.1f MiB/s  (%.2fx of open)" % (name, stream_mib / t, base / t))
    finally:
        os.remove(path)


if __name__ == "__main__":
    main()
