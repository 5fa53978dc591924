using System.Buffers;
using IOLink.Chunked;
using IOLink.Tiff.Internal;

namespace IOLink.Tiff.Tests;

/// <summary>The TIFF codecs on their own: known answers, round trips over sizes and data, and damaged data told, never overrun.</summary>
public sealed class TiffCodecTests
{
    private static byte[] Encode(BytesToBytesCodec codec, byte[] data, int itemSize = 1)
    {
        var n = codec.Encode(data, itemSize, out var output);
        try
        {
            return output.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static byte[] Decode(BytesToBytesCodec codec, byte[] encoded, int length)
    {
        var decoded = new byte[length];
        codec.Decode(encoded, decoded);
        return decoded;
    }

    public static TheoryData<int, int> Data() => new() { { 1, 0 }, { 17, 1 }, { 1000, 2 }, { 70_000, 3 }, { 300_000, 4 } };

    /// <summary>Runs and noise: what compresses well and what does not.</summary>
    private static byte[] Sample(int length, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (i / 37 % 3) switch { 0 => (byte)(i / 37), 1 => (byte)random.Next(256), _ => 7 };
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Data))]
    public void Lzw_And_PackBits_RoundTrip(int length, int seed)
    {
        var data = Sample(length, seed);
        foreach (BytesToBytesCodec codec in new BytesToBytesCodec[] { new TiffLzwCodec(), new PackBitsCodec() })
        {
            Assert.Equal(data, Decode(codec, Encode(codec, data), data.Length));
        }
    }

    [Fact]
    public void PackBits_DecodesAppleTechnicalNote1023sExample()
    {
        byte[] encoded = [0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA];
        byte[] expected = [0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA];
        Assert.Equal(expected, Decode(new PackBitsCodec(), encoded, expected.Length));
    }

    [Fact]
    public void DamagedData_IsAnInvalidDataException_NeverAnOverrun()
    {
        var data = Sample(5000, 9);
        foreach (BytesToBytesCodec codec in new BytesToBytesCodec[] { new TiffLzwCodec(), new PackBitsCodec() })
        {
            var encoded = Encode(codec, data);
            var ex = Assert.Throws<InvalidDataException>(() => Decode(codec, encoded[..(encoded.Length / 2)], data.Length));
            Assert.StartsWith("it ", ex.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidDataException>(() => Decode(codec, encoded, data.Length - 1));
            Assert.Throws<InvalidDataException>(() => Decode(codec, encoded, data.Length + 1));
            var random = new Random(3);
            for (var i = 0; i < 200; i++)
            {
                var damaged = encoded.ToArray();
                damaged[random.Next(damaged.Length)] ^= (byte)(1 + random.Next(255));
                try
                {
                    Decode(codec, damaged, data.Length);
                }
                catch (InvalidDataException)
                {
                }
            }
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    public void TheHorizontalPredictor_RoundTrips(int bytesPerSample, bool bigEndian)
    {
        const int width = 13, samples = 3, rows = 5;
        var data = Sample(width * samples * rows * bytesPerSample, bytesPerSample);
        var codec = new HorizontalPredictorCodec(width * samples, samples, bytesPerSample, bigEndian);
        var encoded = Encode(codec, data, bytesPerSample);
        Assert.NotEqual(data, encoded);
        Assert.Equal(data, Decode(codec, encoded, data.Length));
    }

    [Fact]
    public void TheHorizontalPredictor_AddsEachSampleToTheOneBefore_InTheFilesByteOrder()
    {
        // Two rows of 3 big-endian uint16 samples, stored as differences: 1, +2, +3 and 100, -1, -1.
        byte[] stored = [0, 1, 0, 2, 0, 3, 0, 100, 0xFF, 0xFF, 0xFF, 0xFF];
        var pixels = Decode(new HorizontalPredictorCodec(3, 1, 2, bigEndian: true), stored, stored.Length);
        Assert.Equal(new byte[] { 0, 1, 0, 3, 0, 6, 0, 100, 0, 99, 0, 98 }, pixels);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(2)]
    public void TheFloatingPointPredictor_RoundTrips_ToLittleEndianSamples(int bytesPerSample)
    {
        const int width = 9, samples = 2, rows = 4;
        var data = Sample(width * samples * rows * bytesPerSample, 20 + bytesPerSample);
        var codec = new FloatingPointPredictorCodec(width * samples, samples, bytesPerSample);
        Assert.Equal(data, Decode(codec, Encode(codec, data, bytesPerSample), data.Length));
    }
}
