using IOLink.Storage;

namespace IOLink.Remote;

/// <summary>
/// A read-only random access over a file on an HTTP(S) server, read by ranged GETs pinned to the version seen when
/// it was opened (a file changed on the server is an error, never a mix of two files). Small reads (a TIFF's
/// directory entries, a .npy header) are served from aligned blocks kept in a small cache, so parsing a header costs
/// a request or two rather than one per field; gathered reads (a region's rows) are coalesced where they lie close
/// and fetched concurrently.
/// </summary>
internal sealed class HttpRandomAccess : RandomAccess
{
    /// <summary>The block small reads are served from.</summary>
    private const int BlockSize = 256 << 10;

    /// <summary>Reads up to this size go through the block cache; larger ones are fetched as they are.</summary>
    private const int SmallRead = 64 << 10;

    private const int CachedBlocks = 16;

    /// <summary>Runs closer than this are fetched in one request: a request costs more than this many bytes.</summary>
    private const long CoalesceGap = 64 << 10;

    /// <summary>The largest coalesced request.</summary>
    private const long MaxGroup = 16 << 20;

    private readonly Uri _url;
    private readonly RemoteOptions _options;
    private readonly StoreVersion _version;
    private readonly Action? _counted;
    private readonly Action<HttpRequestMessage>? _sign;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, byte[]> _blocks = [];
    private readonly LinkedList<long> _recent = new();

    private HttpRandomAccess(Uri url, RemoteOptions options, long size, StoreVersion version, Action? counted, Action<HttpRequestMessage>? sign)
        : base(size)
    {
        _url = url;
        _options = options;
        _version = version;
        _counted = counted;
        _sign = sign;
    }

    /// <summary>Opens the file at <paramref name="url"/>; null when the server has none (404).</summary>
    /// <exception cref="IOException">The server failed, or ignores byte ranges for a file larger than one block.</exception>
    /// <exception cref="UnauthorizedAccessException">The server refused access.</exception>
    /// <param name="url">The file's address.</param>
    /// <param name="options">Timeouts, retries, concurrency.</param>
    /// <param name="counted">Called once per request sent (a store's count).</param>
    /// <param name="sign">Signs each request (an object store's), or null.</param>
    public static HttpRandomAccess? Open(Uri url, RemoteOptions options, Action? counted = null, Action<HttpRequestMessage>? sign = null)
    {
        using var first = HttpFetch.Get(options, url, ByteRange.Of(0, BlockSize), BlockSize, expected: null, sign);
        counted?.Invoke();
        if (first is null)
        {
            return null;
        }

        if (first.TooLarge)
        {
            throw new IOException($"The server at {url.GetLeftPart(UriPartial.Authority)} ignores byte ranges: it sent {url.AbsolutePath} whole, without saying its length. IOLink reads remote files by ranges; serve it from a server that supports Range requests, or download it first.");
        }

        var access = new HttpRandomAccess(url, options, first.Total, first.Version, counted, sign);
        access._blocks[0] = first.Span.ToArray();
        access._recent.AddFirst(0);
        return access;
    }

    internal override bool GathersReads => true;

    protected internal override RandomAccessCapability CapabilitiesCore => RandomAccessCapability.READ;

    protected internal override void ReadCore(long offset, Span<byte> dst)
    {
        if (dst.Length <= SmallRead)
        {
            while (dst.Length > 0)
            {
                var block = BlockAt(offset / BlockSize);
                var within = (int)(offset % BlockSize);
                var n = Math.Min(dst.Length, block.Length - within);
                if (n <= 0)
                {
                    throw Shorter(offset + dst.Length);
                }

                block.AsSpan(within, n).CopyTo(dst);
                dst = dst[n..];
                offset += n;
            }

            return;
        }

        if (dst.Length <= MaxGroup)
        {
            using var fetched = Fetch(offset, dst.Length);
            fetched.Span.CopyTo(dst);
            return;
        }

        ReadLarge(offset, dst);
    }

    protected internal override void WriteCore(long offset, ReadOnlySpan<byte> src) =>
        throw new NotSupportedException($"{_url} is a file on an HTTP server, read-only here.");

