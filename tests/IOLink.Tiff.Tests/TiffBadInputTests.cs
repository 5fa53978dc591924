using System.Buffers.Binary;

namespace IOLink.Tiff.Tests;

/// <summary>Damaged and hostile TIFFs: an InvalidFileFormatException saying what is wrong, never a hang, a crash or garbage.</summary>
public sealed class TiffBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iolink-tiff-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A little-endian classic TIFF of one 4x2 UINT8 strip, its IFD at offset 16, with <paramref name="change"/> applied.</summary>
    private string Tiff(Action<byte[]>? change = null)
    {
        var file = new byte[16 + 2 + (8 * 12) + 4];
        "II"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 16);
        for (var i = 8; i < 16; i++)
        {
            file[i] = (byte)(i * 3);   // the pixels
        }

        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), 8);
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 3, 4), (257, 3, 2), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8), (278, 3, 2), (279, 4, 8),
        ];
        for (var i = 0; i < entries.Length; i++)
        {
            var e = file.AsSpan(18 + (i * 12));
            BinaryPrimitives.WriteUInt16LittleEndian(e, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(e[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(e[8..], entries[i].Value);
        }

        change?.Invoke(file);
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".tif");
        File.WriteAllBytes(path, file);
        return path;
    }

    private static void SetEntry(byte[] file, int index, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(18 + (index * 12) + 8), value);

    [Fact]
    public void TheMinimalFile_Reads()
    {
        using var view = TiffFile.Open(Tiff());
        Assert.Equal(new VectorXu64(4, 2), view.Shape);
        var bytes = new byte[8];
        view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), bytes);
        Assert.Equal(new byte[] { 24, 27, 30, 33, 36, 39, 42, 45 }, bytes);
    }

    [Theory]
    [InlineData("not-tiff", "not a TIFF file")]
    [InlineData("version", "TIFF version 41")]
    [InlineData("loop", "loops back to offset 16")]
    [InlineData("ifd-past-end", "past the end of the file")]
    [InlineData("strip-past-end", "strip 0 lies at bytes 8 to 100008")]
    [InlineData("jpeg", "compressed with JPEG")]
    [InlineData("empty", "is 0 x 2 pixels")]
    [InlineData("bits", "12-bit samples")]
    [InlineData("no-entries", "declares 0 entries")]
    [InlineData("bomb", "holds 8 bytes for 120000 bytes of pixels, more than its compression can expand to")]
    [InlineData("short-raw", "holds 8 bytes for 16 bytes of pixels, more than uncompressed data holds")]
    public void DamagedFiles_AreInvalidFileFormatExceptions_SayingWhat(string damage, string message)
    {
        var path = Tiff(file =>
        {
            switch (damage)
            {
                case "not-tiff": file[0] = (byte)'X'; break;
                case "version": BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 41); break;
                case "loop": BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(18 + (8 * 12)), 16); break;
                case "ifd-past-end": BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 1 << 30); break;
                case "strip-past-end": SetEntry(file, 7, 100000); break;
                case "jpeg": SetEntry(file, 3, 7); break;
                case "empty": SetEntry(file, 0, 0); break;
                case "bits": SetEntry(file, 2, 12); break;
                case "no-entries": BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), 0); break;
                case "bomb": SetEntry(file, 3, 8); SetEntry(file, 0, 60000); break;
                case "short-raw": SetEntry(file, 0, 8); break;
            }
        });
        var ex = Assert.Throws<InvalidFileFormatException>(() => TiffFile.Open(path));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptDeflateStrip_IsAnErrorNamingTheStrip()
    {
        var path = Tiff(file => SetEntry(file, 3, 8));   // Deflate, but the strip holds raw pixels
        using var view = TiffFile.Open(path);
        var ex = Assert.Throws<InvalidFileFormatException>(() => view.ReadRegion(RegionXu64.CreateFullRegion(view.Shape), new byte[8]));
        Assert.Contains("chunk '0/0' cannot be read", ex.Message, StringComparison.Ordinal);
    }
}
