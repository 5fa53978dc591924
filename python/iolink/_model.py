"""IOLink's data model for Python: vectors, regions, enumerations, data types, image views and their factory."""

import ctypes
import enum

from . import _native
from ._dotnet import System, enum_kind_error, enum_members, net, net_enum, netpy, python_error, translate

__all__ = [
    "VectorXu64", "RegionXu64", "DataTypeId", "DataType", "PrimitiveTypeId", "DataTypeInterpretation",
    "ImageTypeId", "ImageDimension", "ImageAxes", "ImageCapability", "ImageInterpretation", "ImageView",
    "ImageViewFactory",
]

class _Enum(enum.IntEnum):
    """An IOLink enumeration: an int that prints as its IOLink name (UINT16, COLUMN)."""

    def __str__(self):
        return self.name


class _Flags(enum.IntFlag):
    """An IOLink flag set: an int that prints as its names joined by | (READ|WRITE)."""

    def __str__(self):
        return self.name or "NONE"


# Enumerations mirror the .NET ones member for member, as Python enums (values are the .NET values).
DataTypeId = _Enum("DataTypeId", enum_members(net.DataTypeId), module=__name__)
PrimitiveTypeId = _Enum("PrimitiveTypeId", enum_members(net.PrimitiveTypeId), module=__name__)
DataTypeInterpretation = _Enum("DataTypeInterpretation", enum_members(net.DataTypeInterpretation), module=__name__)
ImageTypeId = _Enum("ImageTypeId", enum_members(net.ImageTypeId), module=__name__)
ImageDimension = _Enum("ImageDimension", enum_members(net.ImageDimension), module=__name__)
ImageInterpretation = _Enum("ImageInterpretation", enum_members(net.ImageInterpretation), module=__name__)
ImageCapability = _Flags("ImageCapability", enum_members(net.ImageCapability), module=__name__)
ImageAxes = ImageDimension
"""IOLink Python 1.11's name for ImageDimension: the same enumeration."""


def _dimensions(dims, what):
    if isinstance(dims, (str, bytes)) or not hasattr(dims, "__iter__"):
        raise TypeError("%s must be a list of ImageDimension members, not %s" % (what, type(dims).__name__))
    items = [net_enum(net.ImageDimension, d, ImageDimension, what + " items") for d in dims]
    return System.Array[net.ImageDimension](items)


