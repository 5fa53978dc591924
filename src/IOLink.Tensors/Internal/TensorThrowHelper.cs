using System.Diagnostics.CodeAnalysis;

namespace IOLink.Tensors.Internal;

/// <summary>One method per error condition of tensor interop, so that every message says what was wrong and what to do.</summary>
internal static class TensorThrowHelper
{
    [DoesNotReturn]
    public static void ElementTypeMismatch(Type t, DataType viewType, string hint, string paramName) =>
        throw new ArgumentException(
            $"The tensor element type {t.Name} does not match the view's data type {viewType}: {hint}.", paramName);

    [DoesNotReturn]
    public static void UnsupportedElementType(Type t, string paramName) =>
        throw new ArgumentException(
            $"The tensor element type {t.FullName} has no IOLink data type; use byte, sbyte, ushort, short, uint, int, ulong, long, Half, float, double, bool or System.Numerics.Complex.",
            paramName);

    [DoesNotReturn]
    public static void NoMemoryAccess(string operation, ImageCapability has) =>
        throw new NotSupportedException(
            $"{operation} needs the MEMORY_ACCESS capability (elements in addressable memory), and this view has only {Describe(has)}. " +
            "Copy the view into a new tensor with TensorInterop.ToTensor, or into memory with ImageViewFactory.CopyInMemory first.");

    [DoesNotReturn]
    public static void NotReadable(string operation, ImageCapability has) =>
        throw new NotSupportedException($"{operation} reads the view and needs the READ capability, and this view has only {Describe(has)}.");

    [DoesNotReturn]
    public static void Disposed() =>
        throw new ObjectDisposedException(nameof(ImageView),
            "This image view has been disposed; keep the view alive (or make a copy with ImageViewFactory.CopyInMemory) while you use it.");

    [DoesNotReturn]
    public static void NotWritable(string operation, ImageCapability has) =>
        throw new NotSupportedException(
            $"{operation} gives a writable tensor span and needs the WRITE capability, and this view has only {Describe(has)}. " +
            "Use TensorInterop.ToReadOnlyTensorSpan for a read-only span of the same memory.");

    [DoesNotReturn]
    public static void FlippedAxis(string operation, int axis, long byteStride, string paramName) =>
        throw new ArgumentException(
            $"{operation}: tensor axis {axis} would need a negative stride ({byteStride} bytes; the view has a flipped axis), which tensor spans cannot express. " +
            "Copy the view with TensorInterop.ToTensor, which gives a new dense Tensor, instead.",
            paramName);

    [DoesNotReturn]
    public static void StrideNotMultiple(string operation, int axis, long byteStride, Type t, int size, string paramName) =>
        throw new ArgumentException(
            $"{operation}: tensor axis {axis} has a byte stride of {byteStride}, which is not a multiple of the {size}-byte {t.Name}; tensor strides count whole elements. " +
            "Copy the view with TensorInterop.ToTensor instead.",
            paramName);

    [DoesNotReturn]
    public static void Misaligned(string operation, nint address, int alignment, string paramName) =>
        throw new ArgumentException(
            $"{operation}: the view's first element at address 0x{address:X} is not aligned to {alignment} bytes, as a tensor of this element type needs. " +
            "Copy the view with TensorInterop.ToTensor instead.",
            paramName);

    [DoesNotReturn]
    public static void Overlapping(string operation, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, string paramName) =>
        throw new ArgumentException(
            $"{operation}: lengths [{string.Join(", ", lengths.ToArray())}] with element strides [{string.Join(", ", strides.ToArray())}] make axes overlap or interleave, " +
            "which tensor spans cannot express. Copy the view with TensorInterop.ToTensor instead.",
            paramName);



    [DoesNotReturn]
    public static void EmptyTensor(ReadOnlySpan<nint> lengths, string paramName) =>
        throw new ArgumentException(
            $"The tensor of lengths [{string.Join(", ", lengths.ToArray())}] has no elements; an image view needs at least one dimension and at least one element along each.",
            paramName);

    [DoesNotReturn]
    public static void ArrayLengthMismatch(int arrayLength, long product, ReadOnlySpan<nint> lengths, string paramName) =>
        throw new ArgumentException(
            $"The array holds {arrayLength} element(s) but lengths [{string.Join(", ", lengths.ToArray())}] describe {(product > int.MaxValue ? $"more than {int.MaxValue}" : product)}; give lengths whose product is the array's length.",
            paramName);

    [DoesNotReturn]
    public static void InvalidLengths(ReadOnlySpan<nint> lengths, string paramName) =>
        throw new ArgumentException(
            $"Lengths [{string.Join(", ", lengths.ToArray())}] are not valid: give at least one length, each at least 1 (NumPy order, last axis fastest).",
            paramName);

    private static string Describe(ImageCapability caps) =>
        caps == ImageCapability.NONE ? "NONE" : caps.ToString().Replace(",", " |", StringComparison.Ordinal);
}
