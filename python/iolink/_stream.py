"""Byte streams as Python raw streams: StreamAccessRawIO is an io.RawIOBase over an IOLink stream."""

import io

from ._dotnet import System, net, netpy, translate
from ._model import _buffer_address

__all__ = ["StreamAccess", "StreamAccessFactory", "StreamAccessRawIO"]

_CHUNK = 1 << 20


class StreamAccess:
    """
    A byte stream with a cursor, made by StreamAccessFactory. Pass it to StreamAccessRawIO to use it where
    Python expects a file object. It holds the .NET IOLink.StreamAccess (.net) and anything whose memory it borrows.
    """

    __slots__ = ("_net", "_keep")

    def __init__(self, access, keep=None):
        self._net = access
        self._keep = keep

    @property
    def net(self):
        """The .NET IOLink.StreamAccess behind this stream."""
        return self._net

    def close(self):
        """Closes the stream; StreamAccessRawIO objects over it can no longer read or write."""
        self._net.Dispose()
        self._keep = None


class StreamAccessFactory:
    """Makes byte streams: in memory, over a caller's buffer, over files."""

    @staticmethod
    @translate
    def allocate():
        """A growable stream in memory, readable, writable and seekable."""
        return StreamAccess(net.StreamAccessFactory.Allocate())

    @staticmethod
    @translate
    def from_buffer(buffer):
        """A fixed-size stream over buffer (any bytes-like object), borrowed: no copy, writable when the buffer is."""
        m = memoryview(buffer)
        writable = not m.readonly
        m, address = _buffer_address(m, writable=writable)
        return StreamAccess(netpy.PythonStreams.FromAddress(address, m.nbytes, writable), keep=m)

    @staticmethod
    @translate
    def open_file_read(path):
        """A stream reading the file at path."""
        return StreamAccess(net.StreamAccessFactory.OpenFileRead(str(path)))

    @staticmethod
    @translate
    def from_file_object(file_object):
        """A stream over a Python file object (io.BytesIO, an open file...), for .NET code that takes a StreamAccess."""
        return StreamAccess(netpy.PythonStreams.FromFileObject(file_object, True))

    @staticmethod
    @translate
    def open_file_write(path):
        """A stream writing (creating or truncating) the file at path; it can seek too."""
        return StreamAccess(net.StreamAccessFactory.OpenFileWrite(str(path)))


def _raw_stream(stream_access):
    # A raw stream never owns what it wraps: closing or collecting a StreamAccessRawIO (a temporary one handed to
    # numpy.save, say) leaves the caller's stream open for the next reader.
    if isinstance(stream_access, StreamAccess):
        return netpy.RawIOBridge(stream_access._net.AsStream(), True), stream_access._keep
    if isinstance(stream_access, net.StreamAccess):
        return netpy.RawIOBridge(stream_access.AsStream(), True), None
    if isinstance(stream_access, System.IO.Stream):
        return netpy.RawIOBridge(stream_access, True), None
    raise TypeError("StreamAccessRawIO needs a StreamAccess (from StreamAccessFactory) or a .NET System.IO.Stream, not %s"
                    % type(stream_access).__name__)


class StreamAccessRawIO(io.RawIOBase):
    """
    An io.RawIOBase over a StreamAccess: readable, writable and seekable follow the stream's capabilities, and
    readinto fills the caller's buffer directly from .NET. Wrap it in io.BufferedReader, io.BufferedWriter or
    io.TextIOWrapper, or hand it to shutil, numpy.save/numpy.load and zipfile.
    """

    @translate
    def __init__(self, stream_access):
        super().__init__()
        self._net, self._keep = _raw_stream(stream_access)

    def readable(self):
        self._checkClosed()
        return bool(self._net.CanRead)

    def writable(self):
        self._checkClosed()
        return bool(self._net.CanWrite)

    def seekable(self):
        self._checkClosed()
        return bool(self._net.CanSeek)

    def _require(self, allowed, what):
        self._checkClosed()
        if self._net.IsClosed:
            raise ValueError("I/O operation on closed file.")
        if not allowed:
            raise io.UnsupportedOperation("this stream has no %s capability" % what)

    @translate
    def readinto(self, b):
        self._require(self._net.CanRead, "READ")
        m, address = _buffer_address(b, writable=True)
        with m:
            return int(self._net.ReadInto(address, m.nbytes)) if m.nbytes else 0

    @translate
    def readall(self):
        self._require(self._net.CanRead, "READ")
        chunks = []
        size = _CHUNK
        if self._net.CanSeek:
            pos = int(self._net.Tell())
            end = int(self._net.Seek(0, 2))
            self._net.Seek(pos, 0)
            size = max(end - pos, _CHUNK)  # the known rest in one buffer; small chunks after that
        while True:
            buf = bytearray(size)
            n = self.readinto(buf)
            if not n:
                break
            del buf[n:]
            chunks.append(buf)
            size = _CHUNK
        return bytes(chunks[0]) if len(chunks) == 1 else b"".join(chunks)

    @translate
    def write(self, b):
        self._require(self._net.CanWrite, "WRITE")
        m = memoryview(b)
        if not m.c_contiguous:
            m = memoryview(m.tobytes())
        m, address = _buffer_address(m, writable=False)
        with m:
            return int(self._net.WriteFrom(address, m.nbytes)) if m.nbytes else 0

    @translate
    def seek(self, offset, whence=io.SEEK_SET):
        self._require(self._net.CanSeek, "SEEK")
        if whence not in (io.SEEK_SET, io.SEEK_CUR, io.SEEK_END):
            raise ValueError("invalid whence (%r, should be 0, 1 or 2)" % (whence,))
        offset = int(offset)
        if whence == io.SEEK_SET and offset < 0:
            raise ValueError("negative seek position %d" % offset)
        if not -(1 << 63) <= offset < (1 << 63):
            raise OverflowError("seek offset %d is out of range: a stream position fits in 64 bits" % offset)
        return int(self._net.Seek(offset, int(whence)))

    @translate
    def tell(self):
        self._require(self._net.CanSeek, "SEEK")
        return int(self._net.Tell())

    @translate
    def truncate(self, size=None):
        self._require(self._net.CanSeek and self._net.CanWrite, "SEEK and WRITE")
        if size is None:
            size = self.tell()
        size = int(size)
        if size < 0:
            raise ValueError("negative size value %d" % size)
        if size >= (1 << 63):
            raise OverflowError("size %d is out of range: a stream length fits in 64 bits" % size)
        return int(self._net.Truncate(size))

    def flush(self):
        self._checkClosed()
        raw = getattr(self, "_net", None)
        if raw is not None:
            raw.Flush()

    def close(self):
        if self.closed:
            return
        try:
            super().close()
        except System.ObjectDisposedException:
            pass   # the access behind the stream was closed first: nothing is left to flush (a close from __del__ too)
        finally:
            raw = getattr(self, "_net", None)
            if raw is not None:
                raw.Close()
            self._keep = None


