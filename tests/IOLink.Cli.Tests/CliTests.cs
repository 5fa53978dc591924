using IOLink.Tests;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace IOLink.Cli.Tests;

/// <summary>The iolink commands run in-process on real files: their output, their files and their exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "iolink-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests()
    {
        Directory.CreateDirectory(_dir);
        // A 12x4x6 UINT16 VOLUME whose element (x, y, z) is x + 10 y + 100 z.
        using var v = ImageViewFactory.Allocate(new VectorXu64(12, 4, 6), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var values = new ushort[12 * 4 * 6];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)((i % 12) + (10 * (i / 12 % 4)) + (100 * (i / 48)));
        }

        v.WriteRegion(RegionXu64.CreateFullRegion(v.Shape), MemoryMarshal.AsBytes(values.AsSpan()));
        NpyFile.Write(v, File("vol.npy"));
        System.IO.File.WriteAllBytes(File("vol.raw"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private string File(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

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
        Assert.DoesNotContain("min", output, StringComparison.Ordinal);
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
    public void Convert_NpyToRawAndBack_KeepsTheBytes()
    {
        Assert.Equal(0, Run("convert", File("vol.npy"), File("out.raw")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.raw")), System.IO.File.ReadAllBytes(File("out.raw")));
        var (code, output, _) = Run("convert", File("vol.raw"), File("back.npy"), "--shape", "12,4,6", "--dtype", "UINT16");
        Assert.Equal(0, code);
        Assert.Contains("VectorXu64(12, 4, 6), UINT16, axes VOLUME", output, StringComparison.Ordinal);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("back.npy")));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Theory]
    [InlineData("zstd", "zstd (level 1)")]
    [InlineData("blosc-lz4", "blosc (lz4, level 5, byte shuffle)")]
    [InlineData("zlib", "zlib (level 1)")]
    [InlineData("none", "none")]
    public void Convert_NpyToZarrAndBack_KeepsTheBytes_AndInfoShowsTheChunks(string codec, string shown)
    {
        var (code, output, error) = Run("convert", File("vol.npy"), File("vol.zarr"), "--chunks", "8,4,4", "--codec", codec);
        Assert.True(code == 0, error);
        Assert.Contains("VectorXu64(12, 4, 6), UINT16, axes VOLUME", output, StringComparison.Ordinal);
        (code, output, error) = Run("info", File("vol.zarr"));
        Assert.True(code == 0, error);
        Assert.Contains("format      Zarr v2 array", output, StringComparison.Ordinal);
        Assert.Contains("array shape (6, 4, 12) (NumPy order)", output, StringComparison.Ordinal);
        Assert.Contains("chunks      (4, 4, 8), 4 in all", output, StringComparison.Ordinal);
        Assert.Contains($"codec       {shown}", output, StringComparison.Ordinal);
        Assert.Contains("stored      ", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("convert", File("vol.zarr"), File("back.npy")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("back.npy")));
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

    [Fact]
    public void Convert_ZarrOptions_AreUsageErrors_WhereTheyDoNotFit()
    {
        var (code, _, error) = Run("convert", File("vol.npy"), File("out.npy"), "--codec", "zlib");
        Assert.Equal(2, code);
        Assert.Contains("--chunks and --codec are for a Zarr output", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--chunks", "8,4");
        Assert.Equal(2, code);
        Assert.Contains("--chunks 8,4 gives 2 sizes for an input of 3 dimensions", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--chunks", "8,0,4");
        Assert.Equal(2, code);
        Assert.Contains("--chunks", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--shape", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(File("out.zarr")));
    }

    [Fact]
    public void Convert_IntoAZarrGroup_IsRefused_AndTheGroupStays()
    {
        Assert.Equal(0, Run("convert", File("vol.npy"), File("member.zarr")).Code);
        var group = File("g.zarr");
        Directory.CreateDirectory(group);
        System.IO.File.WriteAllText(Path.Combine(group, ".zgroup"), "{\"zarr_format\": 2}");
        Directory.Move(File("member.zarr"), Path.Combine(group, "labels"));
        foreach (var target in new[] { group, group + "/" })
        {
            var (code, _, error) = Run("convert", File("vol.npy"), target);
            Assert.Equal(1, code);
            Assert.Contains("is a Zarr group; IOLink replaces only a single Zarr array", error, StringComparison.Ordinal);
        }

        Assert.True(System.IO.File.Exists(Path.Combine(group, "labels", ".zarray")));
        Assert.Equal([".zgroup", "labels"], Directory.GetFileSystemEntries(group).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Convert_WithAxes_Reorders()
    {
        // Naming the .npy axes (SLICE, ROW, COLUMN) as (ROW, SLICE, COLUMN) swaps Y and Z in the output.
        Assert.Equal(0, Run("convert", File("vol.npy"), File("swapped.npy"), "--axes", "ROW,SLICE,COLUMN").Code);
        using var v = NpyFile.Read(File("swapped.npy"));
        Assert.Equal(new VectorXu64(4, 6, 12), v.Shape);
        Assert.Equal(11 + 30 + 500, v.GetValue<ushort>(3, 5, 11));
    }

    [Theory]
    [InlineData(null, 0.0, 541.0)]
    [InlineData("plane", 500.0, 541.0)]
    [InlineData("400,600", 400.0, 600.0)]
    public void Slice_WritesAWindowedGrayscalePng(string? window, double min, double max)
    {
        string[] args = ["slice", File("vol.npy"), "--index", "5", "-o", File("s.png")];
        var (code, output, _) = Run(window is null ? args : [.. args, "--window", window]);
        Assert.Equal(0, code);
        Assert.Contains("12x4 grayscale", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(File("s.png"));
        Assert.Equal(12, bitmap.Width);
        Assert.Equal(4, bitmap.Height);
        // Plane z = 5 holds 500 + x + 10 y; the whole file spans 0..541. The window maps min to black, max to white.
        foreach (var (x, y) in new[] { (0, 0), (11, 0), (11, 3), (3, 2) })
        {
            var value = 500 + x + (10 * y);
            var expected = (byte)Math.Clamp(Math.Round((value - min) * (255.0 / (max - min))), 0, 255);
            Assert.Equal(expected, bitmap.GetPixel(x, y).Red);
        }
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

    [Theory]
    [InlineData(new[] { "info" }, "Required argument missing")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "SLICE" }, "is not DIMENSION=N")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "Q=1" }, "'Q' is not a dimension")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "Z=1,SLICE=2" }, "names SLICE twice")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "ROW=1" }, "fixes ROW, which --plane draws")]
    [InlineData(new[] { "slice", "vol.npy", "--plane", "COLUMN,COLUMN" }, "two different dimensions")]
    [InlineData(new[] { "slice", "vol.npy", "--at", "SEQUENCE=2" }, "has no SEQUENCE dimension")]
    [InlineData(new[] { "slice", "vol.npy", "--index", "1", "--at", "SLICE=2" }, "both choose the SLICE plane")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "info", "vol.raw" }, "is not a .npy file")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,4" }, "needs both --shape")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,x,6", "--dtype", "UINT16" }, "is not a list of positive sizes")]
    [InlineData(new[] { "info", "vol.raw", "--shape", "12,4,6", "--dtype", "UINT12" }, "is not a data type")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW,FOO" }, "'FOO' is not a dimension")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW" }, "--axes ROW does not fit the file")]
    [InlineData(new[] { "info", "vol.npy", "--axes", "ROW,COLUMN,SLICE,SEQUENCE" }, "--axes ROW,COLUMN,SLICE,SEQUENCE does not fit the file")]
    [InlineData(new[] { "slice", "vol.npy", "--index", "6", "-o", "a.png" }, "past the last SLICE")]
    [InlineData(new[] { "convert", "vol.npy", "vol.npy" }, "the same file")]
    public void UsageErrors_AreOneLineAndExitCode2(string[] args, string fragment)
    {
        var (code, output, error) = Run([.. args.Select(a => a.Contains('.', StringComparison.Ordinal) ? File(a) : a)]);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_AreOneLineAndExitCode1_WithTheTraceOnlyWhenVerbose()
    {
        System.IO.File.WriteAllText(File("bad.npy"), "not numpy");
        var (code, _, error) = Run("info", File("bad.npy"));
        Assert.Equal(1, code);
        Assert.StartsWith("iolink: error: This is not a .npy file", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        (code, _, error) = Run("info", File("missing.npy"));
        Assert.Equal(1, code);
        Assert.Contains("missing.npy", error, StringComparison.Ordinal);
        (code, _, error) = Run("info", File("bad.npy"), "--verbose");
        Assert.Equal(1, code);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RawDescriptions_ThatDoNotFitTheFile_AreUsageErrors_AndLeftoversAfterAnOffsetAWarning()
    {
        // 576 bytes described as 12x4x7 UINT16 (672): too few.
        var (code, _, error) = Run("info", File("vol.raw"), "--shape", "12,4,7", "--dtype", "UINT16");
        Assert.Equal(2, code);
        Assert.Contains("holds 576 bytes, but --shape 12,4,7 --dtype UINT16 needs 672", error, StringComparison.Ordinal);
        // 12x4x5: 96 bytes left over, no offset given.
        (code, _, error) = Run("info", File("vol.raw"), "--shape", "12,4,5", "--dtype", "UINT16");
        Assert.Equal(2, code);
        Assert.Contains("96 bytes would be left over", error, StringComparison.Ordinal);
        Assert.Contains("--offset", error, StringComparison.Ordinal);
        // With --offset the leftover is named in a warning, and the command runs.
        (code, var output, error) = Run("info", File("vol.raw"), "--shape", "12,4,5", "--dtype", "UINT16", "--offset", "32");
        Assert.Equal(0, code);
        Assert.Contains("iolink: warning: ", error, StringComparison.Ordinal);
        Assert.Contains("holds 64 more bytes", error, StringComparison.Ordinal);
        Assert.Contains("view shape  VectorXu64(12, 4, 5)", output, StringComparison.Ordinal);
        // An offset past the file's end says so, not that the shape needs more bytes.
        (code, _, error) = Run("info", File("vol.raw"), "--shape", "2", "--dtype", "UINT8", "--offset", "100000");
        Assert.Equal(2, code);
        Assert.Contains("--offset 100000 is past the end of", error, StringComparison.Ordinal);
        // An empty file without --offset is short of bytes: no word of an option the user did not give.
        System.IO.File.WriteAllBytes(File("empty.raw"), []);
        (code, _, error) = Run("info", File("empty.raw"), "--shape", "2", "--dtype", "UINT8");
        Assert.Equal(2, code);
        Assert.Contains("holds 0 bytes, but --shape 2 --dtype UINT8 needs 2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--offset", error, StringComparison.Ordinal);
        // A .npy file described as raw says so.
        (code, _, error) = Run("info", File("vol.npy"), "--shape", "12,4,6", "--dtype", "UINT16");
        Assert.Equal(2, code);
        Assert.Contains("is a .npy file, which describes itself", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out.png", "use: iolink slice FILE -o out.png")]
    [InlineData("out.tif", "use: iolink slice FILE -o out.tif")]
    [InlineData("out.xyz", "chosen by the extension.")]
    public void ConvertOutputs_OfOtherExtensions_AreRefused(string name, string expected)
    {
        var (code, _, error) = Run("convert", File("vol.npy"), File(name));
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File(name)));
    }

    [Theory]
    [InlineData("a.raw")]
    [InlineData("a.bin")]
    [InlineData("a.DAT")]
    public void ConvertOutputs_OfRawExtensions_AreRawData(string raw) =>
        Assert.Equal(0, Run("convert", File("vol.npy"), File(raw)).Code);

    [Fact]
    public void UsageMessages_NameTheUsersWords_NotDotNetTypes()
    {
        var (code, _, error) = Run("bogus");
        Assert.Equal(2, code);
        Assert.Equal("iolink: Unrecognized command or argument 'bogus'.", error.Split('\n')[0]);
        Assert.DoesNotContain("Required command", error, StringComparison.Ordinal);
        (code, _, error) = Run("slice", File("vol.npy"), "--index", "-1", "-o", File("s.png"));
        Assert.Equal(2, code);
        Assert.Contains("--index -1 is not a plane number: planes are counted from 0", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.UInt64", error, StringComparison.Ordinal);
        // A bad dimension name is reported in the words of the option that held it.
        (code, _, error) = Run("slice", File("vol.npy"), "--plane", "X,Q", "-o", File("s.png"));
        Assert.Equal(2, code);
        Assert.StartsWith("iolink: --plane 'X,Q': 'Q' is not a dimension", error, StringComparison.Ordinal);
        Assert.Equal("ok", Cli.UserMessage(new ArgumentException("ok", "shape")));
    }

    [Fact]
    public async Task Demo_WithAMissingLibrary_SaysWhatIsWrong_NotThatNumpyIsMissing()
    {
        var missing = Path.Combine(_dir, "no-libpython.so");
        var (code, output, error) = await Host(null, new Dictionary<string, string> { ["PYTHONNET_PYDLL"] = missing }, "demo");
        Assert.Equal(0, code);
        Assert.Contains($"skipped: PYTHONNET_PYDLL names '{missing}', which does not exist", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no CPython with NumPy", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_WithAMissingLibrary_SaysWhatIsMissing()
    {
        // Python starts once per process, so this runs the tool as a child process with a bad PYTHONNET_PYDLL.
        var missing = Path.Combine(_dir, "no-libpython.so");
        var (code, stdout, error) = await Host(null, new Dictionary<string, string> { ["PYTHONNET_PYDLL"] = missing }, "python", "-c", "print(1)");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains($"PYTHONNET_PYDLL names '{missing}', which does not exist", error, StringComparison.Ordinal);
    }

    /// <summary>Runs the tool as a child process in the test's folder (for what starts once per process, such as Python).</summary>
    private Task<(int Code, string Out, string Err)> Host(string? stdin, params string[] args) => Host(stdin, null, args);

    /// <summary>The same, with additions to the child's environment.</summary>
    private Task<(int Code, string Out, string Err)> Host(string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        ChildProcess.Run("dotnet", _dir, stdin, environment, [typeof(Cli).Assembly.Location, .. args]);

    [Fact]
    public async Task PythonHost_PassesArgumentsAndTheExitCodeThrough()
    {
        System.IO.File.WriteAllText(File("script.py"), "import sys, iolink\nprint(sys.argv[1:], iolink.VectorXu64(2, 3))\nsys.exit(3)\n");
        var (code, output, _) = await Host(null, "python", File("script.py"), "a", "--b");
        Assert.Equal(3, code);
        Assert.Equal("['a', '--b'] VectorXu64(2, 3)\n", output);

        System.IO.File.WriteAllText(File("mod.py"), "import sys\nprint('module', sys.argv[1:])\n");
        (code, output, _) = await Host(null, "python", "-m", "mod", "x");
        Assert.Equal(0, code);
        Assert.Equal("module ['x']\n", output);

        (code, output, _) = await Host("import sys; print('stdin', sys.argv[1:]); sys.exit(2**40)", "python", "-", "y");
        Assert.Equal(0, code);
        Assert.Equal("stdin ['y']\n", output);

        // A script piped in with nothing to run is read as python3 reads it: no banner, no prompts.
        (code, output, var error) = await Host("print(1 + 1)\nprint('done')\n", "python");
        Assert.Equal(0, code);
        Assert.Equal("2\ndone\n", output);
        Assert.DoesNotContain(">>>", output + error, StringComparison.Ordinal);

        // The help ends its last line, as every help text does.
        (code, output, _) = await Host(null, "python", "--help");
        Assert.Equal(0, code);
        Assert.EndsWith("printed as Python prints it.\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonHost_PrintsTracebacksAsPythonDoes()
    {
        var (code, output, error) = await Host(null, "python", "-c", "def f():\n    1/0\nf()");
        Assert.Equal(1, code);
        Assert.Empty(output);
        var lines = error.TrimEnd().Split('\n');
        Assert.Equal("Traceback (most recent call last):", lines[0]);
        Assert.Equal("  File \"<string>\", line 3, in <module>", lines[1]);
        Assert.Equal("ZeroDivisionError: division by zero", lines[^1]);
        Assert.DoesNotContain("_host.py", error, StringComparison.Ordinal);

        (code, _, error) = await Host(null, "python", "--frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_NamesTheToolAndEveryCommand()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("iolink [command] [options]", output, StringComparison.Ordinal);
        foreach (var command in new[] { "demo", "info <FILE>", "convert <IN> <OUT>", "slice <FILE>", "python" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("info", "2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE")]
    [InlineData("convert", "by its extension: .npy, .zarr (a Zarr array), or raw data for .raw, .bin and .dat")]
    [InlineData("slice", "2 to 5 dimensions are IMAGE, VOLUME, VOLUME_SEQUENCE, MULTISPECTRAL_VOLUME_SEQUENCE")]
    public void CommandHelp_DescribesTheInputsTheCommandTakes(string command, string expected)
    {
        var (code, output, _) = Run(command, "--help");
        Assert.Equal(0, code);
        // Each takes .npy, Zarr and raw files; convert names its outputs, the others their default axes up to 5-D.
        Assert.Contains("A .npy file, a Zarr array (a folder holding .zarray)", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_PrintsTheWalkthrough()
    {
        var (code, output, _) = Run("demo");
        Assert.Equal(0, code);
        Assert.Contains("VectorXu64(12, 4, 6)", output, StringComparison.Ordinal);
        Assert.Contains("ct.zarr: array shape (32, 128, 128), chunks (16, 64, 64), 8 chunks, zstd (level 1)", output, StringComparison.Ordinal);
        Assert.Contains("a 64x64 tile of slice 20: 1 chunk decoded, element (7, 5) = 1817", output, StringComparison.Ordinal);
        // CI installs zarr-python and Dask, so the Dask step runs rather than being skipped.
        Assert.Contains("dask.array.from_zarr(ct.zarr): shape (32, 128, 128), chunks (16, 64, 64), mean 1810.5", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