def _enum_int(value, py_enum, what):
    """A Python enum member (or int) as the int the fast calls take, refusing other kinds with TypeError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise enum_kind_error(what, py_enum, value)
    return int(value)


def _dimension_ints(dims, what):
    """A list of ImageDimension members as ints for the fast calls: at most one per array axis."""
    if isinstance(dims, (str, bytes)) or not hasattr(dims, "__iter__"):
        raise TypeError("%s must be a list of ImageDimension members, not %s" % (what, type(dims).__name__))
    values = [_enum_int(d, ImageDimension, what + " items") for d in dims]
    if len(values) > _native.MAX_RANK:
        raise ValueError("%s names %d dimensions; an array or tensor has at most %d axes, one per view dimension "
                         "and one for vector components" % (what, len(values), _native.MAX_RANK))
    return values


def _image_type(value):
    return net.ImageType.FromId(net_enum(net.ImageTypeId, value, ImageTypeId, "image_type"))


class VectorXu64:
    """An immutable vector of unsigned integers (shapes, indices, region origins and sizes), printed VectorXu64(2, 3)."""

    __slots__ = ("_values",)

    def __init__(self, *values):
        if len(values) == 1 and not isinstance(values[0], int):
            values = tuple(values[0])
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError("VectorXu64 values must be integers, not %s" % type(v).__name__)
            if v < 0 or v >= 1 << 64:
                raise ValueError("VectorXu64 value %d is outside 0 .. 2**64-1" % v)
        self._values = tuple(int(v) for v in values)

    @classmethod
    def _from_tuple(cls, values):
        v = cls.__new__(cls)
        v._values = values
        return v

    def _to_net(self):
        return net.VectorXu64(System.Array[System.UInt64](self._values))

    def size(self):
        """The number of values."""
        return len(self._values)

    def __len__(self):
        return len(self._values)

    def __getitem__(self, index):
        return self._values[index]

    def __iter__(self):
        return iter(self._values)

    def __eq__(self, other):
        if isinstance(other, VectorXu64):
            return self._values == other._values
        if isinstance(other, (tuple, list)):
            return self._values == tuple(other)
        return NotImplemented

    def __hash__(self):
        return hash(self._values)

    def __repr__(self):
        return "VectorXu64(%s)" % ", ".join(str(v) for v in self._values)

    __str__ = __repr__


def _vector(value, what):
    if isinstance(value, VectorXu64):
        return value._to_net()
    if isinstance(value, net.VectorXu64):
        return value
    try:
        return VectorXu64(value)._to_net()
    except TypeError:
        raise TypeError("%s must be a VectorXu64 or a tuple of integers, not %s" % (what, type(value).__name__)) from None


class RegionXu64:
    """An axis-aligned region: an origin and a size, both VectorXu64, in elements."""

    __slots__ = ("origin", "size")

    def __init__(self, origin, size):
        self.origin = origin if isinstance(origin, VectorXu64) else VectorXu64(origin)
        self.size = size if isinstance(size, VectorXu64) else VectorXu64(size)
        if len(self.origin) != len(self.size):
            raise ValueError("origin %s and size %s have different lengths" % (self.origin, self.size))

    @staticmethod
    def create_full_region(shape):
        """The region covering all of shape."""
        shape = shape if isinstance(shape, VectorXu64) else VectorXu64(shape)
        return RegionXu64(VectorXu64([0] * len(shape)), shape)

    def element_count(self):
        """The number of elements in the region."""
        n = 1
        for s in self.size:
            n *= s
        return n

    def _to_net(self):
        return net.RegionXu64(self.origin._to_net(), self.size._to_net())

    def __eq__(self, other):
        if not isinstance(other, RegionXu64):
            return NotImplemented
        return self.origin == other.origin and self.size == other.size

    def __hash__(self):
        return hash((self.origin, self.size))

    def __repr__(self):
        return "RegionXu64(origin=%s, size=%s)" % (self.origin, self.size)


class DataType:
    """What one element is; compares equal to its DataTypeId and prints as its name (UINT16, VEC3_UINT16)."""

    __slots__ = ("_net",)

    def __init__(self, value):
        if isinstance(value, DataType):
            self._net = value._net
        elif isinstance(value, net.DataType):
            self._net = value
        else:
            self._net = net.DataType.FromId(net_enum(net.DataTypeId, value, DataTypeId, "data_type"))

    @property
    def id(self):
        """The named DataTypeId (or the packed integer when the type has no name)."""
        raw = int(self._net.Id)
        try:
            return DataTypeId(raw)
        except ValueError:
            return raw

    @property
    def dimension(self):
        """The number of components of one element."""
        return int(self._net.Dimension)

    @property
    def bit_depth(self):
        """The bit depth of one component."""
        return int(self._net.BitDepth)

    @property
    def byte_count(self):
        """The size of one element in bytes."""
        return int(self._net.ByteCount)

    def __eq__(self, other):
        if isinstance(other, DataType):
            return int(self._net.Id) == int(other._net.Id)
        if isinstance(other, int) and not isinstance(other, bool):
            return int(self._net.Id) == int(other)
        return NotImplemented

    def __hash__(self):
        return hash(int(self._net.Id))

    def __str__(self):
        return str(self._net.ToString())

    def __repr__(self):
        return "DataType(%s)" % self


def _data_type(value):
    return DataType(value)._net


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


class ImageView:
    """
    An N-dimensional array of elements with a shape, a data type, capabilities and properties: a handle on a
    .NET IOLink.ImageView (available as .net). The handle owns one reference to the view's data and releases it
    when the handle is disposed, used as a context manager, or collected. With MEMORY_ACCESS, numpy.asarray(view)
    is an array over the same memory (axes in NumPy order, as NumpyInterop.to_numpy_array).
    """

    # _h: the view's number in .NET's handle table (the fast calls' name for it), 0 until needed or once disposed;
    # _n: the pythonnet wrapper, made on first use; _leases: the holds taken by __array_interface__, released
    # when this object dies (NumPy's arrays from the protocol keep this object as their base); _array: the array
    # behind __buffer__, made once (it holds the view's memory as __array_interface__'s leases do).
    __slots__ = ("_h", "_n", "_leases", "_array", "__weakref__")

    def __init__(self, net_view):
        if not isinstance(net_view, net.ImageView):
            raise TypeError("ImageView wraps an IOLink.ImageView; make views with ImageViewFactory or NumpyInterop")
        self._n = net_view
        self._h = 0
        self._leases = None
        self._array = None

    @classmethod
    def _from_handle(cls, handle):
        view = cls.__new__(cls)
        view._h = handle
        view._n = None
        view._leases = None
        view._array = None
        return view

    @property
    def _net(self):
        n = self._n
        if n is None:
            h = self._h
            if not h:
                raise ValueError("The image view has been disposed.")
            n = self._n = _view_of_handle(h)
        return n

    def _handle(self):
        h = self._h
        if not h:
            n = self._n
            if n is None:
                raise ValueError("The image view has been disposed.")
            h = self._h = _new_handle(n)
        return h

    @property
    def net(self):
        """The .NET IOLink.ImageView behind this handle."""
        return self._net

    def shape(self):
        """The size of each dimension, as VectorXu64."""
        b = _native.buffers()
        n = _native.shape(self._handle(), b.u64, _native.MAX_DIMENSIONS)
        if n < 0:
            raise _native.error()
        return VectorXu64._from_tuple(tuple(b.u64[:n]))

    def data_type(self):
        """What one element is."""
        return DataType(self._net.DataType)

    def dimension_count(self):
        """The number of dimensions."""
        return int(self._net.DimensionCount)

    def capabilities(self):
        """What the view can do (NONE once disposed)."""
        if self._n is None and not self._h:
            return ImageCapability(0)
        return ImageCapability(int(self._net.Capabilities))

    def support(self, capability):
        """Whether the view has every capability in capability."""
        return (self.capabilities() & ImageCapability(int(capability))) == ImageCapability(int(capability))

    def axes_interpretation(self):
        """Which dimensions the view has, as an ImageTypeId (UNKNOWN when they have no meaning, or no name)."""
        return ImageTypeId(int(self._net.AxesInterpretation.Id))

    def axes(self):
        """The view's dimensions in canonical order, empty when UNKNOWN."""
        return tuple(ImageDimension(int(d)) for d in self._net.AxesInterpretation.Dimensions)

    def image_interpretation(self):
        """What the values mean (GRAYSCALE, BINARY, ...)."""
        return ImageInterpretation(int(self._net.ImageInterpretation))

    def read_region(self, region, out=None):
        """
        The elements of region, dense in canonical order (first dimension fastest): a new bytearray, or written into
        out (any writable, C-contiguous buffer of exactly the region's byte count, such as a NumPy array) and out
        returned. A shaped out must have the region's shape in NumPy order and, unless it is raw bytes, the view's
        item type (ValueError, TypeError otherwise). Other Python threads run while .NET copies.
        """
        if not isinstance(region, RegionXu64):
            raise TypeError("region must be a RegionXu64, not %s" % type(region).__name__)
        h = self._handle()
        if out is not None:
            b = _native.buffers()
            status = _native.copy_region(h, _region_arguments(region, b), b.u64, out, 0)
            if status == 0:
                return out
            if status != _native.NEEDS_CHECK:
                raise _native.error()
        element = _native.element(h)
        n = region.element_count() * element[4]
        if out is None:
            result = bytearray(n)
            m, address = _buffer_address(result, writable=True)
        else:
            result = out
            typed = memoryview(out)
            try:
                _check_region_buffer(self, element, region, typed.format, typed.shape, "out")
                m, address = _byte_address(typed, writable=True)
            except Exception:
                typed.release()
                raise
            if m.nbytes != n:
                got = m.nbytes
                m.release()
                raise ValueError("out has %d bytes and the region %d; pass a buffer of exactly the region's size" % (got, n))
        with m:
            b = _native.buffers()
            rank = _region_arguments(region, b)
            # The GIL is released while .NET copies (a CFUNCTYPE call).
            status = _native.read_region(h, rank, b.u64, address, n)
        if status < 0:
            raise _native.error()
        return result

    def write_region(self, region, buffer):
        """Writes region from buffer (any bytes-like object), dense in canonical order; a NumPy array must have the
        view's item type (TypeError otherwise: its bits are never reinterpreted) and the region's shape in NumPy order."""
        if not isinstance(region, RegionXu64):
            raise TypeError("region must be a RegionXu64, not %s" % type(region).__name__)
        h = self._handle()
        b = _native.buffers()
        status = _native.copy_region(h, _region_arguments(region, b), b.u64, buffer, 1)
        if status == 0:
            return
        if status != _native.NEEDS_CHECK:
            raise _native.error()
        typed = memoryview(buffer)
        try:
            _check_region_buffer(self, _native.element(h), region, typed.format, typed.shape, "buffer")
            m, address = _byte_address(typed, writable=False)
        except Exception:
            typed.release()
            raise
        with m:
            b = _native.buffers()
            rank = _region_arguments(region, b)
            status = _native.write_region(h, rank, b.u64, address, m.nbytes)
        if status < 0:
            raise _native.error()

    @property
    def __array_interface__(self):
        """NumPy's array interface over the view's memory (rules 6 and 7): numpy.asarray(view) shares it."""
        b = _native.buffers()
        r = b.result
        if _native.export(self._handle(), -1, None, r) < 0:
            raise _native.error()
        leases = self._leases
        if leases is None:
            leases = self._leases = {}
        # One hold per block of memory is enough for every array made from this object: a repeated export of the
        # same memory gives its new hold back at once.
        if r.address in leases:
            _native.release(r.lease, 1)
        else:
            leases[r.address] = r.lease
        n = r.rank
        return {"version": 3, "data": (r.address, bool(r.readonly)), "shape": tuple(r.lengths[:n]),
                "strides": tuple(r.strides[:n]), "typestr": _native.typestr(r.typestr)}

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        """A DLPack capsule over the view's memory (torch.from_dlpack(view), numpy.from_dlpack(view)), axes by rules 6 and 7."""
        return _dlpack_export(self, stream, max_version, dl_device, copy)

    def __dlpack_device__(self):
        """(kDLCPU, 0): a view's memory is host memory."""
        return (1, 0)

    def __buffer__(self, flags):
        # Python 3.12+ (PEP 688): memoryview(view) over the same memory, where NumPy can express the layout. It is
        # also what numpy.asarray(view) tries first there, so it must be fast and must not ask NumPy for an array
        # of this object (NumPy would call this method again, about a thousand times deep, before falling back).
        # The array behind it is made once and kept while the view's memory and layout stay what they were (a view
        # with RESHAPE can change both).
        b = _native.buffers()
        r = b.result
        if _native.export(self._handle(), -1, None, r) < 0:
            raise _native.error()
        n = r.rank
        layout = (r.address, r.readonly, r.typestr, tuple(r.lengths[:n]), tuple(r.strides[:n]))
        kept = self._array
        if kept is not None and kept[0] == layout:
            _native.release_lease(r.lease)
            return memoryview(kept[1])
        array = _numpy_array(r, n)
        self._array = (layout, array)
        return memoryview(array)

    def dispose(self):
        """Releases this handle's hold on the view's data; arrays exported from it stay valid."""
        self._array = None
        h = self._h
        if h:
            self._h = 0
            if _native.release(h, 1) < 0:
                raise _native.error()
        elif self._n is not None:
            self._n.Dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.dispose()

    def __del__(self):
        try:
            self.dispose()
        except Exception:
            pass
        leases = self._leases
        if leases:
            self._leases = None
            for lease in leases.values():
                _native.release_lease(lease)

    def __repr__(self):
        if self._n is None and not self._h:
            return "ImageView(disposed)"
        return str(self._net.ToString())


