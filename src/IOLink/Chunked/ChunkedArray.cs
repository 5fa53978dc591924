using System.Buffers;
using IOLink.Storage;

namespace IOLink.Chunked;

/// <summary>
/// An array stored as chunks in a key-value store: where the chunks are (a <see cref="ChunkGrid"/>), what each is
/// called (a <see cref="ChunkKeyEncoding"/> below a key prefix), how its bytes are encoded (a
/// <see cref="CodecPipeline"/>), the item type and the fill value a missing chunk reads as. It reads and writes boxes
/// of the array (a start and a count per axis) by decoding and encoding only the chunks a box touches, on every core
/// (<see cref="CopyParallelism"/>), straight into the destination where a chunk lies wholly inside the box in the same
/// layout. Formats (Zarr, and TIFF tiles and HDF5 chunks to come) describe their arrays as one of these; a
/// <see cref="ChunkedImageView"/> shows one as an image view.
/// </summary>
/// <remarks>
/// <para>Every chunk has a lock (striped): a writer holds it for its read-modify-write, a reader that misses the cache
/// holds it while it decodes and caches, so the cache never keeps a chunk older than its stored value. Each cached
/// chunk keeps the version of the value it came from, checked on every use: a chunk another writer or process has
/// replaced since is decoded again, never served stale nor written back over theirs.</para>
/// <para>A missing chunk reads as the fill value, filling only the elements read (a tiny array may declare chunks of
/// gigabytes); a chunk's decoded bytes are at most <see cref="MaxChunkBytes"/>.</para>
/// </remarks>
public sealed unsafe class ChunkedArray
{
    /// <summary>The largest decoded chunk: each is decoded into one buffer.</summary>
    public const long MaxChunkBytes = int.MaxValue - 64;

    private const int LockStripes = 64;
    private readonly object[] _locks = Enumerable.Range(0, LockStripes).Select(_ => new object()).ToArray();
    private readonly byte[] _fill;
    private readonly bool _zeroFill;
    private readonly bool _ownsStore;
    private readonly long[]? _regularShape;
    private readonly long[]? _regularStrides;
    private long _decoded;
    private int _closed;

    /// <summary>Describes a chunked array in <paramref name="store"/>.</summary>
    /// <param name="store">Where the chunks are.</param>
    /// <param name="grid">How the array is cut into chunks.</param>
    /// <param name="keys">How chunks are named.</param>
    /// <param name="codecs">How chunks are encoded.</param>
    /// <param name="itemType">The type of one stored item (a scalar, or a complex number).</param>
    /// <param name="fillValue">One item, in this machine's byte order, that a missing chunk reads as.</param>
    /// <param name="cache">Where decoded chunks are kept for repeated reads; null keeps none.</param>
    /// <param name="keyPrefix">What comes before each chunk key (<c>"0/"</c> for an array in the folder 0 of a group's store); empty by default.</param>
    /// <param name="ownsStore">Whether <see cref="Close"/> disposes <paramref name="store"/>.</param>
    /// <param name="name">How messages name the array (default: the store's name).</param>
    /// <exception cref="ArgumentException">The fill value is not one item, the prefix is not a key prefix, or a chunk holds more than <see cref="MaxChunkBytes"/> bytes.</exception>
    public ChunkedArray(KeyValueStore store, ChunkGrid grid, ChunkKeyEncoding keys, CodecPipeline codecs, DataType itemType, ReadOnlySpan<byte> fillValue,
        ChunkCache? cache = null, string keyPrefix = "", bool ownsStore = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (fillValue.Length != itemType.ByteCount)
        {
            throw new ArgumentException($"The fill value has {fillValue.Length} bytes; one {itemType} item has {itemType.ByteCount}.", nameof(fillValue));
        }

        if (keyPrefix.Length > 0 && !keyPrefix.EndsWith('/'))
        {
            throw new ArgumentException($"The key prefix '{keyPrefix}' must end with '/'.", nameof(keyPrefix));
        }

        if (keyPrefix.Length > 0)
        {
            KeyValueStore.CheckKey(keyPrefix.TrimEnd('/'));
        }

        if (grid.MaxChunkElements > MaxChunkBytes / itemType.ByteCount)
        {
            throw new ArgumentException($"A chunk of {grid.MaxChunkElements} items of {itemType} is larger than 2 GiB; each chunk is decoded into one buffer.", nameof(grid));
        }

        Store = store;
        Grid = grid;
        Keys = keys;
        Codecs = codecs;
        ItemType = itemType;
        _fill = fillValue.ToArray();
        _zeroFill = !_fill.AsSpan().ContainsAnyExcept((byte)0);
        Cache = cache;
        KeyPrefix = keyPrefix;
        _ownsStore = ownsStore;
        Name = name ?? store.Name;
        if (grid is RegularChunkGrid regular)
        {
            _regularShape = regular.ChunkShape.ToArray();
            _regularStrides = codecs.DecodedByteStrides(_regularShape, itemType.ByteCount);
        }
    }

