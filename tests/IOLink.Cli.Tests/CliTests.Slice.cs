using System.Runtime.InteropServices;
using SkiaSharp;

namespace IOLink.Cli.Tests;

/// <summary>`slice`: the planes it draws, windows, bool and colour data, bad options.</summary>
public sealed partial class CliTests
{
    [Theory]
    [InlineData(null, 500.0, 541.0)]
    [InlineData("plane", 500.0, 541.0)]
    [InlineData("volume", 0.0, 541.0)]
    [InlineData("400,600", 400.0, 600.0)]
    [InlineData("400:600", 400.0, 600.0)]
    public void Slice_WritesAWindowedGrayscalePng(string? window, double min, double max)
    {
        string[] args = ["slice", File("vol.npy"), "--index", "5", "-o", File("s.png")];
        var (code, output, _) = Run(window is null ? args : [.. args, "--window", window]);
        Assert.Equal(0, code);
        Assert.Contains("12x4 grayscale", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(File("s.png"));
        Assert.Equal(12, bitmap.Width);
        Assert.Equal(4, bitmap.Height);
        // Plane z = 5 holds 500 + x + 10 y (the default window, read from the plane alone); the whole file spans 0..541.
        foreach (var (x, y) in new[] { (0, 0), (11, 0), (11, 3), (3, 2) })
        {
            var value = 500 + x + (10 * y);
            var expected = (byte)Math.Clamp(Math.Round((value - min) * (255.0 / (max - min))), 0, 255);
            Assert.Equal(expected, bitmap.GetPixel(x, y).Red);
        }
    }

    [Fact]
    public void Mip_DrawsTheMaximumAlongTheDroppedAxis_AndSaysSo()
    {
        // Element (x, y, z) is x + 10 y + 100 z: the maximum over z is plane z = 5; over y (an XZ picture), row y = 3.
        var (code, output, error) = Run("slice", File("vol.npy"), "--mip", "-o", File("mip.png"), "--window", "0,600");
        Assert.True(code == 0, error);
        Assert.Contains("12x4 grayscale from VOLUME VectorXu64(12, 4, 6) at maximum over SLICE (6 planes)", output, StringComparison.Ordinal);
        using (var bitmap = SKBitmap.Decode(File("mip.png")))
        {
            foreach (var (x, y) in new[] { (0, 0), (11, 3), (4, 2) })
            {
                Assert.Equal((byte)Math.Round((500 + x + (10 * y)) * 255.0 / 600), bitmap.GetPixel(x, y).Red);
            }
        }

        (code, output, error) = Run("slice", File("vol.npy"), "--plane", "X,Z", "--mip", "ROW", "-o", File("mipxz.png"), "--window", "0,600");
        Assert.True(code == 0, error);
        Assert.Contains("12x6 grayscale", output, StringComparison.Ordinal);
        using (var bitmap = SKBitmap.Decode(File("mipxz.png")))
        {
            Assert.Equal((byte)Math.Round((7 + 30 + 400) * 255.0 / 600), bitmap.GetPixel(7, 4).Red);
        }

        Assert.Contains("projects along SLICE, which --plane draws or --at/--index fixes", Run("slice", File("vol.npy"), "--index", "2", "--mip", "-o", File("x.png")).Err, StringComparison.Ordinal);
        Assert.Contains("has no SEQUENCE dimension", Run("slice", File("vol.npy"), "--mip", "T", "-o", File("x.png")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_OfAZarrArray_RendersThePlaneLikeTheNpy()
    {
        Assert.Equal(0, Run("convert", File("vol.npy"), File("vol.zarr"), "--chunks", "5,3,2").Code);
        Assert.Equal(0, Run("slice", File("vol.npy"), "--index", "5", "-o", File("npy.png")).Code);
        var (code, output, error) = Run("slice", File("vol.zarr"), "--index", "5", "-o", File("zarr.png"));
        Assert.True(code == 0, error);
        Assert.Contains("12x4 grayscale from VOLUME", output, StringComparison.Ordinal);
        Assert.Equal(System.IO.File.ReadAllBytes(File("npy.png")), System.IO.File.ReadAllBytes(File("zarr.png")));
    }

    [Fact]
    public void Slice_Of4DData_FixesEveryOtherDimension_AtTheMiddleUnlessToldWhere()
    {
        // A VOLUME_SEQUENCE of 3x2x4x5 (x, y, z, t) whose element holds x + 10 y + 100 z + 1000 t.
        using (var v = ImageViewFactory.Allocate(new VectorXu64(3, 2, 4, 5), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME_SEQUENCE)))
        {
            var values = new ushort[3 * 2 * 4 * 5];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (ushort)((i % 3) + (10 * (i / 3 % 2)) + (100 * (i / 6 % 4)) + (1000 * (i / 24)));
            }

            v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
            NpyFile.Write(v, File("seq.npy"));
        }

        var (code, output, error) = Run("slice", File("seq.npy"), "-o", File("mid.png"), "--window", "0,4095");
        Assert.True(code == 0, error);
        Assert.Contains("3x2 grayscale from VOLUME_SEQUENCE VectorXu64(3, 2, 4, 5) at SLICE=2 (middle), SEQUENCE=2 (middle)", output, StringComparison.Ordinal);
        (code, output, error) = Run("slice", File("seq.npy"), "--at", "T=4,Z=1", "-o", File("at.png"), "--window", "0,4335");
        Assert.True(code == 0, error);
        Assert.Contains("at SLICE=1, SEQUENCE=4", output, StringComparison.Ordinal);
        using (var bitmap = SKBitmap.Decode(File("at.png")))
        {
            // Pixel (2, 1) holds 2 + 10 + 100 + 4000 = 4112 of a 0..4335 window.
            Assert.Equal((byte)Math.Round(4112 * 255.0 / 4335), bitmap.GetPixel(2, 1).Red);
        }

        // An XZ picture: across COLUMN, down SLICE, at ROW=1 and the middle SEQUENCE.
        (code, output, error) = Run("slice", File("seq.npy"), "--plane", "X,Z", "--at", "Y=1", "-o", File("xz.png"), "--window", "0,4095");
        Assert.True(code == 0, error);
        Assert.Contains("3x4 grayscale", output, StringComparison.Ordinal);
        using (var bitmap = SKBitmap.Decode(File("xz.png")))
        {
            Assert.Equal(3, bitmap.Width);
            Assert.Equal(4, bitmap.Height);
            Assert.Equal((byte)Math.Round((2 + 10 + 300 + 2000) * 255.0 / 4095), bitmap.GetPixel(2, 3).Red);
        }

        // Down-then-across in the other order draws the transposed picture.
        (code, _, error) = Run("slice", File("seq.npy"), "--plane", "Z,X", "--at", "Y=1", "-o", File("zx.png"), "--window", "0,4095");
        Assert.True(code == 0, error);
        using (var bitmap = SKBitmap.Decode(File("zx.png")))
        {
            Assert.Equal(4, bitmap.Width);
            Assert.Equal((byte)Math.Round((2 + 10 + 300 + 2000) * 255.0 / 4095), bitmap.GetPixel(3, 2).Red);
        }
    }

    [Fact]
    public void Slice_OfBoolData_DrawsOneAsWhite()
    {
        using (var mask = ImageViewFactory.Allocate(new VectorXu64(4, 3), DataTypeId.UINT8, new ImageProperties(ImageTypeId.IMAGE)))
        {
            mask.SetValue((byte)1, 2UL, 1UL);
            NpyFile.Write(mask, File("mask.npy"));
        }

        // Written as uint8; rewrite the dtype as NumPy's bool ('|b1'), which IOLink reads as BINARY.
        var bytes = System.IO.File.ReadAllBytes(File("mask.npy"));
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("'|u1'", "'|b1'", StringComparison.Ordinal);
        System.IO.File.WriteAllBytes(File("mask.npy"), System.Text.Encoding.Latin1.GetBytes(text));
        Assert.Equal(0, Run("slice", File("mask.npy"), "--index", "0", "-o", File("mask.png")).Code);
        using var bitmap = SKBitmap.Decode(File("mask.png"));
        Assert.Equal(255, bitmap.GetPixel(2, 1).Red);
        Assert.Equal(0, bitmap.GetPixel(0, 0).Red);
    }

    [Fact]
    public void Slice_WithABadWindow_IsAUsageError()
    {
        var (code, _, error) = Run("slice", File("vol.npy"), "--index", "5", "-o", File("s.png"), "--window", "9,1");
        Assert.Equal(2, code);
        Assert.Contains("--window '9,1' is not MIN,MAX", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_OfAVec3Image_IsRgb()
    {
        using var v = ImageViewFactory.Allocate(new VectorXu64(3, 2), DataTypeId.VEC3_UINT8, new ImageProperties(ImageTypeId.IMAGE));
        v.Write(new VectorXu64(2, 1), [255, 128, 0]);
        NpyFile.Write(v, File("rgb.npy"));
        var (code, output, _) = Run("slice", File("rgb.npy"), "--axes", "ROW,COLUMN", "--index", "0", "-o", File("rgb.png"));
        Assert.Equal(0, code);
        Assert.Contains("RGB", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(File("rgb.png"));
        Assert.Equal(new SKColor(255, 128, 0), bitmap.GetPixel(2, 1));
        Assert.Equal(new SKColor(0, 0, 0), bitmap.GetPixel(0, 0));
    }

    [Fact]
    public void Slice_OfComplexData_DrawsTheMagnitude_AndSaysSo()
    {
        using (var c = ImageViewFactory.Allocate(new VectorXu64(2, 2), DataTypeId.COMPLEX_FLOAT, new ImageProperties(ImageTypeId.IMAGE)))
        {
            float[] values = [3, 4, 0, 0, 6, 8, 0, 10];   // magnitudes 5, 0, 10, 10
            c.WriteRegion(RegionXu64.CreateFullRegion(c.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            NpyFile.Write(c, File("c.npy"));
        }

        var (code, output, error) = Run("slice", File("c.npy"), "-o", File("c.png"));
        Assert.True(code == 0, error);
        Assert.Contains("2x2 grayscale magnitude |z| of complex data", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(File("c.png"));
        // The plane's magnitudes span 0..10: 5 is mid-grey, 0 black, 10 white.
        Assert.Equal([128, 0, 255, 255], new[] { bitmap.GetPixel(0, 0), bitmap.GetPixel(1, 0), bitmap.GetPixel(0, 1), bitmap.GetPixel(1, 1) }.Select(p => (int)p.Red));
    }

    [Fact]
    public void Layout_NamesTheAxesAsOmeLettersThem_AndAColourLookingLastAxisIsNoted()
    {
        IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np
            t, c, z, y, x = np.ogrid[0:2, 0:3, 0:10, 0:40, 0:60]
            np.save(r'{{File("d5.npy")}}', (t * 10000 + c * 1000 + z * 100 + y + x).astype(np.uint16))   # TCZYX
            yy, xx = np.mgrid[0:40, 0:60]
            np.save(r'{{File("rgb.npy")}}', np.stack([xx * 4, yy * 6, xx * 0 + 200], axis=-1).astype(np.uint8))   # (H, W, 3)
            """);
        // TCZYX named by letters: X across, Y down, Z, C and T fixed at their middles (or where --at says).
        var (code, output, error) = Run("slice", File("d5.npy"), "--layout", "tczyx", "-o", File("d5.png"));
        Assert.True(code == 0, error);
        Assert.Contains("60x40 grayscale from MULTISPECTRAL_VOLUME_SEQUENCE VectorXu64(60, 40, 10, 3, 2)", output, StringComparison.Ordinal);
        // An RGB image: without --layout it is a volume of 3 slices and a note says what to give; with yxs it is RGB.
        (code, output, error) = Run("slice", File("rgb.npy"), "-o", File("rgb-plain.png"));
        Assert.True(code == 0, error);
        Assert.Contains("note: '", error, StringComparison.Ordinal);
        Assert.Contains("has shape (40, 60, 3), read as VOLUME by its rank; if its last axis holds colour, give --layout yxs", error, StringComparison.Ordinal);
        // Rank 4 with 4 last: zyxs; a last axis of 60 is no colour, and nothing is said.
        foreach (var (name, shape, note) in new[] { ("rgba.npy", new VectorXu64(4, 60, 40, 2), "has shape (2, 40, 60, 4), read as VOLUME_SEQUENCE by its rank; if its last axis holds colour, give --layout zyxs"), ("grey.npy", new VectorXu64(60, 40, 3), null) })
        {
            using (var view = ImageViewFactory.Allocate(shape, DataTypeId.UINT8, new ImageProperties(shape.Size == 4 ? ImageTypeId.VOLUME_SEQUENCE : ImageTypeId.VOLUME)))
            {
                NpyFile.Write(view, File(name));
            }

            (code, _, error) = Run("convert", File(name), File("copy-" + name));
            Assert.True(code == 0, error);
            if (note is null)
            {
                Assert.Equal("", error);
            }
            else
            {
                Assert.Contains(note, error, StringComparison.Ordinal);
            }
        }

        (code, output, error) = Run("slice", File("rgb.npy"), "--layout", "yxs", "-o", File("rgb.png"));
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Contains("60x40 RGB", output, StringComparison.Ordinal);
        using (var bitmap = SKBitmap.Decode(File("rgb.png")))
        {
            var pixel = bitmap.GetPixel(10, 5);
            Assert.Equal((40, 30, 200), (pixel.Red, pixel.Green, pixel.Blue));
        }

        (code, _, error) = Run("info", File("d5.npy"), "--layout", "tczyx", "--axes", "X,Y,Z,C,T");
        Assert.Equal(2, code);
        Assert.Contains("--axes and --layout both name the file's axes", error, StringComparison.Ordinal);
        (code, _, error) = Run("info", File("d5.npy"), "--layout", "tqzyx");
        Assert.Equal(2, code);
        Assert.Contains("'q' is not an axis letter", error, StringComparison.Ordinal);
    }
}
