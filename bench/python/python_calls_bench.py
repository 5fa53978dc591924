"""
What a Python user pays for iolink, under whichever interpreter runs this script:

    artifacts/venv/bin/python bench/python/python_calls_bench.py      # plain python3, the wheel in a venv
    iolink python bench/python/python_calls_bench.py                  # inside the IOLink host

- per-call cost of to_numpy_array, from_numpy_array (rule 1 and rule 2), numpy.asarray(view), memoryview(view)
  (Python 3.12+: PEP 688's __buffer__; NumPy 2 also tries it first in numpy.asarray) and view.shape(),
  at 1 KiB and 1 GiB, beside the anchor measured in the same run: numpy.asarray of a plain object that has an
  __array_interface__ (the least any zero-copy wrapper can cost);
- two Python threads reading regions (1 MiB: below the size one copy is split across cores at, so the figure
  measures the GIL; 4 and 64 MiB) against one thread doing the same reads (the GIL is released while .NET
  copies), beside ctypes.memmove and numpy.copyto in the same two threads (both release the
  GIL too: what two copying threads can reach on this machine);
- DLPack: torch.from_dlpack(view) and DLPackInterop.from_dlpack(tensor) at 1 KiB and 1 GiB, beside
  torch.from_numpy(array) (the zero-copy crossing torch itself offers);
- cold `import iolink` in a fresh plain python3 process (plain python3 only), beside `import numpy`;
- the same 1 KiB calls in fresh processes (plain python3 only), as a short script meets them: the mean of the
  first 1,000 calls and of calls 9,001-10,000 of a plain loop, beside the anchor timed the same way.

Each figure is the best of several rounds after a warm-up long enough for .NET's tiered JIT to settle, except
the fresh-process ones.
"""

import ctypes
import os
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

import iolink
from iolink import DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64


def per_call(fn, rounds=7, calls=20000, warmup=1.0):
    start = time.perf_counter()
    while time.perf_counter() - start < warmup:
        fn()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t) / calls)
    return best * 1e6


class Described:
    """The anchor: a Python object that only describes memory through the array interface."""

    def __init__(self, array):
        self.__array_interface__ = array.__array_interface__


