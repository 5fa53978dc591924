"""
The installed package as pip records it: the wheel's tag names the platform its ReadyToRun assemblies are for,
and the version is the project's one version. Inside the IOLink host the package comes from the host's folder,
not from an installation, and these tests are skipped there.
"""

import importlib.metadata
import os
import platform
import re
import subprocess
import sys

import pytest

import iolink

from conftest import REPO


def _distribution():
    if iolink._dotnet.HOSTED:
        pytest.skip("inside the IOLink host the package is the host's copy, not an installed distribution")
    return importlib.metadata.distribution("iolink")


def test_the_installed_wheel_is_tagged_for_this_platform_not_any():
    wheel = _distribution().read_text("WHEEL")
    tags = re.findall(r"^Tag: (\S+)$", wheel, re.MULTILINE)
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(platform.machine().lower(), platform.machine().lower())
    assert sys.platform.startswith("linux"), "the suite runs on Linux"
    assert tags == ["py3-none-linux_%s" % machine]
    assert re.search(r"^Root-Is-Purelib: false$", wheel, re.MULTILINE)


def test_the_installed_version_is_the_projects_version():
    props = (REPO / "Directory.Build.props").read_text(encoding="utf-8")
    version = re.search(r"<Version>\s*([^<\s]+)\s*</Version>", props).group(1)
    assert _distribution().version == version == iolink.__version__


def test_the_installed_files_are_the_package_and_its_assemblies():
    files = {str(f) for f in _distribution().files}
    for name in ("__init__.py", "_loader.py", "_bridge.py", "py.typed", "_version.py", "_lib/IOLink.dll",
                 "_lib/IOLink.Python.dll", "_lib/Python.Runtime.dll", "_lib/iolink.runtimeconfig.json"):
        assert "iolink/" + name in files
    # Nothing of the build: no C# sources, no project files.
    assert not any(f.endswith((".cs", ".csproj")) for f in files)


def test_the_installed_package_says_its_licence_and_carries_it():
    distribution = _distribution()
    assert distribution.metadata["License"] == "MIT"
    assert "License :: OSI Approved :: MIT License" in distribution.metadata.get_all("Classifier")
    assert distribution.read_text("LICENSE").startswith("MIT License")


def test_the_copy_kernels_run_precompiled_from_the_first_copy(tmp_path):
    # The wheel's assemblies carry the kernels as ReadyToRun code for x86-64-v3 (built with READYTORUN, which the
    # sdist's Directory.Build.targets defines): a fresh process's first copies must not jit any of them.
    _distribution()
    if not sys.platform.startswith("linux") or platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("the wheel's kernels are checked on linux-x64, the platform the suite runs on")
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        if " avx2 " not in f.read().replace("\n", " "):
            pytest.skip("without AVX2 the precompiled x86-64-v3 kernels are rejected and jitted, by design")
    log = tmp_path / "jit.txt"
    child = (
        "import numpy as np\n"
        "from iolink import ImageTypeId, ImageViewFactory, NumpyInterop, RegionXu64\n"
        "a = np.arange(64 ** 3, dtype=np.uint16).reshape(64, 64, 64)\n"
        "view = NumpyInterop.from_numpy_array(a.transpose(2, 1, 0), ImageTypeId.VOLUME)\n"
        "ImageViewFactory.copy_in_memory(view).dispose()\n"
        "out = np.empty((32, 32, 32), np.uint16)\n"
        "NumpyInterop.from_numpy_array(a, ImageTypeId.VOLUME).read_region(RegionXu64((8, 8, 8), (32, 32, 32)), out=out)\n"
        "assert out[0, 0, 1] == a[8, 8, 9]\n")
    env = dict(os.environ, DOTNET_JitStdOutFile=str(log), DOTNET_JitDisasmSummary="1")
    subprocess.run([sys.executable, "-c", child], env=env, check=True, timeout=120)
    jitted = [line for line in log.read_text(encoding="utf-8").splitlines() if "IOLink.Internal.StridedCopy" in line]
    assert jitted == [], "copy kernels jitted instead of precompiled:\n" + "\n".join(jitted)
    assert "JIT compiled" in log.read_text(encoding="utf-8"), "the runtime wrote no JIT summary to check"
