using System.Runtime.InteropServices;

namespace IOLink.Interop;

/// <summary>DLPack's device kinds (<c>DLDeviceType</c> of dlpack.h) that IOLink names in messages; IOLink views are CPU memory.</summary>
public enum DLDeviceType
{
    /// <summary>Host memory.</summary>
    CPU = 1,

    /// <summary>CUDA device memory.</summary>
    CUDA = 2,

    /// <summary>CUDA pinned host memory.</summary>
    CUDAHost = 3,

    /// <summary>OpenCL device memory.</summary>
    OpenCL = 4,

    /// <summary>Vulkan device memory.</summary>
    Vulkan = 7,

    /// <summary>Apple Metal memory.</summary>
    Metal = 8,

    /// <summary>AMD ROCm device memory.</summary>
    ROCM = 10,

    /// <summary>AMD ROCm pinned host memory.</summary>
    ROCMHost = 11,

    /// <summary>CUDA managed memory.</summary>
    CUDAManaged = 13,

    /// <summary>Intel oneAPI memory.</summary>
    OneAPI = 14,
}

/// <summary>DLPack's element kinds (<c>DLDataTypeCode</c> of dlpack.h).</summary>
public enum DLDataTypeCode : byte
{
    /// <summary>Signed integers.</summary>
    Int = 0,

    /// <summary>Unsigned integers.</summary>
    UInt = 1,

    /// <summary>IEEE floating point.</summary>
    Float = 2,

    /// <summary>An opaque handle.</summary>
    OpaqueHandle = 3,

    /// <summary>bfloat16.</summary>
    Bfloat = 4,

    /// <summary>Complex numbers, <c>bits</c> counting both parts.</summary>
    Complex = 5,

    /// <summary>Booleans.</summary>
    Bool = 6,
}

/// <summary>Where a tensor's memory is (<c>DLDevice</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DLDevice
{
    /// <summary>The kind of device (<see cref="Interop.DLDeviceType"/>).</summary>
    public int DeviceType;

    /// <summary>Which device of that kind (0 for the CPU).</summary>
    public int DeviceId;
}

/// <summary>What one element is (<c>DLDataType</c>): a kind, a bit count and a lane count (1 for scalars).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DLDataType
{
    /// <summary>The kind (<see cref="DLDataTypeCode"/>).</summary>
    public byte Code;

    /// <summary>Bits per lane.</summary>
    public byte Bits;

    /// <summary>Lanes per element (SIMD vectors); IOLink takes 1.</summary>
    public ushort Lanes;
}

/// <summary>A tensor's memory and layout (<c>DLTensor</c>); strides count elements, not bytes, and may be null for C order.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DLTensor
{
    /// <summary>The memory (for the CPU, the address of the data, to which <see cref="ByteOffset"/> is added).</summary>
    public void* Data;

    /// <summary>Where the memory is.</summary>
    public DLDevice Device;

    /// <summary>The number of axes.</summary>
    public int NDim;

    /// <summary>What one element is.</summary>
    public DLDataType DType;

    /// <summary>The length of each axis (<see cref="NDim"/> values).</summary>
    public long* Shape;

    /// <summary>The stride of each axis in elements, or null for a C-contiguous tensor.</summary>
    public long* Strides;

    /// <summary>Bytes from <see cref="Data"/> to the first element.</summary>
    public ulong ByteOffset;
}

/// <summary>
/// A tensor handed from a producer to a consumer (<c>DLManagedTensor</c>, DLPack's unversioned form): the
/// consumer calls <see cref="Deleter"/> once, when it no longer uses the memory.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DLManagedTensor
{
    /// <summary>The tensor.</summary>
    public DLTensor DLTensor;

    /// <summary>The producer's own state, for its deleter.</summary>
    public void* ManagerContext;

    /// <summary>Releases the tensor; called once by whoever owns it last (may be null: nothing to release).</summary>
    public delegate* unmanaged<DLManagedTensor*, void> Deleter;
}

/// <summary>The DLPack ABI version a versioned tensor follows (<c>DLPackVersion</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DLPackVersion
{
    /// <summary>The major version: a consumer reads only the major versions it knows (IOLink: 1).</summary>
    public uint Major;

    /// <summary>The minor version: additions that a reader of the same major version may ignore.</summary>
    public uint Minor;
}

/// <summary>The bits of <see cref="DLManagedTensorVersioned.Flags"/> (<c>DLPACK_FLAG_BITMASK_*</c>).</summary>
[Flags]
public enum DLPackFlagBits : ulong
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The memory must not be written: the consumer makes a read-only tensor or refuses it.</summary>
    ReadOnly = 1UL << 0,

    /// <summary>The producer copied the data for this tensor (no one else sees writes to it).</summary>
    IsCopied = 1UL << 1,

    /// <summary>Sub-byte elements are padded to whole bytes (DLPack 1.1).</summary>
    IsSubbyteTypePadded = 1UL << 2,
}

/// <summary>
/// A tensor handed from a producer to a consumer in DLPack 1.x form (<c>DLManagedTensorVersioned</c>, capsule name
/// <c>dltensor_versioned</c>): a version, flags (read-only among them), and the same tensor and deleter contract
/// as <see cref="DLManagedTensor"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DLManagedTensorVersioned
{
    /// <summary>The ABI version of this struct; a consumer checks the major version before reading anything else.</summary>
    public DLPackVersion Version;

    /// <summary>The producer's own state, for its deleter.</summary>
    public void* ManagerContext;

    /// <summary>Releases the tensor; called once by whoever owns it last (may be null: nothing to release).</summary>
    public delegate* unmanaged<DLManagedTensorVersioned*, void> Deleter;

    /// <summary>What the consumer must know of the memory (<see cref="DLPackFlagBits"/>).</summary>
    public ulong Flags;

    /// <summary>The tensor.</summary>
    public DLTensor DLTensor;
}
