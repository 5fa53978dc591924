"""Zarr v3 with zarr-python 3 (Debian 13's stack): arrays it writes (every codec, shards, fill values, key encodings,
groups, OME-Zarr 0.5) read equal in IOLink, and arrays IOLink writes (sharded or not) read equal in zarr-python and
Dask on a distributed.LocalCluster."""

import json

import numpy as np
import pytest

zarr = pytest.importorskip("zarr")
if int(zarr.__version__.split(".")[0]) < 3:
    pytest.skip("zarr-python 2 reads and writes Zarr v2 only", allow_module_level=True)

from zarr.codecs import (BloscCodec, BytesCodec, Crc32cCodec, GzipCodec, ShardingCodec,  # noqa: E402
                         TransposeCodec, ZstdCodec)

from iolink import (ImageTypeId, ImageViewFactory, LodImageViewFactory,  # noqa: E402
                    NumpyInterop, RegionXu64, ZarrArray)


def values(shape, dtype):
    n = int(np.prod(shape))
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return (np.arange(n) % 3 == 0).reshape(shape)
    if dtype.kind == "c":
        return (np.arange(n) + 1j * np.arange(n)[::-1]).astype(dtype).reshape(shape)
    if dtype.kind == "f":
        return (np.arange(n) * 0.25 - 7).astype(dtype).reshape(shape)
    info = np.iinfo(dtype)
    return (np.arange(n) * 7919 % (min(info.max, 1 << 40) - max(info.min, -(1 << 40))) + max(info.min, -(1 << 40))).astype(dtype).reshape(shape)


def read_all(path, **kwargs):
    """The whole array as IOLink reads it, as NumPy (rule 1: the array's own axis order)."""
    view = ZarrArray.open(path, **kwargs)
    return NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(view)), view


