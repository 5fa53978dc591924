using System.Runtime.InteropServices;

namespace IOLink.Tests.Views;

public class FromArrayTests
{
    [Fact]
    public unsafe void SharesTheArray_BothWays()
    {
        var data = new ushort[12 * 4 * 6];
        using var v = ImageViewFactory.FromArray(data, new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        fixed (ushort* p = data)
        {
            Assert.Equal((nint)p, v.Buffer);
        }

        data[1 + (12 * 2) + (48 * 3)] = 77;
        Assert.Equal(77, v.GetValue<ushort>(1, 2, 3));
        v.SetValue<ushort>(88, 11, 3, 5);
        Assert.Equal(88, data[^1]);
        Assert.False(v.Support(ImageCapability.RESHAPE));
    }

    [Fact]
    public void WrongSize_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromArray(new ushort[10], new VectorXu64(3, 3), DataTypeId.UINT16));
        Assert.Contains("holds 20 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs 18", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => ImageViewFactory.FromArray<byte>(null!, new VectorXu64(3), DataTypeId.UINT8));
    }

    [Fact]
    public void ReinterpretsBytesOfAnotherElementType()
    {
        var data = new byte[] { 1, 0, 2, 0, 3, 0 };
        using var v = ImageViewFactory.FromArray(data, new VectorXu64(1), DataTypeId.VEC3_UINT16);
        using var c2 = ImageViewFactory.ExtractChannel(v, 2);
        Assert.Equal(3, c2.GetValue<ushort>(0));
    }
}

public class FromBufferTests
{
    [Fact]
    public unsafe void BorrowedMemory_WithStrides()
    {
        var data = new int[20];
        fixed (int* p = data)
        {
            // A 4x5 transposed view: first dimension strides over rows of 5.
            using var v = ImageViewFactory.FromBuffer((nint)p, 80, new VectorXu64(4, 5), DataTypeId.INT32, [20, 4]);
            v.SetValue(9, 3, 1);
            Assert.Equal(9, data[(3 * 5) + 1]);
            Assert.Equal((nint)p, v.Buffer);
            Assert.False(v.IsContiguous);
        }
    }

