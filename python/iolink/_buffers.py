"""Python buffers given to region reads and writes: their item types, shapes and addresses, checked against the view."""

import ctypes

from . import _native
from ._types import PrimitiveTypeId, DataTypeInterpretation


_STRUCT_CODES = {"UNSIGNED_INTEGER": {1: "B", 2: "H", 4: "I", 8: "Q"}, "SIGNED_INTEGER": {1: "b", 2: "h", 4: "i", 8: "q"},
                 "FLOATING_POINT": {2: "e", 4: "f", 8: "d"}}


def _element_bytes(value, net_type):
    """One element of net_type holding value (a number, numbers per component, or the element's bytes), in this machine's byte order."""
    import struct
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(memoryview(value).cast("B"))
    components = int(net_type.Dimension)
    complex_type = str(net_type.Interpretation) == "COMPLEX"
    if isinstance(value, (tuple, list)):
        numbers = list(value)
    elif isinstance(value, complex) or (complex_type and isinstance(value, (int, float))):
        numbers = [complex(value).real, complex(value).imag]
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if components != 1:
            raise ValueError("value %r is one number, but a %s element has %d components: give a tuple of %d numbers"
                             % (value, net_type, components, components))
        numbers = [value]
    else:
        raise TypeError("value must be a number, a tuple of numbers or the bytes of one element, not %s" % type(value).__name__)
    if len(numbers) != components:
        raise ValueError("value has %d numbers, but a %s element has %d components" % (len(numbers), net_type, components))
    code = _STRUCT_CODES[str(net_type.PrimitiveType)][int(net_type.ComponentByteCount)]
    try:
        return struct.pack("=" + code * components, *numbers)
    except struct.error as e:
        raise ValueError("value %r does not fit a %s element (%s)" % (value, net_type, e)) from None


_RAW_FORMATS = ("B", "b", "c", "@B", "=B", "<B", ">B")


_ITEM_KINDS = {1: "u", 2: "i"}         # PrimitiveTypeId -> NumPy kind (floating point otherwise)
_COMPLEX = 1                            # DataTypeInterpretation.COMPLEX
_item_types = {}                        # buffer format -> NumPy dtype (None: not a NumPy type)


def _item_type(fmt):
    try:
        return _item_types[fmt]
    except KeyError:
        pass
    import numpy
    try:
        item = numpy.dtype(fmt)
    except TypeError:
        item = None
    if len(_item_types) < 256:
        _item_types[fmt] = item
    return item


def _check_region_buffer(view, element, region, fmt, shape, what):
    """
    Refuses a buffer whose shape or item type is not the region's: a buffer with items of another type would be
    reinterpreted bit for bit (a float32 array written into a UINT16 view), and one of the right byte count in another
    shape read in the wrong order. Raw bytes and flat (1-D) buffers pass; a shaped one must be the region in NumPy
    order (last dimension first, vector components last; axes of length 1 may be left out). element is
    _native.element(view's handle): it runs with the GIL held before every region copy, so it reads nothing
    through pythonnet.
    """
    _, primitive, bits, components, byte_count, interpretation, _ = element
    if fmt not in _RAW_FORMATS:
        item = _item_type(fmt)
        kind = _ITEM_KINDS.get(primitive, "f")
        if interpretation == _COMPLEX:
            kind, size = "c", byte_count
        else:
            size = bits // 8
        fits = item is not None and item.isnative and item.itemsize == size and (
            item.kind == kind or (kind == "u" and size == 1 and item.kind == "b"))
        if not fits:
            name = item.name if item is not None and item.isnative else "%r" % fmt
            raise TypeError("%s holds %s items but the view's are %s (%s%d); pass a buffer of that type, or raw bytes"
                            % (what, name, view.data_type(), kind, size * 8))
    if len(shape) > 1:
        sizes = region.size._values
        expected = tuple(reversed(sizes)) + ((components,) if components > 1 else ())
        # Axes of length 1 may be left out or added (a plane read into a 2-D array), never reordered.
        if tuple(n for n in shape if n != 1) != tuple(n for n in expected if n != 1):
            raise ValueError("%s has shape %s but the region %s is %s in NumPy order (last dimension first); pass a "
                             "buffer of that shape, or a flat one" % (what, tuple(shape), "x".join(map(str, sizes)), expected))


def _buffer_address(buffer, writable):
    """A byte memoryview of buffer and its address; the memoryview must stay alive while the address is used."""
    return _byte_address(memoryview(buffer), writable)


def _byte_address(m, writable):
    if not m.c_contiguous:
        raise ValueError("the buffer must be C-contiguous")
    if m.ndim != 1 or m.format != "B":
        m = m.cast("B")
    if m.nbytes == 0:
        return m, 0
    if m.readonly:
        if writable:
            raise TypeError("the buffer is read-only; pass a writable buffer such as a bytearray")
        import numpy
        return m, numpy.frombuffer(m, dtype=numpy.uint8).__array_interface__["data"][0]
    c = ctypes.c_char.from_buffer(m)
    address = ctypes.addressof(c)
    del c
    return m, address
