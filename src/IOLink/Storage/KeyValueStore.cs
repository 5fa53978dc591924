namespace IOLink.Storage;

/// <summary>
/// A key-value store: the place a chunked format keeps its metadata and chunks. Keys are paths of parts separated by
/// '/' (<c>.zarray</c>, <c>0.3.1</c>, <c>0/3/1</c>, <c>c/0/0</c>); values are bytes, read whole or by byte range,
/// written whole and atomically (a reader sees the old value or the new one, never a mix), listed and deleted.
/// </summary>
/// <remarks>
/// <para>A store does the checks every key needs (<see cref="CheckKey"/>) and the disposed check, then calls the
/// protected members, which a store written outside IOLink implements. Every member may be called from several
/// threads at once.</para>
/// <para>IOLink has a directory store (<see cref="DirectoryStore"/>: no link inside it followed, values written under
/// a temporary name and renamed into place) and a memory store (<see cref="MemoryStore"/>); stores over HTTP and object
/// stores implement the same members.</para>
/// </remarks>
public abstract class KeyValueStore : IDisposable
{
    private int _disposed;

    /// <summary>Makes a store that messages call <paramref name="name"/> (the path or address the user gave).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    protected KeyValueStore(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>How messages name the store: the path or address the user gave.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Set"/> and <see cref="Delete"/> are refused.</summary>
    public abstract bool IsReadOnly { get; }

