"""Random accesses: addressable bytes (memory, files, mapped files) that views read through ImageViewFactory.from_random_access."""

from ._dotnet import net, translate

__all__ = ["RandomAccess", "RandomAccessFactory"]


class RandomAccess:
    """
    Bytes read and written at any offset, made by RandomAccessFactory: a handle on a .NET IOLink.RandomAccess (.net).
    A view made from it with ImageViewFactory.from_random_access keeps the data alive, so the access may be closed first.
    """

    __slots__ = ("_net",)

    def __init__(self, access):
        if not isinstance(access, net.RandomAccess):
            raise TypeError("RandomAccess wraps an IOLink.RandomAccess; make one with RandomAccessFactory")
        self._net = access

    @property
    def net(self):
        """The .NET IOLink.RandomAccess behind this object."""
        return self._net

    @translate
    def size(self):
        """The number of bytes."""
        return int(self._net.Size)

    def close(self):
        """Releases this handle; views made from it keep working."""
        self._net.Dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RandomAccessFactory:
    """Makes random accesses: in memory, over files, over memory-mapped files."""

    @staticmethod
    @translate
    def allocate(size):
        """size zeroed bytes in memory."""
        return RandomAccess(net.RandomAccessFactory.Allocate(int(size)))

    @staticmethod
    @translate
    def open_file_read(path):
        """The bytes of the file at path, read-only."""
        return RandomAccess(net.RandomAccessFactory.OpenFileRead(str(path)))

    @staticmethod
    @translate
    def open_file_write(path, size):
        """A file at path of size bytes (created, or truncated), readable and writable."""
        return RandomAccess(net.RandomAccessFactory.OpenFileWrite(str(path), int(size)))

    @staticmethod
    @translate
    def map_file(path, writable=False):
        """The file at path mapped into memory: views made from it have MEMORY_ACCESS (NumPy arrays over the file, no copy)."""
        return RandomAccess(net.RandomAccessFactory.MapFile(str(path), bool(writable)))
