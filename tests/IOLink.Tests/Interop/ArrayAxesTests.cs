using IOLink.Interop;

namespace IOLink.Tests.Interop;

/// <summary>The public axis rules without NumPy: orders, the import of each rule, export mappings and every refusal.</summary>
public sealed class ArrayAxesTests
{
    [Fact]
    public void InNumpyOrder_IsTZYXC()
    {
        Assert.Equal(
            [ImageDimension.SEQUENCE, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL],
            ArrayAxes.InNumpyOrder(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE));
        Assert.Equal([ImageDimension.ROW, ImageDimension.COLUMN], ArrayAxes.InNumpyOrder(ImageTypeId.IMAGE));
        Assert.Empty(ArrayAxes.InNumpyOrder(ImageType.Unknown));
    }

    [Fact]
    public void Import_Rule1_KeepsTheArrayAxes()
    {
        var layout = ArrayAxes.Import([2, 3], [6, 2], DataTypeId.UINT16);
        Assert.Equal(new VectorXu64(2, 3), layout.Shape);
        Assert.Equal([6L, 2], layout.ByteStrides);
        Assert.False(layout.AxesInterpretation.IsKnown);
        Assert.Equal(12, layout.ByteExtent);
    }

    [Fact]
    public void Import_Rules2And4_ReadNumpyOrderAndFoldComponents()
    {
        var layout = ArrayAxes.Import([4, 5, 3], [30, 6, 2], DataTypeId.UINT16, ImageTypeId.IMAGE);
        Assert.Equal(new VectorXu64(5, 4), layout.Shape);
        Assert.Equal([6L, 30], layout.ByteStrides);
        Assert.Equal(DataType.FromId(DataTypeId.VEC3_UINT16), layout.DataType);
        Assert.Equal(ImageTypeId.IMAGE, layout.AxesInterpretation.Id);
        Assert.Equal(120, layout.ByteExtent);
    }

