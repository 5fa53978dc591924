using System.Diagnostics.CodeAnalysis;

namespace IOLink.Internal;

/// <summary>One method per error condition of the view layer, so that every message says what was wrong and what to do.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Disposed(object view) =>
        throw new ObjectDisposedException(nameof(ImageView),
            "This image view has been disposed; keep the view alive (or make a copy with ImageViewFactory.CopyInMemory) while you use it.");

    [DoesNotReturn]
    public static void ReshapedDuringCall() =>
        throw new InvalidOperationException(
            "The view was reshaped by another thread during this call, and the region no longer fits its shape; do not reshape a view while other threads use it.");

    [DoesNotReturn]
    public static void MissingCapability(ImageCapability missing, string operation, ImageCapability has) =>
        throw new NotSupportedException(
            $"{operation} needs the {missing} capability, and this view has only {Describe(has)}." + Hint(missing));

    private static string Hint(ImageCapability missing) => missing switch
    {
        ImageCapability.MEMORY_ACCESS => " Make an in-memory copy with ImageViewFactory.CopyInMemory first.",
        ImageCapability.WRITE => " Write into a writable copy made with ImageViewFactory.CopyInMemory instead.",
        ImageCapability.RESHAPE => " Only views allocated by ImageViewFactory.Allocate or CopyInMemory can be reshaped; reshape a copy.",
        _ => string.Empty,
    };

    public static string Describe(ImageCapability caps) => caps == ImageCapability.NONE ? "NONE" : caps.ToString().Replace(",", " |", StringComparison.Ordinal);

    [DoesNotReturn]
    public static void RankMismatch(string what, int got, int rank, string paramName) =>
        throw new ArgumentException($"The {what} has {got} dimension(s) but the view has {rank}; give one value per dimension.", paramName);

    [DoesNotReturn]
    public static void IndexOutOfShape(VectorXu64 index, VectorXu64 shape, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, $"Index {index} is outside the view of shape {shape}; each index must be below the shape.");

    [DoesNotReturn]
    public static void RegionOutOfShape(RegionXu64 region, VectorXu64 shape, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName,
            $"Region {region} reaches outside the view of shape {shape}; origin + size must not exceed the shape along any dimension.");

    [DoesNotReturn]
    public static void BufferTooSmall(string what, long needed, long got, string paramName) =>
        throw new ArgumentException($"The {what} holds {got} byte(s) but {needed} are needed; pass a buffer of at least {needed} bytes.", paramName);

    [DoesNotReturn]
    public static void ElementSizeMismatch(Type t, int size, DataType type, string paramName) =>
        throw new ArgumentException(
            $"{t.Name} is {size} byte(s) but one {type} element is {type.ByteCount}; use a type of the element's size.",
            paramName);

    [DoesNotReturn]
    public static void InvalidShape(VectorXu64 shape, string paramName) =>
        throw new ArgumentException(
            $"Shape {shape} is not valid: a view has at least one dimension and every size is at least 1.", paramName);

    [DoesNotReturn]
    public static void TooManyDimensions(int rank, string paramName) =>
        throw new ArgumentException(
            $"A view of {rank} dimensions was asked for; views have at most {ImageView.MaxDimensionCount} (as NumPy arrays do). Merge or drop dimensions of length 1.", paramName);

    [DoesNotReturn]
    public static void InvalidDataType(DataType type, string paramName) =>
        throw new ArgumentException(
            type.IsString
                ? "UTF8_STRING is text, the type of a table column (DataFrameView); a view's elements are numbers: use a DataTypeId such as UINT16."
                : $"Data type {type} is not valid for a view; use a DataTypeId such as UINT16.",
            paramName);

    [DoesNotReturn]
    public static void TooLarge(VectorXu64 shape, DataType type) =>
        throw new ArgumentException($"A {type} view of shape {shape} would need more than 2^63 bytes; use a smaller shape.", nameof(shape));
}
