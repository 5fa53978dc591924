using IOLink.Interop;

namespace IOLink.PublicApi.Tests;

/// <summary>One value for what is known of an array's axes, and the one place a bool array becomes BINARY.</summary>
public sealed class AxisSpecTests
{
    private static readonly long[] Lengths = [2, 3, 4];
    private static readonly long[] Strides = StridedMemory.DenseByteStrides(Lengths, 1, cOrder: true);

    [Fact]
    public void Each_kind_of_spec_applies_its_rule()
    {
        var plain = AxisSpec.Unknown.Import(Lengths, Strides, DataTypeId.UINT8);
        Assert.Equal(new VectorXu64(2, 3, 4), plain.Shape);
        Assert.False(plain.AxesInterpretation.IsKnown);

        AxisSpec volume = ImageTypeId.VOLUME;
        var rule2 = volume.Import(Lengths, Strides, DataTypeId.UINT8);
        Assert.Equal(new VectorXu64(4, 3, 2), rule2.Shape);

        AxisSpec named = new[] { ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW };
        var rule3 = named.Import(Lengths, Strides, DataTypeId.UINT8);
        Assert.Equal(new VectorXu64(3, 4, 2), rule3.Shape);
        Assert.Equal([ImageDimension.SLICE, ImageDimension.COLUMN, ImageDimension.ROW], named.ExportOrder(3));
        Assert.Null(volume.ExportOrder(3));
    }

    [Fact]
    public void Specs_compare_by_what_they_say()
    {
        Assert.True(AxisSpec.Unknown.IsUnknown);
        Assert.True(AxisSpec.Of(ImageType.Unknown).IsUnknown);
        Assert.Equal(AxisSpec.Of(ImageTypeId.IMAGE), (AxisSpec)ImageTypeId.IMAGE);
        Assert.Equal(AxisSpec.Named(ImageDimension.ROW, ImageDimension.COLUMN), AxisSpec.Named(ImageDimension.ROW, ImageDimension.COLUMN));
        Assert.NotEqual(AxisSpec.Named(ImageDimension.ROW, ImageDimension.COLUMN), AxisSpec.Named(ImageDimension.COLUMN, ImageDimension.ROW));
        Assert.True(AxisSpec.Named(ImageDimension.ROW) != AxisSpec.Unknown);
        Assert.Throws<ArgumentNullException>(() => AxisSpec.Named(null!));
        // The names are copied: changing the caller's array later changes nothing.
        var names = new[] { ImageDimension.ROW };
        var spec = AxisSpec.Named(names);
        names[0] = ImageDimension.SLICE;
        Assert.Equal(ImageDimension.ROW, spec.Names![0]);
    }

    [Fact]
    public void A_spec_that_does_not_fit_names_its_parameter()
    {
        // Three axes for IMAGE: the last would be vector components, but 5 is too long for them.
        var ex = Assert.Throws<ArgumentException>(() => AxisSpec.Of(ImageTypeId.IMAGE).Import([2, 3, 5], [15, 5, 1], DataTypeId.UINT8));
        Assert.Equal("type", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => AxisSpec.Named(ImageDimension.ROW).Import(Lengths, Strides, DataTypeId.UINT8));
        Assert.Equal("axes", ex.ParamName);
    }

    [Fact]
    public void A_bool_array_is_binary_through_the_layout_and_its_views()
    {
        var layout = AxisSpec.Unknown.Import(Lengths, Strides, DataTypeId.UINT8, isBool: true);
        Assert.Equal(ImageInterpretation.BINARY, layout.ImageInterpretation);
        Assert.Equal(ImageInterpretation.BINARY, layout.NewProperties().ImageInterpretation);
        Assert.Equal(ImageInterpretation.UNKNOWN, AxisSpec.Unknown.Import(Lengths, Strides, DataTypeId.UINT8).ImageInterpretation);
        var memory = new byte[24];
        unsafe
        {
            fixed (byte* p = memory)
            {
                using var view = ImageViewFactory.FromBuffer((nint)p, memory.Length, layout, owner: null);
                Assert.Equal(ImageInterpretation.BINARY, view.ImageInterpretation);
            }
        }
    }

    [Fact]
    public void NpyFile_takes_a_spec_in_each_of_its_opens()
    {
        var path = Path.Combine(Path.GetTempPath(), $"iolink-spec-{Guid.NewGuid():N}.npy");
        try
        {
            using (var source = ImageViewFactory.Allocate(new VectorXu64(4, 3, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
            {
                NpyFile.Write(source, path);
            }

            AxisSpec spec = ImageTypeId.VOLUME;
            using var read = NpyFile.Read(path, spec);
            using var mapped = NpyFile.OpenMapped(path, false, spec);
            using var opened = NpyFile.Open(path, spec);
            using var plain = NpyFile.Open(path, AxisSpec.Unknown);
            Assert.All(new[] { read, mapped, opened }, v => Assert.Equal(new VectorXu64(4, 3, 2), v.Shape));
            Assert.Equal(new VectorXu64(2, 3, 4), plain.Shape);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
