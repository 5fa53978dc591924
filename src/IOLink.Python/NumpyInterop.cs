using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python;

/// <summary>
/// NumPy arrays and image views over the same memory, with no copy and with the axis order of the NumPy rules
/// (IOLINK.md section 3). Arguments and results are NumPy arrays as <see cref="PyObject"/>; every call starts
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
    private static readonly string Native = BitConverter.IsLittleEndian ? "<" : ">";

    /// <summary>Wraps an array as a view with the array's axes as they are and an UNKNOWN axes interpretation (rules 1 and 5).</summary>
    /// <param name="array">A numpy.ndarray of bool, integers, float16/32/64 or complex64/128, in native byte order.</param>
    /// <returns>A view over the array's memory, without WRITE when the array is read-only; it keeps the array alive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentException">The argument is not an array, is 0-d or empty, or its dtype is not supported (object,
    /// structured, string, non-native byte order).</exception>
    /// <exception cref="PythonUnavailableException">CPython with NumPy cannot be started.</exception>
    public static ImageView FromNumpyArray(PyObject array) => Import(array, null, null);

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
    public static ImageView FromNumpyArray(PyObject array, ImageTypeId type)
    {
        var imageType = ImageType.FromId(type);
        if (!imageType.IsKnown)
        {
            return Import(array, null, null);
        }

        var axes = imageType.Dimensions;
        Array.Sort(axes, (a, b) => NumpyRank(a).CompareTo(NumpyRank(b)));
        return Import(array, axes, type.ToString());
    }

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
        return Import(array, (ImageDimension[])axes.Clone(), $"[{string.Join(", ", axes)}]");
    }

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

    /// <summary>Position of a dimension in NumPy's usual order (T, Z, Y, X, C).</summary>
    internal static int NumpyRank(ImageDimension d) => d switch
    {
        ImageDimension.SEQUENCE => 0,
        ImageDimension.SLICE => 1,
        ImageDimension.ROW => 2,
        ImageDimension.COLUMN => 3,
        _ => 4,
    };

    private static ImageView Import(PyObject array, ImageDimension[]? axes, string? named)
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
                return Import(info, reference, axes, named);
            }
            catch
            {
                reference.Dispose();
                throw;
            }
        }
    }

    private static ImageView Import(PyObject info, PyObject reference, ImageDimension[]? axes, string? named)
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
        var shape = ToLongs(shapeItem);
        var strides = ToLongs(stridesItem);
        var dtype = dtypeItem.As<string>();
        var itemSize = itemSizeItem.As<int>();
        if (shape.Length == 0)
        {
            NumpyThrow.ZeroDimensional(ArrayParam);
        }

        if (Array.IndexOf(shape, 0L) >= 0)
        {
            NumpyThrow.Empty($"({string.Join(", ", shape)}{(shape.Length == 1 ? "," : string.Empty)})", ArrayParam);
        }

        var scalar = ScalarType(kindItem.As<string>(), itemSize, structuredItem.As<bool>(), dtype, out var binary);
        if (!nativeItem.As<bool>())
        {
            NumpyThrow.NonNativeByteOrder(dtype, ArrayParam);
        }

        var type = scalar;
        long[] viewShape;
        long[] viewStrides;
        var imageType = ImageType.Unknown;
        if (axes is null)
        {
            viewShape = shape;
            viewStrides = strides;
        }
        else
        {
            var n = axes.Length;
            if (n == shape.Length - 1)
            {
                var length = shape[n];
                if (scalar.Interpretation == DataTypeInterpretation.COMPLEX)
                {
                    NumpyThrow.ComplexComponents(dtype, ArrayParam);
                }

                if (length is < 2 or > 4)
                {
                    NumpyThrow.ComponentAxisLength(length, ArrayParam);
                }

                if (strides[n] != itemSize)
                {
                    NumpyThrow.ComponentAxisNotPacked(length, strides[n], itemSize, ArrayParam);
                }

                type = scalar.ToVector((uint)length);
            }
            else if (n != shape.Length)
            {
                NumpyThrow.AxisCountMismatch(shape.Length, named!, n, nameof(axes));
            }

            imageType = ImageType.FromDimensions(axes);
            // Canonical position k takes the array axis whose dimension sorts k-th.
            var order = Enumerable.Range(0, n).OrderBy(i => (int)axes[i]).ToArray();
            viewShape = new long[n];
            viewStrides = new long[n];
            for (var k = 0; k < n; k++)
            {
                viewShape[k] = shape[order[k]];
                viewStrides[k] = strides[order[k]];
            }
        }

        // The buffer runs from the lowest to the highest byte any element occupies, components axis included.
        long extent = itemSize;
        for (var d = 0; d < shape.Length; d++)
        {
            extent = checked(extent + ((shape[d] - 1) * Math.Abs(strides[d])));
        }

        var properties = new ImageProperties(imageType);
        if (binary)
        {
            properties.ImageInterpretation = ImageInterpretation.BINARY;
        }

        var owner = new PythonReferenceOwner(reference);
        return ImageViewFactory.FromBuffer((nint)addressItem.As<long>(), extent, ImageViewFactory.FromLongs(viewShape), type, viewStrides,
            owner, writable: !readOnlyItem.As<bool>(), properties);
    }

    private static DataType ScalarType(string kind, int itemSize, bool structured, string dtype, out bool binary)
    {
        binary = false;
        if (structured)
        {
            NumpyThrow.UnsupportedDtype(dtype, "structured and sub-array dtypes have no view data type", ArrayParam);
        }

        switch (kind)
        {
            case "b" when itemSize == 1:
                binary = true;
                return DataTypeId.UINT8;
            case "u" when itemSize is 1 or 2 or 4 or 8:
                return new DataType(PrimitiveTypeId.UNSIGNED_INTEGER, 1, (uint)itemSize * 8);
            case "i" when itemSize is 1 or 2 or 4 or 8:
                return new DataType(PrimitiveTypeId.SIGNED_INTEGER, 1, (uint)itemSize * 8);
            case "f" when itemSize is 2 or 4 or 8:
                return new DataType(PrimitiveTypeId.FLOATING_POINT, 1, (uint)itemSize * 8);
            case "c" when itemSize == 8:
                return DataTypeId.COMPLEX_FLOAT;
            case "c" when itemSize == 16:
                return DataTypeId.COMPLEX_DOUBLE;
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
        var layout = view.RequireMemory(operation);
        var type = view.DataType;
        var axesType = view.AxesInterpretation;
        var componentAxis = type.Dimension > 1 && type.Interpretation != DataTypeInterpretation.COMPLEX;
        var rank = view.DimensionCount;
        var viewStrides = layout.Strides;
        long[] shape;
        long[] strides;
        if (order is null)
        {
            var dims = Enumerable.Range(0, rank).ToArray();
            if (axesType.IsKnown)
            {
                var names = axesType.Dimensions;
                dims = [.. dims.OrderBy(k => NumpyRank(names[k]))];
            }

            var n = rank + (componentAxis ? 1 : 0);
            shape = new long[n];
            strides = new long[n];
            for (var i = 0; i < rank; i++)
            {
                shape[i] = (long)view.Shape[dims[i]];
                strides[i] = viewStrides[dims[i]];
            }

            if (componentAxis)
            {
                shape[rank] = type.Dimension;
                strides[rank] = type.ComponentByteCount;
            }
        }
        else
        {
            if (!axesType.IsKnown)
            {
                NumpyThrow.OrderNeedsKnownAxes(nameof(view));
            }

            if (componentAxis && axesType.Has(ImageDimension.CHANNEL))
            {
                NumpyThrow.ChannelAndVector(type, nameof(view));
            }

            var expected = componentAxis ? axesType.With(ImageDimension.CHANNEL) : axesType;
            if (order.Length != expected.DimensionCount || order.Distinct().Count() != order.Length || !order.All(expected.Has))
            {
                NumpyThrow.OrderMismatch(string.Join(", ", order), string.Join(", ", expected.Dimensions), nameof(order));
            }

            shape = new long[order.Length];
            strides = new long[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                var k = axesType.IndexOf(order[i]);
                if (k < 0)
                {
                    shape[i] = type.Dimension;
                    strides[i] = type.ComponentByteCount;
                }
                else
                {
                    shape[i] = (long)view.Shape[k];
                    strides[i] = viewStrides[k];
                }
            }
        }

        var typestr = TypeString(type);
        var readOnly = !view.Support(ImageCapability.WRITE);
        PythonRuntime.EnsureInitialized();
        using (Py.GIL())
        {
            var lease = new MemoryLease(layout.Block);
            try
            {
                using var release = new Action(lease.Release).ToPython();
                using var address = new PyInt(layout.Address);
                using var readOnlyFlag = readOnly.ToPython();
                using var shapeTuple = ToTuple(shape);
                using var stridesTuple = ToTuple(strides);
                using var typeString = new PyString(typestr);
                return NumpyBridge.Export.Invoke(address, readOnlyFlag, shapeTuple, stridesTuple, typeString, release);
            }
            catch
            {
                // The holder either never existed or released the lease itself; releasing twice is harmless.
                lease.Release();
                throw;
            }
        }
    }

    private static string TypeString(DataType type)
    {
        if (type.Interpretation == DataTypeInterpretation.COMPLEX)
        {
            return Native + "c" + type.ByteCount;
        }

        var size = type.ComponentByteCount;
        var kind = type.PrimitiveType switch
        {
            PrimitiveTypeId.UNSIGNED_INTEGER => "u",
            PrimitiveTypeId.SIGNED_INTEGER => "i",
            _ => "f",
        };
        return (size == 1 ? "|" : Native) + kind + size;
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

    private static PyTuple ToTuple(long[] values)
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
