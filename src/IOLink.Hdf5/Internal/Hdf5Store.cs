using System.Runtime.Intrinsics;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using IOLink.Chunked;
using IOLink.Storage;

namespace IOLink.Hdf5.Internal;

/// <summary>
/// An HDF5 chunked dataset's chunks as the values of a read-only store: a chunk key (grid coordinates joined by '/')
/// is found in the dataset's chunk index (through PureHDF) and its stored bytes are read by byte range from the file.
/// A value is the chunk's filter mask (4 bytes, little-endian) followed by its stored bytes, for
/// <see cref="Hdf5FilterCodec"/> to undo the filters the mask does not skip. A chunk never written is missing (the
/// dataset's fill value).
/// </summary>
internal sealed class Hdf5Store : KeyValueStore
{
    private readonly RandomAccess _file;
    private readonly IDisposable _owner;
    private readonly PureHdfInternals.ChunkIndex _index;
    private readonly long _base;
    private readonly long[] _chunksAlong;
    private readonly StoreVersion _version;

    /// <param name="file">The file's bytes, which the store owns.</param>
    /// <param name="owner">What else the store keeps open until it is disposed (the PureHDF file).</param>
    /// <param name="index">The dataset's chunk index.</param>
    /// <param name="baseAddress">The superblock's base address.</param>
    /// <param name="chunksAlong">The chunk grid's length along each axis.</param>
    /// <param name="name">The file and dataset, as messages give them.</param>
    public Hdf5Store(RandomAccess file, IDisposable owner, PureHdfInternals.ChunkIndex index, long baseAddress, long[] chunksAlong, string name)
        : base(name)
    {
        _file = file;
        _owner = owner;
        _index = index;
        _base = baseAddress;
        _chunksAlong = chunksAlong;
        _version = new StoreVersion(file.Size, baseAddress);
    }

    public override bool IsReadOnly => true;

    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        var (address, size, mask) = Locate(key);
        if (address == ulong.MaxValue)
        {
            return null;
        }

        var offset = _base + (long)Math.Min(address, long.MaxValue / 2);
        if (size > (ulong)(_file.Size - Math.Min(offset, _file.Size)) || offset > _file.Size)
        {
            throw new InvalidFileFormatException($"{Name}: chunk {key} lies at bytes {offset} to {(decimal)offset + size}, past the end of the file ({_file.Size} bytes); the file is truncated or damaged.");
        }

        var length = 4 + (long)size;
        var (start, count) = range.Within(length);
        if (count > maxLength)
        {
            throw TooLarge(key, count, maxLength);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, mask);
            _file.Read(offset, buffer.AsSpan(4, (int)size));
            if (start > 0)
            {
                buffer.AsSpan((int)start, (int)count).CopyTo(buffer);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new StoreValue(buffer, (int)count, _version, length, start);
    }

    protected override StoreVersion? VersionCore(string key) => Locate(key).Address == ulong.MaxValue ? null : _version;

    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value) =>
        throw new NotSupportedException($"{Name} is opened read-only; IOLink writes HDF5 datasets whole (Hdf5File.Write).");

    protected override bool DeleteCore(string key) =>
        throw new NotSupportedException($"{Name} is opened read-only; IOLink writes HDF5 datasets whole (Hdf5File.Write).");

    protected override IEnumerable<string> ListCore(string prefix) =>
        throw new NotSupportedException($"{Name}: an HDF5 dataset's chunks are found through its chunk index, not listed.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _index.Dispose();
            _owner.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private (ulong Address, ulong Size, uint Mask) Locate(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != _chunksAlong.Length)
        {
            throw new ArgumentException($"'{key}' does not name a chunk of {Name}.", nameof(key));
        }

        ulong linear = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at >= _chunksAlong[i])
            {
                throw new ArgumentException($"'{key}' does not name a chunk of {Name}.", nameof(key));
            }

            linear = (linear * (ulong)_chunksAlong[i]) + (ulong)at;
        }

        try
        {
            return _index.Locate(linear);
        }
        catch (Exception e) when (e is not (InvalidFileFormatException or PureHdfInternals.MissingInternalException))
        {
            throw new InvalidFileFormatException($"{Name}: the chunk index could not be read for chunk {key} ({e.Message}); the file is damaged.", e);
        }
    }
}

/// <summary>
/// HDF5's filter pipeline undone for one chunk: the filters applied when writing (deflate, shuffle, Fletcher-32,
/// LZF, Zstandard), in reverse, each skipped where the chunk's filter mask says it was not applied.
/// </summary>
internal sealed class Hdf5FilterCodec : BytesToBytesCodec
{
    public const int Deflate = 1, Shuffle = 2, Fletcher32 = 3, Lzf = 32000, Zstd = 32015;
    private readonly (int Id, uint[] ClientData)[] _filters;
    private readonly int _itemSize;

