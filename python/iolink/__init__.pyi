"""Type stubs for iolink: what editors and type checkers see of the package (checked against it by tests/python)."""

import enum
import os
import io
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, SupportsIndex, Tuple, Union, overload

import numpy

__version__: str

_Buffer = Any            # any object with the buffer protocol: bytes, bytearray, memoryview, numpy.ndarray
_Ints = Union["VectorXu64", Sequence[int]]


class _Enum(enum.IntEnum): ...


class _Flags(enum.IntFlag): ...


class DataTypeId(_Enum):
    UNKNOWN = 0
    UINT8 = 65800
    UINT16 = 65808
    UINT32 = 65824
    UINT64 = 65856
    INT8 = 131336
    INT16 = 131344
    INT32 = 131360
    INT64 = 131392
    FLOAT = 196896
    DOUBLE = 196928
    COMPLEX_FLOAT = 16974368
    COMPLEX_DOUBLE = 16974400
    VEC2_UINT8 = 33620488
    VEC2_UINT16 = 33620496
    VEC2_UINT32 = 33620512
    VEC2_UINT64 = 33620544
    VEC3_UINT8 = 33620744
    VEC3_UINT16 = 33620752
    VEC3_UINT32 = 33620768
    VEC3_UINT64 = 33620800
    VEC4_UINT8 = 33621000
    VEC4_UINT16 = 33621008
    VEC4_UINT32 = 33621024
    VEC4_UINT64 = 33621056
    VEC2_INT8 = 33686024
    VEC2_INT16 = 33686032
    VEC2_INT32 = 33686048
    VEC2_INT64 = 33686080
    VEC3_INT8 = 33686280
    VEC3_INT16 = 33686288
    VEC3_INT32 = 33686304
    VEC3_INT64 = 33686336
    VEC4_INT8 = 33686536
    VEC4_INT16 = 33686544
    VEC4_INT32 = 33686560
    VEC4_INT64 = 33686592
    VEC2_FLOAT = 33751584
    VEC2_DOUBLE = 33751616
    VEC3_FLOAT = 33751840
    VEC3_DOUBLE = 33751872
    VEC4_FLOAT = 33752096
    VEC4_DOUBLE = 33752128
    MATRIX2_FLOAT = 50529312
    MATRIX2_DOUBLE = 50529344
    MATRIX3_FLOAT = 50530592
    MATRIX3_DOUBLE = 50530624
    MATRIX4_FLOAT = 50532384
    MATRIX4_DOUBLE = 50532416


class PrimitiveTypeId(_Enum):
    UNKNOWN = 0
    UNSIGNED_INTEGER = 1
    SIGNED_INTEGER = 2
    FLOATING_POINT = 3


class DataTypeInterpretation(_Enum):
    RAW = 0
    COMPLEX = 1
    VECTOR = 2
    MATRIX = 3


class ImageTypeId(_Enum):
    UNKNOWN = 0
    IMAGE = 3
    VOLUME = 7
    MULTISPECTRAL_IMAGE = 11
    MULTISPECTRAL_VOLUME = 15
    IMAGE_SEQUENCE = 19
    VOLUME_SEQUENCE = 23
    MULTISPECTRAL_IMAGE_SEQUENCE = 27
    MULTISPECTRAL_VOLUME_SEQUENCE = 31


class ImageDimension(_Enum):
    COLUMN = 0
    ROW = 1
    SLICE = 2
    CHANNEL = 3
    SEQUENCE = 4


class ImageInterpretation(_Enum):
    UNKNOWN = 0
    GRAYSCALE = 1
    LABEL = 2
    BINARY = 3
    RGB = 4
    HSV = 5
    CIELAB = 6
    YUV = 7
    MULTISPECTRAL = 8


class ImageCapability(_Flags):
    READ = 1
    WRITE = 2
    RESHAPE = 4
    MEMORY_ACCESS = 8

ImageAxes = ImageDimension


