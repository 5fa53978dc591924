using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using IOLink.Chunked;
using IOLink.Storage;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Zarr v3's <c>sharding_indexed</c> codec: each stored object (a shard) holds a block of inner chunks, encoded by
/// the inner codecs one after another, and an index of (offset, length) pairs, one per inner chunk in C order, each
/// an unsigned 64-bit integer (both 2^64 - 1 for a missing chunk), at the shard's start or end, encoded by the index
/// codecs (bytes, and usually crc32c).
/// </summary>
internal sealed class ShardLayout
{
    /// <summary>What marks a missing inner chunk in the index (offset and length both).</summary>
    public const ulong Missing = ulong.MaxValue;

    /// <summary>The most inner chunks of one shard IOLink reads and writes: an index of 256 MiB.</summary>
    public const long MaxInnerCount = 1 << 24;

    public ShardLayout(long[] shardShape, long[] innerChunks, CodecPipeline innerPipeline, ByteOrder indexOrder, bool indexChecksum, bool indexAtStart)
    {
        ShardShape = shardShape;
        InnerChunks = innerChunks;
        InnerPipeline = innerPipeline;
        IndexOrder = indexOrder;
        IndexChecksum = indexChecksum;
        IndexAtStart = indexAtStart;
        ChunksPerShard = new long[shardShape.Length];
        long count = 1;
        for (var a = 0; a < shardShape.Length; a++)
        {
            ChunksPerShard[a] = shardShape[a] / innerChunks[a];
            // Saturating: a count past MaxInnerCount is refused by whoever describes the array, never wrapped.
            count = ChunksPerShard[a] > MaxInnerCount / Math.Max(count, 1) ? MaxInnerCount + 1 : count * ChunksPerShard[a];
        }

        InnerCount = count;
    }

    /// <summary>The lengths of a shard (the array's chunk grid).</summary>
    public long[] ShardShape { get; }

    /// <summary>The lengths of an inner chunk (each divides the shard's).</summary>
    public long[] InnerChunks { get; }

    /// <summary>The inner chunks along each axis of a shard.</summary>
    public long[] ChunksPerShard { get; }

    /// <summary>The inner chunks of one shard.</summary>
    public long InnerCount { get; }

    /// <summary>How each inner chunk is encoded.</summary>
    public CodecPipeline InnerPipeline { get; }

    /// <summary>The byte order of the index's integers.</summary>
    public ByteOrder IndexOrder { get; }

    /// <summary>Whether a crc32c checksum follows the index.</summary>
    public bool IndexChecksum { get; }

    /// <summary>Whether the index is at the shard's start (its end otherwise).</summary>
    public bool IndexAtStart { get; }

    /// <summary>The stored index's length in bytes.</summary>
    public long IndexBytes => (InnerCount * 16) + (IndexChecksum ? Crc32cCodec.Size : 0);

    /// <summary>How <c>iolink info</c> describes the index.</summary>
    public string IndexDescription => $"index at the {(IndexAtStart ? "start" : "end")}{(IndexChecksum ? " with crc32c" : "")}";

