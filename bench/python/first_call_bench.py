"""
The first calls of IOLink's hot kernels against their steady state, each in a fresh process, under .NET's JIT
settings varied (plain python3 with the wheel installed; Debian 12's or 13's):

    python bench/python/first_call_bench.py [ROUNDS] [--jit-settings]

Each kernel runs in a child interpreter of its own, which times 30 calls: copy_in_memory of a reversed 256^3 UINT16
volume (the SIMD transpose, into fresh memory each call), the same transpose through read_region into an array
written before the first call (the kernel without the operating system's first faults of fresh memory), read_region of a 256^3 and of a 64^3 block of a 512^3
volume (the strided copy; the small one shows the fixed cost of a first call), and read_region of a 1024x1024x64
Zarr array in 64^3 zstd chunks (chunk decode and copy). Printed per kernel: the first call, the second, the 30th,
the median of the last 10, and first / 30th. Beside them, the operating system's own first call: writing 32 MiB of
fresh memory (madvised for huge pages, as IOLink's allocations are) in a fresh process, against the later ones.
.npy writes have no Python API of their own (NumPy's np.save writes them from Python): their first call is timed
from C# (`./build.sh bench firstcall`) and through `iolink convert` (convert_bench.py).
Configurations: the default; with --jit-settings also DOTNET_TieredPGO=0; DOTNET_TC_QuickJitForLoops=0 (methods
with loops jitted optimized at once); DOTNET_ReadyToRun=0 (the wheel's precompiled code ignored); both of the first
two; and DOTNET_TieredCompilation=0 (everything optimized at first call).
"""

import json
import os
import subprocess
import sys

CHILD = r'''
import json, os, shutil, sys, tempfile, time
import numpy as np
from iolink import ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, ZarrArray

def times(fn, n=30):
    out = []
    for _ in range(n):
        t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
    return out

# One kernel per process (sys.argv[1]); its arrays are written before the first timed call, so that their page
# faults are not counted.
kernel = sys.argv[1]
folder = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
if kernel in ("transpose", "transpose-into"):
    a = np.arange(256 ** 3, dtype=np.uint16).reshape(256, 256, 256)
    reversed_view = NumpyInterop.from_numpy_array(a.transpose(2, 1, 0), ImageTypeId.VOLUME)
    if kernel == "transpose":
        result = times(lambda: ImageViewFactory.copy_in_memory(reversed_view).dispose())
    else:
        # The same transpose into an array written before the first call: the kernel without fresh memory.
        into = np.ones((256, 256, 256), np.uint16)
        whole = RegionXu64((0, 0, 0), (256, 256, 256))
        result = times(lambda: reversed_view.read_region(whole, out=into))
        assert into[1, 2, 3] == a[3, 2, 1]
elif kernel in ("region", "small-region"):
    big = NumpyInterop.from_numpy_array(np.ones((512, 512, 512), np.uint16), ImageTypeId.VOLUME)
    n = 256 if kernel == "region" else 64
    block = np.ones((n, n, n), np.uint16)
    region = RegionXu64((128, 128, 128), (n, n, n))
    result = times(lambda: big.read_region(region, out=block))
elif kernel == "fresh-memory":
    # The operating system's part: 32 MiB of fresh anonymous memory written (huge pages advised), 30 times.
    import ctypes
    libc = ctypes.CDLL(None)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    size, huge = 32 << 20, 2 << 20
    def touch():
        p = libc.mmap(None, size + huge, 3, 0x22, -1, 0)   # PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS
        a = (p + huge - 1) & ~(huge - 1)
        libc.madvise(a, size, 14)                           # MADV_HUGEPAGE
        ctypes.memset(a, 1, size)
        libc.munmap(p, size + huge)
    result = times(touch)
else:
    z = np.random.default_rng(0).integers(0, 4096, (64, 1024, 1024), dtype=np.uint16)
    ZarrArray.write(NumpyInterop.from_numpy_array(z, ImageTypeId.VOLUME), os.path.join(folder, "z.zarr"), chunks=(64, 64, 64), codec="zstd", level=1)
    out = np.ones_like(z)
    zarr_view = ZarrArray.open(os.path.join(folder, "z.zarr"), image_type=ImageTypeId.VOLUME)
    full = RegionXu64((0, 0, 0), (1024, 1024, 64))
    result = times(lambda: zarr_view.read_region(full, out=out))
shutil.rmtree(folder)
print(json.dumps(result))
'''

KERNELS = [
    ("transpose", "copy_in_memory, reversed 256^3 UINT16 (32 MiB)"),
    ("transpose-into", "the same transpose into an existing array"),
    ("region", "read_region 256^3 of 512^3 UINT16 (32 MiB)"),
    ("small-region", "read_region 64^3 of 512^3 (512 KiB)"),
    ("zarr-read", "Zarr read 128 MiB (64^3 zstd chunks)"),
    ("fresh-memory", "baseline: 32 MiB of fresh memory written"),
]

CONFIGS = [
    ("default", {}),
    ("TieredPGO=0", {"DOTNET_TieredPGO": "0"}),
    ("QuickJitForLoops=0", {"DOTNET_TC_QuickJitForLoops": "0"}),
    ("ReadyToRun=0", {"DOTNET_ReadyToRun": "0"}),
    ("TieredPGO=0 + QuickJitForLoops=0", {"DOTNET_TieredPGO": "0", "DOTNET_TC_QuickJitForLoops": "0"}),
    ("TieredCompilation=0", {"DOTNET_TieredCompilation": "0"}),
]


def main(rounds=None, jit_settings=None):
    """Prints the table; rounds and jit_settings default to the command line's."""
    if rounds is None:
        numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
        rounds = int(numbers[0]) if numbers else 1
    if jit_settings is None:
        jit_settings = "--jit-settings" in sys.argv
    configs = CONFIGS if jit_settings else CONFIGS[:1]
    print("fresh processes (one per kernel and round), %s, %d core(s), best of %d for each call; ms: first, second, "
          "30th, median of 21-30; first / 30th" % (sys.executable, os.cpu_count(), rounds))
    for name, extra in configs:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOTNET_T") and k != "DOTNET_ReadyToRun"}
        env.update(extra)
        print(name)
        for kernel, title in KERNELS:
            best = None
            for _ in range(rounds):
                run = json.loads(subprocess.run([sys.executable, "-c", CHILD, kernel], env=env, capture_output=True,
                                                text=True, check=True).stdout)
                best = run if best is None else [min(x, y) for x, y in zip(best, run)]
            last = sorted(best[-10:])
            median = (last[4] + last[5]) / 2
            print("  %-46s %8.2f %8.2f %8.2f %8.2f   %5.2fx" % (title, best[0] * 1e3, best[1] * 1e3, best[-1] * 1e3,
                                                            median * 1e3, best[0] / best[-1]))


if __name__ == "__main__":
    main()
