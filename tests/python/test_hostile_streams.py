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
