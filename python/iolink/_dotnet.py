"""The .NET side of iolink: assemblies, enum conversion and the mapping of .NET exceptions to Python ones."""

import functools
import io
import os
import re
import sys

# The assemblies shipped inside the installed package (the wheel); absent when the package is run from the IOLink
# host's own folder, where .NET is running already.
ASSEMBLY_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib")

try:
    import clr
    HOSTED = True       # inside `iolink python` (or a process that started pythonnet itself)
except ModuleNotFoundError as _missing:
    if _missing.name != "clr":
        raise
    HOSTED = False
    if not os.path.isdir(ASSEMBLY_FOLDER):
        raise ImportError(
            "iolink needs .NET in this process, and this copy of the package has no assemblies to start it with "
            "(%s is missing). Install the package (pip install . in a clone, or ./build.sh wheel then pip install dist/iolink-*.whl), or run "
            "Python through the IOLink host: `iolink python script.py`." % ASSEMBLY_FOLDER, name="iolink") from None
    from . import _loader
    _loader.start_dotnet(ASSEMBLY_FOLDER)
    import clr

# A plain process loads only what it is asked for. The package's Python code uses types of System.Private.CoreLib
# only (reached through System.Runtime); .NET code loads what it references by itself. Our assemblies come from
# the wheel's folder, or are the host's own.
clr.AddReference("System.Runtime")
for _name in ("IOLink", "IOLink.Python"):
    clr.AddReference(_name if HOSTED else os.path.join(ASSEMBLY_FOLDER, _name + ".dll"))
del _name

from . import _fork  # noqa: E402

_fork.guard()

import System  # noqa: E402
import IOLink as net  # noqa: E402
import IOLink.Python as netpy  # noqa: E402

VERSION = str(netpy.PythonEntryPoints.Version)
# The first code run in IOLink starts the thread pool's workers in the background (CopyParallelism's remarks): run
# some now, so that they are up long before the first large copy instead of starting during it.
_ = net.CopyParallelism.MaxDegreeOfParallelism
del _


def load_assembly(name):
    """Loads one of the package's optional assemblies (IOLink.Zarr) on first use: `import iolink` does not pay for it."""
    try:
        clr.AddReference(name if HOSTED else os.path.join(ASSEMBLY_FOLDER, name + ".dll"))
    except System.IO.FileNotFoundException:
        # Inside a .NET app that embeds Python (the IOLink.Python package), the app decides which assemblies it has.
        raise ImportError("%s is not in this process: add the %s package to the .NET app that runs this Python "
                          "(dotnet add package %s), or use the iolink wheel, which carries it" % (name, name, name),
                          name=name) from None
    return __import__(name, fromlist=["*"])

# Most specific first: the first match decides the Python type.
_ERRORS = (
    (System.ObjectDisposedException, ValueError),
    (net.InvalidFileFormatException, ValueError),
    (System.IO.InvalidDataException, ValueError),
    (System.DllNotFoundException, ImportError),
    (System.ArgumentNullException, TypeError),
    (System.Collections.Generic.KeyNotFoundException, KeyError),
    (System.ArgumentException, ValueError),
    (System.NotSupportedException, io.UnsupportedOperation),
    (System.InvalidCastException, TypeError),
    (System.IO.FileNotFoundException, FileNotFoundError),
    (System.IO.DirectoryNotFoundException, FileNotFoundError),
    (System.UnauthorizedAccessException, PermissionError),
    (System.IO.IOException, OSError),
    (System.OutOfMemoryException, MemoryError),
    (System.OverflowException, OverflowError),
    (System.InvalidOperationException, RuntimeError),
)


_NET_MEMBER = re.compile(r"\b(ImageViewFactory|NumpyInterop|DLPackInterop|StreamAccessFactory|ZarrArray|ImageView)\.([A-Z][A-Za-z0-9]*)\b")
_NET_METHOD = re.compile(r"\b(ReadRegion|WriteRegion)\b")


def _snake(name):
    """CopyInMemory -> copy_in_memory, FromDLPack -> from_dlpack."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower().replace("dl_pack", "dlpack")


def python_names(message):
    """A .NET message in the names a Python user calls: ImageViewFactory.CopyInMemory is ImageViewFactory.copy_in_memory."""
    package = sys.modules.get("iolink")

    def member(m):
        name = _snake(m.group(2))
        cls = getattr(package, m.group(1), None)
        return "%s.%s" % (m.group(1), name) if cls is not None and hasattr(cls, name) else m.group(0)

    message = _NET_MEMBER.sub(member, message)
    return _NET_METHOD.sub(lambda m: _snake(m.group(1)), message)


def python_error(exc):
    """The Python exception for a .NET exception, carrying the .NET message in Python's names."""
    message = str(exc.Message)
    if isinstance(exc, System.ArgumentException) and exc.ParamName:
        # .NET appends the parameter name; Python messages do not carry it.
        suffix = " (Parameter '%s')" % exc.ParamName
        if message.endswith(suffix):
            message = message[: -len(suffix)]
    message = python_names(message)
    for net_type, py_type in _ERRORS:
        if isinstance(exc, net_type):
            return py_type(message)
    return RuntimeError("%s: %s" % (exc.GetType().Name, message))


_AWS_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
                  "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")


def location(path):
    """A path or address as .NET takes it (str or os.PathLike). Before an s3:// address is used, this process's AWS_*
    variables (as os.environ has them now, what boto3 would read) are carried over to .NET, which reads its own copy of
    the environment."""
    text = path if isinstance(path, str) else os.fspath(path)
    if text[:5].lower() == "s3://":
        for name in _AWS_VARIABLES:
            System.Environment.SetEnvironmentVariable(name, os.environ.get(name))
    return text


def translate(func):
    """Runs func, raising .NET exceptions as the usual Python kinds (ValueError, TypeError, io.UnsupportedOperation...)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except System.Exception as e:
            raise python_error(e) from None

    return wrapper


def enum_kind_error(what, py_enum, value):
    """The TypeError for a value given where a member of py_enum belongs, in the argument's Python name."""
    return TypeError("%s must be a member of %s, not %s" % (what, py_enum.__name__, type(value).__name__))


def net_enum(net_type, value, py_enum, what):
    """The .NET enum value for a Python enum member (or int), refusing other kinds with TypeError."""
    if isinstance(value, bool) or not isinstance(value, int):
        # A .NET enum value passed straight through is fine too.
        if isinstance(value, net_type):
            return value
        raise enum_kind_error(what, py_enum, value)
    return net_type(int(value))


def enum_members(net_type):
    """(name, int value) pairs of an IOLink enum, in declaration order."""
    pairs = str(netpy.PythonEntryPoints.EnumMembers(net_type.__name__)).split(",")
    return [(name, int(value)) for name, value in (pair.split("=") for pair in pairs)]
