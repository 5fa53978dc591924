"""
`iolink convert IN.npy OUT.npy` against `cp IN.npy OUT.npy` on the same 1 GiB file, in the same run:

    python3 bench/python/convert_bench.py [IOLINK COMMAND...] [--mib N] [--dir FOLDER] [--rounds N]

IOLINK COMMAND defaults to `iolink`; from a build tree pass `dotnet src/IOLink.Cli/bin/Release/net10.0/IOLink.Cli.dll`.
Each round removes the output, writes every dirty page back (sync) and then times one program writing a new
file, alternating, so that both meet the same state of the disk; the figures are whole processes (the tool's start-up included), best and
median of seven rounds (or N), with the tool's own start (`--version`) timed beside them. FOLDER (default: a temporary folder) chooses the file system: on a disk the kernel's writeback
dominates and varies from round to round; on a tmpfs such as /dev/shm what is left is the programs' own work.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from timing import settle


def timed(command, output):
    settle(output)
    t = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    args = sys.argv[1:]
    mib = 1024
    if "--mib" in args:
        i = args.index("--mib")
        mib = int(args[i + 1])
        del args[i:i + 2]
    rounds = 7
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
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
        np.save(source, np.random.default_rng(0).integers(0, 4096, (mib, 512, 1024), dtype=np.uint16))
        copied, converted = os.path.join(folder, "cp.npy"), os.path.join(folder, "convert.npy")
        cp, convert, start = [], [], []
        for _ in range(rounds):
            cp.append(timed(["cp", source, copied], copied))
            convert.append(timed(tool + ["convert", source, converted], converted))
            start.append(timed(tool + ["--version"], os.path.join(folder, "none")))
        with open(copied, "rb") as a, open(converted, "rb") as b:
            assert a.read() == b.read(), "iolink convert wrote other bytes than cp"
        print("%d MiB .npy in %s, %d alternating rounds, each a new file after sync" % (mib, where or tempfile.gettempdir(), rounds))
        for name, times in (("cp", cp), ("iolink convert", convert)):
            print("  %-15s best %6.0f ms  median %6.0f ms" % (name, min(times) * 1e3, statistics.median(times) * 1e3))
        print("  iolink convert / cp speed: %.2fx (best), %.2fx (median)"
              % (min(cp) / min(convert), statistics.median(cp) / statistics.median(convert)))
        print("  iolink convert - cp: %.0f ms (best), %.0f ms (median); the tool's start (iolink --version): "
              "%.0f ms (best), %.0f ms (median)" % ((min(convert) - min(cp)) * 1e3,
                                                   (statistics.median(convert) - statistics.median(cp)) * 1e3,
                                                   min(start) * 1e3, statistics.median(start) * 1e3))
        # Round by round, the same round's three programs: convert - cp - start (what the tool's own work costs).
        excess = sorted((c - p - s) * 1e3 for c, p, s in zip(convert, cp, start))
        print("  per round, convert - cp - start: median %.0f ms, quartiles %.0f to %.0f ms"
              % (statistics.median(excess), excess[len(excess) // 4], excess[(3 * len(excess)) // 4]))
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
