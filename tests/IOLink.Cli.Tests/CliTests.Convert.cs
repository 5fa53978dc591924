namespace IOLink.Cli.Tests;

/// <summary>`convert`: raw, .npy and Zarr both ways, options that do not fit, outputs that are refused.</summary>
public sealed partial class CliTests
{
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
        var (code, output, error) = Run("convert", File("vol.npy"), File("vol.zarr"), "--chunks", "8,4,4", "--codec", codec, "--zarr-format", "2");
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
    public void Convert_ToShardedZarrV3AndAnOmeZarrPyramid_InfoSliceAndStatsReadThem()
    {
        var (code, output, error) = Run("convert", File("vol.npy"), File("s.zarr"), "--chunks", "4,2,3", "--shards", "8,4,6");
        Assert.True(code == 0, error);
        (code, output, error) = Run("info", File("s.zarr"), "--stats");
        Assert.True(code == 0, error);
        Assert.Contains("format      Zarr v3 array\n", output, StringComparison.Ordinal);
        Assert.Contains("dimensions  z, y, x\n", output, StringComparison.Ordinal);
        Assert.Contains("shards      (6, 4, 8), 2 in all, index at the end with crc32c\n", output, StringComparison.Ordinal);
        Assert.Contains("chunks      (3, 2, 4) inside the shards, 12 in all\n", output, StringComparison.Ordinal);
        (_, var npyStats, _) = Run("info", File("vol.npy"), "--stats");
        Assert.Equal(npyStats[npyStats.IndexOf("min", StringComparison.Ordinal)..], output[output.IndexOf("min", StringComparison.Ordinal)..]);
        Assert.Equal(0, Run("slice", File("s.zarr"), "--index", "2", "-o", File("s.png")).Code);
        Assert.Equal(0, Run("slice", File("vol.npy"), "--index", "2", "-o", File("n.png")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("n.png")), System.IO.File.ReadAllBytes(File("s.png")));
        Assert.Equal(0, Run("convert", File("s.zarr"), File("back.npy")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("back.npy")));

        (code, output, error) = Run("convert", File("vol.npy"), File("p.ome.zarr"), "--levels", "2", "--downsample", "nearest", "--zarr-format", "2");
        Assert.True(code == 0, error);
        Assert.True(System.IO.File.Exists(Path.Combine(File("p.ome.zarr"), "1", ".zarray")));
        (code, output, error) = Run("info", File("p.ome.zarr"));
        Assert.True(code == 0, error);
        Assert.Contains("kind        multi-resolution image, 2 levels: VectorXu64(12, 4, 6), VectorXu64(6, 2, 3)", output, StringComparison.Ordinal);
        Assert.Contains("image       OME-Zarr 0.4, axes z, y, x, 2 levels\n", output, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("q.ome.zarr"), "--levels", "0");
        Assert.Equal(2, code);
        Assert.Contains("--levels 0: give from 1 to 32", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ATiffStack_IsAnInput_InfoDescribesIt_AndConvertToNpyKeepsItsPixels()
    {
        var tif = File("stack.tif");
        IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np, tifffile
            a = np.load(r'{{File("vol.npy")}}')
            tifffile.imwrite(r'{{tif}}', a, tile=(16, 16), compression='zlib', photometric='minisblack')
            """, "numpy, tifffile");
        var (code, output, error) = Run("info", tif, "--stats");
        Assert.True(code == 0, error);
        Assert.Contains("format      TIFF, little-endian, 6 pages (6 alike, read as one stack)\n", output, StringComparison.Ordinal);
        Assert.Contains("page        12 x 4, 1 sample of UINT16\n", output, StringComparison.Ordinal);
        Assert.Contains("layout      tiles of 16 x 16, Deflate\n", output, StringComparison.Ordinal);
        Assert.Contains("view shape  VectorXu64(12, 4, 6)\n", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("convert", tif, File("from-tiff.npy")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("from-tiff.npy")));
    }

    [Fact]
    public void ABigEndianNpy_IsReadAndSwapped_AsNumpyReadsIt()
    {
        var big = File("big.npy");
        IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np
            np.save(r'{{big}}', np.load(r'{{File("vol.npy")}}').astype('>u2'))
            """);
        var (code, output, error) = Run("info", big, "--stats");
        Assert.True(code == 0, error);
        Assert.Contains("view shape  VectorXu64(12, 4, 6)\n", output, StringComparison.Ordinal);
        Assert.Contains("max         541\n", output, StringComparison.Ordinal);
        (code, _, error) = Run("convert", big, File("little.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("little.npy")));
    }

    [Fact]
    public void BoolArrays_StayBool_ThroughNpyZarrAndBack()
    {
        var mask = File("mask.npy");
        IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np
            np.save(r'{{mask}}', (np.arange(5 * 6 * 7) % 3 == 0).reshape(5, 6, 7))
            """);
        foreach (var (output, args) in new[] { ("mask-out.npy", Array.Empty<string>()), ("mask2.zarr", ["--zarr-format", "2"]), ("mask3.zarr", Array.Empty<string>()) })
        {
            var (code, _, error) = Run(["convert", mask, File(output), .. args]);
            Assert.True(code == 0, error);
        }

        Assert.Equal(0, Run("convert", File("mask3.zarr"), File("mask-back.npy")).Code);
        var check = IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np, zarr
            a = np.load(r'{{mask}}')
            for path in (r'{{File("mask-out.npy")}}', r'{{File("mask-back.npy")}}'):
                b = np.load(path)
                print(b.dtype, bool((a == b).all()))
            z = zarr.open(r'{{File("mask2.zarr")}}', mode='r')
            print(z.dtype, bool((z[...] == a).all()))
            """, "numpy, zarr");
        Assert.Equal("bool True\nbool True\nbool True", check.Trim().ReplaceLineEndings("\n"));
        Assert.Contains("\"data_type\": \"bool\"", System.IO.File.ReadAllText(Path.Combine(File("mask3.zarr"), "zarr.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnHdf5File_IsAnInputByDataset_AndAnOutputH5pyReads()
    {
        var h5 = File("scan.h5");
        IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np, h5py
            a = np.load(r'{{File("vol.npy")}}')
            with h5py.File(r'{{h5}}', 'w') as f:
                f.create_dataset('entry/volume', data=a, chunks=(2, 4, 4), compression='gzip', shuffle=True)
                f.create_dataset('entry/dark', data=np.zeros((4, 12), np.uint16))
            """, "numpy, h5py");
        var (code, _, error) = Run("info", h5);
        Assert.Equal(1, code);
        Assert.Contains("holds 2 datasets; name one (/entry/dark, /entry/volume), with --dataset", error, StringComparison.Ordinal);

        (code, var output, error) = Run("info", h5, "--dataset", "/entry/volume", "--stats");
        Assert.True(code == 0, error);
        Assert.Contains("format      HDF5, 2 datasets\n", output, StringComparison.Ordinal);
        Assert.Contains("dataset     /entry/volume (6, 4, 12) UINT16, chunked in chunks (2, 4, 4), shuffle+gzip\n", output, StringComparison.Ordinal);
        Assert.Contains("view shape  VectorXu64(12, 4, 6)\n", output, StringComparison.Ordinal);
        Assert.Contains("axes        VOLUME\n", output, StringComparison.Ordinal);

        Assert.Equal(0, Run("convert", h5, File("from-h5.npy"), "--dataset", "entry/volume").Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("from-h5.npy")));

        (code, _, error) = Run("convert", File("vol.npy"), File("out.h5"), "--chunks", "12,2,3");
        Assert.True(code == 0, error);
        var check = IOLink.Tests.Formats.NumpyProcess.Run($$"""
            import numpy as np, h5py
            with h5py.File(r'{{File("out.h5")}}', 'r') as f:
                d = f['data']
                print(d.chunks, d.compression, d.attrs['axes'], bool((d[...] == np.load(r'{{File("vol.npy")}}')).all()))
            """, "numpy, h5py");
        Assert.Equal("(3, 2, 12) gzip zyx True", check.Trim());

        (code, _, error) = Run("info", File("vol.npy"), "--dataset", "/x");
        Assert.Equal(2, code);
        Assert.Contains("--dataset names a dataset of an HDF5 file; '", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("bad.h5"), "--levels", "2");
        Assert.Equal(2, code);
        Assert.Contains("--levels is not for an HDF5 output; it takes --chunks, --codec.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertWritesAnOmeTiff_WithAPyramidOnRequest_ThatReadsBackEqual()
    {
        var (code, output, error) = Run("convert", File("vol.npy"), File("out.ome.tif"), "--codec", "deflate", "--tile", "16,16", "--levels", "2");
        Assert.True(code == 0, error);
        Assert.Contains("wrote", output, StringComparison.Ordinal);
        (code, output, error) = Run("info", File("out.ome.tif"));
        Assert.True(code == 0, error);
        Assert.Contains("format      OME-TIFF, little-endian, 6 pages\n", output, StringComparison.Ordinal);
        Assert.Contains("layout      tiles of 16 x 16, Deflate\n", output, StringComparison.Ordinal);
        Assert.Contains("image       OME ZYX (6, 4, 12), 2 levels", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("convert", File("out.ome.tif"), File("back.npy")).Code);
        Assert.Equal(System.IO.File.ReadAllBytes(File("vol.npy")), System.IO.File.ReadAllBytes(File("back.npy")));

        (code, _, error) = Run("convert", File("vol.npy"), File("plain.tif"));
        Assert.True(code == 0, error);
        Assert.Contains("contiguous, memory-mapped", Run("info", File("plain.tif")).Out, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("bad.tif"), "--shards", "8,8,8");
        Assert.Equal(2, code);
        Assert.Contains("--shards is not for a TIFF output; it takes --codec, --tile, --levels, --downsample.", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("bad.tif"), "--codec", "blosc-lz4");
        Assert.Equal(2, code);
        Assert.Contains("--codec blosc-lz4 is not a TIFF compression", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("bad.tif"), "--codec", "zstd", "--tile", "10,16");
        Assert.Equal(2, code);
        Assert.Contains("--tile 10,16: give the tile width and height, each a multiple of 16", error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(File("bad.tif")));
    }

    [Fact]
    public void Convert_ZarrOptions_AreUsageErrors_WhereTheyDoNotFit()
    {
        var (code, _, error) = Run("convert", File("vol.npy"), File("out.npy"), "--codec", "zlib");
        Assert.Equal(2, code);
        Assert.Contains("--codec is for a Zarr or TIFF output; name OUT with the .zarr or .tif extension.", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.npy"), "--chunks", "4,4,4", "--shards", "8,8,8");
        Assert.Equal(2, code);
        Assert.Contains("--chunks, --shards are for a Zarr output", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--codec", "zlib");
        Assert.Equal(2, code);
        Assert.Contains("--codec zlib is a Zarr v2 codec; use gzip", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--shards", "8,8,8", "--zarr-format", "2");
        Assert.Equal(2, code);
        Assert.Contains("--shards needs Zarr v3", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--chunks", "4,4,4", "--shards", "6,4,4");
        Assert.Equal(1, code);
        Assert.Contains("multiple of the chunk length", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--chunks", "8,4");
        Assert.Equal(2, code);
        Assert.Contains("--chunks 8,4 gives 2 sizes for an input of 3 dimensions", error, StringComparison.Ordinal);
        (code, _, error) = Run("convert", File("vol.npy"), File("out.zarr"), "--chunks", "8,0,4");
        Assert.Equal(2, code);
        Assert.Contains("--chunks", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--shape", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(File("out.zarr")));
    }

    [Theory]
    [InlineData("out.npy")]
    [InlineData("out.raw")]
    [InlineData("out.zarr")]
    [InlineData("out.ome.tif")]
    [InlineData("out.h5")]
    public void Convert_NeverReplacesAnExistingOutput_UnlessTold(string name)
    {
        var target = File(name);
        Assert.Equal(0, Run("convert", File("vol.npy"), target).Code);
        var before = Snapshot(target);
        var (code, output, error) = Run("convert", File("vol.npy"), target, "--axes", "COLUMN,ROW,SLICE");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains($"OUT '{target}' exists; convert does not replace it unless told to: give --overwrite", error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(target));

        // --overwrite false is as good as leaving it out; true as giving it alone.
        (code, _, error) = Run("convert", File("vol.npy"), target, "--overwrite", "false");
        Assert.Equal(2, code);
        Assert.Contains("give --overwrite", error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(target));
        (code, _, error) = Run("convert", File("vol.npy"), target, "--overwrite", "true");
        Assert.True(code == 0, error);
        (code, _, error) = Run("convert", File("vol.npy"), target, "--overwrite");
        Assert.True(code == 0, error);
    }

    [Theory]
    [InlineData("--levels", "two", "--levels 'two' is not a whole number; give from 1 to 32 resolution levels.")]
    [InlineData("--levels", "99999999999999999999", "--levels 99999999999999999999 is out of range; give from 1 to 32 resolution levels.")]
    [InlineData("--levels", "+-3", "--levels '+-3' is not a whole number")]
    [InlineData("--bin", "100000", "--bin 100000: give a factor from 2 to 65536.")]
    [InlineData("--levels", "33", "--levels 33: give from 1 to 32 resolution levels.")]
    [InlineData("--bin", "2.5", "--bin '2.5' is not a whole number; give a factor such as 2 or 4.")]
    [InlineData("--bin", "-2", "--bin -2: give a factor of 2 or more.")]
    [InlineData("--zarr-format", "4", "'4'")]
    public void Convert_NumericOptions_SayWhatTheyTake(string option, string value, string message)
    {
        var target = option == "--bin" ? File("n.npy") : File("n.zarr");
        var (code, output, error) = Run("convert", File("vol.npy"), target, option, value);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.False(Path.Exists(target));
    }

    [Fact]
    public void Convert_Region_WritesOnlyThatPart()
    {
        // Element (x, y, z) is x + 10 y + 100 z; the region x 2-6, y all, z 3-5.
        var (code, output, error) = Run("convert", File("vol.npy"), File("part.npy"), "--region", "2:7,:,3:");
        Assert.True(code == 0, error);
        Assert.Contains("wrote", output, StringComparison.Ordinal);
        using var part = NpyFile.Read(File("part.npy"), ImageTypeId.VOLUME);
        Assert.Equal(new VectorXu64(5, 4, 3), part.Shape);
        Assert.Equal((ushort)(2 + 30 + 300), part.GetValue<ushort>(0, 3, 0));
        Assert.Equal((ushort)(6 + 0 + 500), part.GetValue<ushort>(4, 0, 2));

        Assert.Contains("has 2 parts but IN has 3 dimensions", Run("convert", File("vol.npy"), File("p2.npy"), "--region", "1:2,3:4").Err, StringComparison.Ordinal);
        Assert.Contains("is not a part of dimension 0, which has 12 elements", Run("convert", File("vol.npy"), File("p3.npy"), "--region", "5:13,:,:").Err, StringComparison.Ordinal);
        Assert.Contains("is not START:END", Run("convert", File("vol.npy"), File("p4.npy"), "--region", "a:b,:,:").Err, StringComparison.Ordinal);
        Assert.Contains("START must be below END", Run("convert", File("vol.npy"), File("p5.npy"), "--region", "4:4,:,:").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_ToRaw_KeepsTheArrayOrder_AndSaysHowToReadItBack()
    {
        // A 5-D array: its raw output is the .npy's payload byte for byte, and the options printed read it back.
        using (var five = ImageViewFactory.Allocate(new VectorXu64(6, 5, 4, 3, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE)))
        {
            var values = Enumerable.Range(0, 6 * 5 * 4 * 3 * 2).Select(i => (ushort)(i * 7)).ToArray();
            five.WriteRegion(RegionXu64.CreateFullRegion(five.Shape), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            NpyFile.Write(five, File("five.npy"));
        }

        var (code, output, error) = Run("convert", File("five.npy"), File("five.raw"));
        Assert.True(code == 0, error);
        var header = NpyFile.ReadHeader(File("five.npy"));
        Assert.Equal(System.IO.File.ReadAllBytes(File("five.npy")).AsSpan((int)header.DataOffset).ToArray(), System.IO.File.ReadAllBytes(File("five.raw")));
        var hint = System.Text.RegularExpressions.Regex.Match(output, "read it back with (--shape (\\S+) --dtype (\\S+) --axes ([A-Z,]+))\\)");
        Assert.True(hint.Success, output);
        var (_, back, backError) = Run("convert", File("five.raw"), "--shape", hint.Groups[2].Value, "--dtype", hint.Groups[3].Value, "--axes", hint.Groups[4].Value, File("back.npy"));
        Assert.True(backError.Length == 0, backError);
        Assert.Equal(System.IO.File.ReadAllBytes(File("five.npy")), System.IO.File.ReadAllBytes(File("back.npy")));
        Assert.Contains("wrote", back, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_Bin_Rescale_AndSpacing_DoTheEverydayJobs()
    {
        // Element (x, y, z) is x + 10 y + 100 z, a 12x4x6 UINT16 volume.
        var (code, _, error) = Run("convert", File("vol.npy"), File("bin2.npy"), "--bin", "2");
        Assert.True(code == 0, error);
        using (var half = NpyFile.Read(File("bin2.npy"), ImageTypeId.VOLUME))
        {
            Assert.Equal(new VectorXu64(6, 2, 3), half.Shape);
            // The mean of x 2-3, y 0-1, z 2-3: 2.5 + 5 + 250, rounded to the nearest integer.
            Assert.Equal((ushort)258, half.GetValue<ushort>(1, 0, 1));
        }

        (code, _, error) = Run("convert", File("vol.npy"), File("bin3.npy"), "--bin", "3", "--downsample", "nearest");
        Assert.True(code == 0, error);
        using (var third = NpyFile.Read(File("bin3.npy"), ImageTypeId.VOLUME))
        {
            Assert.Equal(new VectorXu64(4, 2, 2), third.Shape);
            Assert.Equal((ushort)(3 + 30 + 300), third.GetValue<ushort>(1, 1, 1));
        }

        (code, _, error) = Run("convert", File("vol.npy"), File("u8.npy"), "--out-dtype", "uint8", "--rescale", "auto");
        Assert.True(code == 0, error);
        using (var bytes = NpyFile.Read(File("u8.npy"), ImageTypeId.VOLUME))
        {
            Assert.Equal((DataType)DataTypeId.UINT8, bytes.DataType);
            Assert.Equal((byte)0, bytes.GetValue<byte>(0, 0, 0));
            Assert.Equal((byte)255, bytes.GetValue<byte>(11, 3, 5));   // 541, the maximum
        }

        (code, _, error) = Run("convert", File("vol.npy"), File("f.npy"), "--out-dtype", "float", "--rescale", "0:1000");
        Assert.True(code == 0, error);
        using (var floats = NpyFile.Read(File("f.npy"), ImageTypeId.VOLUME))
        {
            Assert.Equal(0.5f, floats.GetValue<float>(0, 0, 5), 5);   // 500 of 0..1000
        }

        (code, _, error) = Run("convert", File("vol.npy"), File("cal.ome.tif"), "--spacing", "0.5,0.5,2", "--unit", "um");
        Assert.True(code == 0, error);
        Assert.Contains("voxel 0.5 x 0.5 x 2 micrometer", Run("info", File("cal.ome.tif")).Out, StringComparison.Ordinal);

        Assert.Contains("give --out-dtype too", Run("convert", File("vol.npy"), File("e1.npy"), "--rescale", "auto").Err, StringComparison.Ordinal);
        Assert.Contains("is not LO:HI", Run("convert", File("vol.npy"), File("e2.npy"), "--out-dtype", "uint8", "--rescale", "9:1").Err, StringComparison.Ordinal);
        Assert.Contains("give a power of two", Run("convert", File("vol.npy"), File("e3.npy"), "--bin", "3").Err, StringComparison.Ordinal);
        Assert.Contains("is not a positive size", Run("convert", File("vol.npy"), File("e4.npy"), "--spacing", "1,-2").Err, StringComparison.Ordinal);
        Assert.Contains("give --spacing too", Run("convert", File("vol.npy"), File("e5.npy"), "--unit", "nm").Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_ToADevice_NeedsNoOverwrite()
    {
        Assert.Equal(0, Run("convert", File("vol.npy"), "/dev/null").Code);
    }

    private static string Snapshot(string path) =>
        System.IO.Directory.Exists(path)
            ? string.Join("\n", System.IO.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => f + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(f)))))
            : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)));

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
            var (code, _, error) = Run("convert", File("vol.npy"), target, "--overwrite");
            Assert.Equal(1, code);
            Assert.Contains("is a Zarr group; IOLink replaces only a single Zarr array", error, StringComparison.Ordinal);
        }

        Assert.True(System.IO.File.Exists(Path.Combine(group, "labels", "zarr.json")));
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
        // An offset that is not a number, or negative, is a usage error in the option's words.
        (code, _, error) = Run("info", File("vol.raw"), "--shape", "2", "--dtype", "UINT8", "--offset", "12kB");
        Assert.Equal(2, code);
        Assert.Contains("--offset '12kB' is not a whole number; give a byte position such as 128.", error, StringComparison.Ordinal);
        (code, _, error) = Run("info", File("vol.raw"), "--shape", "2", "--dtype", "UINT8", "--offset", "-4");
        Assert.Equal(2, code);
        Assert.Contains("--offset -4 is negative", error, StringComparison.Ordinal);
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
    [InlineData("out.bmp", "use: iolink slice FILE -o out.bmp")]
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
}