    /// <summary>The index codecs' JSON, as zarr-python writes them.</summary>
    public string IndexCodecsJson => $"[{{\"name\": \"bytes\", \"configuration\": {{\"endian\": \"{(IndexOrder == ByteOrder.LittleEndian ? "little" : "big")}\"}}}}{(IndexChecksum ? ", {\"name\": \"crc32c\"}" : "")}]";

    /// <summary>
    /// Reads a stored index (<see cref="IndexBytes"/> long) of a shard of <paramref name="shardLength"/> bytes: its
    /// entries, each checked to lie inside the shard and outside the index.
    /// </summary>
    /// <exception cref="InvalidDataException">The checksum does not match, or an entry points outside the shard; the message follows "its index".</exception>
    public ulong[] ReadIndex(ReadOnlySpan<byte> stored, long shardLength)
    {
        if (stored.Length != IndexBytes)
        {
            throw new InvalidDataException($"holds {stored.Length} bytes instead of {IndexBytes}");
        }

        var data = IndexChecksum ? Crc32cCodec.Checked(stored) : stored;
        var entries = new ulong[InnerCount * 2];
        var dataStart = IndexAtStart ? (ulong)IndexBytes : 0;
        var dataEnd = (ulong)shardLength - (IndexAtStart ? 0 : (ulong)IndexBytes);
        for (var i = 0; i < entries.Length; i += 2)
        {
            var offset = IndexOrder == ByteOrder.LittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]) : BinaryPrimitives.ReadUInt64BigEndian(data[(i * 8)..]);
            var length = IndexOrder == ByteOrder.LittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(data[((i + 1) * 8)..]) : BinaryPrimitives.ReadUInt64BigEndian(data[((i + 1) * 8)..]);
            if (offset == Missing && length == Missing)
            {
                entries[i] = entries[i + 1] = Missing;
                continue;
            }

            if (offset < dataStart || offset > dataEnd || length > dataEnd - offset)
            {
                throw new InvalidDataException(
                    $"places inner chunk {i / 2} at bytes {offset} to {offset + length} of a shard whose chunks lie in bytes {dataStart} to {dataEnd}");
            }

            entries[i] = offset;
            entries[i + 1] = length;
        }

        return entries;
    }

    /// <summary>The stored index of <paramref name="entries"/> (offset and length per inner chunk).</summary>
    public void WriteIndex(ReadOnlySpan<ulong> entries, Span<byte> stored)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (IndexOrder == ByteOrder.LittleEndian)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(stored[(i * 8)..], entries[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt64BigEndian(stored[(i * 8)..], entries[i]);
            }
        }

        if (IndexChecksum)
        {
            var n = entries.Length * 8;
            BinaryPrimitives.WriteUInt32LittleEndian(stored[n..], Crc32cCodec.Compute(stored[..n]));
        }
    }

    /// <summary>
    /// A shard of <paramref name="chunks"/> (each inner chunk's encoded bytes, in C order over the shard, null where
    /// missing), handed to <paramref name="store"/>; nothing is handed over when every chunk is missing.
    /// </summary>
    public void Assemble(IReadOnlyList<ArraySegment<byte>?> chunks, EncodedHandler store)
    {
        if (IndexBytes > int.MaxValue - 64)
        {
            throw new IOException($"A shard of {InnerCount} inner chunks has an index of {IndexBytes} bytes; IOLink writes at most {MaxInnerCount} inner chunks per shard.");
        }

        var entries = new ulong[InnerCount * 2];
        var index = (int)IndexBytes;
        long total = index;
        var any = false;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (chunks[i] is { } chunk)
            {
                entries[(2 * i) + 1] = (ulong)chunk.Count;
                entries[2 * i] = (ulong)(IndexAtStart ? total : total - index);
                total += chunk.Count;
                any = true;
            }
            else
            {
                entries[2 * i] = entries[(2 * i) + 1] = Missing;
            }
        }

        if (!any)
        {
            return;
        }

        if (total > int.MaxValue - 64)
        {
            throw new IOException($"A shard would hold {total} bytes; IOLink writes shards of at most 2 GiB. Choose smaller shards.");
        }

        var shard = ArrayPool<byte>.Shared.Rent((int)total);
        try
        {
            var at = IndexAtStart ? index : 0;
            foreach (var chunk in chunks)
            {
                if (chunk is { } c)
                {
                    c.AsSpan().CopyTo(shard.AsSpan(at));
                    at += c.Count;
                }
            }

            WriteIndex(entries, shard.AsSpan(IndexAtStart ? 0 : at, index));
            store(shard.AsSpan(0, (int)total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(shard);
        }
    }

    /// <summary>The linear number (C order) of the inner chunk at <paramref name="within"/> in its shard.</summary>
    public long InnerNumber(ReadOnlySpan<long> within)
    {
        long n = 0;
        for (var a = 0; a < within.Length; a++)
        {
            n = (n * ChunksPerShard[a]) + within[a];
        }

        return n;
    }
}

