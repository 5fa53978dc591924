using System.Numerics.Tensors;
using IOLink.Interop;
using IOLink.Tensors.Internal;

namespace IOLink.Tensors;

public static unsafe partial class TensorInterop
{
    /// <summary>
    /// A writable tensor span over the view's memory, no copy: axes in NumPy order (T, Z, Y, X, C) for a known
    /// axes interpretation, in view order for UNKNOWN, then a trailing components axis when <typeparamref name="T"/>
    /// is the component type of a vector (complex, matrix) data type.
    /// </summary>
    /// <remarks>
    /// The span borrows the view's memory and is valid only while the view is alive and referenced: keep the view
    /// in a variable (<c>using var view = ...</c>) until the span's last use, as with any span over memory that a
    /// disposable object owns. A span taken from a view that is no longer referenced may be read after the
    /// collector has finalized the view and freed its memory. Being a ref struct, the span cannot be stored in a
    /// field or outlive the calling method.
    /// </remarks>
    /// <typeparam name="T">The element or component type of the view (ushort for UINT16 and VEC3_UINT16, float for FLOAT, ...).</typeparam>
    /// <param name="view">A view with MEMORY_ACCESS and WRITE.</param>
    /// <returns>A span whose element at tensor index [.., z, y, x] is view element (x, y, z, ..).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the view's data type, or the layout has a
    /// flipped axis, overlapping axes or strides that are not whole elements (use <see cref="ToTensor{T}(ImageView)"/>).</exception>
    /// <exception cref="NotSupportedException">The view has no MEMORY_ACCESS (use <see cref="ToTensor{T}(ImageView)"/>) or no WRITE
    /// (use <see cref="ToReadOnlyTensorSpan{T}(ImageView)"/>).</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static TensorSpan<T> ToTensorSpan<T>(ImageView view)
        where T : unmanaged
    {
        var e = Export<T>(view, null, writable: true, nameof(ToTensorSpan));
        return new TensorSpan<T>((T*)e.Address, e.Extent, e.Lengths, e.Strides);
    }

