"""StreamAccessRawIO: the io.RawIOBase contract and the standard-library clients of IOLINK.md section 4."""

import ctypes
import io
import shutil
import zipfile

import numpy as np
import pytest

import clr

clr.AddReference("System.IO.Pipes")     # a plain process loads only the framework assemblies it is asked for
import System  # noqa: E402

from iolink import StreamAccessFactory, StreamAccessRawIO


def memory_stream(data=b""):
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    raw.write(data)
    raw.seek(0)
    return raw


def test_is_a_raw_io_base_with_capabilities():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    assert isinstance(raw, io.RawIOBase)
    assert raw.readable() and raw.writable() and raw.seekable()
    ro = StreamAccessRawIO(StreamAccessFactory.from_buffer(b"abc"))
    assert ro.readable() and not ro.writable() and ro.seekable()


def test_readinto_fills_the_callers_buffer_in_place():
    raw = memory_stream(bytes(range(100)))
    target = np.zeros(64, np.uint8)
    before = target.__array_interface__["data"][0]
    assert raw.readinto(memoryview(target)[8:40]) == 32
    assert target.__array_interface__["data"][0] == before
    assert target[8:40].tolist() == list(range(32)) and target[:8].sum() == 0 and target[40:].sum() == 0
    ba = bytearray(100)
    assert raw.readinto(ba) == 68
    assert ba[:68] == bytes(range(32, 100))
    assert raw.readinto(bytearray(10)) == 0
    c = (ctypes.c_char * 4)()
    raw.seek(0)
    assert raw.readinto(c) == 4 and c.raw == b"\0\1\2\3"


def test_readinto_into_a_read_only_buffer_is_a_type_error():
    with pytest.raises(TypeError):
        memory_stream(b"abc").readinto(b"xyz")


def test_read_readall_and_write():
    raw = memory_stream(b"hello world")
    assert raw.read(5) == b"hello"
    assert raw.read() == b" world"
    assert raw.read(3) == b""
    raw.seek(0)
    assert raw.readall() == b"hello world"
    assert raw.write(memoryview(np.arange(4, dtype=np.uint16))) == 8
    assert raw.write(b"") == 0
    assert raw.write(np.arange(6, dtype=np.uint8)[::2]) == 3   # not contiguous: still written


def test_seek_with_every_whence_and_tell():
    raw = memory_stream(b"0123456789")
    assert raw.seek(3) == 3 and raw.tell() == 3
    assert raw.seek(2, io.SEEK_CUR) == 5
    assert raw.seek(-1, io.SEEK_END) == 9
    assert raw.read(1) == b"9"
    assert raw.seek(0, io.SEEK_END) == 10 and raw.read(4) == b""
    with pytest.raises(ValueError):
        raw.seek(0, 7)
    with pytest.raises(ValueError):
        raw.seek(-1)


def test_truncate_and_growth():
    raw = memory_stream(b"0123456789")
    assert raw.truncate(4) == 4
    assert raw.seek(0, io.SEEK_END) == 4
    raw.seek(8)
    raw.write(b"x")
    raw.seek(0)
    assert raw.read() == b"0123\0\0\0\0x"


def test_unsupported_operations_raise_unsupported_operation():
    ro = StreamAccessRawIO(StreamAccessFactory.from_buffer(b"abc"))
    with pytest.raises(io.UnsupportedOperation):
        ro.write(b"x")
    with pytest.raises(io.UnsupportedOperation):
        ro.truncate(0)
    with pytest.raises(io.UnsupportedOperation):
        ro.fileno()
    pipe = StreamAccessRawIO(System.IO.BufferedStream(System.IO.MemoryStream(), 16) if False else _NonSeekable())
    assert not pipe.seekable()
    with pytest.raises(io.UnsupportedOperation):
        pipe.seek(0)
    with pytest.raises(io.UnsupportedOperation):
        pipe.tell()


def _NonSeekable():
    # A .NET stream that cannot seek: the read end of an anonymous pipe.
    server = System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out)
    client = System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, server.ClientSafePipeHandle)
    return client


def test_close_makes_everything_a_value_error():
    raw = memory_stream(b"abc")
    raw.close()
    assert raw.closed
    raw.close()
    for call in (raw.readable, raw.writable, raw.seekable, raw.tell, lambda: raw.read(1), lambda: raw.write(b"x"),
                 lambda: raw.seek(0), raw.flush):
        with pytest.raises(ValueError):
            call()


def test_context_manager_closes():
    with StreamAccessRawIO(StreamAccessFactory.allocate()) as raw:
        raw.write(b"x")
    assert raw.closed


def test_buffered_reader_and_writer_over_files(tmp_path):
    path = tmp_path / "data.bin"
    payload = np.random.default_rng(1).integers(0, 256, 300_000, dtype=np.uint8).tobytes()
    with io.BufferedWriter(StreamAccessRawIO(StreamAccessFactory.open_file_write(path))) as w:
        for i in range(0, len(payload), 7777):
            w.write(payload[i:i + 7777])
    assert path.read_bytes() == payload
    with io.BufferedReader(StreamAccessRawIO(StreamAccessFactory.open_file_read(path))) as r:
        assert r.read(10) == payload[:10]
        assert r.peek(1)[:1] == payload[10:11]
        assert r.read() == payload[10:]
    with pytest.raises(FileNotFoundError):
        StreamAccessFactory.open_file_read(tmp_path / "missing.bin")


