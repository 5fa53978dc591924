"""
The first calls of IOLink's hot kernels against their steady state, each in a fresh process, under .NET's JIT
settings varied (plain python3 with the wheel installed; Debian 12's or 13's):

    python bench/python/first_call_bench.py [ROUNDS]

Each configuration runs a child interpreter that times 30 calls of each kernel in turn: copy_in_memory of a reversed
256^3 UINT16 volume (the SIMD transpose), read_region of a 64^3 block of a 512^3 volume (the strided copy), and
read_region of a 1024x1024x64 Zarr array in 64^3 zstd chunks (chunk decode and copy). Printed per kernel: the first
call, the second, the median of calls 20-30, and first / steady. Configurations: the default; DOTNET_TieredPGO=0;
DOTNET_TC_QuickJitForLoops=0 (methods with loops jitted optimized at once); DOTNET_ReadyToRun=0; both of the first
two; and DOTNET_TieredCompilation=0 (everything optimized at first call).
"""

import json
import os
import subprocess
import sys

CHILD = r'''
import json, os, shutil, statistics, sys, tempfile, time
import numpy as np
from iolink import ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, ZarrArray

def times(fn, n=30):
    out = []
    for _ in range(n):
        t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
    return out

a = np.arange(256 ** 3, dtype=np.uint16).reshape(256, 256, 256)
reversed_view = NumpyInterop.from_numpy_array(a.transpose(2, 1, 0), ImageTypeId.VOLUME)
big = NumpyInterop.from_numpy_array(np.zeros((512, 512, 512), np.uint16), ImageTypeId.VOLUME)
block = np.empty((64, 64, 64), np.uint16)
region = RegionXu64((100, 100, 100), (64, 64, 64))
folder = tempfile.mkdtemp()
z = np.random.default_rng(0).integers(0, 4096, (64, 1024, 1024), dtype=np.uint16)
ZarrArray.write(NumpyInterop.from_numpy_array(z, ImageTypeId.VOLUME), os.path.join(folder, "z.zarr"), chunks=(64, 64, 64), codec="zstd", level=1)
out = np.empty_like(z)
result = {}
result["copy_in_memory (transpose 256^3 u16)"] = times(lambda: ImageViewFactory.copy_in_memory(reversed_view).dispose())
result["read_region 64^3 of 512^3 (strided)"] = times(lambda: big.read_region(region, out=block))
zarr_view = ZarrArray.open(os.path.join(folder, "z.zarr"), image_type=ImageTypeId.VOLUME)
full = RegionXu64((0, 0, 0), (1024, 1024, 64))
result["Zarr read 128 MiB (64^3 zstd chunks)"] = times(lambda: zarr_view.read_region(full, out=out), n=12)
shutil.rmtree(folder)
print(json.dumps(result))
'''

CONFIGS = [
    ("default", {}),
    ("TieredPGO=0", {"DOTNET_TieredPGO": "0"}),
    ("QuickJitForLoops=0", {"DOTNET_TC_QuickJitForLoops": "0"}),
    ("ReadyToRun=0", {"DOTNET_ReadyToRun": "0"}),
    ("TieredPGO=0 + QuickJitForLoops=0", {"DOTNET_TieredPGO": "0", "DOTNET_TC_QuickJitForLoops": "0"}),
    ("TieredCompilation=0", {"DOTNET_TieredCompilation": "0"}),
]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    print("fresh processes, %s, %d core(s); times in ms: first, second, median of the last 10; first/steady" % (sys.executable, os.cpu_count()))
    for name, extra in CONFIGS:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOTNET_T") and k != "DOTNET_ReadyToRun"}
        env.update(extra)
        best = None
        for _ in range(rounds):
            run = json.loads(subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True).stdout)
            best = run if best is None else {k: [min(x, y) for x, y in zip(best[k], run[k])] for k in run}
        print(name)
        for kernel, t in best.items():
            steady = sorted(t[-10:])[len(t[-10:]) // 2]
            print("  %-40s %8.2f %8.2f %8.2f   %5.2fx" % (kernel, t[0] * 1e3, t[1] * 1e3, steady * 1e3, t[0] / steady))


if __name__ == "__main__":
    main()