/// <summary>
/// Names an inner chunk of a sharded array by its shard's key and its place in the shard, such as
/// <c>c/0/1/0[1,0,3]</c>: what <see cref="ShardedStore"/> reads back, and what messages show.
/// </summary>
internal sealed class ShardKeyEncoding(ChunkKeyEncoding shardKeys, long[] chunksPerShard) : ChunkKeyEncoding('/')
{
    public override string Key(ReadOnlySpan<long> chunk)
    {
        Span<long> shard = stackalloc long[chunk.Length];
        var key = new StringBuilder();
        for (var a = 0; a < chunk.Length; a++)
        {
            shard[a] = chunk[a] / chunksPerShard[a];
        }

        key.Append(shardKeys.Key(shard)).Append('[');
        for (var a = 0; a < chunk.Length; a++)
        {
            key.Append(a == 0 ? "" : ",").Append((chunk[a] % chunksPerShard[a]).ToString(CultureInfo.InvariantCulture));
        }

        return key.Append(']').ToString();
    }

    public override string ToString() => $"inner chunks of shards named {shardKeys}";
}

/// <summary>
/// The inner chunks of a sharded array's shards as values of their own, keyed as <see cref="ShardKeyEncoding"/>
/// names them: a read reads the shard's index (one ranged read, kept while the shard's version is unchanged) and
/// then only the inner chunk's bytes; a write reads, changes and rewrites the whole shard under the shard's lock
/// (atomically, as the store writes).
/// </summary>
internal sealed class ShardedStore : KeyValueStore
{
    /// <summary>The most bytes of shard indexes kept: at least the largest index IOLink reads.</summary>
    private const long IndexCacheBytes = 16 * ShardLayout.MaxInnerCount;
    private readonly KeyValueStore _shards;
    private readonly ShardLayout _layout;
    private readonly bool _ownsShards;
    private readonly ConcurrentDictionary<string, (StoreVersion Version, ulong[] Entries)> _indexes = new(StringComparer.Ordinal);
    private readonly object[] _locks = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
    private long _cachedBytes;

    public ShardedStore(KeyValueStore shards, ShardLayout layout, string name, bool ownsShards)
        : base(name)
    {
        _shards = shards;
        _layout = layout;
        _ownsShards = ownsShards;
    }

    /// <summary>Whether shard indexes are kept between reads (the array's chunk cache off keeps none either).</summary>
    public bool CachesIndexes { get; set; } = true;

    /// <summary>How many shard indexes were read from the store (cached ones are not).</summary>
    public long IndexReads => Interlocked.Read(ref _indexReads);

    private long _indexReads;

