using System.Runtime.InteropServices;

namespace IOLink.Tests.Views;

/// <summary>ImageViewFactory.Copy between any two layouts, and Share, a second handle on the same data.</summary>
public sealed class CopyAndShareTests
{
    private static ImageView Numbered(ulong nx, ulong ny, ulong nz) => SampleViews.Numbered(nx, ny, nz);

    [Fact]
    public void Copy_BetweenPermutedAndFlippedMemoryViews_MovesEveryElement()
    {
        using var source = Numbered(5, 4, 3);
        using var flipped = ImageViewFactory.FlipDimension(source, 1);
        using var target = ImageViewFactory.Allocate(new VectorXu64(3, 4, 5), DataTypeId.UINT16);
        // The target named [SLICE, ROW, COLUMN] is a permuted view of the same shape as the source.
        using var permuted = ImageViewFactory.ReinterpretAxes(target, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        ImageViewFactory.Copy(flipped, permuted);
        for (ulong x = 0; x < 5; x++)
        {
            for (ulong y = 0; y < 4; y++)
            {
                for (ulong z = 0; z < 3; z++)
                {
                    Assert.Equal(flipped.GetValue<ushort>(x, y, z), target.GetValue<ushort>(z, y, x));
                }
            }
        }
    }

    [Fact]
    public void Copy_IntoAFileBackedView_AndBack()
    {
        using var source = Numbered(6, 5, 4);
        using var onDisk = ImageViewFactory.CreateOnDisk(source.Shape, source.DataType);
        ImageViewFactory.Copy(source, onDisk);
        using var back = ImageViewFactory.Allocate(source.Shape, source.DataType);
        ImageViewFactory.Copy(onDisk, back);
        var a = new byte[source.ByteCount];
        var b = new byte[source.ByteCount];
        source.ReadRegion(RegionXu64.CreateFullRegion(source.Shape), a);
        back.ReadRegion(RegionXu64.CreateFullRegion(back.Shape), b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Copy_OfOverlappingMemory_IsAsIfThroughACopy()
    {
        using var line = ImageViewFactory.Allocate(new VectorXu64(10), DataTypeId.INT32);
        for (ulong i = 0; i < 10; i++)
        {
            line.SetValue((int)i, i);
        }

        using var head = ImageViewFactory.ExtractRegion(line, new RegionXu64(new VectorXu64(0), new VectorXu64(8)));
        using var tail = ImageViewFactory.ExtractRegion(line, new RegionXu64(new VectorXu64(2), new VectorXu64(8)));
        ImageViewFactory.Copy(head, tail);
        var values = new int[10];
        line.ReadRegion(RegionXu64.CreateFullRegion(line.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        Assert.Equal([0, 1, 0, 1, 2, 3, 4, 5, 6, 7], values);
    }

    [Fact]
    public void Copy_Refusals()
    {
        using var a = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8);
        using var b = ImageViewFactory.Allocate(new VectorXu64(4, 5), DataTypeId.UINT8);
        using var c = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.INT8);
        using var ro = ImageViewFactory.MakeReadOnly(a);
        Assert.Contains("same shape and data type", Assert.Throws<ArgumentException>(() => ImageViewFactory.Copy(a, b)).Message, StringComparison.Ordinal);
        Assert.Contains("same shape and data type", Assert.Throws<ArgumentException>(() => ImageViewFactory.Copy(a, c)).Message, StringComparison.Ordinal);
        Assert.Contains("WRITE", Assert.Throws<NotSupportedException>(() => ImageViewFactory.Copy(a, ro)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => ImageViewFactory.Copy(null!, a));
        var gone = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.Copy(gone, a));
    }

    [Fact]
    public void Share_SeesTheSameMemoryAndKeepsItAlive()
    {
        var view = Numbered(4, 3, 2);
        var shared = ImageViewFactory.Share(view);
        Assert.Equal(view.Buffer, shared.Buffer);
        Assert.Equal(view.Strides, shared.Strides);
        Assert.Equal(view.Shape, shared.Shape);
        Assert.False(shared.Support(ImageCapability.RESHAPE));
        Assert.True(shared.Support(ImageCapability.WRITE | ImageCapability.MEMORY_ACCESS));
        shared.SetValue((ushort)999, 1, 1, 1);
        Assert.Equal(999, view.GetValue<ushort>(1, 1, 1));
        view.Dispose();
        Assert.Equal(999, shared.GetValue<ushort>(1, 1, 1));
        Assert.Equal(2 + 10 + 100, shared.GetValue<ushort>(2, 1, 1));
        shared.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.Share(shared));
    }
}
