"""
DLPack with real clients: Debian's torch 1.13 and NumPy 1.24 share memory with image views both ways, axes by the
NumPy rules; deleters run exactly once; every refusal is a clean Python error, never an abort.
"""

import ctypes
import gc
import sys
import threading

import numpy as np
import pytest

import iolink
from dlpack_capsules import READ_ONLY, capsule_name, crafted_capsule, versioned_tensor
from iolink import (DataTypeId, DLPackInterop, ImageDimension, ImageTypeId, ImageViewFactory, NumpyInterop,
                    RegionXu64, _native)

torch = pytest.importorskip("torch")


def image(shape_yx=(3, 4), dtype=np.int16):
    a = np.arange(np.prod(shape_yx), dtype=dtype).reshape(shape_yx)
    return a, NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


# --- export: torch and NumPy consume views --------------------------------------------------------------------


def test_torch_shares_a_views_memory_both_ways():
    a, view = image()
    t = torch.from_dlpack(view)
    assert t.shape == (3, 4) and t.dtype == torch.int16
    t[2, 3] = -5                                          # write through torch ...
    assert a[2, 3] == -5                                  # ... and the view's memory has it
    view.write_region(RegionXu64((0, 1), (1, 1)), np.array([321], np.int16))     # column 0, row 1
    assert t[1, 0] == 321


@pytest.mark.parametrize("image_type, data_type, shape, expected", [
    (ImageTypeId.IMAGE, DataTypeId.FLOAT, (5, 3), (3, 5)),                 # (H, W)
    (ImageTypeId.VOLUME, DataTypeId.INT32, (5, 3, 2), (2, 3, 5)),          # (D, H, W)
    (ImageTypeId.IMAGE, DataTypeId.VEC3_UINT8, (5, 3), (3, 5, 3)),         # RGB: (H, W, 3)
    (ImageTypeId.IMAGE_SEQUENCE, DataTypeId.DOUBLE, (5, 3, 4), (4, 3, 5)),  # (T, H, W)
])
def test_torch_sees_numpy_order(image_type, data_type, shape, expected):
    view = ImageViewFactory.reinterpret(ImageViewFactory.allocate(shape, data_type), image_type)
    t = torch.from_dlpack(view)
    assert tuple(t.shape) == expected
    assert np.shares_memory(t.numpy(), NumpyInterop.to_numpy_array(view))
    assert np.array_equal(t.numpy(), NumpyInterop.to_numpy_array(view))


def test_an_explicit_order_gives_torchvisions_channels_first_layout():
    rgb = np.random.default_rng(0).integers(0, 255, (4, 6, 3), dtype=np.uint8)          # (H, W, 3)
    view = NumpyInterop.from_numpy_array(rgb, ImageTypeId.IMAGE)
    assert view.data_type() == DataTypeId.VEC3_UINT8
    t = torch.from_dlpack(DLPackInterop.to_dlpack(view, [ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN]))
    assert tuple(t.shape) == (3, 4, 6) and t.stride() == (1, 18, 3)
    assert np.array_equal(t.numpy(), rgb.transpose(2, 0, 1))
    t[1, 2, 5] = 7
    assert rgb[2, 5, 1] == 7


def test_numpy_from_dlpack_shares_memory_read_only():
    a, view = image(dtype=np.float32)
    b = np.from_dlpack(view)
    assert np.shares_memory(a, b) and b.shape == (3, 4)
    assert not b.flags.writeable                       # NumPy 1.24 makes every DLPack import read-only
    a[0, 0] = 9.5
    assert b[0, 0] == 9.5


def test_newer_consumers_keywords_are_accepted():
    _, view = image()
    capsule = view.__dlpack__(stream=None, max_version=(1, 0), dl_device=(1, 0), copy=False)
    assert type(capsule).__name__ == "PyCapsule"
    assert view.__dlpack_device__() == (1, 0)
    del capsule


