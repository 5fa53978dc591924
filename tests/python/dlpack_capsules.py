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


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p),
                ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


READ_ONLY = 1       # DLPACK_FLAG_BITMASK_READ_ONLY


# Every crafted tensor and its memory live until the process ends: a view imported from one releases it (reading its
# deleter field) when .NET collects the view, which may be after the test that made it has returned.
_FOREVER = []


def crafted_capsule(keep, device=1, code=1, bits=8, lanes=1, shape=(4,), strides=None, data=True, offset=0,
                    version=None, flags=0):
    """A hand-made DLPack capsule (no deleter) over 64 bytes: what a producer with odd tensors would send;
    version (major, minor) makes it a DLPack 1.x 'dltensor_versioned' one with flags."""
    memory = (ctypes.c_uint8 * 64)(*range(64))
    dims = (ctypes.c_int64 * max(1, len(shape)))(*shape)
    steps = None if strides is None else (ctypes.c_int64 * len(strides))(*strides)
    tensor = DLManagedTensor() if version is None else DLManagedTensorVersioned(DLPackVersion(*version), None, None, flags)
    tensor.dl_tensor = DLTensor(ctypes.addressof(memory) if data else None, DLDevice(device, 0), len(shape),
                                DLDataType(code, bits, lanes), dims, steps, offset)
    keep.extend([memory, dims, steps, tensor])
    _FOREVER.extend([memory, dims, steps, tensor])
    return new_capsule(ctypes.addressof(tensor), b"dltensor" if version is None else b"dltensor_versioned")


def capsule_name(capsule):
    """The name a capsule has now (bytes)."""
    get = ctypes.pythonapi.PyCapsule_GetName
    get.restype, get.argtypes = ctypes.c_char_p, [ctypes.py_object]
    return get(capsule)


def versioned_tensor(capsule):
    """The DLManagedTensorVersioned behind a 'dltensor_versioned' capsule (read, not consumed)."""
    pointer = ctypes.pythonapi.PyCapsule_GetPointer
    pointer.restype, pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return DLManagedTensorVersioned.from_address(pointer(capsule, b"dltensor_versioned"))


def new_capsule(address, name):
    """A capsule named name (bytes) over the tensor at address, with no destructor."""
    new = ctypes.pythonapi.PyCapsule_New
    new.restype, new.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    return new(address, name, None)
