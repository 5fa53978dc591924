using System.Runtime.InteropServices;

namespace IOLink.Cli.Tests;

/// <summary>`info`: shapes, types, layouts and statistics (min, max, mean) of each input kind.</summary>
public sealed partial class CliTests
{
    [Fact]
    public void Info_Npy_ShowsShapeTypeAxesAndLayout()
    {
        var (code, output, error) = Run("info", File("vol.npy"));
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("array shape (6, 4, 12) (NumPy order)", output, StringComparison.Ordinal);
        Assert.Contains("data type   UINT16 ('<u2')", output, StringComparison.Ordinal);
        Assert.Contains("layout      C order", output, StringComparison.Ordinal);
        Assert.Contains("view shape  VectorXu64(12, 4, 6)", output, StringComparison.Ordinal);
        Assert.Contains("axes        VOLUME", output, StringComparison.Ordinal);
        Assert.Contains("byte size   576", output, StringComparison.Ordinal);
        Assert.Contains("kind        image\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("min", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_SaysWhenTheAxesComeFromTheRank_AndNotWhenTheFileOrTheUserNamesThem()
    {
        Assert.Contains("assumed     VOLUME from the rank (3 dimensions, NumPy order); name the axes with --layout or --axes if not", Run("info", File("vol.npy")).Out, StringComparison.Ordinal);
        Assert.Contains("assumed     VOLUME from the rank (3 dimensions, first fastest)", Run("info", File("vol.raw"), "--shape", "12,4,6", "--dtype", "UINT16").Out, StringComparison.Ordinal);
        Assert.DoesNotContain("assumed", Run("info", File("vol.npy"), "--layout", "zyx").Out, StringComparison.Ordinal);
        // Zarr v3 written by IOLink names its dimensions (z, y, x); v2 has no names.
        Assert.Equal(0, Run("convert", File("vol.npy"), File("v3.zarr")).Code);
        Assert.DoesNotContain("assumed", Run("info", File("v3.zarr")).Out, StringComparison.Ordinal);
        Assert.Equal(0, Run("convert", File("vol.npy"), File("v2.zarr"), "--zarr-format", "2").Code);
        Assert.Contains("assumed     VOLUME from the rank", Run("info", File("v2.zarr")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_OfAnOmeZarrPyramid_SaysItIsMultiResolution_AndShowsItsLevels()
    {
        var path = File("pyramid.zarr");
        using (var full = NpyFile.Read(File("vol.npy"), ImageTypeId.VOLUME))
        {
            Zarr.ZarrArray.Write(full, path, new Zarr.ZarrOptions { OmeZarr = true, Format = Zarr.ZarrFormat.V2 });
            using var half = ImageViewFactory.SubSample(full, new VectorXu64(2, 2, 2));
            Zarr.ZarrArray.Write(half, Path.Combine(path, "1"), new Zarr.ZarrOptions { Format = Zarr.ZarrFormat.V2 });
        }

        // The image's metadata lists the second level too.
        System.IO.File.WriteAllText(Path.Combine(path, ".zattrs"), """
            {"multiscales": [{"version": "0.4", "axes": [{"name": "z", "type": "space"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}],
              "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1]}]},
                           {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [2, 2, 2]}]}]}]}
            """);

        var (code, output, error) = Run("info", path);
        Assert.True(code == 0, error);
        Assert.Contains("kind        multi-resolution image, 2 levels: VectorXu64(12, 4, 6), VectorXu64(6, 2, 3); shown below: level 0", output, StringComparison.Ordinal);
        Assert.Contains("view shape  VectorXu64(12, 4, 6)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_Stats_OfComplexData_KeepsRealAndImaginaryPartsApart()
    {
        using (var c = ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.COMPLEX_FLOAT, new ImageProperties(ImageTypeId.IMAGE)))
        {
            float[] values = [1, -10, 2, -20, 3, -30, 6, -40];   // (real, imaginary) per element
            c.WriteRegion(RegionXu64.CreateFullRegion(c.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            NpyFile.Write(c, File("c.npy"));
        }

        var (code, output, _) = Run("info", File("c.npy"), "--stats");
        Assert.Equal(0, code);
        Assert.Contains("min         1 (real), -40 (imaginary)", output, StringComparison.Ordinal);
        Assert.Contains("max         6 (real), -10 (imaginary)", output, StringComparison.Ordinal);
        Assert.Contains("mean        3 (real), -25 (imaginary)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_NamesHalfFloats()
    {
        using (var half = ImageViewFactory.Allocate(new VectorXu64(3, 2), new DataType(PrimitiveTypeId.FLOATING_POINT, 1, 16)))
        {
            NpyFile.Write(half, File("half.npy"));
        }

        var (code, output, _) = Run("info", File("half.npy"));
        Assert.Equal(0, code);
        Assert.Contains("data type   FLOAT16 ('<f2')", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("info", File("vol.raw"), "--shape", "12,4,6", "--dtype", "float16").Code);
    }

    [Fact]
    public void Info_Stats_OfARawFile()
    {
        var (code, output, _) = Run("info", File("vol.raw"), "--shape", "12,4,6", "--dtype", "uint16", "--stats");
        Assert.Equal(0, code);
        Assert.Contains("min         0\n", output, StringComparison.Ordinal);
        Assert.Contains("max         541\n", output, StringComparison.Ordinal);
        Assert.Contains("mean        270.5\n", output, StringComparison.Ordinal);
        Assert.Contains("format      raw, data at byte 0 of 576", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_OfAZarrArray_DecodeEachChunkOnce_InBlocksOfWholeChunks()
    {
        // 96x40x30 UINT16 in 16x8x7 chunks: edge chunks on every axis; slabs would cut every chunk, blocks never do.
        using (var v = ImageViewFactory.Allocate(new VectorXu64(96, 40, 30), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME)))
        {
            var values = new ushort[96 * 40 * 30];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (ushort)(i % 1000);
            }

            v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            Zarr.ZarrArray.Write(v, File("s.zarr"), new Zarr.ZarrOptions { Chunks = new VectorXu64(16, 8, 7) });
        }

        using var zarr = Zarr.ZarrArray.Open(File("s.zarr"));
        zarr.ChunkCacheBytes = 0;
        var stats = Statistics.Compute(zarr, null, 16 << 10);   // slabs of 16 KiB: 12 of them would cut each 7-deep chunk
        Assert.Equal((0.0, 999.0, 96L * 40 * 30), (stats.Min, stats.Max, stats.Count));
        Assert.Equal(Enumerable.Range(0, 96 * 40 * 30).Average(i => i % 1000), stats.Mean, 9);
        Assert.Equal(zarr.ChunkCount, zarr.ChunksDecoded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(10_000)]
    public void Stats_SkipNaNs_AndAgreeWithANaiveLoop_AtEveryLength(int length)
    {
        // Vector lanes, the scalar tail and NaNs anywhere among them.
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = i % 5 == 3 ? double.NaN : ((i * 37) % 101) - 50.25;
        }

        using var v = ImageViewFactory.FromArray(values, new VectorXu64((ulong)length), DataTypeId.DOUBLE);
        var stats = Statistics.Compute(v);
        var numbers = values.Where(d => !double.IsNaN(d)).ToArray();
        Assert.Equal(numbers.Length, stats.Count);
        Assert.Equal(numbers.Min(), stats.Min);
        Assert.Equal(numbers.Max(), stats.Max);
        Assert.Equal(numbers.Average(), stats.Mean, 9);
    }
}
