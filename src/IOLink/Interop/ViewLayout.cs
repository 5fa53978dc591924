using IOLink.Layout;

namespace IOLink.Interop;

/// <summary>
/// What an array becomes as a view under the NumPy rules (<see cref="ArrayAxes.Import(ReadOnlySpan{long}, ReadOnlySpan{long}, DataType, string)"/>):
/// the view's shape, byte strides and data type, its axes interpretation, and how many bytes of memory the array
/// spans. Pass it with the array's memory to <see cref="ImageViewFactory.FromBuffer(nint, long, ViewLayout, IDisposable, bool)"/>.
/// </summary>
public sealed class ViewLayout
{
    internal ViewLayout(VectorXu64 shape, StridedLayout layout, DataType dataType, ImageType axes, ImageInterpretation interpretation = ImageInterpretation.UNKNOWN)
    {
        Shape = shape;
        Layout = layout;
        DataType = dataType;
        AxesInterpretation = axes;
        ImageInterpretation = interpretation;
    }

    /// <summary>The view's shape, in canonical order when the axes are known.</summary>
    public VectorXu64 Shape { get; }

    /// <summary>The byte stride of each view dimension (a copy).</summary>
    public long[] ByteStrides => Layout.Strides.ToArray();

    /// <summary>The view's data type: the array's item type, or a vector of it (rule 4).</summary>
    public DataType DataType { get; }

    /// <summary>The view's axes interpretation: UNKNOWN for a plain import (rule 1).</summary>
    public ImageType AxesInterpretation { get; }

    /// <summary>
    /// The view's image interpretation: BINARY for an array of bools (NumPy's, torch's, DLPack's, Zarr's <c>|b1</c>),
    /// which are UINT8 items holding 0 or 1; UNKNOWN otherwise. This is the one place a bool array becomes BINARY:
    /// every import of such an array goes through <see cref="AxisSpec.Import"/> with <c>isBool</c>.
    /// </summary>
    public ImageInterpretation ImageInterpretation { get; }

    /// <summary>New properties for a view of this layout: its axes and image interpretation.</summary>
    public ImageProperties NewProperties() => new(AxesInterpretation) { ImageInterpretation = ImageInterpretation };

    /// <summary>The same layout for an array of bools (BINARY) or not.</summary>
    internal ViewLayout ForBool(bool isBool) =>
        isBool == (ImageInterpretation == ImageInterpretation.BINARY) ? this
            : new ViewLayout(Shape, Layout, DataType, AxesInterpretation, isBool ? ImageInterpretation.BINARY : ImageInterpretation.UNKNOWN);

    /// <summary>The bytes the array spans from its lowest-addressed byte to its highest: the buffer length a view over it needs.</summary>
    public long ByteExtent => Layout.Extent;

    /// <summary>The byte offset of the lowest-addressed byte from element 0 (negative when a stride is negative).</summary>
    public long LowestByteOffset => Layout.LowestOffset;

    /// <summary>The checked layout, so that a view over it is made without computing it again.</summary>
    internal StridedLayout Layout { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ViewLayout(shape: {Shape}, strides: [{string.Join(", ", Layout.Strides.ToArray())}], type: {DataType}, axes: {AxesInterpretation})";
}
