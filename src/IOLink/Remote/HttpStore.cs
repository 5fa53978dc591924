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
    private readonly RemoteReads _reads;

    /// <summary>A store whose keys are files below <paramref name="root"/>.</summary>
    /// <param name="root">An absolute http or https address (a trailing '/' is added when missing).</param>
    /// <param name="options">Timeouts, retries and concurrency; null for <see cref="RemoteOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not an absolute http or https address.</exception>
    public HttpStore(Uri root, RemoteOptions? options = null)
        : base(Checked(root).ToString())
    {
        Root = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        Options = options ?? RemoteOptions.Default;
        _reads = new RemoteReads(Options, AddressOf, () => null, TooLarge);
    }

    /// <summary>The address keys are relative to (ending with '/').</summary>
    public Uri Root { get; }

    /// <summary>The options the store reads with.</summary>
    public RemoteOptions Options { get; }

    /// <summary>How many requests the store has sent (retries included once each), for tests and benchmarks.</summary>
    public long RequestCount => _reads.Requests;

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
    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength) => _reads.Get(key, range, maxLength);

    /// <inheritdoc/>
    protected override void GetManyCore(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle) =>
        _reads.GetMany(reads, maxLength, handle);

    /// <inheritdoc/>
    protected override StoreVersion? VersionCore(string key) => _reads.Version(key);

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
    protected override RandomAccess? OpenRandomAccessCore(string key) => _reads.OpenRandomAccess(key);

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