    [Fact]
    public void Import_Rule3_ReordersNamedAxes()
    {
        var layout = ArrayAxes.Import([3, 4, 5], [-80, 20, 4], DataTypeId.FLOAT, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]);
        Assert.Equal(new VectorXu64(4, 5, 3), layout.Shape);
        Assert.Equal([20L, 4, -80], layout.ByteStrides);
        Assert.Equal(-160, layout.LowestByteOffset);
        Assert.Equal(240, layout.ByteExtent);
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, ImageTypeId.VOLUME, "rank 2 does not fit VOLUME, which has 3 dimension(s)")]
    [InlineData(new long[] { 2, 3, 5 }, ImageTypeId.IMAGE, "length 5")]
    [InlineData(new long[] { 2, 3, 4, 5, 6 }, ImageTypeId.IMAGE, "rank 5 does not fit IMAGE")]
    public void Import_Refusals(long[] lengths, ImageTypeId type, string fragment)
    {
        var strides = StridesFor(lengths, 2);
        var ex = Assert.Throws<ArgumentException>(() => ArrayAxes.Import(lengths, strides, DataTypeId.UINT16, type));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Equal("interpretation", ex.ParamName);
    }

    [Fact]
    public void Import_MoreRefusals()
    {
        Assert.Contains("not packed", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 3, 3], [36, 12, 4], DataTypeId.UINT16, ImageTypeId.IMAGE)).Message, StringComparison.Ordinal);
        Assert.Contains("stride is 2 items (4 bytes)", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 3, 3], [36, 12, 4], DataTypeId.UINT16, ImageTypeId.IMAGE)).Message, StringComparison.Ordinal);
        Assert.Contains("no vectors of complex", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 3, 2], [48, 16, 8], DataTypeId.COMPLEX_FLOAT, ImageTypeId.IMAGE)).Message, StringComparison.Ordinal);
        Assert.Contains("0-d", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([], [], DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("no elements", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 0], [1, 1], DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("1 stride(s) were given for an array of 2 axes", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 2], [1], DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("overflow", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([1L << 62, 4], [8, 1L << 61], DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 2], [2, 1], DataTypeId.UINT8, [ImageDimension.ROW, ImageDimension.ROW])).Message, StringComparison.Ordinal);
        var named = Assert.Throws<ArgumentException>(() => ArrayAxes.Import([2, 2, 2], [4, 2, 1], DataTypeId.UINT8, [ImageDimension.ROW], "axes"));
        Assert.Equal("axes", named.ParamName);
        Assert.Contains("does not fit [ROW]", named.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_FollowsRules6To8()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var plain = ArrayAxes.Export(volume);
        Assert.Equal([2, 1, 0, ArrayAxes.ComponentAxis], plain.Dimensions.ToArray());
        Assert.Equal([6L, 4, 12, 3], plain.Lengths.ToArray());
        Assert.Equal([288L, 72, 6, 2], plain.ByteStrides.ToArray());
        Assert.Equal(DataType.FromId(DataTypeId.UINT16), plain.ItemType);
        Assert.Equal(volume.ByteCount, plain.ByteExtent);
        Assert.True(plain.HasComponentAxis);

        var ordered = ArrayAxes.Export(volume, [ImageDimension.CHANNEL, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]);
        Assert.Equal([ArrayAxes.ComponentAxis, 2, 0, 1], ordered.Dimensions.ToArray());
        using var unknown = ImageViewFactory.Reinterpret(volume, ImageTypeId.UNKNOWN);
        Assert.Equal([0, 1, 2, ArrayAxes.ComponentAxis], ArrayAxes.Export(unknown).Dimensions.ToArray());
        Assert.Equal([2, 1, 0], ArrayAxes.Export(volume, componentAxis: false).Dimensions.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => ArrayAxes.Export(volume, [ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW]));
        Assert.Contains("misses CHANNEL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UNKNOWN", Assert.Throws<ArgumentException>(() => ArrayAxes.Export(unknown, [ImageDimension.COLUMN])).Message, StringComparison.Ordinal);
        Assert.Contains("names SLICE twice", Assert.Throws<ArgumentException>(() =>
            ArrayAxes.Export(volume, [ImageDimension.SLICE, ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_IsComputedOnceWhileLayoutAndAxesStay()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(4, 3, 2), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME));
        var first = ArrayAxes.Export(view);
        Assert.Same(first, ArrayAxes.Export(view));
        Assert.NotSame(first, ArrayAxes.Export(view, componentAxis: true));

        view.Properties.AxesInterpretation = ImageTypeId.MULTISPECTRAL_IMAGE;
        var renamed = ArrayAxes.Export(view);
        Assert.NotSame(first, renamed);
        Assert.Equal([1, 0, 2], renamed.Dimensions.ToArray());

        view.Reshape(new VectorXu64(6, 4), DataTypeId.UINT8);
        var reshaped = ArrayAxes.Export(view);
        Assert.Equal([6L, 4], reshaped.Lengths.ToArray());
        Assert.Equal([1L, 6], reshaped.ByteStrides.ToArray());
    }

    [Fact]
    public void Export_OfAViewWithoutMemory_HasLengthsButNoStrides()
    {
        using var uniform = ImageViewFactory.Uniform(new VectorXu64(3, 2), DataTypeId.UINT8, [1]);
        using var image = ImageViewFactory.Reinterpret(uniform, ImageTypeId.IMAGE);
        var array = ArrayAxes.Export(image);
        Assert.Equal([2L, 3], array.Lengths.ToArray());
        Assert.False(array.HasByteStrides);
        Assert.True(array.ByteStrides.IsEmpty);
        Assert.Null(array.ByteExtent);
    }

    [Fact]
    public void ToViewOrder_PutsComponentsLast()
    {
        using var volume = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.VEC3_UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var array = ArrayAxes.Export(volume);
        Assert.Equal([10L, 20, 30, 40], array.ToViewOrder([30, 20, 10, 40]));
        Assert.Throws<ArgumentException>(() => array.ToViewOrder([1]));
    }

    [Fact]
    public void FromBuffer_WithAViewLayout_IsTheOneWrap()
    {
        var data = new ushort[12];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (ushort)i;
        }

        unsafe
        {
            fixed (ushort* p = data)
            {
                // A C-order (3, 4) array read as an IMAGE: 4 columns, 3 rows.
                var layout = ArrayAxes.Import([3, 4], [8, 2], DataTypeId.UINT16, ImageTypeId.IMAGE);
                using var view = ImageViewFactory.FromBuffer((nint)p, layout.ByteExtent, layout, owner: null);
                Assert.Equal(new VectorXu64(4, 3), view.Shape);
                Assert.Equal(ImageTypeId.IMAGE, view.AxesInterpretation.Id);
                Assert.Equal(6, view.GetValue<ushort>(2, 1));
                view.SetValue((ushort)99, 3, 2);
                Assert.Equal(99, data[11]);
                var address = (nint)p;
                var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(address, 10, layout, owner: null));
                Assert.Contains("outside the 10-byte memory", ex.Message, StringComparison.Ordinal);
            }
        }
    }

    private sealed class Owner : IDisposable
    {
        public int Disposals { get; private set; }

        public void Dispose() => Disposals++;
    }

    [Fact]
    public unsafe void FromBuffer_WithAnOwner_DisposesItWithTheLastView_AndNotOnFailure()
    {
        var data = new byte[16];
        fixed (byte* p = data)
        {
            var owner = new Owner();
            var view = ImageViewFactory.FromBuffer((nint)p, 16, new VectorXu64(4, 4), DataTypeId.UINT8, null, owner);
            var region = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(1, 1), new VectorXu64(2, 2)));
            view.Dispose();
            Assert.Equal(0, owner.Disposals);
            region.Dispose();
            Assert.Equal(1, owner.Disposals);

            var kept = new Owner();
            var address = (nint)p;
            Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(address, 8, new VectorXu64(4, 4), DataTypeId.UINT8, null, kept));
            Assert.Equal(0, kept.Disposals);
            Assert.Throws<ArgumentNullException>(() => ImageViewFactory.FromBuffer(address, 16, new VectorXu64(4, 4), DataTypeId.UINT8, null, null!));
        }
    }

    private static long[] StridesFor(long[] lengths, long item)
    {
        var strides = new long[lengths.Length];
        for (var i = lengths.Length - 1; i >= 0; i--)
        {
            strides[i] = item;
            item *= lengths[i];
        }

        return strides;
    }
}
