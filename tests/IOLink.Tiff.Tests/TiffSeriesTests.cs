using IOLink.Tests.Formats;

namespace IOLink.Tiff.Tests;

/// <summary>
/// OME-TIFF, ImageJ hyperstacks, pyramids and several images in one file, as tifffile writes them: IOLink reads each
/// image equal, with tifffile's axes, the right IOLink dimensions and the voxel size.
/// </summary>
public sealed class TiffSeriesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-tiff-series-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Runs <paramref name="write"/> (Python with <c>path</c> the file to write), then saves what tifffile reads of each
    /// series and level as .npy in IOLink's canonical order (T, C, Z, Y, X, samples last) and its axes as text.
    /// </summary>
    private string Write(string name, string write, bool readBack = true)
    {
        var path = Path.Combine(_dir, name);
        NumpyProcess.Run($$"""
            import numpy as np, tifffile
            path = r'{{path}}'
            {{write}}
            if {{(readBack ? "True" : "False")}}:
                with tifffile.TiffFile(path) as t:
                    for i, s in enumerate(t.series):
                        for k, level in enumerate(s.levels):
                            a = level.asarray()
                            order = sorted(range(a.ndim), key=lambda d: 'TCZQIYXS'.index(s.axes[d]))
                            np.save(f'{path}.{i}.{k}.npy', np.ascontiguousarray(a.transpose(order)).astype(a.dtype.newbyteorder('=')))
                        open(f'{path}.{i}.axes', 'w').write(s.axes)
            """, "numpy, tifffile");
        return path;
    }

    private static byte[] Expected(string path, int series = 0, int level = 0)
    {
        var npy = $"{path}.{series}.{level}.npy";
        return File.ReadAllBytes(npy)[(int)NpyFile.ReadHeader(npy).DataOffset..];
    }

    private static byte[] Bytes(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    [Theory]
    [InlineData("ome-plain", "")]
    [InlineData("ome-tiled-deflate", ", tile=(16, 16), compression='zlib'")]
    public void AFiveDimensionalOmeTiff_OpensAsTczyx_WithItsVoxelSizeAndChannelNames(string name, string options)
    {
        var path = Write(name + ".ome.tif", $$$"""
            a = (np.arange(2 * 3 * 4 * 20 * 30) % 65521).astype(np.uint16).reshape(2, 3, 4, 20, 30)
            tifffile.imwrite(path, a, ome=True, photometric='minisblack'{{{options}}}, metadata={'axes': 'TCZYX', 'PhysicalSizeX': 0.5, 'PhysicalSizeY': 0.25, 'PhysicalSizeZ': 2.0, 'Channel': {'Name': ['DAPI', 'GFP', 'RFP']}})
            """);
        using var view = TiffFile.Open(path);
        Assert.Equal("VectorXu64(30, 20, 4, 3, 2)", view.Shape.ToString());
        Assert.Equal([ImageDimension.COLUMN, ImageDimension.ROW, ImageDimension.SLICE, ImageDimension.CHANNEL, ImageDimension.SEQUENCE],
            view.AxesInterpretation.Dimensions);
        Assert.Equal(options.Length == 0, view.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(Expected(path), Bytes(view));
        Assert.Equal([0.5, 0.25, 2.0], view.Properties.SpatialSpacing.ToArray());
        Assert.Equal("micrometer", view.Properties.SpatialUnit);
        Assert.Equal("GFP", view.Metadata.Find("ome/channels/1/name")?.Value);

        var described = TiffFile.Describe(path);
        Assert.Equal("OME", described.Kind);
        Assert.Equal(File.ReadAllText(path + ".0.axes"), described.Series[0].Axes);
        Assert.Equal([2L, 3, 4, 20, 30], described.Series[0].Shape);
        Assert.Equal(["DAPI", "GFP", "RFP"], described.Series[0].ChannelNames!);
    }

    [Fact]
    public void AnOmeTiffInXycztOrder_PutsEachPlaneWhereItsOrderSays()
    {
        // tifffile writes the planes of a TZCYX array in XYCZT order: C varies fastest.
        var path = Write("xyczt.ome.tif", """
            a = (np.arange(2 * 3 * 2 * 8 * 9) % 251).astype(np.uint8).reshape(2, 3, 2, 8, 9)
            tifffile.imwrite(path, a, ome=True, compression='zlib', metadata={'axes': 'TZCYX'})
            """);
        Assert.Contains("XYCZT", File.ReadAllText(path, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        using var view = TiffFile.Open(path);
        Assert.Equal("VectorXu64(9, 8, 3, 2, 2)", view.Shape.ToString());   // X, Y, Z, C, T
        Assert.Equal(Expected(path), Bytes(view));
        Assert.Equal("TZCYX", TiffFile.Describe(path).Series[0].Axes);
    }

    [Fact]
    public void AnImageJHyperstack_OpensWithItsAxesAndItsPixelAndSliceSize()
    {
        var path = Write("hyper.tif", """
            a = (np.arange(2 * 4 * 3 * 20 * 30) % 65521).astype(np.uint16).reshape(2, 4, 3, 20, 30)
            tifffile.imwrite(path, a, imagej=True, resolution=(1 / 0.5, 1 / 0.5), metadata={'axes': 'TZCYX', 'spacing': 2.0, 'unit': 'um'})
            """);
        using var view = TiffFile.Open(path);
        Assert.True(view.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal("VectorXu64(30, 20, 4, 3, 2)", view.Shape.ToString());
        Assert.Equal(ImageDimension.SEQUENCE, view.AxesInterpretation.Dimensions[4]);
        Assert.Equal(Expected(path), Bytes(view));
        Assert.Equal([0.5, 0.5, 2.0], view.Properties.SpatialSpacing.ToArray());
        Assert.Equal("micrometer", view.Properties.SpatialUnit);
        var described = TiffFile.Describe(path);
        Assert.Equal(("ImageJ", "TZCYX"), (described.Kind, described.Series[0].Axes));
    }

    [Fact]
    public void AnOmePyramidInSubIfds_OpensAsAMultiResolutionView()
    {
        var path = Write("pyramid.ome.tif", """
            a = (np.arange(3 * 64 * 96) % 4093).astype(np.uint16).reshape(3, 64, 96)
            with tifffile.TiffWriter(path) as w:
                w.write(a, subifds=2, tile=(16, 16), compression='zlib', metadata={'axes': 'ZYX', 'PhysicalSizeX': 0.3, 'PhysicalSizeY': 0.3})
                w.write(a[:, ::2, ::2], subfiletype=1, tile=(16, 16), compression='zlib')
                w.write(a[:, ::4, ::4], subfiletype=1, tile=(16, 16), compression='zlib')
            """);
        using var levels = TiffFile.OpenLod(path);
        Assert.Equal((0, 2), levels.LevelRange());
        for (var k = 0; k < 3; k++)
        {
            using var level = levels.Resolution(k);
            Assert.Equal(Expected(path, 0, k), Bytes(level));
            Assert.Equal(0.3 * (1 << k), level.Properties.SpatialSpacing[0], 9);
        }

        using var full = levels.Resolution(2);
        Assert.Equal("VectorXu64(24, 16, 3)", full.Shape.ToString());
        Assert.Equal(3, TiffFile.Describe(path).Series[0].Levels);
        Assert.Throws<ArgumentOutOfRangeException>(() => TiffFile.OpenLod(path, 1));
    }

    [Fact]
    public void SeveralImagesInOneFile_AreFramesOfAMultiImageView()
    {
        var path = Write("series.ome.tif", """
            with tifffile.TiffWriter(path, ome=True) as w:
                w.write((np.arange(5 * 16 * 16) % 255).astype(np.uint8).reshape(5, 16, 16), metadata={'axes': 'ZYX', 'Name': 'stack'})
                w.write(np.linspace(0, 1, 24 * 32, dtype=np.float32).reshape(24, 32), metadata={'axes': 'YX', 'Name': 'plane'})
                w.write((np.arange(10 * 12 * 3) % 255).astype(np.uint8).reshape(10, 12, 3), photometric='rgb', metadata={'axes': 'YXS', 'Name': 'color'})
            """);
        using var frames = TiffFile.OpenSeries(path);
        Assert.Equal(3, frames.Count);
        Assert.Equal(["ZYX", "YX", "YXS"], TiffFile.Describe(path).Series.Select(s => s.Axes));
        Assert.Equal(["stack", "plane", "color"], TiffFile.Describe(path).Series.Select(s => s.Name));
        for (var i = 0; i < 3; i++)
        {
            using var frame = frames.At(i);
            Assert.Equal(Expected(path, i), Bytes(frame));
        }

        using (var color = frames.At(2))
        {
            Assert.Equal("VEC3_UINT8", color.DataType.ToString());
        }

        using var first = TiffFile.Open(path);
        Assert.Equal(ImageTypeId.VOLUME, first.AxesInterpretation.Id);
    }

    [Fact]
    public void AViewOutlivesTheOthersOfItsFile()
    {
        var path = Write("outlive.ome.tif", """
            with tifffile.TiffWriter(path, ome=True) as w:
                w.write((np.arange(4 * 16 * 16) % 255).astype(np.uint8).reshape(4, 16, 16), compression='zlib', metadata={'axes': 'ZYX'})
                w.write((np.arange(16 * 16) % 7).astype(np.uint8).reshape(16, 16), compression='zlib', metadata={'axes': 'YX'})
            """);
        ImageView second;
        using (var frames = TiffFile.OpenSeries(path))
        {
            second = frames.At(1);
        }

        using (second)
        {
            Assert.Equal(Expected(path, 1), Bytes(second));
        }
    }

    [Theory]
    [InlineData("missing-plane", "<TiffData IFD=\"0\" PlaneCount=\"1\"/>", "plane 1")]
    [InlineData("plane-past-end", "<TiffData IFD=\"5\" PlaneCount=\"2\"/>", "has 2 pages")]
    [InlineData("first-past-size", "<TiffData FirstZ=\"7\" IFD=\"0\" PlaneCount=\"1\"/>", "FirstZ=7")]
    [InlineData("other-file", "<TiffData IFD=\"0\" PlaneCount=\"2\"><UUID FileName=\"other.ome.tif\">urn:uuid:1</UUID></TiffData>", "multi-file")]
    [InlineData("bad-order", "<TiffData/>", "DimensionOrder 'XYZZT'")]
    public void OmeXmlThatContradictsThePages_IsAClearError(string name, string tiffData, string expected)
    {
        var order = name == "bad-order" ? "XYZZT" : "XYZCT";
        var xml = $"""<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="{order}" Type="uint8" SizeX="8" SizeY="8" SizeZ="2" SizeC="1" SizeT="1"><Channel ID="Channel:0:0" SamplesPerPixel="1"/>{tiffData}</Pixels></Image></OME>""";
        var path = Write(name + ".ome.tif", $$"""
            a = np.zeros((2, 8, 8), np.uint8)
            tifffile.imwrite(path, a, description='''{{xml}}''', metadata=None)
            """, readBack: false);
        var error = Assert.Throws<InvalidFileFormatException>(() => TiffFile.Open(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmeXmlWithADoctype_IsReadAsPlainPages_NotExpanded()
    {
        // An entity bomb in the description: no DTD is processed, so the file reads as its pages.
        var xml = """<?xml version="1.0"?><!DOCTYPE OME [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0" Name="&b;"><Pixels DimensionOrder="XYZCT" Type="uint8" SizeX="8" SizeY="8" SizeZ="2" SizeC="1" SizeT="1"/></Image></OME>""";
        var path = Write("doctype.tif", $$"""
            tifffile.imwrite(path, np.ones((2, 8, 8), np.uint8), description='''{{xml}}''', metadata=None)
            """);
        using var view = TiffFile.Open(path);
        Assert.Equal("VectorXu64(8, 8, 2)", view.Shape.ToString());
        Assert.Equal("pages", TiffFile.Describe(path).Kind);
    }

    [Theory]
    [InlineData("tifffile-strips", "tifffile.imwrite(path, a, rowsperstrip=5)")]
    [InlineData("pillow-deflate", "from PIL import Image; Image.fromarray(a[0]).save(path, compression='tiff_adobe_deflate')")]
    [InlineData("pillow-packbits", "from PIL import Image; Image.fromarray(a[0]).save(path, compression='packbits')")]
    public void ABilevelImage_IsReadAsBinary_OneBytePerPixel(string name, string write)
    {
        // tifffile writes bool arrays as 1-bit pages but does not compress them; Pillow (libtiff) does.
        var path = Write($"bits-{name}.tif", $$"""
            a = (np.arange(3 * 37 * 45).reshape(3, 37, 45) % 7 < 3)
            {{write}}
            """);
        using var view = TiffFile.Open(path);
        Assert.Equal(ImageInterpretation.BINARY, view.Properties.ImageInterpretation);
        Assert.Equal(name.StartsWith("tifffile", StringComparison.Ordinal) ? "VectorXu64(45, 37, 3)" : "VectorXu64(45, 37)", view.Shape.ToString());
        Assert.Equal(Expected(path).Select(b => (byte)(b != 0 ? 1 : 0)), Bytes(view));
        Assert.True(TiffFile.Describe(path).Bilevel);
    }

    [Fact]
    public void APlainStack_MayBeOpenedAsASequence()
    {
        var path = Write("frames.tif", """
            tifffile.imwrite(path, (np.arange(4 * 8 * 9) % 250).astype(np.uint8).reshape(4, 8, 9), photometric='minisblack')
            """);
        using var frames = TiffFile.Open(path, ImageDimension.SEQUENCE);
        Assert.Equal(ImageTypeId.IMAGE_SEQUENCE, frames.AxesInterpretation.Id);
        Assert.True(frames.Support(ImageCapability.MEMORY_ACCESS));
        Assert.Equal(Expected(path), Bytes(frames));
        Assert.Throws<ArgumentException>(() => TiffFile.Open(path, ImageDimension.CHANNEL));
    }
}
