"""
How IOLink's copies scale with threads, against torch at the same thread count, in one run (plain python3 with the
wheel installed; Debian 12's or 13's, torch optional):

    python bench/python/scaling_bench.py [--quick] [--no-first-calls]

Each kernel runs at 1, 2, 4, ... threads up to os.cpu_count() (and at os.cpu_count() itself): IOLink with
CopyParallelism.MaxDegreeOfParallelism set, torch with torch.set_num_threads set; NumPy (one thread) is the anchor.
Every copy goes into an output written before the timing, so that page faults of fresh memory are not counted.
The rounds interleave thread counts and libraries (best round counts), and torch's OpenMP workers sleep as soon as
a copy ends (OMP_WAIT_POLICY=PASSIVE unless set), instead of spinning on a core the next copy needs.
Beside them, memcpy's own scaling: ctypes.memmove of 256 MiB cut into one slice per thread, which shows how much
two or more threads can gain at all on this machine's memory. Then, unless --no-first-calls, the first calls of
the kernels in fresh processes (first_call_bench.py). Printed as Markdown tables, which the README quotes.
"""

import ctypes
import os
import shutil
import sys
import tempfile
import threading

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import best, volume  # noqa: E402

import iolink  # noqa: E402
from iolink import ImageTypeId, NumpyInterop, RegionXu64, ZarrArray  # noqa: E402

# torch's OpenMP workers would otherwise spin on for 200 ms after each of its copies and take a core from the
# copy timed next (IOLink's, in the interleaved rounds below); asleep at once, they cost its 2-100 ms copies nothing.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
try:
    import torch
except ImportError:
    torch = None

ROUNDS = 15


def thread_counts():
    n = os.cpu_count() or 1
    counts, k = [], 1
    while k < n:
        counts.append(k)
        k *= 2
    return counts + [n]


def tensor(a):
    """A torch tensor sharing a's memory (as int16 for UINT16, which torch before 2.3 has no type for)."""
    return torch.from_numpy(a.view(np.int16) if a.dtype == np.uint16 else a)


def set_threads(k):
    iolink._dotnet.net.CopyParallelism.MaxDegreeOfParallelism = k
    if torch is not None:
        torch.set_num_threads(k)


