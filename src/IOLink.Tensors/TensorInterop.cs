using IOLink.Tensors.Internal;

namespace IOLink.Tensors;

/// <summary>
/// Zero-copy interop between IOLink image views and <c>System.Numerics.Tensors</c> (<c>Tensor&lt;T&gt;</c>,
/// <c>TensorSpan&lt;T&gt;</c>, <c>ReadOnlyTensorSpan&lt;T&gt;</c>), with the NumPy axis rules of IOLink Python:
/// tensors list their axes in NumPy order (T, Z, Y, X, C) where views use canonical order (X, Y, Z, C, T).
/// </summary>
/// <remarks>
/// <para>
/// Export (<see cref="ToTensorSpan{T}(ImageView)"/>, <see cref="ToReadOnlyTensorSpan{T}(ImageView)"/>) is a
/// span over the view's own memory: it borrows that memory and is valid only while the view is alive (not
/// disposed). Tensor spans are ref structs, so a span cannot be stored beyond the method that holds the view.
/// </para>
/// <para>
/// Import (<see cref="FromTensor{T}(System.Numerics.Tensors.Tensor{T})"/> and its siblings) gives a view over
/// the tensor's backing array: the array stays pinned and the tensor referenced until the view and every view
/// made from it are disposed; a write on either side is seen by the other.
/// </para>
/// <para>
/// Neither direction ever copies. <see cref="ToTensor{T}(ImageView)"/> is the explicit copy, for views without
/// MEMORY_ACCESS or with layouts a tensor cannot express (a flipped axis).
/// </para>
/// <para>
/// The tensor element type <c>T</c> is a component type: byte (UINT8), sbyte (INT8), ushort (UINT16), short
/// (INT16), uint (UINT32), int (INT32), ulong (UINT64), long (INT64), Half (16-bit float), float (FLOAT),
/// double (DOUBLE), <see cref="System.Numerics.Complex"/> (COMPLEX_DOUBLE), and bool (UINT8 with BINARY values).
/// A vector, complex or matrix view exported with its component type gets a trailing axis of its components.
/// </para>
/// </remarks>
public static unsafe partial class TensorInterop
{
    /// <summary>
    /// Checks <typeparamref name="T"/> against the view's data type: whether a tensor of T sees whole elements
    /// (false) or the components of each element along a trailing axis (true).
    /// </summary>
    /// <exception cref="ArgumentException">T is neither the element type nor the component type.</exception>
    private static bool ResolveComponents<T>(ImageView view)
        where T : unmanaged
    {
        var viewType = view.DataType;
        var component = viewType.ComponentType;
        if (!TensorElement.TryGetDataType<T>(out var t))
        {
            TensorThrowHelper.ElementTypeMismatch(typeof(T), viewType,
                $"use {TensorElement.NameFor(component)}, the type of its components", "T");
        }

        if (typeof(T) == typeof(bool) && view.ImageInterpretation != ImageInterpretation.BINARY)
        {
            TensorThrowHelper.ElementTypeMismatch(typeof(T), viewType,
                $"bool is only for views whose image interpretation is BINARY (this one is {view.ImageInterpretation}); use {TensorElement.NameFor(component)}", "T");
        }

        if (t == viewType)
        {
            return false;
        }

        if (viewType.Dimension > 1 && t == component)
        {
            return true;
        }

        var suggestion = viewType == DataTypeId.COMPLEX_DOUBLE
            ? "System.Numerics.Complex (whole elements) or double (components)"
            : TensorElement.NameFor(component);
        TensorThrowHelper.ElementTypeMismatch(typeof(T), viewType, $"its components are {component}; use {suggestion}", "T");
        return false;
    }
}
