"""
iolink in a plain CPython: .NET started inside the process by iolink._loader, found the way users install it,
and clear ImportErrors (what was tried, what to install) when it cannot be. Each case runs a real /usr/bin/python3.
"""

import importlib.util
import json
import os
import shutil

import pytest

import iolink

from conftest import PACKAGE, REPO, run_plain as _run


def _load_loader():
    # The loader on its own (importing it through the package would start .NET): it needs only the stdlib.
    spec = importlib.util.spec_from_file_location("iolink_loader_under_test", PACKAGE / "_loader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plain_python3_starts_dotnet_in_its_own_process(installed):
    result = _run("import iolink, numpy as np\n"
                  "print(iolink.VectorXu64(2, 3))\n"
                  "a = np.arange(6, dtype=np.uint16).reshape(2, 3)\n"
                  "v = iolink.NumpyInterop.from_numpy_array(a, iolink.ImageTypeId.IMAGE)\n"
                  "b = iolink.NumpyInterop.to_numpy_array(v); b[1, 2] = 99\n"
                  "print(v.shape(), a[1, 2], iolink._dotnet.HOSTED)\n", installed.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["VectorXu64(2, 3)", "VectorXu64(3, 2) 99 False"]


def test_dotnet_runs_without_culture_data_so_a_machine_without_icu_imports(installed):
    # Without libicu (a minimal Debian 13), .NET's globalization would fail fast and kill the Python process.
    result = _run("import ctypes.util, iolink, clr\n"
                  "from System.Globalization import CultureInfo\n"
                  "print(repr(CultureInfo.CurrentCulture.Name), ctypes.util.find_library('icuuc') is not None)\n",
                  installed.parent, LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8")
    assert result.returncode == 0, result.stderr
    culture, has_icu = result.stdout.split()
    assert culture == "''"                        # the invariant culture, whatever the locale says
    config = json.loads((installed / "_lib" / "iolink.runtimeconfig.json").read_text())
    assert config["runtimeOptions"]["configProperties"]["System.Globalization.Invariant"] is True


_EXIT_CASES = {
    "a bound .NET method in a global": "x = iolink._dotnet.net.DataType.FromId",
    ".NET views in globals": "v = ImageViewFactory.allocate((4,), DataTypeId.UINT8)\nn = v.net\nw = iolink.ImageView(n)",
    "a view in a reference cycle": "v = ImageViewFactory.allocate((4,), DataTypeId.UINT8)\nv.net\nl = [v]\nl.append(l)",
    "arrays over a dropped view": ("v = ImageViewFactory.allocate((4,), DataTypeId.UINT8)\n"
                                   "a = NumpyInterop.to_numpy_array(v)\nb = numpy.asarray(v)\ndel v"),
    "iolink used by an atexit function": ("import atexit\n"
                                          "atexit.register(lambda: print(ImageViewFactory.allocate((4,), DataTypeId.UINT8).shape()))"),
    "a daemon thread still calling .NET": ("import threading, time\nv = ImageViewFactory.allocate((4,), DataTypeId.UINT8)\n"
                                           "def spin():\n    while True:\n        v.shape(); v.net.Shape\n"
                                           "threading.Thread(target=spin, daemon=True).start()\ntime.sleep(0.2)"),
}


@pytest.mark.parametrize("case", sorted(_EXIT_CASES))
def test_the_interpreter_exits_cleanly_whatever_iolink_objects_it_still_holds(installed, case):
    # Python 3.13 no longer exports _Py_IsFinalizing, which pythonnet uses to tell finalization from a dead
    # interpreter: a .NET object freed while Python finalizes made .NET end the process (exit 134) until iolink
    # shut pythonnet down at exit there (iolink._loader).
    result = _run("import numpy, iolink\nfrom iolink import DataTypeId, ImageViewFactory, NumpyInterop\n"
                  + _EXIT_CASES[case] + "\nprint('done')\n", installed.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "done"
    assert "Unhandled exception" not in result.stderr


def test_the_package_reports_the_projects_version():
    props = (REPO / "Directory.Build.props").read_text()
    version = props.split("<Version>")[1].split("</Version>")[0]
    assert iolink.__version__ == version


def test_a_package_without_assemblies_says_how_to_get_them(tmp_path):
    target = tmp_path / "iolink"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "_lib"))
    result = _run("import iolink", tmp_path)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: iolink needs .NET in this process")
    assert "./build.sh wheel" in last and "iolink python" in last
    assert "ModuleNotFoundError" not in result.stderr


def test_a_missing_runtimeconfig_names_the_file_and_the_fix(installed):
    (installed / "_lib" / "iolink.runtimeconfig.json").unlink()
    result = _run("import iolink", installed.parent)
    assert result.returncode == 1
    assert "iolink.runtimeconfig.json is missing" in result.stderr
    assert "pip install dist/iolink-*.whl" in result.stderr


def test_a_runtime_that_is_not_installed_is_an_import_error_with_hostfxrs_reason(installed):
    config = installed / "_lib" / "iolink.runtimeconfig.json"
    data = json.loads(config.read_text())
    data["runtimeOptions"]["framework"]["version"] = "99.0.0"
    data["runtimeOptions"]["tfm"] = "net99.0"
    config.write_text(json.dumps(data))
    result = _run("import iolink", installed.parent)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: iolink could not start .NET from ")
    assert "0x80008096" in last                  # hostfxr: the framework was not found
    assert "99.0.0" in last                      # hostfxr's own explanation, collected by the error writer
    assert "dotnet-runtime-10.0" in last


def test_import_errors_repeat_on_a_second_import_in_the_same_process(installed):
    (installed / "_lib" / "iolink.runtimeconfig.json").unlink()
    result = _run("import sys\n"
                  "for _ in range(2):\n"
                  "    try:\n        import iolink\n"
                  "    except ImportError as e:\n        print(type(e).__name__, 'missing' in str(e))\n", installed.parent)
    assert result.stdout.splitlines() == ["ImportError True", "ImportError True"], result.stderr


def _fake_install(root, runtimes, fxr=True):
    for version in runtimes:
        (root / "shared" / "Microsoft.NETCore.App" / version).mkdir(parents=True)
    if fxr:
        folder = root / "host" / "fxr" / "8.0.1"
        folder.mkdir(parents=True)
        (folder / "libhostfxr.so").write_bytes(b"")
    return root


def test_without_a_dotnet_10_every_folder_tried_is_listed_with_what_to_install(tmp_path, monkeypatch):
    loader = _load_loader()
    old = _fake_install(tmp_path / "old", ["8.0.1", "9.0.2"])
    nofxr = _fake_install(tmp_path / "nofxr", ["10.0.1"], fxr=False)
    missing = tmp_path / "missing"
    monkeypatch.setattr(loader, "_candidate_roots", lambda: iter(
        [(str(old), "$DOTNET_ROOT"), (str(nofxr), "dotnet on PATH"), (str(missing), "the usual install folder")]))
    with pytest.raises(ImportError) as raised:
        loader.find_dotnet()
    message = str(raised.value)
    assert isinstance(raised.value, loader.DotnetNotFound)
    assert message.startswith("iolink needs the .NET 10 runtime in this process, and none was found. Tried: ")
    assert "%s ($DOTNET_ROOT: runtimes 8.0.1, 9.0.2, none 10.x)" % old in message
    assert "%s (dotnet on PATH: no host/fxr/*/libhostfxr.so)" % nofxr in message
    assert "%s (the usual install folder: no such folder)" % missing in message
    assert "sudo apt-get install dotnet-runtime-10.0" in message and "DOTNET_ROOT" in message


def test_dotnet_root_comes_first_then_dotnet_on_path_then_the_usual_folders(tmp_path, monkeypatch):
    loader = _load_loader()
    monkeypatch.setenv("DOTNET_ROOT", str(tmp_path))
    monkeypatch.delenv("DOTNET_ROOT_X64", raising=False)
    roots = list(loader._candidate_roots())
    assert roots[0] == (str(tmp_path), "$DOTNET_ROOT")
    sources = [source for _, source in roots]
    if shutil.which("dotnet"):
        assert sources[1].startswith("dotnet on PATH")
    assert "/usr/share/dotnet" in [root for root, _ in roots]
    # With the environment pointing at an empty folder, the real install is still found further down.
    root, fxr = loader.find_dotnet()
    assert os.path.isfile(fxr) and root != str(tmp_path)


_SUBINTERPRETER = """
import sys
try:
    import _interpreters as interpreters
except ImportError:
    import _xxsubinterpreters as interpreters
if {main_first}:
    import iolink
sub = interpreters.create()
try:
    failure = interpreters.run_string(sub, "import iolink")
except Exception as e:                      # Python 3.12 and before raise the subinterpreter's error here
    print("REFUSED", type(e).__name__, e)
else:
    if failure is not None:                 # Python 3.13 returns it, as a snapshot of the exception
        print("REFUSED", failure.type.__name__, failure.msg)
"""


@pytest.mark.parametrize("main_first", [False, True])
def test_a_subinterpreter_import_is_a_prompt_import_error(installed, main_first):
    # Before, the import deadlocked (taking the GIL through pythonnet) or printed a .NET stack.
    result = _run(_SUBINTERPRETER.format(main_first=main_first), installed.parent)
    assert result.returncode == 0, result.stderr
    assert "REFUSED" in result.stdout, result.stdout + result.stderr
    assert "cannot be imported in a subinterpreter" in result.stdout + result.stderr
    assert "   at " not in result.stdout + result.stderr          # no .NET stack trace