def _numpy_array(r, n):
    # iolink._numpy imports this module: the bridge is bound on first use.
    global _numpy_array
    from ._numpy import _array_of

    _numpy_array = _array_of
    return _array_of(r, n)


def _dlpack_export(view, stream, max_version, dl_device, copy):
    # iolink._dlpack imports this module: it is bound on first use.
    global _dlpack_export
    from ._dlpack import dlpack
    _dlpack_export = dlpack
    return dlpack(view, stream, max_version, dl_device, copy)


def _region_arguments(region, b):
    rank = len(region.origin)
    if rank > _native.MAX_DIMENSIONS:
        raise ValueError("a region has at most %d dimensions, not %d" % (_native.MAX_DIMENSIONS, rank))
    b.u64[0:rank] = region.origin._values
    b.u64[rank:2 * rank] = region.size._values
    return rank


def _view_of_handle(handle):
    try:
        return netpy.PythonEntryPoints.View(handle)
    except System.Exception as e:
        raise python_error(e) from None


def _new_handle(net_view):
    try:
        return int(netpy.PythonEntryPoints.NewHandle(net_view))
    except System.Exception as e:
        raise python_error(e) from None


def _net_view(view):
    if isinstance(view, ImageView):
        return view._net
    if isinstance(view, net.ImageView):
        return view
    raise TypeError("expected an iolink.ImageView, not %s" % type(view).__name__)


