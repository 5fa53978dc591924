"""The Python suite runs inside the host: `iolink python -m pytest tests/python` (see build.sh)."""

import pytest


def pytest_configure(config):
    try:
        import iolink  # noqa: F401
    except ImportError as e:  # run with plain python3: say how to run it instead of failing every test
        raise pytest.UsageError("tests/python must run inside the host: iolink python -m pytest tests/python (%s)" % e)