class VectorXu64:
    @overload
    def __init__(self, *values: int) -> None: ...
    @overload
    def __init__(self, values: Iterable[int]) -> None: ...
    def size(self) -> int: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: SupportsIndex) -> int: ...
    def __iter__(self) -> Iterator[int]: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...


class RegionXu64:
    origin: VectorXu64
    size: VectorXu64
    def __init__(self, origin: _Ints, size: _Ints) -> None: ...
    @staticmethod
    def create_full_region(shape: _Ints) -> "RegionXu64": ...
    def element_count(self) -> int: ...


class DataType:
    def __init__(self, value: Union["DataType", DataTypeId, int]) -> None: ...
    @property
    def id(self) -> Union[DataTypeId, int]: ...
    @property
    def dimension(self) -> int: ...
    @property
    def bit_depth(self) -> int: ...
    @property
    def byte_count(self) -> int: ...


class ImageView:
    @property
    def net(self) -> Any: ...
    def shape(self) -> VectorXu64: ...
    def data_type(self) -> DataType: ...
    def dimension_count(self) -> int: ...
    def capabilities(self) -> ImageCapability: ...
    def support(self, capability: ImageCapability) -> bool: ...
    def axes_interpretation(self) -> ImageTypeId: ...
    def axes(self) -> Tuple[ImageDimension, ...]: ...
    def image_interpretation(self) -> ImageInterpretation: ...
    def read_region(self, region: RegionXu64, out: Optional[_Buffer] = None) -> Any: ...
    def write_region(self, region: RegionXu64, buffer: _Buffer) -> None: ...
    @property
    def __array_interface__(self) -> dict: ...
    def __dlpack__(self, stream: Any = None, max_version: Any = None, dl_device: Any = None, copy: Optional[bool] = None) -> Any: ...
    def __dlpack_device__(self) -> Tuple[int, int]: ...
    def dispose(self) -> None: ...
    def __enter__(self) -> "ImageView": ...
    def __exit__(self, *exc: object) -> None: ...


class ImageViewFactory:
    @staticmethod
    def allocate(shape: _Ints, data_type: Union[DataTypeId, DataType, int]) -> ImageView: ...
    @staticmethod
    def reinterpret(view: ImageView, image_type: ImageTypeId) -> ImageView: ...
    @staticmethod
    def reinterpret_axes(view: ImageView, dims: Sequence[ImageDimension]) -> ImageView: ...
    @staticmethod
    def extract_region(view: ImageView, region: RegionXu64) -> ImageView: ...
    @staticmethod
    def copy_in_memory(view: ImageView) -> ImageView: ...
    @staticmethod
    def make_read_only(view: ImageView) -> ImageView: ...
    @staticmethod
    def flip_dimension(view: ImageView, dim: ImageDimension) -> ImageView: ...
    @staticmethod
    def sub_sample(view: ImageView, steps: _Ints) -> ImageView: ...
    @staticmethod
    def stack(views: Union[Sequence[ImageView], MultiImageView], dimension: ImageDimension) -> ImageView: ...
    @staticmethod
    def uniform(shape: _Ints, data_type: Union[DataTypeId, DataType, int], value: Union[int, float, complex, Sequence[Union[int, float]], _Buffer]) -> ImageView: ...


class NumpyInterop:
    @staticmethod
    def from_numpy_array(array: numpy.ndarray, image_type: Optional[ImageTypeId] = None) -> ImageView: ...
    @staticmethod
    def order_from_numpy_array(array: numpy.ndarray, axes: Sequence[ImageDimension]) -> ImageView: ...
    @staticmethod
    def to_numpy_array(view: ImageView) -> numpy.ndarray: ...
    @staticmethod
    def order_to_numpy_array(view: ImageView, order: Sequence[ImageDimension]) -> numpy.ndarray: ...


class BufferedStream(io.BufferedIOBase):
    @property
    def raw(self) -> StreamAccessRawIO: ...


def open(stream_access: Any, mode: str = "rb", buffering: int = -1, encoding: Optional[str] = None,
         errors: Optional[str] = None, newline: Optional[str] = None) -> Union[BufferedStream, io.TextIOWrapper]: ...


