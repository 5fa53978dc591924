"""Sizes past what a stream can hold, and closed streams: Python's own error kinds, with messages that say so."""

import io

import pytest

from iolink import StreamAccessFactory, StreamAccessRawIO


def test_seek_past_64_bits_is_an_overflow_error():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    with pytest.raises(OverflowError, match="64 bits"):
        raw.seek(2 ** 63)
    with pytest.raises(OverflowError, match="64 bits"):
        raw.seek(-(2 ** 63) - 1, io.SEEK_CUR)
    with pytest.raises(OverflowError, match="64 bits"):
        raw.truncate(2 ** 64)


def test_writing_past_what_a_stream_can_hold_is_an_os_error():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    raw.seek(2 ** 63 - 1)
    with pytest.raises(OSError, match="more than any stream can hold"):
        raw.write(b"ab")
    raw.seek(2 ** 62)
    with pytest.raises(OSError, match="cannot grow"):
        raw.write(b"a")
    raw.seek(0)
    assert raw.write(b"ok") == 2


def test_a_raw_stream_over_a_closed_access_is_a_value_error():
    access = StreamAccessFactory.allocate()
    access.close()
    with pytest.raises(ValueError, match="disposed"):
        StreamAccessRawIO(access)


def test_closing_the_access_under_an_open_raw_stream_is_a_value_error():
    access = StreamAccessFactory.allocate()
    raw = StreamAccessRawIO(access)
    raw.write(b"abc")
    access.close()
    with pytest.raises(ValueError):
        raw.read(1)
    raw.close()   # closing the raw stream after its access is quiet (nothing is left to flush), also from __del__
    assert raw.closed


class _Lying(io.RawIOBase):
    """A file object whose readinto or write returns the count given, whatever it did."""

    def __init__(self, count, method="readinto"):
        super().__init__()
        self.count, self.method, self.calls = count, method, 0

    def readable(self):
        return True

    def writable(self):
        return True

    def readinto(self, b):
        self.calls += 1
        return self.count

    def write(self, b):
        self.calls += 1
        if self.calls > 1000:
            raise AssertionError("the write loop did not stop")
        return self.count


@pytest.mark.parametrize("claim", [17, 1 << 20, 1 << 40, -1, -(1 << 70), 1 << 70, 2.5, "16", True])
def test_a_read_count_past_the_buffer_is_a_value_error(claim):
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(_Lying(claim)))
    with pytest.raises(ValueError, match=r"_Lying.*readinto\(\)"):
        raw.read(16)


def test_a_read_returning_more_bytes_than_asked_is_a_value_error():
    class Greedy(io.RawIOBase):
        def readable(self):
            return True

        def read(self, n=-1):
            return b"x" * (n + 5)

    class NoReadinto:
        def __init__(self):
            self.inner = Greedy()

        def readable(self):
            return True

        def read(self, n):
            return self.inner.read(n)

    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(NoReadinto()))
    with pytest.raises(ValueError, match=r"\(NoReadinto\) returned 21 from read\(\) for 16 bytes"):
        raw.read(16)


def test_honest_counts_still_read():
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(io.BytesIO(b"0123456789")))
    assert raw.read(4) == b"0123"
    assert raw.read(100) == b"456789"
    assert raw.read(1) == b""


@pytest.mark.parametrize("claim", [0, -1, -5, 1 << 40, 3.0])
def test_a_write_count_that_makes_no_progress_or_lies_is_a_value_error(claim):
    lying = _Lying(claim)
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(lying))
    with pytest.raises(ValueError, match=r"_Lying.*write\(\)"):
        raw.write(b"abcdef")
    assert lying.calls == 1


def test_a_short_write_is_continued_until_done():
    class Dribble(io.RawIOBase):
        def __init__(self):
            super().__init__()
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.data += bytes(b[:2])
            return min(2, len(b))

    target = Dribble()
    raw = StreamAccessRawIO(StreamAccessFactory.from_file_object(target))
    assert raw.write(b"abcdefg") == 7
    assert bytes(target.data) == b"abcdefg"
