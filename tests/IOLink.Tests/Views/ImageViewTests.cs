using System.Runtime.InteropServices;

namespace IOLink.Tests.Views;

public class AllocateTests
{
    [Theory]
    [InlineData(DataTypeId.UINT16)]
    [InlineData(DataTypeId.VEC3_UINT16)]
    public void Volume_12x4x6_HasItsShapeTypeAndCapabilities(DataTypeId type)
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), type, new ImageProperties(ImageTypeId.VOLUME));
        Assert.Equal("VectorXu64(12, 4, 6)", v.Shape.ToString());
        Assert.Equal((DataType)type, v.DataType);
        Assert.Equal(3, v.DimensionCount);
        Assert.Equal((ImageType)ImageTypeId.VOLUME, v.AxesInterpretation);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.RESHAPE | ImageCapability.MEMORY_ACCESS, v.Capabilities);
        Assert.True(v.IsContiguous);
        var e = ((DataType)type).ByteCount;
        Assert.Equal([e, e * 12L, e * 48L], v.Strides);
        Assert.NotEqual(0, v.Buffer);
        Assert.All(SampleViews.ReadAll16(v), x => Assert.Equal(0, x));
        // What a user prints names the public type and its values, whatever kind of view it is.
        Assert.Equal($"ImageView(shape: VectorXu64(12, 4, 6), type: {(DataType)type}, axes: VOLUME, capabilities: READ | WRITE | RESHAPE | MEMORY_ACCESS)", v.ToString());
        using var flipped = ImageViewFactory.FlipDimension(v, ImageDimension.ROW);
        Assert.StartsWith("ImageView(shape: ", flipped.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new ulong[0])]
    [InlineData(new ulong[] { 3, 0 })]
    public void InvalidShape_Throws(ulong[] shape)
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(shape, DataTypeId.UINT8));
        Assert.Contains("at least one dimension and every size is at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidDataType_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(new VectorXu64(2), default));
        Assert.Contains("not valid for a view", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverflowingShape_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(new VectorXu64(1UL << 40, 1UL << 40), DataTypeId.UINT16));
        Assert.Contains("more than 2^63 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertiesOfTheWrongRank_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME)));
        Assert.Contains("VOLUME has 3 dimension(s) but the view has 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertiesAndMetadata_AreCopied()
    {
        var props = new ImageProperties(ImageTypeId.IMAGE) { ImageInterpretation = ImageInterpretation.GRAYSCALE };
        var meta = new MetadataNode("root", 1);
        using var v = ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.UINT8, props, meta);
        props.ImageInterpretation = ImageInterpretation.LABEL;
        meta.Value = 2;
        Assert.Equal(ImageInterpretation.GRAYSCALE, v.ImageInterpretation);
        Assert.Equal(1, v.Metadata.Value);
    }
}

public class ElementAndRegionTests
{
    [Fact]
    public void WriteRegion_ThenReadRegion_RoundTrips()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var region = new RegionXu64(new VectorXu64(2, 1, 3), new VectorXu64(5, 2, 2));
        var src = new ushort[20];
        for (var i = 0; i < src.Length; i++)
        {
            src[i] = (ushort)(1000 + i);
        }

        v.WriteRegion(region, MemoryMarshal.AsBytes(src.AsSpan()));
        var back = new ushort[20];
        v.ReadRegion(region, MemoryMarshal.AsBytes(back.AsSpan()));
        Assert.Equal(src, back);
        // canonical order: first dimension fastest
        Assert.Equal(1000, v.GetValue<ushort>(2, 1, 3));
        Assert.Equal(1001, v.GetValue<ushort>(3, 1, 3));
        Assert.Equal(1005, v.GetValue<ushort>(2, 2, 3));
        Assert.Equal(1010, v.GetValue<ushort>(2, 1, 4));
        Assert.Equal(0, v.GetValue<ushort>(1, 1, 3));
    }

    [Fact]
    public void VectorElements_ReadAndWriteWhole()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16);
        v.SetValue(new Vec3(1, 2, 3), 11, 3, 5);
        Assert.Equal(new Vec3(1, 2, 3), v.GetValue<Vec3>(11, 3, 5));
        var raw = new byte[6];
        v.Read(new VectorXu64(11, 3, 5), raw);
        Assert.Equal([1, 0, 2, 0, 3, 0], raw);
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct Vec3(ushort A, ushort B, ushort C);

    [Fact]
    public void GetValue_WrongSize_ThrowsNamingBoth()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => v.GetValue<int>(0, 0));
        Assert.Contains("Int32 is 4 byte(s) but one UINT16 element is 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_OutOfShape_Throws()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => v.GetValue<ushort>(12, 0, 0));
        Assert.Contains("VectorXu64(12, 0, 0) is outside the view of shape VectorXu64(12, 4, 6)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_WrongRank_Throws()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => v.GetValue<ushort>(1, 1));
        Assert.Contains("index has 2 dimension(s) but the view has 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new ulong[] { 0, 0, 0 }, new ulong[] { 13, 1, 1 })]
    [InlineData(new ulong[] { 12, 0, 0 }, new ulong[] { 1, 1, 1 })]
    [InlineData(new ulong[] { ulong.MaxValue, 0, 0 }, new ulong[] { 2, 1, 1 })]
    [InlineData(new ulong[] { 1, 0, 0 }, new ulong[] { ulong.MaxValue, 1, 1 })]
    public void Region_OutOfShape_Throws(ulong[] origin, ulong[] size)
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        var buffer = new byte[64];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => v.ReadRegion(new RegionXu64(origin, size), buffer));
        Assert.Contains("reaches outside the view of shape", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => v.WriteRegion(new RegionXu64(origin, size), buffer));
    }

    [Fact]
    public void Region_WrongRank_Throws()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => v.ReadRegion(RegionXu64.CreateFullRegion(new VectorXu64(2, 2)), new byte[8]));
        Assert.Contains("region has 2 dimension(s) but the view has 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Buffer_TooSmall_Throws()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), new byte[575]));
        Assert.Contains("holds 575 byte(s) but 576 are needed", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), new byte[10]));
        Assert.Throws<ArgumentException>(() => v.Read(new VectorXu64(0, 0, 0), new byte[1]));
        Assert.Throws<ArgumentException>(() => v.Write(new VectorXu64(0, 0, 0), new byte[1]));
    }

    [Fact]
    public void EmptyRegion_IsANoOp()
    {
        using var v = SampleViews.Numbered(12, 4, 6);
        var before = SampleViews.ReadAll16(v);
        var dst = new byte[] { 7, 7 };
        v.ReadRegion(new RegionXu64(new VectorXu64(12, 0, 0), new VectorXu64(0, 4, 6)), dst);
        v.WriteRegion(new RegionXu64(new VectorXu64(3, 0, 0), new VectorXu64(2, 0, 6)), [1, 2, 3]);
        Assert.Equal(new byte[] { 7, 7 }, dst);
        Assert.Equal(before, SampleViews.ReadAll16(v));
    }

    [Fact]
    public void GetValue_SizeMessage_UsesTheManagedSize()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(2), DataTypeId.UINT16);
        var ex = Assert.Throws<ArgumentException>(() => v.GetValue<bool>(0));
        Assert.Contains("Boolean is 1 byte(s) but one UINT16 element is 2", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => v.GetValue<(byte, byte, int)>(0));
        Assert.Contains("is 8 byte(s) but one UINT16 element is 2", ex.Message, StringComparison.Ordinal);
    }
}