def test_a_copy_or_another_device_is_refused_by_the_producer():
    _, view = image()
    with pytest.raises(BufferError, match="without a copy"):
        view.__dlpack__(copy=True)
    with pytest.raises(BufferError, match="device"):
        view.__dlpack__(dl_device=(2, 0))


def test_a_flipped_view_is_refused_before_torch_sees_it():
    _, view = image()
    flipped = ImageViewFactory.flip_dimension(view, ImageDimension.COLUMN)
    with pytest.raises(BufferError, match="negative stride.*copy_in_memory"):
        torch.from_dlpack(flipped)                     # torch 1.13 would abort the process on this tensor
    t = torch.from_dlpack(ImageViewFactory.copy_in_memory(flipped))
    assert t[0].tolist() == [3, 2, 1, 0]


def test_a_view_without_memory_access_is_refused_with_what_to_do():
    uniform = ImageViewFactory.uniform((2, 2), DataTypeId.UINT8, b"\x07")
    with pytest.raises(BufferError, match="MEMORY_ACCESS.*copy_in_memory"):
        torch.from_dlpack(uniform)


def test_every_exported_tensor_is_deleted_once():
    _, view = image()
    start = _native.live_exports()
    tensors = [torch.from_dlpack(view) for _ in range(10)]
    assert _native.live_exports() == start + 10
    del tensors
    gc.collect()
    assert _native.live_exports() == start
    capsule = view.__dlpack__()                         # never consumed: its destructor deletes the tensor
    assert _native.live_exports() == start + 1
    del capsule
    assert _native.live_exports() == start
    arrays = [np.from_dlpack(view) for _ in range(3)]
    del arrays
    gc.collect()
    assert _native.live_exports() == start


def test_an_exported_tensor_keeps_the_memory_after_the_view_is_gone():
    view = ImageViewFactory.allocate((1024,), DataTypeId.INT64)
    t = torch.from_dlpack(view)
    t[:] = 77
    view.dispose()
    del view
    gc.collect()
    junk = [np.full(1024, -1, np.int64) for _ in range(50)]
    assert bool((t == 77).all())
    del junk


# --- import: views over torch and NumPy tensors -------------------------------------------------------------


def test_a_view_over_a_torch_tensor_shares_memory_both_ways():
    t = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)               # (D, H, W)
    view = DLPackInterop.from_dlpack(t, ImageTypeId.VOLUME)
    assert view.shape() == (4, 3, 2) and view.axes_interpretation() == ImageTypeId.VOLUME
    t[1, 2, 3] = -1.5
    assert np.frombuffer(view.read_region(RegionXu64((3, 2, 1), (1, 1, 1))), np.float32)[0] == -1.5
    NumpyInterop.to_numpy_array(view)[0, 0, 0] = 42
    assert t[0, 0, 0] == 42


def test_import_rules_1_to_4_from_torch():
    t = torch.zeros((5, 7), dtype=torch.int32)
    assert DLPackInterop.from_dlpack(t).shape() == (5, 7)                               # rule 1: as it is
    assert DLPackInterop.from_dlpack(t, ImageTypeId.IMAGE).shape() == (7, 5)            # rule 2: W, H
    named = DLPackInterop.order_from_dlpack(t, [ImageDimension.COLUMN, ImageDimension.ROW])   # rule 3
    assert named.shape() == (5, 7) and named.axes_interpretation() == ImageTypeId.IMAGE
    rgb = torch.zeros((4, 6, 3), dtype=torch.uint8)
    vectors = DLPackInterop.from_dlpack(rgb, ImageTypeId.IMAGE)                          # rule 4
    assert vectors.shape() == (6, 4) and vectors.data_type() == DataTypeId.VEC3_UINT8
    transposed = DLPackInterop.from_dlpack(t.t(), ImageTypeId.IMAGE)                    # strides, not copies
    assert transposed.shape() == (5, 7)


