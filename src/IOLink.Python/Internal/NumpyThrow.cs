using System.Diagnostics.CodeAnalysis;

namespace IOLink.Python.Internal;

/// <summary>One method per way an array or an order can be refused, so every message says what was wrong and what to do.</summary>
internal static class NumpyThrow
{
    [DoesNotReturn]
    public static void NotAnArray(string typeName, string paramName) =>
        throw new ArgumentException($"Expected a numpy.ndarray but got a {typeName}; convert it first with numpy.asarray.", paramName);

    [DoesNotReturn]
    public static void ZeroDimensional(string paramName) =>
        throw new ArgumentException("The array is 0-d (a scalar); a view needs at least one dimension, so pass numpy.atleast_1d(array) or array.reshape(1).", paramName);

    [DoesNotReturn]
    public static void Empty(string shape, string paramName) =>
        throw new ArgumentException($"The array of shape {shape} has no elements; a view has at least one element along each dimension.", paramName);

    [DoesNotReturn]
    public static void UnsupportedDtype(string dtype, string why, string paramName) =>
        throw new ArgumentException(
            $"NumPy dtype '{dtype}' is not supported: {why}. Use bool, an integer of 8 to 64 bits, float16/32/64 or complex64/128.", paramName);

    [DoesNotReturn]
    public static void NonNativeByteOrder(string dtype, string paramName) =>
        throw new ArgumentException(
            $"NumPy dtype '{dtype}' has non-native byte order; a view reads memory in native order, so convert first with array.astype(array.dtype.newbyteorder('=')).", paramName);

    [DoesNotReturn]
    public static void AxisCountMismatch(int arrayAxes, string named, int count, string paramName) =>
        throw new ArgumentException(
            $"The array has {arrayAxes} axes but {named} names {count}; name every axis, or every axis but a last one of 2 to 4 packed vector components.", paramName);

    [DoesNotReturn]
    public static void ComponentAxisNotPacked(long length, long stride, int itemSize, string paramName) =>
        throw new ArgumentException(
            $"The last axis (length {length}) would become vector components but it is not packed: its stride is {stride} bytes, not the item size {itemSize}; " +
            "a view never copies silently, so pass numpy.ascontiguousarray(array) if a copy is acceptable.", paramName);

    [DoesNotReturn]
    public static void ComponentAxisLength(long length, string paramName) =>
        throw new ArgumentException(
            $"The last axis has length {length}, but vector components must number 2 to 4; name that axis as a dimension instead.", paramName);

    [DoesNotReturn]
    public static void ComplexComponents(string dtype, string paramName) =>
        throw new ArgumentException(
            $"A last axis of {dtype} values cannot become vector components: there are no vectors of complex numbers; name that axis as a dimension.", paramName);

    [DoesNotReturn]
    public static void OrderNeedsKnownAxes(string paramName) =>
        throw new ArgumentException(
            "An export order needs a view with a known axes interpretation, and this view's is UNKNOWN; name its dimensions first with ImageViewFactory.ReinterpretAxes (or Reinterpret), or use ToNumpyArray.", paramName);

    [DoesNotReturn]
    public static void ChannelAndVector(DataType type, string paramName) =>
        throw new ArgumentException(
            $"The view has both a CHANNEL dimension and the vector type {type}, so its components cannot be placed as CHANNEL; use ToNumpyArray, or extract a channel first.", paramName);

    [DoesNotReturn]
    public static void OrderMismatch(string given, string expected, string paramName) =>
        throw new ArgumentException(
            $"Order [{given}] must list each of the view's dimensions [{expected}] exactly once.", paramName);
}
