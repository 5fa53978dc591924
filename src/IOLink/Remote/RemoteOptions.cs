using System.Net;

namespace IOLink.Storage;

/// <summary>
/// How IOLink talks to HTTP(S) servers and object stores: how long one request may take, how often a failed read is
/// tried again, and how many requests run at once. Opens given a URL string use <see cref="Default"/>.
/// </summary>
/// <remarks>
/// Every options object keeps one connection pool (HTTP/1.1 keep-alive, HTTP/2 over TLS where the server offers it),
/// shared by every store and file opened with it, so a dataset's many small reads reuse a few connections.
/// </remarks>
public sealed class RemoteOptions
{
    private static RemoteOptions _default = new();
    private readonly Lock _lock = new();
    private HttpClient? _client;

    /// <summary>The options opens by URL string use; replace it to change them for the whole process.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public static RemoteOptions Default
    {
        get => Volatile.Read(ref _default);
        set => Volatile.Write(ref _default, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>How long one request may take, from sending it to its last byte (default 30 s); a request that takes longer is tried again.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a read that failed on the way (a refused or reset connection, a timeout, a 5xx or 429 answer, a cut response) is tried again (default 4), waiting longer each time.</summary>
    public int Retries { get; init; } = 4;

    /// <summary>The first wait before a retry (default 100 ms); each further wait is four times longer, at most 5 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many requests run at once against one server (default 16): reads of many chunks are fetched this many at a time.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>
    /// How long a value's version (its ETag) seen by a read is trusted before a cached chunk made from it is checked
    /// against the server again (default 10 s). Zero checks on every use: one request per cached chunk.
    /// </summary>
    public TimeSpan RevalidateAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The client all requests with these options share, made on first use.</summary>
    internal HttpClient Client
    {
        get
        {
            lock (_lock)
            {
                return _client ??= MakeClient();
            }
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first).</summary>
    internal TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, RetryDelay.Ticks * (long)Math.Pow(4, attempt - 1)));

    private HttpClient MakeClient()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfNegative(Retries, nameof(Retries));
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = MaxConcurrency,
            // Bytes are read as stored: a compressed transfer would change what a byte range means.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseCookies = false,
        };
        return new HttpClient(handler, disposeHandler: true)
        {
            // Each request has its own deadline (Timeout); the client's would also cut long streamed bodies.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }
}
