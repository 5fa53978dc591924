using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using IOLink.Chunked;

namespace IOLink.Tiff.Internal;

/// <summary>
/// TIFF's LZW (compression 5) as libtiff writes it: codes of 9 to 12 bits, most significant bit first, the width
/// growing one code early ("early change"), ClearCode 256 and EndOfInformation 257. Decoding copies each code's string
/// from where it was last written, so its work is bounded by the output.
/// </summary>
internal sealed class TiffLzwCodec : BytesToBytesCodec
{
    private const int ClearCode = 256, EndOfInformation = 257, FirstCode = 258, MinWidth = 9, MaxWidth = 12, TableSize = 1 << MaxWidth;

    /// <summary>libtiff's encoder starts a new table when its next code would be this (CODE_MAX - 1).</summary>
    private const int EncoderLimit = TableSize - 2;

    private const int HashBits = 13, HashSize = 1 << HashBits;

    public override string Name => "lzw";

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        // Each table code's string is a copy of bytes already written: where they start and how many they are.
        Span<int> offsets = stackalloc int[TableSize];
        Span<int> lengths = stackalloc int[TableSize];
        var width = MinWidth;
        var next = FirstCode;
        var previousAt = 0;
        var previousLength = 0; // 0: no previous code (at the start and after a ClearCode)
        var at = 0;
        var input = 0;
        var bits = 0u;
        var bitCount = 0;
        while (true)
        {
            while (bitCount < width && input < encoded.Length)
            {
                bits = (bits << 8) | encoded[input++];
                bitCount += 8;
            }

            if (bitCount < width)
            {
                break; // the data ends without EndOfInformation, which libtiff accepts
            }

            bitCount -= width;
            var code = (int)(bits >> bitCount) & ((1 << width) - 1);
            if (code == EndOfInformation)
            {
                break;
            }

            if (code == ClearCode)
            {
                width = MinWidth;
                next = FirstCode;
                previousLength = 0;
                continue;
            }

            int length;
            if (code < ClearCode)
            {
                length = 1;
            }
            else if (previousLength == 0 || code > next)
            {
                var position = ((long)input * 8) - bitCount - width;
                var last = previousLength == 0 ? EndOfInformation : next;
                throw new InvalidDataException($"it is not valid LZW data (code {code} at bit {position}, past the last valid code {last})");
            }
            else if (code < next)
            {
                length = lengths[code];
            }
            else
            {
                length = previousLength + 1; // the code being defined: the previous string and its first byte
            }

            if (length > decoded.Length - at)
            {
                throw new InvalidDataException($"it decompresses to more than the chunk's {decoded.Length} bytes");
            }

            if (code < ClearCode)
            {
                decoded[at] = (byte)code;
            }
            else if (code < next)
            {
                decoded.Slice(offsets[code], length).CopyTo(decoded[at..]);
            }
            else
            {
                // The previous string ends where this one starts.
                decoded.Slice(previousAt, previousLength).CopyTo(decoded[at..]);
                decoded[at + previousLength] = decoded[previousAt];
            }

            if (previousLength != 0 && next < TableSize)
            {
                // The new code is the previous string and this one's first byte: bytes now written in a row.
                offsets[next] = previousAt;
                lengths[next] = previousLength + 1;
                next++;
                if (next >= (1 << width) - 1 && width < MaxWidth)
                {
                    width++;
                }
            }

            previousAt = at;
            previousLength = length;
            at += length;
        }

        if (at != decoded.Length)
        {
            throw new InvalidDataException($"it decompresses to {at} bytes instead of {decoded.Length}");
        }
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        // At most one code of 12 bits per byte, a ClearCode every 3836 codes, and the first ClearCode, the last code and EndOfInformation.
        var buffer = ArrayPool<byte>.Shared.Rent(checked(data.Length + (data.Length / 2) + (data.Length / 1024) + 16));
        var written = 0;
        var accumulator = 0u;
        var pending = 0;
        var width = MinWidth;
        var next = FirstCode;
        var keys = new int[HashSize]; // (prefix << 8 | byte) + 1; 0 for an empty slot
        var codes = new short[HashSize];

