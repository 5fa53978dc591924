using System.Buffers.Binary;
using System.Text;

namespace IOLink.Tiff.Internal;

/// <summary>
/// A TIFF or BigTIFF file's header and image file directories (IFDs), read through a <see cref="RandomAccess"/> with
/// every offset and count checked against the file's size: an IFD chain that loops, points past the end, or declares
/// more values than the file can hold is an <see cref="InvalidFileFormatException"/>, never a long loop or a large
/// allocation.
/// </summary>
internal sealed class TiffDirectory
{
    /// <summary>The most IFDs followed: a chain longer than this is taken as damaged (or hostile).</summary>
    public const int MaxPages = 1 << 20;

    private const int Window = 64 << 10;
    private readonly RandomAccess _file;
    private readonly string _name;
    private readonly byte[] _window = new byte[Window];
    private long _windowStart = -1;
    private int _windowLength;

    private TiffDirectory(RandomAccess file, string name, bool bigEndian, bool bigTiff)
    {
        _file = file;
        _name = name;
        BigEndian = bigEndian;
        BigTiff = bigTiff;
    }

    /// <summary>Whether the file's numbers are big-endian (<c>MM</c>).</summary>
    public bool BigEndian { get; }

    /// <summary>Whether the file is a BigTIFF (64-bit offsets).</summary>
    public bool BigTiff { get; }

    /// <summary>The IFDs of the main chain, in file order.</summary>
    public List<Ifd> Pages { get; } = [];

    /// <summary>Reads the header and the whole IFD chain.</summary>
    /// <exception cref="InvalidFileFormatException">The file is not a TIFF, or its directories are damaged.</exception>
    public static TiffDirectory Read(RandomAccess file, string name)
    {
        Span<byte> header = stackalloc byte[16];
        if (file.Size < 8)
        {
            throw new InvalidFileFormatException($"'{name}' holds {file.Size} bytes, fewer than a TIFF header's 8; it is not a TIFF file.");
        }

        var n = (int)Math.Min(16, file.Size);
        file.Read(0, header[..n]);
        var bigEndian = header[0] == 'M' && header[1] == 'M';
        if (!bigEndian && !(header[0] == 'I' && header[1] == 'I'))
        {
            throw new InvalidFileFormatException($"'{name}' does not start with a TIFF byte order mark (II or MM); it is not a TIFF file.");
        }

        var version = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        if (version is not (42 or 43))
        {
            throw new InvalidFileFormatException($"'{name}' has TIFF version {version}, neither 42 (TIFF) nor 43 (BigTIFF).");
        }

        var directory = new TiffDirectory(file, name, bigEndian, version == 43);
        long first;
        if (version == 43)
        {
            if (n < 16 || directory.U16(header[4..]) != 8 || directory.U16(header[6..]) != 0)
            {
                throw new InvalidFileFormatException($"'{name}' is a BigTIFF whose header does not say 8-byte offsets; the file is damaged.");
            }

            first = directory.Offset(directory.U64(header[8..]));
        }
        else
        {
            first = directory.U32(header[4..]);
        }

        if (first == 0)
        {
            throw new InvalidFileFormatException($"'{name}' holds no image (its first directory offset is 0).");
        }

        directory._next = first;
        directory.ReadNext();
        return directory;
    }

    private readonly HashSet<long> _seen = [];
    private long _next;

    /// <summary>Whether the whole chain of IFDs has been read.</summary>
    public bool Complete => _next == 0;

    /// <summary>Reads the next IFD of the main chain into <see cref="Pages"/>; false when there is none.</summary>
    public bool ReadNext()
    {
        if (_next == 0)
        {
            return false;
        }

        if (!_seen.Add(_next) || _seen.Count > MaxPages)
        {
            throw new InvalidFileFormatException(_seen.Count > MaxPages
                ? $"'{_name}' has more than {MaxPages} pages; IOLink reads at most that many."
                : $"'{_name}': its chain of image directories loops back to offset {_next}; the file is damaged.");
        }

        Pages.Add(ReadIfd(_next, out _next));
        return true;
    }

