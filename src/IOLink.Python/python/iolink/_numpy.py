"""NumPy arrays and image views over the same memory, following the NumPy rules (IOLINK.md section 3)."""

from ._dotnet import net, net_enum, netpy, translate
from ._model import ImageTypeId, ImageView, _dimensions, _net_view

__all__ = ["NumpyInterop"]


def _ndarray(array):
    import numpy
    # type(), not isinstance(): an object can claim any __class__.
    if not issubclass(type(array), numpy.ndarray):
        raise TypeError("expected a numpy.ndarray, not %s; convert it first with numpy.asarray" % type(array).__name__)
    return array


class NumpyInterop:
    """Zero-copy conversions between numpy.ndarray and ImageView; each side keeps the other's memory alive."""

    @staticmethod
    @translate
    def from_numpy_array(array, image_type=None):
        """
        A view over the array's memory. Without image_type the view's dimensions are the array's axes as they are
        (UNKNOWN axes); with an ImageTypeId the axes are read in NumPy order (T, Z, Y, X, C) and the view gets
        canonical order, one more packed axis of length 2 to 4 becoming vector components.
        """
        array = _ndarray(array)
        if image_type is None:
            return ImageView(netpy.PythonMemory.Import(array))
        type_id = net_enum(net.ImageTypeId, image_type, ImageTypeId, "image_type")
        return ImageView(netpy.PythonMemory.Import(array, type_id))

    @staticmethod
    @translate
    def order_from_numpy_array(array, axes):
        """A view over the array's memory, axes naming each array axis (ImageDimension members) in the array's order."""
        array = _ndarray(array)
        return ImageView(netpy.PythonMemory.ImportOrdered(array, _dimensions(axes, "axes")))

    @staticmethod
    @translate
    def to_numpy_array(view):
        """An array over the view's memory, axes in (T, Z, Y, X, C) order (view order when UNKNOWN), then vector components."""
        return _export(_net_view(view), None)

    @staticmethod
    @translate
    def order_to_numpy_array(view, order):
        """An array over the view's memory whose axes follow order, a list of the view's dimensions (CHANNEL for components)."""
        return _export(_net_view(view), _dimensions(order, "order"))


def _export(view, order):
    # .NET appends the array to a list rather than returning it, so no .NET wrapper keeps the array (and the
    # view's memory) alive after Python drops it.
    box = []
    netpy.PythonMemory.ExportInto(view, order, box)
    return box.pop()
