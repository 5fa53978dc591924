"""
Zarr over HTTP: IOLink against zarr-python 3 with fsspec's HTTP store, reading the same arrays from the same real
nginx on loopback in the same run (Debian 13's stack, where zarr-python 3, fsspec, aiohttp and nginx are; run
inside it with the wheel installed):

    python bench/python/http_bench.py [MiB]

A UINT16 volume (default 1024 MiB; smooth structure plus noise, compressing as CT data does) is written by IOLink
as Zarr v3 in 64^3 chunks (zstd level 1), and as shards of 256^3 holding those chunks, into the folder nginx
serves. Each is read whole over HTTP by `ZarrArray.open(url).read_region(out=)` and by `zarr.open_array(url)[:]`,
and from the local folder for reference. Then a chunk-aligned 64^3 region is read with nothing cached (a fresh
open each time, in both libraries): the time and the number of requests nginx logged. Best of five (three for the cold reads).
"""

import os
import sys
import time

import numpy as np
import zarr

from iolink import ImageTypeId, NumpyInterop, RegionXu64, ZarrArray
from timing import best, volume

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
import nginx_server  # noqa: E402

CHUNKS = (64, 64, 64)
SHARDS = (256, 256, 256)


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    a = volume(mib)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    import fsspec
    import aiohttp
    print("%d MiB UINT16 volume %s over loopback HTTP (nginx); zarr-python %s, fsspec %s, aiohttp %s; best of 5 (%d cores)"
          % (a.nbytes >> 20, a.shape, zarr.__version__, fsspec.__version__, aiohttp.__version__, os.cpu_count()))
    with nginx_server.Nginx() as server:
        for shards in (None, SHARDS):
            name = "sharded.zarr" if shards else "chunked.zarr"
            local = os.path.join(server.root, name)
            url = server.url + name
            ZarrArray.write(view, local, chunks=CHUNKS[::-1], shards=shards and shards[::-1], codec="zstd", level=1)
            label = "shards %s of chunks %s" % (shards, CHUNKS) if shards else "chunks %s" % (CHUNKS,)
            out = np.empty_like(a)
            region = RegionXu64((0, 0, 0), a.shape[::-1])

            def ours_remote():
                ZarrArray.open(url, image_type=ImageTypeId.VOLUME).read_region(region, out=out)

            def ours_local():
                ZarrArray.open(local, image_type=ImageTypeId.VOLUME).read_region(region, out=out)

            def theirs_remote():
                return zarr.open_array(url, mode="r")[:]

            def theirs_local():
                return zarr.open_array(local, mode="r")[:]

            r_ours = best(ours_remote, rounds=5)
            assert (out == a).all()
            r_theirs = best(theirs_remote, rounds=5)
            assert (theirs_remote() == a).all()
            l_ours = best(ours_local, rounds=5)
            l_theirs = best(theirs_local, rounds=5)
            gib = a.nbytes / 2 ** 30
            print("%s, whole array:" % label)
            print("  IOLink       HTTP %7.0f ms (%5.2f GiB/s)   local %7.0f ms" % (r_ours * 1e3, gib / r_ours, l_ours * 1e3))
            print("  zarr-python  HTTP %7.0f ms (%5.2f GiB/s)   local %7.0f ms" % (r_theirs * 1e3, gib / r_theirs, l_theirs * 1e3))
            print("  IOLink / zarr-python over HTTP: %.2fx" % (r_theirs / r_ours))

            # A cold 64^3 region, chunk-aligned, away from the edges: a fresh open each time, requests as nginx logged them.
            z0, y0, x0 = 2 * CHUNKS[0] if a.shape[0] > 3 * CHUNKS[0] else 0, 128, 192
            small = np.empty(CHUNKS, np.uint16)
            part = RegionXu64((x0, y0, z0), CHUNKS[::-1])
            counts = {}

            def cold_ours():
                server.clear_log()
                ZarrArray.open(url, image_type=ImageTypeId.VOLUME).read_region(part, out=small)
                counts["ours"] = len(server.requests())

            def cold_theirs():
                server.clear_log()
                got = zarr.open_array(url, mode="r")[z0:z0 + 64, y0:y0 + 64, x0:x0 + 64]
                counts["theirs"] = len(server.requests())
                return got

            c_ours = best(cold_ours, rounds=3, warm_up=False)
            assert (small == a[z0:z0 + 64, y0:y0 + 64, x0:x0 + 64]).all()
            c_theirs = best(cold_theirs, rounds=3, warm_up=False)
            print("  cold 64^3 region (open + read): IOLink %.1f ms in %d requests, zarr-python %.1f ms in %d requests"
                  % (c_ours * 1e3, counts["ours"], c_theirs * 1e3, counts["theirs"]))


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print("(%.0f s)" % (time.perf_counter() - t))
