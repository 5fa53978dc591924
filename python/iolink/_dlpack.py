"""
DLPack: image views to and from PyTorch, NumPy and any DLPack library, with no copy, axes by the NumPy rules.

Both forms of the protocol are spoken. A consumer that passes max_version=(1, x) (NumPy 2) gets a DLPack 1.x capsule
('dltensor_versioned', DLManagedTensorVersioned) whose read-only flag is set for a view without WRITE; one that
passes nothing (torch up to 2.8, NumPy 1.x) gets the unversioned 'dltensor', which cannot say read-only, so a view
without WRITE is refused for it. Imports read both, pass max_version to producers that take it, and honour the
read-only flag. A view is refused, with what to do, before anything is sent when a consumer could not take it: no
MEMORY_ACCESS, a negative stride (torch 1.13 aborts the process on one), strides that are not whole items.
"""

import sys

from . import _native
from ._model import ImageCapability, ImageDimension, ImageTypeId, ImageView, _dimension_ints, _enum_int

__all__ = ["DLPackInterop", "DLPackTensor"]

CPU = 1                  # DLPack's kDLCPU

UNSIGNED_INTEGER = 1     # PrimitiveTypeId
_torch_lacks = {}        # bits -> whether the loaded torch has no uint<bits> tensors

_MEMORY_ACCESS, _WRITE = int(ImageCapability.MEMORY_ACCESS), int(ImageCapability.WRITE)
MAX_VERSION = (1, 0)     # the DLPack version iolink asks producers for, and the one it exports


def _versioned(max_version):
    """Whether a consumer's max_version asks for a DLPack 1.x capsule (None: it knows only the unversioned one)."""
    if max_version is None:
        return False
    try:
        major, _minor = max_version
        return int(major) >= 1
    except (TypeError, ValueError):
        raise TypeError("max_version must be None or a (major, minor) tuple of ints, not %r" % (max_version,)) from None


def _capsule(view, order, versioned):
    """A fresh capsule over view (an ImageView), axes by rules 6/7 or order (rule 8), versioned or not."""
    if not isinstance(view, ImageView):
        raise TypeError("expected an iolink.ImageView, not %s" % type(view).__name__)
    handle = view._handle()
    b = _native.buffers()
    if order is None:
        count = -1
    else:
        count = len(order)
        b.i32[0:count] = order
    capsule = _native.export_capsule(handle, count, b.i32, 1 if versioned else 0)
    if capsule is not None:
        return capsule
    error = _native.error()
    # The DLPack protocol's error for a tensor that cannot be exported is BufferError.
    raise BufferError(str(error)) from None


def _check_dlpack_keywords(stream, dl_device, copy):
    if dl_device is not None and tuple(dl_device) != (CPU, 0):
        raise BufferError("an image view is CPU memory and can be exported to device (1, 0) only, not %r" % (tuple(dl_device),))
    if copy:
        raise BufferError("an image view is exported without a copy; pass copy=None or False (or copy the array the consumer gives you)")


def _check_known_consumer(view):
    # DLPack does not say who consumes a capsule, but a caller in torch is torch: it never gets a read-only view, and
    # torch before 2.3 has no unsigned integer wider than 8 bits and refuses such a capsule; say so, with the way
    # around, before making it.
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("iolink"):
        frame = frame.f_back
    if frame is None or not frame.f_globals.get("__name__", "").startswith("torch"):
        return
    _, primitive, bits, _, _, _, capabilities = _native.element(view._handle())
    if capabilities & _MEMORY_ACCESS and not capabilities & _WRITE:
        # torch tensors have no read-only state: whatever the capsule says, the tensor torch makes is writable.
        torch = sys.modules.get("torch")
        raise BufferError("this view is read-only (no WRITE), and torch %s makes a writable tensor of every DLPack "
                          "import: writes would land in memory the view promised not to change. Make a writable "
                          "copy with ImageViewFactory.copy_in_memory first." % getattr(torch, "__version__", "?"))
    if primitive != UNSIGNED_INTEGER or bits <= 8:
        return
    lacks = _torch_lacks.get(bits)
    if lacks is None:
        lacks = _torch_lacks[bits] = not hasattr(sys.modules.get("torch"), "uint%d" % bits)
    if lacks:
        torch = sys.modules.get("torch")
        raise TypeError("torch %s has no uint%d tensors, so it cannot take this %s view; convert it first, for "
                        "example torch.from_numpy(NumpyInterop.to_numpy_array(view).astype(numpy.int%d)) (a copy)"
                        % (getattr(torch, "__version__", "?"), bits, view.data_type(), min(2 * bits, 64)))


