using System.Runtime.InteropServices;
using IOLink.Conformance;

namespace IOLink.PublicApi.Tests;

/// <summary>The factory's lazy adapters: value maps, channels, adjusted regions, serialized access, new properties.</summary>
public sealed class AdapterTests
{
    private static ImageView Of<T>(T[] values, VectorXu64 shape, DataType type, ImageTypeId axes)
        where T : unmanaged
    {
        var view = ImageViewFactory.Allocate(shape, type, new ImageProperties(axes));
        view.WriteRegion(RegionXu64.CreateFullRegion(shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return view;
    }

    private static T[] All<T>(ImageView view)
        where T : unmanaged
    {
        var values = new T[view.ElementCount * view.DataType.Dimension];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    [Fact]
    public void AdaptDataType_maps_integer_ranges_onto_each_other_and_writes_back_through_the_inverse()
    {
        using var bytes = Of(new byte[] { 0, 1, 128, 255 }, new VectorXu64(4), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        using var wide = ImageViewFactory.AdaptDataType(bytes, DataTypeId.UINT16);
        Assert.Equal(DataType.FromId(DataTypeId.UINT16), wide.DataType);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, wide.Capabilities);
        Assert.Equal([0, 257, 32896, 65535], All<ushort>(wide));

        // Written through: 65535 is 255 in the source; 300 rounds to 1; every value is clamped to the source's range.
        wide.SetValue<ushort>(300, 0);
        wide.SetValue<ushort>(65535, 1);
        Assert.Equal([1, 255, 128, 255], All<byte>(bytes));

        using var signed = Of(new sbyte[] { -128, -1, 0, 127 }, new VectorXu64(4), DataTypeId.INT8, ImageTypeId.UNKNOWN);
        using var unsigned = ImageViewFactory.AdaptDataType(signed, DataTypeId.UINT8);
        Assert.Equal([0, 127, 128, 255], All<byte>(unsigned));
        using var narrow = ImageViewFactory.AdaptDataType(wide, DataTypeId.UINT8);
        Assert.Equal([1, 255, 128, 255], All<byte>(narrow));
    }

    [Fact]
    public void AdaptDataType_keeps_values_into_floating_point_and_rounds_and_clamps_out_of_it()
    {
        using var counts = Of(new ushort[] { 0, 7, 65535 }, new VectorXu64(3), DataTypeId.UINT16, ImageTypeId.UNKNOWN);
        using var floats = ImageViewFactory.AdaptDataType(counts, DataTypeId.FLOAT);
        Assert.Equal([0f, 7f, 65535f], All<float>(floats));

        // 9 values take the vector path for 8 of them and the scalar one for the last: both round half to even.
        var real = new float[] { 2.5f, 3.5f, -5f, 300f, float.NaN, 254.6f, 0.49f, 1e30f, 2.5f };
        using var source = Of(real, new VectorXu64(9), DataTypeId.FLOAT, ImageTypeId.UNKNOWN);
        using var pixels = ImageViewFactory.AdaptDataType(source, DataTypeId.UINT8);
        Assert.Equal([2, 4, 0, 255, 0, 255, 0, 255, 2], All<byte>(pixels));
        using var shorts = ImageViewFactory.AdaptDataType(source, DataTypeId.INT16);
        Assert.Equal([2, 4, -5, 300, 0, 255, 0, 32767, 2], All<short>(shorts));
        using var doubles = ImageViewFactory.AdaptDataType(source, DataTypeId.DOUBLE);
        Assert.True(double.IsNaN(All<double>(doubles)[4]));

        using var mask = Of(new byte[] { 0, 1 }, new VectorXu64(2), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        mask.Properties.ImageInterpretation = ImageInterpretation.BINARY;
        using var shown = ImageViewFactory.AdaptDataType(mask, DataTypeId.UINT16);
        Assert.Equal([0, 65535], All<ushort>(shown));
        Assert.Equal(ImageInterpretation.GRAYSCALE, shown.ImageInterpretation);
    }

    [Fact]
    public void AdaptDataType_maps_vectors_per_component_and_refuses_what_it_cannot_map()
    {
        using var rgb = Of(new byte[] { 0, 128, 255, 1, 2, 3 }, new VectorXu64(2), DataTypeId.VEC3_UINT8, ImageTypeId.UNKNOWN);
        using var wide = ImageViewFactory.AdaptDataType(rgb, DataTypeId.UINT16);
        Assert.Equal(DataType.FromId(DataTypeId.VEC3_UINT16), wide.DataType);
        Assert.Equal([0, 32896, 65535, 257, 514, 771], All<ushort>(wide));

        Assert.Throws<ArgumentException>(() => ImageViewFactory.AdaptDataType(rgb, DataTypeId.VEC2_UINT16));
        using var complex = ImageViewFactory.Allocate(new VectorXu64(2), DataTypeId.COMPLEX_FLOAT);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.AdaptDataType(complex, DataTypeId.FLOAT));
        Assert.Contains("complex", ex.Message, StringComparison.Ordinal);
        rgb.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ImageViewFactory.AdaptDataType(rgb, DataTypeId.UINT16));
    }

    [Fact]
    public void AdaptDynamicRange_is_a_clamped_linear_map_on_every_path()
    {
        // 1000 values in a flipped (strided) memory view, a computed view and a contiguous one, on one and on two threads.
        var random = new Random(7);
        var values = Enumerable.Range(0, 40 * 25).Select(_ => (float)((random.NextDouble() * 1200) - 100)).ToArray();
        using var dense = Of(values, new VectorXu64(40, 25), DataTypeId.FLOAT, ImageTypeId.IMAGE);
        using var flipped = ImageViewFactory.FlipDimension(dense, 0);
        using var computed = new ExtensionViewTests.ArrayBacked(values, 40);
        (double, double) input = (100, 600), output = (10, 250);
        double s = (output.Item2 - output.Item1) / (input.Item2 - input.Item1), o = output.Item1 - (input.Item1 * s);
        byte Expected(float v) => (byte)Math.Round(Math.Clamp((v * s) + o, 10, 250), MidpointRounding.ToEven);

        var expected = values.Select(Expected).ToArray();
        foreach (var view in new ImageView[] { dense, computed })
        {
            using var mapped = ImageViewFactory.AdaptDynamicRange(view, DataTypeId.UINT8, input, output);
            Assert.Equal(expected, All<byte>(mapped));
        }

        using var mappedFlip = ImageViewFactory.AdaptDynamicRange(flipped, DataTypeId.UINT8, input, output);
        var flippedExpected = new byte[values.Length];
        for (var y = 0; y < 25; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                flippedExpected[(y * 40) + x] = expected[(y * 40) + (39 - x)];
            }
        }

        Assert.Equal(flippedExpected, All<byte>(mappedFlip));

        // A constant output range has no inverse: READ only.
        using var constant = ImageViewFactory.AdaptDynamicRange(dense, DataTypeId.UINT8, input, (7, 7));
        Assert.Equal(ImageCapability.READ, constant.Capabilities);
        Assert.All(All<byte>(constant), v => Assert.Equal(7, v));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.AdaptDynamicRange(dense, DataTypeId.UINT8, (5, 5), output));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.AdaptDynamicRange(dense, DataTypeId.UINT8, (0, double.NaN), output));
    }

    [Fact]
    public void A_large_mapped_read_cut_into_parts_equals_the_serial_one_and_writes_reach_the_source()
    {
        var random = new Random(3);
        var values = new ushort[128 * 128 * 64];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)random.Next(65536);
        }

        using var volume = Of(values, new VectorXu64(128, 128, 64), DataTypeId.UINT16, ImageTypeId.VOLUME);
        using var mapped = ImageViewFactory.AdaptDataType(volume, DataTypeId.UINT8);
        var parallel = All<byte>(mapped);
        var degree = CopyParallelism.MaxDegreeOfParallelism;
        byte[] serial;
        try
        {
            CopyParallelism.MaxDegreeOfParallelism = 1;
            serial = All<byte>(mapped);
        }
        finally
        {
            CopyParallelism.MaxDegreeOfParallelism = degree;
        }

        Assert.Equal(serial, parallel);
        Assert.Equal(values.Select(v => (byte)Math.Round(v / 257.0, MidpointRounding.ToEven)), parallel);

        var ones = new byte[parallel.Length];
        Array.Fill(ones, (byte)2);
        mapped.WriteRegion(RegionXu64.CreateFullRegion(mapped.Shape), ones);
        Assert.All(All<ushort>(volume), v => Assert.Equal(514, v));
    }

    [Fact]
    public void Adapters_carry_the_calibration_and_metadata_of_their_source()
    {
        using var volume = Of(new ushort[8], new VectorXu64(2, 2, 2), DataTypeId.UINT16, ImageTypeId.VOLUME);
        volume.Properties.SpatialSpacing = [0.5, 0.25, 2];
        volume.Properties.SpatialOrigin = [1, 2, 3];
        volume.Properties.SpatialUnit = "mm";
        volume.Properties.ValueRange = (0, 65535);
        volume.Metadata.Add("scanner", "lab");
        using var mapped = ImageViewFactory.AdaptDataType(volume, DataTypeId.UINT8);
        Assert.Equal([0.5, 0.25, 2], mapped.Properties.SpatialSpacing);
        Assert.Equal([1.0, 2, 3], mapped.Properties.SpatialOrigin);
        Assert.Equal("mm", mapped.Properties.SpatialUnit);
        Assert.Equal((0.0, 255.0), mapped.Properties.ValueRange);
        Assert.Equal(ImageTypeId.VOLUME, mapped.AxesInterpretation.Id);
        Assert.Equal("lab", mapped.Metadata.Find("scanner")?.Value);
        using var safe = ImageViewFactory.MakeThreadSafe(volume);
        Assert.Equal("mm", safe.Properties.SpatialUnit);
    }

    [Fact]
    public void Interlace_makes_components_of_scalar_views_and_writes_each_back()
    {
        using var r = Of(new byte[] { 1, 2 }, new VectorXu64(2), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        using var g = Of(new byte[] { 3, 4 }, new VectorXu64(2), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        using var b = Of(new byte[] { 5, 6 }, new VectorXu64(2), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        using var rgb = ImageViewFactory.Interlace([r, g, b]);
        Assert.Equal(DataType.FromId(DataTypeId.VEC3_UINT8), rgb.DataType);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, rgb.Capabilities);
        Assert.Equal([1, 3, 5, 2, 4, 6], All<byte>(rgb));
        rgb.WriteRegion(new RegionXu64(new VectorXu64(1), new VectorXu64(1)), new byte[] { 7, 8, 9 });
        Assert.Equal([1, 7], All<byte>(r));
        Assert.Equal([3, 8], All<byte>(g));
        Assert.Equal([5, 9], All<byte>(b));

        using var other = Of(new byte[] { 1, 2, 3 }, new VectorXu64(3), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.Interlace([r, other]));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.Interlace([rgb]));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.Interlace([]));
    }

    [Fact]
    public void Assembling_adjacent_channels_shares_memory_and_other_layouts_are_lazy()
    {
        // (C, X, Y) in canonical order with C first: each element's channels are adjacent, as in NumPy's (Y, X, C).
        var values = Enumerable.Range(0, 3 * 4 * 2).Select(i => (byte)i).ToArray();
        using var adjacent = Of(values, new VectorXu64(3, 4, 2), DataTypeId.UINT8, ImageTypeId.UNKNOWN);
        using var named = ImageViewFactory.ReinterpretAxes(adjacent, ImageDimension.CHANNEL, ImageDimension.COLUMN, ImageDimension.ROW);
        Assert.Equal(new VectorXu64(4, 2, 3), named.Shape);
        using var rgb = ImageViewFactory.AssembleChannels(named);
        Assert.Equal(DataType.FromId(DataTypeId.VEC3_UINT8), rgb.DataType);
        Assert.Equal(ImageTypeId.IMAGE, rgb.AxesInterpretation.Id);
        Assert.True(rgb.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(values, All<byte>(rgb));
        rgb.Write(new VectorXu64(1, 0), new byte[] { 90, 91, 92 });
        Assert.Equal([90, 91, 92], All<byte>(adjacent)[3..6]);

        // (X, Y, C) with C last: channels are planes apart, so the result is computed.
        using var planar = Of(values, new VectorXu64(4, 2, 3), DataTypeId.UINT8, ImageTypeId.MULTISPECTRAL_IMAGE);
        using var lazy = ImageViewFactory.AssembleChannels(planar);
        Assert.False(lazy.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, lazy.Capabilities);
        Assert.Equal([0, 8, 16, 1, 9, 17], All<byte>(lazy)[..6]);
        lazy.WriteRegion(new RegionXu64(new VectorXu64(0, 0), new VectorXu64(1, 1)), new byte[] { 100, 101, 102 });
        Assert.Equal((byte)101, planar.GetValue<byte>(0, 0, 1));

        Assert.Throws<ArgumentException>(() => ImageViewFactory.AssembleChannels(adjacent));
    }

    [Fact]
    public void Disassembling_components_makes_a_channel_dimension_in_its_canonical_place()
    {
        var values = Enumerable.Range(0, 2 * 2 * 3 * 3).Select(i => (ushort)i).ToArray();
        using var sequence = Of(values, new VectorXu64(2, 2, 3), DataTypeId.VEC3_UINT16, ImageTypeId.IMAGE_SEQUENCE);
        using var channels = ImageViewFactory.DisassembleChannels(sequence);
        Assert.Equal(ImageTypeId.MULTISPECTRAL_IMAGE_SEQUENCE, channels.AxesInterpretation.Id);
        Assert.Equal(new VectorXu64(2, 2, 3, 3), channels.Shape);
        Assert.Equal(DataType.FromId(DataTypeId.UINT16), channels.DataType);
        Assert.True(channels.Support(ImageCapability.MEMORY_ACCESS));
        // Element (x=1, y=0, t=2) component 2.
        Assert.Equal(values[(((2 * 4) + 1) * 3) + 2], channels.GetValue<ushort>(1, 0, 2, 2));
        channels.SetValue<ushort>(999, 1, 0, 2, 2);
        Assert.Equal((ushort)999, All<ushort>(sequence)[(((2 * 4) + 1) * 3) + 2]);

        // The same through a view with no memory access: computed, same values, writes through.
        using var remote = ImageViewFactory.MakeThreadSafe(sequence);
        using var lazy = ImageViewFactory.DisassembleChannels(remote);
        Assert.False(lazy.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(channels.Shape, lazy.Shape);
        Assert.Equal(ImageTypeId.MULTISPECTRAL_IMAGE_SEQUENCE, lazy.AxesInterpretation.Id);
        Assert.Equal(All<ushort>(channels), All<ushort>(lazy));
        lazy.SetValue<ushort>(4242, 0, 1, 1, 0);
        Assert.Equal((ushort)4242, channels.GetValue<ushort>(0, 1, 1, 0));

        using var assembled = ImageViewFactory.AssembleChannels(lazy);
        Assert.Equal(All<ushort>(sequence), All<ushort>(assembled));
        Assert.Throws<ArgumentException>(() => ImageViewFactory.DisassembleChannels(channels));
    }

    [Fact]
    public void ExtractAdjustedRegion_clips_to_the_view_and_refuses_a_region_outside_it()
    {
        using var image = Of(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray(), new VectorXu64(5, 4), DataTypeId.UINT8, ImageTypeId.IMAGE);
        image.Properties.SpatialSpacing = [2, 2, 1];
        using var part = ImageViewFactory.ExtractAdjustedRegion(image, new RegionXu64(new VectorXu64(3, 2), new VectorXu64(10, 10)));
        Assert.Equal(new VectorXu64(2, 2), part.Shape);
        Assert.Equal([13, 14, 18, 19], All<byte>(part));
        Assert.Equal([6.0, 4, 0], part.Properties.SpatialOrigin);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.ExtractAdjustedRegion(image, new RegionXu64(new VectorXu64(5, 0), new VectorXu64(2, 2))));
        Assert.Contains("does not intersect", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.ExtractAdjustedRegion(image, new RegionXu64(new VectorXu64(0), new VectorXu64(2))));
    }

    /// <summary>A view that notices when two calls overlap.</summary>
    private sealed unsafe class Fragile() : ImageView(new VectorXu64(64, 64), DataTypeId.UINT8)
    {
        private int _inside;

        public int Overlaps;

        protected override ImageCapability CapabilitiesCore => ImageCapability.READ;

        protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
        {
            if (Interlocked.Increment(ref _inside) > 1)
            {
                Interlocked.Increment(ref Overlaps);
            }

            Thread.SpinWait(2000);
            new Span<byte>(dst, (int)(size[0] * size[1])).Fill(1);
            Interlocked.Decrement(ref _inside);
        }
    }

    [Fact]
    public void MakeThreadSafe_serializes_every_call_and_drops_memory_access()
    {
        using var fragile = new Fragile();
        using var safe = ImageViewFactory.MakeThreadSafe(fragile);
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var buffer = new byte[64];
            safe.ReadRegion(new RegionXu64(new VectorXu64(0, (ulong)(i % 64)), new VectorXu64(64, 1)), buffer);
            Assert.All(buffer, v => Assert.Equal(1, v));
        });
        Assert.Equal(0, fragile.Overlaps);

        using var memory = ImageViewFactory.Allocate(new VectorXu64(4), DataTypeId.UINT8);
        using var guarded = ImageViewFactory.MakeThreadSafe(memory);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, guarded.Capabilities);
    }

    [Fact]
    public void FromImageView_shares_the_data_under_new_properties_and_metadata()
    {
        using var image = Of(new float[] { 1, 2, 3, 4 }, new VectorXu64(2, 2), DataTypeId.FLOAT, ImageTypeId.IMAGE);
        var properties = new ImageProperties(ImageTypeId.IMAGE) { SpatialUnit = "um", SpatialSpacing = [0.1, 0.2, 1] };
        var metadata = new MetadataNode("metadata");
        metadata.Add("stain", "DAPI");
        using var described = ImageViewFactory.FromImageView(image, properties, metadata);
        Assert.True(described.Support(ImageCapability.MEMORY_ACCESS | ImageCapability.WRITE));
        Assert.Equal("um", described.Properties.SpatialUnit);
        Assert.Equal("DAPI", described.Metadata.Find("stain")?.Value);
        Assert.Null(image.Metadata.Find("stain"));
        properties.SpatialUnit = "changed later";
        Assert.Equal("um", described.Properties.SpatialUnit);
        described.SetValue(9f, 1, 1);
        Assert.Equal(9f, image.GetValue<float>(1, 1));

        Assert.Throws<ArgumentException>(() => ImageViewFactory.FromImageView(image, new ImageProperties(ImageTypeId.VOLUME)));
    }
}

public sealed class AdaptedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        var values = Enumerable.Range(0, 7 * 5 * 3).Select(i => (byte)i).ToArray();
        using var bytes = ImageViewFactory.Allocate(new VectorXu64(7, 5, 3), DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME));
        bytes.WriteRegion(RegionXu64.CreateFullRegion(bytes.Shape), values);
        return ImageViewFactory.AdaptDataType(bytes, DataTypeId.UINT16);
    }
}

public sealed class InterlacedViewConformance : ImageViewConformance
{
    protected override ImageView CreateView()
    {
        using var a = new ExtensionViewTests.ArrayBacked(Enumerable.Range(0, 48).Select(i => i * 1.5f).ToArray(), 8);
        using var b = new ExtensionViewTests.ArrayBacked(Enumerable.Range(0, 48).Select(i => i * -2f).ToArray(), 8);
        // Named axes: a vector view with UNKNOWN axes is exported to .npy in view order (rule 7), which reads back as a different 3-D view.
        using var imageA = ImageViewFactory.Reinterpret(a, ImageTypeId.IMAGE);
        using var imageB = ImageViewFactory.Reinterpret(b, ImageTypeId.IMAGE);
        return ImageViewFactory.Interlace([imageA, imageB]);
    }
}
