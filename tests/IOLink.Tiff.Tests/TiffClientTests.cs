using System.Runtime.InteropServices;
using IOLink.Tests.Formats;

namespace IOLink.Tiff.Tests;

/// <summary>TIFF files tifffile writes (every layout, codec, predictor, byte order and type IOLink reads), read equal by IOLink.</summary>
public sealed class TiffClientTests : IDisposable
{
    private const string Tifffile = "numpy, tifffile";
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-tiff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes with tifffile the array <paramref name="numpy"/> (a Python expression of a) with <paramref name="options"/>, and saves a as .npy beside it.</summary>
    private string Write(string name, string numpy, string options)
    {
        var path = Path.Combine(_dir, name + ".tif");
        NumpyProcess.Run($$"""
            import numpy as np, tifffile
            a = {{numpy}}
            tifffile.imwrite(r'{{path}}', a, {{options}})
            np.save(r'{{path}}.npy', np.ascontiguousarray(a).astype(a.dtype.newbyteorder('=')))
            """, Tifffile);
        return path;
    }

    /// <summary>The array's bytes in C order, as the .npy file stores them.</summary>
    private static byte[] NpyData(string path) => File.ReadAllBytes(path)[(int)NpyFile.ReadHeader(path).DataOffset..];

    private static byte[] Bytes(ImageView view)
    {
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        return bytes;
    }

    public static TheoryData<string, string, string, string> Files() => new()
    {
        { "plain-u16-stack", "(np.arange(5 * 30 * 40) * 7).astype(np.uint16).reshape(5, 30, 40)", "", "VOLUME" },
        { "deflate-tiles-f32", "np.linspace(-3, 5, 4 * 70 * 50, dtype=np.float32).reshape(4, 70, 50)", "tile=(32, 16), compression='zlib', photometric='minisblack'", "VOLUME" },
        { "deflate-strips-predictor-i16", "(np.arange(45 * 33) % 3000 - 1500).astype(np.int16).reshape(45, 33)", "compression='zlib', predictor=True, rowsperstrip=7", "IMAGE" },
        { "big-endian-u32", "(np.arange(2 * 9 * 11) * 100003).astype('>u4').reshape(2, 9, 11)", "byteorder='>'", "VOLUME" },
        { "bigtiff-i8", "(np.arange(5 * 8 * 8) % 200 - 100).astype(np.int8).reshape(5, 8, 8)", "bigtiff=True", "VOLUME" },
        { "rgb-chunky", "(np.arange(12 * 10 * 3) % 256).astype(np.uint8).reshape(12, 10, 3)", "photometric='rgb'", "IMAGE" },
        { "rgb-planar-tiles", "(np.arange(3 * 33 * 20) % 256).astype(np.uint8).reshape(3, 33, 20)", "photometric='rgb', planarconfig='separate', tile=(16, 16), compression='zlib'", "MULTISPECTRAL_IMAGE" },
        { "imagej-stack", "(np.arange(6 * 20 * 30) % 4000).astype(np.uint16).reshape(6, 20, 30)", "imagej=True, metadata={'axes': 'ZYX'}", "VOLUME" },
        { "u64-strips-odd", "(np.arange(17 * 5, dtype=np.uint64) << 40).reshape(17, 5)", "rowsperstrip=4", "IMAGE" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void WhatTifffileWrites_ReadsEqual(string name, string numpy, string options, string interpretation)
    {
        var path = Write(name, numpy, options);
        using var view = TiffFile.Open(path);
        Assert.Equal(interpretation, view.AxesInterpretation.ToString());
        var npy = NpyData(path + ".npy");
        var tiff = Bytes(view);
        if (name.StartsWith("rgb-planar", StringComparison.Ordinal))
        {
            // Planar samples are a CHANNEL dimension (X, Y, C) in the view; the .npy is (S, Y, X) read by rule 1 reversed.
            Assert.Equal("VectorXu64(20, 33, 3)", view.Shape.ToString());
        }
        else if (name.StartsWith("rgb", StringComparison.Ordinal))
        {
            Assert.Equal("VEC3_UINT8", view.DataType.ToString());
        }

        // The view's canonical order (X fastest) is the .npy's C order.
        Assert.Equal(npy, tiff);
    }

    [Fact]
    public void AnUncompressedContiguousStack_IsMapped_AndARegionDecodesOnlyItsTiles()
    {
        var path = Write("mapped", "(np.arange(5 * 64 * 64) % 65521).astype(np.uint16).reshape(5, 64, 64)", "photometric='minisblack'");
        using (var view = TiffFile.Open(path))
        {
            Assert.True(view.Support(ImageCapability.MEMORY_ACCESS));
            Assert.True(TiffFile.Describe(path).Mappable);
            Assert.Equal((5, 5), (TiffFile.Describe(path).PageCount, TiffFile.Describe(path).StackPages));
            // No copy: a change made to the file after it was opened is what the view reads.
            var file = File.ReadAllBytes(path);
            var first = new byte[2];
            view.ReadRegion(new RegionXu64(new VectorXu64(3, 0, 1), new VectorXu64(1, 1, 1)), first);
            var at = file.AsSpan().IndexOf(MemoryMarshal.AsBytes(new ushort[] { (ushort)((64 * 64) + 3), (ushort)((64 * 64) + 4) }.AsSpan()));
            Assert.True(at > 0);   // pixels (3, 0) and (4, 0) of page 1, found in the file
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.Position = at;
                stream.Write([0x34, 0x12]);
            }

            view.ReadRegion(new RegionXu64(new VectorXu64(3, 0, 1), new VectorXu64(1, 1, 1)), first);
            Assert.Equal(0x1234, BitConverter.ToUInt16(first));
        }

        var tiled = Write("tiled", "(np.arange(4 * 64 * 64) % 65521).astype(np.uint16).reshape(4, 64, 64)", "tile=(16, 16), compression='zlib', photometric='minisblack'");
        using var chunked = (Chunked.ChunkedImageView)TiffFile.Open(tiled);
        Assert.False(chunked.Support(ImageCapability.MEMORY_ACCESS));
        var region = new RegionXu64(new VectorXu64(16, 32, 2), new VectorXu64(16, 16, 1));
        var got = new ushort[16 * 16];
        chunked.ReadRegion(region, MemoryMarshal.AsBytes(got.AsSpan()));
        Assert.Equal(1, chunked.ChunkedArray.ChunksDecoded);
        var all = MemoryMarshal.Cast<byte, ushort>(NpyData(tiled + ".npy")).ToArray();   // (Z, Y, X) = (4, 64, 64)
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                Assert.Equal(all[(2 * 64 * 64) + ((32 + y) * 64) + 16 + x], got[(y * 16) + x]);
            }
        }
        var description = TiffFile.Describe(tiled);
        Assert.Equal("Deflate", description.Compression);
        Assert.Equal("tiles of 16 x 16", description.Layout);
        Assert.Equal(4, description.StackPages);
    }

    [Fact]
    public void LzwWrittenByTifffile_ReadsEqual_WhenImagecodecsIsThere()
    {
        // tifffile writes LZW only through imagecodecs (not packaged by Debian); IOLink's LZW is tested on its own.
        var output = NumpyProcess.Run("""
            try:
                import imagecodecs
                print('yes')
            except ImportError:
                print('no')
            """, Tifffile);
        if (output.Trim() == "no")
        {
            return;
        }

        var path = Write("lzw", "(np.arange(30 * 31) % 1000).astype(np.uint16).reshape(30, 31)", "compression='lzw'");
        using var view = TiffFile.Open(path);
        Assert.Equal(NpyData(path + ".npy"), Bytes(view));
    }
}

