using System.Buffers;
using System.Globalization;
using IOLink.Storage;

namespace IOLink.Hdf5.Internal;

/// <summary>
/// A contiguous dataset read as chunks of whole rows of its outermost axis: chunk <c>i/0/0/...</c> is the
/// <paramref name="chunkBytes"/> bytes from <paramref name="offset"/> + i x <paramref name="chunkBytes"/> of the file.
/// For datasets that are not mapped (the other byte order, or a file that may change).
/// </summary>
internal sealed class RangeStore(RandomAccess file, long offset, long chunkBytes, string name) : KeyValueStore(name)
{
    private readonly StoreVersion _version = new(file.Size, offset);

    public override bool IsReadOnly => true;

    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (!long.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new ArgumentException($"'{key}' does not name a chunk of {Name}.", nameof(key));
        }

        var (start, count) = range.Within(chunkBytes);
        if (count > maxLength)
        {
            throw TooLarge(key, count, maxLength);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)count);
        try
        {
            file.Read(offset + (index * chunkBytes) + start, buffer.AsSpan(0, (int)count));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new StoreValue(buffer, (int)count, _version, chunkBytes, start);
    }

    protected override StoreVersion? VersionCore(string key) => _version;

    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value) =>
        throw new NotSupportedException($"{Name} is opened read-only.");

    protected override bool DeleteCore(string key) => throw new NotSupportedException($"{Name} is opened read-only.");

    protected override IEnumerable<string> ListCore(string prefix) => throw new NotSupportedException($"{Name}: its chunks are byte ranges, not listed.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
