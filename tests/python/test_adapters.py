"""The factory's adapters from Python: value maps, channels, regions, serialized access, buffers, disk and random
accesses, and the properties and metadata that travel with a view."""

import gc
import io
import threading

import numpy as np
import pytest

from iolink import (DataTypeId, ImageCapability, ImageDimension, ImageInterpretation, ImageProperties, ImageTypeId,
                    ImageViewFactory, MetadataNode, NumpyInterop, RandomAccessFactory, RegionXu64)


def test_adapt_data_type_maps_whole_ranges_and_writes_back():
    a = np.array([0, 1, 128, 255], dtype=np.uint8)
    view = NumpyInterop.from_numpy_array(a)
    wide = ImageViewFactory.adapt_data_type(view, DataTypeId.UINT16)
    assert wide.capabilities() == ImageCapability.READ | ImageCapability.WRITE
    out = np.empty(4, dtype=np.uint16)
    wide.read_region(RegionXu64((0,), (4,)), out)
    assert out.tolist() == [0, 257, 32896, 65535]
    wide.write_region(RegionXu64((0,), (2,)), np.array([300, 65535], dtype=np.uint16))
    assert a.tolist() == [1, 255, 128, 255]          # the caller's array, through the inverse map

    real = NumpyInterop.from_numpy_array(np.array([2.5, 3.5, -5, 300, np.nan, 254.6, 0.49, 1e30, 2.5], dtype=np.float32))
    pixels = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(ImageViewFactory.adapt_data_type(real, DataTypeId.UINT8)))
    assert pixels.tolist() == [2, 4, 0, 255, 0, 255, 0, 255, 2]
    with pytest.raises(ValueError, match="complex"):
        ImageViewFactory.adapt_data_type(NumpyInterop.from_numpy_array(np.zeros(2, np.complex64)), DataTypeId.FLOAT)
    with pytest.raises(TypeError):
        ImageViewFactory.adapt_data_type(real, "uint8")


def test_adapt_dynamic_range_equals_numpys_clipped_linear_map():
    rng = np.random.default_rng(5)
    a = (rng.random((6, 10, 13)) * 1200 - 100).astype(np.float32)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    mapped = ImageViewFactory.adapt_dynamic_range(view, DataTypeId.UINT8, (100, 600), (10, 250))
    s = (250 - 10) / (600 - 100)
    o = 10 - 100 * s
    expected = np.rint(np.clip(a.astype(np.float64) * s + o, 10, 250)).astype(np.uint8)
    got = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(mapped))
    assert got.shape == a.shape and np.array_equal(got, expected)
    # A flipped source (negative strides) reads the same values, flipped.
    flipped = ImageViewFactory.adapt_dynamic_range(ImageViewFactory.flip_dimension_index(view, 0), DataTypeId.UINT8, (100, 600), (10, 250))
    assert np.array_equal(NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(flipped)), expected[:, :, ::-1])
    with pytest.raises(ValueError, match="empty"):
        ImageViewFactory.adapt_dynamic_range(view, DataTypeId.UINT8, (3, 3), (0, 255))
    with pytest.raises(ValueError, match="pair"):
        ImageViewFactory.adapt_dynamic_range(view, DataTypeId.UINT8, (1, 2, 3), (0, 255))


