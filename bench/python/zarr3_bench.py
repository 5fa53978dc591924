"""
Zarr v3 through IOLink against zarr-python 3, on the same data in the same run (Debian 13's stack: `./build.sh
python-stack` makes it; run inside it with the wheel installed):

    python bench/python/zarr3_bench.py [MiB] [FOLDER]

A UINT16 volume (default 1024 MiB; smooth structure plus noise, so that it compresses as CT data does) is written
in shards of 256^3 holding 64^3 chunks, zstd level 1 inside (and, for comparison, unsharded 64^3 chunks), by
`ZarrArray.write` and by `zarr.create_array(...)[:] = a`, then read whole by `read_region(out=)` and by `z[:]`. Every
write starts after the previous output was removed and the dirty pages written back. Then a chunk-aligned 64^3
region of the sharded array is read with IOLink's caches empty, against what it must cost at least: reading the
shard's index (one ranged read) plus reading and decoding that one inner chunk with numcodecs and copying it; the
inner chunks decoded are counted. Best of three.
"""

import os
import shutil
import sys
import tempfile

import numcodecs
import numpy as np
import zarr
from zarr.codecs import ZstdCodec

from iolink import ImageTypeId, NumpyInterop, RegionXu64, ZarrArray
from timing import best, settle, volume

CHUNKS = (64, 64, 64)
SHARDS = (256, 256, 256)


def stored_bytes(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    where = sys.argv[2] if len(sys.argv) > 2 else None
    a = volume(mib)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    folder = tempfile.mkdtemp(dir=where)
    print("%d MiB UINT16 volume %s, zstd level 1, in %s; zarr-python %s; best of 3 (%d cores)"
          % (a.nbytes >> 20, a.shape, where or tempfile.gettempdir(), zarr.__version__, os.cpu_count()))
    try:
        for shards in (SHARDS, None):
            ours, theirs = os.path.join(folder, "iolink"), os.path.join(folder, "zarr")
            label = "shards %s of chunks %s" % (shards, CHUNKS) if shards else "chunks %s, unsharded" % (CHUNKS,)

            def write_ours():
                shutil.rmtree(ours, ignore_errors=True)
                ZarrArray.write(view, ours, chunks=CHUNKS[::-1], shards=shards and shards[::-1], codec="zstd", level=1)

            def write_theirs():
                shutil.rmtree(theirs, ignore_errors=True)
                zarr.create_array(store=theirs, shape=a.shape, dtype=a.dtype, chunks=CHUNKS, shards=shards,
                                  compressors=ZstdCodec(level=1), zarr_format=3)[:] = a

            w_ours = best(write_ours, rounds=3, warm_up=False, before=settle)
            w_theirs = best(write_theirs, rounds=3, warm_up=False, before=settle)
            out = np.empty_like(a)
            z_ours = ZarrArray.open(ours, image_type=ImageTypeId.VOLUME)
            region = RegionXu64((0, 0, 0), tuple(z_ours.shape()))
            r_ours = best(lambda: z_ours.read_region(region, out=out), rounds=3)
            assert (out == a).all()
            z_theirs = zarr.open_array(theirs, mode="r")
            r_theirs = best(lambda: z_theirs[:], rounds=3)
            assert (zarr.open_array(ours, mode="r")[:] == a).all()        # zarr-python reads what IOLink wrote
            check = ZarrArray.open(theirs, image_type=ImageTypeId.VOLUME)  # and IOLink what zarr-python wrote
            check.read_region(region, out=out)
            assert (out == a).all()
            print("  %s: stored %.1f%% (IOLink) / %.1f%% (zarr-python) of raw"
                  % (label, 100.0 * stored_bytes(ours) / a.nbytes, 100.0 * stored_bytes(theirs) / a.nbytes))
            print("    write  IOLink %6.0f ms  zarr-python %6.0f ms  (%.2fx)" % (w_ours * 1e3, w_theirs * 1e3, w_theirs / w_ours))
            print("    read   IOLink %6.0f ms  zarr-python %6.0f ms  (%.2fx)" % (r_ours * 1e3, r_theirs * 1e3, r_theirs / r_ours))

            if shards:
                # One chunk-aligned 64^3 region with no cache (no decoded chunk, no shard index kept): one index
                # read, one inner chunk read and decoded, one copy.
                one = np.empty(CHUNKS, dtype=np.uint16)
                aligned = RegionXu64((64, 128, 64), CHUNKS)                 # X, Y, Z: inner chunk (1, 2, 1) of shard 0
                v = ZarrArray.open(ours, image_type=ImageTypeId.VOLUME)
                v._net.ChunkCacheBytes = 0
                reads = []

                def read_one():
                    before = ZarrArray.info(v)["chunks_decoded"]
                    v.read_region(aligned, out=one)
                    reads.append(ZarrArray.info(v)["chunks_decoded"] - before)

                chunk_read = best(read_one, rounds=20)
                assert (one == a[64:128, 128:192, 64:128]).all() and set(reads) == {1}
                shard_file = os.path.join(ours, "c", "0", "0", "0")
                index_bytes = (4 * 4 * 4) * 16 + 4
                inner = 1 * 16 + 2 * 4 + 1                                   # C order over 4 x 4 x 4 inner chunks
                codec = numcodecs.Zstd(level=1)
                target = np.empty(CHUNKS, dtype=np.uint16)

                def index_read_decode_and_copy():
                    with open(shard_file, "rb") as f:
                        f.seek(-index_bytes, os.SEEK_END)
                        index = np.frombuffer(f.read(index_bytes)[:-4], dtype="<u8").reshape(-1, 2)
                        offset, length = (int(v) for v in index[inner])
                        f.seek(offset)
                        encoded = f.read(length)
                    np.copyto(target, np.frombuffer(codec.decode(encoded), dtype=np.uint16).reshape(CHUNKS))

                baseline = best(index_read_decode_and_copy, rounds=20)
                assert (target == one).all()
                print("    64^3 aligned read, no cache %5.0f us, %d inner chunk decoded; index read + "
                      "numcodecs decode + copy %5.0f us (%.2fx of it)" % (chunk_read * 1e6, reads[0], baseline * 1e6, chunk_read / baseline))
            shutil.rmtree(ours)
            shutil.rmtree(theirs)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
