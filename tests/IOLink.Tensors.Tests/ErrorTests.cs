using System.Numerics;
using System.Numerics.Tensors;

namespace IOLink.Tensors.Tests;

/// <summary>Every bad input: the exact exception type and what its message says.</summary>
public unsafe class ExportErrorTests
{
    private static void Contains(Exception ex, params string[] fragments)
    {
        foreach (var f in fragments)
        {
            Assert.Contains(f, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WrongElementType_NamesBothTypes()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.FLOAT);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToTensorSpan<ushort>(view); });
        Contains(ex, "UInt16", "FLOAT", "use float");
        Assert.Equal("T", ex.ParamName);
    }

    [Fact]
    public void WrongComponentType_OnAVectorView_NamesBothTypes()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.VEC3_UINT16);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<int>(view); });
        Contains(ex, "Int32", "VEC3_UINT16", "use ushort");
    }

    [Fact]
    public void ComplexOnAVectorOfDoubles_IsAMismatch()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.VEC2_DOUBLE);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<Complex>(view); });
        Contains(ex, "Complex", "VEC2_DOUBLE", "use double");
    }

    [Fact]
    public void ElementTypeWithoutDataType_NamesTheComponentType()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<char>(view); });
        Contains(ex, "Char", "UINT16", "use ushort");
    }

    [Fact]
    public void Bool_OnANonBinaryView_Throws()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.UINT8);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<bool>(view); });
        Contains(ex, "Boolean", "BINARY", "use byte");
    }

    [Fact]
    public void ViewWithoutMemoryAccess_PointsToTheCopies()
    {
        using var view = ImageViewFactory.Uniform(new VectorXu64(3, 2), DataTypeId.UINT16, [1, 0]);
        var ex = Assert.Throws<NotSupportedException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<ushort>(view); });
        Contains(ex, "ToReadOnlyTensorSpan", "MEMORY_ACCESS", "TensorInterop.ToTensor", "ImageViewFactory.CopyInMemory");
        var ex2 = Assert.Throws<NotSupportedException>(() => { _ = TensorInterop.ToTensorSpan<ushort>(view); });
        Contains(ex2, "ToTensorSpan", "MEMORY_ACCESS", "TensorInterop.ToTensor");
    }

    [Fact]
    public void FlippedAxis_PointsToToTensor()
    {
        using var image = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        using var flipped = ImageViewFactory.FlipDimension(image, ImageDimension.ROW);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToTensorSpan<ushort>(flipped); });
        Contains(ex, "negative stride", "flipped", "TensorInterop.ToTensor");
    }

    [Fact]
    public void FlippedLengthOneAxis_IsNotAnError()
    {
        using var image = ImageViewFactory.Allocate(new VectorXu64(3, 1), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        using var flipped = ImageViewFactory.FlipDimension(image, ImageDimension.ROW);
        Assert.Equal([1, 3], TensorInterop.ToTensorSpan<ushort>(flipped).Lengths.ToArray());
    }

    [Fact]
    public void OverlappingAxes_PointToToTensor()
    {
        var data = new ushort[16];
        fixed (ushort* p = data)
        {
            using var view = ImageViewFactory.FromBuffer((nint)p, 32, new VectorXu64(4, 3), DataTypeId.UINT16, [2, 4]);
            var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<ushort>(view); });
            Contains(ex, "overlap", "TensorInterop.ToTensor");
        }
    }

    [Fact]
    public void StrideNotAWholeElement_PointsToToTensor()
    {
        var data = new byte[64];
        fixed (byte* p = data)
        {
            using var view = ImageViewFactory.FromBuffer((nint)p, 64, new VectorXu64(2, 3), DataTypeId.UINT16, [2, 5]);
            var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<ushort>(view); });
            Contains(ex, "byte stride of 5", "not a multiple", "TensorInterop.ToTensor");
        }
    }

    [Fact]
    public void MisalignedAddress_PointsToToTensor()
    {
        var data = new ushort[8];
        fixed (ushort* p = data)
        {
            using var view = ImageViewFactory.FromBuffer((nint)p + 1, 8, new VectorXu64(4), DataTypeId.UINT16);
            var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<ushort>(view); });
            Contains(ex, "not aligned to 2 bytes", "TensorInterop.ToTensor");
        }
    }

    [Fact]
    public void DisposedView_Throws()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.UINT8);
        view.Dispose();
        var ex = Assert.Throws<ObjectDisposedException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<byte>(view); });
        Contains(ex, "disposed");
        Assert.Throws<ObjectDisposedException>(() => TensorInterop.ToTensor<byte>(view));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE));
        Assert.Equal("view", Assert.Throws<ArgumentNullException>(() => { _ = TensorInterop.ToTensorSpan<byte>(null!); }).ParamName);
        Assert.Equal("view", Assert.Throws<ArgumentNullException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<byte>(null!); }).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentNullException>(() => { _ = TensorInterop.ToTensorSpan<byte>(view, null!); }).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentNullException>(() => { _ = TensorInterop.ToReadOnlyTensorSpan<byte>(view, null!); }).ParamName);
        Assert.Equal("view", Assert.Throws<ArgumentNullException>(() => TensorInterop.ToTensor<byte>(null!)).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentNullException>(() => TensorInterop.ToTensor<byte>(view, null!)).ParamName);
    }

    public static TheoryData<ImageDimension[], string[]> BadOrders => new()
    {
        { [ImageDimension.COLUMN, ImageDimension.ROW], ["misses SLICE", "[COLUMN, ROW, SLICE]"] },
        { [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.ROW], ["names ROW twice"] },
        { [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SEQUENCE], ["names SEQUENCE, which the view does not have"] },
        { [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.CHANNEL], ["names CHANNEL, which the view does not have"] },
        { [ImageDimension.COLUMN, ImageDimension.ROW, (ImageDimension)9], ["9 is not an ImageDimension"] },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public void BadOrder_SaysWhatIsWrong(ImageDimension[] order, string[] fragments)
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2, 4), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME));
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToTensorSpan<byte>(view, order); });
        Contains(ex, fragments);
        Assert.Equal("order", ex.ParamName);
        var copy = Assert.Throws<ArgumentException>(() => TensorInterop.ToTensor<byte>(view, order));
        Contains(copy, fragments);
    }

    [Fact]
    public void VectorView_OrderMustPlaceChannel()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.VEC3_UINT8, new ImageProperties(ImageTypeId.IMAGE));
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToTensorSpan<byte>(view, ImageDimension.ROW, ImageDimension.COLUMN); });
        Contains(ex, "misses CHANNEL");
    }

    [Fact]
    public void OrderOnUnknownAxes_Throws()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.UINT8);
        var ex = Assert.Throws<ArgumentException>(() => { _ = TensorInterop.ToTensorSpan<byte>(view, ImageDimension.ROW, ImageDimension.COLUMN); });
        Contains(ex, "UNKNOWN", "ImageViewFactory.ReinterpretAxes");
    }

    [Fact]
    public void OrderOnAVectorViewWithAChannelDimension_Throws()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2, 2), DataTypeId.VEC2_FLOAT, new ImageProperties(ImageTypeId.MULTISPECTRAL_IMAGE));
        var ex = Assert.Throws<ArgumentException>(() =>
        {
            _ = TensorInterop.ToTensorSpan<float>(view, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL);
        });
        Contains(ex, "both a CHANNEL dimension", "VEC2_FLOAT");
        // Without an order the same view exports: (Y, X, C) then the components.
        Assert.Equal([2, 3, 2, 2], TensorInterop.ToTensorSpan<float>(view).Lengths.ToArray());
    }
}

