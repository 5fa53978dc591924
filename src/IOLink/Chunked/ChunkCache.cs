using IOLink.Storage;

namespace IOLink.Chunked;

/// <summary>
/// Decoded chunks kept for repeated reads, least recently used dropped first, within a byte budget; one cache may
/// serve many arrays. Each chunk keeps the version of the stored value it was decoded from, and is served only while
/// the store still has that version (see <see cref="StoreVersion"/>).
/// </summary>
/// <remarks>
/// A chunk larger than the whole budget is kept alone, until the next chunk is decoded: reads that walk through it
/// slab by slab then decode it once, not once per slab, with memory bounded by the larger of the budget and the
/// largest chunk. A budget of 0 keeps nothing.
/// </remarks>
public sealed class ChunkCache
{
    private readonly object _gate = new();
    private readonly Dictionary<(ChunkedArray Array, long Number), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _budget;
    private long _bytes;

    /// <summary>A cache keeping at most <paramref name="byteBudget"/> bytes of decoded chunks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteBudget"/> is negative.</exception>
    public ChunkCache(long byteBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteBudget);
        _budget = byteBudget;
    }

    /// <summary>The most bytes of decoded chunks kept (one larger chunk aside, see the remarks); 0 keeps none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long ByteBudget
    {
        get
        {
            lock (_gate)
            {
                return _budget;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate)
            {
                _budget = value;
                Trim();
            }
        }
    }

    /// <summary>The bytes of decoded chunks kept now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>How many chunks are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The kept chunk and the version it came from, marked as just used.</summary>
    internal bool TryGet(ChunkedArray array, long number, out byte[] data, out StoreVersion version)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((array, number), out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                data = node.Value.Data;
                version = node.Value.Version;
                return true;
            }
        }

        data = null!;
        version = default;
        return false;
    }

    /// <summary>Keeps a chunk, replacing what was kept for it; false when it is not kept (a budget of 0, or a closed array).</summary>
    internal bool Add(ChunkedArray array, long number, byte[] data, StoreVersion version)
    {
        lock (_gate)
        {
            Remove(array, number, expected: null);
            if (array.IsClosed || _budget == 0)
            {
                return false;
            }

            _entries[(array, number)] = _recent.AddFirst(new Entry(array, number, data, version));
            _bytes += data.LongLength;
            Trim();
            return true;
        }
    }

    /// <summary>Drops the chunk kept for <paramref name="number"/>, only if it is still <paramref name="expected"/> (any when null).</summary>
    internal void Remove(ChunkedArray array, long number, byte[]? expected)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((array, number), out var node) && (expected is null || ReferenceEquals(node.Value.Data, expected)))
            {
                Drop(node);
            }
        }
    }

    /// <summary>
    /// Drops every chunk of <paramref name="array"/>, which is closed already: <see cref="Add"/> checks that under the
    /// same lock, so no chunk of it is kept after this.
    /// </summary>
    internal void RemoveAll(ChunkedArray array)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Array == array)
                {
                    Drop(node);
                }

                node = next;
            }
        }
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        _entries.Remove((node.Value.Array, node.Value.Number));
        _recent.Remove(node);
        _bytes -= node.Value.Data.LongLength;
    }

    /// <summary>Drops the least recently used chunks down to the budget, keeping the newest one whatever its size (unless the budget is 0).</summary>
    private void Trim()
    {
        while (_bytes > _budget && _recent.Last is { } last && (_recent.Count > 1 || _budget == 0))
        {
            Drop(last);
        }
    }

    private sealed record Entry(ChunkedArray Array, long Number, byte[] Data, StoreVersion Version);
}
