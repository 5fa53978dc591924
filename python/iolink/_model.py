"""IOLink's data model for Python: image views and their factory (the value types are in _types, buffer checks in _buffers)."""


from . import _native
from ._dotnet import System, net, net_enum, netpy, python_error, translate
from ._buffers import _buffer_address, _byte_address, _check_region_buffer, _element_bytes  # noqa: F401 (re-exported)
from ._types import (DataType, DataTypeId, DataTypeInterpretation, ImageAxes, ImageCapability, ImageDimension, ImageInterpretation, ImageTypeId, PrimitiveTypeId, RegionXu64, VectorXu64, _data_type, _dimension_ints, _dimensions, _enum_int, _image_type, _vector)  # noqa: F401

__all__ = [
    "VectorXu64", "RegionXu64", "DataTypeId", "DataType", "PrimitiveTypeId", "DataTypeInterpretation",
    "ImageTypeId", "ImageDimension", "ImageAxes", "ImageCapability", "ImageInterpretation", "ImageView",
    "ImageViewFactory",
]


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

    def properties(self):
        """The view's ImageProperties (axes, value meaning, spatial calibration): the view's own, changed by setting them."""
        from ._properties import ImageProperties
        return ImageProperties(self._net.Properties)

    def metadata(self):
        """The view's MetadataNode tree (the view's own: nodes added to it stay with the view)."""
        from ._properties import MetadataNode
        return MetadataNode(self._net.Metadata)

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

    @property
    def np_shape(self):
        """The view's shape as NumPy sees it (rules 6 and 7: (T, Z, Y, X) for known axes, the view's order when UNKNOWN,
        a vector's components last): what numpy.asarray(view) and view[...] have, so numpy.empty(v.np_shape, v.np_dtype)
        holds the whole view. IOLink's own shape() stays in the view's order."""
        return self._numpy_axes()[0]

    @property
    def np_dtype(self):
        """The NumPy dtype of one array item (a vector's component type): with np_shape, what numpy.asarray(view) is."""
        import numpy
        return numpy.dtype(str(net.Interop.NumpyDataTypes.TypeString(self._net.DataType)))

    def __len__(self):
        """The length of the first NumPy axis (np_shape[0]), as len(numpy.asarray(view))."""
        return self.np_shape[0]

    def __getitem__(self, key):
        """
        NumPy's basic indexing in NumPy order (np_shape): integers, slices (any step), Ellipsis and None, exactly as
        numpy.asarray(view)[key]. A view with MEMORY_ACCESS gives an array over its memory (zero-copy: writing it writes
        the view); any other view reads only the box the key touches, into a new array. Lists, arrays and booleans
        (NumPy's advanced indexing, which copies) are refused: index numpy.asarray(view) or a read_region result.
        """
        key = _basic_key(key)
        if self.support(ImageCapability.MEMORY_ACCESS):
            from ._numpy import NumpyInterop
            return NumpyInterop.to_numpy_array(self)[key]
        return _read_indexed(self, key)

    def _numpy_axes(self):
        try:
            packed = netpy.PythonEntryPoints.NumpyAxes(self._net)
        except System.Exception as e:
            raise python_error(e) from None
        values = [int(v) for v in packed]
        n = len(values) // 2
        return tuple(values[:n]), tuple(values[n:])

    def __repr__(self):
        if self._n is None and not self._h:
            return "ImageView(disposed)"
        return str(self._net.ToString())


