using System.Numerics;
using System.Numerics.Tensors;
using IOLink.Tensors.Internal;

namespace IOLink.Tensors.Tests;

/// <summary>The explicit copy, for views a tensor span cannot cover.</summary>
public class ToTensorTests
{
    public static TheoryData<DataTypeId> Scalars => Types.Scalars;

    private sealed class FlippedCopy : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            var tensor = Tensor.Create(new T[4 * 5 * 3], [4, 5, 3]);
            using var volume = TensorInterop.FromTensor(tensor, ImageTypeId.VOLUME);
            Views.Number<T>(volume);
            using var flipped = ImageViewFactory.FlipDimension(volume, ImageDimension.ROW);

            var copy = TensorInterop.ToTensor<T>(flipped);

            Assert.Equal([4, 5, 3], copy.Lengths.ToArray());
            Assert.True(copy.IsDense);
            foreach (var i in Views.Indices(flipped.Shape))
            {
                Assert.Equal(flipped.GetValue<T>(i), copy[(nint)i[2], (nint)i[1], (nint)i[0]]);
            }

            // A copy: later writes to the view do not reach it.
            var before = copy[0, 0, 0];
            flipped.SetValue(Types.Value<T>(119), 0, 0, 0);
            Assert.Equal(before, copy[0, 0, 0]);
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void FlippedView_CopiesWithTheExportAxes_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new FlippedCopy());

    [Fact]
    public void ViewWithoutMemoryAccess_IsCopied()
    {
        using var uniform = ImageViewFactory.Uniform(new VectorXu64(3, 2), DataTypeId.VEC3_UINT16, [1, 0, 2, 0, 3, 0]);
        using var image = ImageViewFactory.Reinterpret(uniform, ImageTypeId.IMAGE);

        var copy = TensorInterop.ToTensor<ushort>(image);

        Assert.Equal([2, 3, 3], copy.Lengths.ToArray());
        Assert.Equal(1, copy[1, 2, 0]);
        Assert.Equal(3, copy[0, 1, 2]);
    }

    [Fact]
    public void ChosenOrder_WithComponentsAsChannel()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(4, 3), DataTypeId.VEC2_INT32, new ImageProperties(ImageTypeId.IMAGE));
        Views.Number<int>(view);
        using var flipped = ImageViewFactory.FlipDimension(view, ImageDimension.COLUMN);

        var copy = TensorInterop.ToTensor<int>(flipped, ImageDimension.CHANNEL, ImageDimension.COLUMN, ImageDimension.ROW);

        Assert.Equal([2, 4, 3], copy.Lengths.ToArray());
        foreach (var i in Views.Indices(flipped.Shape))
        {
            for (var c = 0; c < 2; c++)
            {
                Assert.Equal(Views.Component<int>(flipped, c, i), copy[c, (nint)i[0], (nint)i[1]]);
            }
        }
    }

    [Fact]
    public void ComplexElements_AreCopiedWhole()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.COMPLEX_DOUBLE);
        view.SetValue(new Complex(1, -1), 2);
        using var flipped = ImageViewFactory.FlipDimension(view, 0);
        var copy = TensorInterop.ToTensor<Complex>(flipped);
        Assert.Equal(new Complex(1, -1), copy[0]);
    }

    [Fact]
    public void WrongElementType_Throws()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3), DataTypeId.DOUBLE);
        var ex = Assert.Throws<ArgumentException>(() => TensorInterop.ToTensor<float>(view));
        Assert.Contains("Single", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DOUBLE", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The stride rule the export checks must agree with what tensor spans accept.</summary>
public class TensorAxesTests
{
    public static TheoryData<nint[], nint[]> Layouts => new()
    {
        { [3, 4], [4, 1] },
        { [3, 4], [1, 3] },
        { [3, 4], [2, 1] },
        { [3, 2], [1, 2] },
        { [2, 3], [1, 2] },
        { [2, 2], [3, 2] },
        { [2, 3], [0, 1] },
        { [2, 3, 4], [0, 4, 1] },
        { [2, 3, 4], [12, 4, 1] },
        { [2, 3, 4], [1, 2, 6] },
        { [2, 3, 4], [20, 5, 1] },
        { [2, 3, 4], [12, 1, 3] },
        { [2, 3, 4], [12, 2, 1] },
        { [5, 5], [5, 4] },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AreDisjoint_AgreesWithTensorSpan(nint[] lengths, nint[] strides)
    {
        var data = new int[1000];
        bool accepted;
        try
        {
            _ = new TensorSpan<int>(data, 0, lengths, strides);
            accepted = true;
        }
        catch (ArgumentException)
        {
            accepted = false;
        }

        Assert.Equal(accepted, TensorAxes.AreDisjoint(lengths, strides));
    }
}
