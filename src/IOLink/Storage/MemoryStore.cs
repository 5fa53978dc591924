using System.Buffers;
using System.Collections.Concurrent;

namespace IOLink.Storage;

/// <summary>
/// A store in memory: each value is a byte array of its own, copied in on <see cref="KeyValueStore.Set"/>. For tests,
/// for arrays made and read in one process, and as the reference every other store is compared with.
/// </summary>
public sealed class MemoryStore : KeyValueStore
{
    private readonly ConcurrentDictionary<string, Entry> _values = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>An empty store that messages call <paramref name="name"/>.</summary>
    public MemoryStore(string name = "memory store")
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override bool IsReadOnly => false;

    /// <summary>How many values the store holds.</summary>
    public int Count => _values.Count;

    /// <inheritdoc/>
    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        if (!_values.TryGetValue(key, out var entry))
        {
            return null;
        }

        var (start, count) = range.Within(entry.Data.Length);
        if (count > maxLength)
        {
            throw TooLarge(key, count, maxLength);
        }

        var bytes = ArrayPool<byte>.Shared.Rent((int)count);
        entry.Data.AsSpan((int)start, (int)count).CopyTo(bytes);
        return new StoreValue(bytes, (int)count, entry.Version, entry.Data.Length, start);
    }

    /// <inheritdoc/>
    protected override StoreVersion? VersionCore(string key) => _values.TryGetValue(key, out var entry) ? entry.Version : null;

    /// <inheritdoc/>
    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value)
    {
        var version = new StoreVersion(Interlocked.Increment(ref _generation));
        _values[key] = new Entry(value.ToArray(), version);
        return version;
    }

    /// <inheritdoc/>
    protected override bool DeleteCore(string key) => _values.TryRemove(key, out _);

    /// <inheritdoc/>
    protected override IEnumerable<string> ListCore(string prefix) =>
        prefix.Length == 0 ? _values.Keys : _values.Keys.Where(k => k.Length > prefix.Length && k[prefix.Length] == '/' && k.StartsWith(prefix, StringComparison.Ordinal));

    private sealed record Entry(byte[] Data, StoreVersion Version);
}