        void Put(int code)
        {
            accumulator = (accumulator << width) | (uint)code;
            pending += width;
            while (pending >= 8)
            {
                pending -= 8;
                buffer[written++] = (byte)(accumulator >> pending);
            }
        }

        // After each code but the first after a ClearCode, the decoder defines a code; the encoder is one code ahead, and
        // (as libtiff's) starts a new table at its limit, or widens the codes once the next would not fit.
        void Advance()
        {
            next++;
            if (next == EncoderLimit)
            {
                Put(ClearCode);
                Array.Clear(keys);
                next = FirstCode;
                width = MinWidth;
            }
            else if (next > (1 << width) - 1)
            {
                width++;
            }
        }

        Put(ClearCode);
        if (data.Length > 0)
        {
            int prefix = data[0];
            for (var i = 1; i < data.Length; i++)
            {
                int value = data[i];
                var key = (prefix << 8) | value;
                var slot = (int)(((uint)key * 2654435761u) >> (32 - HashBits));
                while (keys[slot] != 0 && keys[slot] != key + 1)
                {
                    slot = (slot + 1) & (HashSize - 1);
                }

                if (keys[slot] != 0)
                {
                    prefix = codes[slot];
                    continue;
                }

                Put(prefix);
                keys[slot] = key + 1;
                codes[slot] = (short)next;
                prefix = value;
                Advance();
            }

            Put(prefix);
            Advance();
        }

        Put(EndOfInformation);
        if (pending > 0)
        {
            buffer[written++] = (byte)(accumulator << (8 - pending));
        }

        output = buffer;
        return written;
    }
}

/// <summary>
/// TIFF's PackBits (compression 32773): a header byte n, then n + 1 literal bytes (n from 0 to 127), or one byte
/// repeated 1 - n times (n from -127 to -1); -128 is skipped.
/// </summary>
internal sealed class PackBitsCodec : BytesToBytesCodec
{
    public override string Name => "packbits";

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        var at = 0;
        var input = 0;
        while (input < encoded.Length)
        {
            var header = (sbyte)encoded[input++];
            if (header >= 0)
            {
                var count = header + 1;
                if (count > decoded.Length - at)
                {
                    throw new InvalidDataException($"it decompresses to more than the chunk's {decoded.Length} bytes");
                }

                if (count > encoded.Length - input)
                {
                    throw new InvalidDataException($"it decompresses to {at + encoded.Length - input} bytes instead of {decoded.Length} (its last run is cut off)");
                }

                encoded.Slice(input, count).CopyTo(decoded[at..]);
                input += count;
                at += count;
            }
            else if (header != -128)
            {
                var count = 1 - header;
                if (count > decoded.Length - at)
                {
                    throw new InvalidDataException($"it decompresses to more than the chunk's {decoded.Length} bytes");
                }

                if (input >= encoded.Length)
                {
                    throw new InvalidDataException($"it decompresses to {at} bytes instead of {decoded.Length} (its last run is cut off)");
                }

                decoded.Slice(at, count).Fill(encoded[input++]);
                at += count;
            }
        }

        if (at != decoded.Length)
        {
            throw new InvalidDataException($"it decompresses to {at} bytes instead of {decoded.Length}");
        }
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        // One header byte per 128 literal bytes at most: runs cost no more than the bytes they stand for.
        output = ArrayPool<byte>.Shared.Rent(checked(data.Length + (data.Length / 128) + 2));
        var written = 0;
        var i = 0;
        while (i < data.Length)
        {
            var run = 1;
            while (run < 128 && i + run < data.Length && data[i + run] == data[i])
            {
                run++;
            }

            if (run >= 2)
            {
                output[written++] = (byte)(1 - run);
                output[written++] = data[i];
                i += run;
                continue;
            }

            // Literal bytes up to the next run of three or more, 128 at most.
            var start = i;
            i++;
            while (i < data.Length && i - start < 128 && !(i + 2 < data.Length && data[i] == data[i + 1] && data[i] == data[i + 2]))
            {
                i++;
            }

            output[written++] = (byte)(i - start - 1);
            data[start..i].CopyTo(output.AsSpan(written));
            written += i - start;
        }

