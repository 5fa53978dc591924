"""The timing the benchmark scripts share: the best of several timed runs, with an optional warm-up run."""

import time


def best(fn, rounds=7, warm_up=True):
    """The shortest of `rounds` timed calls of fn, in seconds (after one untimed call when warm_up)."""
    if warm_up:
        fn()
    result = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        result = min(result, time.perf_counter() - t)
    return result
