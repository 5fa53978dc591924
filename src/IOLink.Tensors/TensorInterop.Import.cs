using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IOLink.Interop;
using IOLink.Tensors.Internal;

namespace IOLink.Tensors;

public static unsafe partial class TensorInterop
{
    /// <summary>
    /// A view over the tensor's memory, no copy, with the tensor's axes as they are (rule 1): a tensor of lengths
    /// (2, 3) gives a view of shape (2, 3) and UNKNOWN axes whose index (i, j) is tensor element [i, j], whatever
    /// the tensor's strides (C order, Fortran order, a slice).
    /// </summary>
    /// <remarks>
    /// The view borrows the tensor's backing array: it keeps the array pinned and the tensor referenced until the
    /// view and every view made from it are disposed. A write through either side is seen by the other.
    /// A bool tensor gives a UINT8 view whose image interpretation is BINARY.
    /// </remarks>
    /// <typeparam name="T">The element type: a scalar listed on <see cref="TensorInterop"/>, bool or <see cref="Complex"/>.</typeparam>
    /// <param name="tensor">A tensor with at least one element.</param>
    /// <returns>A view with READ, WRITE and MEMORY_ACCESS.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no IOLink data type, or the tensor is empty.</exception>
    public static ImageView FromTensor<T>(Tensor<T> tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Import(tensor, AxisSpec.Unknown);
    }