def test_a_view_over_a_numpy_array_through_dlpack():
    a = np.arange(60, dtype=np.uint16).reshape(3, 4, 5)
    before = sys.getrefcount(a)
    view = DLPackInterop.from_dlpack(a, ImageTypeId.VOLUME)
    assert view.shape() == (5, 4, 3)
    assert sys.getrefcount(a) == before + 1            # NumPy's tensor holds the array ...
    a[2, 3, 4] = 999
    assert np.frombuffer(view.read_region(RegionXu64((4, 3, 2), (1, 1, 1))), np.uint16)[0] == 999
    view.dispose()
    assert sys.getrefcount(a) == before                 # ... and its deleter ran, once


def test_the_tensor_lives_until_the_last_view_and_its_memory_returns():
    t = torch.ones((100, 1000, 1000), dtype=torch.float32)      # 400 MB
    baseline = rss_mib()
    view = DLPackInterop.from_dlpack(t, ImageTypeId.VOLUME)
    sub = ImageViewFactory.extract_region(view, RegionXu64((0, 0, 50), (1000, 1000, 50)))
    del t
    gc.collect()
    assert rss_mib() > baseline - 50                    # still held by the views
    assert np.frombuffer(sub.read_region(RegionXu64((999, 999, 49), (1, 1, 1))), np.float32)[0] == 1
    view.dispose()
    assert rss_mib() > baseline - 50                    # sub holds it
    done = threading.Event()
    threading.Thread(target=lambda: (sub.dispose(), done.set())).start()   # the deleter runs on another thread
    assert done.wait(30)
    gc.collect()
    assert rss_mib() < baseline - 300


def test_a_capsule_is_consumed_once_and_renamed():
    t = torch.zeros(4, dtype=torch.int8)
    capsule = torch.utils.dlpack.to_dlpack(t)
    view = DLPackInterop.from_dlpack(capsule)
    assert view.shape() == (4,)
    with pytest.raises(BufferError, match="already been consumed"):
        DLPackInterop.from_dlpack(capsule)
    is_valid = ctypes.pythonapi.PyCapsule_IsValid
    is_valid.restype, is_valid.argtypes = ctypes.c_int, [ctypes.py_object, ctypes.c_char_p]
    assert is_valid(capsule, b"used_dltensor") == 1


def test_a_view_of_a_view_round_trips_through_dlpack():
    a, view = image()
    start = _native.live_exports()
    again = DLPackInterop.from_dlpack(view, ImageTypeId.IMAGE)
    assert again.shape() == view.shape() and _native.live_exports() == start + 1
    a[1, 1] = 1234
    assert np.frombuffer(again.read_region(RegionXu64((1, 1), (1, 1))), np.int16)[0] == 1234
    again.dispose()
    assert _native.live_exports() == start


# --- refusals on import ---------------------------------------------------------------------------------------


class ElsewhereTensor:
    """A producer whose tensor is on a GPU."""

    def __init__(self):
        self.keep = []

    def __dlpack_device__(self):
        return (2, 0)

    def __dlpack__(self, stream=None):
        return crafted_capsule(self.keep, device=2)


def test_a_tensor_on_another_device_is_refused():
    with pytest.raises(ValueError, match="device CUDA:0.*cpu"):
        DLPackInterop.from_dlpack(ElsewhereTensor())


def test_a_producer_that_gives_no_capsule_is_a_type_error():
    class Liar:
        def __dlpack__(self, stream=None):
            return b"not a capsule"

    with pytest.raises(TypeError, match="Liar.__dlpack__.. gave bytes"):
        DLPackInterop.from_dlpack(Liar())


def test_bfloat16_has_no_view_type():
    with pytest.raises(ValueError, match="bfloat16 has no image view data type"):
        DLPackInterop.from_dlpack(torch.zeros(3, dtype=torch.bfloat16))


