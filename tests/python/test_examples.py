"""Every example of examples/python (the worked examples of docs/IOLINK.md sections 3 and 4, DLPack, Zarr) prints what it says."""

import pathlib
import runpy

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"

EXPECTED = {
    "rule1_plain_import.py": ["VectorXu64(2, 3)", "VectorXu64(2, 3)", "UNKNOWN True"],
    "rule2_image_import.py": ["VectorXu64(3, 2)", "True"],
    "rule3_named_axes.py": ["VectorXu64(3, 2)", "VectorXu64(3, 2, 4) VOLUME"],
    "rule4_vectors.py": ["VectorXu64(640, 480) VEC3_UINT16", "ValueError: The array's last axis would become vector components but is not packed"],
    "rule5_readonly_and_dtypes.py": ["False READ|MEMORY_ACCESS", "VectorXu64(6)", "UINT8 BINARY", "COMPLEX_FLOAT COMPLEX_DOUBLE",
                                     "ValueError: NumPy dtype '>u2' has non-native byte order", "ValueError: NumPy dtype '|O' is not supported",
                                     "ValueError: NumPy dtype '<U2' is not supported", "ValueError: The array is 0-d"],
    "rule6_7_8_export.py": ["(6, 4, 12)", "(6, 4, 12, 3)", "(12, 4, 6)", "(12, 4, 6, 3)", "(6, 12, 4)", "(6, 12, 4, 3)",
                            "ValueError: An export order names view dimensions, and this view's axes interpretation is UNKNOWN",
                            "UnsupportedOperation: to_numpy_array needs the MEMORY_ACCESS capability", "28"],
    "rule9_lifetime.py": ["4.5 (2, 3)", "[[0, 1, 2], [3, 4, 5]]", "False"],
    "dlpack_torch.py": ["(32, 64, 64) True", "VectorXu64(64, 64, 32) VOLUME", "(32, 64, 64) 1000.0 296.3", "(480, 640, 3)",
                        "(3, 480, 640)", "BufferError: The view has a negative stride"],
    "zarr_dask.py": ["(64, 128, 128) (32, 64, 64) 2577.5", "VectorXu64(128, 128, 64) zstd (level 1)", "1431 4"],
    "adapters.py": ["UINT8 READ|WRITE", "[123 125 128 130 132]", "FLOAT", "VEC3_UINT8 IMAGE [255 128   0]"],
    "indexing.py": ["(4, 6, 8) uint16 4 VectorXu64(8, 6, 4)", "[999  97  98] [  7  55 103 151]", "[[92.0, 76.0, 60.0], [140.0, 124.0, 108.0]]"],
    "tables.py": ["VectorXu64(4, 3) mm^3 12.25", "99.0 ['', 'nucleus', '']", "DOUBLE [1.5 2.5]"],
    "ome_zarr_shards.py": ["0.5 [(64, 256, 256), (32, 128, 128), (16, 64, 64)]", "(32, 64, 64) (64, 128, 128) ('z', 'y', 'x')",
                           "2898.0", "(0, 2) ['VectorXu64(256, 256, 64)', 'VectorXu64(128, 128, 32)', 'VectorXu64(64, 64, 16)']"],
    "levels_and_frames.py": ["(0, 2) [(64, 64, 64), (32, 32, 32), (16, 16, 16)]", "16384", "3 ['UINT16', 'FLOAT', 'UINT16'] (16, 16, 16)"],
    "streams_rawio.py": ["True True True", "hello, IOLink", "[0 1 2 3 4]", "zipped", "copied by shutil",
                         "UnsupportedOperation: this stream has no WRITE capability"],
}


def test_every_example_is_checked():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


def zarr_python_major():
    try:
        import zarr
    except ImportError:
        return 0
    return int(zarr.__version__.split(".")[0])


# Examples that need zarr-python 3 (Zarr v3 read by zarr-python and Dask): Debian 13's stack.
NEEDS_ZARR_3 = {"ome_zarr_shards.py"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_prints_what_the_rules_say(name, capsys):
    if name in NEEDS_ZARR_3 and zarr_python_major() < 3:
        pytest.skip("zarr-python 2 reads Zarr v2 only")
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(EXPECTED[name])
    for line, expected in zip(lines, EXPECTED[name]):
        assert line.startswith(expected), (line, expected)