    [Fact]
    public unsafe void NegativeStride_FromTheLastElement()
    {
        var data = new int[] { 0, 1, 2, 3 };
        fixed (int* p = data)
        {
            using var v = ImageViewFactory.FromBuffer((nint)(p + 3), 16, new VectorXu64(4), DataTypeId.INT32, [-4]);
            Assert.Equal(3, v.GetValue<int>(0));
            Assert.Equal(0, v.GetValue<int>(3));
            var last = (nint)(p + 3);
            var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(last, 12, new VectorXu64(4), DataTypeId.INT32, [-4]));
            Assert.Contains("outside the 12-byte memory", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(16L, new long[] { 4, 20 })]
    [InlineData(80L, new long[] { 4, 24 })]
    [InlineData(80L, new long[] { -4, 20 })]
    [InlineData(80L, new long[] { long.MaxValue, 4 })]
    public unsafe void LayoutOutsideTheBuffer_Throws(long length, long[] strides)
    {
        var data = new int[20];
        fixed (int* p = data)
        {
            var address = (nint)p;
            var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(address, length, new VectorXu64(4, 5), DataTypeId.INT32, strides));
            Assert.Contains("stride", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public unsafe void ZeroStridesOverAHugeShape_AreRefusedByByteCount()
    {
        var data = new double[2];
        fixed (double* p = data)
        {
            var address = (nint)p;
            var ex = Assert.Throws<ArgumentException>(() =>
                ImageViewFactory.FromBuffer(address, 16, new VectorXu64(1UL << 40, 1UL << 40), DataTypeId.DOUBLE, [0, 0]));
            Assert.Contains("more than 2^63 bytes", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ZeroAddress_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(0, 100, new VectorXu64(2), DataTypeId.UINT8));
        Assert.Contains("address is zero", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public unsafe void WrongStrideCount_Throws()
    {
        var data = new int[20];
        fixed (int* p = data)
        {
            var address = (nint)p;
            var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(address, 80, new VectorXu64(4, 5), DataTypeId.INT32, [4]));
            Assert.Contains("1 stride(s) were given for a shape of 2", ex.Message, StringComparison.Ordinal);
        }
    }
}

public class DerivedViewTests
{
    [Fact]
    public void ExtractRegion_IsZeroCopy_ByAddressAndByWrites()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        using var r = ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(2, 1, 3), new VectorXu64(5, 2, 2)));
        Assert.Equal(v.Buffer + (2 * 2) + (1 * 24) + (3 * 96), r.Buffer);
        Assert.Equal(v.Strides, r.Strides);
        Assert.False(r.IsContiguous);
        r.SetValue<ushort>(999, 0, 0, 0);
        Assert.Equal(999, v.GetValue<ushort>(2, 1, 3));
        v.SetValue<ushort>(555, 6, 2, 4);
        Assert.Equal(555, r.GetValue<ushort>(4, 1, 1));
        Assert.False(r.Support(ImageCapability.RESHAPE));
    }

    [Fact]
    public void ExtractRegion_Empty_Throws()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(0, 0, 0), new VectorXu64(0, 1, 1))));
        Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtractRegion_MovesTheSpatialOrigin()
    {
        var props = new ImageProperties(ImageTypeId.VOLUME) { SpatialSpacing = [0.5, 2, 3], SpatialOrigin = [10, 20, 30] };
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT8, props);
        using var r = ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(2, 1, 3), new VectorXu64(1, 1, 1)));
        Assert.Equal([11, 22, 39], r.Properties.SpatialOrigin);
    }

    [Fact]
    public void FlipDimension_UsesANegativeStride()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        v.Properties.AxesInterpretation = ImageTypeId.VOLUME;
        using var f = ImageViewFactory.FlipDimension(v, ImageDimension.SLICE);
        Assert.Equal(-96, f.Strides[2]);
        Assert.Equal(v.Buffer + (5 * 96), f.Buffer);
        Assert.Equal(503, f.GetValue<ushort>(3, 0, 0));
        f.SetValue<ushort>(1, 0, 0, 5);
        Assert.Equal(1, v.GetValue<ushort>(0, 0, 0));
    }

    [Fact]
    public void FlipDimension_MissingDimension_Throws()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FlipDimension(v, ImageDimension.SLICE));
        Assert.Contains("has no SLICE dimension", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageViewFactory.FlipDimension(v, 3));
    }

    [Fact]
    public void SubSample_KeepsEveryNthElement()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        using var s = ImageViewFactory.SubSample(v, new VectorXu64(5, 1, 4));
        Assert.Equal(new VectorXu64(3, 4, 2), s.Shape);
        Assert.Equal(10 + 30 + 400, s.GetValue<ushort>(2, 3, 1));
        Assert.Equal([10, 24, 384], s.Strides);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.SubSample(v, new VectorXu64(1, 0, 1)));
        Assert.Contains("every step must be at least 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.SubSample(v, new VectorXu64(1, 1)));
    }

    [Fact]
    public void ExtractChannel_OfAVectorType_PicksAComponent()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        v.SetValue(new ushort3(1, 2, 3), 5, 2, 1);
        using var g = ImageViewFactory.ExtractChannel(v, 1);
        Assert.Equal((DataType)DataTypeId.UINT16, g.DataType);
        Assert.Equal(v.Shape, g.Shape);
        Assert.Equal(v.Buffer + 2, g.Buffer);
        Assert.Equal(2, g.GetValue<ushort>(5, 2, 1));
        g.SetValue<ushort>(20, 5, 2, 1);
        Assert.Equal(new ushort3(1, 20, 3), v.GetValue<ushort3>(5, 2, 1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ImageViewFactory.ExtractChannel(v, 3));
        Assert.Contains("has 3 channel(s)", ex.Message, StringComparison.Ordinal);
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct ushort3(ushort X, ushort Y, ushort Z);

    [Fact]
    public void ExtractChannel_OfAChannelDimension_DropsIt()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 3, 2), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.MULTISPECTRAL_IMAGE));
        v.SetValue(1.5f, 3, 2, 1);
        using var c = ImageViewFactory.ExtractChannel(v, 1);
        Assert.Equal(new VectorXu64(4, 3), c.Shape);
        Assert.Equal((ImageType)ImageTypeId.IMAGE, c.AxesInterpretation);
        Assert.Equal(1.5f, c.GetValue<float>(3, 2));
    }

    [Fact]
    public void ExtractChannel_OfAScalarImage_Throws()
    {
        using var v = SampleViews.Numbered(2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.ExtractChannel(v, 0));
        Assert.Contains("no channel to extract", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reinterpret_SharesDataWithANewMeaning()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        using var r = ImageViewFactory.Reinterpret(v, ImageTypeId.VOLUME);
        Assert.Equal((ImageType)ImageTypeId.VOLUME, r.AxesInterpretation);
        Assert.Equal((ImageType)ImageTypeId.UNKNOWN, v.AxesInterpretation);
        Assert.Equal(v.Buffer, r.Buffer);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Reinterpret(v, ImageTypeId.IMAGE));
        Assert.Contains("IMAGE has 2 dimension(s) but the view has 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReinterpretAxes_Errors()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.ReinterpretAxes(v, ImageDimension.ROW, ImageDimension.COLUMN));
        Assert.Contains("2 dimension name(s)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.ReinterpretAxes(v, ImageDimension.ROW, ImageDimension.ROW, ImageDimension.SLICE));
        Assert.Contains("listed twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReinterpretAxes_2x3AsRowColumn_IsA3x2Image()
    {
        // A C-ordered 2x3 array seen plainly: view (i, j) is array [i, j] = 10 i + j, with byte strides (6, 2).
        var data = new ushort[] { 0, 1, 2, 10, 11, 12 };
        using var owner = ImageViewFactory.FromArray(data, new VectorXu64(6), DataTypeId.UINT16);
        using var plain = ImageViewFactory.FromBuffer(owner.Buffer, 12, new VectorXu64(2, 3), DataTypeId.UINT16, [6, 2]);
        Assert.Equal(12, plain.GetValue<ushort>(1, 2));
        using var image = ImageViewFactory.ReinterpretAxes(plain, ImageDimension.ROW, ImageDimension.COLUMN);
        Assert.Equal(new VectorXu64(3, 2), image.Shape);
        Assert.Equal((ImageType)ImageTypeId.IMAGE, image.AxesInterpretation);
        Assert.Equal(2, image.GetValue<ushort>(2, 0));
        Assert.Equal([2L, 6L], image.Strides);
    }

    [Fact]
    public void MakeReadOnly_KeepsMemoryAccessAndRefusesWrites()
    {
        using var v = SampleViews.Numbered(4, 4, 4);
        using var r = ImageViewFactory.MakeReadOnly(v);
        Assert.Equal(ImageCapability.READ | ImageCapability.MEMORY_ACCESS, r.Capabilities);
        Assert.Equal(v.Buffer, r.Buffer);
        var ex = Assert.Throws<NotSupportedException>(() => r.SetValue<ushort>(1, 0, 0, 0));
        Assert.Contains("needs the WRITE capability", ex.Message, StringComparison.Ordinal);
        using var child = ImageViewFactory.ExtractRegion(r, RegionXu64.CreateFullRegion(r.Shape));
        Assert.False(child.Support(ImageCapability.WRITE));
        v.SetValue<ushort>(7, 0, 0, 0);
        Assert.Equal(7, r.GetValue<ushort>(0, 0, 0));
    }

    [Fact]
    public void MakeReadOnly_OfAnIndirectView()
    {
        using var inner = SampleViews.Numbered(4, 4, 4);
        using var v = new IndirectView(inner);
        using var r = ImageViewFactory.MakeReadOnly(v);
        Assert.Equal(ImageCapability.READ, r.Capabilities);
        Assert.Throws<NotSupportedException>(() => r.WriteRegion(RegionXu64.CreateFullRegion(r.Shape), new byte[128]));
        Assert.Throws<NotSupportedException>(() => r.Buffer);
    }

    [Fact]
    public void IndirectView_RegionReads_GoThroughTheParentOnce()
    {
        using var inner = SampleViews.Numbered(16, 16, 16);
        using var v = new IndirectView(inner);
        using var r = ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(2, 2, 2), new VectorXu64(8, 8, 8)));
        var buffer = new byte[8 * 8 * 8 * 2];
        r.ReadRegion(RegionXu64.CreateFullRegion(r.Shape), buffer);
        Assert.Equal(1, v.ReadCalls);
        r.WriteRegion(RegionXu64.CreateFullRegion(r.Shape), buffer);
        Assert.Equal(1, v.WriteCalls);
        Assert.Equal(1, v.ReadCalls);
    }

    [Fact]
    public void IndirectView_ChannelOfVectorType_ReadsAndWritesBack()
    {
        using var inner = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.VEC3_UINT16);
        inner.SetValue(new ushort3(1, 2, 3), 2, 1);
        using var v = new IndirectView(inner);
        using var c = ImageViewFactory.ExtractChannel(v, 2);
        Assert.Equal(3, c.GetValue<ushort>(2, 1));
        c.SetValue<ushort>(30, 2, 1);
        Assert.Equal(new ushort3(1, 2, 30), inner.GetValue<ushort3>(2, 1));
    }
}

