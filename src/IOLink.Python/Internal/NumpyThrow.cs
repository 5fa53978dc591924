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
    public static void OutsideItsMemory(long first, long end, long size, string paramName) =>
        throw new ArgumentException(
            $"The array's shape and strides reach bytes {first} to {end} of the {size}-byte buffer NumPy holds for it; an array whose layout does not fit its memory cannot be viewed. Pass numpy.ascontiguousarray(array) or fix the code that made it.",
            paramName);

    [DoesNotReturn]
    public static void NoMemoryAccess(string operation, ImageCapability has, string copy = "ImageViewFactory.CopyInMemory") =>
        throw new NotSupportedException(
            $"{operation} needs the MEMORY_ACCESS capability, and this view has only {(has == ImageCapability.NONE ? "NONE" : has.ToString().Replace(",", " |", StringComparison.Ordinal))}. " +
            $"Make an in-memory copy with {copy} first.");
}
