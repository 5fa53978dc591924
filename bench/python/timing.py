"""What the benchmark scripts share: the best of several timed runs (with an optional warm-up run), a settled page
cache between file writes, and the test volume they time."""

import os

import time


def best(fn, rounds=7, warm_up=True, before=None):
    """The shortest of `rounds` timed calls of fn, in seconds (after one untimed call when warm_up; before() runs
    untimed ahead of each call)."""
    if warm_up:
        fn()
    result = float("inf")
    for _ in range(rounds):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        result = min(result, time.perf_counter() - t)
    return result


def settle(*remove):
    """Removes the files named, then writes every dirty page back, so that a file write starts without inheriting
    the previous one's work: the kernel throttles writers once dirty pages pile up, whichever writer that is, and a
    file system mounted with `discard` trims the blocks of a replaced file while the next file is written."""
    for path in remove:
        if os.path.exists(path):
            os.remove(path)
    os.sync()


def volume(mib):
    """A UINT16 volume of about `mib` MiB in 512x512 slices: a smooth ramp with 6 bits of noise, so that codecs meet
    data that compresses as a CT volume does rather than zeros or pure noise."""
    import numpy as np
    z = mib * 2 ** 20 // (2 * 512 * 512)
    rng = np.random.default_rng(0)
    zz, yy, xx = np.ogrid[0:z, 0:512, 0:512]
    a = ((xx * 3 + yy * 5 + zz * 7) % 2048).astype(np.uint16)
    a += rng.integers(0, 64, a.shape, dtype=np.uint16)
    return a