CASES = {
    "default codecs": dict(dtype="u2"),
    "gzip crc32c, big-endian, transposed": dict(
        dtype=">f4", serializer=BytesCodec(endian="big"), filters=[TransposeCodec(order=(2, 0, 1))],
        compressors=[GzipCodec(level=3), Crc32cCodec()]),
    "blosc lz4 shuffle int16": dict(dtype="i2", compressors=BloscCodec(cname="lz4", clevel=5, shuffle="shuffle")),
    "blosc zstd bitshuffle uint8": dict(dtype="u1", compressors=BloscCodec(cname="zstd", clevel=3, shuffle="bitshuffle")),
    "no compression int64": dict(dtype="i8", compressors=None),
    "uint64 zstd checksum": dict(dtype="u8", compressors=ZstdCodec(level=3, checksum=True)),
    "float16": dict(dtype="f2"),
    "float64 big-endian": dict(dtype=">f8", serializer=BytesCodec(endian="big")),
    "complex64": dict(dtype="c8"),
    "complex128 crc32c": dict(dtype="c16", compressors=[Crc32cCodec()]),
    "bool": dict(dtype="bool"),
    "int8 dot-separated keys": dict(dtype="i1", chunk_key_encoding={"name": "default", "separator": "."}),
    "int32 v2 key encoding": dict(dtype="i4", chunk_key_encoding={"name": "v2", "separator": "/"}),
    "sharded uint16 zstd": dict(dtype="u2", shards=(8, 16, 24)),
    "sharded float32 gzip": dict(dtype="f4", shards=(8, 8, 24), compressors=GzipCodec(level=1)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_iolink_reads_what_zarr_python_writes(tmp_path, case):
    options = dict(CASES[case])
    dtype = options.pop("dtype")
    a = values((9, 14, 23), dtype)
    path = str(tmp_path / "a.zarr")
    z = zarr.create_array(store=path, shape=a.shape, dtype=dtype, chunks=(4, 8, 12), zarr_format=3, **options)
    z[:] = a
    got, view = read_all(path)
    # A bool array is a BINARY view, which NumPy export gives as uint8 0/1 (docs/IOLINK.md).
    assert got.dtype == (np.uint8 if dtype == "bool" else np.dtype(dtype).newbyteorder("="))
    assert np.array_equal(got, a)
    info = ZarrArray.info(view)
    assert info["format"] == 3 and info["shape"] == a.shape and info["chunks"] == (4, 8, 12)
    assert info["shards"] == options.get("shards")


@pytest.mark.parametrize("fill", [0, 17, "nan", "inf", "-inf"])
def test_missing_chunks_read_as_the_fill_value(tmp_path, fill):
    dtype = "u2" if isinstance(fill, int) else "f4"
    fill_value = fill if isinstance(fill, int) else float(fill)
    for shards in (None, (8, 8)):
        path = str(tmp_path / ("s.zarr" if shards else "p.zarr"))
        z = zarr.create_array(store=path, shape=(12, 20), dtype=dtype, chunks=(4, 4), shards=shards,
                              fill_value=fill_value, zarr_format=3)
        z[1:3, 5:7] = 3                                   # one inner chunk stored; the rest missing
        expected = np.full((12, 20), fill_value, dtype=dtype)
        expected[1:3, 5:7] = 3
        got, _ = read_all(path)
        assert np.array_equal(got, expected, equal_nan=True)


def test_a_hex_fill_value_keeps_its_bits(tmp_path):
    path = tmp_path / "h.zarr"
    zarr.create_array(store=str(path), shape=(4,), dtype="f4", chunks=(2,), zarr_format=3)
    meta = json.loads((path / "zarr.json").read_text())
    meta["fill_value"] = "0x7fc00001"                     # a NaN with a payload: its exact bits
    (path / "zarr.json").write_text(json.dumps(meta))
    got, _ = read_all(str(path))
    assert got.view(np.uint32).tolist() == [0x7FC00001] * 4


def test_a_region_of_a_sharded_array_decodes_only_the_inner_chunks_it_touches(tmp_path):
    a = values((64, 64, 64), "u2")
    path = str(tmp_path / "s.zarr")
    zarr.create_array(store=path, shape=a.shape, dtype="u2", chunks=(16, 16, 16), shards=(64, 64, 64),
                      compressors=ZstdCodec(level=1), zarr_format=3)[:] = a
    view = ZarrArray.open(path, image_type=ImageTypeId.VOLUME)
    out = np.empty((16, 16, 16), np.uint16)
    view.read_region(RegionXu64((16, 32, 0), (16, 16, 16)), out=out)     # (X, Y, Z): one inner chunk
    assert np.array_equal(out, a[0:16, 32:48, 16:32])
    assert ZarrArray.info(view)["chunks_decoded"] == 1
    out = np.empty((2, 20, 3), np.uint16)
    view.read_region(RegionXu64((15, 10, 30), (3, 20, 2)), out=out)      # spans 2 x 2 x 1 inner chunks
    assert np.array_equal(out, a[30:32, 10:30, 15:18])
    assert ZarrArray.info(view)["chunks_decoded"] == 1 + 4


def test_index_at_the_start_of_the_shard(tmp_path):
    a = values((16, 24), "i4")
    path = str(tmp_path / "start.zarr")
    z = zarr.create_array(store=path, shape=a.shape, dtype="i4", chunks=(16, 24), zarr_format=3, compressors=None,
                          serializer=ShardingCodec(chunk_shape=(4, 8), codecs=[BytesCodec(), ZstdCodec()],
                                                   index_location="start"))
    z[:] = a
    got, view = read_all(path)
    assert np.array_equal(got, a)
    assert "start" in json.dumps(json.load(open(path + "/zarr.json")))


@pytest.mark.parametrize("codec", ["none", "zstd", "gzip", "blosc-lz4"])
@pytest.mark.parametrize("shards", [None, (32, 16, 8)])
def test_zarr_python_reads_what_iolink_writes(tmp_path, codec, shards):
    a = values((20, 30, 40), "u2")                       # (Z, Y, X)
    path = str(tmp_path / "ours.zarr")
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME)
    ZarrArray.write(view, path, chunks=(16, 8, 4), codec=codec, shards=shards)
    z = zarr.open_array(path, mode="r")
    assert z.metadata.zarr_format == 3
    assert z.chunks == (4, 8, 16)
    assert z.shards == (None if shards is None else (8, 16, 32))
    assert z.metadata.dimension_names == ("z", "y", "x")
    assert np.array_equal(z[:], a)
    got, back = read_all(path)                          # dimension names z, y, x: the axes come back named
    assert back.axes_interpretation() == ImageTypeId.VOLUME and np.array_equal(got, a)


def test_vector_and_float_views_and_flat_keys_round_trip(tmp_path):
    rgb = (np.arange(6 * 5 * 3) % 251).astype(np.uint8).reshape(6, 5, 3)
    path = str(tmp_path / "rgb.zarr")
    ZarrArray.write(NumpyInterop.from_numpy_array(rgb, ImageTypeId.IMAGE), path, nested=False, chunks=(2, 2), shards=(4, 6))
    z = zarr.open_array(path, mode="r")
    assert z.metadata.chunk_key_encoding.separator == "." and np.array_equal(z[:], rgb)
    f = np.linspace(-1, 1, 7 * 9, dtype=np.float64).reshape(7, 9)
    path = str(tmp_path / "f.zarr")
    ZarrArray.write(NumpyInterop.from_numpy_array(f), path, chunks=(4, 4), codec="gzip")
    assert np.array_equal(zarr.open_array(path, mode="r")[:], f)


def test_writes_through_a_sharded_view_rewrite_only_their_shards(tmp_path):
    a = np.zeros((16, 16), np.int16)
    path = tmp_path / "w.zarr"
    ZarrArray.write(NumpyInterop.from_numpy_array(a), str(path), chunks=(4, 4), shards=(8, 8))
    shards = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != "zarr.json")
    assert shards == ["c/0/0", "c/0/1", "c/1/0", "c/1/1"]
    before = {s: (path / s).read_bytes() for s in shards}
    view = ZarrArray.open(str(path), writable=True)
    view.write_region(RegionXu64((9, 1), (2, 3)), np.full((3, 2), 5, np.int16))   # rule 1: array[9:11, 1:4]
    after = {s: (path / s).read_bytes() for s in shards}
    assert [s for s in shards if before[s] != after[s]] == ["c/1/0"]
    expected = a.copy()
    expected[9:11, 1:4] = 5
    assert np.array_equal(zarr.open_array(str(path), mode="r")[:], expected)


