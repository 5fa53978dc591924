"""DLPack's C structs in ctypes, and capsules made from them by hand: what a producer with odd tensors would send."""

import ctypes


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32), ("dtype", DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p)]


def crafted_capsule(keep, device=1, code=1, bits=8, lanes=1, shape=(4,), strides=None, data=True, offset=0):
    """A hand-made DLPack capsule (no deleter) over a bytearray: what a producer with odd tensors would send."""
    memory = (ctypes.c_uint8 * 64)(*range(64))
    dims = (ctypes.c_int64 * max(1, len(shape)))(*shape)
    steps = None if strides is None else (ctypes.c_int64 * len(strides))(*strides)
    tensor = DLManagedTensor()
    tensor.dl_tensor = DLTensor(ctypes.addressof(memory) if data else None, DLDevice(device, 0), len(shape),
                                DLDataType(code, bits, lanes), dims, steps, offset)
    keep.extend([memory, dims, steps, tensor])
    return new_capsule(ctypes.addressof(tensor), b"dltensor")


def new_capsule(address, name):
    """A capsule named name (bytes) over the tensor at address, with no destructor."""
    new = ctypes.pythonapi.PyCapsule_New
    new.restype, new.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    return new(address, name, None)
