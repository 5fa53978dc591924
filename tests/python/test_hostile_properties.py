"""
Generated hostile inputs (Hypothesis, bounded for the suite; IOLINK_FUZZ_EXAMPLES raises the count): Python file
objects whose readinto/read/write return any count, and DLPack capsules built with ctypes from any fields. Each
either works as the honest case would or fails with the documented Python error; never a crash or a wrong byte.
"""

import ctypes
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dlpack_capsules import (READ_ONLY, DLDataType, DLDevice, DLManagedTensor, DLManagedTensorVersioned, DLPackVersion,
                             DLTensor, new_capsule)
from iolink import DLPackInterop, ImageCapability, StreamAccessFactory, StreamAccessRawIO

SETTINGS = settings(max_examples=int(os.environ.get("IOLINK_FUZZ_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow], derandomize=True)

_counts = st.one_of(st.integers(-(1 << 70), 1 << 70), st.integers(-2, 40), st.none(), st.floats(), st.text(max_size=3),
                    st.booleans())


class _Scripted(io.RawIOBase):
    """Serves data honestly into the buffer, but returns the scripted counts."""

    def __init__(self, counts, data):
        super().__init__()
        self.counts, self.data, self.calls, self.written = list(counts), data, 0, bytearray()

    def readable(self):
        return True

    def writable(self):
        return True

    def _next(self, honest):
        self.calls += 1
        return self.counts.pop(0) if self.counts else honest

    def readinto(self, b):
        n = min(len(b), len(self.data))
        b[:n] = self.data[:n]
        got = self._next(n)
        if isinstance(got, int) and not isinstance(got, bool) and 0 <= got <= n:
            self.data = self.data[got:]
        return got

    def write(self, b):
        honest = min(len(b), 3)
        got = self._next(honest)
        if isinstance(got, int) and not isinstance(got, bool) and 0 < got <= len(b):
            self.written += bytes(b[:got])
        return got


@SETTINGS
@given(counts=st.lists(_counts, max_size=6), size=st.integers(1, 64))
def test_lying_readinto_counts_give_the_true_bytes_or_a_value_error(counts, size):
    data = bytes(range(200))
    source = _Scripted(counts, data)
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(source))
    got = bytearray()
    try:
        while len(got) < size:
            chunk = raw.read(size - len(got))
            if not chunk:
                break
            got += chunk
    except ValueError as e:
        assert "_Scripted" in str(e)
        return
    # Every count it accepted was true: the bytes are the file's, in order.
    assert bytes(got) == data[:len(got)]


@SETTINGS
@given(counts=st.lists(_counts, max_size=6), payload=st.binary(min_size=1, max_size=40))
def test_lying_write_counts_write_the_true_bytes_or_raise(counts, payload):
    target = _Scripted(counts, b"")
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(target))
    try:
        assert raw.write(payload) == len(payload)
    except ValueError as e:
        assert "_Scripted" in str(e)
        assert target.calls <= len(counts) + 40          # it stopped: no spinning on a count that makes no progress
        return
    # None means "all written" by the io convention; otherwise the accepted counts cover the payload exactly.
    if None not in counts[:target.calls]:
        assert bytes(target.written) == payload


_i64 = st.one_of(st.integers(-3, 70), st.integers(-(1 << 63), (1 << 63) - 1))


@SETTINGS
@given(device=st.integers(0, 20), code=st.integers(0, 8), bits=st.sampled_from([0, 1, 8, 16, 24, 32, 64, 128, 255]),
       lanes=st.integers(0, 4), ndim=st.integers(-2, 7), shape=st.lists(_i64, min_size=7, max_size=7),
       strides=st.one_of(st.none(), st.lists(_i64, min_size=7, max_size=7)), offset=st.integers(0, (1 << 64) - 1),
       null_data=st.booleans(), null_shape=st.booleans(), name=st.sampled_from([b"dltensor", b"dltensor_versioned", b"other"]),
       major=st.integers(0, 3), flags=st.integers(0, (1 << 64) - 1))
def test_capsules_with_any_fields_are_a_view_or_a_clear_error(device, code, bits, lanes, ndim, shape, strides, offset,
                                                              null_data, null_shape, name, major, flags):
    memory = (ctypes.c_uint8 * 64)()
    dims = (ctypes.c_int64 * 7)(*shape)
    steps = None if strides is None else (ctypes.c_int64 * 7)(*strides)
    tensor = DLManagedTensorVersioned(DLPackVersion(major, 0), None, None, flags) if name == b"dltensor_versioned" else DLManagedTensor()
    tensor.dl_tensor = DLTensor(None if null_data else ctypes.addressof(memory), DLDevice(device, 0), ndim,
                                DLDataType(code, bits, lanes), None if null_shape else dims, steps, offset)
    capsule = new_capsule(ctypes.addressof(tensor), name)
    try:
        view = DLPackInterop.from_dlpack(capsule)
    except (ValueError, TypeError) as e:
        assert str(e)
        return
    # Accepted: a CPU tensor of a known type with a sane layout, of version 1 when versioned. Its shape is the
    # tensor's (no data is read: a capsule does not say how much memory lies behind it); a read-only flag is kept.
    assert name == b"dltensor" or (name == b"dltensor_versioned" and major == 1)
    assert device == 1 and not null_data
    assert len(view.shape()) >= 1
    assert view.support(ImageCapability.WRITE) == (name == b"dltensor" or not flags & READ_ONLY)
    view.dispose()
