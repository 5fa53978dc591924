using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IOLink.Tensors.Tests;

/// <summary>Rules 1 to 5 and 9: tensors and arrays imported as views, no copy.</summary>
public unsafe class ImportTests
{
    public static TheoryData<DataTypeId> Scalars => Types.Scalars;

    private static T[] Numbered<T>(int n)
        where T : INumberBase<T>
    {
        var data = new T[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = Types.Value<T>(i);
        }

        return data;
    }

    private static nint AddressOf<T>(Tensor<T> tensor) =>
        (nint)Unsafe.AsPointer(ref Unsafe.AsRef(in TensorMarshal.GetReference(tensor.AsReadOnlyTensorSpan())));

    private sealed class Rule1 : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            var c = Tensor.Create(Numbered<T>(24), [2, 3, 4]);
            var f = Tensor.Create(Numbered<T>(24), 0, [2, 3, 4], [1, 2, 6]);
            var sliced = Tensor.Create(Numbered<T>(60), [3, 4, 5]).Slice([new NRange(1, 3), new NRange(1, 4), new NRange(2, 4)]);
            foreach (var tensor in new[] { c, f, sliced })
            {
                using var view = TensorInterop.FromTensor(tensor);

                Assert.Equal(ImageType.Unknown, view.AxesInterpretation);
                Assert.Equal(tensor.Lengths.ToArray().Select(l => (ulong)l).ToArray(), view.Shape.ToArray());
                Assert.Equal(tensor.Strides.ToArray().Select(s => (long)s * sizeof(T)).ToArray(), view.Strides);
                Assert.Equal(AddressOf(tensor), view.Buffer);
                Assert.True(view.Support(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.MEMORY_ACCESS));
                var idx = new nint[3];
                do
                {
                    Assert.Equal(tensor[idx], view.GetValue<T>(TensorIndex.U(idx)));
                }
                while (TensorIndex.Next(idx, tensor.Lengths));

                view.SetValue(Types.Value<T>(100), 1, 2, 1);
                Assert.Equal(Types.Value<T>(100), tensor[1, 2, 1]);
                tensor[0, 1, 0] = Types.Value<T>(101);
                Assert.Equal(Types.Value<T>(101), view.GetValue<T>(0, 1, 0));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule1_AxesAsTheyAre_COrderFortranAndSliced_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule1());

