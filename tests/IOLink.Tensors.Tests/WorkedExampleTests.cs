using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IOLink.Tensors.Tests;

/// <summary>The worked examples of IOLINK.md section 3, with tensors in place of NumPy arrays.</summary>
public unsafe class WorkedExampleTests
{
    [Fact]
    public void Volume_12_4_6_ExportsAs_6_4_12_WithEqualValuesAndSharedWrites()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        Views.Number<ushort>(volume);

        var t = TensorInterop.ToTensorSpan<ushort>(volume);

        Assert.Equal([6, 4, 12], t.Lengths.ToArray());
        Assert.Equal([48, 12, 1], t.Strides.ToArray());
        Assert.Equal(volume.Buffer, (nint)Unsafe.AsPointer(ref TensorMarshal.GetReference(t)));
        for (ulong z = 0; z < 6; z++)
        {
            for (ulong y = 0; y < 4; y++)
            {
                for (ulong x = 0; x < 12; x++)
                {
                    Assert.Equal(volume.GetValue<ushort>(x, y, z), t[(nint)z, (nint)y, (nint)x]);
                }
            }
        }

        t[5, 3, 11] = 4242;
        Assert.Equal(4242, volume.GetValue<ushort>(11, 3, 5));
        volume.SetValue<ushort>(777, 1, 2, 3);
        Assert.Equal(777, t[3, 2, 1]);
    }

    [Fact]
    public void Vec3Uint16Volume_ExportsAs_6_4_12_3()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        Views.Number<ushort>(volume);

        var t = TensorInterop.ToTensorSpan<ushort>(volume);

        Assert.Equal([6, 4, 12, 3], t.Lengths.ToArray());
        Assert.Equal([144, 36, 3, 1], t.Strides.ToArray());
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(Views.Component<ushort>(volume, c, 7, 2, 4), t[4, 2, 7, c]);
        }

        t[4, 2, 7, 2] = 999;
        Assert.Equal(999, Views.Component<ushort>(volume, 2, 7, 2, 4));
    }

    [Fact]
    public void UnknownAxes_KeepViewOrder_PlusComponents()
    {
        using var scalar = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        using var vector = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16);

        Assert.Equal([12, 4, 6], TensorInterop.ToReadOnlyTensorSpan<ushort>(scalar).Lengths.ToArray());
        Assert.Equal([12, 4, 6, 3], TensorInterop.ToReadOnlyTensorSpan<ushort>(vector).Lengths.ToArray());
    }

    [Fact]
    public void Tensor2x3_ImportsAs_2_3_OrAs_3_2_Image()
    {
        var data = new ushort[] { 0, 1, 2, 10, 11, 12 };
        var tensor = Tensor.Create(data, [2, 3]);

        using var plain = TensorInterop.FromTensor(tensor);
        using var image = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);

        Assert.Equal(new VectorXu64(2, 3), plain.Shape);
        Assert.Equal(ImageTypeId.UNKNOWN, plain.AxesInterpretation.Id);
        Assert.Equal(new VectorXu64(3, 2), image.Shape);
        Assert.Equal(ImageTypeId.IMAGE, image.AxesInterpretation.Id);
        for (nint i = 0; i < 2; i++)
        {
            for (nint j = 0; j < 3; j++)
            {
                Assert.Equal(tensor[i, j], plain.GetValue<ushort>((ulong)i, (ulong)j));
                Assert.Equal(tensor[i, j], image.GetValue<ushort>((ulong)j, (ulong)i));
            }
        }

        // View index (x=2, y=0) is tensor element [0, 2].
        Assert.Equal(2, image.GetValue<ushort>(2, 0));
        Assert.True(image.IsContiguous);
        fixed (ushort* p = data)
        {
            Assert.Equal((nint)p, plain.Buffer);
            Assert.Equal((nint)p, image.Buffer);
        }

        image.SetValue<ushort>(500, 1, 1);
        Assert.Equal(500, tensor[1, 1]);
        Assert.Equal(500, plain.GetValue<ushort>(1, 1));
        tensor[0, 1] = 600;
        Assert.Equal(600, image.GetValue<ushort>(1, 0));
    }

    [Fact]
    public void FortranTensor2x3_ImportsWithTheSameIndices()
    {
        // Column-major storage of [[0, 1, 2], [10, 11, 12]].
        var data = new ushort[] { 0, 10, 1, 11, 2, 12 };
        var tensor = Tensor.Create(data, 0, [2, 3], [1, 2]);

        using var plain = TensorInterop.FromTensor(tensor);
        using var image = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);

        Assert.Equal(new VectorXu64(2, 3), plain.Shape);
        Assert.Equal([2L, 4L], plain.Strides);
        Assert.Equal(12, plain.GetValue<ushort>(1, 2));
        Assert.Equal(new VectorXu64(3, 2), image.Shape);
        Assert.Equal(2, image.GetValue<ushort>(2, 0));
        // Fortran order is canonical order for the plain view; the IMAGE reads it transposed through strides.
        Assert.True(plain.IsContiguous);
        Assert.Equal([4L, 2L], image.Strides);
    }

    [Fact]
    public void ImportThenExport_RoundTripsLengthsAndAddress()
    {
        var data = new float[5 * 4 * 3];
        var tensor = Tensor.Create(data, [5, 4, 3]);
        using var volume = TensorInterop.FromTensor(tensor, ImageTypeId.VOLUME);

        var back = TensorInterop.ToTensorSpan<float>(volume);

        Assert.Equal(new VectorXu64(3, 4, 5), volume.Shape);
        Assert.Equal(tensor.Lengths.ToArray(), back.Lengths.ToArray());
        Assert.Equal(tensor.Strides.ToArray(), back.Strides.ToArray());
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetArrayDataReference(data), ref TensorMarshal.GetReference(back)));
    }

    [Fact]
    public void ReadmeExample_HoldsAsWritten()
    {
        var tensor = Tensor.Create(new ushort[] { 0, 1, 2, 10, 11, 12 }, [2, 3]);
        using var image = TensorInterop.FromTensor(tensor, ImageTypeId.IMAGE);
        Assert.Equal("VectorXu64(3, 2)", image.Shape.ToString());
        Assert.Equal(2, image.GetValue<ushort>(2, 0));
        image.SetValue<ushort>(500, 1, 1);
        Assert.Equal(500, tensor[1, 1]);

        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16,
            new ImageProperties(ImageTypeId.VOLUME));
        TensorSpan<ushort> span = TensorInterop.ToTensorSpan<ushort>(volume);
        Assert.Equal([6, 4, 12], span.Lengths.ToArray());
        span[5, 3, 11] = 42;
        Assert.Equal(42, volume.GetValue<ushort>(11, 3, 5));
    }
}
