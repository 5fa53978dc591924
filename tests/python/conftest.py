"""
The Python suite runs under both interpreters users have (see build.sh test): plain python3 with the wheel
installed in a venv, and inside the IOLink host (`iolink python -m pytest tests/python`).
"""

import os
import pathlib
import shutil
import subprocess

import pytest

import iolink

PACKAGE = pathlib.Path(iolink.__file__).resolve().parent
REPO = pathlib.Path(__file__).resolve().parents[2]
PLAIN_PYTHON = "/usr/bin/python3"


def pytest_report_header(config):
    return "iolink %s from %s (%s)" % (iolink.__version__, iolink.__file__,
                                       "IOLink host" if iolink._dotnet.HOSTED else "plain CPython, .NET started in-process")


def _assembly_folder():
    """Where this process's IOLink assemblies are: the wheel's iolink/_lib, or the host's own folder."""
    if (PACKAGE / "_lib").is_dir():
        return PACKAGE / "_lib"
    import clr
    return pathlib.Path(str(clr.GetClrType(iolink._dotnet.net.ImageView).Assembly.Location)).parent


@pytest.fixture
def installed(tmp_path):
    """A copy of the package laid out as the wheel installs it (Python files, then _lib with the assemblies)."""
    target = tmp_path / "site" / "iolink"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "_lib", "_version.py"))
    lib = target / "_lib"
    lib.mkdir()
    for name in ("IOLink.dll", "IOLink.Python.dll", "IOLink.Zarr.dll", "ZstdSharp.dll", "Python.Runtime.dll"):
        shutil.copy(_assembly_folder() / name, lib / name)
    shutil.copy(REPO / "python" / "iolink.runtimeconfig.json", lib)
    return target


def run_plain(code, site, *args, **env):
    """Runs code (a string, or a script path with args) in a fresh plain python3 that finds iolink in site."""
    environment = dict(os.environ, PYTHONPATH=str(site), **env)
    environment.pop("PYTHONHOME", None)
    command = [PLAIN_PYTHON, "-c", code] if isinstance(code, str) else [PLAIN_PYTHON, str(code)]
    return subprocess.run(command + list(args), capture_output=True, text=True, env=environment, timeout=180)