def test_ome_zarr_0_5_written_by_iolink_is_what_zarr_python_reads(tmp_path):
    rgb = (np.arange(16 * 24 * 32 * 2) % 4000).astype(np.uint16).reshape(16, 24, 32, 2)   # (Z, Y, X) of 2 channels
    view = NumpyInterop.from_numpy_array(rgb, ImageTypeId.VOLUME)        # a volume of 2-component vectors
    a = np.moveaxis(rgb, -1, 0)                                           # NGFF: channels before space, (C, Z, Y, X)
    path = str(tmp_path / "image.ome.zarr")
    with LodImageViewFactory.downsample(view, 3, method="nearest") as lod:
        ZarrArray.write(lod, path, chunks=(8, 8, 8), shards=(16, 16, 16))
    group = zarr.open_group(path, mode="r")
    ome = group.attrs["ome"]
    assert ome["version"] == "0.5"
    image = ome["multiscales"][0]
    assert [axis["name"] for axis in image["axes"]] == ["c", "z", "y", "x"]
    for i, step in enumerate((1, 2, 4)):
        level = group[str(i)]
        assert level.metadata.dimension_names == ("c", "z", "y", "x")
        assert np.array_equal(level[:], a[:, ::step, ::step, ::step])
    with ZarrArray.open_lod(path) as back:
        assert len(back) == 3
        coarse = NumpyInterop.to_numpy_array(ImageViewFactory.copy_in_memory(back.resolution(2)))
        assert np.array_equal(coarse, rgb[::4, ::4, ::4])                 # NumPy order again: channels last


def test_nested_groups_list_their_arrays(tmp_path):
    path = str(tmp_path / "g.zarr")
    root = zarr.open_group(path, mode="w", zarr_format=3)
    root.create_group("raw").create_array("volume", shape=(4, 4), chunks=(2, 2), dtype="u1")[:] = 1
    root.create_array("labels", shape=(4, 4), chunks=(2, 2), dtype="u1")[:] = 2
    with pytest.raises(ValueError, match=r"is a Zarr group, not an array; it holds the arrays .*labels.*raw/volume"):
        ZarrArray.open(path)
    got, _ = read_all(path + "/raw/volume")
    assert (got == 1).all()


