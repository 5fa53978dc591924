using System.Collections.Concurrent;
using System.Diagnostics;
using IOLink.Remote;

namespace IOLink.Storage;

/// <summary>
/// A read-only store over an HTTP(S) server: the value at key <c>0/3/1</c> is the file at the root address followed
/// by <c>0/3/1</c>, read with ranged GETs (<c>Range: bytes=</c>); a missing file (404) is a missing value, so a Zarr
/// array's absent chunks read as its fill value. Listing is not part of HTTP, so <see cref="KeyValueStore.List"/> is
/// refused: formats open arrays by their metadata's own addresses.
/// </summary>
/// <remarks>
/// <para>Reads of many values at once (<see cref="KeyValueStore.GetMany(IReadOnlyList{StoreRead}, int)"/>, which a chunked array's region read uses)
/// run <see cref="RemoteOptions.MaxConcurrency"/> requests at a time over the options' shared connection pool. Each
/// value's version is its ETag (else its modification time and length); a cached chunk is checked against the server
/// again once the version seen is older than <see cref="RemoteOptions.RevalidateAfter"/>.</para>
/// <para>Disposing the store leaves the connection pool to the options, which other stores share.</para>
/// </remarks>
public sealed class HttpStore : KeyValueStore
{
    private readonly ConcurrentDictionary<string, (StoreVersion? Version, long Seen)> _versions = new(StringComparer.Ordinal);
    private long _requests;

    /// <summary>A store whose keys are files below <paramref name="root"/>.</summary>
    /// <param name="root">An absolute http or https address (a trailing '/' is added when missing).</param>
    /// <param name="options">Timeouts, retries and concurrency; null for <see cref="RemoteOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not an absolute http or https address.</exception>
    public HttpStore(Uri root, RemoteOptions? options = null)
        : base(Checked(root).ToString())
    {
        Root = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        Options = options ?? RemoteOptions.Default;
    }

    /// <summary>The address keys are relative to (ending with '/').</summary>
    public Uri Root { get; }

    /// <summary>The options the store reads with.</summary>
    public RemoteOptions Options { get; }

    /// <summary>How many requests the store has sent (retries included once each), for tests and benchmarks.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <inheritdoc/>
    public override bool IsReadOnly => true;

    /// <inheritdoc/>
    public override bool ReadsManyAtOnce => true;

    /// <summary>The address of the value at <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is not a valid key.</exception>
    public Uri AddressOf(string key)
    {
        CheckKey(key);
        return new Uri(Root, string.Join('/', key.Split('/').Select(Uri.EscapeDataString)));
    }

    /// <inheritdoc/>
    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength)
    {
        // ByteRange.Of(0, 0) is the default range, read as all bytes: taking none of them is asking whether the value is there.
        if (maxLength == 0 && range.IsAll)
        {
            range = ByteRange.Last(0);
        }

        return Taken(key, HttpFetch.Get(Options, AddressOf(key), range, maxLength, expected: null), maxLength);
    }

    /// <inheritdoc/>
    protected override void GetManyCore(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle)
    {
        if (reads.Count <= 1)
        {
            base.GetManyCore(reads, maxLength, handle);
            return;
        }

        RemoteReads.GetMany(Options.MaxConcurrency, reads, handle, async read =>
            Taken(read.Key, await HttpFetch.GetAsync(Options, AddressOf(read.Key), read.Range == default ? ByteRange.All : read.Range, maxLength, expected: null).ConfigureAwait(false), maxLength));
    }

    /// <inheritdoc/>
    protected override StoreVersion? VersionCore(string key)
    {
        if (_versions.TryGetValue(key, out var seen) && Stopwatch.GetElapsedTime(seen.Seen) < Options.RevalidateAfter)
        {
            return seen.Version;
        }

        using var probe = GetCore(key, ByteRange.Last(0), 0);
        var version = probe?.Version;
        if (probe is null)
        {
            Remember(key, null);
        }

        return version;
    }

    /// <inheritdoc/>
    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value) =>
        throw new NotSupportedException($"The store '{Name}' is an HTTP server, read-only here; write to a local folder or an object store.");

    /// <inheritdoc/>
    protected override bool DeleteCore(string key) =>
        throw new NotSupportedException($"The store '{Name}' is an HTTP server, read-only here.");

    /// <inheritdoc/>
    protected override IEnumerable<string> ListCore(string prefix) =>
        throw new NotSupportedException($"The store '{Name}' is an HTTP server, which does not list the files below an address; open an array or image by its own address.");

    /// <inheritdoc/>
    protected override RandomAccess? OpenRandomAccessCore(string key) => HttpRandomAccess.Open(AddressOf(key), Options, CountRequest);

    /// <summary>Counts one request (the random accesses a store opens count theirs here too).</summary>
    internal void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>The fetched bytes as a value (null when missing), its version remembered; a larger answer than taken refused.</summary>
    /// <summary>Keeps the version a read saw, for the cache's checks; bounded, so that reading millions of chunks once keeps no memory.</summary>
    private void Remember(string key, StoreVersion? version)
    {
        if (_versions.Count >= 65536)
        {
            _versions.Clear();
        }

        _versions[key] = (version, Stopwatch.GetTimestamp());
    }

    private StoreValue? Taken(string key, Fetched? fetched, int maxLength)
    {
        CountRequest();
        if (fetched is null)
        {
            Remember(key, null);
            return null;
        }

        Remember(key, fetched.Version);
        using (fetched)
        {
            if (fetched.TooLarge)
            {
                throw TooLarge(key, fetched.Count, maxLength);
            }

            return fetched.ToStoreValue();
        }
    }

    private static Uri Checked(Uri root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!root.IsAbsoluteUri || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{root}' is not an http:// or https:// address; an HTTP store reads files from a web server.", nameof(root));
        }

        return root;
    }
}
