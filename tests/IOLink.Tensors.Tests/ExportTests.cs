using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IOLink.Tensors.Tests;

/// <summary>Rules 6, 7, 8 and 9: views exported as tensor spans, no copy.</summary>
public unsafe class ExportTests
{
    public static TheoryData<DataTypeId> Scalars => Types.Scalars;

    private sealed class Rule6AllInterpretations : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            // MULTISPECTRAL_VOLUME_SEQUENCE: X, Y, Z, C, T canonical; tensor order T, Z, Y, X, C.
            ImageType type = ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE;
            using var view = Allocate<T>(new VectorXu64(5, 4, 3, 2, 2), type);
            Views.Number<T>(view);

            var t = TensorInterop.ToTensorSpan<T>(view);

            Assert.Equal([2, 3, 4, 5, 2], t.Lengths.ToArray());
            Assert.Equal(view.Buffer, (nint)Unsafe.AsPointer(ref TensorMarshal.GetReference(t)));
            var idx = new nint[5];
            do
            {
                // idx = [s, z, y, x, c] -> view (x, y, z, c, s)
                Assert.Equal(view.GetValue<T>((ulong)idx[3], (ulong)idx[2], (ulong)idx[1], (ulong)idx[4], (ulong)idx[0]), t[idx]);
            }
            while (TensorIndex.Next(idx, t.Lengths));

