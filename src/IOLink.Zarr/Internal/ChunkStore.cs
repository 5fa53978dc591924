using System.Buffers;
using IOLink.Files;

namespace IOLink.Zarr.Internal;

/// <summary>
/// The chunks of one Zarr array in a directory store: reading (decode, byte order), writing (encode, a new file
/// renamed into place, so a crash never leaves a torn chunk), and a bounded cache of decoded chunks. The array's view
/// closes it (dropping the cache) once it and every view made from it are gone.
/// </summary>
/// <remarks>
/// Every chunk has a lock (striped): a writer holds it for its read-modify-write, a reader that misses the cache
/// holds it while it decodes and caches, so the cache never keeps a chunk older than its file. Each cached chunk
/// keeps the stamp of the file it came from (device, inode, size, modification time), checked on every use: a chunk
/// another handle or process has rewritten since is decoded again, never served stale nor written back over theirs.
/// </remarks>
internal sealed class ChunkStore
{
    private const int LockStripes = 64;
    private readonly object[] _locks = Enumerable.Range(0, LockStripes).Select(_ => new object()).ToArray();
    private readonly object _cacheGate = new();
    private readonly Dictionary<long, LinkedListNode<Cached>> _cache = [];
    private readonly LinkedList<Cached> _recent = new();
    private readonly Lazy<byte[]> _fillChunk;
    private long _cacheLimit;
    private long _cacheBytes;
    private long _decoded;
    private bool _closed;