def test_what_iolink_does_not_read_is_refused_by_name(tmp_path):
    path = tmp_path / "x.zarr"
    zarr.create_array(store=str(path), shape=(4,), dtype="u1", chunks=(2,), zarr_format=3)
    meta = json.loads((path / "zarr.json").read_text())
    for change, message in [
        ({"codecs": [{"name": "bytes"}, {"name": "lz5"}]}, "uses the codec 'lz5'"),
        ({"storage_transformers": [{"name": "fancy"}]}, "storage transformers fancy"),
        ({"an_extension": {"must_understand": True}}, "extension 'an_extension'"),
        ({"data_type": "string"}, "data_type \"string\" cannot be read"),
        ({"chunk_grid": {"name": "rectilinear", "configuration": {}}}, "chunk grid 'rectilinear'"),
    ]:
        (path / "zarr.json").write_text(json.dumps({**meta, **change}))
        with pytest.raises(ValueError, match=message):
            ZarrArray.open(str(path))
    (path / "zarr.json").write_text(json.dumps({**meta, "ignored": {"must_understand": False}}))
    ZarrArray.open(str(path))


def test_dask_computes_on_a_sharded_array_iolink_wrote_with_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    a = values((32, 48, 64), "u2")
    path = str(tmp_path / "d.zarr")
    ZarrArray.write(NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME), path, chunks=(16, 16, 16), shards=(32, 32, 32))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        volume = da.from_zarr(path)
        assert volume.shape == a.shape
        assert float(volume.mean().compute()) == pytest.approx(float(a.mean()))
        assert np.array_equal(volume[:, 5, :].compute(), a[:, 5, :])
        assert np.array_equal(volume.sum(axis=0).compute(), a.sum(axis=0, dtype=np.uint64))


def test_ome_zarr_0_5_channels_and_calibration_written_by_zarr_python_are_read(tmp_path):
    path = str(tmp_path / "cells.ome.zarr")
    a = (np.arange(2 * 6 * 8 * 10) % 500).astype(np.uint16).reshape(2, 6, 8, 10)     # (C, Z, Y, X)
    group = zarr.open_group(path, mode="w", zarr_format=3)
    group.create_array("0", shape=a.shape, chunks=(1, 6, 8, 10), dtype="u2", dimension_names=["c", "z", "y", "x"])[:] = a
    group.attrs["ome"] = {
        "version": "0.5",
        "multiscales": [{
            "axes": [{"name": "c", "type": "channel"}, {"name": "z", "type": "space", "unit": "micrometer"},
                     {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space", "unit": "micrometer"}],
            "datasets": [{"path": "0", "coordinateTransformations": [
                {"type": "scale", "scale": [1.0, 2.0, 0.5, 0.25]}, {"type": "translation", "translation": [0.0, 10.0, 20.0, 30.0]}]}],
        }],
        "omero": {"channels": [
            {"label": "DAPI", "color": "0000FF", "active": True, "window": {"start": 0, "end": 400, "min": 0, "max": 65535}},
            {"label": "GFP", "color": "00FF00", "active": False, "window": {"start": 10, "end": 300, "min": 0, "max": 65535}},
        ]},
    }
    view = ZarrArray.open(path)
    assert tuple(view.shape()) == (10, 8, 6, 2)                                     # X, Y, Z, C
    props = view.properties()
    assert tuple(props.spatial_spacing) == (0.25, 0.5, 2.0) and tuple(props.spatial_origin) == (30.0, 20.0, 10.0)
    assert props.spatial_unit == "um"
    metadata = view.metadata()
    assert metadata.find("ome").value == "0.5"
    assert metadata.find("ome/omero/channels").value == 2
    assert [metadata.find("ome/omero/channels/%d/label" % i).value for i in range(2)] == ["DAPI", "GFP"]
    assert metadata.find("ome/omero/channels/1/window/end").value == 300.0
    assert metadata.find("ome/omero/channels/1/active").value is False
    assert ZarrArray.info(view)["dimension_names"] == ("c", "z", "y", "x")


def test_a_group_with_consolidated_metadata_opens_as_any_group(tmp_path):
    path = str(tmp_path / "c.zarr")
    root = zarr.open_group(path, mode="w", zarr_format=3)
    root.create_array("labels", shape=(4, 6), chunks=(2, 3), dtype="u1")[:] = 7
    zarr.consolidate_metadata(path)
    assert "consolidated_metadata" in json.load(open(path + "/zarr.json"))
    with pytest.raises(ValueError, match="it holds the array .*labels"):
        ZarrArray.open(path)
    got, _ = read_all(path + "/labels")
    assert (got == 7).all()
