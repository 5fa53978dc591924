using System.Buffers;
using System.IO.Compression;

namespace IOLink.Chunked;

/// <summary>Deflate streams in zlib (RFC 1950) or gzip (RFC 1952) framing, through System.IO.Compression: numcodecs' <c>zlib</c> and <c>gzip</c>, Zarr v3's <c>gzip</c>.</summary>
public sealed class DeflateCodec : BytesToBytesCodec
{
    /// <summary>A codec writing at <paramref name="level"/> (0 to 9).</summary>
    /// <param name="gzip">gzip framing; zlib framing otherwise.</param>
    /// <param name="level">The compression level, 0 (store) to 9 (smallest).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not from 0 to 9.</exception>
    public DeflateCodec(bool gzip, int level = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        IsGzip = gzip;
        Level = level;
    }

    /// <summary>Whether the framing is gzip's (zlib's otherwise).</summary>
    public bool IsGzip { get; }

    /// <summary>The level new data is compressed at.</summary>
    public int Level { get; }

    /// <inheritdoc/>
    public override string Name => IsGzip ? "gzip" : "zlib";

    /// <inheritdoc/>
    public override string Description => $"{Name} (level {Level})";

    /// <inheritdoc/>
    public override unsafe void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidDataException($"it holds no bytes, which is not {Name} data");   // (and a fixed pointer to nothing is null)
        }

        fixed (byte* p = encoded)
        {
            using var input = new UnmanagedMemoryStream(p, encoded.Length);
            using Stream stream = IsGzip ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
            try
            {
                var done = 0;
                while (done < decoded.Length)
                {
                    var n = stream.Read(decoded[done..]);
                    if (n == 0)
                    {
                        throw new InvalidDataException($"it decompresses to {done} bytes instead of {decoded.Length}");
                    }

                    done += n;
                }

                Span<byte> probe = stackalloc byte[1];
                if (stream.Read(probe) != 0)
                {
                    throw new InvalidDataException($"it decompresses to more than the chunk's {decoded.Length} bytes");
                }
            }
            catch (InvalidDataException ex) when (!ex.Message.StartsWith("it decompresses", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"it is not valid {Name} data ({ex.Message.TrimEnd('.')})", ex);
            }
            catch (IOException ex)
            {
                // zlib's own failures (a ZLibException) are IOExceptions: the data is as corrupt either way.
                throw new InvalidDataException($"it is not valid {Name} data ({ex.Message.TrimEnd('.')})", ex);
            }
        }
    }

    /// <inheritdoc/>
    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output)
    {
        using var buffer = new MemoryStream();
        var options = new ZLibCompressionOptions { CompressionLevel = Level };
        using (Stream stream = IsGzip ? new GZipStream(buffer, options, leaveOpen: true) : new ZLibStream(buffer, options, leaveOpen: true))
        {
            stream.Write(data);
        }

        output = ArrayPool<byte>.Shared.Rent((int)buffer.Length);
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).CopyTo(output);
        return (int)buffer.Length;
    }
}
