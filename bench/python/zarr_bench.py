"""
Zarr through IOLink against zarr-python 2.13, on the same data in the same run (plain python3 with the wheel):

    python bench/python/zarr_bench.py [MiB] [FOLDER]

A UINT16 volume (default 1024 MiB; smooth structure plus noise, so that it compresses as CT data does) is written
with 64^3 chunks by `ZarrArray.write` and by `zarr.open(...)[:] = a`, with blosc-lz4 and with zstd level 1, then
read whole by `read_region(out=)` and by `z[:]`. Every write starts after the previous output was removed and the
dirty pages written back (sync). Then a chunk-aligned 64^3 region is read with the chunk cache empty, against
decoding that chunk with numcodecs plus copying it, and the chunks decoded are counted. Best of three.
"""

import os
import shutil
import sys
import tempfile

import numcodecs
import numpy as np
import zarr

from iolink import ImageTypeId, NumpyInterop, RegionXu64, ZarrArray
from timing import best, settle, volume

CHUNKS = (64, 64, 64)


def codecs():
    return (("blosc-lz4", numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
            ("zstd", numcodecs.Zstd(level=1)))


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    where = sys.argv[2] if len(sys.argv) > 2 else None
    a = volume(mib)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    folder = tempfile.mkdtemp(dir=where)
    size = a.nbytes / 2 ** 20
    print("%d MiB UINT16 volume %s, chunks %s, in %s; best of 3 (2 cores)" % (size, a.shape, CHUNKS, where or tempfile.gettempdir()))
    try:
        for name, codec in codecs():
            ours, theirs = os.path.join(folder, "iolink-" + name), os.path.join(folder, "zarr-" + name)

            def write_ours():
                ZarrArray.write(view, ours, chunks=CHUNKS[::-1], codec=name)

            def write_theirs():
                zarr.open(theirs, mode="w", shape=a.shape, chunks=CHUNKS, dtype=a.dtype, compressor=codec)[:] = a

            w_ours = best(write_ours, rounds=3, warm_up=False, before=lambda: settle())
            w_theirs = best(write_theirs, rounds=3, warm_up=False, before=lambda: settle())
            stored = sum(os.path.getsize(os.path.join(ours, f)) for f in os.listdir(ours))
            out = np.empty_like(a)
            z_ours = ZarrArray.open(ours, image_type=ImageTypeId.VOLUME)
            region = RegionXu64((0, 0, 0), tuple(z_ours.shape()))
            r_ours = best(lambda: z_ours.read_region(region, out=out), rounds=3)
            assert (out == a).all()
            z_theirs = zarr.open(theirs, mode="r")
            r_theirs = best(lambda: z_theirs[:], rounds=3)
            # IOLink reads what zarr-python wrote, and the other way round.
            assert (zarr.open(ours, mode="r")[:64, :64, :64] == a[:64, :64, :64]).all()
            print("  %-9s stored %5.1f%% of raw" % (name, 100.0 * stored / a.nbytes))
            print("    write  IOLink %6.0f ms  zarr-python %6.0f ms  (%.2fx)" % (w_ours * 1e3, w_theirs * 1e3, w_theirs / w_ours))
            print("    read   IOLink %6.0f ms  zarr-python %6.0f ms  (%.2fx)" % (r_ours * 1e3, r_theirs * 1e3, r_theirs / r_ours))

            # One chunk-aligned 64^3 region, the cache emptied before each read: one decode plus one copy.
            chunk_view = ZarrArray.open(ours, image_type=ImageTypeId.VOLUME)
            net = chunk_view._net
            net.ChunkCacheBytes = 0
            one = np.empty(CHUNKS, dtype=np.uint16)
            aligned = RegionXu64((64, 128, 64), CHUNKS)
            before = ZarrArray.info(chunk_view)["chunks_decoded"]
            chunk_read = best(lambda: chunk_view.read_region(aligned, out=one), rounds=20)
            decoded = (ZarrArray.info(chunk_view)["chunks_decoded"] - before) / 21
            with open(os.path.join(ours, "1.2.1"), "rb") as f:
                encoded = f.read()
            target = np.empty(CHUNKS, dtype=np.uint16)

            def decode_and_copy():
                np.copyto(target, np.frombuffer(codec.decode(encoded), dtype=np.uint16).reshape(CHUNKS))

            baseline = best(decode_and_copy, rounds=20)
            print("    64^3 aligned read %6.0f us, %.0f chunk decoded per read; numcodecs decode + copy %6.0f us (%.2fx)"
                  % (chunk_read * 1e6, decoded, baseline * 1e6, baseline / chunk_read))
            shutil.rmtree(ours)
            shutil.rmtree(theirs)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