    public ChunkStore(string folder, string name, ZarrMetadata metadata, long cacheLimit)
    {
        Folder = folder;
        Name = name;
        Metadata = metadata;
        _cacheLimit = cacheLimit;
        _fillChunk = new Lazy<byte[]>(() => Filled(metadata), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The array's folder (full path).</summary>
    public string Folder { get; }

    /// <summary>How messages name the array: the path the user gave.</summary>
    public string Name { get; }

    public ZarrMetadata Metadata { get; }

    /// <summary>How many chunks were decoded from their files since the array was opened.</summary>
    public long ChunksDecoded => Interlocked.Read(ref _decoded);

    /// <summary>The most bytes of decoded chunks kept for repeated reads; 0 keeps none.</summary>
    public long CacheLimit
    {
        get => Interlocked.Read(ref _cacheLimit);
        set
        {
            lock (_cacheGate)
            {
                _cacheLimit = value;
                Trim();
            }
        }
    }

    /// <summary>A whole chunk of fill values, in this machine's byte order (shared: never written to).</summary>
    public byte[] FillChunk => _fillChunk.Value;

    /// <summary>The linear number of a chunk, for the cache and the locks.</summary>
    public long Number(ReadOnlySpan<long> chunk)
    {
        long n = 0;
        for (var a = 0; a < chunk.Length; a++)
        {
            n = (n * Metadata.Grid[a]) + chunk[a];
        }

        return n;
    }

    /// <summary>The decoded chunk for a partial read: from the cache, or decoded and cached; null when its file is missing (the reader fills only what it reads).</summary>
    public byte[]? Get(ReadOnlySpan<long> chunk)
    {
        var number = Number(chunk);
        var key = Metadata.Key(chunk);
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

            // A missing chunk costs no buffer: a tiny array may declare chunks of gigabytes.
            if (StorePaths.Probe(Folder, key, Name, out _) == FileKind.Missing)
            {
                return null;
            }

            var data = GC.AllocateUninitializedArray<byte>(Metadata.ChunkBytes);
            if (!TryRead(key, data, out var stamp))
            {
                return null;
            }

            Remember(number, data, stamp);
            return data;
        }
    }

    /// <summary>Decodes a chunk into <paramref name="destination"/> (a whole chunk's bytes); false, untouched, when its file is missing.</summary>
    /// <exception cref="InvalidFileFormatException">The chunk file is not a file, or does not decode to one chunk.</exception>
    public bool TryRead(ReadOnlySpan<long> chunk, Span<byte> destination) => TryRead(Metadata.Key(chunk), destination, out _);

    private bool TryRead(string key, Span<byte> destination, out FileStamp stamp)
    {
        var file = ReadFile(key, out var length, out stamp);
        if (file is null)
        {
            return false;
        }

        try
        {
            var encoded = file.AsSpan(0, length);
            if (encoded.IsEmpty)
            {
                throw new InvalidDataException("its file is empty");
            }

            if (Metadata.Compressor is { } compressor)
            {
                compressor.Decode(encoded, destination);
            }
            else if (encoded.Length == destination.Length)
            {
                encoded.CopyTo(destination);
            }
            else
            {
                throw new InvalidDataException($"it holds {encoded.Length} bytes instead of the chunk's {destination.Length}");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidFileFormatException($"{Name}: chunk '{key}' cannot be read: {ex.Message}. Rewrite the chunk, or delete its file to read it as the fill value.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(file);
        }

        Metadata.Dtype.SwapInPlace(destination);
        Interlocked.Increment(ref _decoded);
        return true;
    }

    /// <summary>What a chunk being written starts from, before the update changes it.</summary>
    public enum Start
    {
        /// <summary>Its current content (decoded, or the fill value when missing): the update changes part of it.</summary>
        Existing,

        /// <summary>The fill value: the update writes every element inside the array (an edge chunk's rest stays fill).</summary>
        Fill,

        /// <summary>Nothing: the update writes every byte.</summary>
        Nothing,
    }

    /// <summary>
    /// Writes a chunk under its lock: <paramref name="update"/> changes the chunk's bytes, starting from what
    /// <paramref name="start"/> says; the result is encoded and renamed into place, and the cache keeps it.
    /// </summary>
    public void Write(ReadOnlySpan<long> chunk, Start start, SpanAction update)
    {
        var number = Number(chunk);
        var key = Metadata.Key(chunk);
        lock (LockOf(number))
        {
            var size = Metadata.ChunkBytes;
            var data = ArrayPool<byte>.Shared.Rent(size);
            var chunkData = data.AsSpan(0, size);
            if (start == Start.Fill)
            {
                FillChunk.CopyTo(chunkData);
            }
            else if (start == Start.Existing)
            {
                // The cached copy only while its file is still the one it came from: another writer's chunk is
                // read again, so this update changes their data instead of writing old data back over it.
                if (TryCached(number, key, out var cached))
                {
                    cached.AsSpan(0, size).CopyTo(chunkData);
                }
                else if (!TryRead(key, chunkData, out _))
                {
                    FillChunk.CopyTo(chunkData);
                }
            }

            update(data);
            FileStamp written;
            byte[]? stored = null;
            byte[]? encoded = null;
            try
            {
                ReadOnlySpan<byte> bytes = chunkData;
                if (Metadata.Dtype.Swap)
                {
                    stored = ArrayPool<byte>.Shared.Rent(size);
                    chunkData.CopyTo(stored);
                    Metadata.Dtype.SwapInPlace(stored.AsSpan(0, size));
                    bytes = stored.AsSpan(0, size);
                }

                if (Metadata.Compressor is { } compressor)
                {
                    var n = compressor.Encode(bytes, Metadata.Dtype.ItemSize, out encoded);
                    bytes = encoded.AsSpan(0, n);
                }

                try
                {
                    // Every part of a nested key is a folder of the store's own, never a link to elsewhere.
                    written = OutputFile.ReplaceEntry(StorePaths.ForWrite(Folder, key, Name), bytes);
                }
                catch (IOException ex)
                {
                    throw new IOException($"{Name}: chunk '{key}' could not be written: {ex.Message}", ex);
                }
            }
            finally
            {
                if (stored is not null)
                {
                    ArrayPool<byte>.Shared.Return(stored);
                }

                if (encoded is not null)
                {
                    ArrayPool<byte>.Shared.Return(encoded);
                }
            }

            lock (_cacheGate)
            {
                Forget(number);
            }

            if (!Remember(number, data, written))
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }
    }

    /// <summary>Changes a chunk's bytes in place.</summary>
    public delegate void SpanAction(Span<byte> chunk);

    /// <summary>Drops the cache and keeps none from then on (the view's ReleaseResources, or the end of a write); a second call does nothing.</summary>
    public void Close()
    {
        lock (_cacheGate)
        {
            _closed = true;
            _cache.Clear();
            _recent.Clear();
            _cacheBytes = 0;
        }
    }

    private object LockOf(long number) => _locks[(int)((ulong)number % LockStripes)];

    /// <summary>The bytes of a chunk file in a buffer rented from the shared pool (the first <paramref name="length"/>), or null when it is missing.</summary>
    private byte[]? ReadFile(string key, out int length, out FileStamp stamp)
    {
        length = 0;
        stamp = default;
        // Links inside a store are not followed, at any part of a nested key: a planted link could otherwise pass
        // any file off as image data.
        var kind = StorePaths.Probe(Folder, key, Name, out var path);
        if (kind == FileKind.Missing)
        {
            return null;
        }

        if (kind != FileKind.Regular)
        {
            throw new InvalidFileFormatException($"{Name}: chunk '{key}' is {FileProbe.Describe(kind)}, not a file; remove it.");
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Taken before the bytes are read: a change made while they are read gives the file a newer stamp.
            stamp = FileProbe.Stamp(handle);
            var size = System.IO.RandomAccess.GetLength(handle);
            // No codec makes a chunk much larger than its data: a far larger file is not a chunk.
            var limit = Math.Min(int.MaxValue - 64, ((long)Metadata.ChunkBytes * 2) + (1 << 20));
            if (size > limit)
            {
                throw new InvalidFileFormatException($"{Name}: chunk '{key}' is a file of {size} bytes, far more than any encoding of the chunk's {Metadata.ChunkBytes} bytes.");
            }

            var bytes = ArrayPool<byte>.Shared.Rent((int)size);
            var done = 0;
            while (done < size)
            {
                var n = System.IO.RandomAccess.Read(handle, bytes.AsSpan(done, (int)size - done), done);
                if (n == 0)
                {
                    break;   // shortened while read: the codec reports it as truncated
                }

                done += n;
            }

            length = done;
            return bytes;
        }
        catch (FileNotFoundException)
        {
            return null;   // removed since the probe
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The cached chunk, while its file is still the version it was decoded from; a stale one is dropped.</summary>
    private bool TryCached(long number, string key, out byte[] data)
    {
        LinkedListNode<Cached>? node;
        lock (_cacheGate)
        {
            if (_cache.TryGetValue(number, out node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
            }
        }

        if (node is not null)
        {
            if (FileProbe.Stamp(Path.Combine(Folder, key)) == node.Value.Stamp)
            {
                data = node.Value.Data;
                return true;
            }

            lock (_cacheGate)
            {
                if (_cache.TryGetValue(number, out var current) && current == node)
                {
                    Forget(number);
                }
            }
        }

        data = null!;
        return false;
    }

    /// <summary>
    /// Keeps a decoded chunk in the cache; false when it is not kept (a cache of 0 bytes, or the store is released).
    /// A chunk larger than the whole cache is kept alone, until the next one is decoded: reads that walk through it
    /// slab by slab then decode it once, not once per slab, with memory bounded by the largest chunk.
    /// </summary>
    private bool Remember(long number, byte[] data, FileStamp stamp)
    {
        lock (_cacheGate)
        {
            if (_closed || _cacheLimit == 0 || _cache.ContainsKey(number))
            {
                return false;
            }

            _cache[number] = _recent.AddFirst(new Cached(number, data, stamp));
            _cacheBytes += data.LongLength;
            Trim();
            return true;
        }
    }

    private void Forget(long number)
    {
        if (_cache.Remove(number, out var node))
        {
            _recent.Remove(node);
            _cacheBytes -= node.Value.Data.LongLength;
        }
    }

    /// <summary>Drops the least recently used chunks down to the limit, keeping the newest one whatever its size (unless the limit is 0).</summary>
    private void Trim()
    {
        while (_cacheBytes > _cacheLimit && _recent.Last is { } last && (_recent.Count > 1 || _cacheLimit == 0))
        {
            Forget(last.Value.Index);
        }
    }

    /// <summary>A decoded chunk and the stamp of the file it was decoded from.</summary>
    private sealed record Cached(long Index, byte[] Data, FileStamp Stamp);

    private static byte[] Filled(ZarrMetadata metadata)
    {
        var data = new byte[metadata.ChunkBytes];
        var fill = metadata.Fill;
        if (fill.AsSpan().ContainsAnyExcept((byte)0))
        {
            for (var i = 0; i < data.Length; i += fill.Length)
            {
                fill.CopyTo(data, i);
            }
        }

        return data;
    }
}
