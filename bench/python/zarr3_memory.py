"""
The memory a sharded Zarr v3 write takes: `iolink convert IN.npy OUT.zarr --chunks 64,64,64 --shards 256,256,256`
of a 4 GiB UINT16 volume, its peak resident memory (the process's own, as the kernel counts it) against the shard
size and the input size:

    python3 bench/python/zarr3_memory.py [IOLINK COMMAND...] [--gib N] [--dir FOLDER]

IOLINK COMMAND defaults to `iolink`; from a build tree pass `dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll`.
The input is written slab by slab (never whole in this script's memory) with structure plus noise, so that it
compresses as CT data does. The tool maps the .npy, so its resident memory also counts the input's pages it has
touched (file pages of the page cache, which the kernel drops under pressure); what the write itself holds is its
anonymous memory (RssAnon in /proc/PID/status), sampled every 20 ms, reported beside the whole.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

SHARD = 256
CHUNK = 64


def main():
    args = sys.argv[1:]
    gib = 4
    if "--gib" in args:
        i = args.index("--gib")
        gib = int(args[i + 1])
        del args[i:i + 2]
    where = None
    if "--dir" in args:
        i = args.index("--dir")
        where = args[i + 1]
        del args[i:i + 2]
    tool = args or ["iolink"]
    folder = tempfile.mkdtemp(dir=where)
    try:
        source = os.path.join(folder, "in.npy")
        depth = gib * 2 ** 30 // (2 * 1024 * 1024)
        a = np.lib.format.open_memmap(source, mode="w+", dtype=np.uint16, shape=(depth, 1024, 1024))
        rng = np.random.default_rng(0)
        yy, xx = np.ogrid[0:1024, 0:1024]
        for z in range(depth):
            a[z] = ((xx * 3 + yy * 5 + z * 7) % 2048).astype(np.uint16) + rng.integers(0, 64, (1024, 1024), dtype=np.uint16)
        a.flush()
        del a
        out = os.path.join(folder, "out.zarr")
        start = time.perf_counter()
        child = subprocess.Popen(tool + ["convert", source, out, "--chunks", "%d,%d,%d" % ((CHUNK,) * 3),
                                         "--shards", "%d,%d,%d" % ((SHARD,) * 3), "--codec", "zstd"], stdout=subprocess.DEVNULL)
        anon = 0
        while True:
            try:
                with open("/proc/%d/status" % child.pid) as f:
                    for line in f:
                        if line.startswith("RssAnon:"):
                            anon = max(anon, int(line.split()[1]) * 1024)
            except OSError:
                pass
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        assert status == 0, "iolink convert failed"
        peak = usage.ru_maxrss * 1024
        shard = SHARD ** 3 * 2
        stored = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files)
        print("%d GiB UINT16 .npy (%d, 1024, 1024) -> sharded Zarr v3 (shards %d^3 = %d MiB of chunks %d^3, zstd), %d cores"
              % (gib, depth, SHARD, shard >> 20, CHUNK, os.cpu_count()))
        print("  %.1f s, stored %.1f%% of raw; peak anonymous memory %d MiB = %.1f shards (%.1f%% of the input); "
              "peak resident memory with the mapped input's pages %d MiB"
              % (elapsed, 100.0 * stored / (depth * 2 ** 21), anon >> 20, anon / shard, 100.0 * anon / (depth * 2 ** 21), peak >> 20))
        check = subprocess.run(tool + ["info", out, "--stats"], check=True, capture_output=True, text=True).stdout
        assert "shards      (256, 256, 256)" in check, check
        print("  " + "\n  ".join(line for line in check.splitlines() if line.split()[0] in ("shards", "chunks", "mean")))
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