public class ImportErrorTests
{
    private static void Contains(Exception ex, params string[] fragments)
    {
        foreach (var f in fragments)
        {
            Assert.Contains(f, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EmptyTensor_Throws()
    {
        var tensor = Tensor.Create(Array.Empty<int>(), [0, 3]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor));
        Contains(ex, "lengths [0, 3]", "no elements");
        Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE));
    }

    [Fact]
    public void UnsupportedElementType_ListsTheSupportedOnes()
    {
        var tensor = Tensor.Create(new[] { 'a', 'b' }, [2]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor));
        Contains(ex, "System.Char", "has no IOLink data type", "ushort");
        Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.COLUMN));
    }

    [Theory]
    [InlineData(ImageTypeId.VOLUME, new[] { 2, 3 }, "rank 2 does not fit VOLUME, which has 3 dimension(s)")]
    [InlineData(ImageTypeId.IMAGE, new[] { 2, 3, 4, 5 }, "rank 4 does not fit IMAGE, which has 2 dimension(s)")]
    [InlineData(ImageTypeId.IMAGE, new[] { 2 }, "rank 1 does not fit IMAGE")]
    public void RankThatDoesNotFit_Throws(ImageTypeId type, int[] lengths, string fragment)
    {
        var n = lengths.Aggregate(1, (a, b) => a * b);
        var tensor = Tensor.Create(new ushort[n], [.. lengths.Select(l => (nint)l)]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor, type));
        Contains(ex, fragment);
        Assert.Equal("type", ex.ParamName);
    }

    [Fact]
    public void NamesThatDoNotFitTheRank_Throw()
    {
        var tensor = Tensor.Create(new ushort[24], [2, 3, 4]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW));
        Contains(ex, "rank 3 does not fit [ROW]");
        Assert.Equal("axes", ex.ParamName);
        Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor));
    }

    [Fact]
    public void RepeatedName_Throws()
    {
        var tensor = Tensor.Create(new ushort[6], [2, 3]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, ImageDimension.ROW));
        Contains(ex, "ROW is listed twice");
    }

    [Fact]
    public void InvalidName_Throws()
    {
        var tensor = Tensor.Create(new ushort[6], [2, 3]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, (ImageDimension)7));
        Contains(ex, "7 is not an ImageDimension");
    }

    [Fact]
    public void InvalidImageTypeId_Throws()
    {
        var tensor = Tensor.Create(new ushort[6], [2, 3]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor, (ImageTypeId)1000));
        Contains(ex, "1000 is not an ImageTypeId");
    }

    [Fact]
    public void UnpackedVectorAxis_SaysItIsNotPacked()
    {
        // Fortran order: the last axis has the largest stride.
        var tensor = Tensor.Create(new ushort[4 * 5 * 3], 0, [4, 5, 3], [1, 4, 20]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE));
        Contains(ex, "not packed", "stride is 20");
        var ex2 = Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, ImageDimension.COLUMN));
        Contains(ex2, "not packed");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void VectorAxisOfTheWrongLength_Throws(int length)
    {
        var tensor = Tensor.Create(new ushort[4 * 5 * length], [4, 5, length]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE));
        Contains(ex, $"length {length}", "2 to 4");
    }

    [Fact]
    public void VectorOfComplex_Throws()
    {
        var tensor = Tensor.Create(new Complex[4 * 2], [4, 2]);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.OrderFromTensor(tensor, ImageDimension.COLUMN));
        Contains(ex, "no vectors of complex numbers");
    }

    [Fact]
    public void NullArguments_Throw()
    {
        var tensor = Tensor.Create(new ushort[6], [2, 3]);
        Assert.Equal("tensor", Assert.Throws<ArgumentNullException>(() => TensorInterop.FromTensor<ushort>(null!)).ParamName);
        Assert.Equal("tensor", Assert.Throws<ArgumentNullException>(() => TensorInterop.FromTensor<ushort>(null!, ImageTypeId.IMAGE)).ParamName);
        Assert.Equal("tensor", Assert.Throws<ArgumentNullException>(() => TensorInterop.OrderFromTensor<ushort>(null!, ImageDimension.ROW)).ParamName);
        Assert.Equal("axes", Assert.Throws<ArgumentNullException>(() => TensorInterop.OrderFromTensor(tensor, null!)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => TensorInterop.FromArray<ushort>(null!, [1])).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => TensorInterop.FromArray<ushort>(null!, [1], ImageTypeId.IMAGE)).ParamName);
    }

    [Fact]
    public void FromArray_LengthsThatDoNotMatch_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(new float[10], [3, 3]));
        Contains(ex, "holds 10 element(s)", "describe 9");
        Assert.Equal("data", ex.ParamName);
        var huge = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(new float[10], [nint.MaxValue, nint.MaxValue, 2]));
        Contains(huge, "holds 10 element(s)", "describe more than 2147483647");
    }

    [Fact]
    public void FromArray_InvalidLengths_Throw()
    {
        var none = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(new float[1], []));
        Contains(none, "at least one length");
        var zero = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(Array.Empty<float>(), [0]));
        Contains(zero, "each at least 1");
        var negative = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(new float[2], [-1, -2]));
        Contains(negative, "[-1, -2]");
        Assert.Equal("lengths", negative.ParamName);
    }

    [Fact]
    public void FromArray_RankThatDoesNotFit_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.FromArray(new float[6], [6], ImageTypeId.VOLUME));
        Contains(ex, "rank 1 does not fit VOLUME");
    }
}
