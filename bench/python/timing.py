"""The timing the benchmark scripts share: the best of several timed runs, with an optional warm-up run."""

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