/// <summary>TIFFs libtiff writes (through Pillow): LZW and PackBits, which Debian's tifffile cannot write without imagecodecs.</summary>
public sealed class TiffLibtiffTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-tiff-libtiff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tiff_lzw", "L", "np.uint8")]
    [InlineData("tiff_lzw", "I;16", "np.uint16")]
    [InlineData("tiff_lzw", "RGB", "np.uint8")]
    [InlineData("packbits", "L", "np.uint8")]
    [InlineData("tiff_adobe_deflate", "F", "np.float32")]
    public void WhatLibtiffWrites_ReadsEqual(string compression, string mode, string dtype)
    {
        var path = Path.Combine(_dir, $"{compression}-{mode.Replace(";", "", StringComparison.Ordinal)}.tif");
        NumpyProcess.Run($$"""
            import numpy as np
            from PIL import Image
            shape = (37, 53, 3) if '{{mode}}' == 'RGB' else (37, 53)
            a = (np.arange(int(np.prod(shape))) * 7 // 5 % 251).astype({{dtype}}).reshape(shape)
            Image.fromarray(a, mode='{{mode}}').save(r'{{path}}', compression='{{compression}}')
            np.save(r'{{path}}.npy', a)
            """, "numpy, PIL");
        using var view = TiffFile.Open(path);
        var bytes = new byte[view.ByteCount];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        var npy = File.ReadAllBytes(path + ".npy")[(int)NpyFile.ReadHeader(path + ".npy").DataOffset..];
        Assert.Equal(npy, bytes);
    }
}
