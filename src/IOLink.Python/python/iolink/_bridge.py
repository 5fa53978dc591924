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
# numpy.lib.stride_tricks.as_strided wraps its input in this class: its 'base' is the array it came from.
_strided_wrapper = getattr(getattr(getattr(_np, 'lib', None), 'stride_tricks', None), 'DummyArray', None)


def _bounds(a, address):
    # The memory the array lies in, as NumPy reports it: (address, length) of the ndarray that owns the data,
    # or of the buffer-protocol object (bytes, bytearray, mmap, ...) at the end of the base chain; (None, 0)
    # when the memory comes from an object that only describes it (another library's __array_interface__).
    owner = a
    base = _base(a)
    while base is not None:
        if issubclass(type(base), _ndarray):
            owner = base
        elif type(base) is _strided_wrapper and issubclass(type(base.base), _ndarray):
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
        return None, 0
    if not memory.c_contiguous:
        return None, 0
    flat = _frombuffer(memory.cast('B') if memory.ndim != 1 or memory.format != 'B' else memory, _uint8)
    return _interface(flat)['data'][0], memory.nbytes


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