def test_interlace_and_channels_share_memory_where_the_layout_allows():
    planes = [np.full((4, 5), k, dtype=np.uint16) for k in (1, 2, 3)]
    rgb = ImageViewFactory.interlace([NumpyInterop.from_numpy_array(p, ImageTypeId.IMAGE) for p in planes])
    assert str(rgb.data_type()) == "VEC3_UINT16" and not rgb.support(ImageCapability.MEMORY_ACCESS)
    element = np.empty(3, dtype=np.uint16)
    rgb.read_region(RegionXu64((2, 1), (1, 1)), element)
    assert element.tolist() == [1, 2, 3]
    rgb.write_region(RegionXu64((0, 0), (1, 1)), np.array([7, 8, 9], dtype=np.uint16))
    assert [p[0, 0] for p in planes] == [7, 8, 9]

    # NumPy's (Y, X, C): each pixel's channels are adjacent, so assembling them as components shares the memory.
    yxc = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    channels = NumpyInterop.order_from_numpy_array(yxc, [ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL])
    assembled = ImageViewFactory.assemble_channels(channels)
    assert assembled.axes_interpretation() == ImageTypeId.IMAGE and str(assembled.data_type()) == "VEC3_UINT8"
    assert assembled.support(ImageCapability.MEMORY_ACCESS)
    shared = np.asarray(assembled)
    assert shared.shape == (4, 5, 3) and np.shares_memory(shared, yxc)
    shared[1, 2] = [200, 201, 202]
    assert yxc[1, 2].tolist() == [200, 201, 202]

    back = ImageViewFactory.disassemble_channels(assembled)
    assert back.axes_interpretation() == ImageTypeId.MULTISPECTRAL_IMAGE and tuple(back.shape()) == (5, 4, 3)
    assert np.array_equal(np.asarray(back), yxc) and np.shares_memory(np.asarray(back), yxc)   # NumPy order (Y, X, C)
    green = ImageViewFactory.extract_channel(back, 1)
    assert np.array_equal(np.asarray(green), yxc[:, :, 1])


def test_regions_flips_and_thread_safe_views():
    a = np.arange(20, dtype=np.uint8).reshape(4, 5)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
    part = ImageViewFactory.extract_adjusted_region(view, RegionXu64((3, 2), (10, 10)))
    assert tuple(part.shape()) == (2, 2) and np.asarray(part).tolist() == [[13, 14], [18, 19]]
    with pytest.raises(ValueError, match="does not intersect"):
        ImageViewFactory.extract_adjusted_region(view, RegionXu64((5, 0), (1, 1)))
    assert np.array_equal(np.asarray(ImageViewFactory.flip_dimension_index(view, 1)), a[::-1])
    with pytest.raises(ValueError, match="does not exist"):
        ImageViewFactory.flip_dimension_index(view, 2)
    with pytest.raises(TypeError):
        ImageViewFactory.flip_dimension_index(view, 1.0)

    safe = ImageViewFactory.make_thread_safe(view)
    assert safe.capabilities() == ImageCapability.READ | ImageCapability.WRITE
    errors = []

    def worker():
        try:
            for _ in range(200):
                row = np.empty(5, np.uint8)
                safe.read_region(RegionXu64((0, 1), (5, 1)), row)
                assert row.tolist() == a[1].tolist()
        except Exception as e:          # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_properties_and_metadata_travel_with_the_view():
    view = ImageViewFactory.allocate((4, 3, 2), DataTypeId.UINT16, ImageProperties(ImageTypeId.VOLUME), MetadataNode("metadata"))
    p = view.properties()
    p.spatial_spacing = (0.5, 0.25, 2.0)
    p.spatial_unit = "mm"
    p.value_range = (0, 4095)
    p.image_interpretation = ImageInterpretation.GRAYSCALE
    view.metadata().add("scanner", "lab 3").add("voltage", 80.5)
    assert view.properties().spatial_spacing == (0.5, 0.25, 2.0) and view.properties().value_range == (0.0, 4095.0)
    assert view.metadata().find("scanner/voltage").value == 80.5

    for derived in (ImageViewFactory.adapt_data_type(view, DataTypeId.UINT8), ImageViewFactory.copy_in_memory(view),
                    ImageViewFactory.make_thread_safe(view), ImageViewFactory.copy_on_disk(view)):
        assert derived.properties().spatial_spacing == (0.5, 0.25, 2.0), derived
        assert derived.properties().spatial_unit == "mm"
        assert derived.metadata().find("scanner").value == "lab 3"
    region = ImageViewFactory.extract_region(view, RegionXu64((2, 1, 1), (2, 2, 1)))
    assert region.properties().spatial_origin == (1.0, 0.25, 2.0)

    described = ImageViewFactory.from_image_view(view, ImageProperties(ImageTypeId.VOLUME), MetadataNode("metadata", "other"))
    assert described.properties().spatial_unit == "" and described.metadata().value == "other"
    assert described.support(ImageCapability.MEMORY_ACCESS)
    np.asarray(described)[1, 2, 3] = 77
    assert np.asarray(view)[1, 2, 3] == 77
    with pytest.raises(ValueError):
        ImageViewFactory.from_image_view(view, ImageProperties(ImageTypeId.IMAGE))
    with pytest.raises(TypeError):
        ImageViewFactory.from_image_view(view, {"spacing": 1})
    with pytest.raises(ValueError, match="3 numbers"):
        p.spatial_spacing = (1, 2)
    with pytest.raises(TypeError):
        MetadataNode("x", object())
    # NumPy export keeps the calibration reachable from the view (an array cannot carry it).
    assert NumpyInterop.to_numpy_array(view).shape == (2, 3, 4) and view.properties().spatial_unit == "mm"


