using IOLink.Interop;
using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python;

/// <summary>
/// NumPy arrays and image views over the same memory, with no copy and with the axis order of the NumPy rules
/// (docs/IOLINK.md section 3). Arguments and results are NumPy arrays as <see cref="PyObject"/>; every call starts
/// Python if needed (<see cref="PythonRuntime.EnsureInitialized"/>) and takes the GIL itself.
/// </summary>
/// <remarks>
/// Lifetimes are tied both ways (rule 9). A view imported from an array holds a reference to the array and drops
/// it, under the GIL, when the last view using the memory is disposed. An exported array holds a reference on
/// the view's memory through its <c>base</c> object, released when NumPy drops the last array that uses it, so
/// disposing the view (or collecting it) never leaves the array dangling.
/// </remarks>
public static class NumpyInterop
{
    private const string ArrayParam = "array";

    /// <summary>Wraps an array as a view with the array's axes as they are and an UNKNOWN axes interpretation (rules 1 and 5).</summary>
    /// <param name="array">A numpy.ndarray of bool, integers, float16/32/64 or complex64/128, in native byte order.</param>
    /// <returns>A view over the array's memory, without WRITE when the array is read-only; it keeps the array alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentException">The argument is not an array, is 0-d or empty, or its dtype is not supported (object,
    /// structured, string, non-native byte order).</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static ImageView FromNumpyArray(PyObject array) => FromNumpyArray(array, AxisSpec.Unknown);

    /// <summary>
    /// Wraps an array as a view of axes interpretation <paramref name="type"/>: the array's axes are read in NumPy
    /// order (T, Z, Y, X, C) and the view gets canonical order (rules 2, 4 and 5). One more axis than the
    /// interpretation has, packed and of length 2 to 4, becomes vector components.
    /// </summary>
    /// <param name="array">A numpy.ndarray (see <see cref="FromNumpyArray(PyObject)"/>).</param>
    /// <param name="type">The axes interpretation; UNKNOWN imports as <see cref="FromNumpyArray(PyObject)"/> does.</param>
    /// <returns>A view over the array's memory that keeps the array alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentException">The array is not supported, its axis count does not fit <paramref name="type"/>,
    /// or a components axis is not packed or not 2 to 4 long.</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static ImageView FromNumpyArray(PyObject array, ImageTypeId type) => FromNumpyArray(array, AxisSpec.Of(type));

