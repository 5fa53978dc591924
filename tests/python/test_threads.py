"""
The GIL is released while .NET works (region reads and writes, copies, stream reads), so other Python threads run
meanwhile; calls from many threads at once stay correct and leave no handle behind.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import clr

clr.AddReference("System.IO.Pipes")
import System  # noqa: E402

from iolink import (DataTypeId, ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64, StreamAccessRawIO,  # noqa: E402
                    _native)

BIG = (4096, 8192)        # 64 MiB of UINT16: a copy long enough to watch


def ran_during(work, at_least=5):
    """Runs work() on this thread while another Python thread ticks; how many ticks fell inside the call."""
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())

    thread = threading.Thread(target=ticker)
    thread.start()
    time.sleep(0.02)
    start = time.perf_counter()
    work()
    end = time.perf_counter()
    stop.set()
    thread.join()
    # Ticks well inside the call: a thread holding the GIL for the whole call would leave none there.
    margin = (end - start) * 0.1
    return sum(1 for t in ticks if start + margin < t < end - margin), end - start


def test_read_region_lets_other_threads_run():
    view = ImageViewFactory.allocate(BIG, DataTypeId.UINT16)
    out = np.empty(BIG[0] * BIG[1], np.uint16)
    region = RegionXu64((0, 0), BIG)
    inside, seconds = ran_during(lambda: [view.read_region(region, out=out) for _ in range(4)])
    assert inside >= 5, "no other thread ran during %.3f s of region reads" % seconds


def test_write_region_lets_other_threads_run():
    view = ImageViewFactory.allocate(BIG, DataTypeId.UINT16)
    data = np.ones(BIG[0] * BIG[1], np.uint16)
    region = RegionXu64((0, 0), BIG)
    inside, seconds = ran_during(lambda: [view.write_region(region, data) for _ in range(4)])
    assert inside >= 5, "no other thread ran during %.3f s of region writes" % seconds


def test_copy_in_memory_lets_other_threads_run():
    view = ImageViewFactory.flip_dimension(ImageViewFactory.reinterpret(
        ImageViewFactory.allocate(BIG, DataTypeId.UINT16), ImageTypeId.IMAGE), 0)
    inside, seconds = ran_during(lambda: [ImageViewFactory.copy_in_memory(view).dispose() for _ in range(2)])
    assert inside >= 5, "no other thread ran during %.3f s of copies" % seconds


def test_a_stream_read_that_blocks_does_not_hold_the_gil():
    # The reader waits in .NET for bytes that only another Python thread can write: holding the GIL would deadlock.
    server = System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out)
    client = System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, server.ClientSafePipeHandle)
    raw = StreamAccessRawIO(client)
    got = []
    reader = threading.Thread(target=lambda: got.append(raw.read(5)))
    reader.start()
    time.sleep(0.1)
    server.Write(System.Array[System.Byte](b"hello"), 0, 5)
    server.Flush()
    reader.join(timeout=10)
    assert not reader.is_alive(), "the blocked read kept the GIL: the writer could not run"
    assert got == [b"hello"]
    raw.close()
    server.Dispose()
    client.Dispose()


@pytest.mark.parametrize("workers", [4])
def test_many_threads_import_export_and_read_at_once(workers):
    start = _native.live_handles()
    base = np.arange(64 * 48, dtype=np.uint16).reshape(48, 64)

    def work(seed):
        for i in range(300):
            a = base + seed
            view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
            assert view.shape() == (64, 48)
            back = NumpyInterop.to_numpy_array(view)
            assert back[47, 63] == a[47, 63] and np.shares_memory(back, a)
            row = np.frombuffer(view.read_region(RegionXu64((0, i % 48), (64, 1))), np.uint16)
            assert np.array_equal(row, a[i % 48])
            if i % 2:
                view.dispose()
        return seed

    with ThreadPoolExecutor(workers) as pool:
        assert sorted(pool.map(work, range(8))) == list(range(8))
    import gc
    gc.collect()
    assert _native.live_handles() == start


# Buffers that plainly fit the region are taken, checked and copied in one call into .NET, which releases the GIL
# only around the copy; anything else is left to the Python checks (NEEDS_CHECK), which give the precise error.
ONE_CALL = {
    "a typed array in NumPy order": lambda: np.zeros((3, 4), np.uint16),
    "a flat typed array": lambda: np.zeros(12, np.uint16),
    "raw bytes": lambda: bytearray(24),
    "a raw byte array": lambda: np.zeros(24, np.uint8),
    "length-1 axes added": lambda: np.zeros((1, 3, 1, 4), np.uint16),
}
PYTHON_CHECKS = {
    "another item type": lambda: np.zeros((3, 4), np.int16),
    "another byte order": lambda: np.zeros((3, 4), ">u2"),
    "the transposed shape": lambda: np.zeros((4, 3), np.uint16),
    "one byte too many": lambda: bytearray(25),
    "not contiguous": lambda: np.zeros((3, 8), np.uint16)[:, ::2],
    "read-only": lambda: bytes(24),
}


@pytest.mark.parametrize("case", sorted(ONE_CALL))
def test_buffers_that_fit_are_copied_in_one_call(case):
    assert _native.FAST_COPY
    view = NumpyInterop.from_numpy_array(np.arange(12, dtype=np.uint16).reshape(3, 4), ImageTypeId.IMAGE)
    region = RegionXu64((0, 0), (4, 3))
    out = ONE_CALL[case]()
    b = _native.buffers()
    b.u64[0:4] = (0, 0, 4, 3)
    assert _native.copy_region(view._handle(), 2, b.u64, out, 0) == 0
    assert np.frombuffer(out, np.uint16).tolist() == list(range(12))
    np.frombuffer(out, np.uint8)[:] = 7                                 # and back: write_region takes it too
    assert _native.copy_region(view._handle(), 2, b.u64, out, 1) == 0
    assert (NumpyInterop.to_numpy_array(view) == 0x0707).all()
    view.read_region(region, out=out)                                   # the public calls, same result
    assert np.frombuffer(out, np.uint16).tolist() == [0x0707] * 12


@pytest.mark.parametrize("case", sorted(PYTHON_CHECKS))
def test_other_buffers_are_left_to_the_python_checks(case):
    view = NumpyInterop.from_numpy_array(np.arange(12, dtype=np.uint16).reshape(3, 4), ImageTypeId.IMAGE)
    out = PYTHON_CHECKS[case]()
    b = _native.buffers()
    b.u64[0:4] = (0, 0, 4, 3)
    assert _native.copy_region(view._handle(), 2, b.u64, out, 0) == _native.NEEDS_CHECK
    with pytest.raises((TypeError, ValueError)):
        view.read_region(RegionXu64((0, 0), (4, 3)), out=out)


def test_a_region_outside_the_view_is_the_same_error_through_the_one_call():
    view = ImageViewFactory.allocate((4, 3), DataTypeId.UINT16)
    with pytest.raises(ValueError, match="reaches outside the view") as fast:
        view.read_region(RegionXu64((1, 0), (4, 3)), out=np.zeros((3, 4), np.uint16))
    with pytest.raises(ValueError, match="reaches outside the view") as general:
        view.read_region(RegionXu64((1, 0), (4, 3)))                      # no out: the general path
    assert str(fast.value) == str(general.value)


def test_a_typed_region_read_lets_other_threads_run():
    view = ImageViewFactory.allocate(BIG, DataTypeId.UINT16)
    out = np.empty((BIG[1], BIG[0]), np.uint16)
    region = RegionXu64((0, 0), BIG)
    inside, seconds = ran_during(lambda: [view.read_region(region, out=out) for _ in range(4)])
    assert inside >= 5, "no other thread ran during %.3f s of region reads" % seconds