def _basic_key(key):
    """The index as a tuple of ints, slices, Ellipsis and None; anything else (advanced indexing) is a TypeError."""
    import operator
    items = key if isinstance(key, tuple) else (key,)
    result = []
    for item in items:
        if item is None or item is Ellipsis or isinstance(item, slice):
            result.append(item)
        elif isinstance(item, bool) or (hasattr(item, "dtype") and getattr(item, "ndim", 0) != 0):
            raise TypeError("view[...] takes integers, slices, ... and None (NumPy's basic indexing, which never copies a memory "
                            "view); for %s, index numpy.asarray(view) or a read_region result" % type(item).__name__)
        else:
            try:
                result.append(operator.index(item))
            except TypeError:
                raise TypeError("view[...] takes integers, slices, ... and None (NumPy's basic indexing), not %s; for lists and "
                                "arrays, index numpy.asarray(view) or a read_region result" % type(item).__name__) from None
    if sum(1 for item in result if item is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    return tuple(result)


def _read_indexed(view, key):
    """view[key] for a view without memory: the box the key touches read in one region read, then indexed as NumPy would."""
    import numpy
    shape, dims = view._numpy_axes()
    dtype = view.np_dtype
    consumed = sum(1 for item in key if item is not None and item is not Ellipsis)
    if consumed > len(shape):
        raise IndexError("too many indices for a view of %d NumPy dimensions: %d were given" % (len(shape), consumed))
    full = []
    for item in key:
        if item is Ellipsis:
            full.extend([slice(None)] * (len(shape) - consumed))
        else:
            full.append(item)
    if Ellipsis not in key:
        full.extend([slice(None)] * (len(shape) - consumed))
    lows, highs, relative, empty = [], [], [], False
    axis = 0
    for item in full:
        if item is None:
            relative.append(None)
            continue
        n = shape[axis]
        if isinstance(item, slice):
            start, stop, step = item.indices(n)
            span = range(start, stop, step)
            if len(span) == 0:
                empty = True
                lo = hi = 0
                relative.append(slice(0, 0))
            else:
                lo, hi = min(span[0], span[-1]), max(span[0], span[-1]) + 1
                rel_stop = stop - lo
                relative.append(slice(start - lo, rel_stop if rel_stop >= 0 else None, step))
        else:
            if not -n <= item < n:
                raise IndexError("index %d is out of bounds for axis %d with size %d" % (item, axis, n))
            lo = item % n
            hi = lo + 1
            relative.append(0)
        lows.append(lo)
        highs.append(hi)
        axis += 1
    if empty:
        # Nothing to read: the result's shape, from a stand-in that holds no memory.
        return numpy.broadcast_to(numpy.empty((), dtype), shape)[tuple(full)].copy()
    rank = view.dimension_count()
    origin, size = [0] * rank, [0] * rank
    components = None
    for k, d in enumerate(dims):
        if d < 0:
            components = (lows[k], highs[k])
        else:
            origin[d], size[d] = lows[k], highs[k] - lows[k]
    box = tuple(reversed(size)) + ((shape[dims.index(-1)],) if -1 in dims else ())
    out = numpy.empty(box, dtype)
    view.read_region(RegionXu64(tuple(origin), tuple(size)), out=out)
    # read_region fills NumPy order as last dimension first; the export order walks dims.
    perm = [rank - 1 - d if d >= 0 else rank for d in dims]
    arranged = out.transpose(perm)
    if components is not None:
        k = dims.index(-1)
        index = [slice(None)] * len(dims)
        index[k] = slice(components[0], components[1])
        arranged = arranged[tuple(index)]
    return arranged[tuple(relative)]


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


def _net_properties(properties):
    if properties is None:
        return None
    from ._properties import ImageProperties
    if not isinstance(properties, ImageProperties):
        raise TypeError("properties must be an iolink.ImageProperties, not %s" % type(properties).__name__)
    return properties.net


def _net_metadata(metadata):
    if metadata is None:
        return None
    from ._properties import MetadataNode
    if not isinstance(metadata, MetadataNode):
        raise TypeError("metadata must be an iolink.MetadataNode, not %s" % type(metadata).__name__)
    return metadata.net


def _range(value, what):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError("%s must be a (min, max) pair of numbers, not %s" % (what, type(value).__name__))
    items = [float(v) for v in value]
    if len(items) != 2:
        raise ValueError("%s must be a (min, max) pair of numbers, not %d numbers" % (what, len(items)))
    return System.ValueTuple.Create(System.Double(items[0]), System.Double(items[1]))


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
    def allocate(shape, data_type, properties=None, metadata=None):
        """A new zeroed view in memory; shape is a tuple or VectorXu64, data_type a DataTypeId; copies of properties and metadata when given."""
        return ImageView(net.ImageViewFactory.Allocate(_vector(shape, "shape"), _data_type(data_type), _net_properties(properties), _net_metadata(metadata)))

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
        if isinstance(view, ImageView):
            # A fast call on handles (the GIL released while it copies), not pythonnet's method binding.
            handle = _native.copy_in_memory(view._handle())
            if not handle:
                raise _native.error()
            return ImageView._from_handle(handle)
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
    def stack(views, dimension):
        """
        The views (a list, or a MultiImageView) of one shape and data type as one view with one more dimension, the
        last (an ImageDimension after theirs: SLICE for images); lazy, reads and writes go through to each view.
        """
        dim = net_enum(net.ImageDimension, dimension, ImageDimension, "dimension")
        if hasattr(views, "_net") and isinstance(views._net, net.MultiImageView):
            return ImageView(net.ImageViewFactory.Stack(views._net, dim))
        items = System.Collections.Generic.List[net.ImageView]()
        for v in views:
            items.Add(_net_view(v))
        return ImageView(net.ImageViewFactory.Stack(items, dim))

    @staticmethod
    @translate
    def sub_sample(view, steps):
        """Every step-th element along each dimension from 0 (steps: one per dimension), sharing the view's data."""
        return ImageView(net.ImageViewFactory.SubSample(_net_view(view), _vector(steps, "steps")))

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

    @staticmethod
    @translate
    def flip_dimension_index(view, index):
        """The same data with the dimension at index (0 for the first) reversed, through a negative stride."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError("index must be an int, not %s" % type(index).__name__)
        return ImageView(net.ImageViewFactory.FlipDimension(_net_view(view), System.Int32(index)))

    @staticmethod
    @translate
    def extract_channel(view, index):
        """
        One channel as a scalar view sharing the data: the slice at index of a CHANNEL dimension (removed), or
        component index of a vector view's elements.
        """
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise TypeError("index must be an int of at least 0, not %r" % (index,))
        return ImageView(net.ImageViewFactory.ExtractChannel(_net_view(view), System.UInt64(index)))

    @staticmethod
    @translate
    def extract_adjusted_region(view, region):
        """A view of the part of region inside the view (region clipped to it), sharing its data; ValueError when they do not meet."""
        if not isinstance(region, RegionXu64):
            raise TypeError("region must be a RegionXu64, not %s" % type(region).__name__)
        return ImageView(net.ImageViewFactory.ExtractAdjustedRegion(_net_view(view), region._to_net()))

    @staticmethod
    @translate
    def adapt_data_type(view, data_type):
        """
        The view's values as data_type, computed on each access (nothing allocated; READ and WRITE as the view allows,
        no memory access): integer to integer maps the whole input range onto the whole output range (UINT8 255 is
        UINT16 65535), integer to float keeps the value, float to integer rounds half to even and clamps (NaN is 0).
        Writes go back through the inverse map.
        """
        return ImageView(net.ImageViewFactory.AdaptDataType(_net_view(view), _data_type(data_type)))

    @staticmethod
    @translate
    def adapt_dynamic_range(view, data_type, input_range, output_range):
        """
        The view's values mapped linearly from input_range (min, max) onto output_range as data_type, clamped to
        output_range and rounded half to even for integer types, computed on each access:
        out = v * s + o, s = (out_max - out_min) / (in_max - in_min), o = out_min - in_min * s.
        """
        return ImageView(net.ImageViewFactory.AdaptDynamicRange(_net_view(view), _data_type(data_type),
                                                                _range(input_range, "input_range"), _range(output_range, "output_range")))

    @staticmethod
    @translate
    def interlace(views):
        """N scalar views of one shape and type as one view of N-component vectors (component k is view k); lazy, reads and writes go through."""
        items = System.Collections.Generic.List[net.ImageView]()
        for v in views:
            items.Add(_net_view(v))
        return ImageView(net.ImageViewFactory.Interlace(items))

    @staticmethod
    @translate
    def assemble_channels(view):
        """The view's CHANNEL dimension as vector components (the dimension removed): zero-copy when each element's channels are adjacent in memory, lazy otherwise."""
        return ImageView(net.ImageViewFactory.AssembleChannels(_net_view(view)))

    @staticmethod
    @translate
    def disassemble_channels(view):
        """A vector view's components as a new CHANNEL dimension in its canonical place: zero-copy (strided) for memory views, lazy otherwise."""
        return ImageView(net.ImageViewFactory.DisassembleChannels(_net_view(view)))

    @staticmethod
    @translate
    def make_thread_safe(view):
        """
        A view whose reads and writes run one at a time, for views that are not safe from several threads. IOLink's
        own views (memory, files, Zarr, and views derived from them) are safe already; this is for views implemented
        elsewhere. No memory access (it could not be guarded).
        """
        return ImageView(net.ImageViewFactory.MakeThreadSafe(_net_view(view)))

    @staticmethod
    @translate
    def from_image_view(view, properties=None, metadata=None):
        """The view's data (shared, capabilities kept) with copies of other properties and metadata."""
        return ImageView(net.ImageViewFactory.FromImageView(_net_view(view), _net_properties(properties), _net_metadata(metadata)))

    @staticmethod
    @translate
    def from_buffer(shape, data_type, buffer, properties=None, metadata=None):
        """
        A view over buffer's memory (any C-contiguous buffer: bytearray, NumPy array, mmap, memoryview), elements dense
        with the first dimension fastest; writable when the buffer is. No copy: the view keeps the buffer alive (a
        bytearray cannot be resized while the view exists).
        """
        m, address = _buffer_address(buffer, writable=False)
        view = ImageView(netpy.PythonMemory.FromBuffer(_vector(shape, "shape"), _data_type(data_type), address, m.nbytes, not m.readonly, m))
        if properties is None and metadata is None:
            return view
        with view:
            return ImageViewFactory.from_image_view(view, properties, metadata)

    @staticmethod
    @translate
    def create_on_disk(shape, data_type, properties=None, metadata=None):
        """A new zeroed view whose data lives in a temporary file (deleted when the last view of it is disposed)."""
        return ImageView(net.ImageViewFactory.CreateOnDisk(_vector(shape, "shape"), _data_type(data_type), _net_properties(properties), _net_metadata(metadata)))

    @staticmethod
    @translate
    def copy_on_disk(view):
        """A copy of a readable view in a temporary file (deleted when the last view of it is disposed)."""
        return ImageView(net.ImageViewFactory.CopyOnDisk(_net_view(view)))

    @staticmethod
    @translate
    def from_random_access(access, offset, shape, data_type):
        """A view of the elements stored dense (first dimension fastest) in a RandomAccess from byte offset on; reads and writes go to it."""
        net_access = getattr(access, "net", access)
        if not isinstance(net_access, net.RandomAccess):
            raise TypeError("access must be an iolink RandomAccess, not %s" % type(access).__name__)
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise TypeError("offset must be an int, not %s" % type(offset).__name__)
        return ImageView(net.ImageViewFactory.FromRandomAccess(net_access, System.Int64(offset), _vector(shape, "shape"), _data_type(data_type)))
