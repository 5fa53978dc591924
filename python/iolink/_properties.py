"""What a view's dimensions and values mean (ImageProperties) and the tree of named values it carries (MetadataNode)."""

from ._dotnet import System, net, net_enum, translate
from ._types import ImageInterpretation, ImageTypeId, _image_type

__all__ = ["ImageProperties", "MetadataNode"]


def _numbers(value, count, what):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError("%s must be %d numbers, not %s" % (what, count, type(value).__name__))
    items = [float(v) for v in value]
    if len(items) != count:
        raise ValueError("%s must be %d numbers, not %d" % (what, count, len(items)))
    return System.Array[System.Double](items)


class ImageProperties:
    """
    What a view's dimensions and values mean: axes interpretation, image interpretation, alpha, bit depth, value
    range and spatial calibration (origin, spacing and directions in (X, Y, Z), and a unit). view.properties() is the
    view's own: setting an attribute changes the view. ImageProperties() makes free-standing ones for
    ImageViewFactory.allocate and from_image_view, which take a copy.
    """

    __slots__ = ("_n",)

    def __init__(self, axes_interpretation=None):
        if isinstance(axes_interpretation, net.ImageProperties):
            self._n = axes_interpretation
        elif axes_interpretation is None:
            self._n = net.ImageProperties()
        else:
            self._n = net.ImageProperties(_image_type(axes_interpretation))

    @property
    def net(self):
        """The .NET IOLink.ImageProperties behind this object."""
        return self._n

    @property
    def axes_interpretation(self):
        """Which dimensions the view has (an ImageTypeId; UNKNOWN when they have no names, or no IOLink name)."""
        return ImageTypeId(int(self._n.AxesInterpretation.Id))

    @axes_interpretation.setter
    @translate
    def axes_interpretation(self, value):
        self._n.AxesInterpretation = _image_type(value)

    @property
    def image_interpretation(self):
        """What the values mean (GRAYSCALE, LABEL, BINARY, RGB, ...)."""
        return ImageInterpretation(int(self._n.ImageInterpretation))

    @image_interpretation.setter
    def image_interpretation(self, value):
        self._n.ImageInterpretation = net_enum(net.ImageInterpretation, value, ImageInterpretation, "image_interpretation")

    @property
    def has_alpha(self):
        """Whether the last component of each element is alpha."""
        return bool(self._n.HasAlpha)

    @has_alpha.setter
    def has_alpha(self, value):
        self._n.HasAlpha = bool(value)

    @property
    def bit_depth(self):
        """The significant bits per component; 0 means all of them."""
        return int(self._n.BitDepth)

    @bit_depth.setter
    def bit_depth(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 64:
            raise ValueError("bit_depth must be an int from 0 (all bits) to 64, not %r" % (value,))
        self._n.BitDepth = System.UInt32(value)

    @property
    def value_range(self):
        """The range the values are expected in, as (min, max), or None when unknown."""
        r = self._n.ValueRange
        return None if r is None else (float(r.Item1), float(r.Item2))

    @value_range.setter
    def value_range(self, value):
        if value is None:
            self._n.ValueRange = None
            return
        low, high = (float(v) for v in value)
        self._n.ValueRange = System.ValueTuple.Create(System.Double(low), System.Double(high))

    @property
    def spatial_origin(self):
        """The first element's center in spatial_unit, as (x, y, z)."""
        return tuple(float(v) for v in self._n.SpatialOrigin)

    @spatial_origin.setter
    @translate
    def spatial_origin(self, value):
        self._n.SpatialOrigin = _numbers(value, 3, "spatial_origin")

    @property
    def spatial_spacing(self):
        """The distance between element centers along X, Y and Z, in spatial_unit."""
        return tuple(float(v) for v in self._n.SpatialSpacing)

    @spatial_spacing.setter
    @translate
    def spatial_spacing(self, value):
        self._n.SpatialSpacing = _numbers(value, 3, "spatial_spacing")

    @property
    def spatial_directions(self):
        """The X, Y and Z axis directions, 9 numbers (three unit vectors)."""
        return tuple(float(v) for v in self._n.SpatialDirections)

    @spatial_directions.setter
    @translate
    def spatial_directions(self, value):
        self._n.SpatialDirections = _numbers(value, 9, "spatial_directions")

    @property
    def spatial_unit(self):
        """The unit of origin and spacing ("mm", "um", ...); empty when unknown."""
        return str(self._n.SpatialUnit)

    @spatial_unit.setter
    def spatial_unit(self, value):
        if not isinstance(value, str):
            raise TypeError("spatial_unit must be a str, not %s" % type(value).__name__)
        self._n.SpatialUnit = value

    def clone(self):
        """A free-standing copy."""
        return ImageProperties(self._n.Clone())

    def __repr__(self):
        return str(self._n.ToString())


def _net_value(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return System.Boolean(value)
    if isinstance(value, int):
        return System.Int64(value)
    if isinstance(value, float):
        return System.Double(value)
    raise TypeError("a metadata value is a str, int, float, bool or None, not %s" % type(value).__name__)


def _py_value(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


class MetadataNode:
    """
    A named value with named children: the tree of metadata a view carries (view.metadata() is the view's own).
    Values are str, int, float, bool or None.

        view.metadata().add("scanner", "lab 3")
        view.metadata().find("scanner").value        # 'lab 3'
    """

    __slots__ = ("_n",)

    def __init__(self, name, value=None):
        if isinstance(name, net.MetadataNode):
            self._n = name
            return
        if not isinstance(name, str):
            raise TypeError("name must be a str, not %s" % type(name).__name__)
        self._n = translate(net.MetadataNode)(name, _net_value(value))

    @property
    def net(self):
        """The .NET IOLink.MetadataNode behind this object."""
        return self._n

    @property
    def name(self):
        return str(self._n.Name)

    @property
    def value(self):
        return _py_value(self._n.Value)

    @value.setter
    def value(self, value):
        self._n.Value = _net_value(value)

    @property
    def children(self):
        """The child nodes, in the order they were added."""
        return tuple(MetadataNode(c) for c in self._n.Children)

    @translate
    def add(self, name, value=None):
        """Adds a child (a MetadataNode, or a name and value) and returns it."""
        if isinstance(name, MetadataNode):
            return MetadataNode(self._n.Add(name._n))
        if not isinstance(name, str):
            raise TypeError("name must be a str or a MetadataNode, not %s" % type(name).__name__)
        return MetadataNode(self._n.Add(name, _net_value(value)))

    @translate
    def find(self, path):
        """The descendant at path (names joined by '/'), or None."""
        found = self._n.Find(path)
        return None if found is None else MetadataNode(found)

    def clone(self):
        """A free-standing deep copy."""
        return MetadataNode(self._n.Clone())

    def __repr__(self):
        return str(self._n.ToString())
