"""
Starts .NET inside this Python process, with nothing but ctypes: finds a .NET 10 runtime, loads its hostfxr,
starts the runtime from the runtimeconfig.json shipped beside the assemblies, loads pythonnet's Python.Runtime
into the default load context and calls its Loader.Initialize, after which `import clr` works.

Used when iolink is imported by an interpreter that is not the IOLink host (`iolink python`), which has .NET
running already. A runtime can start only once per process; a failure is remembered and raised again.
"""

import ctypes
import os
import sys

__all__ = ["start_dotnet", "DotnetNotFound"]

RUNTIME_MAJOR = 10
_FRAMEWORK = "Microsoft.NETCore.App"
_INSTALL_HINT = (
    "Install the .NET %d runtime (Debian/Ubuntu: `sudo apt-get install dotnet-runtime-%d.0`, or "
    "https://dotnet.microsoft.com/download/dotnet/%d.0), or set DOTNET_ROOT to the folder that holds it."
    % (RUNTIME_MAJOR, RUNTIME_MAJOR, RUNTIME_MAJOR))

# hostfxr's delegate types (hostfxr.h: hostfxr_delegate_type).
_HDT_GET_FUNCTION_POINTER = 6
_HDT_LOAD_ASSEMBLY = 7

_CHAR_P = ctypes.c_char_p          # char_t is char (UTF-8) everywhere but Windows
_ERROR_WRITER = ctypes.CFUNCTYPE(None, _CHAR_P)


class DotnetNotFound(ImportError):
    """No usable .NET runtime: the message lists every folder tried and what to install."""


class _InitParameters(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("host_path", _CHAR_P), ("dotnet_root", _CHAR_P)]


def _version_key(name):
    parts = []
    for piece in name.split("-")[0].split("."):
        parts.append(int(piece) if piece.isdigit() else -1)
    return parts


def _subfolders(path):
    try:
        return sorted((d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))), key=_version_key)
    except OSError:
        return []