public class DisposeTests
{
    [Fact]
    public void DisposedView_ThrowsAndLosesItsCapabilities()
    {
        var v = ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.UINT8);
        v.Dispose();
        v.Dispose();
        Assert.True(v.IsDisposed);
        Assert.Equal(ImageCapability.NONE, v.Capabilities);
        var ex = Assert.Throws<ObjectDisposedException>(() => v.GetValue<byte>(0, 0));
        Assert.Contains("has been disposed", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => v.Buffer);
        Assert.Throws<ObjectDisposedException>(() => v.Strides);
        Assert.Throws<ObjectDisposedException>(() => v.ReadRegion(RegionXu64.CreateFullRegion(v.Shape), new byte[4]));
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.ExtractRegion(v, RegionXu64.CreateFullRegion(v.Shape)));
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.CopyInMemory(v));
    }

    [Fact]
    public void DerivedView_KeepsTheMemoryAliveAfterTheParentIsDisposed()
    {
        var parent = SampleViews.Numbered(4, 3, 2);
        var child = ImageViewFactory.ExtractRegion(parent, new RegionXu64(new VectorXu64(1, 1, 1), new VectorXu64(2, 2, 1)));
        parent.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(111, child.GetValue<ushort>(0, 0, 0));
        Assert.Equal(122, child.GetValue<ushort>(1, 1, 0));
        child.Dispose();
    }

    [Fact]
    public void DerivedIndirectView_KeepsItsParentUsable()
    {
        using var inner = SampleViews.Numbered(4, 3, 2);
        var parent = new IndirectView(inner);
        var child = ImageViewFactory.FlipDimension(parent, 0);
        parent.Dispose();
        Assert.Equal(3, child.GetValue<ushort>(0, 0, 0));
        child.Dispose();
    }

    [Fact]
    public void UndisposedViews_AreReclaimedByTheCollector()
    {
        // Without Dispose, the finalizer-backed memory block is the safety net.
        var block = AllocateAndForget();
        for (var i = 0; i < 5 && block.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(block.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference AllocateAndForget()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(256, 256, 16), DataTypeId.UINT16);
        return new WeakReference(view.Layout!.Block);
    }

    [Fact]
    public async Task ARegionRead_KeepsAnOtherwiseUnreachableViewAlive()
    {
        // The view below is unreachable once its ReadRegion starts; forced collections on another thread must not
        // free its memory mid-copy (this crashed with an access violation before reads held the view).
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        var dst = new byte[1024 * 1024 * 2];
        var region = RegionXu64.CreateFullRegion(new VectorXu64(1024, 1024));
        for (var i = 0; i < 150; i++)
        {
            Transposed().ReadRegion(region, dst);
        }

        await stop.CancelAsync();
        await collector;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ImageView Transposed()
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(1024, 1024), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        return ImageViewFactory.ReinterpretAxes(view, ImageDimension.ROW, ImageDimension.COLUMN);
    }

    [Fact]
    public async Task DisposingWhileAnotherThreadReads_NeverFreesMemoryMidRead()
    {
        for (var round = 0; round < 20; round++)
        {
            var view = ImageViewFactory.Allocate(new VectorXu64(1024, 1024), DataTypeId.UINT16);
            var dst = new byte[1024 * 1024 * 2];
            var reader = Task.Run(() =>
            {
                try
                {
                    for (var i = 0; i < 50; i++)
                    {
                        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), dst);
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            });
            await Task.Delay(round % 3);
            view.Dispose();
            await reader;
        }
    }
}