    /// <summary>Where the chunks are.</summary>
    public KeyValueStore Store { get; }

    /// <summary>How the array is cut into chunks.</summary>
    public ChunkGrid Grid { get; }

    /// <summary>How chunks are named below <see cref="KeyPrefix"/>.</summary>
    public ChunkKeyEncoding Keys { get; }

    /// <summary>How chunks are encoded.</summary>
    public CodecPipeline Codecs { get; }

    /// <summary>The type of one stored item.</summary>
    public DataType ItemType { get; }

    /// <summary>What comes before each chunk key.</summary>
    public string KeyPrefix { get; }

    /// <summary>Where decoded chunks are kept; null when none are.</summary>
    public ChunkCache? Cache { get; }

    /// <summary>How messages name the array.</summary>
    public string Name { get; }

    /// <summary>One item holding the fill value, in this machine's byte order (a copy).</summary>
    public byte[] FillValue => _fill.ToArray();

    /// <summary>How many chunks were decoded from the store since the array was described (cache hits and missing chunks are not).</summary>
    public long ChunksDecoded => Interlocked.Read(ref _decoded);

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The key of the chunk at <paramref name="chunk"/> (grid coordinates), prefix included.</summary>
    public string KeyOf(ReadOnlySpan<long> chunk) => KeyPrefix + Keys.Key(chunk);

    /// <summary>The decoded bytes of the chunk at <paramref name="chunk"/>.</summary>
    public long ChunkBytesOf(ReadOnlySpan<long> chunk) => Elements(ShapeOf(chunk)) * ItemType.ByteCount;

    /// <summary>The byte strides, per array axis, of the decoded chunk at <paramref name="chunk"/>.</summary>
    public long[] DecodedByteStridesOf(ReadOnlySpan<long> chunk) => StridesOf(chunk).ToArray();

    /// <summary>
    /// Reads the box (<paramref name="start"/>, <paramref name="count"/> per array axis) into
    /// <paramref name="destination"/>, whose byte strides per array axis are <paramref name="destinationByteStrides"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The box is not inside the array, or the spans differ in rank.</exception>
    /// <exception cref="InvalidFileFormatException">A chunk's stored bytes do not decode to one chunk (the message names it).</exception>
    public void Read(ReadOnlySpan<long> start, ReadOnlySpan<long> count, byte* destination, ReadOnlySpan<long> destinationByteStrides)
    {
        var plan = new ChunkPlan(this, start, count, destinationByteStrides);
        var address = (nint)destination;
        if (Store.ReadsManyAtOnce && plan.Total > 1)
        {
            ReadGathered(plan, address);
            return;
        }

        CopyParallelism.RunParts(plan.Total, i => ReadPart(plan, plan.Part(i), (byte*)address, null));
    }