    public override bool IsReadOnly => _shards.IsReadOnly;

    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        var (shardKey, inner) = Parse(key);
        for (var attempt = 0; ; attempt++)
        {
            if (Index(shardKey, fresh: attempt > 0) is not { } index)
            {
                return null;
            }

            var (offset, length) = (index.Entries[2 * inner], index.Entries[(2 * inner) + 1]);
            if (offset == ShardLayout.Missing)
            {
                return null;
            }

            var (start, count) = range.Within((long)length);
            if (count > maxLength)
            {
                throw TooLarge(key, count, maxLength);
            }

            if (count == 0)
            {
                // Nothing to read (an empty inner chunk, or a range past its end); a range of 0 bytes would mean all of the shard.
                return new StoreValue(ArrayPool<byte>.Shared.Rent(0), 0, index.Version, (long)length, start);
            }

            var value = _shards.Get(shardKey, ByteRange.Of((long)offset + start, count), maxLength);
            if (value is not null && value.Version == index.Version)
            {
                if (value.Length != count)
                {
                    value.Dispose();
                    throw new InvalidFileFormatException($"{Name}: shard '{shardKey}' ends before the inner chunk its index places at bytes {offset} to {offset + length}; the shard is damaged. Rewrite it.");
                }

                return value.Rebase((long)length, start, index.Version);
            }

            // The shard was replaced between its index and this read: read its new index and try again, twice at most.
            value?.Dispose();
            if (attempt >= 2)
            {
                throw new IOException($"{Name}: shard '{shardKey}' kept changing while it was read; another writer is rewriting it. Read again when it is done.");
            }
        }
    }

    public override bool ReadsManyAtOnce => _shards.ReadsManyAtOnce;

    /// <summary>
    /// Reads inner chunks of many shards together from a store that fetches many values at once: the indexes not
    /// cached are fetched in one batch, then the inner chunks, each handed on as it arrives. A chunk whose shard
    /// changed in between is read again alone, as <see cref="GetCore"/> reads it.
    /// </summary>
    protected override void GetManyCore(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        if (!_shards.ReadsManyAtOnce || reads.Count <= 1)
        {
            base.GetManyCore(reads, maxLength, handle);
            return;
        }

        var parsed = reads.Select(r => Parse(r.Key)).ToArray();
        var indexes = Indexes(parsed.Select(p => p.Shard).Distinct(StringComparer.Ordinal).ToList());
        var outer = new List<StoreRead>();
        var wanted = new List<(int Read, long Length, long Start, long Count, StoreVersion Version)>();
        var direct = new List<(int Read, StoreValue? Value)>();
        for (var i = 0; i < reads.Count; i++)
        {
            var (shardKey, inner) = parsed[i];
            if (indexes[shardKey] is not { } index || index.Entries[2 * inner] == ShardLayout.Missing)
            {
                direct.Add((i, null));
                continue;
            }

            var (offset, length) = (index.Entries[2 * inner], index.Entries[(2 * inner) + 1]);
            var (start, count) = (reads[i].Range == default ? ByteRange.All : reads[i].Range).Within((long)length);
            if (count > maxLength)
            {
                throw TooLarge(reads[i].Key, count, maxLength);
            }

            if (count == 0)
            {
                direct.Add((i, new StoreValue(ArrayPool<byte>.Shared.Rent(0), 0, index.Version, (long)length, start)));
                continue;
            }

            outer.Add(new StoreRead(shardKey, ByteRange.Of((long)offset + start, count)));
            wanted.Add((i, (long)length, start, count, index.Version));
        }

        foreach (var (read, value) in direct)
        {
            handle(read, value);
        }

        _shards.GetMany(outer, maxLength, (j, value) =>
        {
            var (read, length, start, count, version) = wanted[j];
            if (value is not null && value.Version == version && value.Length == count)
            {
                handle(read, value.Rebase(length, start, version));
                return;
            }

            // Changed or cut since its index was read: read alone, which reads the index again.
            value?.Dispose();
            handle(read, GetCore(reads[read].Key, reads[read].Range == default ? ByteRange.All : reads[read].Range, maxLength));
        });
    }

    /// <summary>The indexes of <paramref name="shardKeys"/>: cached ones while current, the rest fetched together (null for a missing shard).</summary>
    private Dictionary<string, (StoreVersion Version, ulong[] Entries)?> Indexes(List<string> shardKeys)
    {
        var found = new Dictionary<string, (StoreVersion Version, ulong[] Entries)?>(StringComparer.Ordinal);
        var fetch = new List<string>();
        foreach (var shardKey in shardKeys)
        {
            if (_indexes.TryGetValue(shardKey, out var cached) && _shards.Version(shardKey) == cached.Version)
            {
                found[shardKey] = cached;
            }
            else
            {
                fetch.Add(shardKey);
            }
        }

        var size = (int)_layout.IndexBytes;
        var range = _layout.IndexAtStart ? ByteRange.Of(0, size) : ByteRange.Last(size);
        var stored = _shards.GetMany(fetch.Select(k => new StoreRead(k, range)).ToList(), size);
        try
        {
            for (var i = 0; i < fetch.Count; i++)
            {
                found[fetch[i]] = stored[i] is { } value ? ParsedIndex(fetch[i], value) : null;
                if (stored[i] is null)
                {
                    Forget(fetch[i]);
                }
            }
        }
        finally
        {
            foreach (var value in stored)
            {
                value?.Dispose();
            }
        }

        return found;
    }

    protected override StoreVersion? VersionCore(string key)
    {
        var (shardKey, inner) = Parse(key);
        return Index(shardKey, fresh: false) is { } index && index.Entries[2 * inner] != ShardLayout.Missing ? index.Version : null;
    }

    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value)
    {
        var (shardKey, inner) = Parse(key);
        var copy = value.ToArray();
        if (_batch is { } batch)
        {
            // Kept until the batch ends, when each shard is rewritten once with all its new chunks. The version said
            // here is none a shard ever has, so a chunk cached with it is decoded again once the shard is written.
            lock (batch)
            {
                if (!batch.TryGetValue(shardKey, out var chunks))
                {
                    batch[shardKey] = chunks = [];
                }

                chunks[inner] = copy;
            }

            return new StoreVersion(-1, Interlocked.Increment(ref _batchVersions));
        }

        return Rewrite(shardKey, new Dictionary<long, byte[]?> { [inner] = copy }) ?? throw new InvalidOperationException("A written shard has a version.");
    }

    /// <summary>
    /// Runs <paramref name="write"/> (which sets inner chunks, from several threads) with every shard it touches
    /// rewritten once at the end, in parallel, rather than once per inner chunk: a region write covering many inner
    /// chunks of a shard reads and writes the shard once. Batches of one store run one at a time.
    /// </summary>
    public void Batched(Action write)
    {
        lock (_batchGate)
        {
            var batch = new Dictionary<string, Dictionary<long, byte[]?>>(StringComparer.Ordinal);
            _batch = batch;
            try
            {
                write();
            }
            finally
            {
                _batch = null;
            }

            var shards = batch.ToArray();
            CopyParallelism.RunParts(shards.Length, i => Rewrite(shards[i].Key, shards[i].Value));
        }
    }

    private readonly object _batchGate = new();
    private volatile Dictionary<string, Dictionary<long, byte[]?>>? _batch;
    private long _batchVersions;

    protected override bool DeleteCore(string key)
    {
        var (shardKey, inner) = Parse(key);
        if (VersionCore(key) is null)
        {
            return false;
        }

        Rewrite(shardKey, new Dictionary<long, byte[]?> { [inner] = null });
        return true;
    }

    protected override IEnumerable<string> ListCore(string prefix) =>
        throw new NotSupportedException($"{Name}: the inner chunks of a sharded array are found through each shard's index, not listed; list the shards in the array's own store.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsShards)
        {
            _shards.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The shard key and the inner chunk's number in it, from a key <see cref="ShardKeyEncoding"/> made.</summary>
    private (string Shard, long Inner) Parse(string key)
    {
        var open = key.LastIndexOf('[');
        if (open <= 0 || key[^1] != ']')
        {
            throw new ArgumentException($"'{key}' does not name an inner chunk of a shard (such as c/0/1[2,3]).", nameof(key));
        }

        var parts = key[(open + 1)..^1].Split(',');
        if (parts.Length != _layout.ChunksPerShard.Length)
        {
            throw new ArgumentException($"'{key}' names an inner chunk by {parts.Length} coordinates; the shards have {_layout.ChunksPerShard.Length} axes.", nameof(key));
        }

        Span<long> within = stackalloc long[parts.Length];
        for (var a = 0; a < parts.Length; a++)
        {
            if (!long.TryParse(parts[a], NumberStyles.None, CultureInfo.InvariantCulture, out within[a]) || within[a] >= _layout.ChunksPerShard[a])
            {
                throw new ArgumentException($"'{key}' names an inner chunk outside a shard of {string.Join("x", _layout.ChunksPerShard)} chunks.", nameof(key));
            }
        }

        return (key[..open], _layout.InnerNumber(within));
    }

    /// <summary>The shard's index at its current version (read when not cached or <paramref name="fresh"/>), or null when the shard is missing.</summary>
    private (StoreVersion Version, ulong[] Entries)? Index(string shardKey, bool fresh)
    {
        if (!fresh && _indexes.TryGetValue(shardKey, out var cached) && _shards.Version(shardKey) == cached.Version)
        {
            return cached;
        }

        var size = (int)_layout.IndexBytes;
        using var stored = _shards.Get(shardKey, _layout.IndexAtStart ? ByteRange.Of(0, size) : ByteRange.Last(size), size);
        if (stored is null)
        {
            Forget(shardKey);
            return null;
        }

        return ParsedIndex(shardKey, stored);
    }

    /// <summary>A shard's index from its stored bytes, cached when the store caches indexes.</summary>
    private (StoreVersion Version, ulong[] Entries) ParsedIndex(string shardKey, StoreValue stored)
    {
        var size = (int)_layout.IndexBytes;
        Interlocked.Increment(ref _indexReads);
        if (stored.ValueLength < size || stored.Length != size)
        {
            throw new InvalidFileFormatException($"{Name}: shard '{shardKey}' holds {stored.ValueLength} bytes, fewer than its index of {size}; the shard is damaged. Rewrite it, or delete it to read its chunks as the fill value.");
        }

        ulong[] entries;
        try
        {
            entries = _layout.ReadIndex(stored.Span, stored.ValueLength);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidFileFormatException($"{Name}: shard '{shardKey}' cannot be read: its index {ex.Message}. Rewrite the shard, or delete it to read its chunks as the fill value.", ex);
        }

        var entry = (stored.Version, entries);
        if (CachesIndexes)
        {
            Remember(shardKey, entry);
        }

        return entry;
    }

    /// <summary>Keeps a shard's index, within the cache's byte budget (emptied when it would be exceeded).</summary>
    private void Remember(string shardKey, (StoreVersion Version, ulong[] Entries) entry)
    {
        lock (_indexes)
        {
            if (_indexes.TryGetValue(shardKey, out var old))
            {
                _cachedBytes -= old.Entries.Length * 8L;
            }

            if (_cachedBytes + (entry.Entries.Length * 8L) > IndexCacheBytes)
            {
                _indexes.Clear();
                _cachedBytes = 0;
            }

            _indexes[shardKey] = entry;
            _cachedBytes += entry.Entries.Length * 8L;
        }
    }

    private void Forget(string shardKey)
    {
        lock (_indexes)
        {
            if (_indexes.TryRemove(shardKey, out var old))
            {
                _cachedBytes -= old.Entries.Length * 8L;
            }
        }
    }

    /// <summary>Rewrites a shard with the inner chunks of <paramref name="changes"/> replaced (removed where null); the shard is deleted when nothing is left.</summary>
    private StoreVersion? Rewrite(string shardKey, Dictionary<long, byte[]?> changes)
    {
        lock (_locks[(int)((uint)shardKey.GetHashCode() % (uint)_locks.Length)])
        {
            StoreValue? stored;
            try
            {
                stored = _shards.Get(shardKey, ByteRange.All, int.MaxValue - 64);
            }
            catch (InvalidFileFormatException ex) when (ex.Message.Contains("more than", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{Name}: shard '{shardKey}' is larger than 2 GiB; IOLink rewrites shards of at most 2 GiB. Write the array again with smaller shards.", ex);
            }

            using var _ = stored;
            var chunks = new ArraySegment<byte>?[_layout.InnerCount];
            byte[]? whole = null;
            if (stored is not null)
            {
                whole = stored.ToArray();
                if (whole.Length < _layout.IndexBytes)
                {
                    throw new InvalidFileFormatException($"{Name}: shard '{shardKey}' holds {whole.Length} bytes, fewer than its index of {_layout.IndexBytes}; the shard is damaged. Delete it before writing into it.");
                }

                var indexStart = _layout.IndexAtStart ? 0 : whole.Length - (int)_layout.IndexBytes;
                ulong[] entries;
                try
                {
                    entries = _layout.ReadIndex(whole.AsSpan(indexStart, (int)_layout.IndexBytes), whole.Length);
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidFileFormatException($"{Name}: shard '{shardKey}' cannot be read: its index {ex.Message}. Delete the shard before writing into it.", ex);
                }

                for (var i = 0; i < chunks.Length; i++)
                {
                    if (entries[2 * i] != ShardLayout.Missing)
                    {
                        chunks[i] = new ArraySegment<byte>(whole, (int)entries[2 * i], (int)entries[(2 * i) + 1]);
                    }
                }
            }

            foreach (var (inner, chunk) in changes)
            {
                chunks[inner] = chunk is null ? default(ArraySegment<byte>?) : new ArraySegment<byte>(chunk);
            }

            StoreVersion? written = null;
            _layout.Assemble(chunks, bytes => written = _shards.Set(shardKey, bytes));
            if (written is null)
            {
                _shards.Delete(shardKey);
            }

            Forget(shardKey);
            return written;
        }
    }
}