            t[1, 2, 3, 4, 1] = Types.Value<T>(99);
            Assert.Equal(Types.Value<T>(99), view.GetValue<T>(4, 3, 2, 1, 1));
            view.SetValue(Types.Value<T>(7), 0, 1, 2, 0, 1);
            Assert.Equal(Types.Value<T>(7), t[1, 2, 1, 0, 0]);
        }
    }

    private static ImageView Allocate<T>(VectorXu64 shape, ImageType axes)
        where T : unmanaged
    {
        var type = default(T) switch
        {
            byte => DataTypeId.UINT8,
            sbyte => DataTypeId.INT8,
            ushort => DataTypeId.UINT16,
            short => DataTypeId.INT16,
            uint => DataTypeId.UINT32,
            int => DataTypeId.INT32,
            ulong => DataTypeId.UINT64,
            long => DataTypeId.INT64,
            float => DataTypeId.FLOAT,
            double => DataTypeId.DOUBLE,
            _ => throw new ArgumentException("not a scalar"),
        };
        return ImageViewFactory.Allocate(shape, type, new ImageProperties(axes));
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule6_KnownAxes_TZYXC_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule6AllInterpretations());

    private sealed class Rule7Unknown : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            using var view = Allocate<T>(new VectorXu64(3, 4, 2), ImageType.Unknown);
            Views.Number<T>(view);

            var t = TensorInterop.ToReadOnlyTensorSpan<T>(view);

            Assert.Equal([3, 4, 2], t.Lengths.ToArray());
            // Canonical dense memory: the view's first dimension is the fastest, so it has the smallest stride.
            Assert.Equal([1, 3, 12], t.Strides.ToArray());
            foreach (var i in Views.Indices(view.Shape))
            {
                Assert.Equal(view.GetValue<T>(i), t[(nint)i[0], (nint)i[1], (nint)i[2]]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule7_UnknownAxes_ViewOrder_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule7Unknown());

    private sealed class Rule8Order : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            using var view = Allocate<T>(new VectorXu64(5, 4, 3), ImageTypeId.VOLUME);
            Views.Number<T>(view);

            var t = TensorInterop.ToTensorSpan<T>(view, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW);

            Assert.Equal([3, 5, 4], t.Lengths.ToArray());
            Assert.Equal([20, 1, 5], t.Strides.ToArray());
            foreach (var i in Views.Indices(view.Shape))
            {
                Assert.Equal(view.GetValue<T>(i), t[(nint)i[2], (nint)i[0], (nint)i[1]]);
            }

            t[2, 4, 3] = Types.Value<T>(55);
            Assert.Equal(Types.Value<T>(55), view.GetValue<T>(4, 3, 2));
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule8_ChosenOrder_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule8Order());

    [Fact]
    public void Rule8_VectorComponentsAreTheChannelDimension()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(5, 4), DataTypeId.VEC3_FLOAT, new ImageProperties(ImageTypeId.IMAGE));
        Views.Number<float>(view);

        var t = TensorInterop.ToTensorSpan<float>(view, ImageDimension.CHANNEL, ImageDimension.ROW, ImageDimension.COLUMN);

        Assert.Equal([3, 4, 5], t.Lengths.ToArray());
        Assert.Equal([1, 15, 3], t.Strides.ToArray());
        foreach (var i in Views.Indices(view.Shape))
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(Views.Component<float>(view, c, i), t[c, (nint)i[1], (nint)i[0]]);
            }
        }
    }

    [Fact]
    public void Rule6_MultispectralImage_ChannelLast()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(5, 4, 3), DataTypeId.INT16, new ImageProperties(ImageTypeId.MULTISPECTRAL_IMAGE));
        Views.Number<short>(view);

        var t = TensorInterop.ToReadOnlyTensorSpan<short>(view);

        Assert.Equal([4, 5, 3], t.Lengths.ToArray());
        Assert.Equal(view.GetValue<short>(3, 2, 1), t[2, 3, 1]);
    }

    [Theory]
    [InlineData(DataTypeId.VEC2_UINT8, 2)]
    [InlineData(DataTypeId.VEC3_UINT16, 3)]
    [InlineData(DataTypeId.VEC4_FLOAT, 4)]
    [InlineData(DataTypeId.VEC2_INT64, 2)]
    public void VectorTypes_GetATrailingComponentsAxis(DataTypeId id, int components)
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), id, new ImageProperties(ImageTypeId.IMAGE));
        var bytes = new byte[view.ByteCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i + 1);
        }

        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        switch (id)
        {
            case DataTypeId.VEC2_UINT8: Check<byte>(view, components); break;
            case DataTypeId.VEC3_UINT16: Check<ushort>(view, components); break;
            case DataTypeId.VEC4_FLOAT: Check<float>(view, components); break;
            default: Check<long>(view, components); break;
        }

        static void Check<T>(ImageView view, int components)
            where T : unmanaged
        {
            var t = TensorInterop.ToReadOnlyTensorSpan<T>(view);
            Assert.Equal([2, 3, components], t.Lengths.ToArray());
            Assert.Equal(1, t.Strides[2]);
            for (var c = 0; c < components; c++)
            {
                Assert.Equal(Views.Component<T>(view, c, 2, 1), t[1, 2, c]);
            }
        }
    }

    [Fact]
    public void Complex_WholeElementsOrComponents()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.COMPLEX_DOUBLE, new ImageProperties(ImageTypeId.IMAGE));
        view.SetValue(new Complex(1.5, -2.5), 2, 1);

        var whole = TensorInterop.ToTensorSpan<Complex>(view);
        var parts = TensorInterop.ToReadOnlyTensorSpan<double>(view);

        Assert.Equal([2, 3], whole.Lengths.ToArray());
        Assert.Equal(new Complex(1.5, -2.5), whole[1, 2]);
        Assert.Equal([2, 3, 2], parts.Lengths.ToArray());
        Assert.Equal(1.5, parts[1, 2, 0]);
        Assert.Equal(-2.5, parts[1, 2, 1]);
        whole[0, 0] = new Complex(3, 4);
        Assert.Equal(new Complex(3, 4), view.GetValue<Complex>(0, 0));
    }

    [Fact]
    public void ComplexFloat_ExportsAsFloatComponents()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(4), DataTypeId.COMPLEX_FLOAT);
        Views.SetComponent(view, 6f, 1, 3);

        var t = TensorInterop.ToReadOnlyTensorSpan<float>(view);

        Assert.Equal([4, 2], t.Lengths.ToArray());
        Assert.Equal(6f, t[3, 1]);
    }

    [Fact]
    public void Half_ExportsAndImports()
    {
        var data = new Half[] { (Half)1.5f, (Half)2.5f, (Half)(-3f) };
        using var view = TensorInterop.FromArray(data, [3]);
        Assert.Equal(new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16), view.DataType);

        var t = TensorInterop.ToTensorSpan<Half>(view);
        Assert.Equal((Half)(-3f), t[2]);
    }

    [Fact]
    public void Bool_ExportsBinaryUint8Views()
    {
        using var view = TensorInterop.FromArray(new[] { true, false, true, true }, [2, 2]);
        Assert.Equal(ImageInterpretation.BINARY, view.ImageInterpretation);

        var t = TensorInterop.ToTensorSpan<bool>(view);
        Assert.True(t[1, 1]);
        Assert.False(t[0, 1]);
        Assert.Equal([2, 2], TensorInterop.ToTensorSpan<byte>(view).Lengths.ToArray());
    }

    [Fact]
    public void LengthOneDimensions_GetStrideZero()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(5, 1, 3), DataTypeId.UINT32, new ImageProperties(ImageTypeId.VOLUME));
        view.SetValue(9u, 4, 0, 2);

        var t = TensorInterop.ToTensorSpan<uint>(view);

        Assert.Equal([3, 1, 5], t.Lengths.ToArray());
        Assert.Equal([5, 0, 1], t.Strides.ToArray());
        Assert.Equal(9u, t[2, 0, 4]);
    }

    [Fact]
    public void SubRegion_ExportsWithGapsAtItsOwnAddress()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(10, 8, 6), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME));
        Views.Number<float>(volume);
        using var region = ImageViewFactory.ExtractRegion(volume, new RegionXu64(new VectorXu64(2, 3, 1), new VectorXu64(4, 2, 3)));

        var t = TensorInterop.ToTensorSpan<float>(region);

        Assert.Equal([3, 2, 4], t.Lengths.ToArray());
        Assert.Equal([80, 10, 1], t.Strides.ToArray());
        Assert.False(t.IsDense);
        Assert.Equal(region.Buffer, (nint)Unsafe.AsPointer(ref TensorMarshal.GetReference(t)));
        Assert.Equal(volume.GetValue<float>(5, 4, 3), t[2, 1, 3]);
        t[0, 0, 0] = -1f;
        Assert.Equal(-1f, volume.GetValue<float>(2, 3, 1));
    }

    [Fact]
    public void SubSampledAndTransposedViews_Export()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(6, 4), DataTypeId.INT32, new ImageProperties(ImageTypeId.IMAGE));
        Views.Number<int>(volume);
        using var sub = ImageViewFactory.SubSample(volume, new VectorXu64(2, 3));
        // Naming a (6, 4) view [ROW, COLUMN] gives an IMAGE of shape (4, 6) whose COLUMN walks memory by 6 elements.
        using var plain = ImageViewFactory.Reinterpret(volume, ImageType.Unknown);
        using var transposed = ImageViewFactory.ReinterpretAxes(plain, ImageDimension.ROW, ImageDimension.COLUMN);

        var s = TensorInterop.ToReadOnlyTensorSpan<int>(sub);
        var tr = TensorInterop.ToReadOnlyTensorSpan<int>(transposed);

        Assert.Equal([2, 3], s.Lengths.ToArray());
        Assert.Equal([18, 2], s.Strides.ToArray());
        Assert.Equal(volume.GetValue<int>(4, 3), s[1, 2]);
        Assert.Equal([6, 4], tr.Lengths.ToArray());
        Assert.Equal([1, 6], tr.Strides.ToArray());
        Assert.Equal(volume.GetValue<int>(5, 2), tr[5, 2]);
    }

    [Fact]
    public void Rule9_ReadOnlyView_ExportsReadOnly()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.UINT8);
        view.SetValue<byte>(8, 2, 1);
        using var readOnly = ImageViewFactory.MakeReadOnly(view);

        var t = TensorInterop.ToReadOnlyTensorSpan<byte>(readOnly);

        Assert.Equal(8, t[2, 1]);
        var ex = Assert.Throws<NotSupportedException>(() => { _ = TensorInterop.ToTensorSpan<byte>(readOnly); });
        Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ToReadOnlyTensorSpan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BroadcastView_WithZeroStride_Exports()
    {
        var data = new ushort[] { 1, 2, 3 };
        fixed (ushort* p = data)
        {
            using var view = ImageViewFactory.FromBuffer((nint)p, 6, new VectorXu64(3, 4), DataTypeId.UINT16, [2, 0]);

            var t = TensorInterop.ToReadOnlyTensorSpan<ushort>(view);

            Assert.Equal([3, 4], t.Lengths.ToArray());
            Assert.Equal([1, 0], t.Strides.ToArray());
            Assert.Equal(3, t[2, 3]);
        }
    }
}
