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
        finally:
            raw = getattr(self, "_net", None)
            if raw is not None:
                raw.Close()
            self._keep = None
