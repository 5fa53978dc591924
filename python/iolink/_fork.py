"""
fork after .NET has started is unsafe: a child that runs .NET code crashes (the runtime's threads are gone and its
executable memory is shared with the parent), and the parent can crash with it. Once iolink has started .NET,
os.fork raises at once with what to do instead, and multiprocessing's forkserver no longer imports the main module
into the server (which would start .NET there and then fork it): its children import it themselves, as spawn does.
subprocess is unaffected (it execs the child at once, in C).
"""

import os

MESSAGE = (
    "os.fork() is not safe in a process where iolink has started .NET: a forked child that runs .NET code crashes, "
    "and can crash this process too. Start worker processes with 'spawn' or 'forkserver' instead: "
    "multiprocessing.set_start_method('spawn') at the start of the program, or multiprocessing.get_context('spawn') "
    "for a Pool or concurrent.futures.ProcessPoolExecutor(mp_context=...).")

_guarded = False


def guard():
    """Installs the guard once per process."""
    global _guarded
    if _guarded:
        return
    _guarded = True
    for name in ("fork", "forkpty"):
        original = getattr(os, name, None)
        if original is None:
            continue
        setattr(os, name, _make_refusal(name, original))
    try:
        from multiprocessing import forkserver
    except ImportError:
        return
    preload = [m for m in getattr(forkserver._forkserver, "_preload_modules", []) if m != "__main__"]
    forkserver.set_forkserver_preload(preload)


def _make_refusal(name, original):
    def refusal(*args, **kwargs):
        raise RuntimeError(MESSAGE.replace("os.fork()", "os.%s()" % name))

    refusal.__name__ = name
    refusal.__qualname__ = name
    refusal.__doc__ = "Refused by iolink: %s" % MESSAGE
    refusal.__wrapped__ = original
    return refusal