    public Hdf5FilterCodec((int Id, uint[] ClientData)[] filters, int itemSize)
    {
        _filters = filters;
        _itemSize = itemSize;
    }

    public override string Name => "hdf5";

    public override string Description => _filters.Length == 0 ? "none" : string.Join("+", _filters.Select(f => FilterName(f.Id)));

    /// <summary>A filter's name as h5py calls it, or its number.</summary>
    public static string FilterName(int id) => id switch
    {
        Deflate => "gzip",
        Shuffle => "shuffle",
        Fletcher32 => "fletcher32",
        Lzf => "lzf",
        Zstd => "zstd",
        4 => "szip",
        5 => "nbit",
        6 => "scaleoffset",
        32001 => "blosc",
        32004 => "lz4",
        32008 => "bitshuffle",
        _ => $"filter {id}",
    };

    /// <summary>Whether IOLink undoes the filter.</summary>
    public static bool Reads(int id) => id is Deflate or Shuffle or Fletcher32 or Lzf or Zstd;

    public override void Decode(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        if (encoded.Length < 4)
        {
            throw new InvalidDataException("it is shorter than its filter mask");
        }

        var mask = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        var data = encoded[4..];
        byte[]? current = null;
        var pool = ArrayPool<byte>.Shared;
        try
        {
            for (var i = _filters.Length - 1; i >= 0; i--)
            {
                if ((mask & (1u << i)) != 0)
                {
                    continue;   // this filter was skipped for this chunk (an optional filter that did not shrink it)
                }

                var source = data;
                byte[] next;
                int length;
                switch (_filters[i].Id)
                {
                    case Fletcher32:
                        if (source.Length < 4)
                        {
                            throw new InvalidDataException("it is shorter than its Fletcher-32 checksum");
                        }

                        next = pool.Rent(source.Length - 4);
                        length = source.Length - 4;
                        if (Checksum(source[..length]) != BinaryPrimitives.ReadUInt32BigEndian(source[length..]) && Checksum(source[..length]) != BinaryPrimitives.ReadUInt32LittleEndian(source[length..]))
                        {
                            throw new InvalidDataException("its Fletcher-32 checksum does not match its data");
                        }

                        source[..length].CopyTo(next);
                        break;
                    case Shuffle:
                        next = pool.Rent(source.Length);
                        length = source.Length;
                        Unshuffle(source, next.AsSpan(0, length), _filters[i].ClientData.Length > 0 ? (int)_filters[i].ClientData[0] : _itemSize);
                        break;
                    default:
                        next = pool.Rent(decoded.Length);
                        length = Decompress(_filters[i].Id, source, next.AsSpan(0, decoded.Length));
                        break;
                }

                if (current is not null)
                {
                    pool.Return(current);
                }

                current = next;
                data = current.AsSpan(0, length);
            }

            if (data.Length < decoded.Length)
            {
                throw new InvalidDataException($"it holds {data.Length} bytes once unfiltered, fewer than the {decoded.Length} of a chunk");
            }

            data[..decoded.Length].CopyTo(decoded);
        }
        finally
        {
            if (current is not null)
            {
                pool.Return(current);
            }
        }
    }

    public override int Encode(ReadOnlySpan<byte> data, int itemSize, out byte[] output) =>
        throw new NotSupportedException("IOLink reads HDF5 chunks in place; it writes datasets whole (Hdf5File.Write).");

    private static int Decompress(int id, ReadOnlySpan<byte> source, Span<byte> target)
    {
        switch (id)
        {
            case Deflate:
            {
                var codec = new DeflateCodec(gzip: false);
                codec.Decode(source, target);
                return target.Length;
            }

            case Lzf:
                return LzfDecode(source, target);
            case Zstd:
            {
                using var decompressor = new ZstdSharp.Decompressor();
                try
                {
                    return decompressor.Unwrap(source, target);
                }
                catch (ZstdSharp.ZstdException e)
                {
                    throw new InvalidDataException($"its Zstandard data is damaged ({e.Message})", e);
                }
            }

            default:
                throw new InvalidDataException($"it was written with {FilterName(id)}, which IOLink does not undo");
        }
    }

