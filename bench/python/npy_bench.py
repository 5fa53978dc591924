"""
.npy files of 1 GiB through IOLink and through NumPy, on the same data in the same run (inside the host, where
.NET's NpyFile is reachable):

    iolink python bench/python/npy_bench.py [MiB] [FOLDER]

Writes: numpy.save(path, a) (which truncates the old file and writes into it) and numpy.save to a temporary name
followed by os.replace (what NpyFile.Write does, so that a failed write never leaves a torn file) against
IOLink.NpyFile.Write(view over a, path); each timed write makes a new file, after the previous one was removed and
every dirty page written back (sync). Reads: numpy.load(path) (into memory) against
IOLink.NpyFile.Read(path) (into memory). Best of five alternating writes and of three reads; the page cache is warm for both.
FOLDER (default: a temporary folder) chooses the file system: on a disk the kernel's writeback dominates the writes
and varies from round to round; on a tmpfs such as /dev/shm what is left is the programs' own work.
"""

import os
import sys
import tempfile

import numpy as np

import iolink
from timing import best, settle
from iolink import ImageTypeId, NumpyInterop


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    net = iolink._dotnet.net
    a = np.random.default_rng(0).integers(0, 4096, (mib, 512, 1024), dtype=np.uint16)[:, :, :]   # (Z, Y, X), mib MiB
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    where = sys.argv[2] if len(sys.argv) > 2 else None
    folder = tempfile.mkdtemp(dir=where)
    try:
        theirs, ours = os.path.join(folder, "numpy.npy"), os.path.join(folder, "iolink.npy")
        # Writes alternate, so that both meet the same state of the disk's writeback over the run.
        safe = os.path.join(folder, "numpy-replaced.npy")

        def save_and_replace():
            np.save(safe + ".partial.npy", a)
            os.replace(safe + ".partial.npy", safe)

        save = replaced = write = float("inf")
        for _ in range(5):
            save = min(save, best(lambda: np.save(theirs, a), rounds=1, warm_up=False, before=lambda: settle(theirs)))
            replaced = min(replaced, best(save_and_replace, rounds=1, warm_up=False, before=lambda: settle(safe)))
            write = min(write, best(lambda: net.NpyFile.Write(view.net, ours, None, None), rounds=1, warm_up=False,
                                    before=lambda: settle(ours)))
        load = best(lambda: np.load(theirs), rounds=3, warm_up=False)

        def read():
            net.NpyFile.Read(ours).Dispose()

        read_time = best(read, rounds=3, warm_up=False)
        assert np.array_equal(np.load(ours), a)
        size = a.nbytes / 2 ** 20
        print("%d MiB UINT16 volume in %s, best of 5 writes and 3 reads, warm page cache" % (size, where or tempfile.gettempdir()))
        print("  numpy.save              %7.0f ms  %6.0f MiB/s" % (save * 1e3, size / save))
        print("  numpy.save + os.replace %7.0f ms  %6.0f MiB/s  (the guarantee NpyFile.Write gives: a new file renamed over the old)"
              % (replaced * 1e3, size / replaced))
        print("  NpyFile.Write           %7.0f ms  %6.0f MiB/s  (%.2fx numpy.save, %.2fx numpy.save + os.replace)"
              % (write * 1e3, size / write, save / write, replaced / write))
        print("  numpy.load              %7.0f ms  %6.0f MiB/s" % (load * 1e3, size / load))
        print("  NpyFile.Read            %7.0f ms  %6.0f MiB/s  (%.2fx numpy.load)" % (read_time * 1e3, size / read_time, load / read_time))
    finally:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)


if __name__ == "__main__":
    main()
