using IOLink.Tests.Formats;

namespace IOLink.Tiff.Tests;

/// <summary>TIFFs IOLink writes, read back by tifffile (data, axes, voxel size, channels, pyramid levels) and by IOLink.</summary>
public sealed class TiffWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-tiff-write-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>A view of <paramref name="dims"/> (view order) filled with a pattern of its type, with distinct values.</summary>
    private static ImageView Pattern(DataType type, ulong[] shape, ImageDimension[] dims)
    {
        var view = ImageViewFactory.Allocate(new VectorXu64(shape), type);
        var bytes = new byte[view.ByteCount];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7) + (i >> 9));
        }

        if (type.ComponentType == (DataType)DataTypeId.FLOAT)
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = (i * 0.25f) - 3;
            }
        }

        view.WriteRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        var named = ImageViewFactory.ReinterpretAxes(view, dims);
        view.Dispose();
        return named;
    }

    private static byte[] Bytes(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    /// <summary>What tifffile reads of series 0 (and its levels), saved in IOLink's canonical order, with its axes and OME metadata as JSON.</summary>
    private string Tifffile(string path)
    {
        return NumpyProcess.Run($$"""
            import json, numpy as np, tifffile
            path = r'{{path}}'
            with tifffile.TiffFile(path) as t:
                s = t.series[0]
                for k, level in enumerate(s.levels):
                    a = level.asarray()
                    order = sorted(range(a.ndim), key=lambda d: 'TCZQIYXS'.index(s.axes[d]))
                    np.save(f'{path}.{k}.npy', np.ascontiguousarray(a.transpose(order)))
                meta = t.ome_metadata or ''
                print(json.dumps({'axes': s.axes, 'shape': list(s.shape), 'levels': len(s.levels), 'ome': t.is_ome,
                    'bigtiff': t.is_bigtiff, 'compression': int(t.pages[0].compression), 'tiled': t.pages[0].is_tiled,
                    'contiguous': t.pages[0].is_contiguous is not None and t.pages[0].is_contiguous != False, 'xml': meta}))
            """, "numpy, tifffile").Trim();
    }

    private static byte[] Npy(string npy) => System.IO.File.ReadAllBytes(npy)[(int)NpyFile.ReadHeader(npy).DataOffset..];

    [Theory]
    [InlineData(TiffCompression.None, false)]
    [InlineData(TiffCompression.Deflate, false)]
    [InlineData(TiffCompression.Deflate, true)]
    public void AFiveDimensionalView_IsAnOmeTiffTifffileReadsWithItsAxesVoxelSizeAndChannels(TiffCompression compression, bool bigTiff)
    {
        using var view = Pattern(DataTypeId.UINT16, [40, 30, 4, 3, 2],
            [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.CHANNEL, ImageDimension.SEQUENCE]);
        view.Properties.SpatialSpacing = [0.5, 0.25, 2.0];
        view.Properties.SpatialUnit = "micrometer";
        var channels = view.Metadata.Add("ome", null).Add("channels", 3);
        channels.Add("0", null).Add("name", "DAPI");
        channels.Add("1", null).Add("name", "GFP & <co>");
        channels.Add("2", null);
        var path = File($"five-{compression}-{bigTiff}.ome.tif");
        TiffFile.Write(view, path, new TiffWriteOptions { Compression = compression, BigTiff = bigTiff });

        var json = System.Text.Json.JsonDocument.Parse(Tifffile(path)).RootElement;
        Assert.Equal("TCZYX", json.GetProperty("axes").GetString());
        Assert.True(json.GetProperty("ome").GetBoolean());
        Assert.Equal(bigTiff, json.GetProperty("bigtiff").GetBoolean());
        Assert.Equal(compression == TiffCompression.None ? 1 : 8, json.GetProperty("compression").GetInt32());
        Assert.Equal(compression != TiffCompression.None, json.GetProperty("tiled").GetBoolean());
        Assert.Equal(Bytes(view), Npy(path + ".0.npy"));
        var xml = json.GetProperty("xml").GetString()!;
        Assert.Contains("PhysicalSizeX=\"0.5\"", xml, StringComparison.Ordinal);
        Assert.Contains("PhysicalSizeZ=\"2\"", xml, StringComparison.Ordinal);
        Assert.Contains("PhysicalSizeXUnit=\"µm\"", xml, StringComparison.Ordinal);
        Assert.Contains("Name=\"GFP &amp; &lt;co&gt;\"", xml, StringComparison.Ordinal);

        // IOLink reads back the same view: axes, spacing, names; mapped when uncompressed.
        using var back = TiffFile.Open(path);
        Assert.Equal(view.Shape, back.Shape);
        Assert.Equal(view.AxesInterpretation, back.AxesInterpretation);
        Assert.Equal(compression == TiffCompression.None, back.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(Bytes(view), Bytes(back));
        Assert.Equal([0.5, 0.25, 2.0], back.Properties.SpatialSpacing);
        Assert.Equal("micrometer", back.Properties.SpatialUnit);
        Assert.Equal("GFP & <co>", back.Metadata.Find("ome/channels/1/name")?.Value);
    }

    [Theory]
    [InlineData("UINT8", 3)]
    [InlineData("UINT16", 4)]
    [InlineData("INT32", 1)]
    [InlineData("FLOAT", 1)]
    [InlineData("DOUBLE", 2)]
    [InlineData("INT8", 1)]
    public void EachTypeAndSampleCount_RoundTripsThroughTifffile(string component, int samples)
    {
        var scalar = (DataType)Enum.Parse<DataTypeId>(component);
        var type = samples == 1 ? scalar : scalar.ToVector((uint)samples);
        using var view = Pattern(type, [37, 21], [ImageDimension.COLUMN, ImageDimension.ROW]);
        var path = File($"type-{component}-{samples}.tif");
        TiffFile.Write(view, path, new TiffWriteOptions { Compression = TiffCompression.Deflate, TileWidth = 16, TileHeight = 16 });
        var json = System.Text.Json.JsonDocument.Parse(Tifffile(path)).RootElement;
        Assert.Equal(samples > 1 ? "YXS" : "YX", json.GetProperty("axes").GetString());
        Assert.Equal(Bytes(view), Npy(path + ".0.npy"));
        using var back = TiffFile.Open(path);
        Assert.Equal(type, back.DataType);
        Assert.Equal(Bytes(view), Bytes(back));
    }

    [Fact]
    public void APyramid_IsWrittenInSubIfds_ThatTifffileReadsAsLevels()
    {
        using var view = Pattern(DataTypeId.UINT8, [100, 70, 3], [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE]);
        var path = File("pyramid.ome.tif");
        TiffFile.Write(view, path, new TiffWriteOptions { Compression = TiffCompression.Deflate, Levels = 3, Downsample = DownsampleMethod.Nearest });
        var json = System.Text.Json.JsonDocument.Parse(Tifffile(path)).RootElement;
        Assert.Equal(3, json.GetProperty("levels").GetInt32());
        Assert.Equal("ZYX", json.GetProperty("axes").GetString());
        using var levels = TiffFile.OpenLod(path);
        Assert.Equal((0, 2), levels.LevelRange());
        for (var k = 0; k < 3; k++)
        {
            using var level = levels.Resolution(k);
            Assert.Equal(Npy(path + $".{k}.npy"), Bytes(level));
        }

        // Nearest keeps every second pixel of every plane: level 1 of plane 2 at (3, 4) is level 0's (6, 8).
        using var one = levels.Resolution(1);
        Assert.Equal("VectorXu64(50, 35, 3)", one.Shape.ToString());
        var pixel = new byte[1];
        one.ReadRegion(new RegionXu64(new VectorXu64(3, 4, 2), new VectorXu64(1, 1, 1)), pixel);
        var full = new byte[1];
        view.ReadRegion(new RegionXu64(new VectorXu64(6, 8, 2), new VectorXu64(1, 1, 1)), full);
        Assert.Equal(full, pixel);
    }

    [Fact]
    public void AMultiResolutionView_IsWrittenLevelByLevel()
    {
        using var view = Pattern(DataTypeId.UINT16, [64, 48], [ImageDimension.COLUMN, ImageDimension.ROW]);
        using var lod = LodImageViewFactory.Downsample(view, 3);
        var path = File("lod.ome.tif");
        TiffFile.Write(lod, path, new TiffWriteOptions { Compression = TiffCompression.Zstd });
        using var back = TiffFile.OpenLod(path);
        for (var k = 0; k < 3; k++)
        {
            using var expected = lod.Resolution(k);
            using var level = back.Resolution(k);
            Assert.Equal(Bytes(expected), Bytes(level));
        }

        Assert.Equal("Zstandard", TiffFile.Describe(path).Compression);
    }

    [Fact]
    public void APlainTiff_HasTifffilesShapeDescription_AndIsContiguous()
    {
        using var view = Pattern(DataTypeId.FLOAT, [33, 17, 6], [ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE]);
        var path = File("plain.tif");
        TiffFile.Write(view, path, new TiffWriteOptions { Ome = false });
        var json = System.Text.Json.JsonDocument.Parse(Tifffile(path)).RootElement;
        Assert.False(json.GetProperty("ome").GetBoolean());
        Assert.Equal([6, 17, 33], json.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(json.GetProperty("contiguous").GetBoolean());
        Assert.Equal(Bytes(view), Npy(path + ".0.npy"));
        using var back = TiffFile.Open(path);
        Assert.True(back.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(ImageTypeId.VOLUME, back.AxesInterpretation.Id);
    }

    [Fact]
    public void AFailedWrite_LeavesNoFileAndKeepsTheOldOne()
    {
        var path = File("kept.tif");
        System.IO.File.WriteAllText(path, "old");
        using var complex = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.COMPLEX_FLOAT);
        var error = Assert.Throws<ArgumentException>(() => TiffFile.Write(complex, path));
        Assert.Contains("AdaptDataType", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TiffFile.Write(complex, path, new TiffWriteOptions { TileWidth = 20, TileHeight = 16 }));
        Assert.Equal("old", System.IO.File.ReadAllText(path));

        // A source that fails part way: the error comes out, the old file stays, no temporary is left.
        using var failing = new FailingView(new VectorXu64(64, 64, 8), failAfter: 5);
        var io = Assert.Throws<IOException>(() => TiffFile.Write(failing, path, new TiffWriteOptions { Compression = TiffCompression.Deflate, TileWidth = 16, TileHeight = 16 }));
        Assert.Contains("disk went away", io.Message, StringComparison.Ordinal);
        Assert.Equal("old", System.IO.File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    /// <summary>A VOLUME of zeros whose reads fail after <c>failAfter</c> calls, as a file on a lost disk would.</summary>
    private sealed unsafe class FailingView(VectorXu64 shape, int failAfter) : ImageView(shape, DataTypeId.UINT8, new ImageProperties(ImageTypeId.VOLUME))
    {
        private int _reads;

        protected override ImageCapability CapabilitiesCore => ImageCapability.READ;

        protected override void ReadRegionCore(ReadOnlySpan<long> origin, ReadOnlySpan<long> size, byte* dst)
        {
            if (++_reads > failAfter)
            {
                throw new IOException("the disk went away");
            }

            long count = 1;
            foreach (var n in size)
            {
                count *= n;
            }

            new Span<byte>(dst, (int)count).Clear();
        }
    }
}