    /// <summary>Whether the store was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Reads <paramref name="range"/> of the value at <paramref name="key"/>, or null when there is none; a range
    /// past the value's end is cut there. Dispose the result when done with its bytes.
    /// </summary>
    /// <param name="key">The value's key.</param>
    /// <param name="range">The bytes to read (<see cref="ByteRange.All"/> for the whole value).</param>
    /// <param name="maxLength">The most bytes the caller takes: a larger read is refused before anything is read.</param>
    /// <exception cref="ArgumentException">The key is not a valid key (see <see cref="CheckKey"/>).</exception>
    /// <exception cref="InvalidFileFormatException">The key names something that is not a value (a folder, a link, a FIFO), or the range holds more than <paramref name="maxLength"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public StoreValue? Get(string key, ByteRange range = default, int maxLength = int.MaxValue - 64)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        return GetCore(key, range == default ? ByteRange.All : range, maxLength);
    }

    /// <summary>
    /// Reads several values (or ranges of them) in one call; null where a value is missing. A remote store fetches them
    /// concurrently (<see cref="ReadsManyAtOnce"/>), so a region read that needs many chunks waits for the slowest
    /// request rather than for the sum of them. Dispose each result.
    /// </summary>
    /// <param name="reads">The keys and ranges.</param>
    /// <param name="maxLength">The most bytes taken of each value: a larger read is refused before anything is read.</param>
    /// <exception cref="ArgumentException">A key is not a valid key.</exception>
    /// <exception cref="InvalidFileFormatException">A key names something that is not a value, or a range holds more than <paramref name="maxLength"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public StoreValue?[] GetMany(IReadOnlyList<StoreRead> reads, int maxLength = int.MaxValue - 64)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var values = new StoreValue?[reads.Count];
        try
        {
            GetMany(reads, maxLength, (i, value) => values[i] = value);
            return values;
        }
        catch
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Reads several values (or ranges of them), handing each to <paramref name="handle"/> as it arrives, with its index
    /// in <paramref name="reads"/> (null when missing): a remote store calls it from several threads at once, so the
    /// work on one value (decoding a chunk) overlaps the transfer of the others. <paramref name="handle"/> owns the value
    /// and disposes it. When a read or a call fails, the others are finished first, then the first failure is thrown;
    /// no call runs after this method returns.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not a valid key.</exception>
    /// <exception cref="InvalidFileFormatException">A key names something that is not a value, or a range holds more than <paramref name="maxLength"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public void GetMany(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(handle);
        foreach (var read in reads)
        {
            CheckKey(read.Key);
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (reads.Count > 0)
        {
            GetManyCore(reads, maxLength, handle);
        }
    }

    /// <summary>Whether <see cref="GetMany(IReadOnlyList{StoreRead}, int)"/> is faster than one <see cref="Get"/> after another (a remote store's concurrent requests); readers then gather their reads.</summary>
    public virtual bool ReadsManyAtOnce => false;

    /// <summary>The version of the value at <paramref name="key"/>, or null when there is none (one cheap call: a cache checks it on every use).</summary>
    /// <exception cref="ArgumentException">The key is not a valid key.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public StoreVersion? Version(string key)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return VersionCore(key);
    }

    /// <summary>Whether there is a value at <paramref name="key"/>.</summary>
    public bool Contains(string key) => Version(key) is not null;

    /// <summary>Stores <paramref name="value"/> at <paramref name="key"/>, replacing any value there atomically; returns the new value's version.</summary>
    /// <exception cref="ArgumentException">The key is not a valid key.</exception>
    /// <exception cref="NotSupportedException">The store is read-only.</exception>
    /// <exception cref="IOException">Writing failed (the message says why).</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public StoreVersion Set(string key, ReadOnlySpan<byte> value)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfReadOnly("store values");
        return SetCore(key, value);
    }

    /// <summary>Removes the value at <paramref name="key"/>; false when there was none.</summary>
    /// <exception cref="ArgumentException">The key is not a valid key.</exception>
    /// <exception cref="NotSupportedException">The store is read-only.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public bool Delete(string key)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfReadOnly("delete values");
        return DeleteCore(key);
    }

    /// <summary>The keys of the values whose key starts with <paramref name="prefix"/> followed by a '/' part boundary (all keys for ""), in ordinal order.</summary>
    /// <exception cref="ArgumentException">The prefix is not empty and not a valid key.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public IReadOnlyList<string> List(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0)
        {
            CheckKey(prefix.TrimEnd('/'));
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var keys = ListCore(prefix.TrimEnd('/')).ToList();
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>
    /// A random access over the value at <paramref name="key"/> (READ only), for formats that read a file by byte
    /// ranges (a TIFF's strips, a .npy payload); null when there is no value. The base reads through
    /// <see cref="Get"/>; a store with a faster way (a file handle) overrides it.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a valid key.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public RandomAccess? OpenRandomAccess(string key)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return OpenRandomAccessCore(key);
    }

    /// <summary>Disposes the store: later calls throw <see cref="ObjectDisposedException"/>; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Dispose(disposing: true);
            GC.SuppressFinalize(this);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({Name})";

    /// <summary>
    /// Checks a key: parts separated by '/', none empty, none "." or "..", no '\' and no control character (a NUL
    /// included). Keys are the store's own names, never a way out of it.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not valid; the message says why.</exception>
    public static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("A store key cannot be empty; name a value inside the store, such as \".zarray\" or \"0/3/1\".", nameof(key));
        }

        foreach (var part in key.Split('/'))
        {
            if (part is "" or "." or "..")
            {
                throw new ArgumentException($"The store key '{key}' has an empty, '.' or '..' part; keys are names inside the store, separated by single '/'.", nameof(key));
            }
        }

        if (key.AsSpan().IndexOfAny('\\', '\0') >= 0 || key.Any(char.IsControl))
        {
            throw new ArgumentException($"The store key '{Escaped(key)}' holds a backslash or a control character; keys are plain names separated by '/'.", nameof(key));
        }
    }

    /// <summary>Reads a checked key's range; null when missing. See <see cref="Get"/>.</summary>
    protected abstract StoreValue? GetCore(string key, ByteRange range, int maxLength);

    /// <summary>Reads checked keys' ranges, handing each value to <paramref name="handle"/> (default: one after another, on the calling thread). See <see cref="GetMany(IReadOnlyList{StoreRead}, int, Action{int, StoreValue})"/>.</summary>
    protected virtual void GetManyCore(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(handle);
        for (var i = 0; i < reads.Count; i++)
        {
            handle(i, GetCore(reads[i].Key, reads[i].Range == default ? ByteRange.All : reads[i].Range, maxLength));
        }
    }

    /// <summary>The version of a checked key's value, or null. See <see cref="Version"/>.</summary>
    protected abstract StoreVersion? VersionCore(string key);

    /// <summary>Stores a value at a checked key of a writable store. See <see cref="Set"/>.</summary>
    protected abstract StoreVersion SetCore(string key, ReadOnlySpan<byte> value);

    /// <summary>Deletes a checked key's value in a writable store. See <see cref="Delete"/>.</summary>
    protected abstract bool DeleteCore(string key);

    /// <summary>The keys below <paramref name="prefix"/> ("" for all, no trailing '/'), in any order. See <see cref="List"/>.</summary>
    protected abstract IEnumerable<string> ListCore(string prefix);

    /// <summary>A random access over a checked key's value, or null; the base reads by <see cref="GetCore"/>.</summary>
    protected virtual RandomAccess? OpenRandomAccessCore(string key)
    {
        using var probe = GetCore(key, ByteRange.Of(0, 0), 0);
        return probe is null ? null : new StoreRandomAccess(this, key, probe.ValueLength, probe.Version);
    }

    /// <summary>Frees what the store holds (connections, handles); called once, by <see cref="Dispose()"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The exception an oversized read gets: <paramref name="count"/> bytes of <paramref name="key"/> where the reader takes <paramref name="maxLength"/>.</summary>
    protected InvalidFileFormatException TooLarge(string key, long count, int maxLength) =>
        new($"{Name}: '{key}' holds {count} bytes where at most {maxLength} were expected; the store is damaged or not what it claims to be. Check what wrote it, or remove the value.");

    private void ThrowIfReadOnly(string what)
    {
        if (IsReadOnly)
        {
            throw new NotSupportedException($"The store '{Name}' is read-only and cannot {what}; open it writable.");
        }
    }

    private static string Escaped(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>A read-only random access over one stored value, read by ranged gets, each checked against the version first seen.</summary>
    private sealed class StoreRandomAccess(KeyValueStore store, string key, long size, StoreVersion version) : RandomAccess(size)
    {
        protected internal override RandomAccessCapability CapabilitiesCore => RandomAccessCapability.READ;

        protected internal override void ReadCore(long offset, Span<byte> dst)
        {
            using var value = store.Get(key, ByteRange.Of(offset, dst.Length), dst.Length)
                ?? throw new IOException($"{store.Name}: '{key}' was removed while it was read.");
            if (value.Version != version)
            {
                throw new IOException($"{store.Name}: '{key}' changed while it was read; open it again.");
            }

            if (value.Length != dst.Length)
            {
                throw new EndOfStreamException($"{store.Name}: '{key}' is shorter than when it was opened ({offset + value.Length} bytes where {offset + dst.Length} were expected).");
            }

            value.Span.CopyTo(dst);
        }

        protected internal override void WriteCore(long offset, ReadOnlySpan<byte> src) =>
            throw new NotSupportedException("A stored value opened as a random access is read-only.");
    }
}
