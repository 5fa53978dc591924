using System.Collections.Concurrent;
using System.Diagnostics;
using IOLink.Storage;

namespace IOLink.Remote;

/// <summary>
/// The reading half every remote store shares (<see cref="HttpStore"/>, <see cref="S3Store"/>): values fetched by
/// address with ranged GETs (signed when the store signs), many at a time, each request counted; and the version each
/// read saw, kept for the cache's checks until <see cref="RemoteOptions.RevalidateAfter"/>.
/// </summary>
/// <param name="options">Timeouts, retries, concurrency and the connection pool.</param>
/// <param name="address">The address of a key's value.</param>
/// <param name="signer">What signs a read (null: unsigned).</param>
/// <param name="tooLarge">The store's error for a value larger than a reader takes.</param>
internal sealed class RemoteReads(RemoteOptions options, Func<string, Uri> address, Func<Action<HttpRequestMessage>?> signer, Func<string, long, int, Exception> tooLarge)
{
    /// <summary>At most this many versions are kept: reading millions of chunks once keeps no memory.</summary>
    private const int KeptVersions = 65536;

    private readonly ConcurrentDictionary<string, (StoreVersion? Version, long Seen)> _versions = new(StringComparer.Ordinal);
    private long _requests;

    /// <summary>How many requests were sent (retries included once each).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Counts one request.</summary>
    public void Count() => Interlocked.Increment(ref _requests);

    /// <summary>Reads a key's range (see <see cref="KeyValueStore.Get"/>); null when missing.</summary>
    public StoreValue? Get(string key, ByteRange range, int maxLength)
    {
        // ByteRange.Of(0, 0) is the default range, read as all bytes: taking none of them is asking whether the value is there.
        if (maxLength == 0 && range.IsAll)
        {
            range = ByteRange.Last(0);
        }

        return Taken(key, HttpFetch.Get(options, address(key), range, maxLength, expected: null, signer()), maxLength);
    }

    /// <summary>
    /// Reads every key's range, <see cref="RemoteOptions.MaxConcurrency"/> at a time, and hands each value to
    /// <paramref name="handle"/> outside the gate (the next request starts while this value is used); waits for all,
    /// then throws the first failure. The calling thread waits; the transfers run on the I/O threads.
    /// </summary>
    public void GetMany(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        if (reads.Count <= 1)
        {
            for (var i = 0; i < reads.Count; i++)
            {
                handle(i, Get(reads[i].Key, RangeOf(reads[i]), maxLength));
            }

            return;
        }

        GetManyAsync(reads, maxLength, handle).GetAwaiter().GetResult();
    }

    /// <summary>The version a read saw while it is fresh, else the value's version now (one small request); null when missing.</summary>
    public StoreVersion? Version(string key)
    {
        if (_versions.TryGetValue(key, out var seen) && Stopwatch.GetElapsedTime(seen.Seen) < options.RevalidateAfter)
        {
            return seen.Version;
        }

        using var probe = Get(key, ByteRange.Last(0), 0);
        return probe?.Version;
    }

    /// <summary>Keeps the version a read or a write saw (null: the value is missing).</summary>
    public void Remember(string key, StoreVersion? version)
    {
        if (_versions.Count >= KeptVersions)
        {
            _versions.Clear();
        }

        _versions[key] = (version, Stopwatch.GetTimestamp());
    }

    /// <summary>A random access over a key's value, reads pinned to the version seen at open; null when missing.</summary>
    public RandomAccess? OpenRandomAccess(string key) => HttpRandomAccess.Open(address(key), options, Count, signer());

    private static ByteRange RangeOf(StoreRead read) => read.Range == default ? ByteRange.All : read.Range;

    private async Task GetManyAsync(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        var tasks = new Task[reads.Count];
        for (var i = 0; i < reads.Count; i++)
        {
            var (index, read) = (i, reads[i]);
            tasks[i] = Task.Run(async () =>
            {
                StoreValue? value;
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var fetched = await HttpFetch.GetAsync(options, address(read.Key), RangeOf(read), maxLength, expected: null, signer()).ConfigureAwait(false);
                    value = Taken(read.Key, fetched, maxLength);
                }
                finally
                {
                    gate.Release();
                }

                handle(index, value);
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>The fetched bytes as a value (null when missing), its version remembered; an answer larger than taken refused.</summary>
    private StoreValue? Taken(string key, Fetched? fetched, int maxLength)
    {
        Count();
        Remember(key, fetched?.Version);
        if (fetched is null)
        {
            return null;
        }

        using (fetched)
        {
            if (fetched.TooLarge)
            {
                throw tooLarge(key, fetched.Count, maxLength);
            }

            return fetched.ToStoreValue();
        }
    }
}