    /// <summary>
    /// A view over the tensor's memory, no copy, whose tensor axes are read in NumPy order for
    /// <paramref name="type"/> (T, Z, Y, X, C) and put in canonical order (rule 2): a 2x3 tensor imported as
    /// IMAGE gives a view of shape (3, 2) whose element (x, y) is tensor element [y, x]. A tensor with one axis
    /// more whose last axis is packed with 2 to 4 elements gives a vector data type (rule 4).
    /// </summary>
    /// <remarks>Ownership as for <see cref="FromTensor{T}(Tensor{T})"/>: the tensor stays pinned and referenced until the view is disposed.</remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tensor">A tensor with at least one element.</param>
    /// <param name="type">The axes interpretation; UNKNOWN behaves as <see cref="FromTensor{T}(Tensor{T})"/>.</param>
    /// <returns>A view with READ, WRITE and MEMORY_ACCESS, in canonical order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no IOLink data type; the tensor is empty; its rank does
    /// not fit <paramref name="type"/>; the trailing vector axis is not packed; or <paramref name="type"/> is not an ImageTypeId.</exception>
    public static ImageView FromTensor<T>(Tensor<T> tensor, ImageTypeId type)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Import(tensor, AxisSpec.Of(ImageType.FromId(type)));
    }

    /// <summary>
    /// A view over the tensor's memory, no copy, with each tensor axis named in the tensor's own axis order (rule 3):
    /// [ROW, COLUMN] on a 2x3 tensor gives an IMAGE of shape (3, 2). The view is reordered into canonical order
    /// through strides. A tensor with one axis more than names, whose last axis is packed with 2 to 4 elements,
    /// gives a vector data type (rule 4).
    /// </summary>
    /// <remarks>Ownership as for <see cref="FromTensor{T}(Tensor{T})"/>: the tensor stays pinned and referenced until the view is disposed.</remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tensor">A tensor with at least one element.</param>
    /// <param name="axes">What each tensor axis is, in tensor order; each dimension at most once.</param>
    /// <returns>A view with READ, WRITE and MEMORY_ACCESS, in canonical order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> or <paramref name="axes"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no IOLink data type; the tensor is empty; a dimension
    /// is repeated or not valid; the tensor's rank does not fit the names; or the trailing vector axis is not packed.</exception>
    public static ImageView OrderFromTensor<T>(Tensor<T> tensor, params ImageDimension[] axes)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(axes);
        return Import(tensor, AxisSpec.Named(axes));
    }

    /// <summary>A view over the tensor's memory, no copy, its axes as <paramref name="axes"/> says (rules 1 to 4); a bool tensor is BINARY.</summary>
    /// <remarks>Ownership as for <see cref="FromTensor{T}(Tensor{T})"/>: the tensor stays pinned and referenced until the view is disposed.</remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="tensor">A tensor with at least one element.</param>
    /// <param name="axes">What is known of the tensor's axes.</param>
    /// <returns>A view with READ, WRITE and MEMORY_ACCESS.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no IOLink data type; the tensor is empty; or it does not fit <paramref name="axes"/>.</exception>
    public static ImageView FromTensor<T>(Tensor<T> tensor, AxisSpec axes)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Import(tensor, axes);
    }

    /// <summary>
    /// A view over a managed array, no copy, seen as a tensor of <paramref name="lengths"/> in NumPy (C) order:
    /// the last length varies fastest. Same as <see cref="FromTensor{T}(Tensor{T})"/> on
    /// <c>Tensor.Create(data, lengths)</c>.
    /// </summary>
    /// <remarks>The array stays pinned until the view and every view made from it are disposed; writes cross both ways.</remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The elements, C order.</param>
    /// <param name="lengths">One length per axis, slowest first; their product is the array's length.</param>
    /// <returns>A view of shape <paramref name="lengths"/> with UNKNOWN axes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths are empty or not positive, their product differs from the array's
    /// length, or <typeparamref name="T"/> has no IOLink data type.</exception>
    public static ImageView FromArray<T>(T[] data, ReadOnlySpan<nint> lengths)
        where T : unmanaged =>
        FromTensor(WrapArray(data, lengths));

    /// <summary>
    /// A view over a managed array, no copy, seen as a tensor of <paramref name="lengths"/> in NumPy (C) order
    /// and imported with the axes interpretation <paramref name="type"/> (rules 2 and 4): a (2, 3) array as IMAGE
    /// gives a view of shape (3, 2).
    /// </summary>
    /// <remarks>The array stays pinned until the view and every view made from it are disposed; writes cross both ways.</remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The elements, C order.</param>
    /// <param name="lengths">One length per axis, slowest first; their product is the array's length.</param>
    /// <param name="type">The axes interpretation the axes are read with.</param>
    /// <returns>A view in canonical order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths are not valid or do not match the array, <typeparamref name="T"/> has
    /// no IOLink data type, or the rank does not fit <paramref name="type"/>.</exception>
    public static ImageView FromArray<T>(T[] data, ReadOnlySpan<nint> lengths, ImageTypeId type)
        where T : unmanaged =>
        FromTensor(WrapArray(data, lengths), type);

    private static Tensor<T> WrapArray<T>(T[] data, ReadOnlySpan<nint> lengths)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (lengths.IsEmpty)
        {
            TensorThrowHelper.InvalidLengths(lengths, nameof(lengths));
        }

        long product = 1;
        foreach (var n in lengths)
        {
            if (n < 1)
            {
                TensorThrowHelper.InvalidLengths(lengths, nameof(lengths));
            }

            // Saturate instead of overflowing: any product past the array's length is already wrong.
            product = product > int.MaxValue ? product : product * n;
        }

        if (product != data.Length)
        {
            TensorThrowHelper.ArrayLengthMismatch(data.Length, product, lengths, nameof(data));
        }

        return Tensor.Create(data, lengths);
    }

    private static DataType ScalarTypeOf<T>()
    {
        if (!TensorElement.TryGetDataType<T>(out var type))
        {
            TensorThrowHelper.UnsupportedElementType(typeof(T), "T");
        }

        return type;
    }

    /// <summary>
    /// Every import: the core's axis rules (<see cref="ArrayAxes"/>) give the view's layout from the tensor's lengths
    /// and strides once (rule 1, 2 or 3 as <paramref name="axes"/> says), and the tensor's pinned memory is wrapped once.
    /// </summary>
    private static ImageView Import<T>(Tensor<T> tensor, AxisSpec axes)
        where T : unmanaged
    {
        var scalar = ScalarTypeOf<T>();
        var lengths = tensor.Lengths;
        var strides = tensor.Strides;
        if (tensor.IsEmpty || lengths.IsEmpty)
        {
            TensorThrowHelper.EmptyTensor(lengths, nameof(tensor));
        }

        var size = sizeof(T);
        var arrayLengths = new long[lengths.Length];
        var byteStrides = new long[lengths.Length];
        for (var k = 0; k < lengths.Length; k++)
        {
            arrayLengths[k] = lengths[k];
            byteStrides[k] = strides[k] * (long)size;
        }

        var layout = axes.Import(arrayLengths, byteStrides, scalar, "tensor", isBool: typeof(T) == typeof(bool));

        // Tensor<T>.GetPinnedHandle pins the whole backing array but points at its start, not at a slice's first
        // element; the span's reference is that element.
        var handle = tensor.GetPinnedHandle();
        var pin = new TensorPin(handle, tensor);
        try
        {
            var span = tensor.AsReadOnlyTensorSpan();
            var address = (nint)Unsafe.AsPointer(ref Unsafe.AsRef(in TensorMarshal.GetReference(span)));
            return ImageViewFactory.FromBuffer(address, layout.ByteExtent, layout, pin, writable: true);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }
}