class LodImageView:
    @property
    def net(self) -> Any: ...
    def level_range(self) -> Tuple[int, int]: ...
    def resolution(self, level: int) -> ImageView: ...
    def dispose(self) -> None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[ImageView]: ...
    def __enter__(self) -> LodImageView: ...
    def __exit__(self, *exc: Any) -> None: ...


class LodImageViewFactory:
    @staticmethod
    def from_views(views: Iterable[ImageView]) -> LodImageView: ...
    @staticmethod
    def downsample(view: ImageView, levels: int, method: str = "mean") -> LodImageView: ...


class MultiImageView:
    @property
    def net(self) -> Any: ...
    def capabilities(self) -> ImageCapability: ...
    def count(self) -> int: ...
    def at(self, index: int) -> ImageView: ...
    def add(self, view: ImageView) -> None: ...
    def insert(self, index: int, view: ImageView) -> None: ...
    def set(self, index: int, view: ImageView) -> None: ...
    def remove(self, index: int) -> None: ...
    def dispose(self) -> None: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> ImageView: ...
    def __iter__(self) -> Iterator[ImageView]: ...
    def __enter__(self) -> MultiImageView: ...
    def __exit__(self, *exc: Any) -> None: ...


class MultiImageViewFactory:
    @staticmethod
    def from_views(views: Iterable[ImageView], writable: bool = True) -> MultiImageView: ...


class ZarrArray:
    @staticmethod
    def open(path: Union[str, os.PathLike[str]], writable: bool = False, image_type: Optional[ImageTypeId] = None,
             axes: Optional[Sequence[ImageDimension]] = None) -> ImageView: ...
    @staticmethod
    def open_level(path: Union[str, os.PathLike[str]], level: int, writable: bool = False) -> ImageView: ...
    @staticmethod
    def open_lod(path: Union[str, os.PathLike[str]], writable: bool = False) -> LodImageView: ...
    @staticmethod
    def level_paths(path: Union[str, os.PathLike[str]]) -> List[str]: ...
    @staticmethod
    def create(path: Union[str, os.PathLike[str]], shape: Union[VectorXu64, Sequence[int]], data_type: DataTypeId,
               image_type: Optional[ImageTypeId] = None, chunks: Optional[Union[VectorXu64, Sequence[int]]] = None,
               codec: str = "zstd", level: Optional[int] = None, order: Optional[Sequence[ImageDimension]] = None,
               nested: bool = False) -> ImageView: ...
    @staticmethod
    def write(view: Union[ImageView, LodImageView], path: Union[str, os.PathLike[str]], chunks: Optional[Union[VectorXu64, Sequence[int]]] = None,
              codec: str = "zstd", level: Optional[int] = None, order: Optional[Sequence[ImageDimension]] = None,
              nested: bool = False, ome_zarr: bool = False) -> None: ...
    @staticmethod
    def info(view: ImageView) -> Dict[str, Any]: ...


class DLPackTensor:
    def __dlpack__(self, stream: Any = None, max_version: Any = None, dl_device: Any = None, copy: Optional[bool] = None) -> Any: ...
    def __dlpack_device__(self) -> Tuple[int, int]: ...


class DLPackInterop:
    @staticmethod
    def from_dlpack(obj: Any, image_type: Optional[ImageTypeId] = None) -> ImageView: ...
    @staticmethod
    def order_from_dlpack(obj: Any, axes: Sequence[ImageDimension]) -> ImageView: ...
    @staticmethod
    def to_dlpack(view: ImageView, order: Optional[Sequence[ImageDimension]] = None) -> DLPackTensor: ...


class StreamAccess:
    @property
    def net(self) -> Any: ...
    def close(self) -> None: ...