    private sealed class Rule2 : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            // Tensor order (T, Z, Y, X, C) = (2, 3, 4, 5, 2); view order (X, Y, Z, C, T) = (5, 4, 3, 2, 2).
            var c = Tensor.Create(Numbered<T>(240), [2, 3, 4, 5, 2]);
            var f = Tensor.Create(Numbered<T>(240), 0, [2, 3, 4, 5, 2], [1, 2, 6, 24, 120]);
            var sliced = Tensor.Create(Numbered<T>(3 * 3 * 5 * 6 * 2), [3, 3, 5, 6, 2]).Slice([new NRange(1, 3), NRange.All, new NRange(0, 4), new NRange(1, 6), NRange.All]);
            foreach (var tensor in new[] { c, f, sliced })
            {
                using var view = TensorInterop.FromTensor(tensor, ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE);

                Assert.Equal(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE, view.AxesInterpretation.Id);
                Assert.Equal(new VectorXu64(5, 4, 3, 2, 2), view.Shape);
                Assert.Equal(AddressOf(tensor), view.Buffer);
                var idx = new nint[5];
                do
                {
                    Assert.Equal(tensor[idx], view.GetValue<T>((ulong)idx[3], (ulong)idx[2], (ulong)idx[1], (ulong)idx[4], (ulong)idx[0]));
                }
                while (TensorIndex.Next(idx, tensor.Lengths));

                view.SetValue(Types.Value<T>(77), 4, 3, 2, 1, 1);
                Assert.Equal(Types.Value<T>(77), tensor[1, 2, 3, 4, 1]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule2_NumpyOrderToCanonical_COrderFortranAndSliced_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule2());

    [Theory]
    [InlineData(ImageTypeId.IMAGE, new[] { 4, 5 }, new[] { 5, 4 })]
    [InlineData(ImageTypeId.VOLUME, new[] { 3, 4, 5 }, new[] { 5, 4, 3 })]
    [InlineData(ImageTypeId.MULTISPECTRAL_IMAGE, new[] { 4, 5, 3 }, new[] { 5, 4, 3 })]
    [InlineData(ImageTypeId.MULTISPECTRAL_VOLUME, new[] { 2, 4, 5, 3 }, new[] { 5, 4, 2, 3 })]
    [InlineData(ImageTypeId.IMAGE_SEQUENCE, new[] { 6, 4, 5 }, new[] { 5, 4, 6 })]
    [InlineData(ImageTypeId.VOLUME_SEQUENCE, new[] { 6, 2, 4, 5 }, new[] { 5, 4, 2, 6 })]
    [InlineData(ImageTypeId.MULTISPECTRAL_IMAGE_SEQUENCE, new[] { 6, 4, 5, 3 }, new[] { 5, 4, 3, 6 })]
    public void Rule2_EveryInterpretation_ShapesAndRoundTrip(ImageTypeId type, int[] lengths, int[] shape)
    {
        var n = lengths.Aggregate(1, (a, b) => a * b);
        var tensor = Tensor.Create(Numbered<int>(n), [.. lengths.Select(l => (nint)l)]);

        using var view = TensorInterop.FromTensor(tensor, type);

        Assert.Equal(type, view.AxesInterpretation.Id);
        Assert.Equal(shape.Select(s => (ulong)s).ToArray(), view.Shape.ToArray());
        // Exporting back with rule 6 gives the tensor's own axes: the rules are inverses.
        var back = TensorInterop.ToReadOnlyTensorSpan<int>(view);
        Assert.Equal(tensor.Lengths.ToArray(), back.Lengths.ToArray());
        Assert.Equal(tensor.Strides.ToArray(), back.Strides.ToArray());
    }

    [Fact]
    public void Rule2_UnknownIsRule1()
    {
        var tensor = Tensor.Create(Numbered<short>(6), [2, 3]);
        using var view = TensorInterop.FromTensor(tensor, ImageTypeId.UNKNOWN);
        Assert.Equal(new VectorXu64(2, 3), view.Shape);
        Assert.Equal(ImageType.Unknown, view.AxesInterpretation);
    }

    private sealed class Rule3 : ITypedCase
    {
        public void Run<T>()
            where T : unmanaged, INumberBase<T>
        {
            // An unusual layout: tensor axes are (ROW, COLUMN, SLICE).
            var tensor = Tensor.Create(Numbered<T>(4 * 5 * 3), [4, 5, 3]);

            using var view = TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.SLICE);

            Assert.Equal(ImageTypeId.VOLUME, view.AxesInterpretation.Id);
            Assert.Equal(new VectorXu64(5, 4, 3), view.Shape);
            Assert.Equal(AddressOf(tensor), view.Buffer);
            var idx = new nint[3];
            do
            {
                Assert.Equal(tensor[idx], view.GetValue<T>((ulong)idx[1], (ulong)idx[0], (ulong)idx[2]));
            }
            while (TensorIndex.Next(idx, tensor.Lengths));

            view.SetValue(Types.Value<T>(42), 4, 3, 2);
            Assert.Equal(Types.Value<T>(42), tensor[3, 4, 2]);
        }
    }

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Rule3_NamedAxes_EveryScalarType(DataTypeId id) => Types.Dispatch(id, new Rule3());