    /// <summary>Reads every IFD of the main chain not read yet.</summary>
    public void ReadAll()
    {
        while (ReadNext())
        {
        }
    }

    /// <summary>Reads the IFD at <paramref name="offset"/> (a SubIFD too).</summary>
    public Ifd ReadIfd(long offset, out long next)
    {
        var countSize = BigTiff ? 8 : 2;
        var entrySize = BigTiff ? 20 : 12;
        var offsetSize = BigTiff ? 8 : 4;
        Span<byte> countBytes = stackalloc byte[8];
        CheckRange(offset, countSize, "an image directory");
        ReadAhead(offset, countBytes[..countSize]);
        var count = BigTiff ? U64(countBytes) : U16(countBytes);
        if (count == 0 || count > 4096)
        {
            throw new InvalidFileFormatException($"'{_name}': the image directory at offset {offset} declares {count} entries; a directory holds 1 to 4096, so the file is damaged.");
        }

        var bytes = new byte[((int)count * entrySize) + offsetSize];
        CheckRange(offset + countSize, bytes.Length, "an image directory");
        ReadAhead(offset + countSize, bytes);
        var ifd = new Ifd(offset);
        for (var i = 0; i < (int)count; i++)
        {
            var e = bytes.AsSpan(i * entrySize, entrySize);
            var tag = U16(e);
            var type = U16(e[2..]);
            var valueCount = BigTiff ? U64(e[4..]) : U32(e[4..]);
            var inline = e[(BigTiff ? 12 : 8)..];
            ifd.Entries[tag] = new Entry(tag, type, valueCount, inline.ToArray());
        }

        next = BigTiff ? Offset(U64(bytes.AsSpan((int)count * entrySize))) : U32(bytes.AsSpan((int)count * entrySize));
        return ifd;
    }