    /// <summary>
    /// A writable tensor span over the view's memory, no copy, with axes in the order the caller lists (rule 8);
    /// the components of a vector data type are the CHANNEL dimension and must be listed too.
    /// </summary>
    /// <remarks>The span is valid only while the view is alive; see <see cref="ToTensorSpan{T}(ImageView)"/>.</remarks>
    /// <typeparam name="T">The element or component type of the view.</typeparam>
    /// <param name="view">A view with MEMORY_ACCESS and WRITE, and a known axes interpretation.</param>
    /// <param name="order">Each view dimension once, in the order the tensor axes should have: [SLICE, COLUMN, ROW], say.</param>
    /// <returns>A span whose axis k walks the view dimension <paramref name="order"/>[k].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="order"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the view's data type; the order misses,
    /// repeats or invents a dimension; the axes are UNKNOWN; the view has both CHANNEL and a vector type; or the layout
    /// cannot be a tensor span (use <see cref="ToTensor{T}(ImageView, ImageDimension[])"/>).</exception>
    /// <exception cref="NotSupportedException">The view has no MEMORY_ACCESS or no WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static TensorSpan<T> ToTensorSpan<T>(ImageView view, params ImageDimension[] order)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(order);
        var e = Export<T>(view, order, writable: true, nameof(ToTensorSpan));
        return new TensorSpan<T>((T*)e.Address, e.Extent, e.Lengths, e.Strides);
    }

    /// <summary>
    /// A read-only tensor span over the view's memory, no copy, in the order of <see cref="ToTensorSpan{T}(ImageView)"/>;
    /// the way to export a view without WRITE.
    /// </summary>
    /// <remarks>The span is valid only while the view is alive; see <see cref="ToTensorSpan{T}(ImageView)"/>.</remarks>
    /// <typeparam name="T">The element or component type of the view.</typeparam>
    /// <param name="view">A view with MEMORY_ACCESS.</param>
    /// <returns>A read-only span whose element at tensor index [.., z, y, x] is view element (x, y, z, ..).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the view's data type, or the layout
    /// cannot be a tensor span (use <see cref="ToTensor{T}(ImageView)"/>).</exception>
    /// <exception cref="NotSupportedException">The view has no MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ReadOnlyTensorSpan<T> ToReadOnlyTensorSpan<T>(ImageView view)
        where T : unmanaged
    {
        var e = Export<T>(view, null, writable: false, nameof(ToReadOnlyTensorSpan));
        return new ReadOnlyTensorSpan<T>((T*)e.Address, e.Extent, e.Lengths, e.Strides);
    }

    /// <summary>A read-only tensor span over the view's memory, no copy, with axes in the order the caller lists (rule 8).</summary>
    /// <remarks>The span is valid only while the view is alive; see <see cref="ToTensorSpan{T}(ImageView)"/>.</remarks>
    /// <typeparam name="T">The element or component type of the view.</typeparam>
    /// <param name="view">A view with MEMORY_ACCESS and a known axes interpretation.</param>
    /// <param name="order">Each view dimension once, in the order the tensor axes should have.</param>
    /// <returns>A read-only span whose axis k walks the view dimension <paramref name="order"/>[k].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="order"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match; the order misses, repeats or invents a
    /// dimension; the axes are UNKNOWN; the view has both CHANNEL and a vector type; or the layout cannot be a tensor span.</exception>
    /// <exception cref="NotSupportedException">The view has no MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ReadOnlyTensorSpan<T> ToReadOnlyTensorSpan<T>(ImageView view, params ImageDimension[] order)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(order);
        var e = Export<T>(view, order, writable: false, nameof(ToReadOnlyTensorSpan));
        return new ReadOnlyTensorSpan<T>((T*)e.Address, e.Extent, e.Lengths, e.Strides);
    }

    private readonly record struct ExportLayout(nint Address, nint Extent, nint[] Lengths, nint[] Strides);

    /// <summary>Pointer and stride bookkeeping shared by every export: the core's axis rules give the array layout, and the tensor's limits are checked here.</summary>
    private static ExportLayout Export<T>(ImageView view, ImageDimension[]? order, bool writable, string operation)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.IsDisposed)
        {
            TensorThrowHelper.Disposed();
        }

        var caps = view.Capabilities;
        if ((caps & ImageCapability.MEMORY_ACCESS) == 0)
        {
            TensorThrowHelper.NoMemoryAccess(operation, caps);
        }

        if (writable && (caps & ImageCapability.WRITE) == 0)
        {
            TensorThrowHelper.NotWritable(operation, caps);
        }

        var components = ResolveComponents<T>(view);
        var array = ArrayAxes.Export(view, order, components, nameof(order));
        var address = view.Buffer;
        var type = view.DataType;
        var size = sizeof(T);
        if (address % type.ComponentByteCount != 0)
        {
            TensorThrowHelper.Misaligned(operation, address, type.ComponentByteCount, nameof(view));
        }

        var byteLengths = array.Lengths;
        var byteStrides = array.ByteStrides;
        var lengths = new nint[byteLengths.Length];
        var strides = new nint[byteLengths.Length];
        for (var k = 0; k < lengths.Length; k++)
        {
            // Tensors require stride 0 along a length-1 axis; the view may carry any stride there.
            var byteStride = byteLengths[k] == 1 ? 0 : byteStrides[k];
            if (byteStride < 0)
            {
                TensorThrowHelper.FlippedAxis(operation, k, byteStride, nameof(view));
            }

            if (byteStride % size != 0)
            {
                TensorThrowHelper.StrideNotMultiple(operation, k, byteStride, typeof(T), size, nameof(view));
            }

            lengths[k] = (nint)byteLengths[k];
            strides[k] = (nint)(byteStride / size);
        }

        if (!TensorAxes.AreDisjoint(lengths, strides))
        {
            TensorThrowHelper.Overlapping(operation, lengths, strides, nameof(view));
        }

        // No stride is negative, so the array starts at element 0 and spans its extent.
        return new ExportLayout(address, (nint)(array.ByteExtent!.Value / size), lengths, strides);
    }
}