def call_costs():
    print("per call, us (best of 7 rounds of 20,000 calls)")
    anchor = None
    for label, nbytes in (("1 KiB", 1 << 10), ("1 GiB", 1 << 30)):
        array = np.zeros((nbytes // 512, 16, 16), np.uint16)          # (Z, Y, X)
        view = ImageViewFactory.allocate((16, 16, nbytes // 512), DataTypeId.UINT16)
        view = ImageViewFactory.reinterpret(view, ImageTypeId.VOLUME)
        described = Described(array)
        figures = {
            "anchor: numpy.asarray(__array_interface__ object)": per_call(lambda: np.asarray(described)),
            "NumpyInterop.to_numpy_array(view)": per_call(lambda: NumpyInterop.to_numpy_array(view)),
            "NumpyInterop.from_numpy_array(a)": per_call(lambda: NumpyInterop.from_numpy_array(array)),
            "NumpyInterop.from_numpy_array(a, VOLUME)": per_call(lambda: NumpyInterop.from_numpy_array(array, ImageTypeId.VOLUME)),
            "numpy.asarray(view)": per_call(lambda: np.asarray(view)),
            "memoryview(view)": per_call(lambda: memoryview(view)) if sys.version_info >= (3, 12) else None,
            "view.shape()": per_call(view.shape),
        }
        anchor = figures["anchor: numpy.asarray(__array_interface__ object)"]
        for name, us in figures.items():
            if us is None:
                print("  %-6s %-52s    n/a  (Python %d.%d has no __buffer__ for Python classes)"
                      % (label, name, sys.version_info[0], sys.version_info[1]))
                continue
            print("  %-6s %-52s %6.2f  (%.1fx the anchor)" % (label, name, us, us / anchor))
        del view, array, described


def dlpack_costs():
    try:
        import torch
    except ImportError:
        print("DLPack: torch is not installed (sudo apt-get install python3-torch)")
        return
    from iolink import DLPackInterop
    print("DLPack per call, us (torch %s; best of 7 rounds of 20,000 calls)" % torch.__version__)
    for label, nbytes in (("1 KiB", 1 << 10), ("1 GiB", 1 << 30)):
        array = np.zeros((nbytes // 512, 16, 16), np.int16)
        tensor = torch.zeros((nbytes // 512, 16, 16), dtype=torch.int16)
        view = ImageViewFactory.reinterpret(ImageViewFactory.allocate((16, 16, nbytes // 512), DataTypeId.INT16), ImageTypeId.VOLUME)
        figures = {
            "anchor: torch.from_numpy(a)": per_call(lambda: torch.from_numpy(array)),
            "torch.from_dlpack(view)": per_call(lambda: torch.from_dlpack(view)),
            "DLPackInterop.from_dlpack(tensor)": per_call(lambda: DLPackInterop.from_dlpack(tensor)),
            "DLPackInterop.from_dlpack(tensor, VOLUME)": per_call(lambda: DLPackInterop.from_dlpack(tensor, ImageTypeId.VOLUME)),
        }
        anchor = figures["anchor: torch.from_numpy(a)"]
        for name, us in figures.items():
            print("  %-6s %-52s %6.2f  (%.1fx the anchor)" % (label, name, us, us / anchor))
        del view, array, tensor


def two_threads():
    """One thread's reads against two threads' (each doing as many), beside ctypes.memmove and numpy.copyto,
    which release the GIL too: the machine's own limit for two copying threads."""
    print("two threads, each reading the same number of regions (speed-up = 2 x one thread's time / two threads' time)")
    for mib in (1, 4, 64):
        n = mib << 20
        source = np.random.default_rng(1).integers(0, 255, n, dtype=np.uint8)
        view = NumpyInterop.from_numpy_array(source)
        region = RegionXu64((0,), (n,))
        outs = [np.empty(n, np.uint8) for _ in range(2)]
        reads = max(4, 1024 // mib)

        def iolink_reads(out):
            for _ in range(reads):
                view.read_region(region, out=out)

        def memmove_copies(out):
            d, s = out.ctypes.data, source.ctypes.data
            for _ in range(reads):
                ctypes.memmove(d, s, n)

        def numpy_copies(out):
            for _ in range(reads):
                np.copyto(out, source)

        def timed(work, threads):
            best = float("inf")
            for _ in range(9):
                workers = [threading.Thread(target=work, args=(outs[i],)) for i in range(threads)]
                t = time.perf_counter()
                for w in workers:
                    w.start()
                for w in workers:
                    w.join()
                best = min(best, time.perf_counter() - t)
            return best

        for name, work in (("view.read_region(region, out=...)", iolink_reads),
                           ("baseline: ctypes.memmove", memmove_copies), ("baseline: numpy.copyto", numpy_copies)):
            work(outs[0])
            one = timed(work, 1)
            two = timed(work, 2)
            print("  %2d MiB %-34s %.2fx   one thread %5.1f GB/s" % (mib, name, 2 * one / two, n * reads / one / 1e9))


FRESH = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
import numpy as np
from iolink import DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop
from python_calls_bench import Described
array = np.zeros((2, 16, 16), np.uint16)
view = ImageViewFactory.reinterpret(ImageViewFactory.allocate((16, 16, 2), DataTypeId.UINT16), ImageTypeId.VOLUME)
described = Described(array)
calls = {"anchor": lambda: np.asarray(described), "to_numpy_array": lambda: NumpyInterop.to_numpy_array(view),
         "from_numpy_array": lambda: NumpyInterop.from_numpy_array(array), "numpy.asarray(view)": lambda: np.asarray(view)}
fn = calls[sys.argv[1]]
marks = [time.perf_counter()]
for i in range(10):
    for _ in range(1000):
        fn()
    marks.append(time.perf_counter())
print((marks[1] - marks[0]) / 1000 * 1e6, (marks[10] - marks[9]) / 1000 * 1e6)
"""


def fresh_calls(runs=3):
    if iolink._dotnet.HOSTED:
        print("fresh processes: not measured inside the host")
        return
    print("1 KiB calls in fresh processes, us per call (best of %d processes): calls 1-1,000 / 9,001-10,000" % runs)
    for name in ("anchor", "to_numpy_array", "from_numpy_array", "numpy.asarray(view)"):
        first, late = float("inf"), float("inf")
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", FRESH, name, os.path.dirname(os.path.abspath(__file__))],
                                 capture_output=True, text=True, check=True).stdout.split()
            first, late = min(first, float(out[0])), min(late, float(out[1]))
        print("  %-22s %6.2f / %6.2f" % (name, first, late))


def cold_import(runs=9):
    if iolink._dotnet.HOSTED:
        print("cold import: not measured inside the host (it starts .NET before Python)")
        return
    code = "import time; t = time.perf_counter(); import %s; print(time.perf_counter() - t)"
    env = dict(os.environ)
    figures = {}
    for module in ("numpy", "iolink"):
        times = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", code % module], capture_output=True, text=True, env=env, check=True)
            times.append(float(out.stdout) * 1e3)
        figures[module] = times
    for module, times in figures.items():
        print("cold import %-7s median %5.0f ms, best %5.0f ms (%d fresh processes)"
              % (module, statistics.median(times), min(times), runs))


def main():
    print("iolink %s, %s, Python %s, NumPy %s" % (iolink.__version__, "IOLink host" if iolink._dotnet.HOSTED else
                                                   "plain CPython", sys.version.split()[0], np.__version__))
    call_costs()
    dlpack_costs()
    two_threads()
    cold_import()
    fresh_calls()


if __name__ == "__main__":
    main()
