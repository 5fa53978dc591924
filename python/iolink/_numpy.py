"""NumPy arrays and image views over the same memory, following the NumPy rules (docs/IOLINK.md section 3)."""

from . import _native
from ._dotnet import net, netpy, translate
from ._model import ImageDimension, ImageTypeId, ImageView, _dimension_ints, _dimensions, _enum_int, _new_handle

__all__ = ["NumpyInterop"]

_FAST_KINDS = frozenset("biufc")


# NumPy is imported on first use, so that `import iolink` does not pay for it.
_ndarray = _dtype_of = _base_of = _bounds = _bridge_export = None
_kinds = {}  # id(dtype) -> (dtype, ord(kind) or 0 when the fast call does not take it, itemsize)


def _load_numpy():
    global _ndarray, _dtype_of, _base_of, _bounds, _bridge_export
    import numpy
    from . import _bridge
    _dtype_of, _base_of = numpy.ndarray.dtype.__get__, numpy.ndarray.base.__get__
    _bounds, _bridge_export = _bridge._bounds, _bridge.export
    _ndarray = numpy.ndarray


def _check_ndarray(array):
    if _ndarray is None:
        _load_numpy()
    # type(), not isinstance(): an object can claim any __class__.
    if not issubclass(type(array), _ndarray):
        raise TypeError("expected a numpy.ndarray, not %s; convert it first with numpy.asarray" % type(array).__name__)


def _kind(d):
    entry = _kinds.get(id(d))
    if entry is None or entry[0] is not d:
        fast = d.isnative and d.fields is None and d.subdtype is None and d.kind in _FAST_KINDS
        entry = (d, ord(d.kind) if fast else 0, d.itemsize)
        if len(_kinds) < 1024:      # the builtin dtypes are a handful of objects; others are not kept forever
            _kinds[id(d)] = entry
    return entry


def _import(array, interpretation, axes):
    """A view over array by rule 1 (interpretation -1, no axes), rule 2 or rule 3; the fast call when it can."""
    _check_ndarray(array)
    _, kind, itemsize = _kind(_dtype_of(array))
    if kind and _native.FAST_IMPORT:
        b = _native.buffers()
        axis_count = -1
        if axes is not None:
            axis_count = len(axes)
            b.i32[0:axis_count] = axes
        if _base_of(array) is None:
            # The fast call reads the array's own memory bounds from its struct.
            handle = _native.import_array(array, kind, itemsize, 2, 0, 0, interpretation, axis_count, b.i32)
        else:
            start, length = _bounds(array, None)
            handle = _native.import_array(array, kind, itemsize, 0 if start is None else 1, start or 0, length,
                                          interpretation, axis_count, b.i32)
        if handle > 0:
            return ImageView._from_handle(handle)
        if handle == 0:
            raise _native.error()
    # The pythonnet path: element types the fast call does not take, and the messages that refuse them.
    return _import_slow(array, interpretation, axes)


@translate
def _import_slow(array, interpretation, axes):
    if axes is not None:
        return ImageView(netpy.PythonMemory.ImportOrdered(array, _dimensions([ImageDimension(d) for d in axes], "axes")))
    if interpretation < 0:
        return ImageView(netpy.PythonMemory.Import(array))
    return ImageView(netpy.PythonMemory.Import(array, net.ImageTypeId(interpretation)))


class NumpyInterop:
    """Zero-copy conversions between numpy.ndarray and ImageView; each side keeps the other's memory alive."""

    @staticmethod
    def from_numpy_array(array, image_type=None):
        """
        A view over the array's memory. Without image_type the view's dimensions are the array's axes as they are
        (UNKNOWN axes); with an ImageTypeId the axes are read in NumPy order (T, Z, Y, X, C) and the view gets
        canonical order, one more packed axis of length 2 to 4 becoming vector components.
        """
        interpretation = -1 if image_type is None else _enum_int(image_type, ImageTypeId, "image_type")
        return _import(array, interpretation, None)

    @staticmethod
    def order_from_numpy_array(array, axes):
        """A view over the array's memory, axes naming each array axis (ImageDimension members) in the array's order."""
        _check_ndarray(array)
        return _import(array, -1, _dimension_ints(axes, "axes"))

    @staticmethod
    def to_numpy_array(view):
        """An array over the view's memory, axes in (T, Z, Y, X, C) order (view order when UNKNOWN), then vector components."""
        return _export(view, None)

    @staticmethod
    def order_to_numpy_array(view, order):
        """An array over the view's memory whose axes follow order, a list of the view's dimensions (CHANNEL for components)."""
        return _export(view, _dimension_ints(order, "order"))


def _export(view, order):
    if _bridge_export is None:
        _load_numpy()
    b = _native.buffers()
    r = b.result
    if type(view) is ImageView or isinstance(view, ImageView):
        status = _export_into(view._handle(), order, b, r)
    elif isinstance(view, net.ImageView):
        handle = _new_handle(view)
        try:
            status = _export_into(handle, order, b, r)
        finally:
            _native.release(handle, 0)
    else:
        raise TypeError("expected an iolink.ImageView, not %s" % type(view).__name__)
    if status < 0:
        raise _native.error()
    return _array_of(r, r.rank)


def _array_of(r, n):
    # An array over an export's memory. Its base releases the lease (a hold on the view's memory) when NumPy drops
    # the last array using it.
    if _bridge_export is None:
        _load_numpy()
    return _bridge_export(r.address, bool(r.readonly), tuple(r.lengths[:n]), tuple(r.strides[:n]),
                          _native.typestr(r.typestr), _native.release_lease, r.lease)


def _export_into(handle, order, b, r):
    if order is None:
        return _native.export(handle, -1, None, r)
    b.i32[0:len(order)] = order
    return _native.export(handle, len(order), b.i32, r)