class StreamAccessFactory:
    @staticmethod
    def allocate() -> StreamAccess: ...
    @staticmethod
    def from_buffer(buffer: _Buffer) -> StreamAccess: ...
    @staticmethod
    def open_file_read(path: Any) -> StreamAccess: ...
    @staticmethod
    def from_file_object(file_object: Any) -> StreamAccess: ...
    @staticmethod
    def open_file_write(path: Any) -> StreamAccess: ...


class StreamAccessRawIO(io.RawIOBase):
    def __init__(self, stream_access: Any) -> None: ...


ImageTypeId_UNKNOWN: ImageTypeId
ImageTypeId_IMAGE: ImageTypeId
ImageTypeId_VOLUME: ImageTypeId
ImageTypeId_MULTISPECTRAL_IMAGE: ImageTypeId
ImageTypeId_MULTISPECTRAL_VOLUME: ImageTypeId
ImageTypeId_IMAGE_SEQUENCE: ImageTypeId
ImageTypeId_VOLUME_SEQUENCE: ImageTypeId
ImageTypeId_MULTISPECTRAL_IMAGE_SEQUENCE: ImageTypeId
ImageTypeId_MULTISPECTRAL_VOLUME_SEQUENCE: ImageTypeId
DataTypeId_UNKNOWN: DataTypeId
DataTypeId_UINT8: DataTypeId
DataTypeId_UINT16: DataTypeId
DataTypeId_UINT32: DataTypeId
DataTypeId_UINT64: DataTypeId
DataTypeId_INT8: DataTypeId
DataTypeId_INT16: DataTypeId
DataTypeId_INT32: DataTypeId
DataTypeId_INT64: DataTypeId
DataTypeId_FLOAT: DataTypeId
DataTypeId_DOUBLE: DataTypeId
DataTypeId_COMPLEX_FLOAT: DataTypeId
DataTypeId_COMPLEX_DOUBLE: DataTypeId
DataTypeId_VEC2_UINT8: DataTypeId
DataTypeId_VEC2_UINT16: DataTypeId
DataTypeId_VEC2_UINT32: DataTypeId
DataTypeId_VEC2_UINT64: DataTypeId
DataTypeId_VEC3_UINT8: DataTypeId
DataTypeId_VEC3_UINT16: DataTypeId
DataTypeId_VEC3_UINT32: DataTypeId
DataTypeId_VEC3_UINT64: DataTypeId
DataTypeId_VEC4_UINT8: DataTypeId
DataTypeId_VEC4_UINT16: DataTypeId
DataTypeId_VEC4_UINT32: DataTypeId
DataTypeId_VEC4_UINT64: DataTypeId
DataTypeId_VEC2_INT8: DataTypeId
DataTypeId_VEC2_INT16: DataTypeId
DataTypeId_VEC2_INT32: DataTypeId
DataTypeId_VEC2_INT64: DataTypeId
DataTypeId_VEC3_INT8: DataTypeId
DataTypeId_VEC3_INT16: DataTypeId
DataTypeId_VEC3_INT32: DataTypeId
DataTypeId_VEC3_INT64: DataTypeId
DataTypeId_VEC4_INT8: DataTypeId
DataTypeId_VEC4_INT16: DataTypeId
DataTypeId_VEC4_INT32: DataTypeId
DataTypeId_VEC4_INT64: DataTypeId
DataTypeId_VEC2_FLOAT: DataTypeId
DataTypeId_VEC2_DOUBLE: DataTypeId
DataTypeId_VEC3_FLOAT: DataTypeId
DataTypeId_VEC3_DOUBLE: DataTypeId
DataTypeId_VEC4_FLOAT: DataTypeId
DataTypeId_VEC4_DOUBLE: DataTypeId
DataTypeId_MATRIX2_FLOAT: DataTypeId
DataTypeId_MATRIX2_DOUBLE: DataTypeId
DataTypeId_MATRIX3_FLOAT: DataTypeId
DataTypeId_MATRIX3_DOUBLE: DataTypeId
DataTypeId_MATRIX4_FLOAT: DataTypeId
DataTypeId_MATRIX4_DOUBLE: DataTypeId