public class ReshapeTests
{
    [Fact]
    public void SameByteSize_KeepsTheData()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 2), DataTypeId.UINT16);
        v.SetValue<ushort>(0x0201, 1, 0);
        v.Reshape(new VectorXu64(16), DataTypeId.UINT8);
        Assert.Equal(new VectorXu64(16), v.Shape);
        Assert.Equal((DataType)DataTypeId.UINT8, v.DataType);
        Assert.Equal(1, v.GetValue<byte>(2));
        Assert.Equal(2, v.GetValue<byte>(3));
    }

    [Fact]
    public void NewByteSize_GivesZeroedMemory_AndEarlierViewsKeepTheOld()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(4, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        v.SetValue<ushort>(7, 1, 0);
        using var before = ImageViewFactory.ExtractRegion(v, RegionXu64.CreateFullRegion(v.Shape));
        v.Reshape(new VectorXu64(10, 10, 10), DataTypeId.FLOAT);
        Assert.Equal(0f, v.GetValue<float>(1, 0, 0));
        Assert.Equal((ImageType)ImageTypeId.UNKNOWN, v.AxesInterpretation);
        Assert.Equal(7, before.GetValue<ushort>(1, 0));
    }

    [Fact]
    public void ViewWithoutReshape_Throws()
    {
        var data = new ushort[4];
        using var v = ImageViewFactory.FromArray(data, new VectorXu64(2, 2), DataTypeId.UINT16);
        var ex = Assert.Throws<NotSupportedException>(() => v.Reshape(new VectorXu64(4), DataTypeId.UINT16));
        Assert.Contains("needs the RESHAPE capability", ex.Message, StringComparison.Ordinal);
    }
}
