using System.Runtime.InteropServices;

namespace IOLink.PublicApi.Tests;

/// <summary>
/// Views implemented outside IOLink through its public extension points only (this assembly sees no internals): a
/// computed image and a writable view over a managed array, used as any view is, by every factory and format.
/// </summary>
public sealed unsafe class ExtensionViewTests
{
    /// <summary>A UINT16 volume whose element (x, y, z) is x + 10 y + 100 z, computed on each read.</summary>
    internal sealed class Ramp(VectorXu64 shape, VectorXu64? block = null) : ImageView(shape, DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME))
    {
        private int _released;
        private int _calls;

        public int Released => Volatile.Read(ref _released);

        public int Calls => Volatile.Read(ref _calls);

        // MEMORY_ACCESS and RESHAPE belong to IOLink's own views: claimed here, they must be ignored.
        protected override ImageCapability CapabilitiesCore => ImageCapability.READ | ImageCapability.MEMORY_ACCESS | ImageCapability.RESHAPE;

        protected override VectorXu64? StorageBlockShapeCore => block;

        protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
        {
            Interlocked.Increment(ref _calls);
            Assert.Equal(0, Released);
            var p = (ushort*)dst;
            for (long z = 0; z < size[2]; z++)
            {
                for (long y = 0; y < size[1]; y++)
                {
                    for (long x = 0; x < size[0]; x++)
                    {
                        *p++ = (ushort)(origin[0] + x + (10 * (origin[1] + y)) + (100 * (origin[2] + z)));
                    }
                }
            }
        }

        protected override void ReleaseResources() => Interlocked.Increment(ref _released);
    }

    /// <summary>A writable 2-D FLOAT view over a managed array (row-major: element (x, y) at y * width + x).</summary>
    internal sealed class ArrayBacked(float[] data, int width) : ImageView(new VectorXu64((ulong)width, (ulong)(data.Length / width)), DataTypeId.FLOAT)
    {
        protected override ImageCapability CapabilitiesCore => ImageCapability.READ | ImageCapability.WRITE;

        protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
        {
            var p = (float*)dst;
            for (long y = 0; y < size[1]; y++)
            {
                data.AsSpan((int)(((origin[1] + y) * width) + origin[0]), (int)size[0]).CopyTo(new Span<float>(p, (int)size[0]));
                p += size[0];
            }
        }

        protected override void WriteRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* src)
        {
            var p = (float*)src;
            for (long y = 0; y < size[1]; y++)
            {
                new ReadOnlySpan<float>(p, (int)size[0]).CopyTo(data.AsSpan((int)(((origin[1] + y) * width) + origin[0]), (int)size[0]));
                p += size[0];
            }
        }
    }

    private static ushort[] Read(ImageView view, RegionXu64 region)
    {
        var values = new ushort[(int)region.Size.ComputeProduct()];
        view.ReadRegion(region, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    [Fact]
    public void AComputedView_ReadsLikeAnyView_AndHasOnlyReadAndWriteCapabilities()
    {
        using var ramp = new Ramp(new VectorXu64(8, 6, 4));
        Assert.Equal(ImageCapability.READ, ramp.Capabilities);
        Assert.Equal(ImageTypeId.VOLUME, ramp.AxesInterpretation.Id);
        Assert.Equal((ushort)(3 + 50 + 200), ramp.GetValue<ushort>(3, 5, 2));
        Assert.Equal(new ushort[] { 123, 124, 133, 134 }, Read(ramp, new RegionXu64(new VectorXu64(3, 2, 1), new VectorXu64(2, 2, 1))));
        Assert.Throws<NotSupportedException>(() => ramp.Buffer);
        Assert.Throws<NotSupportedException>(() => ramp.SetValue<ushort>(1, 0, 0, 0));
        Assert.Throws<NotSupportedException>(() => ramp.Reshape(new VectorXu64(4, 4, 4), DataTypeId.UINT8));
        Assert.Throws<ArgumentOutOfRangeException>(() => ramp.ReadRegion(new RegionXu64(new VectorXu64(7, 0, 0), new VectorXu64(2, 1, 1)), new byte[4]));
        Assert.Equal(2, ramp.Calls);                                       // the bad region never reached the subclass
    }

    [Fact]
    public void FactoriesAndFormats_TakeAnExtensionView()
    {
        using var ramp = new Ramp(new VectorXu64(5, 4, 3));
        using var copy = ImageViewFactory.CopyInMemory(ramp);
        Assert.True(copy.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal((ushort)(4 + 30 + 200), copy.GetValue<ushort>(4, 3, 2));

        using var flipped = ImageViewFactory.FlipDimension(ramp, 0);
        Assert.Equal((ushort)(4 + 10), flipped.GetValue<ushort>(0, 1, 0));

        var path = Path.Combine(Path.GetTempPath(), $"iolink-extension-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(ramp, path);
            using var back = NpyFile.Read(path, ImageTypeId.VOLUME);
            Assert.Equal(ramp.Shape, back.Shape);
            Assert.Equal((ushort)(1 + 20 + 100), back.GetValue<ushort>(1, 2, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReleaseResources_RunsOnce_AfterTheLastViewMadeFromItIsDisposed()
    {
        var ramp = new Ramp(new VectorXu64(8, 8, 2));
        var region = ImageViewFactory.ExtractRegion(ramp, new RegionXu64(new VectorXu64(2, 2, 0), new VectorXu64(3, 3, 2)));
        var shared = ImageViewFactory.Share(ramp);
        ramp.Dispose();
        Assert.Equal(ImageCapability.NONE, ramp.Capabilities);
        Assert.Throws<ObjectDisposedException>(() => ramp.GetValue<ushort>(0, 0, 0));
        Assert.Equal(0, ramp.Released);

        Assert.Equal((ushort)(2 + 20), region.GetValue<ushort>(0, 0, 0));   // the data lives on for the views made from it
        region.Dispose();
        Assert.Equal(0, ramp.Released);
        Assert.Equal((ushort)(7 + 70 + 100), shared.GetValue<ushort>(7, 7, 1));
        shared.Dispose();
        Assert.Equal(1, ramp.Released);
        shared.Dispose();
        ramp.Dispose();
        Assert.Equal(1, ramp.Released);
    }

    [Fact]
    public void AWritableExtensionView_TakesWritesFromEveryPath()
    {
        var data = new float[6 * 4];
        using (var view = new ArrayBacked(data, 6))
        {
            Assert.Equal(ImageCapability.READ | ImageCapability.WRITE, view.Capabilities);
            view.SetValue(2.5f, 5, 3);
            Assert.Equal(2.5f, data[(3 * 6) + 5]);

            var values = new float[] { 1, 2, 3, 4 };
            view.WriteRegion(new RegionXu64(new VectorXu64(1, 1), new VectorXu64(2, 2)), MemoryMarshal.AsBytes(values.AsSpan()));
            Assert.Equal(new float[] { 1, 2 }, data.AsSpan(7, 2).ToArray());
            Assert.Equal(new float[] { 3, 4 }, data.AsSpan(13, 2).ToArray());

            using var column = ImageViewFactory.ExtractRegion(view, new RegionXu64(new VectorXu64(4, 0), new VectorXu64(1, 4)));
            column.SetValue(9f, 0, 2);                                     // a derived view writes through to the array
            Assert.Equal(9f, data[(2 * 6) + 4]);
        }

        Assert.Equal(9f, data[(2 * 6) + 4]);
    }

    [Fact]
    public void AViewWithoutWriteRefusesWrites_BeforeItsSubclassSeesThem()
    {
        using var ramp = new Ramp(new VectorXu64(4, 4, 1));
        var error = Assert.Throws<NotSupportedException>(() => ramp.WriteRegion(new RegionXu64(new VectorXu64(0, 0, 0), new VectorXu64(1, 1, 1)), new byte[2]));
        Assert.Contains("WRITE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStorageBlockShape_IsChecked()
    {
        using (var tiled = new Ramp(new VectorXu64(8, 8, 4), new VectorXu64(4, 4, 1)))
        {
            Assert.Equal(new VectorXu64(4, 4, 1), tiled.StorageBlockShape);
        }

        using (var plain = new Ramp(new VectorXu64(8, 8, 4)))
        {
            Assert.Null(plain.StorageBlockShape);
        }

        foreach (var bad in new[] { new VectorXu64(4, 4), new VectorXu64(4, 0, 1) })
        {
            using var wrong = new Ramp(new VectorXu64(8, 8, 4), bad);
            var error = Assert.Throws<InvalidOperationException>(() => wrong.StorageBlockShape);
            Assert.Contains("storage block shape", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ABadShapeOrType_IsRefusedByTheConstructor_AndLeavesNothingToRelease()
    {
        Assert.Throws<ArgumentException>(() => new Ramp(new VectorXu64(8, 0, 4)));
        Assert.Throws<ArgumentException>(() => new Ramp(new VectorXu64(8, 8)));   // VOLUME properties on a 2-D shape
    }

    [Fact]
    public void ReadsFromSeveralThreadsAtOnce_AreEachRight()
    {
        using var ramp = new Ramp(new VectorXu64(64, 64, 16));
        Parallel.For(0, 64, i =>
        {
            var x = (ulong)(i % 60);
            var region = new RegionXu64(new VectorXu64(x, 1, 2), new VectorXu64(4, 3, 2));
            var values = Read(ramp, region);
            Assert.Equal((ushort)(x + 10 + 200), values[0]);
            Assert.Equal((ushort)(x + 3 + 30 + 300), values[^1]);
        });
    }
}