    /// <summary>
    /// Reads a region from a store that fetches many values at once (a remote one): the parts the cache serves are
    /// copied on every core, and the chunks of the others fetched together, each decoded into place as it arrives
    /// (on the thread that received it), so decoding overlaps the transfer of the rest.
    /// </summary>
    private void ReadGathered(ChunkPlan plan, nint address)
    {
        var limit = StoredLimit;
        var cached = new List<(ChunkPlan.PartInfo Part, byte[] Data)>();
        var fetch = new List<ChunkPlan.PartInfo>();
        var reads = new List<StoreRead>();
        for (var i = 0; i < plan.Total; i++)
        {
            var part = plan.Part(i);
            var key = KeyOf(part.Chunk);
            if (!part.Whole && TryCached(Grid.Number(part.Chunk), key, out var data))
            {
                cached.Add((part, data));
                continue;
            }

            fetch.Add(part);
            reads.Add(new StoreRead(key, ByteRange.Of(0, limit + 1L)));
        }

        CopyParallelism.RunParts(cached.Count, i => ReadPart(plan, cached[i].Part, (byte*)address, new Prefetched(cached[i].Data, -1)));
        void Decode(int i, StoreValue? value)
        {
            using (value)
            {
                if (value is not null && value.ValueLength > limit)
                {
                    throw Oversized(reads[i].Key);
                }

                ReadPart(plan, fetch[i], (byte*)address, new Prefetched(value, i));
            }
        }

        try
        {
            var decoders = Math.Min(CopyParallelism.MaxDegreeOfParallelism, fetch.Count / 4);
            if (decoders <= 1)
            {
                Store.GetMany(reads, limit + 1, Decode);
            }
            else
            {
                Pipelined(reads, limit + 1, decoders, Decode);
            }
        }
        catch (InvalidFileFormatException ex) when (!ex.Message.StartsWith(Name + ": ", StringComparison.Ordinal))
        {
            var reason = ex.Message.StartsWith(Store.Name + ": ", StringComparison.Ordinal) ? ex.Message[(Store.Name.Length + 2)..] : ex.Message;
            throw new InvalidFileFormatException($"{Name}: a chunk cannot be read: {reason}", ex);
        }
    }