class ImageViewFactory:
    """Makes image views: allocated in memory, or derived from another view without copying."""

    @staticmethod
    @translate
    def allocate(shape, data_type):
        """A new zeroed view in memory; shape is a tuple or VectorXu64, data_type a DataTypeId."""
        return ImageView(net.ImageViewFactory.Allocate(_vector(shape, "shape"), _data_type(data_type), None, None))

    @staticmethod
    @translate
    def reinterpret(view, image_type):
        """The same data with a new axes interpretation (an ImageTypeId)."""
        return ImageView(net.ImageViewFactory.Reinterpret(_net_view(view), _image_type(image_type)))

    @staticmethod
    @translate
    def reinterpret_axes(view, dims):
        """The same data with its dimensions named in view order, reordered to canonical order through strides."""
        return ImageView(net.ImageViewFactory.ReinterpretAxes(_net_view(view), _dimensions(dims, "dims")))

    @staticmethod
    @translate
    def extract_region(view, region):
        """A view of region of view, sharing its data."""
        if not isinstance(region, RegionXu64):
            raise TypeError("region must be a RegionXu64, not %s" % type(region).__name__)
        return ImageView(net.ImageViewFactory.ExtractRegion(_net_view(view), region._to_net()))

    @staticmethod
    @translate
    def copy_in_memory(view):
        """A dense copy in memory, in canonical order: the explicit copy for views without MEMORY_ACCESS."""
        return ImageView(netpy.PythonMemory.CopyInMemory(_net_view(view)))

    @staticmethod
    @translate
    def make_read_only(view):
        """The same data without WRITE."""
        return ImageView(net.ImageViewFactory.MakeReadOnly(_net_view(view)))

    @staticmethod
    @translate
    def flip_dimension(view, dim):
        """The same data with dimension dim (an ImageDimension) reversed, through a negative stride."""
        return ImageView(net.ImageViewFactory.FlipDimension(_net_view(view), net_enum(net.ImageDimension, dim, ImageDimension, "dim")))

    @staticmethod
    @translate
    def uniform(shape, data_type, value):
        """
        A READ-only view whose every element is value; it has no memory behind it. value is a number (an int, a
        float, a complex for complex types), a tuple or list of numbers for vector types (one per component), or
        the bytes of one element.
        """
        net_type = _data_type(data_type)
        element = _element_bytes(value, net_type)
        data = System.Array[System.Byte](element)
        return ImageView(netpy.PythonMemory.Uniform(_vector(shape, "shape"), net_type, data))
