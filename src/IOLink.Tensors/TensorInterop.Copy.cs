using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using IOLink.Internal;

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
        view.Require(ImageCapability.READ, nameof(ToTensor));
        var components = ResolveComponents<T>(view);
        var axes = NumpyAxes.ForExport(view, order, components, nameof(order));
        var type = view.DataType;
        var rank = view.DimensionCount;
        var lengths = new nint[axes.Length];
        for (var k = 0; k < axes.Length; k++)
        {
            lengths[k] = axes[k] == NumpyAxes.Components ? (nint)type.Dimension : (nint)view.Shape[axes[k]];
        }

        var tensor = Tensor.CreateFromShapeUninitialized<T>(lengths);
        var tensorStrides = tensor.Strides;

        // The copy walks view dimensions (plus the components) and writes each to its tensor axis.
        var n = rank + (components ? 1 : 0);
        var shape = new long[n];
        var dstStrides = new long[n];
        var srcStrides = new long[n];
        for (var k = 0; k < axes.Length; k++)
        {
            var i = axes[k] == NumpyAxes.Components ? rank : axes[k];
            dstStrides[i] = tensorStrides[k] * (long)sizeof(T);
        }

        ImageView? inMemory = view.Support(ImageCapability.MEMORY_ACCESS) ? null : ImageViewFactory.CopyInMemory(view);
        try
        {
            var layout = (inMemory ?? view).Layout!;
            // The copy reads the view's memory: hold it, so that a concurrent Dispose cannot free it mid-copy.
            using var lease = layout.Block.Lease(nameof(ImageView));
            for (var i = 0; i < rank; i++)
            {
                shape[i] = (long)view.Shape[i];
                srcStrides[i] = layout.Strides[i];
            }

            if (components)
            {
                shape[rank] = type.Dimension;
                srcStrides[rank] = type.ComponentByteCount;
            }

            var span = tensor.AsTensorSpan();
            fixed (T* dst = &TensorMarshal.GetReference(span))
            {
                StridedCopy.Copy((byte*)layout.Address, srcStrides, (byte*)dst, dstStrides, shape, components ? type.ComponentType : type);
            }
        }
        finally
        {
            inMemory?.Dispose();
        }

        return tensor;
    }
}
