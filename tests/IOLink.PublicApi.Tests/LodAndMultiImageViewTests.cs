using System.Runtime.InteropServices;

namespace IOLink.PublicApi.Tests;

/// <summary>Multi-resolution views and collections of frames, as IOLink's model describes them.</summary>
public sealed class LodAndMultiImageViewTests
{
    private static ImageView Volume(ulong x, ulong y, ulong z, double spacing)
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(x, y, z), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        view.Properties.SpatialSpacing = [spacing, spacing, spacing];
        var values = Enumerable.Range(0, (int)(x * y * z)).Select(i => (ushort)i).ToArray();
        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        return view;
    }

    [Fact]
    public void A_list_of_levels_gives_each_level_with_its_calibration_and_names_the_range_otherwise()
    {
        using var full = Volume(16, 12, 8, 0.5);
        using var half = Volume(8, 6, 4, 1.0);
        using var quarter = Volume(4, 3, 2, 2.0);
        using var lod = LodImageViewFactory.FromViews([full, half, quarter]);
        Assert.Equal((0, 2), lod.LevelRange());
        Assert.Equal(3, lod.LevelCount);
        using (var level = lod.Resolution(1))
        {
            Assert.Equal(new VectorXu64(8, 6, 4), level.Shape);
            Assert.Equal(1.0, level.Properties.SpatialSpacing[0]);
            // The level is the caller's view's data: a write through one is seen through the other.
            level.SetValue<ushort>(777, 1, 1, 1);
            Assert.Equal((ushort)777, half.GetValue<ushort>(1, 1, 1));
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => lod.Resolution(3));
        Assert.Contains("levels 0 to 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => lod.Resolution(-1));
        Assert.Contains("levels 0 to 2", lod.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_outlive_the_multi_resolution_view_and_the_callers_views()
    {
        ImageView level;
        using (var full = Volume(4, 4, 4, 1))
        {
            var lod = LodImageViewFactory.FromViews([full]);
            level = lod.Resolution(0);
            lod.Dispose();
            lod.Dispose();
            Assert.Throws<ObjectDisposedException>(() => lod.Resolution(0));
            Assert.Throws<ObjectDisposedException>(() => lod.LevelRange());
        }

        Assert.Equal((ushort)63, level.GetValue<ushort>(3, 3, 3));
        level.Dispose();
    }

    [Fact]
    public void Levels_that_are_not_resolutions_of_one_image_are_refused()
    {
        using var full = Volume(8, 8, 8, 1);
        using var same = Volume(8, 8, 8, 1);
        using var larger = Volume(16, 4, 4, 1);
        using var image = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        using var floats = ImageViewFactory.Allocate(new VectorXu64(4, 4, 4), DataTypeId.FLOAT, new ImageProperties(ImageTypeId.VOLUME));
        Assert.Contains("at least one level", Assert.Throws<ArgumentException>(() => LodImageViewFactory.FromViews([])).Message, StringComparison.Ordinal);
        Assert.Contains("coarser than the one before", Assert.Throws<ArgumentException>(() => LodImageViewFactory.FromViews([full, same])).Message, StringComparison.Ordinal);
        Assert.Contains("larger than level 0", Assert.Throws<ArgumentException>(() => LodImageViewFactory.FromViews([full, larger])).Message, StringComparison.Ordinal);
        Assert.Contains("same data type and axes", Assert.Throws<ArgumentException>(() => LodImageViewFactory.FromViews([full, image])).Message, StringComparison.Ordinal);
        Assert.Contains("same data type and axes", Assert.Throws<ArgumentException>(() => LodImageViewFactory.FromViews([full, floats])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => LodImageViewFactory.FromViews([full, null!]));
    }

    [Fact]
    public void A_collection_of_frames_gives_adds_inserts_replaces_and_removes_them()
    {
        using var a = Volume(2, 2, 2, 1);
        using var b = ImageViewFactory.Allocate(new VectorXu64(5, 3), DataTypeId.FLOAT);
        using var c = Volume(3, 1, 1, 1);
        using var frames = MultiImageViewFactory.FromViews([a, b]);
        Assert.Equal(2, frames.Count);
        Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, frames.Capabilities);
        frames.Add(c);
        frames.Insert(0, b);
        Assert.Equal(4, frames.Count);
        using (var first = frames.At(0))
        {
            Assert.Equal(new VectorXu64(5, 3), first.Shape);
        }

        frames.Remove(0);
        frames.Set(1, a);
        using (var second = frames.At(1))
        {
            Assert.Equal(a.Shape, second.Shape);
            second.SetValue<ushort>(9, 0, 0, 0);
            Assert.Equal((ushort)9, a.GetValue<ushort>(0, 0, 0));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => frames.At(3));
        Assert.Contains("from 0 to 3", Assert.Throws<ArgumentOutOfRangeException>(() => frames.Insert(4, a)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => frames.Remove(-1));
    }

    [Fact]
    public void A_read_only_collection_refuses_changes_and_a_disposed_one_everything()
    {
        using var a = Volume(2, 2, 2, 1);
        var frames = MultiImageViewFactory.FromViews([a], writable: false);
        Assert.Equal(ImageCapability.READ, frames.Capabilities);
        Assert.Throws<NotSupportedException>(() => frames.Add(a));
        Assert.Throws<NotSupportedException>(() => frames.Remove(0));
        var kept = frames.At(0);
        frames.Dispose();
        Assert.Equal(ImageCapability.NONE, frames.Capabilities);
        Assert.Throws<ObjectDisposedException>(() => frames.Count);
        Assert.Throws<ObjectDisposedException>(() => frames.At(0));
        Assert.Equal((ushort)7, kept.GetValue<ushort>(1, 1, 1));
        kept.Dispose();
        using var empty = MultiImageViewFactory.FromViews([]);
        Assert.Contains("no frames", Assert.Throws<ArgumentOutOfRangeException>(() => empty.At(0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mean_pyramid_averages_each_window_rounds_integers_and_follows_its_source()
    {
        // 5 x 3 UINT8 image: (x, y) holds 10 y + x.
        using var image = ImageViewFactory.Allocate(new VectorXu64(5, 3), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE));
        var values = Enumerable.Range(0, 15).Select(i => (byte)((10 * (i / 5)) + (i % 5))).ToArray();
        image.WriteRegion(RegionXu64.CreateFullRegion(image.Shape), values);
        image.Properties.SpatialSpacing = [0.5, 0.5, 1];
        using var lod = LodImageViewFactory.Downsample(image, 3);
        using var half = lod.Resolution(1);
        Assert.Equal(new VectorXu64(3, 2), half.Shape);
        Assert.Equal(ImageCapability.READ, half.Capabilities);
        var read = new byte[6];
        half.ReadRegion(RegionXu64.CreateFullRegion(half.Shape), read);
        // (0,0): 0,1,10,11 -> 5.5 -> 6; (2,0): 4,14 -> 9; (0,1): 20,21 -> 20.5 -> 21; (2,1): 24.
        Assert.Equal(new byte[] { 6, 8, 9, 21, 23, 24 }, read);
        Assert.Equal(1.0, half.Properties.SpatialSpacing[0]);
        Assert.Equal(0.25, half.Properties.SpatialOrigin[0]);
        using (var quarter = lod.Resolution(2))
        {
            Assert.Equal(new VectorXu64(2, 1), quarter.Shape);
        }

        // Lazy: a change to the source is seen by every level.
        image.SetValue<byte>(100, 0, 0);
        Assert.Equal((byte)31, half.GetValue<byte>(0, 0));
        // 5 x 3, 3 x 2, 2 x 1, 1 x 1: four levels, no more.
        using (LodImageViewFactory.Downsample(image, 4)) { }
        Assert.Contains("ask for at most 4", Assert.Throws<ArgumentOutOfRangeException>(() => LodImageViewFactory.Downsample(image, 5)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nearest_pyramid_keeps_every_second_element_and_shares_memory()
    {
        using var volume = Volume(8, 6, 4, 1);
        using var lod = LodImageViewFactory.Downsample(volume, 2, DownsampleMethod.Nearest);
        using var half = lod.Resolution(1);
        Assert.Equal(new VectorXu64(4, 3, 2), half.Shape);
        Assert.Equal(volume.GetValue<ushort>(2, 4, 2), half.GetValue<ushort>(1, 2, 1));
        Assert.True(half.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(2.0, half.Properties.SpatialSpacing[2]);
    }

    [Fact]
    public void Stacked_images_are_one_volume_that_reads_and_writes_through_to_each()
    {
        var planes = Enumerable.Range(0, 3).Select(k =>
        {
            var plane = ImageViewFactory.Allocate(new VectorXu64(4, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
            plane.WriteRegion(RegionXu64.CreateFullRegion(plane.Shape), MemoryMarshal.AsBytes(Enumerable.Range(0, 8).Select(i => (ushort)((100 * k) + i)).ToArray().AsSpan()));
            return plane;
        }).ToList();
        using (var volume = ImageViewFactory.Stack(planes, ImageDimension.SLICE))
        {
            Assert.Equal(new VectorXu64(4, 2, 3), volume.Shape);
            Assert.Equal(ImageType.FromId(ImageTypeId.VOLUME), volume.AxesInterpretation);
            Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, volume.Capabilities);
            Assert.Equal((ushort)207, volume.GetValue<ushort>(3, 1, 2));
            var box = new ushort[2 * 2 * 2];
            volume.ReadRegion(new RegionXu64(new VectorXu64(1, 0, 1), new VectorXu64(2, 2, 2)), MemoryMarshal.AsBytes(box.AsSpan()));
            Assert.Equal(new ushort[] { 101, 102, 105, 106, 201, 202, 205, 206 }, box);
            volume.SetValue<ushort>(999, 0, 1, 1);
            Assert.Equal((ushort)999, planes[1].GetValue<ushort>(0, 1));
        }

        using var frames = MultiImageViewFactory.FromViews(planes);
        using (var sequence = ImageViewFactory.Stack(frames, ImageDimension.SEQUENCE))
        {
            Assert.Equal(ImageType.FromId(ImageTypeId.IMAGE_SEQUENCE), sequence.AxesInterpretation);
        }

        using var other = ImageViewFactory.Allocate(new VectorXu64(4, 3), DataTypeId.UINT16, new ImageProperties(ImageTypeId.IMAGE));
        Assert.Contains("one shape, data type and axes", Assert.Throws<ArgumentException>(() => ImageViewFactory.Stack([planes[0], other], ImageDimension.SLICE)).Message, StringComparison.Ordinal);
        Assert.Contains("does not come after", Assert.Throws<ArgumentException>(() => ImageViewFactory.Stack(planes, ImageDimension.ROW)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageViewFactory.Stack([], ImageDimension.SLICE));
        planes.ForEach(p => p.Dispose());
    }
}