def test_objects_that_are_not_tensors_are_type_errors():
    with pytest.raises(TypeError, match="__dlpack__"):
        DLPackInterop.from_dlpack([1, 2, 3])
    with pytest.raises(TypeError, match="ImageTypeId"):
        DLPackInterop.from_dlpack(torch.zeros(3), "IMAGE")
    with pytest.raises(TypeError, match="ImageDimension"):
        DLPackInterop.order_from_dlpack(torch.zeros(3), "COLUMN")


@pytest.mark.parametrize("fields, message", [
    (dict(device=2), "device CUDA:0"),
    (dict(device=99), "device type 99:0"),
    (dict(lanes=4), "4 lanes"),
    (dict(code=4, bits=16), "bfloat16 has no image view data type"),
    (dict(code=3, bits=64), "opaquehandle64 has no image view data type"),
    (dict(code=2, bits=24), "float24 has no image view data type"),
    (dict(shape=()), "0-d"),
    (dict(shape=(2, 0)), "has no elements"),
    (dict(data=False), "no data pointer"),
])
def test_odd_tensors_are_clear_value_errors(fields, message):
    keep = []
    with pytest.raises(ValueError, match=message):
        DLPackInterop.from_dlpack(crafted_capsule(keep, **fields))


def test_byte_offset_and_strides_are_honoured():
    keep = []
    view = DLPackInterop.from_dlpack(crafted_capsule(keep, shape=(3, 2), strides=(4, 1), offset=8))   # rows of 4, 2 used
    assert view.shape() == (3, 2)
    assert list(NumpyInterop.to_numpy_array(view).ravel()) == [8, 9, 12, 13, 16, 17]
    bools = DLPackInterop.from_dlpack(crafted_capsule(keep, code=6, bits=8))
    assert bools.data_type() == DataTypeId.UINT8 and int(bools.image_interpretation()) == int(iolink.ImageInterpretation.BINARY)


@pytest.mark.parametrize("dtype", [np.uint16, np.uint32, np.uint64])
def test_wide_unsigned_types_torch_refuses_are_our_clear_error(dtype):
    view = NumpyInterop.from_numpy_array(np.zeros((2, 3), dtype))
    start = _native.live_exports()
    if hasattr(torch, np.dtype(dtype).name):
        assert torch.from_dlpack(view).shape == (2, 3)          # a torch that has the type takes it
        return
    with pytest.raises(TypeError, match=r"torch .* has no %s tensors.*astype" % np.dtype(dtype).name):
        torch.from_dlpack(view)
    with pytest.raises(TypeError, match="has no %s tensors" % np.dtype(dtype).name):
        torch.from_dlpack(DLPackInterop.to_dlpack(view))
    assert _native.live_exports() == start
    assert np.from_dlpack(view).dtype == dtype                  # NumPy takes them


# --- hostile input, round 3: read-only memory, strides of part items, versioned capsules ---------------------------


def test_a_read_only_view_is_never_exported_as_a_writable_tensor(tmp_path):
    a = np.arange(12, dtype=np.int16).reshape(3, 4)
    a.flags.writeable = False
    sources = [NumpyInterop.from_numpy_array(a), ImageViewFactory.make_read_only(image()[1])]
    np.save(tmp_path / "m.npy", np.arange(12, dtype=np.int16).reshape(3, 4))
    sources.append(NumpyInterop.from_numpy_array(np.load(tmp_path / "m.npy", mmap_mode="r")))
    start = _native.live_exports()
    for view in sources:
        with pytest.raises(BufferError, match=r"read-only.*copy_in_memory"):
            torch.from_dlpack(view)
        with pytest.raises(BufferError, match="read-only"):
            view.__dlpack__()
    assert _native.live_exports() == start
    assert list(a.ravel()) == list(range(12))


def test_a_stride_of_part_items_is_refused_not_truncated():
    memory = np.zeros(64, np.uint8)
    odd = np.lib.stride_tricks.as_strided(memory.view(np.int16)[:1], shape=(5,), strides=(3,))
    view = NumpyInterop.from_numpy_array(odd)
    with pytest.raises(BufferError, match="steps 3 bytes, not a whole number of its 2-byte items"):
        torch.from_dlpack(view)