    /// <summary>Bytes grouped by their place in an item (all first bytes, then all second bytes...) put back in items; leftover bytes stay at the end.</summary>
    private static unsafe void Unshuffle(ReadOnlySpan<byte> source, Span<byte> target, int size)
    {
        var count = size <= 1 ? 0 : source.Length / size;
        if (count == 0)
        {
            source.CopyTo(target);   // items of one byte, or a chunk shorter than one item (a size from damaged metadata)
            return;
        }

        fixed (byte* src = source)
        fixed (byte* dst = target)
        {
            var i = 0;
            if (size == 2 && System.Runtime.Intrinsics.X86.Sse2.IsSupported)
            {
                // 16 items at a time: the low bytes and the high bytes interleaved.
                for (; i + 16 <= count; i += 16)
                {
                    var low = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + i);
                    var high = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + count + i);
                    System.Runtime.Intrinsics.X86.Sse2.Store(dst + (2 * i), System.Runtime.Intrinsics.X86.Sse2.UnpackLow(low, high));
                    System.Runtime.Intrinsics.X86.Sse2.Store(dst + (2 * i) + 16, System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(low, high));
                }
            }
            else if (size == 4 && System.Runtime.Intrinsics.X86.Sse2.IsSupported)
            {
                // 16 items at a time: bytes 0 and 1, and 2 and 3, interleaved into 16-bit pairs, then the pairs.
                for (; i + 16 <= count; i += 16)
                {
                    var b0 = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + i);
                    var b1 = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + count + i);
                    var b2 = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + (2 * count) + i);
                    var b3 = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(src + (3 * count) + i);
                    var lo01 = System.Runtime.Intrinsics.X86.Sse2.UnpackLow(b0, b1).AsUInt16();
                    var hi01 = System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(b0, b1).AsUInt16();
                    var lo23 = System.Runtime.Intrinsics.X86.Sse2.UnpackLow(b2, b3).AsUInt16();
                    var hi23 = System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(b2, b3).AsUInt16();
                    var out0 = dst + (4 * i);
                    System.Runtime.Intrinsics.X86.Sse2.Store(out0, System.Runtime.Intrinsics.X86.Sse2.UnpackLow(lo01, lo23).AsByte());
                    System.Runtime.Intrinsics.X86.Sse2.Store(out0 + 16, System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(lo01, lo23).AsByte());
                    System.Runtime.Intrinsics.X86.Sse2.Store(out0 + 32, System.Runtime.Intrinsics.X86.Sse2.UnpackLow(hi01, hi23).AsByte());
                    System.Runtime.Intrinsics.X86.Sse2.Store(out0 + 48, System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(hi01, hi23).AsByte());
                }
            }

            for (; i < count; i++)
            {
                var item = dst + ((long)i * size);
                for (var b = 0; b < size; b++)
                {
                    item[b] = src[((long)b * count) + i];
                }
            }
        }

        source[(count * size)..].CopyTo(target[(count * size)..]);
    }

    /// <summary>LZF (liblzf's format, as h5py's lzf filter writes it): literal runs and back references, every length checked.</summary>
    private static int LzfDecode(ReadOnlySpan<byte> source, Span<byte> target)
    {
        int ip = 0, op = 0;
        while (ip < source.Length)
        {
            int control = source[ip++];
            if (control < 32)
            {
                var run = control + 1;
                if (ip + run > source.Length || op + run > target.Length)
                {
                    throw new InvalidDataException("its LZF data runs past its end");
                }

                source.Slice(ip, run).CopyTo(target[op..]);
                ip += run;
                op += run;
                continue;
            }

            var length = control >> 5;
            var back = op - ((control & 0x1f) << 8) - 1;
            if (length == 7)
            {
                if (ip >= source.Length)
                {
                    throw new InvalidDataException("its LZF data ends inside a reference");
                }

                length += source[ip++];
            }

            if (ip >= source.Length)
            {
                throw new InvalidDataException("its LZF data ends inside a reference");
            }

            back -= source[ip++];
            length += 2;
            if (back < 0 || op + length > target.Length)
            {
                throw new InvalidDataException("its LZF data refers outside the chunk");
            }

            for (var k = 0; k < length; k++)
            {
                target[op++] = target[back++];
            }
        }

        return op;
    }

    /// <summary>HDF5's Fletcher-32 over 16-bit big-endian words (an odd last byte is the high byte of a last word).</summary>
    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        var words = data.Length / 2;
        var i = 0;
        while (words > 0)
        {
            var block = Math.Min(words, 360);
            words -= block;
            for (var k = 0; k < block; k++, i += 2)
            {
                sum1 += (uint)((data[i] << 8) | data[i + 1]);
                sum2 += sum1;
            }

            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        if ((data.Length & 1) != 0)
        {
            sum1 += (uint)(data[^1] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}
