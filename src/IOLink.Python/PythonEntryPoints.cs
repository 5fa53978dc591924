using System.ComponentModel;
using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Python.Internal;

namespace IOLink.Python;

/// <summary>
/// The calls the Python package <c>iolink</c> makes through ctypes rather than through pythonnet, where a call's
/// cost is the point: shape, NumPy import and export, region reads and writes, dispose. Views are named by
/// handles (a slot and a generation; a stale handle finds nothing). A failed call returns its error code and leaves
/// the .NET exception for <see cref="TakeError"/>, on the same thread. Calls that do not touch Python objects are
/// made with the GIL released (ctypes.CFUNCTYPE), so other Python threads run while .NET copies.
/// Not for .NET code: use <see cref="NumpyInterop"/> and <see cref="ImageView"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PythonEntryPoints
{
    /// <summary>The most axes an exported array has: a view's dimensions and one axis of vector components.</summary>
    public const int MaxArrayRank = ImageView.MaxDimensionCount + 1;

    /// <summary>Returned by <c>Import</c> when the array must take the pythonnet path (which explains the refusal).</summary>
    private const long UseSlowPath = -1;

    /// <summary>sizeof(PyObject) in CPython's release builds on 64-bit platforms: where an object's own fields start.</summary>
    private const int PythonObjectHeaderSize = 16;

    /// <summary>NPY_ARRAY_OWNDATA and NPY_ARRAY_WRITEABLE.</summary>
    private const int NumpyOwnsData = 0x0004, NumpyWriteable = 0x0400;

    [ThreadStatic]
    private static Exception? _error;

    /// <summary>
    /// NumPy's <c>PyArrayObject_fields</c> after the object header, as NumPy's own inline accessors (PyArray_DATA,
    /// PyArray_NDIM, PyArray_DIMS, PyArray_STRIDES, PyArray_BASE, PyArray_FLAGS) read them in every compiled
    /// extension: part of NumPy's C ABI, the same in NumPy 1.x and 2.x.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NumpyArrayFields
    {
        public nint Data;
        public int Rank;
        public long* Dimensions;
        public long* Strides;
        public nint Base;
        public nint Descr;
        public int Flags;
    }

    /// <summary>What an export hands back to Python; the layout of the ctypes structure in the Python package.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ExportResult
    {
        /// <summary>The address of the array's first element.</summary>
        public long Address;

        /// <summary>The handle of the view that keeps the memory alive until the array releases it.</summary>
        public long Lease;

        /// <summary>The number of array axes.</summary>
        public int Rank;

        /// <summary>1 when the array must be read-only (the view lacks WRITE).</summary>
        public int ReadOnly;

        /// <summary>The NumPy type string (<c>&lt;u2</c>), NUL-terminated.</summary>
        public fixed byte TypeString[16];

        /// <summary>The length of each array axis.</summary>
        public fixed long Lengths[MaxArrayRank];

        /// <summary>The byte stride of each array axis.</summary>
        public fixed long Strides[MaxArrayRank];
    }

    /// <summary>The project's version (major.minor.patch), as the Python package reports it.</summary>
    public static string Version => typeof(ImageView).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <summary>The addresses of the entry points, in the order the Python package declares them.</summary>
    public static long[] Table() =>
    [
        (long)(delegate* unmanaged<long, int, int>)&Release,
        (long)(delegate* unmanaged<long, ulong*, int, int>)&Shape,
        (long)(delegate* unmanaged<long, int, int*, ExportResult*, int>)&Export,
        (long)(delegate* unmanaged<nint, int, int, int, long, long, int, int, int*, long>)&Import,
        (long)(delegate* unmanaged<long, int, ulong*, byte*, long, int>)&ReadRegion,
        (long)(delegate* unmanaged<long, int, ulong*, byte*, long, int>)&WriteRegion,
        (long)(delegate* unmanaged<int>)&LiveHandles,
        (long)(delegate* unmanaged<long, void>)&ReleaseLease,
        (long)(delegate* unmanaged<long, int, int*, int, nint>)&PythonDLPack.ExportCapsule,
        (long)(delegate* unmanaged<nint, int, int, int*, int, long>)&PythonDLPack.ImportCapsule,
        (long)(delegate* unmanaged<int>)&LiveExports,
        (long)(delegate* unmanaged<long, int*, int>)&ElementType,
        (long)(delegate* unmanaged<nint*, int>)&PythonRegionCopy.Bind,
        (long)(delegate* unmanaged<long, int, ulong*, nint, int, int>)&PythonRegionCopy.Copy,
        (long)(delegate* unmanaged<long, long>)&CopyInMemory,
    ];

    /// <summary>A handle on <paramref name="view"/> (the handle owns this reference: releasing it with dispose disposes the view).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static long NewHandle(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        ObjectDisposedException.ThrowIf(view.IsDisposed, view);
        return HandleTable.Add(view);
    }

    /// <summary>
    /// The array a view is in NumPy (rules 6 and 7, what <c>to_numpy_array</c> and <c>numpy.asarray</c> give): its
    /// lengths, then for each of its axes the view dimension it walks (-1 for a vector's components), in one array.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static long[] NumpyAxes(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var layout = Interop.ArrayAxes.Export(view);
        var result = new long[2 * layout.Rank];
        layout.Lengths.CopyTo(result);
        for (var k = 0; k < layout.Rank; k++)
        {
            result[layout.Rank + k] = layout.Dimensions[k];
        }

        return result;
    }

    /// <summary>The view of a live handle.</summary>
    /// <exception cref="ObjectDisposedException">The handle has been released (the view was disposed).</exception>
    public static ImageView View(long handle) => Lookup(handle);

    /// <summary>The members of an IOLink enumeration as <c>NAME=value</c> pairs separated by commas, in declaration order (one call where reflection from Python would take dozens).</summary>
    /// <exception cref="ArgumentException"><paramref name="enumName"/> names no enumeration of IOLink.</exception>
    public static string EnumMembers(string enumName)
    {
        var type = typeof(ImageView).Assembly.GetType("IOLink." + enumName);
        if (type is null || !type.IsEnum)
        {
            throw new ArgumentException($"IOLink has no enumeration named {enumName}.", nameof(enumName));
        }

        var names = Enum.GetNames(type);
        var values = Enum.GetValuesAsUnderlyingType(type);
        var pairs = new string[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            pairs[i] = $"{names[i]}={Convert.ToUInt64(values.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)}";
        }

        return string.Join(',', pairs);
    }

    /// <summary>The exception of the last failed call on this thread, taken (null when there is none).</summary>
    public static Exception? TakeError()
    {
        var error = _error;
        _error = null;
        return error;
    }

    internal static ImageView Lookup(long handle) =>
        HandleTable.Get(handle) as ImageView ?? throw new ObjectDisposedException(nameof(ImageView), "The image view has been disposed.");

    internal static int Fail(Exception error)
    {
        _error = error;
        return -1;
    }

    /// <summary>Leaves <paramref name="error"/> for <see cref="TakeError"/> on this thread.</summary>
    internal static void SetError(Exception error) => _error = error;

    /// <summary>A new handle on <paramref name="view"/>, which the handle owns.</summary>
    internal static long AddHandle(ImageView view) => HandleTable.Add(view);

    /// <summary>Releases a handle, disposing its view when <paramref name="dispose"/> is not 0; a stale handle is ignored.</summary>
    [UnmanagedCallersOnly]
    private static int Release(long handle, int dispose)
    {
        try
        {
            var item = HandleTable.Remove(handle);
            if (dispose != 0 && item is IDisposable disposable)
            {
                disposable.Dispose();
            }

            return item is null ? 0 : 1;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>Releases (and disposes) the lease an exported array held on a view's memory; a stale handle is ignored.</summary>
    [UnmanagedCallersOnly]
    private static void ReleaseLease(long handle)
    {
        try
        {
            (HandleTable.Remove(handle) as IDisposable)?.Dispose();
        }
        catch (Exception e)
        {
            // The array that held the lease is gone and nobody can be told; the memory is released all the same.
            Fail(e);
        }
    }

    /// <summary>
    /// The view's data type and capabilities in <paramref name="values"/>[0..6]: the type's id, primitive type, bit
    /// depth, component count, byte count and interpretation, then the view's capabilities (what the Python calls
    /// check before a region copy or an export, in one call instead of several through pythonnet).
    /// </summary>
    [UnmanagedCallersOnly]
    private static int ElementType(long handle, int* values)
    {
        try
        {
            var view = Lookup(handle);
            var type = view.DataType;
            values[0] = unchecked((int)type.Id);
            values[1] = (int)type.PrimitiveType;
            values[2] = (int)type.BitDepth;
            values[3] = (int)type.Dimension;
            values[4] = type.ByteCount;
            values[5] = (int)type.Interpretation;
            values[6] = (int)view.Capabilities;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>Writes the view's shape into <paramref name="values"/> and returns the dimension count.</summary>
    [UnmanagedCallersOnly]
    private static int Shape(long handle, ulong* values, int capacity)
    {
        try
        {
            var shape = Lookup(handle).Shape;
            if (shape.Size > capacity)
            {
                throw new ArgumentException($"The view has {shape.Size} dimensions, more than the {capacity} the caller has room for.", nameof(capacity));
            }

            for (var i = 0; i < shape.Size; i++)
            {
                values[i] = shape[i];
            }

            return shape.Size;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>
    /// An array's layout over the view's memory by rules 6 and 7 (<paramref name="orderCount"/> &lt; 0) or rule 8
    /// (<paramref name="order"/> lists dimensions), with a new lease on the memory; returns the rank.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int Export(long handle, int orderCount, int* order, ExportResult* result)
    {
        ImageView? held = null;
        try
        {
            var view = Lookup(handle);
            var dims = Dimensions(orderCount, order);

            // The lease is a second handle on the view's data: the array keeps the memory valid whatever happens to
            // the view. Taking it also reports a disposed view.
            held = ImageViewFactory.Share(view);
            if (!held.Support(ImageCapability.MEMORY_ACCESS))
            {
                NumpyThrow.NoMemoryAccess(dims is null ? "to_numpy_array" : "order_to_numpy_array", held.Capabilities, "ImageViewFactory.copy_in_memory");
            }

            var array = ArrayAxes.Export(view, dims, parameterName: "order");
            var lengths = array.Lengths;
            var strides = array.ByteStrides;
            for (var i = 0; i < lengths.Length; i++)
            {
                result->Lengths[i] = lengths[i];
                result->Strides[i] = strides[i];
            }

            var typestr = NumpyDataTypes.TypeString(held.DataType);
            var i2 = 0;
            for (; i2 < typestr.Length && i2 < 15; i2++)
            {
                result->TypeString[i2] = (byte)typestr[i2];
            }

            result->TypeString[i2] = 0;
            result->Address = held.Buffer;
            result->ReadOnly = held.Support(ImageCapability.WRITE) ? 0 : 1;
            result->Rank = lengths.Length;
            result->Lease = HandleTable.Add(held);
            return lengths.Length;
        }
        catch (Exception e)
        {
            held?.Dispose();
            return Fail(e);
        }
    }

    /// <summary>
    /// A view over a NumPy array (a borrowed <c>PyObject*</c> to an ndarray or subclass, checked by the caller,
    /// with the GIL held) by rule 1 (<paramref name="interpretation"/> &lt; 0 and <paramref name="axisCount"/> &lt; 0),
    /// rule 2 or rule 3; returns its handle, 0 on error, or -1 when the array must take the pythonnet path.
    /// The array's address, shape, strides, flags and base are read from its C struct (what ndarray's own getters
    /// read: an attribute a subclass overrides cannot lie here); the caller gives the element type.
    /// <paramref name="bounds"/>: 0 when nothing is known of the memory, 1 for <paramref name="memoryStart"/> and
    /// <paramref name="memoryLength"/>, 2 for an array without a base (its own data when it owns it).
    /// </summary>
    [UnmanagedCallersOnly]
    private static long Import(nint array, int kind, int itemSize, int bounds, long memoryStart, long memoryLength,
        int interpretation, int axisCount, int* axes)
    {
        try
        {
            var fields = (NumpyArrayFields*)(array + PythonObjectHeaderSize);
            var rank = fields->Rank;
            if (NumpyDataTypes.FromKind((char)kind, itemSize) is not { } scalar || (uint)rank > ImageView.MaxDimensionCount)
            {
                return UseSlowPath;
            }

            var names = Dimensions(axisCount, axes);
            if (names is not null)
            {
                _ = ImageType.FromDimensions(names);
            }

            var shape = new ReadOnlySpan<long>(fields->Dimensions, rank);
            var address = (long)fields->Data;
            long? start = null;
            if (bounds == 1)
            {
                start = memoryStart;
            }
            else if (bounds == 2 && fields->Base == 0 && (fields->Flags & NumpyOwnsData) != 0)
            {
                start = address;
                memoryLength = itemSize;
                foreach (var length in shape)
                {
                    memoryLength = length == 0 ? 0 : checked(memoryLength * length);
                }
            }

            var spec = names is not null ? AxisSpec.Named(names) : interpretation >= 0 ? AxisSpec.Of((ImageTypeId)interpretation) : AxisSpec.Unknown;
            var view = NumpyInterop.Import(address, (fields->Flags & NumpyWriteable) == 0, shape, new ReadOnlySpan<long>(fields->Strides, rank),
                scalar, kind == 'b', start, memoryLength, () => new PythonReferenceOwner(array), spec);
            return HandleTable.Add(view);
        }
        catch (Exception e)
        {
            Fail(e);
            return 0;
        }
    }

    /// <summary>Reads a region (origin then size, <paramref name="rank"/> values each) into the caller's buffer; GIL released.</summary>
    [UnmanagedCallersOnly]
    private static int ReadRegion(long handle, int rank, ulong* originAndSize, byte* buffer, long byteLength)
    {
        try
        {
            var view = Lookup(handle);
            view.ReadRegion(Region(rank, originAndSize), new Span<byte>(buffer, CheckLength(byteLength)));
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>Writes a region (origin then size) from the caller's buffer; GIL released.</summary>
    [UnmanagedCallersOnly]
    private static int WriteRegion(long handle, int rank, ulong* originAndSize, byte* buffer, long byteLength)
    {
        try
        {
            var view = Lookup(handle);
            view.WriteRegion(Region(rank, originAndSize), new ReadOnlySpan<byte>(buffer, CheckLength(byteLength)));
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>
    /// <see cref="ImageViewFactory.CopyInMemory"/> of a handle's view, under a new handle the caller owns, or 0 (never
    /// a handle: generations start at 1) with the error left for <see cref="TakeError"/>; GIL released.
    /// The copy Python makes most: through pythonnet its first call in a process cost about 4 ms of method binding and
    /// wrapping before anything was copied, and every call a few microseconds.
    /// </summary>
    [UnmanagedCallersOnly]
    private static long CopyInMemory(long handle)
    {
        try
        {
            var copy = ImageViewFactory.CopyInMemory(Lookup(handle));
            try
            {
                return HandleTable.Add(copy);
            }
            catch
            {
                copy.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            SetError(e);
            return 0;
        }
    }

    /// <summary>How many exported DLPack tensors are not deleted yet: for leak tests.</summary>
    [UnmanagedCallersOnly]
    private static int LiveExports() => DLPackInterop.LiveExportCount;

    /// <summary>How many handles are live: for leak tests.</summary>
    [UnmanagedCallersOnly]
    private static int LiveHandles() => HandleTable.LiveCount;

    /// <summary>The dimensions of an order or axis list passed from Python as ints, or null for none (<paramref name="count"/> &lt; 0).</summary>
    internal static ImageDimension[]? Dimensions(int count, int* values)
    {
        if (count < 0)
        {
            return null;
        }

        var dims = new ImageDimension[count];
        for (var i = 0; i < count; i++)
        {
            dims[i] = (ImageDimension)values[i];
        }

        return dims;
    }

    internal static RegionXu64 Region(int rank, ulong* originAndSize)
    {
        if ((uint)rank > ImageView.MaxDimensionCount)
        {
            throw new ArgumentException($"A region has at most {ImageView.MaxDimensionCount} dimensions, not {rank}.", nameof(rank));
        }

        return new RegionXu64(new VectorXu64(new ReadOnlySpan<ulong>(originAndSize, rank)), new VectorXu64(new ReadOnlySpan<ulong>(originAndSize + rank, rank)));
    }

    private static int CheckLength(long byteLength) => byteLength is < 0 or > int.MaxValue
        ? throw new ArgumentException($"A buffer of {byteLength} bytes cannot be used for one region; read regions of at most 2 GiB at a time.", nameof(byteLength))
        : (int)byteLength;
}