        return written;
    }
}

/// <summary>
/// TIFF's horizontal differencing (Predictor 2), undone after decompression: each sample is stored as its difference
/// from the same sample of the pixel before it in the row, in wrapping integer arithmetic of the sample's width and
/// the file's byte order. It keeps the data's length, so it follows the decompressor.
/// </summary>
internal sealed class HorizontalPredictorCodec : BytesToBytesCodec
{
    private readonly int _rowLength;
    private readonly int _stride;
    private readonly int _bytesPerSample;
    private readonly bool _bigEndian;
    private readonly int _rowBytes;

    /// <param name="rowLength">The samples of one row: the width times the samples per pixel (chunky), or the width (planar).</param>
    /// <param name="samplesPerPixel">The samples between a sample and the same sample of the pixel before it: 1 for planar images.</param>
    /// <param name="bytesPerSample">1, 2, 4 or 8.</param>
    /// <param name="bigEndian">Whether the file's samples are big-endian.</param>
    public HorizontalPredictorCodec(int rowLength, int samplesPerPixel, int bytesPerSample, bool bigEndian)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerPixel);
        if (bytesPerSample is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(bytesPerSample), bytesPerSample, "The horizontal predictor takes samples of 1, 2, 4 or 8 bytes.");
        }

        _rowLength = rowLength;
        _stride = samplesPerPixel;
        _bytesPerSample = bytesPerSample;
        _bigEndian = bigEndian;
        _rowBytes = checked(rowLength * bytesPerSample);
    }

    public override string Name => "horizontal-predictor";

    public override long? DecodedLength(ReadOnlySpan<byte> encoded) => encoded.Length;

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        PredictorRows.CopyWhole(encoded, decoded, _rowBytes);
        Apply(decoded, undo: true);
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        if (data.Length % _rowBytes != 0)
        {
            throw new ArgumentException($"The data ({data.Length} bytes) is not a whole number of {_rowBytes}-byte rows.", nameof(data));
        }

        output = ArrayPool<byte>.Shared.Rent(data.Length);
        var encoded = output.AsSpan(0, data.Length);
        data.CopyTo(encoded);
        Apply(encoded, undo: false);
        return data.Length;
    }

    /// <summary>Undoes (or applies) the differencing of whole rows in place, the samples brought to the machine's order for it.</summary>
    private void Apply(Span<byte> rows, bool undo)
    {
        var swap = _bigEndian == BitConverter.IsLittleEndian;
        if (swap)
        {
            BytesCodec.Swap(rows, _bytesPerSample);
        }

        switch (_bytesPerSample)
        {
            case 1:
                Difference(rows, undo);
                break;
            case 2:
                Difference(MemoryMarshal.Cast<byte, ushort>(rows), undo);
                break;
            case 4:
                Difference(MemoryMarshal.Cast<byte, uint>(rows), undo);
                break;
            default:
                Difference(MemoryMarshal.Cast<byte, ulong>(rows), undo);
                break;
        }

        if (swap)
        {
            BytesCodec.Swap(rows, _bytesPerSample);
        }
    }

    /// <summary>Undoes (or applies) the differencing of whole rows of samples in the machine's order.</summary>
    private void Difference<T>(Span<T> values, bool undo)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var start = 0; start < values.Length; start += _rowLength)
        {
            var row = values.Slice(start, _rowLength);
            if (undo)
            {
                for (var i = _stride; i < row.Length; i++)
                {
                    row[i] += row[i - _stride];
                }
            }
            else
            {
                for (var i = row.Length - 1; i >= _stride; i--)
                {
                    row[i] -= row[i - _stride];
                }
            }
        }
    }
}