    internal override void ReadRuns(List<ReadRun> runs)
    {
        if (runs.Count == 1 && runs[0].Length <= MaxGroup)
        {
            base.ReadRuns(runs);
            return;
        }

        // Long runs are cut into pieces fetched side by side: one stream of a gigabyte is slower than many.
        if (runs.Exists(r => r.Length > MaxGroup))
        {
            runs = [.. runs.SelectMany(Pieces)];
        }

        runs.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var groups = new List<(int First, int Count, long Start, long End)>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (groups.Count > 0)
            {
                var g = groups[^1];
                var end = Math.Max(g.End, run.Offset + run.Length);
                if (run.Offset - g.End <= CoalesceGap && end - g.Start <= MaxGroup)
                {
                    groups[^1] = (g.First, g.Count + 1, g.Start, end);
                    continue;
                }
            }

            groups.Add((i, 1, run.Offset, run.Offset + run.Length));
        }

        ReadGroupsAsync(runs, groups).GetAwaiter().GetResult();
    }

    public override string ToString() => $"HttpRandomAccess({_url}, {Size} bytes)";

    private async Task ReadGroupsAsync(List<ReadRun> runs, List<(int First, int Count, long Start, long End)> groups)
    {
        using var gate = new SemaphoreSlim(_options.MaxConcurrency);
        var tasks = groups.Select(group => Task.Run(async () =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var length = group.End - group.Start;
                using var fetched = await HttpFetch.GetAsync(_options, _url, ByteRange.Of(group.Start, length), (int)length, _version, _sign).ConfigureAwait(false);
                Counted(fetched, group.Start, length);
                for (var i = group.First; i < group.First + group.Count; i++)
                {
                    var run = runs[i];
                    CopyOut(fetched!.Span.Slice((int)(run.Offset - group.Start), (int)run.Length), run.Destination);
                }
            }
            finally
            {
                gate.Release();
            }
        })).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static IEnumerable<ReadRun> Pieces(ReadRun run)
    {
        for (long done = 0; done < run.Length; done += MaxGroup)
        {
            yield return new ReadRun(run.Offset + done, Math.Min(MaxGroup, run.Length - done), run.Destination + (nint)done);
        }
    }

    private unsafe void ReadLarge(long offset, Span<byte> dst)
    {
        fixed (byte* p = dst)
        {
            ReadRuns([new ReadRun(offset, dst.Length, (nint)p)]);
        }
    }

    private static unsafe void CopyOut(ReadOnlySpan<byte> bytes, nint destination) =>
        bytes.CopyTo(new Span<byte>((void*)destination, bytes.Length));

    private byte[] BlockAt(long index)
    {
        lock (_lock)
        {
            if (_blocks.TryGetValue(index, out var cached))
            {
                _recent.Remove(index);
                _recent.AddFirst(index);
                return cached;
            }
        }

        var start = index * BlockSize;
        var length = Math.Min(BlockSize, Size - start);
        if (length <= 0)
        {
            throw Shorter(start + 1);
        }

        using var fetched = Fetch(start, (int)length);
        var block = fetched.Span.ToArray();
        lock (_lock)
        {
            // Another reader may have fetched the same block meanwhile: one copy is kept, listed once.
            if (!_blocks.TryAdd(index, block))
            {
                return _blocks[index];
            }

            _recent.AddFirst(index);
            while (_recent.Count > CachedBlocks)
            {
                _blocks.Remove(_recent.Last!.Value);
                _recent.RemoveLast();
            }
        }

        return block;
    }

    private Fetched Fetch(long offset, int length)
    {
        var fetched = HttpFetch.Get(_options, _url, ByteRange.Of(offset, length), length, _version, _sign);
        return Counted(fetched, offset, length);
    }

    private Fetched Counted(Fetched? fetched, long offset, long length)
    {
        _counted?.Invoke();
        if (fetched is null)
        {
            throw new IOException($"{_url} was removed from the server while it was read.");
        }

        if (fetched.Count != length)
        {
            fetched.Dispose();
            throw Shorter(offset + length);
        }

        return fetched;
    }

    private EndOfStreamException Shorter(long needed) =>
        new($"{_url} is shorter on the server than when it was opened ({Size} bytes): byte {needed - 1} cannot be read. Open it again.");
}
