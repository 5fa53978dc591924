"""
The Python half of the NumPy interop, shared by the package and by .NET callers of IOLink.Python.NumpyInterop
(which compile this file from the assembly's resources): reading an array's true layout and memory, and the base
object of every exported array. Standard library and NumPy only; nothing here imports the rest of iolink.
"""

import numpy as _np

_ndarray = _np.ndarray
_asarray = _np.asarray


# ndarray's own C-level getters: a subclass can override the attributes 'shape', 'strides', 'dtype', 'base'
# or '__array_interface__' with properties that lie, but not what these read from the array's C struct.
_shape = _ndarray.shape.__get__
_strides = _ndarray.strides.__get__
_dtype = _ndarray.dtype.__get__
_interface = _ndarray.__array_interface__.__get__
_base = _ndarray.base.__get__
_flags = _ndarray.flags.__get__
_nbytes = _ndarray.nbytes.__get__
_frombuffer = _np.frombuffer
_uint8 = _np.uint8


def _find_strided_wrapper():
    # numpy.lib.stride_tricks.as_strided (public) builds its result from a small object of NumPy's own, whose
    # 'base' is the array it came from; the class moved between NumPy 1.x and 2.x (numpy.lib.stride_tricks,
    # numpy.lib._stride_tricks_impl), so it is found by what the public function does, not by its name. When the
    # result's base is the array itself (as in a NumPy that needs no wrapper), there is nothing to find.
    source = _np.zeros(2, _np.uint8)
    wrapper = _np.lib.stride_tricks.as_strided(source, shape=(1,), strides=(1,)).base
    if wrapper is source or issubclass(type(wrapper), _ndarray):
        return None
    return type(wrapper), getattr(wrapper, 'base', None) is source


# (the class, whether its 'base' is the array it wraps); a NumPy whose as_strided keeps its input elsewhere has
# its as_strided arrays refused below rather than accepted unchecked.
_strided_wrapper, _strided_base_known = _find_strided_wrapper() or (None, False)


def _bounds(a, address):
    # The memory the array lies in, as NumPy reports it: (address, length) of the ndarray that owns the data,
    # or of the buffer-protocol object (bytes, bytearray, mmap, ...) at the end of the base chain, or the span of
    # the layout an object at the end of the chain describes through __array_interface__ (another library's
    # memory, an array exported by iolink); (None, 0) when nothing says it (docs/IOLINK.md, "What is checked").
    owner = a
    base = _base(a)
    while base is not None:
        if issubclass(type(base), _ndarray):
            owner = base
        elif _strided_wrapper is not None and type(base) is _strided_wrapper:
            if not _strided_base_known or not issubclass(type(base.base), _ndarray):
                raise ValueError("this array was made by numpy.lib.stride_tricks.as_strided, and this NumPy (%s) does "
                                 "not say which memory it lies in, so it cannot be checked; pass a copy "
                                 "(numpy.array(a)) or an array whose base is the array it was made from" % _np.__version__)
            owner = base.base
        else:
            break
        base = _base(owner)
    if base is None:
        if not _flags(owner).owndata:
            return None, 0
        return (address if owner is a else _interface(owner)['data'][0]), _nbytes(owner)
    try:
        memory = memoryview(base)
    except TypeError:
        return _described(base)
    if not memory.c_contiguous:
        return None, 0
    flat = _frombuffer(memory.cast('B') if memory.ndim != 1 or memory.format != 'B' else memory, _uint8)
    return _interface(flat)['data'][0], memory.nbytes


def _described(owner):
    # The bytes spanned by the layout an object describes with __array_interface__ (version 3, data an address).
    try:
        interface = owner.__array_interface__
        address = interface['data'][0]
        shape = tuple(interface['shape'])
        strides = interface.get('strides')
        itemsize = _np.dtype(interface['typestr']).itemsize
    except Exception:
        return None, 0
    if type(address) is not int or interface.get('version') != 3 or 'offset' in interface:
        return None, 0
    if any(n == 0 for n in shape):
        return address, 0
    if strides is None:
        length = itemsize
        for n in shape:
            length *= n
        return address, length
    low = high = 0
    for n, step in zip(shape, strides):
        if step < 0:
            low += (n - 1) * step
        else:
            high += (n - 1) * step
    return address + low, high - low + itemsize


def describe(a):
    if not issubclass(type(a), _ndarray):
        return None
    d = _dtype(a)
    address, readonly = _interface(a)['data']
    start, length = _bounds(a, address)
    return (a, address, bool(readonly), _shape(a), _strides(a), d.kind, d.itemsize, bool(d.isnative),
            d.fields is not None or d.subdtype is not None, d.str, start, length)


class ViewMemory:
    # The base of every array exported from an image view: NumPy holds it for as long as any array uses
    # the memory, and releasing it releases the view's memory (rule 9): release(token), or release() without one.
    __slots__ = ('__array_interface__', '_release', '_token', '__weakref__')

    def __init__(self, interface, release, token=None):
        self.__array_interface__ = interface
        self._release = release
        self._token = token

    def __del__(self):
        release = self._release
        if release is not None:
            self._release = None
            if self._token is None:
                release()
            else:
                release(self._token)


def export(address, readonly, shape, strides, typestr, release, token=None):
    holder = ViewMemory({'version': 3, 'data': (address, readonly), 'shape': shape, 'strides': strides,
                         'typestr': typestr}, release, token)
    return _asarray(holder)
