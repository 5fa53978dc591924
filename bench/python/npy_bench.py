"""
.npy files of 1 GiB through IOLink and through NumPy, on the same data in the same run (inside the host, where
.NET's NpyFile is reachable):

    iolink python bench/python/npy_bench.py [MiB]

Writes: numpy.save(path, a) against IOLink.NpyFile.Write(view over a, path). Reads: numpy.load(path) (into memory)
against IOLink.NpyFile.Read(path) (into memory). Best of three; the page cache is warm for both.
"""

import os
import sys
import tempfile

import numpy as np

import iolink
from timing import best
from iolink import ImageTypeId, NumpyInterop


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    net = iolink._dotnet.net
    a = np.random.default_rng(0).integers(0, 4096, (mib, 512, 1024), dtype=np.uint16)[:, :, :]   # (Z, Y, X), mib MiB
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    folder = tempfile.mkdtemp()
    try:
        theirs, ours = os.path.join(folder, "numpy.npy"), os.path.join(folder, "iolink.npy")
        save = best(lambda: np.save(theirs, a), rounds=3, warm_up=False)
        write = best(lambda: net.NpyFile.Write(view.net, ours, None, None), rounds=3, warm_up=False)
        load = best(lambda: np.load(theirs), rounds=3, warm_up=False)

        def read():
            net.NpyFile.Read(ours).Dispose()

        read_time = best(read, rounds=3, warm_up=False)
        assert np.array_equal(np.load(ours), a)
        size = a.nbytes / 2 ** 20
        print("%d MiB UINT16 volume, best of 3, warm page cache" % size)
        print("  numpy.save      %7.0f ms  %6.0f MiB/s" % (save * 1e3, size / save))
        print("  NpyFile.Write   %7.0f ms  %6.0f MiB/s  (%.2fx numpy.save)" % (write * 1e3, size / write, save / write))
        print("  numpy.load      %7.0f ms  %6.0f MiB/s" % (load * 1e3, size / load))
        print("  NpyFile.Read    %7.0f ms  %6.0f MiB/s  (%.2fx numpy.load)" % (read_time * 1e3, size / read_time, load / read_time))
    finally:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)


if __name__ == "__main__":
    main()
