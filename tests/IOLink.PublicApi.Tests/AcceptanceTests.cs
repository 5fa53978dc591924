using System.Runtime.InteropServices;

namespace IOLink.PublicApi.Tests;

/// <summary>
/// Written only against the public names of API.md (this assembly has no access to internals): the scenario a
/// user porting IOLink code goes through, with the errors IOLINK.md promises for each misuse.
/// </summary>
public class AcceptanceTests
{
    [Theory]
    [InlineData(DataTypeId.UINT16)]
    [InlineData(DataTypeId.VEC3_UINT16)]
    public void Volume_AllocateWriteReadExtractFlipReinterpret(DataTypeId id)
    {
        DataType type = id;
        var components = (int)type.Dimension;
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), type, new ImageProperties(ImageTypeId.VOLUME));
        Assert.Equal("VectorXu64(12, 4, 6)", volume.Shape.ToString());
        Assert.Equal(id.ToString(), volume.DataType.ToString());
        Assert.True(volume.Support(ImageCapability.READ | ImageCapability.WRITE | ImageCapability.MEMORY_ACCESS));

        var region = new RegionXu64(new VectorXu64(1, 1, 1), new VectorXu64(3, 2, 4));
        var values = new ushort[3 * 2 * 4 * components];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(i + 1);
        }

        volume.WriteRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));
        var back = new ushort[values.Length];
        volume.ReadRegion(region, MemoryMarshal.AsBytes(back.AsSpan()));
        Assert.Equal(values, back);

        using var extracted = ImageViewFactory.ExtractRegion(volume, region);
        Assert.Equal(region.Size, extracted.Shape);
        var first = new byte[type.ByteCount];
        extracted.Read(new VectorXu64(0, 0, 0), first);
        Assert.Equal(1, BitConverter.ToUInt16(first));

        using var flipped = ImageViewFactory.FlipDimension(extracted, ImageDimension.SLICE);
        flipped.Read(new VectorXu64(0, 0, 3), first);
        Assert.Equal(1, BitConverter.ToUInt16(first));

        if (components > 1)
        {
            using var red = ImageViewFactory.ExtractChannel(volume, 0);
            Assert.Equal((DataType)DataTypeId.UINT16, red.DataType);
            Assert.Equal(1, red.GetValue<ushort>(1, 1, 1));
        }

        using var unknown = ImageViewFactory.Reinterpret(volume, ImageTypeId.UNKNOWN);
        Assert.False(unknown.AxesInterpretation.IsKnown);

        using var renamed = ImageViewFactory.ReinterpretAxes(volume, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
        Assert.Equal(new VectorXu64(6, 4, 12), renamed.Shape);
        Assert.Equal(volume.Buffer, renamed.Buffer);
    }

    [Fact]
    public void EveryMisuse_IsAClearException()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        Check<ArgumentException>(() => ImageViewFactory.Allocate(new VectorXu64(12, 0, 6), DataTypeId.UINT16), "every size is at least 1");
        Check<ArgumentException>(() => volume.GetValue<uint>(0, 0, 0), "UInt32 is 4 byte(s) but one UINT16 element is 2");
        Check<ArgumentOutOfRangeException>(() => volume.GetValue<ushort>(0, 4, 0), "is outside the view of shape VectorXu64(12, 4, 6)");
        Check<ArgumentException>(() => volume.GetValue<ushort>(0, 0), "index has 2 dimension(s) but the view has 3");
        Check<ArgumentOutOfRangeException>(() => volume.ReadRegion(new RegionXu64(new VectorXu64(10, 0, 0), new VectorXu64(3, 1, 1)), new byte[6]),
            "reaches outside the view");
        Check<ArgumentException>(() => volume.ReadRegion(new RegionXu64(new VectorXu64(0, 0, 0), new VectorXu64(3, 1, 1)), new byte[5]),
            "holds 5 byte(s) but 6 are needed");
        Check<ArgumentException>(() => ImageViewFactory.Reinterpret(volume, ImageTypeId.IMAGE), "IMAGE has 2 dimension(s) but the view has 3");
        Check<ArgumentException>(() => ImageViewFactory.FlipDimension(volume, ImageDimension.CHANNEL), "has no CHANNEL dimension");
        Check<ArgumentException>(() => ImageViewFactory.ExtractChannel(volume, 0), "no channel to extract");

        using var uniform = ImageViewFactory.Uniform(new VectorXu64(2, 2), DataTypeId.UINT8, [1]);
        var noMemory = Assert.Throws<NotSupportedException>(() => uniform.Strides);
        Assert.Contains("MEMORY_ACCESS", noMemory.Message, StringComparison.Ordinal);
        var noWrite = Assert.Throws<NotSupportedException>(() => uniform.Write(new VectorXu64(0, 0), [1]));
        Assert.Contains("WRITE", noWrite.Message, StringComparison.Ordinal);
        Check<NotSupportedException>(() => uniform.Reshape(new VectorXu64(4), DataTypeId.UINT8), "needs the RESHAPE capability");

        var disposed = ImageViewFactory.Allocate(new VectorXu64(2), DataTypeId.UINT8);
        disposed.Dispose();
        Check<ObjectDisposedException>(() => disposed.GetValue<byte>(0), "has been disposed");
        Assert.Equal(ImageCapability.NONE, disposed.Capabilities);
    }

    private static void Check<T>(Action action, string fragment)
        where T : Exception
    {
        var ex = Assert.Throws<T>(action);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }
}
