using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using IOLink.Chunked;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Zarr v3's <c>crc32c</c>: the data followed by its CRC-32C (Castagnoli) checksum, 4 bytes little-endian. The
/// checksum runs on the processor's CRC32 instruction where it has one (.NET's <see cref="BitOperations.Crc32C(uint, ulong)"/>).
/// </summary>
internal sealed class Crc32cCodec : BytesToBytesCodec
{
    /// <summary>The checksum's length in bytes.</summary>
    public const int Size = 4;

    /// <inheritdoc/>
    public override string Name => "crc32c";

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (var b in data[(words.Length * 8)..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Checks the checksum at the end of <paramref name="encoded"/>; the message says why not, in words that follow "it".</summary>
    /// <exception cref="InvalidDataException">The data is shorter than a checksum, or its checksum does not match.</exception>
    public static ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < Size)
        {
            throw new InvalidDataException($"it holds {encoded.Length} bytes, fewer than its 4-byte crc32c checksum");
        }

        var data = encoded[..^Size];
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(encoded[^Size..]);
        var computed = Compute(data);
        if (stored != computed)
        {
            throw new InvalidDataException($"its crc32c checksum does not match its bytes (stored {stored:x8}, computed {computed:x8}): the data is damaged");
        }

        return data;
    }

    /// <inheritdoc/>
    public override long? DecodedLength(ReadOnlySpan<byte> encoded) => Math.Max(0, encoded.Length - Size);

    /// <inheritdoc/>
    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        var data = Checked(encoded);
        if (data.Length != decoded.Length)
        {
            throw new InvalidDataException($"it holds {data.Length} bytes before its checksum instead of {decoded.Length}");
        }

        data.CopyTo(decoded);
    }

    /// <inheritdoc/>
    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        output = ArrayPool<byte>.Shared.Rent(data.Length + Size);
        data.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(data.Length), Compute(data));
        return data.Length + Size;
    }
}
