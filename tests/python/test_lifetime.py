"""Rule 9: dropping either side never leaves a dangling pointer; cycles do not grow memory."""

import gc
import os
import resource

import numpy as np

import clr  # pythonnet: to collect on the .NET side too, and to read the live-block count
import System

from iolink import DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop


def live_blocks():
    """How many memory blocks and data sources the process has not freed (IOLink's internal count, read through reflection)."""
    from System.Reflection import BindingFlags
    assembly = clr.GetClrType(System.Type.GetType("IOLink.ImageView, IOLink")).Assembly
    prop = assembly.GetType("IOLink.Memory.RefCounted").GetProperty("LiveCount", BindingFlags.NonPublic | BindingFlags.Static)
    return int(prop.GetValue(None))


def collect():
    gc.collect()
    System.GC.Collect()
    System.GC.WaitForPendingFinalizers()
    gc.collect()


def churn():
    # Reuse freed memory so that a dangling pointer would read garbage.
    junk = [ImageViewFactory.allocate((256, 256), DataTypeId.UINT32) for _ in range(20)]
    junk += [np.full((256, 256), 0x55555555, np.uint32) for _ in range(20)]
    return junk


def test_array_outlives_deleted_view():
    view = ImageViewFactory.reinterpret(ImageViewFactory.allocate((256, 256), DataTypeId.UINT32), ImageTypeId.IMAGE)
    a = NumpyInterop.to_numpy_array(view)
    a[:] = 0xDEADBEEF
    del view
    collect()
    churn()
    assert (a == 0xDEADBEEF).all()


def test_array_outlives_disposed_view_and_dotnet_gc():
    view = ImageViewFactory.allocate((1000,), DataTypeId.INT64)
    a = NumpyInterop.to_numpy_array(view)[500:]
    a[:] = -7
    view.dispose()
    view.net.Dispose()
    collect()
    churn()
    assert (a == -7).all()


def test_view_outlives_deleted_array():
    a = np.full((128, 128), 7, np.uint16)
    view = NumpyInterop.from_numpy_array(a)
    del a
    collect()
    churn()
    assert (NumpyInterop.to_numpy_array(view) == 7).all()


def test_derived_array_outlives_view_and_original_array():
    a = np.arange(100, dtype=np.float64)
    view = NumpyInterop.from_numpy_array(a)
    b = NumpyInterop.to_numpy_array(view)[::10]
    del a, view
    collect()
    churn()
    assert b.tolist() == [float(x) for x in range(0, 100, 10)]


def test_dispose_releases_the_array_reference():
    import sys
    a = np.zeros(10, np.uint8)
    before = sys.getrefcount(a)
    view = NumpyInterop.from_numpy_array(a)
    sub = ImageViewFactory.make_read_only(view)
    assert sys.getrefcount(a) == before + 1    # exactly the view's own reference: the call's wrapper is gone
    view.dispose()
    assert sys.getrefcount(a) == before + 1    # the derived view still uses the memory
    sub.dispose()
    assert sys.getrefcount(a) == before        # the last view released its reference, at once


def test_large_arrays_are_freed_without_any_dotnet_collection():
    # Neither side may keep a 64 MiB array alive after Python drops it: no .NET GC runs in this loop.
    before = rss_kib()
    blocks = live_blocks()
    for _ in range(30):
        a = np.ones(64 << 20, np.uint8)
        with NumpyInterop.from_numpy_array(a):
            pass
        del a
        b = NumpyInterop.to_numpy_array(ImageViewFactory.allocate((64 << 20,), DataTypeId.UINT8))
        b[:] = 1
        del b
    grown = rss_kib() - before
    assert grown < 512 * 1024, "memory grew by %d MiB" % (grown // 1024)
    assert live_blocks() == blocks


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (resource.getpagesize() // 1024)


def open_files():
    return len(os.listdir("/proc/self/fd"))


def test_ten_thousand_cycles_leave_no_block_alive():
    def cycles(n):
        for _ in range(n):
            a = np.ones((64, 1024), np.uint8)
            view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
            b = NumpyInterop.to_numpy_array(view)
            del a, view
            c = NumpyInterop.to_numpy_array(ImageViewFactory.allocate((1024, 64), DataTypeId.UINT8))
            del b, c

    cycles(10)
    collect()
    before = live_blocks()
    files = open_files()
    rss = rss_kib()
    # ./build.sh stress soaks a million cycles; the suite runs ten thousand.
    cycles(int(os.environ.get("IOLINK_SOAK_CYCLES", "10000")))
    # No collection: Python's reference counting releases each side as soon as it is dropped.
    assert live_blocks() == before, "%d memory block(s) still alive" % (live_blocks() - before)
    assert open_files() == files
    assert rss_kib() - rss < 64 * 1024, "memory grew by %d MiB" % ((rss_kib() - rss) // 1024)