def test_text_io_wrapper():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    text = io.TextIOWrapper(io.BufferedRandom(raw), encoding="utf-8", newline="")
    text.write("première ligne\nzweite Zeile\n")
    text.flush()
    text.seek(0)
    assert text.readlines() == ["première ligne\n", "zweite Zeile\n"]


def test_shutil_copyfileobj_both_ways(tmp_path):
    data = bytes(range(256)) * 1000
    dst = StreamAccessRawIO(StreamAccessFactory.allocate())
    shutil.copyfileobj(io.BytesIO(data), dst)
    dst.seek(0)
    out = io.BytesIO()
    shutil.copyfileobj(dst, out, 4096)
    assert out.getvalue() == data


def test_numpy_save_and_load():
    a = np.arange(1000, dtype=np.float32).reshape(10, 100)
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    np.save(raw, a)
    raw.seek(0)
    b = np.load(raw)
    assert b.dtype == a.dtype and (b == a).all()
    buffered = io.BufferedRandom(StreamAccessRawIO(StreamAccessFactory.allocate()))
    np.savez(buffered, x=a, y=a.T)
    buffered.seek(0)
    with np.load(buffered) as z:
        assert (z["y"] == a.T).all()


def test_zipfile_write_and_read():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", "alpha" * 100)
        z.writestr("b.bin", bytes(range(256)))
    raw.seek(0)
    with zipfile.ZipFile(raw) as z:
        assert z.namelist() == ["a.txt", "b.bin"]
        assert z.read("a.txt") == b"alpha" * 100
        assert z.testzip() is None


def test_from_buffer_borrows_without_copy():
    backing = bytearray(b"....")
    raw = StreamAccessRawIO(StreamAccessFactory.from_buffer(backing))
    raw.seek(1)
    raw.write(b"ab")
    assert backing == bytearray(b".ab.")
    with pytest.raises(OSError):
        raw.write(b"toolong")   # a borrowed buffer does not grow


def test_over_a_dotnet_stream():
    ms = System.IO.MemoryStream()
    raw = StreamAccessRawIO(ms)
    raw.write(b"from python")
    assert ms.Length == 11
    raw.seek(5)
    assert raw.read() == b"python"
    with pytest.raises(TypeError):
        StreamAccessRawIO(object())


def test_a_temporary_raw_stream_leaves_the_stream_open_for_the_next_reader():
    import gc
    import numpy as np
    s = StreamAccessFactory.allocate()
    np.save(StreamAccessRawIO(s), np.arange(5))
    gc.collect()                              # the first raw stream is collected (and closed) here
    r = StreamAccessRawIO(s)
    r.seek(0)
    assert np.load(r).tolist() == [0, 1, 2, 3, 4]


def test_a_dotnet_stream_is_left_open():
    import gc
    import System
    ms = System.IO.MemoryStream()
    raw = StreamAccessRawIO(ms)
    raw.write(b"abc")
    raw.close()
    del raw
    gc.collect()
    assert ms.CanRead and ms.Length == 3


def test_a_closed_raw_stream_says_closed_not_unsupported():
    raw = StreamAccessRawIO(StreamAccessFactory.allocate())
    raw.close()
    with pytest.raises(ValueError, match="closed"):
        raw.read(1)


def test_a_python_file_object_as_a_stream_access():
    sa = StreamAccessFactory.from_file_object(io.BytesIO(b"xyz"))
    raw = StreamAccessRawIO(sa)
    assert raw.readable() and raw.seekable()
    assert raw.read() == b"xyz"


def test_numpy_save_and_load_through_io_buffered_classes_fail_and_iolink_open_works():
    """NumPy 1.x takes io.BufferedReader/Writer/Random for files on disk (it asks them for fileno), NumPy 2 writes
    and reads through them; iolink.open gives a buffered stream every NumPy reads and writes like a BytesIO. Both
    halves are what the README says."""
    import pickle

    import iolink

    access = StreamAccessFactory.allocate()
    if int(np.__version__.split(".")[0]) < 2:
        with pytest.raises(io.UnsupportedOperation, match="fileno"):
            np.save(io.BufferedWriter(StreamAccessRawIO(access)), np.arange(3))
    else:
        writer = io.BufferedWriter(StreamAccessRawIO(access))
        np.save(writer, np.arange(3))
        writer.flush()
        reader = io.BufferedReader(StreamAccessRawIO(access))
        reader.seek(0)
        assert list(np.load(reader)) == [0, 1, 2]

    a = np.arange(12, dtype=np.uint16).reshape(3, 4)
    access = StreamAccessFactory.allocate()     # the failed save above left a header in the first one
    with iolink.open(access, "wb") as f:
        np.save(f, a)
    with iolink.open(access, "rb") as f:
        f.seek(0)                       # the access's cursor is where the writes left it
        assert (np.load(f) == a).all()

    both = StreamAccessFactory.allocate()
    with iolink.open(both, "r+b") as f:
        pickle.dump({"x": 1}, f)
        f.seek(0)
        assert pickle.load(f) == {"x": 1}
        f.seek(0)
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("a.txt", "zipped")
        f.seek(0)
        assert zipfile.ZipFile(f).read("a.txt") == b"zipped"

    text = StreamAccessFactory.allocate()
    with iolink.open(text, "w") as t:
        t.write("héllo\n")
    with iolink.open(text, "r") as t:
        t.seek(0)
        assert t.read() == "héllo\n"

    with pytest.raises(ValueError, match="invalid mode 'ab'"):
        iolink.open(StreamAccessFactory.allocate(), "ab")
    with pytest.raises(ValueError, match="buffering must be a positive int"):
        iolink.open(StreamAccessFactory.allocate(), "rb", buffering=0)
