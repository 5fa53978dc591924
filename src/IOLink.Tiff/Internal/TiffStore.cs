using System.Buffers;
using System.Globalization;
using IOLink.Chunked;
using IOLink.Storage;

namespace IOLink.Tiff.Internal;

/// <summary>
/// A TIFF stack's strips or tiles as the values of a read-only store: the key of a chunk (its grid coordinates
/// joined by '/', as <see cref="ChunkKeyEncoding.V2"/> writes them) names its page and its place in the page, and its
/// value is the byte range the page's offsets and byte counts give. The file is opened once; its version is the one
/// it had then.
/// </summary>
internal sealed class TiffStore : KeyValueStore
{
    private readonly RandomAccess _file;
    private readonly IReadOnlyList<TiffPage> _pages;
    private readonly long[] _planeSizes;
    private readonly bool _planar;
    private readonly StoreVersion _version;

    /// <param name="file">The file, which the store owns.</param>
    /// <param name="pages">Each plane's page, in C order over the plane axes.</param>
    /// <param name="planeSizes">The plane axes' lengths (none for a single page).</param>
    /// <param name="name">The file's name, as messages give it.</param>
    /// <param name="version">The file's version when it was opened.</param>
    public TiffStore(RandomAccess file, IReadOnlyList<TiffPage> pages, long[] planeSizes, string name, StoreVersion version)
        : base(name)
    {
        _file = file;
        _pages = pages;
        _planeSizes = planeSizes;
        _planar = pages[0].Planar;
        _version = version;
    }

    public override bool IsReadOnly => true;

    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        var (offset, length) = Locate(key);
        if (length == 0)
        {
            return null;   // a strip or tile never written: TIFF writers mark it with a byte count of 0
        }

        var (start, count) = range.Within(length);
        if (count > maxLength)
        {
            throw TooLarge(key, count, maxLength);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)count);
        try
        {
            _file.Read(offset + start, buffer.AsSpan(0, (int)count));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new StoreValue(buffer, (int)count, _version, length, start);
    }

    protected override StoreVersion? VersionCore(string key) => Locate(key).Length == 0 ? null : _version;

    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value) =>
        throw new NotSupportedException($"{Name} is opened read-only; IOLink does not rewrite TIFF strips and tiles in place.");

    protected override bool DeleteCore(string key) =>
        throw new NotSupportedException($"{Name} is opened read-only; IOLink does not rewrite TIFF strips and tiles in place.");

    protected override IEnumerable<string> ListCore(string prefix) =>
        throw new NotSupportedException($"{Name}: a TIFF's strips and tiles are found through its pages' offsets, not listed.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The byte range of the chunk <paramref name="key"/> names: [plane axes/][sample plane/]row/column[/0].</summary>
    private (long Offset, long Length) Locate(string key)
    {
        var parts = key.Split('/');
        var values = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new ArgumentException($"'{key}' does not name a strip or tile of {Name}.", nameof(key));
            }
        }

        var at = 0;
        long page = 0;
        foreach (var size in _planeSizes)
        {
            page = (page * size) + values[at++];
        }

        var plane = _planar ? values[at++] : 0;
        var row = values[at++];
        var column = values[at];
        var p = _pages[(int)page];
        var index = (plane * p.ChunksDown * p.ChunksAcross) + (row * p.ChunksAcross) + column;
        return (p.Offsets[index], p.ByteCounts[index]);
    }
}

/// <summary>
/// A TIFF strip's or tile's stored bytes to its pixels: decompression (none, LZW, Deflate, PackBits) straight into the
/// chunk, then the predictor undone in place. Uncompressed strips may hold more bytes than the pixels (some writers
/// pad them); the pixels are their first bytes.
/// </summary>
internal sealed class TiffChunkCodec(int compression, BytesToBytesCodec? predictor, int bilevelColumns = 0) : BytesToBytesCodec
{
    private readonly BytesToBytesCodec? _decompressor = compression switch
    {
        5 => new TiffLzwCodec(),
        8 or 32946 => new DeflateCodec(gzip: false),
        32773 => new PackBitsCodec(),
        50000 => new TiffZstdCodec(),
        _ => null,
    };

    public override string Name => "tiff";

    public override string Description => _decompressor?.Name ?? "none";

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        if (bilevelColumns > 0)
        {
            // Rows of bits, most significant first, each row starting on a byte: unpacked to one 0 or 1 byte per pixel.
            var rows = decoded.Length / bilevelColumns;
            var rowBytes = (bilevelColumns + 7) / 8;
            var packed = new byte[rows * rowBytes];
            DecodeStored(encoded, packed);
            for (var r = 0; r < rows; r++)
            {
                var source = packed.AsSpan(r * rowBytes, rowBytes);
                var target = decoded.Slice(r * bilevelColumns, bilevelColumns);
                for (var c = 0; c < target.Length; c++)
                {
                    target[c] = (byte)((source[c >> 3] >> (7 - (c & 7))) & 1);
                }
            }

            return;
        }

        DecodeStored(encoded, decoded);
    }

    private void DecodeStored(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        if (_decompressor is null)
        {
            if (encoded.Length < decoded.Length)
            {
                throw new InvalidDataException($"it holds {encoded.Length} bytes, fewer than the {decoded.Length} of its pixels");
            }

            encoded[..decoded.Length].CopyTo(decoded);
        }
        else
        {
            _decompressor.Decode(encoded, decoded);
        }

        predictor?.Decode(decoded, decoded);
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output) =>
        throw new NotSupportedException("IOLink reads TIFF strips and tiles; it does not rewrite them.");
}

/// <summary>Chunks of one shape from the origin, each cut at the array's end (a TIFF's strips: the last one holds only the rows left).</summary>
internal sealed class ClippedChunkGrid : ChunkGrid
{
    private readonly long[] _chunk;
    private readonly long[] _counts;

    public ClippedChunkGrid(long[] arrayShape, long[] chunkShape)
        : base(arrayShape)
    {
        _chunk = chunkShape;
        _counts = new long[arrayShape.Length];
        long max = 1;
        for (var a = 0; a < arrayShape.Length; a++)
        {
            _counts[a] = (arrayShape[a] + chunkShape[a] - 1) / chunkShape[a];
            max *= Math.Min(chunkShape[a], arrayShape[a]);
        }

        MaxChunkElements = max;
    }

    public override long MaxChunkElements { get; }

    public override long ChunksAlong(int axis) => _counts[axis];

    public override long ChunkStart(int axis, long index) => index * _chunk[axis];

    public override long ChunkLength(int axis, long index) => Math.Min(_chunk[axis], ArrayShape[axis] - (index * _chunk[axis]));

    public override long ChunkIndex(int axis, long position) => position / _chunk[axis];
}

/// <summary>Zstandard-compressed strips and tiles (TIFF compression 50000, as tifffile writes with imagecodecs).</summary>
internal sealed class TiffZstdCodec : BytesToBytesCodec
{
    public override string Name => "zstd";

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        using var decompressor = new ZstdSharp.Decompressor();
        int written;
        try
        {
            written = decompressor.Unwrap(encoded, decoded);
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new InvalidDataException($"its Zstandard data is damaged ({e.Message})", e);
        }

        if (written != decoded.Length)
        {
            throw new InvalidDataException($"it decompresses to {written} bytes, not the {decoded.Length} of its pixels");
        }
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output) =>
        throw new NotSupportedException("IOLink reads TIFF strips and tiles; it does not rewrite them.");
}