public class UniformTests
{
    [Fact]
    public void EveryElementIsTheValue_AndThereIsNoMemory()
    {
        using var v = ImageViewFactory.Uniform(new VectorXu64(5, 4, 3), DataTypeId.VEC3_UINT16, [1, 0, 2, 0, 3, 0]);
        Assert.Equal(ImageCapability.READ, v.Capabilities);
        var all = SampleViews.ReadAll16(v);
        Assert.Equal(180, all.Length);
        for (var i = 0; i < all.Length; i++)
        {
            Assert.Equal(i % 3 + 1, all[i]);
        }

        var ex = Assert.Throws<NotSupportedException>(() => v.Buffer);
        Assert.Contains("needs the MEMORY_ACCESS capability", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CopyInMemory", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => v.Write(new VectorXu64(0, 0, 0), new byte[6]));
        using var copy = ImageViewFactory.CopyInMemory(v);
        Assert.Equal(all, SampleViews.ReadAll16(copy));
    }

    [Fact]
    public void ByteValue_FillsLargeRegions()
    {
        using var v = ImageViewFactory.Uniform(new VectorXu64(1000, 1000), DataTypeId.UINT8, [7]);
        using var copy = ImageViewFactory.CopyInMemory(v);
        Assert.Equal(7, copy.GetValue<byte>(999, 999));
    }

    [Fact]
    public void WrongValueLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Uniform(new VectorXu64(2), DataTypeId.UINT16, [1]));
        Assert.Contains("pass exactly one element", ex.Message, StringComparison.Ordinal);
    }
}