class BufferedStream(io.BufferedIOBase):
    """
    A buffered binary stream over a StreamAccessRawIO, made by iolink.open. It buffers as io.BufferedRandom does, but
    is not one of io's Buffered* classes: NumPy (numpy.save, numpy.load, numpy.fromfile) takes those for files on
    disk and asks them for a file descriptor, which an IOLink stream does not have; this one it reads and writes
    through read(), readinto() and write().
    """

    def __init__(self, raw, buffered):
        super().__init__()
        self._raw_io = raw
        self._inner = buffered

    @property
    def raw(self):
        return self._raw_io

    def readable(self):
        return self._inner.readable()

    def writable(self):
        return self._inner.writable()

    def seekable(self):
        return self._inner.seekable()

    def read(self, size=-1):
        return self._inner.read(size)

    def read1(self, size=-1):
        return self._inner.read1(size)

    def readinto(self, buffer):
        return self._inner.readinto(buffer)

    def readinto1(self, buffer):
        return self._inner.readinto1(buffer)

    def peek(self, size=0):
        return self._inner.peek(size)

    def write(self, data):
        return self._inner.write(data)

    def seek(self, offset, whence=io.SEEK_SET):
        return self._inner.seek(offset, whence)

    def tell(self):
        return self._inner.tell()

    def truncate(self, size=None):
        return self._inner.truncate(size)

    def flush(self):
        if not self.closed:
            self._inner.flush()

    def close(self):
        if not self.closed:
            try:
                self._inner.close()
            finally:
                super().close()

    @property
    def closed(self):
        return self._inner.closed

    def detach(self):
        raise io.UnsupportedOperation("detach")


_MODES = {"rb": "r", "wb": "w", "r+b": "+", "w+b": "+", "rb+": "+", "wb+": "+"}


@translate
def open(stream_access, mode="rb", buffering=-1, encoding=None, errors=None, newline=None):
    """
    A Python file object over an IOLink StreamAccess, in the manner of io.open: "rb", "wb" or "r+b" give a buffered
    binary stream that NumPy (numpy.save, numpy.load), pickle, zipfile and shutil take as they take a BytesIO;
    "r", "w" and "r+" add an io.TextIOWrapper. The stream access is not closed with the file object.
    """
    if not isinstance(mode, str):
        raise TypeError("mode must be a str, not %s" % type(mode).__name__)
    text = "b" not in mode
    binary_mode = mode if not text else mode.replace("t", "") + "b"
    if binary_mode not in _MODES:
        raise ValueError("invalid mode %r: use 'rb', 'wb' or 'r+b' (or 'r', 'w', 'r+' for text)" % mode)
    if not text and (encoding is not None or errors is not None or newline is not None):
        raise ValueError("binary mode doesn't take an encoding, errors or newline argument")
    raw = StreamAccessRawIO(stream_access)
    kind = _MODES[binary_mode]
    if kind == "r" and not raw.readable():
        raise io.UnsupportedOperation("mode %r needs a stream access with READ" % mode)
    if kind == "w" and not raw.writable():
        raise io.UnsupportedOperation("mode %r needs a stream access with WRITE" % mode)
    if kind == "+" and not (raw.readable() and raw.writable() and raw.seekable()):
        raise io.UnsupportedOperation("mode %r needs a stream access with READ, WRITE and SEEK" % mode)
    size = io.DEFAULT_BUFFER_SIZE if buffering in (-1, None) else buffering
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError("buffering must be a positive int (or -1 for the default)")
    inner = {"r": io.BufferedReader, "w": io.BufferedWriter, "+": io.BufferedRandom}[kind](raw, size)
    stream = BufferedStream(raw, inner)
    if text:
        return io.TextIOWrapper(stream, encoding=encoding or "utf-8", errors=errors, newline=newline)
    return stream
