"""
The fast calls: ctypes into IOLink.Python.PythonEntryPoints ([UnmanagedCallersOnly] C#), for what is called
millions of times (shape, NumPy import and export, region reads and writes, dispose). pythonnet costs a few
microseconds a call; these cost a fraction of one. Calls that do not touch Python objects are CFUNCTYPE: the GIL
is released while .NET works. A failed call returns an error code; error() gives the .NET exception as Python's.
"""

import ctypes
import threading

from ._dotnet import netpy, python_error

__all__ = ["release", "shape", "export", "import_array", "read_region", "write_region", "copy_in_memory", "live_handles",
           "buffers", "error", "MAX_RANK", "MAX_DIMENSIONS"]

_i32, _i64, _u64, _vp = ctypes.c_int32, ctypes.c_int64, ctypes.c_uint64, ctypes.c_void_p
MAX_RANK = int(netpy.PythonEntryPoints.MaxArrayRank)
MAX_DIMENSIONS = MAX_RANK - 1
# The fast import reads NumPy's array struct just past the object header, which is 16 bytes in CPython's release
# builds on 64-bit platforms; other builds take the pythonnet path.
FAST_IMPORT = object.__basicsize__ == 16 and ctypes.sizeof(ctypes.c_void_p) == 8


class ExportResult(ctypes.Structure):
    """PythonEntryPoints.ExportResult, field for field."""
    _fields_ = [("address", _i64), ("lease", _i64), ("rank", _i32), ("readonly", _i32), ("typestr", ctypes.c_char * 16),
                ("lengths", _i64 * MAX_RANK), ("strides", _i64 * MAX_RANK)]


_table = [int(address) for address in netpy.PythonEntryPoints.Table()]
# The order of PythonEntryPoints.Table().
release = ctypes.PYFUNCTYPE(_i32, _i64, _i32)(_table[0])
shape = ctypes.PYFUNCTYPE(_i32, _i64, _vp, _i32)(_table[1])
export = ctypes.PYFUNCTYPE(_i32, _i64, _i32, _vp, ctypes.POINTER(ExportResult))(_table[2])
import_array = ctypes.PYFUNCTYPE(_i64, ctypes.py_object, _i32, _i32, _i32, _i64, _i64, _i32, _i32, _vp)(_table[3])
read_region = ctypes.CFUNCTYPE(_i32, _i64, _i32, _vp, _vp, _i64)(_table[4])
write_region = ctypes.CFUNCTYPE(_i32, _i64, _i32, _vp, _vp, _i64)(_table[5])
live_handles = ctypes.PYFUNCTYPE(_i32)(_table[6])
# Called by the base object of every exported array when NumPy drops it.
release_lease = ctypes.PYFUNCTYPE(None, _i64)(_table[7])
# DLPack: a capsule over a view (versioned or not; None on error), and a view over a capsule's tensor (either form).
export_capsule = ctypes.PYFUNCTYPE(ctypes.py_object, _i64, _i32, _vp, _i32)(_table[8])
import_capsule = ctypes.PYFUNCTYPE(_i64, ctypes.py_object, _i32, _i32, _vp, _i32)(_table[9])
live_exports = ctypes.PYFUNCTYPE(_i32)(_table[10])
element_type = ctypes.PYFUNCTYPE(_i32, _i64, _vp)(_table[11])
# A region copied into or out of a Python buffer in one call (PythonRegionCopy): the buffer is taken, checked and
# released in .NET, which releases the GIL only around the copy. NEEDS_CHECK: the Python checks must decide.
_bind_python = ctypes.PYFUNCTYPE(_i32, _vp)(_table[12])
copy_region = ctypes.PYFUNCTYPE(_i32, _i64, _i32, _vp, ctypes.py_object, _i32)(_table[13])
# ImageViewFactory.copy_in_memory of a handle's view: a new handle, or 0 (error()); the GIL is released while it copies.
copy_in_memory = ctypes.CFUNCTYPE(_i64, _i64)(_table[14])
NEEDS_CHECK = -5
USED_CAPSULE, NOT_A_CAPSULE = -2, -3
PRODUCER_BOOL = 1
del _table


def _bind():
    api = ctypes.pythonapi
    names = ("PyObject_GetBuffer", "PyBuffer_Release", "PyEval_SaveThread", "PyEval_RestoreThread", "PyErr_Clear")
    try:
        addresses = (ctypes.c_void_p * len(names))(*(ctypes.cast(getattr(api, n), ctypes.c_void_p).value for n in names))
    except AttributeError:
        return False
    return _bind_python(addresses) == 0


# Without the interpreter's functions (never seen), region copies take the general path.
FAST_COPY = _bind()


class _Buffers:
    """One thread's argument and result memory (a call with the GIL released must not share it)."""
    __slots__ = ("i64", "u64", "i32", "result")

    def __init__(self):
        self.i64 = (_i64 * (2 * MAX_DIMENSIONS))()
        self.u64 = (_u64 * (2 * MAX_DIMENSIONS))()
        self.i32 = (_i32 * MAX_RANK)()
        self.result = ExportResult()


_local = threading.local()


def buffers():
    """This thread's buffers."""
    try:
        return _local.buffers
    except AttributeError:
        b = _local.buffers = _Buffers()
        return b


def element(handle):
    """(data type id, primitive type, bit depth, components, byte count, interpretation, capabilities) of a view."""
    b = buffers()
    if element_type(handle, b.i32) < 0:
        raise error()
    return tuple(b.i32[0:7])


def error():
    """The Python exception for the last failed fast call on this thread."""
    e = netpy.PythonEntryPoints.TakeError()
    if e is None:
        return RuntimeError("an IOLink call failed without saying why")
    return python_error(e)


_typestrs = {}


def typestr(raw):
    """The NumPy type string of an export result's bytes (a handful of values, decoded once each)."""
    text = _typestrs.get(raw)
    if text is None:
        text = _typestrs[raw] = raw.decode("ascii")
    return text