    /// <summary>
    /// Fetches on a thread of its own, handing each value to a queue the calling thread and <paramref name="decoders"/>
    /// - 1 threads of their own decode from: the thread pool stays free for the transfers' completions (a decode
    /// running there would hold back the next answers), and decoding overlaps the transfer of the rest.
    /// </summary>
    private void Pipelined(List<StoreRead> reads, int maxLength, int decoders, Action<int, StoreValue?> decode)
    {
        using var queue = new System.Collections.Concurrent.BlockingCollection<(int Index, StoreValue? Value)>();
        using var failed = new CancellationTokenSource();
        Exception? failure = null;
        void Consume()
        {
            try
            {
                foreach (var (index, value) in queue.GetConsumingEnumerable(failed.Token))
                {
                    decode(index, value);
                }
            }
            catch (OperationCanceledException) when (failed.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
                failed.Cancel();
            }
        }

        var fetcher = Task.Factory.StartNew(() =>
        {
            try
            {
                Store.GetMany(reads, maxLength, (i, value) =>
                {
                    if (failed.IsCancellationRequested)
                    {
                        value?.Dispose();   // a decode failed: nothing more is decoded
                        return;
                    }

                    queue.Add((i, value));
                });
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var helpers = Enumerable.Range(1, decoders - 1)
            .Select(_ => Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        Consume();
        Task.WaitAll(helpers);
        try
        {
            fetcher.GetAwaiter().GetResult();
        }
        finally
        {
            // Values a failed decode left in the queue are given back.
            while (queue.TryTake(out var left))
            {
                left.Value?.Dispose();
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

    }

    /// <summary>What a gathered read already has for a part: a cached chunk, or the index of its fetched value (and the value).</summary>
    private readonly record struct Prefetched(object? Value, int Read);

    /// <summary>
    /// Writes the box (<paramref name="start"/>, <paramref name="count"/> per array axis) from
    /// <paramref name="source"/>, whose byte strides per array axis are <paramref name="sourceByteStrides"/>: chunks the
    /// box covers wholly are encoded from it, the others read, changed and written back.
    /// </summary>
    /// <exception cref="ArgumentException">The box is not inside the array, or the spans differ in rank.</exception>
    /// <exception cref="NotSupportedException">The store is read-only.</exception>
    /// <exception cref="IOException">A chunk could not be stored (the message names it).</exception>
    public void Write(ReadOnlySpan<long> start, ReadOnlySpan<long> count, byte* source, ReadOnlySpan<long> sourceByteStrides)
    {
        var plan = new ChunkPlan(this, start, count, sourceByteStrides);
        var address = (nint)source;
        CopyParallelism.RunParts(plan.Total, i =>
        {
            var part = plan.Part(i);
            var from = (byte*)address + part.BoxOffset;
            var chunkStrides = StridesOf(part.Chunk);
            var first = part.Whole ? ChunkWriteStart.Nothing : part.CoversArrayPart ? ChunkWriteStart.Fill : ChunkWriteStart.Existing;
            WriteChunk(part.Chunk, first, data =>
            {
                fixed (byte* to = data)
                {
                    StridedMemory.DangerousCopy(from, plan.BoxStrides, to + part.InChunkOffset(chunkStrides), chunkStrides, part.Lengths, ItemType);
                }
            });
        });
    }

    /// <summary>
    /// Writes one chunk under its lock: <paramref name="update"/> changes the chunk's decoded bytes, starting from what
    /// <paramref name="start"/> says; the result is encoded and stored (atomically, as the store writes), and the cache
    /// keeps it.
    /// </summary>
    /// <exception cref="NotSupportedException">The store is read-only.</exception>
    /// <exception cref="IOException">The chunk could not be stored (the message names it).</exception>
    public void WriteChunk(ReadOnlySpan<long> chunk, ChunkWriteStart start, ChunkUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var number = Grid.Number(chunk);
        var key = KeyOf(chunk);
        var size = (int)ChunkBytesOf(chunk);
        lock (LockOf(number))
        {
            var data = ArrayPool<byte>.Shared.Rent(size);
            var chunkData = data.AsSpan(0, size);
            if (start == ChunkWriteStart.Fill)
            {
                FillWith(chunkData);
            }
            else if (start == ChunkWriteStart.Existing)
            {
                // The cached copy only while its stored value is still the one it came from: another writer's chunk
                // is read again, so this update changes their data instead of writing old data back over it.
                if (TryCached(number, key, out var cached))
                {
                    cached.AsSpan(0, size).CopyTo(chunkData);
                }
                else if (!TryDecode(key, chunkData, out _))
                {
                    FillWith(chunkData);
                }
            }

            update(chunkData);
            StoreVersion written = default;
            try
            {
                Codecs.Encode(chunkData, ItemType, bytes => written = Store.Set(key, bytes));
            }
            catch (IOException ex)
            {
                throw new IOException($"{Name}: chunk '{key}' could not be written: {ex.Message}", ex);
            }

            if (Cache is null || !Cache.Add(this, number, data, written))
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }
    }

    /// <summary>Drops this array's cached chunks and keeps none from then on, and disposes the store if the array owns it; a second call does nothing.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        Cache?.RemoveAll(this);
        if (_ownsStore)
        {
            Store.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ChunkedArray({Name}: {string.Join("x", Grid.ArrayShape)} of {ItemType}, {Codecs})";

    private void ReadPart(ChunkPlan plan, ChunkPlan.PartInfo part, byte* destination, Prefetched? prefetched)
    {
        var to = destination + part.BoxOffset;
        var chunkStrides = StridesOf(part.Chunk);
        var size = (int)ChunkBytesOf(part.Chunk);
        var key = KeyOf(part.Chunk);
        var fetched = prefetched is { Read: >= 0 } p ? (StoreValue?)p.Value : null;
        bool Decoded(Span<byte> into)
        {
            if (prefetched is not { Read: >= 0 })
            {
                return TryDecode(key, into, out _);
            }

            if (fetched is null)
            {
                return false;
            }

            Decode(key, fetched, into);
            return true;
        }

        if (part.Whole && chunkStrides.SequenceEqual(plan.BoxStrides))
        {
            // The chunk's bytes are the destination's, in the same order: decode straight into place.
            if (!Decoded(new Span<byte>(to, size)))
            {
                Fill(to, plan.BoxStrides, part.Lengths);
            }

            return;
        }

        byte[]? rented = null;
        try
        {
            byte[]? data;
            if (part.Whole)
            {
                // Read once and wholly: no use keeping it in the cache.
                rented = ArrayPool<byte>.Shared.Rent(size);
                data = Decoded(rented.AsSpan(0, size)) ? rented : null;
            }
            else if (prefetched is { Read: < 0, Value: byte[] cached })
            {
                data = cached;
            }
            else if (prefetched is { Read: >= 0 })
            {
                data = fetched is null ? null : Cached(part.Chunk, key, fetched);
            }
            else
            {
                data = Get(part.Chunk, key);
            }

            if (data is null)
            {
                Fill(to, plan.BoxStrides, part.Lengths);
                return;
            }

            fixed (byte* from = data)
            {
                StridedMemory.DangerousCopy(from + part.InChunkOffset(chunkStrides), chunkStrides, to, plan.BoxStrides, part.Lengths, ItemType);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The decoded chunk for a partial read: from the cache, or decoded (and cached); null when it is missing.</summary>
    private byte[]? Get(long[] chunk, string key)
    {
        var number = Grid.Number(chunk);
        if (TryCached(number, key, out var cached))
        {
            return cached;
        }

        lock (LockOf(number))
        {
            if (TryCached(number, key, out cached))
            {
                return cached;
            }

            using var stored = ReadStored(key);
            if (stored is null)
            {
                return null;   // no buffer for a missing chunk: a tiny array may declare chunks of gigabytes
            }

            var data = GC.AllocateUninitializedArray<byte>((int)ChunkBytesOf(chunk));
            Decode(key, stored, data);
            Cache?.Add(this, number, data, stored.Version);
            return data;
        }
    }

    /// <summary>Decodes a chunk into <paramref name="destination"/> (its whole decoded bytes); false, untouched, when it is missing.</summary>
    private bool TryDecode(string key, Span<byte> destination, out StoreVersion version)
    {
        using var stored = ReadStored(key);
        if (stored is null)
        {
            version = default;
            return false;
        }

        Decode(key, stored, destination);
        version = stored.Version;
        return true;
    }

    /// <summary>
    /// The most stored bytes a chunk takes: no codec makes a chunk much larger than its data, so a far larger value is
    /// not a chunk. One byte more than this is read, so that such a value is told apart, in the chunk's words, after a
    /// bounded read.
    /// </summary>
    private int StoredLimit => (int)Math.Min(MaxChunkBytes, (Grid.MaxChunkElements * ItemType.ByteCount * 2) + (1 << 20));

    /// <summary>A fetched chunk decoded for a partial read, and cached.</summary>
    private byte[] Cached(long[] chunk, string key, StoreValue stored)
    {
        var number = Grid.Number(chunk);
        lock (LockOf(number))
        {
            var data = GC.AllocateUninitializedArray<byte>((int)ChunkBytesOf(chunk));
            Decode(key, stored, data);
            Cache?.Add(this, number, data, stored.Version);
            return data;
        }
    }

    private InvalidFileFormatException Oversized(string key) =>
        new($"{Name}: chunk '{key}' is stored in more bytes than any encoding of a chunk of {Grid.MaxChunkElements * ItemType.ByteCount} bytes takes; the store is damaged. Rewrite the chunk, or delete it to read it as the fill value.");

    private StoreValue? ReadStored(string key)
    {
        var limit = StoredLimit;
        StoreValue? stored;
        try
        {
            stored = Store.Get(key, ByteRange.Of(0, limit + 1L), limit + 1);
        }
        catch (InvalidFileFormatException ex)
        {
            // The store's own words (a folder or a link where the chunk belongs), said of the chunk.
            var reason = ex.Message.StartsWith(Store.Name + ": ", StringComparison.Ordinal) ? ex.Message[(Store.Name.Length + 2)..] : ex.Message;
            throw new InvalidFileFormatException($"{Name}: chunk '{key}' cannot be read: {reason}", ex);
        }

        if (stored is not null && stored.ValueLength > limit)
        {
            stored.Dispose();
            throw Oversized(key);
        }

        return stored;
    }

    private void Decode(string key, StoreValue stored, Span<byte> destination)
    {
        try
        {
            if (stored.Length == 0)
            {
                throw new InvalidDataException("it is empty");
            }

            Codecs.Decode(stored.Span, destination, ItemType);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidFileFormatException($"{Name}: chunk '{key}' cannot be read: {ex.Message}. Rewrite the chunk, or delete it to read it as the fill value.", ex);
        }

        Interlocked.Increment(ref _decoded);
    }

    /// <summary>The cached chunk, while its stored value is still the version it was decoded from; a stale one is dropped.</summary>
    private bool TryCached(long number, string key, out byte[] data)
    {
        data = null!;
        if (Cache is null || !Cache.TryGet(this, number, out var cached, out var version))
        {
            return false;
        }

        if (Store.Version(key) == version)
        {
            data = cached;
            return true;
        }

        Cache.Remove(this, number, cached);
        return false;
    }

    private object LockOf(long number) => _locks[(int)((ulong)number % LockStripes)];

    private ReadOnlySpan<long> ShapeOf(ReadOnlySpan<long> chunk) => _regularShape ?? Grid.ChunkShapeOf(chunk);

    private long[] StridesOf(ReadOnlySpan<long> chunk) => _regularStrides ?? Codecs.DecodedByteStrides(Grid.ChunkShapeOf(chunk), ItemType.ByteCount);

    private static long Elements(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var length in shape)
        {
            n *= length;
        }

        return n;
    }

    /// <summary>Fills a chunk's bytes with the fill value.</summary>
    private void FillWith(Span<byte> chunk)
    {
        if (_zeroFill)
        {
            chunk.Clear();
            return;
        }

        for (var i = 0; i + _fill.Length <= chunk.Length; i += _fill.Length)
        {
            _fill.CopyTo(chunk[i..]);
        }
    }

    /// <summary>Fills a box of <paramref name="lengths"/> elements at <paramref name="to"/> with the fill value: only the elements read, never a whole chunk's worth.</summary>
    private void Fill(byte* to, long[] strides, long[] lengths)
    {
        fixed (byte* fill = _fill)
        {
            // A source stride of 0 along every axis repeats the one fill item.
            StridedMemory.DangerousCopy(fill, new long[lengths.Length], to, strides, lengths, ItemType);
        }
    }
}

/// <summary>What a chunk being written starts from, before <see cref="ChunkUpdate"/> changes it.</summary>
public enum ChunkWriteStart
{
    /// <summary>Its stored content (decoded, or the fill value when missing): the update changes part of it.</summary>
    Existing,

    /// <summary>The fill value: the update writes every element inside the array (an edge chunk's rest stays fill).</summary>
    Fill,

    /// <summary>Nothing: the update writes every byte.</summary>
    Nothing,
}

/// <summary>Changes a chunk's decoded bytes in place (all of them, for <see cref="ChunkWriteStart.Nothing"/>).</summary>
public delegate void ChunkUpdate(Span<byte> chunk);