    /// <summary>The integer values of <paramref name="tag"/> (BYTE, SHORT, LONG, LONG8, IFD, IFD8), or null when the tag is absent.</summary>
    /// <exception cref="InvalidFileFormatException">The tag has another type, or its values lie outside the file.</exception>
    public long[]? Integers(Ifd ifd, ushort tag, long maxCount)
    {
        if (!ifd.Entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        var size = entry.Type switch
        {
            1 or 6 => 1,
            3 or 8 => 2,
            4 or 9 or 13 => 4,
            16 or 17 or 18 => 8,
            _ => throw new InvalidFileFormatException($"'{_name}': tag {tag} has type {entry.Type}, not an integer type; the file is damaged."),
        };
        if (entry.Count > (ulong)Math.Max(0, maxCount))
        {
            throw new InvalidFileFormatException($"'{_name}': tag {tag} holds {entry.Count} values, more than the {maxCount} the image can have; the file is damaged.");
        }

        var bytes = Values(entry, size);
        var values = new long[entry.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            values[i] = size switch
            {
                1 => entry.Type == 6 ? (sbyte)b[0] : b[0],
                2 => entry.Type == 8 ? (short)U16(b) : U16(b),
                4 => entry.Type == 9 ? (int)U32(b) : U32(b),
                _ => U64(b) > long.MaxValue ? throw new InvalidFileFormatException($"'{_name}': tag {tag} holds a value past 2^63; the file is damaged.") : (long)U64(b),
            };
        }

        return values;
    }

    /// <summary>One integer value of <paramref name="tag"/>, or <paramref name="fallback"/> when the tag is absent.</summary>
    public long Integer(Ifd ifd, ushort tag, long fallback)
    {
        var values = Integers(ifd, tag, 64);
        return values is null ? fallback
            : values.Length == 0 ? throw new InvalidFileFormatException($"'{_name}': tag {tag} has no value; the file is damaged.")
            : values[0];
    }

    /// <summary>The first value of a RATIONAL <paramref name="tag"/> (numerator over denominator), or null when absent, of another type or divided by 0.</summary>
    public double? Rational(Ifd ifd, ushort tag)
    {
        if (!ifd.Entries.TryGetValue(tag, out var entry) || entry.Type != 5 || entry.Count < 1)
        {
            return null;
        }

        var bytes = Values(entry with { Count = 1 }, 8);
        var (numerator, denominator) = (U32(bytes), U32(bytes.AsSpan(4)));
        return denominator == 0 ? null : (double)numerator / denominator;
    }

    /// <summary>The ASCII text of <paramref name="tag"/> (up to its first NUL), or null when absent; at most <paramref name="maxBytes"/> bytes.</summary>
    public string? Text(Ifd ifd, ushort tag, int maxBytes)
    {
        if (!ifd.Entries.TryGetValue(tag, out var entry))
        {
            return null;
        }

        if (entry.Type is not (2 or 1 or 7))
        {
            throw new InvalidFileFormatException($"'{_name}': tag {tag} has type {entry.Type}, not text; the file is damaged.");
        }

        if (entry.Count > (ulong)maxBytes)
        {
            throw new InvalidFileFormatException($"'{_name}': tag {tag} holds {entry.Count} bytes of text, more than the {maxBytes} IOLink reads.");
        }

        var bytes = Values(entry, 1);
        var end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private byte[] Values(Entry entry, int size)
    {
        var total = (long)entry.Count * size;   // counts were checked against small limits first
        var inlineBytes = BigTiff ? 8 : 4;
        if (total <= inlineBytes)
        {
            return entry.Inline.AsSpan(0, (int)total).ToArray();
        }

        var offset = BigTiff ? Offset(U64(entry.Inline)) : U32(entry.Inline);
        CheckRange(offset, total, $"the values of tag {entry.Tag}");
        var bytes = new byte[total];
        ReadAhead(offset, bytes);
        return bytes;
    }

    /// <summary>
    /// Reads directory bytes through a 64 KiB window: the IFDs of a stack usually lie together (tifffile writes them
    /// after the data, ImageJ before it), so one read serves many pages instead of two or three each.
    /// </summary>
    private void ReadAhead(long offset, Span<byte> destination)
    {
        if (destination.Length > Window / 4)
        {
            _file.Read(offset, destination);
            return;
        }

        if (_windowStart < 0 || offset < _windowStart || offset + destination.Length > _windowStart + _windowLength)
        {
            _windowStart = offset;
            _windowLength = (int)Math.Min(Window, _file.Size - offset);
            _file.Read(offset, _window.AsSpan(0, _windowLength));
        }

        _window.AsSpan((int)(offset - _windowStart), destination.Length).CopyTo(destination);
    }

    private void CheckRange(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > _file.Size || length > _file.Size - offset)
        {
            throw new InvalidFileFormatException($"'{_name}': {what} at offset {offset} ({length} bytes) lies past the end of the file ({_file.Size} bytes); the file is truncated or damaged.");
        }
    }

    private long Offset(ulong value) => value > long.MaxValue
        ? throw new InvalidFileFormatException($"'{_name}': an offset of {value} is past any file; the file is damaged.")
        : (long)value;

    private ushort U16(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private uint U32(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ulong U64(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);

    /// <summary>One directory entry: its tag, type, value count and the 4 or 8 bytes holding the values or their offset.</summary>
    public readonly record struct Entry(ushort Tag, ushort Type, ulong Count, byte[] Inline);

    /// <summary>One image file directory.</summary>
    public sealed class Ifd(long offset)
    {
        /// <summary>Where it is in the file.</summary>
        public long Offset => offset;

        /// <summary>Its entries by tag.</summary>
        public Dictionary<ushort, Entry> Entries { get; } = [];
    }
}
