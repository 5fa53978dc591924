using System.ComponentModel;
using IOLink.Python.Internal;
using Python.Runtime;

namespace IOLink.Python;

/// <summary>
/// Region reads and writes addressed by raw pointers, for the Python module <c>iolink</c>, which holds the Python
/// buffer (a memoryview export) while the call runs. .NET code should use <see cref="ImageView.ReadRegion"/> and
/// <see cref="ImageView.WriteRegion"/> with spans instead.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PythonMemory
{
    /// <summary>
    /// <see cref="NumpyInterop.FromNumpyArray(PyObject)"/> for the Python module: the argument wrapper pythonnet
    /// made for this call is released at once, so the array is held only by the view (not until .NET collects).
    /// </summary>
    /// <exception cref="ArgumentException">The array is not supported (see <see cref="NumpyInterop"/>).</exception>
    public static ImageView Import(PyObject array) => Releasing(array, () => NumpyInterop.FromNumpyArray(array));

    /// <summary>As <see cref="Import(PyObject)"/> with an axes interpretation (rule 2).</summary>
    /// <exception cref="ArgumentException">The array is not supported or does not fit the interpretation.</exception>
    public static ImageView Import(PyObject array, ImageTypeId type) => Releasing(array, () => NumpyInterop.FromNumpyArray(array, type));

    /// <summary>As <see cref="Import(PyObject)"/> with each array axis named (rule 3).</summary>
    /// <exception cref="ArgumentException">The array is not supported or does not fit the names.</exception>
    public static ImageView ImportOrdered(PyObject array, ImageDimension[] axes) => Releasing(array, () => NumpyInterop.OrderFromNumpyArray(array, axes));

    /// <summary>
    /// Appends to the Python list <paramref name="result"/> an array over the view's memory (rules 6 to 8; an
    /// <paramref name="order"/> of null for rules 6 and 7). Handing the array over through the list leaves .NET
    /// holding no reference to it, so the array and the view's memory are released as soon as Python drops them.
    /// </summary>
    /// <exception cref="ArgumentException">The order does not fit the view.</exception>
    /// <exception cref="NotSupportedException">The view does not have MEMORY_ACCESS.</exception>
    public static void ExportInto(ImageView view, ImageDimension[]? order, PyObject result)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            using var array = order is null ? NumpyInterop.ToNumpyArray(view) : NumpyInterop.OrderToNumpyArray(view, order);
            using (Py.GIL())
            {
                using var append = result.GetAttr("append");
                append.Invoke(array).Dispose();
            }
        }
        finally
        {
            using (Py.GIL())
            {
                result.Dispose();
            }
        }
    }

    private static ImageView Releasing(PyObject array, Func<ImageView> import)
    {
        ArgumentNullException.ThrowIfNull(array);
        try
        {
            return import();
        }
        finally
        {
            using (Py.GIL())
            {
                array.Dispose();
            }
        }
    }

    /// <summary>Reads <paramref name="region"/> of <paramref name="view"/> into <paramref name="byteLength"/> bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The buffer is too small or larger than 2 GiB, or the region does not fit the view.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static void ReadRegion(ImageView view, RegionXu64 region, long address, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(view);
        using (new GilReleased())
        {
            view.ReadRegion(region, new Span<byte>((void*)address, CheckLength(byteLength)));
        }
    }

    /// <summary>Writes <paramref name="region"/> of <paramref name="view"/> from <paramref name="byteLength"/> bytes at <paramref name="address"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The buffer is too small or larger than 2 GiB, or the region does not fit the view.</exception>
    /// <exception cref="NotSupportedException">The view does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static void WriteRegion(ImageView view, RegionXu64 region, long address, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(view);
        using (new GilReleased())
        {
            view.WriteRegion(region, new ReadOnlySpan<byte>((void*)address, CheckLength(byteLength)));
        }
    }

    /// <summary><see cref="ImageViewFactory.CopyInMemory"/> with the GIL released while it copies.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView CopyInMemory(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        using (new GilReleased())
        {
            return ImageViewFactory.CopyInMemory(view);
        }
    }

    /// <summary>A READ-only view whose every element is <paramref name="value"/>, for Python, which cannot pass spans.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The value is not one element long, or shape or type are not valid.</exception>
    public static ImageView Uniform(VectorXu64 shape, DataType type, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ImageViewFactory.Uniform(shape, type, value);
    }

    /// <summary>
    /// A view over a Python buffer's memory (Python's <c>ImageViewFactory.from_buffer</c>): <paramref name="byteLength"/>
    /// bytes at <paramref name="address"/>, dense in canonical order, kept alive by one reference to
    /// <paramref name="keep"/> (the memoryview that holds the buffer's export) until the last view of it is disposed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="keep"/> is null.</exception>
    /// <exception cref="ArgumentException">The buffer's size is not the shape's, or shape or type are not valid.</exception>
    public static ImageView FromBuffer(VectorXu64 shape, DataType type, long address, long byteLength, bool writable, PyObject keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        if (type.IsValid && shape.Size > 0)
        {
            // Stops once past the buffer: a product of 32 lengths may not fit any number type.
            decimal needed = type.ByteCount;
            var d = 0;
            for (; d < shape.Size && needed <= byteLength; d++)
            {
                needed *= shape[d];
            }

            if (needed != byteLength)
            {
                var what = d == shape.Size ? $"exactly {needed}" : $"more than {byteLength}";
                throw new ArgumentException(
                    $"The buffer has {byteLength} bytes but a {type} view of shape {shape} needs {what}; pass a buffer of exactly the view's size (dense, first dimension fastest).",
                    nameof(byteLength));
            }
        }

        var owner = new PythonReferenceOwner(keep);
        try
        {
            return ImageViewFactory.FromBuffer((nint)address, byteLength, shape, type, null, owner, writable);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    private static int CheckLength(long byteLength)
    {
        if (byteLength is < 0 or > int.MaxValue)
        {
            throw new ArgumentException($"A buffer of {byteLength} bytes cannot be used for one region; read regions of at most 2 GiB at a time.", nameof(byteLength));
        }

        return (int)byteLength;
    }
}