def _which(name):
    # shutil.which, without importing shutil (and what it imports) into every process that imports iolink.
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(folder or os.curdir, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _candidate_roots():
    """(.NET root, where the name came from) in the order they are tried; duplicates dropped."""
    for variable in ("DOTNET_ROOT_X64" if sys.maxsize > 2 ** 32 else "DOTNET_ROOT_X86", "DOTNET_ROOT"):
        value = os.environ.get(variable)
        if value:
            yield value, "$" + variable
    dotnet = _which("dotnet")
    if dotnet:
        yield os.path.dirname(os.path.realpath(dotnet)), "dotnet on PATH (%s)" % dotnet
    # The installers record their folder here (Linux and macOS).
    for record in ("/etc/dotnet/install_location_x64", "/etc/dotnet/install_location"):
        try:
            with open(record, encoding="utf-8") as f:
                location = f.readline().strip()
        except OSError:
            continue
        if location:
            yield location, record
    for folder in ("/usr/share/dotnet", "/usr/lib/dotnet", "/usr/local/share/dotnet", "/opt/dotnet",
                   "/usr/lib64/dotnet", os.path.expanduser("~/.dotnet")):
        yield folder, "the usual install folder"


def find_dotnet():
    """(root, libhostfxr path) of the first .NET install with a runtime of the major version iolink needs."""
    tried = []
    seen = set()
    library = "libhostfxr.dylib" if sys.platform == "darwin" else "libhostfxr.so"
    for root, source in _candidate_roots():
        root = os.path.abspath(root)
        if root in seen:
            continue
        seen.add(root)
        runtimes = [v for v in _subfolders(os.path.join(root, "shared", _FRAMEWORK))
                    if v.split(".")[0] == str(RUNTIME_MAJOR)]
        fxr = [v for v in _subfolders(os.path.join(root, "host", "fxr")) if os.path.isfile(os.path.join(root, "host", "fxr", v, library))]
        if runtimes and fxr:
            return root, os.path.join(root, "host", "fxr", fxr[-1], library)
        if not os.path.isdir(root):
            why = "no such folder"
        elif not fxr:
            why = "no host/fxr/*/%s" % library
        else:
            found = _subfolders(os.path.join(root, "shared", _FRAMEWORK))
            why = "runtimes %s, none %d.x" % (", ".join(found), RUNTIME_MAJOR) if found else "no %s runtime" % _FRAMEWORK
        tried.append("%s (%s: %s)" % (root, source, why))
    raise DotnetNotFound("iolink needs the .NET %d runtime in this process, and none was found. Tried: %s. %s"
                         % (RUNTIME_MAJOR, "; ".join(tried), _INSTALL_HINT), name="iolink")


_state = {}


def start_dotnet(assembly_folder):
    """
    Starts .NET in this process (once) and initializes pythonnet from Python.Runtime.dll in assembly_folder, so
    that `import clr` works. Raises ImportError (DotnetNotFound when no runtime is installed) with what to do.
    """
    if "error" in _state:
        raise ImportError(_state["error"], name="iolink")
    if _state.get("started"):
        return
    try:
        _start(assembly_folder)
    except ImportError as e:
        _state["error"] = str(e)
        raise
    _state["started"] = True


def _start(assembly_folder):
    config = os.path.join(assembly_folder, "iolink.runtimeconfig.json")
    runtime_dll = os.path.join(assembly_folder, "Python.Runtime.dll")
    for needed in (config, runtime_dll):
        if not os.path.isfile(needed):
            raise ImportError("iolink is incomplete: %s is missing. Reinstall the package (pip install . in a "
                              "clone, or ./build.sh wheel then pip install dist/iolink-*.whl)." % needed, name="iolink")
    root, fxr_path = find_dotnet()
    try:
        fxr = ctypes.CDLL(fxr_path)
    except OSError as e:
        raise ImportError("iolink could not load %s: %s. %s" % (fxr_path, e, _INSTALL_HINT), name="iolink") from None

    messages = []

    @_ERROR_WRITER
    def collect(message):
        messages.append(message.decode("utf-8", "replace"))

    fxr.hostfxr_set_error_writer.restype = _ERROR_WRITER
    fxr.hostfxr_set_error_writer.argtypes = [_ERROR_WRITER]
    fxr.hostfxr_initialize_for_runtime_config.restype = ctypes.c_int32
    fxr.hostfxr_initialize_for_runtime_config.argtypes = [_CHAR_P, ctypes.POINTER(_InitParameters), ctypes.POINTER(ctypes.c_void_p)]
    fxr.hostfxr_get_runtime_delegate.restype = ctypes.c_int32
    fxr.hostfxr_get_runtime_delegate.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p)]
    fxr.hostfxr_close.restype = ctypes.c_int32
    fxr.hostfxr_close.argtypes = [ctypes.c_void_p]

    def failed(what, code):
        # hostfxr writes several lines (a reason, then install links); one line reads better in a traceback.
        detail = " ".join(line.strip() for m in messages for line in m.splitlines() if line.strip())
        return ImportError("iolink could not start .NET from %s: %s returned 0x%08x%s. %s"
                           % (root, what, code & 0xFFFFFFFF, (": " + detail) if detail else "", _INSTALL_HINT),
                           name="iolink")

    fxr.hostfxr_set_error_writer(collect)
    try:
        parameters = _InitParameters(ctypes.sizeof(_InitParameters), None, os.fsencode(root))
        handle = ctypes.c_void_p()
        code = fxr.hostfxr_initialize_for_runtime_config(os.fsencode(config), ctypes.byref(parameters), ctypes.byref(handle))
        # 0: started; 1 and 2: a runtime was already running in this process (and is used as it is).
        if code not in (0, 1, 2) or not handle.value:
            raise failed("hostfxr_initialize_for_runtime_config", code)
        try:
            load_assembly = ctypes.c_void_p()
            get_function = ctypes.c_void_p()
            for kind, target in ((_HDT_LOAD_ASSEMBLY, load_assembly), (_HDT_GET_FUNCTION_POINTER, get_function)):
                code = fxr.hostfxr_get_runtime_delegate(handle, kind, ctypes.byref(target))
                if code != 0 or not target.value:
                    raise failed("hostfxr_get_runtime_delegate(%d)" % kind, code)
        finally:
            fxr.hostfxr_close(handle)

        # Into the default load context, where pythonnet's clr.AddReference later loads our assemblies beside it.
        load = ctypes.CFUNCTYPE(ctypes.c_int32, _CHAR_P, ctypes.c_void_p, ctypes.c_void_p)(load_assembly.value)
        code = load(os.fsencode(runtime_dll), None, None)
        if code != 0:
            raise failed("load_assembly(Python.Runtime.dll)", code)
        get = ctypes.CFUNCTYPE(ctypes.c_int32, _CHAR_P, _CHAR_P, _CHAR_P, ctypes.c_void_p, ctypes.c_void_p,
                               ctypes.POINTER(ctypes.c_void_p))(get_function.value)
        entry = ctypes.c_void_p()
        code = get(b"Python.Runtime.Loader, Python.Runtime", b"Initialize", None, None, None, ctypes.byref(entry))
        if code != 0 or not entry.value:
            raise failed("get_function_pointer(Python.Runtime.Loader.Initialize)", code)
        shutdown = ctypes.c_void_p()
        code = get(b"Python.Runtime.Loader, Python.Runtime", b"Shutdown", None, None, None, ctypes.byref(shutdown))
        if code != 0 or not shutdown.value:
            raise failed("get_function_pointer(Python.Runtime.Loader.Shutdown)", code)
    finally:
        fxr.hostfxr_set_error_writer(_ERROR_WRITER())

    # int Initialize(IntPtr data, int size): the libpython to bind, as UTF-8; empty means this process's own
    # symbols, which is right for any interpreter (a static python3 has no libpython to name). It runs Python
    # code, so it is called with the GIL held (PYFUNCTYPE).
    initialize = ctypes.PYFUNCTYPE(ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32)(entry.value)
    code = initialize(b"", 0)
    if code != 0:
        raise ImportError("iolink started .NET from %s, but pythonnet's Python.Runtime failed to initialize (code %d)."
                          % (root, code), name="iolink")
    _state["root"] = root
    if not hasattr(ctypes.pythonapi, "_Py_IsFinalizing"):
        _shut_down_at_exit(shutdown.value)


def _shut_down_at_exit(address):
    # pythonnet tells "Python is finalizing" from "Python is gone" with _Py_IsFinalizing, which Python 3.13 no
    # longer exports (it is Py_IsFinalizing there). Without it, a .NET object that Python frees while it finalizes
    # (a bound .NET method kept in a global, say) makes pythonnet throw inside the deallocation, and .NET ends the
    # process (exit 134). So there, as pythonnet's own `pythonnet` package always does, pythonnet shuts down at exit
    # (before Python frees its modules): the .NET objects Python still holds are cut loose from .NET and freed as
    # plain Python objects. iolink's own objects keep working: they reach .NET through function pointers.
    import atexit
    call = ctypes.PYFUNCTYPE(ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32)(address)

    def shut_down():
        call(b"full_shutdown", len(b"full_shutdown"))

    atexit.register(shut_down)