/// <summary>
/// TIFF's floating-point predictor (Predictor 3), as libtiff and tifffile implement it, undone after decompression:
/// each row's samples are stored as byte planes, the most significant bytes first, then differenced byte by byte
/// (with the samples per pixel as the stride). Undone, the samples are little-endian whatever the file's byte order.
/// It keeps the data's length, so it follows the decompressor.
/// </summary>
internal sealed class FloatingPointPredictorCodec : BytesToBytesCodec
{
    private readonly int _rowLength;
    private readonly int _stride;
    private readonly int _bytesPerSample;
    private readonly int _rowBytes;

    /// <param name="rowLength">The samples of one row: the width times the samples per pixel (chunky), or the width (planar).</param>
    /// <param name="samplesPerPixel">The byte stride of the differencing: the samples per pixel, 1 for planar images.</param>
    /// <param name="bytesPerSample">2, 4 or 8.</param>
    public FloatingPointPredictorCodec(int rowLength, int samplesPerPixel, int bytesPerSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerPixel);
        if (bytesPerSample is not (2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(bytesPerSample), bytesPerSample, "The floating-point predictor takes samples of 2, 4 or 8 bytes.");
        }

        _rowLength = rowLength;
        _stride = samplesPerPixel;
        _bytesPerSample = bytesPerSample;
        _rowBytes = checked(rowLength * bytesPerSample);
    }

    public override string Name => "floating-point-predictor";

    public override long? DecodedLength(ReadOnlySpan<byte> encoded) => encoded.Length;

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        PredictorRows.CopyWhole(encoded, decoded, _rowBytes);
        if (decoded.IsEmpty)
        {
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(_rowBytes);
        try
        {
            var planes = rented.AsSpan(0, _rowBytes);
            for (var start = 0; start < decoded.Length; start += _rowBytes)
            {
                var row = decoded.Slice(start, _rowBytes);
                for (var i = _stride; i < row.Length; i++)
                {
                    row[i] += row[i - _stride];
                }

                row.CopyTo(planes);
                for (var plane = 0; plane < _bytesPerSample; plane++)
                {
                    // Plane 0 holds the most significant bytes, the last byte of a little-endian sample.
                    var from = planes.Slice(plane * _rowLength, _rowLength);
                    var to = _bytesPerSample - 1 - plane;
                    for (var s = 0; s < from.Length; s++)
                    {
                        row[(s * _bytesPerSample) + to] = from[s];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        if (data.Length % _rowBytes != 0)
        {
            throw new ArgumentException($"The data ({data.Length} bytes) is not a whole number of {_rowBytes}-byte rows.", nameof(data));
        }

        output = ArrayPool<byte>.Shared.Rent(data.Length);
        for (var start = 0; start < data.Length; start += _rowBytes)
        {
            var samples = data.Slice(start, _rowBytes);
            var row = output.AsSpan(start, _rowBytes);
            for (var plane = 0; plane < _bytesPerSample; plane++)
            {
                var to = row.Slice(plane * _rowLength, _rowLength);
                var from = _bytesPerSample - 1 - plane;
                for (var s = 0; s < to.Length; s++)
                {
                    to[s] = samples[(s * _bytesPerSample) + from];
                }
            }

            for (var i = row.Length - 1; i >= _stride; i--)
            {
                row[i] -= row[i - _stride];
            }
        }

        return data.Length;
    }
}

/// <summary>What both predictors check before undoing themselves in place: a chunk of whole rows, copied as it is.</summary>
internal static class PredictorRows
{
    public static void CopyWhole(ReadOnlySpan<byte> encoded, Span<byte> decoded, int rowBytes)
    {
        if (encoded.Length != decoded.Length)
        {
            throw new InvalidDataException($"it holds {encoded.Length} bytes instead of the chunk's {decoded.Length}");
        }

        if (decoded.Length % rowBytes != 0)
        {
            throw new InvalidDataException($"it holds {decoded.Length} bytes, not a whole number of {rowBytes}-byte rows");
        }

        encoded.CopyTo(decoded);
    }
}
