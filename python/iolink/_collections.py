"""Views of several images: LodImageView (one image at several resolutions) and MultiImageView (frames), with their factories."""

from ._dotnet import System, net, translate
from ._model import ImageCapability, ImageView, _net_view


def _index(value, what):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    return value


def _net_views(views):
    return System.Array[net.ImageView]([_net_view(v) for v in views])


class _Owner:
    """A Python handle on a .NET IDisposable: dispose(), a context manager, disposed when collected."""

    __slots__ = ("_n",)

    def __init__(self, net_object):
        self._n = net_object

    @property
    def _net(self):
        if self._n is None:
            raise ValueError("The %s has been disposed." % type(self).__name__)
        return self._n

    @property
    def net(self):
        """The .NET object behind this handle."""
        return self._net

    def dispose(self):
        """Releases what the object owns; views it gave out stay usable. A second call does nothing."""
        n, self._n = self._n, None
        if n is not None:
            n.Dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.dispose()

    def __del__(self):
        try:
            self.dispose()
        except Exception:       # interpreter shutdown: .NET may already be gone
            pass


class LodImageView(_Owner):
    """
    One image at several resolutions: level 0 is the image, positive levels coarser, negative finer. Each level is an
    ImageView with its own shape and spacing; resolution(level) gives a new view each call, which stays usable after
    this object is disposed. len() is the number of levels; iteration goes from the finest to the coarsest.

        with ZarrArray.open_lod("image.ome.zarr") as lod:
            coarsest = lod.resolution(lod.level_range()[1])
    """

    __slots__ = ()

    def __init__(self, net_lod):
        if not isinstance(net_lod, net.LodImageView):
            raise TypeError("LodImageView wraps an IOLink.LodImageView; make one with LodImageViewFactory or ZarrArray.open_lod")
        super().__init__(net_lod)

    @translate
    def level_range(self):
        """The finest level (0 or negative) and the coarsest (0 or positive), as a tuple."""
        r = self._net.LevelRange()
        return (int(r.Item1), int(r.Item2))

    @translate
    def resolution(self, level):
        """Level `level` as a new ImageView (ValueError naming the range for a level outside it)."""
        return ImageView(self._net.Resolution(_index(level, "level")))

    def __len__(self):
        finest, coarsest = self.level_range()
        return coarsest - finest + 1

    def __iter__(self):
        finest, coarsest = self.level_range()
        for level in range(finest, coarsest + 1):
            yield self.resolution(level)

    def __repr__(self):
        return "LodImageView(disposed)" if self._n is None else str(self._n.ToString())


class MultiImageView(_Owner):
    """
    An ordered collection of image views (frames) that need not be related: len(), indexing (negative indexes count
    from the end), iteration; with WRITE, add, insert, set and remove. Each frame read is a new ImageView.
    """

    __slots__ = ()

    def __init__(self, net_frames):
        if not isinstance(net_frames, net.MultiImageView):
            raise TypeError("MultiImageView wraps an IOLink.MultiImageView; make one with MultiImageViewFactory")
        super().__init__(net_frames)

    def capabilities(self):
        """READ, and WRITE when frames may change; NONE once disposed."""
        return ImageCapability(0) if self._n is None else ImageCapability(int(self._n.Capabilities))

    @translate
    def count(self):
        """How many frames there are."""
        return int(self._net.Count)

    @translate
    def at(self, index):
        """Frame `index` (from 0) as a new ImageView."""
        return ImageView(self._net.At(_index(index, "index")))

    @translate
    def add(self, view):
        """Adds view as the last frame (the collection keeps its own handle on it)."""
        self._net.Add(_net_view(view))

    @translate
    def insert(self, index, view):
        """Inserts view before frame `index` (count() appends)."""
        self._net.Insert(_index(index, "index"), _net_view(view))

    @translate
    def set(self, index, view):
        """Replaces frame `index` by view."""
        self._net.Set(_index(index, "index"), _net_view(view))

    @translate
    def remove(self, index):
        """Removes frame `index`."""
        self._net.Remove(_index(index, "index"))

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        index = _index(index, "index")
        n = self.count()
        if index < -n or index >= n:
            raise IndexError("frame index %d out of range for %d frames" % (index, n))
        return self.at(index % n if n else index)

    def __iter__(self):
        for i in range(self.count()):
            yield self.at(i)

    def __repr__(self):
        return "MultiImageView(disposed)" if self._n is None else "MultiImageView(%d frames)" % self.count()


class LodImageViewFactory:
    """Makes multi-resolution views."""

    @staticmethod
    @translate
    def from_views(views):
        """The views as levels 0, 1, ... of one image, finest first (same type and axes, each coarser than the last)."""
        return LodImageView(net.LodImageViewFactory.FromViews(_net_views(views)))

    @staticmethod
    @translate
    def downsample(view, levels, method="mean"):
        """
        A lazy pyramid of view: `levels` levels, each half the previous along the spatial dimensions (all of them
        for UNKNOWN axes); method "mean" averages the elements a coarse one covers, "nearest" keeps every second.
        """
        methods = {"mean": net.DownsampleMethod.Mean, "nearest": net.DownsampleMethod.Nearest}
        if method not in methods:
            raise ValueError("method must be 'mean' or 'nearest', not %r" % (method,))
        return LodImageView(net.LodImageViewFactory.Downsample(_net_view(view), _index(levels, "levels"), methods[method]))


class MultiImageViewFactory:
    """Makes collections of frames."""

    @staticmethod
    @translate
    def from_views(views, writable=True):
        """The views as frames 0, 1, ...; with writable, frames may be added, replaced and removed."""
        return MultiImageView(net.MultiImageViewFactory.FromViews(_net_views(views), bool(writable)))