    [Fact]
    public void Rule3_RowColumn_GivesImage()
    {
        var tensor = Tensor.Create(new byte[] { 0, 1, 2, 10, 11, 12 }, [2, 3]);
        using var view = TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, ImageDimension.COLUMN);
        Assert.Equal(ImageTypeId.IMAGE, view.AxesInterpretation.Id);
        Assert.Equal(new VectorXu64(3, 2), view.Shape);
        Assert.Equal(12, view.GetValue<byte>(2, 1));
    }

    [Fact]
    public void Rule3_AxesOfNoNamedInterpretation()
    {
        var tensor = Tensor.Create(new float[6], [2, 3]);
        using var view = TensorInterop.OrderFromTensor(tensor, ImageDimension.SLICE, ImageDimension.COLUMN);
        Assert.Equal(new VectorXu64(3, 2), view.Shape);
        Assert.Equal(ImageTypeId.UNKNOWN, view.AxesInterpretation.Id);
        Assert.Equal([ImageDimension.COLUMN, ImageDimension.SLICE], view.AxesInterpretation.Dimensions);
    }

    [Theory]
    [InlineData(2, DataTypeId.VEC2_UINT16)]
    [InlineData(3, DataTypeId.VEC3_UINT16)]
    [InlineData(4, DataTypeId.VEC4_UINT16)]
    public void Rule4_PackedTrailingAxis_BecomesVectorComponents(int components, DataTypeId expected)
    {
        var tensor = Tensor.Create(Numbered<ushort>(4 * 5 * components), [4, 5, components]);

        using var image = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);
        using var named = TensorInterop.OrderFromTensor(tensor, ImageDimension.ROW, ImageDimension.COLUMN);

        foreach (var view in new[] { image, named })
        {
            Assert.Equal((DataType)expected, view.DataType);
            Assert.Equal(new VectorXu64(5, 4), view.Shape);
            Assert.Equal(AddressOf(tensor), view.Buffer);
            for (var c = 0; c < components; c++)
            {
                Assert.Equal(tensor[3, 2, c], Views.Component<ushort>(view, c, 2, 3));
            }
        }

        Views.SetComponent<ushort>(image, 999, components - 1, 4, 1);
        Assert.Equal(999, tensor[1, 4, components - 1]);
        Assert.Equal([(nint)4, 5, components], TensorInterop.ToReadOnlyTensorSpan<ushort>(image).Lengths.ToArray());
    }

    [Fact]
    public void Rule4_VectorOfFloat_FromASlicedTensorWithPackedComponents()
    {
        var tensor = Tensor.Create(Numbered<float>(6 * 6 * 3), [6, 6, 3]).Slice([new NRange(1, 5), new NRange(2, 4), NRange.All]);
        using var view = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);
        Assert.Equal((DataType)DataTypeId.VEC3_FLOAT, view.DataType);
        Assert.Equal(new VectorXu64(2, 4), view.Shape);
        Assert.Equal(tensor[3, 1, 2], Views.Component<float>(view, 2, 1, 3));
    }

    [Fact]
    public void Rule5_BoolIsBinaryUint8()
    {
        var data = new[] { true, false, false, true, true, false };
        var tensor = Tensor.Create(data, [2, 3]);

        using var view = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);

        Assert.Equal((DataType)DataTypeId.UINT8, view.DataType);
        Assert.Equal(ImageInterpretation.BINARY, view.ImageInterpretation);
        Assert.Equal(1, view.GetValue<byte>(0, 1));
        view.SetValue<byte>(1, 1, 0);
        Assert.True(data[1]);
    }

    [Fact]
    public void Rule5_ComplexIsComplexDouble()
    {
        var tensor = Tensor.Create(new[] { new Complex(1, 2), new Complex(3, 4) }, [2]);
        using var view = TensorInterop.FromTensor(tensor);
        Assert.Equal((DataType)DataTypeId.COMPLEX_DOUBLE, view.DataType);
        Assert.Equal(new Complex(3, 4), view.GetValue<Complex>(1));
    }

    [Fact]
    public void FromArray_IsCOrder_AndShared()
    {
        var data = Numbered<double>(24);
        using var plain = TensorInterop.FromArray(data, [2, 3, 4]);
        using var volume = TensorInterop.FromArray(data, [2, 3, 4], ImageTypeId.VOLUME);

        Assert.Equal(new VectorXu64(2, 3, 4), plain.Shape);
        Assert.Equal([96L, 32L, 8L], plain.Strides);
        Assert.Equal(data[(1 * 12) + (2 * 4) + 3], plain.GetValue<double>(1, 2, 3));
        Assert.Equal(new VectorXu64(4, 3, 2), volume.Shape);
        Assert.True(volume.IsContiguous);
        fixed (double* p = data)
        {
            Assert.Equal((nint)p, volume.Buffer);
        }

        volume.SetValue(-5.0, 3, 2, 1);
        Assert.Equal(-5.0, data[^1]);
    }

    [Fact]
    public void Rule9_ViewKeepsTheTensorAlive_AndReleasesItOnDispose()
    {
        var (view, weak) = ImportAndForget();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(weak.IsAlive);
        Assert.Equal(11, view.GetValue<int>(1, 1));
        using var region = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(1, 1), new VectorXu64(1, 1)));
        view.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(weak.IsAlive);
        Assert.Equal(11, region.GetValue<int>(0, 0));

        region.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ImageView View, WeakReference Weak) ImportAndForget()
    {
        var tensor = Tensor.Create(new[] { 0, 1, 10, 11 }, [2, 2]);
        return (TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE), new WeakReference(tensor));
    }

    [Fact]
    public void Import_PinsTheArray()
    {
        var tensor = Tensor.Create(new long[1000], [10, 100]);
        using var view = TensorInterop.FromTensor(tensor);
        var before = view.Buffer;
        // Allocate and collect with compaction: a pinned array does not move.
        for (var i = 0; i < 20; i++)
        {
            _ = new byte[100_000];
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(before, AddressOf(tensor));
        view.SetValue(5L, 9, 99);
        Assert.Equal(5L, tensor[9, 99]);
    }

    [Fact]
    public void Tensor_GetPinnedHandle_PointsAtTheArrayStartNotTheSlice()
    {
        // Documents why import takes the address from the tensor span rather than from GetPinnedHandle.
        var data = new int[] { 0, 1, 2, 3, 4, 5 };
        var slice = Tensor.Create(data, [2, 3]).Slice([new NRange(1, 2), new NRange(1, 3)]);
        using var handle = slice.GetPinnedHandle();
        using var view = TensorInterop.FromTensor(slice);

        Assert.Equal(4, view.GetValue<int>(0, 0));
        Assert.NotEqual((nint)handle.Pointer, view.Buffer);
        Assert.Equal((nint)handle.Pointer + (4 * sizeof(int)), view.Buffer);
    }
}