    /// <summary>
    /// Wraps an array as a view, naming what each array axis is in the array's own axis order; the view is reordered
    /// to canonical order through strides and gets the interpretation those dimensions form (rules 3, 4 and 5).
    /// </summary>
    /// <param name="array">A numpy.ndarray (see <see cref="FromNumpyArray(PyObject)"/>).</param>
    /// <param name="axes">One dimension per array axis (or per axis but a last one of vector components), each at most once.</param>
    /// <returns>A view over the array's memory that keeps the array alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> or <paramref name="axes"/> is null.</exception>
    /// <exception cref="ArgumentException">The array is not supported, a dimension is repeated, the count does not fit the
    /// array, or a components axis is not packed or not 2 to 4 long.</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static ImageView OrderFromNumpyArray(PyObject array, params ImageDimension[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        _ = ImageType.FromDimensions(axes);
        return FromNumpyArray(array, AxisSpec.Named(axes));
    }

    /// <summary>Wraps an array as a view, its axes as <paramref name="axes"/> says (rules 1 to 5); a bool array is BINARY.</summary>
    /// <param name="array">A numpy.ndarray (see <see cref="FromNumpyArray(PyObject)"/>).</param>
    /// <param name="axes">What is known of the array's axes.</param>
    /// <returns>A view over the array's memory that keeps the array alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentException">The array is not supported, or does not fit <paramref name="axes"/>.</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static ImageView FromNumpyArray(PyObject array, AxisSpec axes) => Import(array, axes);

    /// <summary>
    /// An array over the view's memory: axes in (T, Z, Y, X, C) order for a known axes interpretation, in view
    /// order for UNKNOWN, then one axis of vector components for a vector or matrix type (rules 6, 7 and 9).
    /// </summary>
    /// <param name="view">A view with MEMORY_ACCESS.</param>
    /// <returns>A numpy.ndarray, read-only when the view lacks WRITE, that keeps the view's memory alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="NotSupportedException">The view lacks MEMORY_ACCESS; copy it with <see cref="ImageViewFactory.CopyInMemory"/>.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static PyObject ToNumpyArray(ImageView view) => Export(view, null, nameof(ToNumpyArray));

    /// <summary>
    /// An array over the view's memory whose axes follow <paramref name="order"/>, a list of the view's dimensions;
    /// for a vector type the components are a CHANNEL dimension that must be in the list (rules 8 and 9).
    /// </summary>
    /// <param name="view">A view with MEMORY_ACCESS and a known axes interpretation.</param>
    /// <param name="order">The view's dimensions (plus CHANNEL for vector components) in the order the array's axes should have.</param>
    /// <returns>A numpy.ndarray, read-only when the view lacks WRITE, that keeps the view's memory alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="order"/> is null.</exception>
    /// <exception cref="ArgumentException">The view's axes interpretation is UNKNOWN, the order does not list each dimension
    /// once, or the view has both a CHANNEL dimension and a vector type.</exception>
    /// <exception cref="NotSupportedException">The view lacks MEMORY_ACCESS; copy it with <see cref="ImageViewFactory.CopyInMemory"/>.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static PyObject OrderToNumpyArray(ImageView view, params ImageDimension[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Export(view, (ImageDimension[])order.Clone(), nameof(OrderToNumpyArray));
    }

    /// <summary>Every import: rule 1, 2 or 3 as <paramref name="axes"/> says.</summary>
    private static ImageView Import(PyObject array, AxisSpec axes)
    {
        ArgumentNullException.ThrowIfNull(array);
        PythonRuntime.EnsureInitialized();
        using (Py.GIL())
        {
            using var info = NumpyBridge.Describe.Invoke(array);
            if (info.IsNone())
            {
                using var pyType = array.GetPythonType();
                NumpyThrow.NotAnArray(pyType.Name, nameof(array));
            }

            var reference = info[0];
            try
            {
                return Import(info, reference, axes);
            }
            catch
            {
                reference.Dispose();
                throw;
            }
        }
    }

    private static ImageView Import(PyObject info, PyObject reference, AxisSpec axes)
    {
        using var addressItem = info[1];
        using var readOnlyItem = info[2];
        using var shapeItem = info[3];
        using var stridesItem = info[4];
        using var kindItem = info[5];
        using var itemSizeItem = info[6];
        using var nativeItem = info[7];
        using var structuredItem = info[8];
        using var dtypeItem = info[9];
        using var startItem = info[10];
        using var lengthItem = info[11];
        var dtype = dtypeItem.As<string>();
        var scalar = ScalarType(kindItem.As<string>(), itemSizeItem.As<int>(), structuredItem.As<bool>(), dtype, out var binary);
        if (!nativeItem.As<bool>())
        {
            NumpyThrow.NonNativeByteOrder(dtype, ArrayParam);
        }

        long? start = startItem.IsNone() ? null : startItem.As<long>();
        return Import(addressItem.As<long>(), readOnlyItem.As<bool>(), ToLongs(shapeItem), ToLongs(stridesItem), scalar, binary,
            start, start is null ? 0 : lengthItem.As<long>(), () => new PythonReferenceOwner(reference), axes);
    }

    /// <summary>
    /// The import itself, from what NumPy says of the array (its address, lengths, byte strides, element type and
    /// the memory it lies in, <paramref name="memoryStart"/> null when unknown). <paramref name="reference"/> makes
    /// the owner of a reference to the array, once everything is checked; the view owns it.
    /// </summary>
    internal static ImageView Import(long address, bool readOnly, ReadOnlySpan<long> shape, ReadOnlySpan<long> strides, DataType scalar, bool binary,
        long? memoryStart, long memoryLength, Func<PythonReferenceOwner> reference, AxisSpec axes)
    {
        if (shape.Length == 0)
        {
            NumpyThrow.ZeroDimensional(ArrayParam);
        }

        if (shape.Contains(0L))
        {
            NumpyThrow.Empty($"({string.Join(", ", shape.ToArray())}{(shape.Length == 1 ? "," : string.Empty)})", ArrayParam);
        }

        // The core's axis rules give the view's layout once, from the array's own lengths and strides.
        var layout = axes.Import(shape, strides, scalar, ArrayParam, binary);

        // The layout must lie in the memory NumPy says the array has, whatever the array's Python attributes claim.
        var low = address + layout.LowestByteOffset;
        if (memoryStart is { } first && (low < first || low + layout.ByteExtent > first + memoryLength))
        {
            NumpyThrow.OutsideItsMemory(low - first, low + layout.ByteExtent - first, memoryLength, ArrayParam);
        }

        var owner = reference();
        ImageView view;
        try
        {
            view = ImageViewFactory.FromBuffer((nint)address, layout.ByteExtent, layout, owner, writable: !readOnly);
        }
        catch
        {
            owner.Dispose();
            throw;
        }

        return view;
    }

    internal static DataType ScalarType(string kind, int itemSize, bool structured, string dtype, out bool binary)
    {
        binary = false;
        if (structured)
        {
            NumpyThrow.UnsupportedDtype(dtype, "structured and sub-array dtypes have no view data type", ArrayParam);
        }

        if (kind.Length == 1 && NumpyDataTypes.FromKind(kind[0], itemSize) is { } mapped)
        {
            binary = kind == "b";
            return mapped;
        }

        switch (kind)
        {
            case "O":
                NumpyThrow.UnsupportedDtype(dtype, "an object array holds references to Python objects, not pixel values", ArrayParam);
                break;
            case "S" or "U":
                NumpyThrow.UnsupportedDtype(dtype, "strings are not pixel values", ArrayParam);
                break;
            case "V":
                NumpyThrow.UnsupportedDtype(dtype, "raw void records have no view data type", ArrayParam);
                break;
            case "M" or "m":
                NumpyThrow.UnsupportedDtype(dtype, "dates and time deltas are not pixel values", ArrayParam);
                break;
            default:
                NumpyThrow.UnsupportedDtype(dtype, $"no view data type has {itemSize}-byte '{kind}' components", ArrayParam);
                break;
        }

        return default;
    }

    private static PyObject Export(ImageView view, ImageDimension[]? order, string operation)
    {
        ArgumentNullException.ThrowIfNull(view);

        // The array holds a second handle on the view's data (its base object disposes it), so the memory stays
        // valid for as long as NumPy uses it, whatever happens to the view. Taking it also reports a disposed view.
        var held = ImageViewFactory.Share(view);
        try
        {
            if (!held.Support(ImageCapability.MEMORY_ACCESS))
            {
                NumpyThrow.NoMemoryAccess(operation, held.Capabilities);
            }

            // The view's own export (computed once per layout and reused); the shared handle has the same memory.
            var array = ArrayAxes.Export(view, order, parameterName: nameof(order));
            var typestr = NumpyDataTypes.TypeString(held.DataType);
            var readOnly = !held.Support(ImageCapability.WRITE);
            PythonRuntime.EnsureInitialized();
            using (Py.GIL())
            {
                var lease = new MemoryLease(held);
                using var release = new Action(lease.Release).ToPython();
                using var address = new PyInt(held.Buffer);
                using var readOnlyFlag = readOnly.ToPython();
                using var shapeTuple = ToTuple(array.Lengths);
                using var stridesTuple = ToTuple(array.ByteStrides);
                using var typeString = new PyString(typestr);
                return NumpyBridge.Export.Invoke(address, readOnlyFlag, shapeTuple, stridesTuple, typeString, release);
            }
        }
        catch
        {
            // The array either never existed or disposed its handle itself; disposing twice is harmless.
            held.Dispose();
            throw;
        }
    }

    private static long[] ToLongs(PyObject tuple)
    {
        var n = (int)tuple.Length();
        var result = new long[n];
        for (var i = 0; i < n; i++)
        {
            using var item = tuple[i];
            result[i] = item.As<long>();
        }

        return result;
    }

    private static PyTuple ToTuple(ReadOnlySpan<long> values)
    {
        var items = new PyObject[values.Length];
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                items[i] = new PyInt(values[i]);
            }

            return new PyTuple(items);
        }
        finally
        {
            foreach (var item in items)
            {
                item?.Dispose();
            }
        }
    }
}
