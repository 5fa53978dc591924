"""IOLink's value types for Python: the enumerations, VectorXu64, RegionXu64 and DataType."""

import enum

from . import _native
from ._dotnet import System, enum_kind_error, enum_members, net, net_enum


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
