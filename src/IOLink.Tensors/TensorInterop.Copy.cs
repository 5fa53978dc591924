using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Tensors.Internal;

namespace IOLink.Tensors;

public static unsafe partial class TensorInterop
{
    /// <summary>
    /// Copies the view into a new dense (C order) <see cref="Tensor{T}"/>, with the axes of
    /// <see cref="ToTensorSpan{T}(ImageView)"/>. This is the explicit copy for views a tensor span cannot cover:
    /// views without MEMORY_ACCESS (on a file, say) and layouts with a flipped or overlapping axis.
    /// </summary>
    /// <remarks>
    /// The tensor owns its data: later writes to the view do not reach it. A view without MEMORY_ACCESS is read
    /// through a temporary in-memory copy, so such a copy needs twice the view's size while it runs.
    /// </remarks>
    /// <typeparam name="T">The element or component type of the view.</typeparam>
    /// <param name="view">A view with READ.</param>
    /// <returns>A new tensor whose element at [.., z, y, x] equals view element (x, y, z, ..).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the view's data type.</exception>
    /// <exception cref="NotSupportedException">The view has no READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static Tensor<T> ToTensor<T>(ImageView view)
        where T : unmanaged =>
        Copy<T>(view, null);

    /// <summary>Copies the view into a new dense <see cref="Tensor{T}"/> whose axes follow <paramref name="order"/> (rule 8).</summary>
    /// <remarks>The tensor owns its data; see <see cref="ToTensor{T}(ImageView)"/>.</remarks>
    /// <typeparam name="T">The element or component type of the view.</typeparam>
    /// <param name="view">A view with READ and a known axes interpretation.</param>
    /// <param name="order">Each view dimension once (CHANNEL for the components of a vector type), in tensor axis order.</param>
    /// <returns>A new tensor whose axis k walks the view dimension <paramref name="order"/>[k].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> or <paramref name="order"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match; the order misses, repeats or invents a
    /// dimension; the axes are UNKNOWN; or the view has both CHANNEL and a vector type.</exception>
    /// <exception cref="NotSupportedException">The view has no READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static Tensor<T> ToTensor<T>(ImageView view, params ImageDimension[] order)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(order);
        return Copy<T>(view, order);
    }

    private static Tensor<T> Copy<T>(ImageView view, ImageDimension[]? order)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.IsDisposed)
        {
            TensorThrowHelper.Disposed();
        }

        if (!view.Support(ImageCapability.READ))
        {
            // A view disposed since the check above has no capabilities left: that is the error to report.
            if (view.IsDisposed)
            {
                TensorThrowHelper.Disposed();
            }

            TensorThrowHelper.NotReadable(nameof(ToTensor), view.Capabilities);
        }

        // The order is checked (and, for a memory view, the array layout known) before anything is copied.
        var components = ResolveComponents<T>(view);
        var exported = ArrayAxes.Export(view, order, components, nameof(order));
        var lengths = exported.Lengths.ToArray();
        var tensor = Tensor.CreateFromShapeUninitialized<T>(Array.ConvertAll(lengths, n => (nint)n));

        // Both sides as plain views in tensor axis order (rule 1 of the core's axis rules), then one copy between
        // them: the view's memory (a dense copy when it has none), held for the copy, and the tensor's memory.
        using var inMemory = exported.HasByteStrides ? null : ImageViewFactory.CopyInMemory(view);
        using var held = ImageViewFactory.Share(inMemory ?? view);
        var from = inMemory is null ? exported : ArrayAxes.Export(held, order, components, nameof(order));
        var fromLayout = ArrayAxes.Import(from.Lengths, from.ByteStrides, from.ItemType);
        using var source = ImageViewFactory.FromBuffer(held.Buffer, fromLayout.ByteExtent, fromLayout, owner: null, writable: false);

        var tensorStrides = tensor.Strides;
        var toStrides = new long[lengths.Length];
        for (var k = 0; k < toStrides.Length; k++)
        {
            toStrides[k] = tensorStrides[k] * (long)sizeof(T);
        }

        var toLayout = ArrayAxes.Import(lengths, toStrides, from.ItemType);
        var span = tensor.AsTensorSpan();
        fixed (T* dst = &TensorMarshal.GetReference(span))
        {
            using var destination = ImageViewFactory.FromBuffer((nint)dst, toLayout.ByteExtent, toLayout, owner: null);
            ImageViewFactory.Copy(source, destination);
        }

        return tensor;
    }
}
