using System.Diagnostics.CodeAnalysis;

namespace IOLink.Interop;

/// <summary>One method per way the NumPy rules refuse an array or an order, so that every importer says the same thing.</summary>
internal static class ArrayAxesThrowHelper
{
    [DoesNotReturn]
    public static void RankDoesNotFit(int rank, string what, int count, string paramName) =>
        throw new ArgumentException(
            $"An array of rank {rank} does not fit {what}, which has {count} dimension(s): give an array of rank {count}, " +
            $"or {count + 1} whose last axis holds 2 to 4 packed vector components.",
            paramName);

    [DoesNotReturn]
    public static void VectorOfMultiComponent(DataType item, string paramName) =>
        throw new ArgumentException(
            $"The array's last axis would become vector components of {item}, and there are no vectors of complex numbers (or of other multi-component elements); name that axis as a dimension (CHANNEL) instead.",
            paramName);

    [DoesNotReturn]
    public static void VectorAxisLength(long length, string paramName) =>
        throw new ArgumentException(
            $"The array's last axis has length {length} and would become vector components, which must number 2 to 4; name that axis as a dimension too (CHANNEL, say) instead.",
            paramName);

    [DoesNotReturn]
    public static void VectorAxisNotPacked(long byteStride, int itemSize, string paramName) =>
        throw new ArgumentException(
            $"The array's last axis would become vector components but is not packed (its stride is {Items(byteStride, itemSize)} ({byteStride} bytes), not 1 item ({itemSize} bytes)); " +
            "vector components must lie side by side, and a view never copies silently: import a dense copy (numpy.ascontiguousarray(array) in NumPy, tensor.ToDenseTensor() in .NET), " +
            "or name that axis as a dimension (CHANNEL) instead.",
            paramName);

    [DoesNotReturn]
    public static void StrideCount(int strides, int lengths, string paramName) =>
        throw new ArgumentException($"{strides} stride(s) were given for an array of {lengths} axes; give one byte stride per axis.", paramName);

    [DoesNotReturn]
    public static void TooManyAxes(int rank, string paramName) =>
        throw new ArgumentException($"The array has {rank} axes; a view has at most {ImageView.MaxDimensionCount} dimensions (as NumPy arrays do).", paramName);

    [DoesNotReturn]
    public static void NoAxes(string paramName) =>
        throw new ArgumentException("The array has no axes (it is 0-d, a single value); a view needs at least one dimension.", paramName);

    [DoesNotReturn]
    public static void NoElements(ReadOnlySpan<long> lengths, string paramName) =>
        throw new ArgumentException($"An array of shape ({string.Join(", ", lengths.ToArray())}) has no elements; a view has at least one element along each dimension.", paramName);

    [DoesNotReturn]
    public static void OrderOfUnknownAxes(string paramName) =>
        throw new ArgumentException(
            "An export order names view dimensions, and this view's axes interpretation is UNKNOWN. " +
            "Name its dimensions first with ImageViewFactory.ReinterpretAxes (or Reinterpret), or export without an order to keep the view's dimension order.",
            paramName);

    [DoesNotReturn]
    public static void ChannelAndComponents(DataType type, string paramName) =>
        throw new ArgumentException(
            $"The view has both a CHANNEL dimension and the multi-component data type {type}, so CHANNEL in an export order would be ambiguous. " +
            "Export without an order, or extract one channel first (ImageViewFactory.ExtractChannel).",
            paramName);

    [DoesNotReturn]
    public static void NotADimension(ImageDimension d, string paramName) =>
        throw new ArgumentException($"{(int)d} is not an ImageDimension; use COLUMN, ROW, SLICE, CHANNEL or SEQUENCE.", paramName);

    [DoesNotReturn]
    public static void OrderNamesMissing(string orderText, ImageDimension d, string allowedText, string paramName) =>
        throw new ArgumentException($"The export order [{orderText}] names {d}, which the view does not have; list each of its dimensions [{allowedText}] exactly once.", paramName);

    [DoesNotReturn]
    public static void OrderNamesTwice(string orderText, ImageDimension d, string allowedText, string paramName) =>
        throw new ArgumentException($"The export order [{orderText}] names {d} twice; list each of the view's dimensions [{allowedText}] exactly once.", paramName);

    [DoesNotReturn]
    public static void OrderMisses(string orderText, IEnumerable<ImageDimension> missing, string allowedText, string paramName) =>
        throw new ArgumentException($"The export order [{orderText}] misses {string.Join(", ", missing)}; list each of the view's dimensions [{allowedText}] exactly once.", paramName);

    private static string Items(long byteStride, int itemSize) =>
        byteStride % itemSize == 0 ? $"{byteStride / itemSize} items" : $"{(double)byteStride / itemSize:0.##} items";
}