def test_from_buffer_shares_the_callers_memory_and_keeps_it_alive():
    data = bytearray(range(24))
    view = ImageViewFactory.from_buffer((4, 3), DataTypeId.UINT16, data)
    assert view.support(ImageCapability.MEMORY_ACCESS | ImageCapability.WRITE)
    np.asarray(view)[0, 0] = 0xBEEF
    assert data[0:2] == (0xBEEF).to_bytes(2, "little")
    with pytest.raises(BufferError):
        data.extend(b"xx")              # the view holds the buffer's export
    view.dispose()
    del view            # the holds NumPy's array took go with the Python object
    gc.collect()
    data.extend(b"xx")

    frozen = ImageViewFactory.from_buffer((6,), DataTypeId.UINT8, bytes(6), ImageProperties(), MetadataNode("metadata", "ro"))
    assert not frozen.support(ImageCapability.WRITE) and frozen.metadata().value == "ro"
    with pytest.raises(io.UnsupportedOperation):
        frozen.write_region(RegionXu64((0,), (1,)), b"\x01")
    with pytest.raises(ValueError, match="needs exactly 12"):
        ImageViewFactory.from_buffer((4, 3), DataTypeId.UINT8, bytearray(11))


def test_disk_views_and_random_accesses(tmp_path):
    on_disk = ImageViewFactory.create_on_disk((8, 4), DataTypeId.FLOAT)
    assert on_disk.capabilities() == ImageCapability.READ | ImageCapability.WRITE
    on_disk.write_region(RegionXu64((0, 0), (8, 4)), np.arange(32, dtype=np.float32))
    copy = ImageViewFactory.copy_on_disk(on_disk)
    out = np.empty((4, 8), np.float32)
    copy.read_region(RegionXu64((0, 0), (8, 4)), out)
    assert out.ravel().tolist() == list(range(32))

    raw = tmp_path / "volume.raw"
    raw.write_bytes(np.arange(60, dtype=np.uint16).tobytes())
    with RandomAccessFactory.map_file(raw, writable=True) as access:
        assert access.size() == 120
        mapped = ImageViewFactory.from_random_access(access, 0, (5, 4, 3), DataTypeId.UINT16)
    assert mapped.support(ImageCapability.MEMORY_ACCESS)       # a NumPy array over the file, no copy
    np.asarray(mapped)[4, 3, 2] = 999                          # UNKNOWN axes: the view's own order (rule 7)
    del mapped
    assert np.frombuffer(raw.read_bytes(), np.uint16)[59] == 999
    with RandomAccessFactory.open_file_read(raw) as access:
        tail = ImageViewFactory.from_random_access(access, 100, (10,), DataTypeId.UINT16)
    assert not tail.support(ImageCapability.WRITE)
    with pytest.raises(ValueError, match="holds only 10 bytes"):
        ImageViewFactory.from_random_access(RandomAccessFactory.allocate(10), 4, (4,), DataTypeId.UINT16)
    with pytest.raises(TypeError):
        ImageViewFactory.from_random_access(b"bytes", 0, (4,), DataTypeId.UINT8)