def memcpy_seconds(src, dst, k):
    """ctypes.memmove (which releases the GIL) of src into dst in k slices on k threads."""
    n = src.nbytes
    s, d = src.ctypes.data, dst.ctypes.data
    bounds = [n * i // k // 64 * 64 for i in range(k)] + [n]

    def run():
        if k == 1:
            ctypes.memmove(d, s, n)
            return
        threads = [threading.Thread(target=ctypes.memmove, args=(d + bounds[i], s + bounds[i], bounds[i + 1] - bounds[i]))
                   for i in range(k)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    return best(run, ROUNDS)


def cube(side):
    """The test volume (timing.volume) as a side^3 UINT16 cube (side a power of two, at least 64)."""
    return volume(side ** 3 * 2 >> 20).reshape(side, side, side)


def transpose_case(dtype, side):
    a = np.arange(side ** 3, dtype=np.uint32).astype(dtype).reshape(side, side, side)
    src = a.transpose(2, 1, 0)
    out = np.ones_like(a)
    view = NumpyInterop.from_numpy_array(src, ImageTypeId.VOLUME)
    whole = RegionXu64((0, 0, 0), (side, side, side))
    case = {
        "iolink": lambda: view.read_region(whole, out=out),
        "numpy": lambda: np.copyto(out, src),
        "bytes": out.nbytes,
    }
    if torch is not None:
        ts, to = tensor(a).permute(2, 1, 0), tensor(np.ones_like(a))
        case["torch"] = lambda: to.copy_(ts)
    return case


def contiguous_case(side):
    a = cube(side)
    out = np.ones_like(a)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    whole = RegionXu64((0, 0, 0), tuple(reversed(a.shape)))
    case = {"iolink": lambda: view.read_region(whole, out=out), "numpy": lambda: np.copyto(out, a), "bytes": out.nbytes}
    if torch is not None:
        ts, to = tensor(a), tensor(np.ones_like(a))
        case["torch"] = lambda: to.copy_(ts)
    return case


def region_case(side):
    a = cube(side)
    lo, n = side // 4, side // 2
    out = np.ones((n, n, n), a.dtype)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    region = RegionXu64((lo, lo, lo), (n, n, n))
    block = a[lo:lo + n, lo:lo + n, lo:lo + n]
    case = {"iolink": lambda: view.read_region(region, out=out), "numpy": lambda: np.copyto(out, block), "bytes": out.nbytes}
    if torch is not None:
        tb, to = tensor(a)[lo:lo + n, lo:lo + n, lo:lo + n], tensor(np.ones_like(out))
        case["torch"] = lambda: to.copy_(tb)
    return case


def zarr_case(folder, z):
    a = volume(z // 2)
    path = os.path.join(folder, "scaling.zarr")
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), path, chunks=(64, 64, 64), codec="zstd", level=1)
    view = ZarrArray.open(path, image_type=ImageTypeId.VOLUME)
    out = np.ones_like(a)
    whole = RegionXu64((0, 0, 0), tuple(reversed(a.shape)))
    return {"iolink": lambda: view.read_region(whole, out=out), "bytes": out.nbytes, "close": view.dispose}


def main():
    quick = "--quick" in sys.argv
    side = 128 if quick else 256
    counts = thread_counts()
    folder = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    print("copy scaling: %s, %d processors, NumPy %s, torch %s; best of %d, output written beforehand; "
          "GB/s of output; x = speed against the same column at 1 thread"
          % (sys.executable, os.cpu_count(), np.__version__, torch.__version__ if torch else "not installed", ROUNDS))
    try:
        m = np.ones(128 << 20, np.uint16)
        md = np.ones_like(m)
        memcpy = {k: memcpy_seconds(m, md, k) for k in counts}
        del m, md
        cases = [
            ("transpose %d^3 UINT8" % side, lambda: transpose_case(np.uint8, side)),
            ("transpose %d^3 UINT16" % side, lambda: transpose_case(np.uint16, side)),
            ("transpose %d^3 FLOAT" % side, lambda: transpose_case(np.float32, side)),
            ("contiguous %d^3 UINT16" % (2 * side), lambda: contiguous_case(2 * side)),
            ("region %d^3 of %d^3 UINT16" % (side, 2 * side), lambda: region_case(2 * side)),
            ("Zarr read %dx512x512 UINT16, 64^3 zstd" % (64 if quick else 256), lambda: zarr_case(folder, 64 if quick else 256)),
        ]
        print()
        print("| kernel | threads | IOLink ms | IOLink GB/s | x | torch ms | torch GB/s | x | IOLink / torch | NumPy (1 thread) ms | memcpy 256 MiB x |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for title, make in cases:
            case = make()
            numpy_s = best(case["numpy"], ROUNDS) if "numpy" in case else None
            # Interleaved: every round times each thread count once for each library, so that the machine's slow
            # spells (seconds long on a shared VM) fall on all columns alike; the best round counts.
            samples = {}
            for _ in range(ROUNDS):
                for k in counts:
                    set_threads(k)
                    for lib in ("iolink", "torch"):
                        if lib in case:
                            samples[lib, k] = min(samples.get((lib, k), float("inf")), best(case[lib], 1))
            base = {}
            for k in counts:
                ours = samples["iolink", k]
                theirs = samples.get(("torch", k))
                base.setdefault("ours", ours)
                if theirs is not None:
                    base.setdefault("theirs", theirs)
                gb = case["bytes"] / 1e9
                print("| %s | %d | %.2f | %.1f | %.2f | %s | %s | %s | %s | %s | %.2f |" % (
                    title, k, ours * 1e3, gb / ours, base["ours"] / ours,
                    "%.2f" % (theirs * 1e3) if theirs else "-", "%.1f" % (gb / theirs) if theirs else "-",
                    "%.2f" % (base["theirs"] / theirs) if theirs else "-", "%.2fx" % (theirs / ours) if theirs else "-",
                    "%.2f" % (numpy_s * 1e3) if numpy_s and k == 1 else "", memcpy[1] / memcpy[k]))
            if "close" in case:
                case["close"]()
            del case
        set_threads(os.cpu_count() or 1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if "--no-first-calls" not in sys.argv:
        print()
        import first_call_bench
        first_call_bench.main(rounds=3, jit_settings=False)


if __name__ == "__main__":
    main()
