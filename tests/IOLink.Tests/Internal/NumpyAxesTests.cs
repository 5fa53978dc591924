using IOLink.Internal;

namespace IOLink.Tests.Internal;

public class NumpyAxesTests
{
    [Fact]
    public void InNumpyOrder_IsTZYXC()
    {
        Assert.Equal(
            [ImageDimension.SEQUENCE, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL],
            NumpyAxes.InNumpyOrder(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE));
        Assert.Equal([ImageDimension.ROW, ImageDimension.COLUMN], NumpyAxes.InNumpyOrder(ImageTypeId.IMAGE));
    }

    [Fact]
    public void ForExport_FollowsRules6To8()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        Assert.Equal([2, 1, 0, NumpyAxes.Components], NumpyAxes.ForExport(volume, null, "order"));
        Assert.Equal([NumpyAxes.Components, 2, 0, 1],
            NumpyAxes.ForExport(volume, [ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW], "order"));
        using var unknown = ImageViewFactory.Reinterpret(volume, ImageTypeId.UNKNOWN);
        Assert.Equal([0, 1, 2, NumpyAxes.Components], NumpyAxes.ForExport(unknown, null, "order"));
        var ex = Assert.Throws<ArgumentException>(() => NumpyAxes.ForExport(volume, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW], "order"));
        Assert.Contains("misses CHANNEL", ex.Message, StringComparison.Ordinal);
    }
}