def dlpack(view, stream=None, max_version=None, dl_device=None, copy=None):
    """ImageView.__dlpack__: a capsule over the view's memory, axes in NumPy order (rules 6 and 7); DLPack 1.x
    ('dltensor_versioned') when max_version asks for it, else 'dltensor'."""
    # stream: None for CPU memory (a consumer passes nothing else for device (1, 0)).
    versioned = _versioned(max_version)
    _check_dlpack_keywords(stream, dl_device, copy)
    _check_known_consumer(view)
    return _capsule(view, None, versioned)


class DLPackTensor:
    """
    A view exported with an explicit axis order (DLPackInterop.to_dlpack), for torch.from_dlpack, numpy.from_dlpack
    or any consumer: it has __dlpack__ and __dlpack_device__, and holds the view until the consumer takes it.
    """

    __slots__ = ("_view", "_order")

    def __init__(self, view, order):
        self._view = view
        self._order = order

    def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
        versioned = _versioned(max_version)
        _check_dlpack_keywords(stream, dl_device, copy)
        _check_known_consumer(self._view)
        return _capsule(self._view, self._order, versioned)

    def __dlpack_device__(self):
        return (CPU, 0)

    def __repr__(self):
        return "DLPackTensor(%r, order=%s)" % (self._view, None if self._order is None else
                                               [ImageDimension(d).name for d in self._order])


def _producer_capsule(obj):
    # A DLPack 1.x capsule from producers that take max_version (NumPy 2: it carries the read-only flag), the
    # unversioned one from the others (torch before 2.9 and NumPy 1.x raise TypeError on the keyword).
    if not hasattr(obj, "__dlpack__"):
        return obj
    try:
        return obj.__dlpack__(max_version=MAX_VERSION)
    except TypeError:
        return obj.__dlpack__()


def _says_bool(obj):
    # Some producers give booleans an 8-bit integer code in the capsule; their dtype still says bool.
    dtype = getattr(obj, "dtype", None)
    return dtype is not None and str(dtype) in ("bool", "torch.bool")


def _import(obj, interpretation, axes):
    # The producer's capsule; its device, type and layout are checked in .NET (a tensor on another device is
    # refused there, and its capsule's destructor gives it back to the producer).
    capsule = _producer_capsule(obj)
    b = _native.buffers()
    count = -1
    if axes is not None:
        count = len(axes)
        b.i32[0:count] = axes
    flags = _native.PRODUCER_BOOL if capsule is not obj and _says_bool(obj) else 0
    handle = _native.import_capsule(capsule, interpretation, count, b.i32, flags)
    if handle > 0:
        return ImageView._from_handle(handle)
    if handle == _native.USED_CAPSULE:
        raise BufferError("this DLPack capsule has already been consumed; ask the producer for a new one (call __dlpack__ again)")
    if handle == _native.NOT_A_CAPSULE:
        if capsule is obj:
            raise TypeError("expected an object with __dlpack__ (a torch tensor, a NumPy array) or a DLPack capsule, "
                            "not %s" % type(obj).__name__)
        raise TypeError("%s.__dlpack__() gave %s, not a DLPack capsule ('dltensor' or 'dltensor_versioned')"
                        % (type(obj).__name__, type(capsule).__name__))
    raise _native.error()


class DLPackInterop:
    """Image views to and from DLPack tensors (torch, NumPy, JAX, CuPy...), sharing memory, axes by the NumPy rules."""

    @staticmethod
    def from_dlpack(obj, image_type=None):
        """
        A view over a DLPack tensor's memory (obj: a torch tensor, a NumPy array, anything with __dlpack__, or a
        'dltensor' or 'dltensor_versioned' capsule). Without image_type the view's dimensions are the tensor's axes
        as they are (rule 1); with an ImageTypeId the axes are read in NumPy order (T, Z, Y, X, C) and the view gets canonical order
        (rules 2 and 4). A tensor flagged read-only (DLPack 1.x) gives a view without WRITE. The view keeps the tensor
        alive; its deleter runs once, when the last view is disposed.
        """
        interpretation = -1 if image_type is None else _enum_int(image_type, ImageTypeId, "image_type")
        return _import(obj, interpretation, None)

    @staticmethod
    def order_from_dlpack(obj, axes):
        """A view over a DLPack tensor, axes naming each tensor axis (ImageDimension members) in the tensor's order (rule 3)."""
        return _import(obj, -1, _dimension_ints(axes, "axes"))

    @staticmethod
    def to_dlpack(view, order=None):
        """
        The view for a DLPack consumer (torch.from_dlpack, numpy.from_dlpack), axes in NumPy order (rules 6 and 7),
        or in order (rule 8): [ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN] gives an RGB image
        as (3, H, W), the layout torchvision expects. Passing the view itself is the same as order=None.
        """
        if not isinstance(view, ImageView):
            raise TypeError("expected an iolink.ImageView, not %s" % type(view).__name__)
        return DLPackTensor(view, None if order is None else _dimension_ints(order, "order"))
