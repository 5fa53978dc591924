"""
IOLink for .NET from Python: image views and NumPy arrays over the same memory with the axis order right,
and IOLink streams as Python raw streams. Works in any CPython 3.9+ (it starts .NET 10 inside the process on
first import) and inside the IOLink host `iolink python`.

    import numpy as np
    from iolink import NumpyInterop, ImageTypeId

    a = np.zeros((2, 3), dtype=np.uint16)
    view = NumpyInterop.from_numpy_array(a, ImageTypeId.IMAGE)
    print(view.shape())            # VectorXu64(3, 2): 3 columns, 2 rows
"""



def _in_subinterpreter():
    # .NET and pythonnet are bound to the interpreter that started them (the main one): in a subinterpreter, taking
    # the GIL through them deadlocks. CPython names the current and main interpreters in _interpreters (3.13) or
    # _xxsubinterpreters (3.8 to 3.12).
    for name in ("_interpreters", "_xxsubinterpreters"):
        try:
            module = __import__(name)
            current, main = module.get_current(), module.get_main()
        except Exception:
            continue
        current = current[0] if isinstance(current, tuple) else current
        main = main[0] if isinstance(main, tuple) else main
        return int(current) != int(main)
    return False


if _in_subinterpreter():
    raise ImportError("iolink cannot be imported in a subinterpreter: .NET runs with the main interpreter only. "
                      "Import it in the main interpreter (or use a process per worker: multiprocessing, "
                      "concurrent.futures.ProcessPoolExecutor).", name="iolink")

from ._dotnet import VERSION as _NET_VERSION  # noqa: E402
from ._model import (DataType, DataTypeId, DataTypeInterpretation, ImageAxes, ImageCapability, ImageDimension,
                     ImageInterpretation, ImageTypeId, ImageView, ImageViewFactory, PrimitiveTypeId, RegionXu64,
                     VectorXu64)
from ._numpy import NumpyInterop
from ._dlpack import DLPackInterop, DLPackTensor
from ._stream import BufferedStream, StreamAccess, StreamAccessFactory, StreamAccessRawIO, open
from ._zarr import ZarrArray
from ._tiff import TiffFile
from ._hdf5 import Hdf5File
from ._collections import LodImageView, LodImageViewFactory, MultiImageView, MultiImageViewFactory
from ._properties import ImageProperties, MetadataNode
from ._random import RandomAccess, RandomAccessFactory
from ._table import DataFrameView, DataFrameViewFactory

try:
    from ._version import __version__       # written into the wheel by ./build.sh wheel
except ImportError:
    __version__ = _NET_VERSION              # run from the host's folder: the assemblies' version

__all__ = [
    "BufferedStream", "DataFrameView", "DataFrameViewFactory", "DataType", "DataTypeId", "DataTypeInterpretation", "DLPackInterop", "DLPackTensor", "Hdf5File", "ImageAxes", "ImageCapability", "ImageDimension",
    "ImageInterpretation", "ImageProperties", "ImageTypeId", "ImageView", "ImageViewFactory", "LodImageView", "LodImageViewFactory",
    "MetadataNode", "MultiImageView", "MultiImageViewFactory", "NumpyInterop", "PrimitiveTypeId", "RandomAccess", "RandomAccessFactory",
    "RegionXu64", "StreamAccess", "StreamAccessFactory", "StreamAccessRawIO", "TiffFile", "VectorXu64", "ZarrArray", "open",
]

# IOLink Python 1.8 spelling: ImageTypeId_IMAGE, DataTypeId_UINT16, ... as module constants.
for _enum in (ImageTypeId, DataTypeId):
    for _member in _enum:
        _name = "%s_%s" % (_enum.__name__, _member.name)
        globals()[_name] = _member
        __all__.append(_name)
del _enum, _member, _name