# --- DLPack 1.x: versioned capsules both ways, the read-only flag, max_version --------------------------------------

NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def writable_view():
    a = np.arange(12, dtype=np.int16).reshape(3, 4)
    return a, NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)


def test_a_consumer_asking_for_dlpack_1_gets_a_versioned_capsule():
    a, view = writable_view()
    start = _native.live_exports()
    for source, flags in ((view, 0), (ImageViewFactory.make_read_only(view), READ_ONLY)):
        capsule = source.__dlpack__(max_version=(1, 0))
        assert capsule_name(capsule) == b"dltensor_versioned"
        tensor = versioned_tensor(capsule)
        assert (tensor.version.major, tensor.version.minor) == (1, 0)
        assert tensor.flags == flags
        assert tensor.dl_tensor.data == a.ctypes.data and tensor.dl_tensor.ndim == 2
        del capsule, tensor                          # never consumed: its destructor deletes the tensor
    gc.collect()
    assert _native.live_exports() == start
    # A consumer that offers only the unversioned form (max_version None, or 0.x) gets it.
    assert capsule_name(view.__dlpack__()) == b"dltensor"
    assert capsule_name(view.__dlpack__(max_version=(0, 8))) == b"dltensor"
    with pytest.raises(TypeError, match=r"max_version must be None or a \(major, minor\) tuple"):
        view.__dlpack__(max_version=1)


def test_numpy_from_dlpack_shares_a_views_memory_and_its_writability():
    a, view = writable_view()
    n = np.from_dlpack(view)
    view.write_region(RegionXu64((1, 2), (1, 1)), np.array([-7], np.int16))     # column 1, row 2
    assert n[2, 1] == -7 and np.shares_memory(n, a)
    # Writable as far as this NumPy makes any import writable (NumPy 2.2 makes every import read-only).
    assert n.flags.writeable == np.from_dlpack(np.zeros(2)).flags.writeable
    read_only = ImageViewFactory.make_read_only(view)
    if NUMPY_2:
        r = np.from_dlpack(read_only)                # a versioned capsule with the read-only flag
        assert not r.flags.writeable and np.shares_memory(r, a)
        a[0, 0] = 99
        assert r[0, 0] == 99
    else:
        with pytest.raises(BufferError, match="read-only"):   # NumPy 1.x asks for the unversioned form only
            np.from_dlpack(read_only)


def test_a_versioned_capsule_imports_with_its_read_only_flag():
    keep = []
    for flags, writable in ((0, True), (READ_ONLY, False), (READ_ONLY | 2, False)):
        capsule = crafted_capsule(keep, version=(1, 1), flags=flags)
        view = DLPackInterop.from_dlpack(capsule)
        assert capsule_name(capsule) == b"used_dltensor_versioned"
        assert view.support(iolink.ImageCapability.WRITE) == writable
        assert bytes(view.read_region(RegionXu64((0,), (4,)))) == bytes(range(4))
        if not writable:
            with pytest.raises(Exception, match="WRITE"):
                view.write_region(RegionXu64((0,), (1,)), bytes([9]))
        with pytest.raises(BufferError, match="already been consumed"):
            DLPackInterop.from_dlpack(capsule)


@pytest.mark.parametrize("major", [0, 2, 1000])
def test_a_versioned_capsule_of_an_unknown_major_version_is_refused(major):
    keep = []
    capsule = crafted_capsule(keep, version=(major, 0))
    with pytest.raises(ValueError, match=r"version %d\.0, and IOLink reads DLPack 1\.x.*max_version=\(1, 0\)" % major):
        DLPackInterop.from_dlpack(capsule)
    assert capsule_name(capsule) == b"dltensor_versioned"        # still the producer's


def test_from_dlpack_passes_max_version_to_producers_that_take_it():
    calls = []

    class Current:
        def __init__(self, a):
            self.a = a

        def __dlpack__(self, **keywords):
            calls.append(keywords)
            return self.a.__dlpack__(**keywords) if NUMPY_2 else self.a.__dlpack__()

    class Old:                                    # torch before 2.9, NumPy 1.x: no max_version keyword
        def __init__(self, a):
            self.a = a

        def __dlpack__(self, stream=None):
            calls.append("old")
            return self.a.__dlpack__()

    a = np.arange(6, dtype=np.uint8)
    assert bytes(DLPackInterop.from_dlpack(Current(a)).read_region(RegionXu64((0,), (6,)))) == a.tobytes()
    assert calls == [{"max_version": (1, 0)}]
    assert bytes(DLPackInterop.from_dlpack(Old(a)).read_region(RegionXu64((0,), (6,)))) == a.tobytes()
    assert calls[-1] == "old"


def test_a_read_only_numpy_array_imports_without_write():
    a = np.arange(6, dtype=np.uint8)
    a.flags.writeable = False
    if not NUMPY_2:
        with pytest.raises(BufferError):        # NumPy 1.x cannot export it at all
            DLPackInterop.from_dlpack(a)
        return
    view = DLPackInterop.from_dlpack(a)
    assert not view.support(iolink.ImageCapability.WRITE)
    assert bytes(view.read_region(RegionXu64((0,), (6,)))) == a.tobytes()


def test_bool_from_any_producer_is_binary():
    binary = int(iolink.ImageInterpretation.BINARY)
    sources = []
    if NUMPY_2:                                     # NumPy 1.24 and torch 1.13 do not export bool at all
        sources.append(np.array([True, False, True]))
    if int(torch.__version__.split(".")[0]) >= 2:
        sources.append(torch.tensor([True, False, True]))
    for source in sources:
        view = DLPackInterop.from_dlpack(source)
        assert view.data_type() == DataTypeId.UINT8 and int(view.image_interpretation()) == binary, source

    keep = []

    class EightBitBools:                           # a producer that gives its booleans an 8-bit unsigned code
        dtype = "torch.bool"

        def __dlpack__(self, stream=None):
            return crafted_capsule(keep, code=1, bits=8)

    assert int(DLPackInterop.from_dlpack(EightBitBools()).image_interpretation()) == binary
    assert int(DLPackInterop.from_dlpack(crafted_capsule(keep, code=1, bits=8)).image_interpretation()) != binary


def test_bfloat16_names_the_conversion():
    with pytest.raises(ValueError, match=r"bfloat16: convert to float32 first, in PyTorch with tensor.float\(\)"):
        DLPackInterop.from_dlpack(torch.zeros(3, dtype=torch.bfloat16))


def test_strides_of_part_items_are_refused_in_both_forms():
    memory = np.zeros(64, np.uint8)
    odd = np.lib.stride_tricks.as_strided(memory.view(np.int16)[:1], shape=(5,), strides=(3,))
    view = NumpyInterop.from_numpy_array(odd)
    for max_version in (None, (1, 0)):
        with pytest.raises(BufferError, match="steps 3 bytes, not a whole number of its 2-byte items"):
            view.__dlpack__(max_version=max_version)


@pytest.mark.parametrize("fields, message", [
    (dict(shape=(1 << 62, 4), bits=32), r"shape \(4611686018427387904, 4\) is larger than 64 bits"),
    (dict(shape=(2, 4), strides=(1 << 62, 1), bits=32), r"stride 0 \(4611686018427387904 items of 4 bytes\) is larger than 64 bits"),
    (dict(offset=(1 << 64) - 1), r"byte_offset 18446744073709551615"),
])
def test_overflowing_fields_are_named(fields, message):
    keep = []
    with pytest.raises(ValueError, match=message):
        DLPackInterop.from_dlpack(crafted_capsule(keep, **fields))
