using System.Buffers;
using System.Net.Http.Headers;
using IOLink.Storage;

namespace IOLink.Remote;

/// <summary>The bytes one ranged GET returned, in a pooled buffer (null when the answer was larger than the reader takes).</summary>
internal sealed class Fetched : IDisposable
{
    private byte[]? _buffer;

    public Fetched(byte[]? buffer, int count, long start, long total, StoreVersion version)
    {
        _buffer = buffer;
        Count = count;
        Start = start;
        Total = total;
        Version = version;
    }

    /// <summary>How many bytes the answer holds.</summary>
    public int Count { get; }

    /// <summary>Where in the resource they start.</summary>
    public long Start { get; }

    /// <summary>The resource's whole length.</summary>
    public long Total { get; }

    /// <summary>The resource's version (its ETag, or its modification time and length).</summary>
    public StoreVersion Version { get; }

    /// <summary>Whether the answer was larger than the reader takes (no bytes were read).</summary>
    public bool TooLarge => _buffer is null;

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(Fetched))).AsSpan(0, Count);

    /// <summary>The bytes as a store value, which takes the buffer.</summary>
    public StoreValue ToStoreValue()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null) ?? throw new ObjectDisposedException(nameof(Fetched));
        return new StoreValue(buffer, Count, Version, Total, Start);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// One ranged GET, done as a careful client does it: a deadline per attempt, retries with growing waits on what may
/// pass (a refused or reset connection, a timeout, 5xx, 429, a cut body), never on what will not (4xx); a server
/// that answers a range with the whole file refused before its body is read; the answer's version taken from its
/// ETag (or Last-Modified and length), and a read pinned to a version refused when the resource changed.
/// </summary>
internal static class HttpFetch
{
    /// <summary>Fetches <paramref name="range"/> of <paramref name="url"/>; null when the server has no such resource (404, 410).</summary>
    /// <param name="options">Timeouts, retries and the shared connection pool.</param>
    /// <param name="url">The resource.</param>
    /// <param name="range">The bytes wanted; cut at the resource's end, as servers do.</param>
    /// <param name="maxLength">The most bytes taken: a larger answer is returned as <see cref="Fetched.TooLarge"/>, its body unread.</param>
    /// <param name="expected">The version the read is pinned to, or null: a different one is an <see cref="IOException"/>.</param>
    /// <param name="sign">Signs each attempt's request (an object store's), or null.</param>
    /// <param name="cancellation">Cancels the fetch.</param>
    /// <exception cref="IOException">The server failed past the retries, ignored the range, or the resource changed.</exception>
    /// <exception cref="UnauthorizedAccessException">The server refused access (401, 403).</exception>
    public static Task<Fetched?> GetAsync(RemoteOptions options, Uri url, ByteRange range, int maxLength, StoreVersion? expected, Action<HttpRequestMessage>? sign = null, CancellationToken cancellation = default) =>
        WithRetriesAsync(options, $"Reading {Describe(range)} of {url}", token => OnceAsync(options, url, range, maxLength, expected, sign, token), cancellation);

    /// <summary>
    /// Runs <paramref name="once"/> with a deadline of <see cref="RemoteOptions.Timeout"/>, again after a growing wait
    /// (or the wait a 429/503 asked for) when it failed in a way that may pass, up to <see cref="RemoteOptions.Retries"/>
    /// times; a failure asking again cannot mend (<see cref="FinalIOException"/>, a refusal) reaches the caller at once.
    /// </summary>
    /// <exception cref="IOException">Every attempt failed; the message names <paramref name="what"/> and the last reason.</exception>
    private static async Task<T> WithRetriesAsync<T>(RemoteOptions options, string what, Func<CancellationToken, Task<T>> once, CancellationToken cancellation)
    {
        Exception? last = null;
        for (var attempt = 0; attempt <= options.Retries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(last is RetryAfter { Wait: { } wait } ? wait : options.DelayBefore(attempt), cancellation).ConfigureAwait(false);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(options.Timeout);
            try
            {
                return await once(deadline.Token).ConfigureAwait(false);
            }
            catch (FinalIOException ex)
            {
                // What asking again cannot mend reaches the caller at once, as the plain IOException it is.
                throw new IOException(ex.Message);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                last = new IOException($"no answer within {options.Timeout.TotalSeconds:0.###} s");
            }
            catch (Exception ex) when (ex is HttpRequestException or RetryAfter or IOException)
            {
                last = ex;
            }
        }

        throw new IOException($"{what} failed {options.Retries + 1} times; the last time: {Reason(last!)}. Check that the server is up and reachable, or raise RemoteOptions.Retries and Timeout.", last);
    }

    /// <summary>Fetches synchronously (the calling thread waits; the transfer itself runs on the I/O threads).</summary>
    public static Fetched? Get(RemoteOptions options, Uri url, ByteRange range, int maxLength, StoreVersion? expected, Action<HttpRequestMessage>? sign = null) =>
        GetAsync(options, url, range, maxLength, expected, sign).GetAwaiter().GetResult();

    /// <summary>What a range is called in messages.</summary>
    public static string Describe(ByteRange range) => range.IsAll ? "all bytes" : range.ToString();

    private static async Task<Fetched?> OnceAsync(RemoteOptions options, Uri url, ByteRange range, int maxLength, StoreVersion? expected, Action<HttpRequestMessage>? sign, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // A zero-length range cannot be asked for: its first byte is asked for instead, and none is kept.
        var empty = !range.IsAll && range.Length == 0;
        var asked = !empty ? range : range.IsSuffix ? ByteRange.Last(1) : ByteRange.Of(range.Offset, 1);
        if (!asked.IsAll)
        {
            request.Headers.Range = asked.IsSuffix
                ? new RangeHeaderValue(null, asked.Length)
                : new RangeHeaderValue(asked.Offset, asked.Length < 0 ? null : asked.Offset + asked.Length - 1);
        }

        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        if (expected is { Tag: { } tag } && !tag.StartsWith("W/", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("If-Match", tag);
        }

        sign?.Invoke(request);
        using var response = await options.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        switch (status)
        {
            case 404 or 410:
                return null;
            case 401 or 403:
                throw await RefusedAsync(response, url, token).ConfigureAwait(false);
            case 412:
                throw Changed(url);
            case 416:
                {
                    // The range starts past the end: the resource is there, shorter than that.
                    var length = response.Content.Headers.ContentRange?.Length ?? 0;
                    return new Fetched(ArrayPool<byte>.Shared.Rent(1), 0, length, length, VersionOf(response, length));
                }

            case 408 or 429 or >= 500:
                throw new RetryAfter($"the server answered {status} {response.ReasonPhrase}", RetryWait(response));
            case 200 or 206:
                break;
            default:
                throw new FinalIOException($"Reading {Describe(range)} of {url}: the server answered {status} {response.ReasonPhrase}; IOLink reads files a server sends with 200 or 206.");
        }

        long start, count, total;
        if (status == 206)
        {
            var contentRange = response.Content.Headers.ContentRange;
            if (contentRange is not { From: { } from, To: { } to } || to < from)
            {
                throw new FinalIOException($"Reading {Describe(range)} of {url}: the server's partial answer has no valid Content-Range; it does not serve byte ranges correctly.");
            }

            total = contentRange.Length ?? to + 1;
            var (wantStart, _) = asked.Within(total);
            if (from != wantStart)
            {
                throw new FinalIOException($"Reading {Describe(range)} of {url}: the server sent bytes {from}-{to} instead; it does not serve byte ranges correctly.");
            }

            (start, count) = (from, to - from + 1);
        }
        else
        {
            total = response.Content.Headers.ContentLength ?? -1;
            // A whole answer to a range is taken only when it is no more than the range asked for (a small file).
            var whole = asked.IsAll || (total >= 0 && (asked.IsSuffix ? total <= asked.Length : asked.Offset == 0 && (asked.Length < 0 || total <= asked.Length)));
            if (!whole)
            {
                throw new FinalIOException($"The server at {url.GetLeftPart(UriPartial.Authority)} ignores byte ranges: it answered a request for {Describe(range)} of {url.AbsolutePath} with the whole file{(total >= 0 ? $" ({total} bytes)" : "")}. IOLink reads remote data by ranges and does not download whole files into memory; serve it from a server that supports Range requests, or download it first.");
            }

            (start, count) = (0, total);
        }

        var version = VersionOf(response, total);
        if (expected is { } pinned && pinned != version)
        {
            throw Changed(url);
        }

        if (empty)
        {
            return new Fetched(ArrayPool<byte>.Shared.Rent(1), 0, range.Within(total).Start, total, version);
        }

        if (count > maxLength)
        {
            return new Fetched(null, (int)Math.Min(count, int.MaxValue), start, total, version);
        }

        var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        if (count < 0)
        {
            // No length announced (a chunked answer): read at most maxLength + 1 bytes to tell a larger one.
            return await ReadUnknownAsync(stream, maxLength, version, token).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, count));
        try
        {
            var got = 0;
            while (got < count)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(got, (int)count - got), token).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException($"the answer was cut after {got} of {count} bytes");
                }

                got += n;
            }

            return new Fetched(buffer, (int)count, start, total, version);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static async Task<Fetched> ReadUnknownAsync(Stream stream, int maxLength, StoreVersion version, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        var got = 0;
        try
        {
            while (true)
            {
                if (got == buffer.Length)
                {
                    if (got > maxLength)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return new Fetched(null, got, 0, -1, version);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, got).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var n = await stream.ReadAsync(buffer.AsMemory(got), token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (got > maxLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new Fetched(null, got, 0, got, version);
        }

        return new Fetched(buffer, got, 0, got, version);
    }

    /// <summary>
    /// Sends a request with a body (or none) and returns its status, ETag and body (at most <paramref name="maxBody"/>
    /// bytes): PUT, DELETE and listings, with the same deadline and retries as reads (they are idempotent).
    /// </summary>
    /// <exception cref="IOException">The server failed past the retries.</exception>
    /// <exception cref="UnauthorizedAccessException">The server refused access (401, 403).</exception>
    public static Task<(int Status, string? ETag, byte[] Body)> SendAsync(RemoteOptions options, HttpMethod method, Uri url, ReadOnlyMemory<byte> body,
        Action<HttpRequestMessage>? sign, int maxBody, string what) =>
        WithRetriesAsync(options, $"{what} ({method} {url})", async token =>
        {
            using var request = new HttpRequestMessage(method, url);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = new ReadOnlyMemoryContent(body);
            }

            sign?.Invoke(request);
            using var response = await options.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 401 or 403)
            {
                throw await RefusedAsync(response, url, token).ConfigureAwait(false);
            }

            if (status is 408 or 429 or >= 500)
            {
                throw new RetryAfter($"the server answered {status} {response.ReasonPhrase}", RetryWait(response));
            }

            var bytes = await ReadSomeAsync(response, maxBody, token).ConfigureAwait(false);
            return (status, response.Headers.ETag?.ToString(), bytes);
        }, CancellationToken.None);

    /// <summary>At most <paramref name="maxBody"/> bytes of an answer's body (an error or a listing).</summary>
    private static async Task<byte[]> ReadSomeAsync(HttpResponseMessage response, int maxBody, CancellationToken token)
    {
        var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        using var kept = new MemoryStream();
        var buffer = new byte[16 << 10];
        int n;
        while (kept.Length < maxBody && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBody - kept.Length)), token).ConfigureAwait(false)) > 0)
        {
            kept.Write(buffer, 0, n);
        }

        return kept.ToArray();
    }

    /// <summary>The error for a refused request: the address, the status, and an object store's own error code and message (never a credential).</summary>
    private static async Task<UnauthorizedAccessException> RefusedAsync(HttpResponseMessage response, Uri url, CancellationToken token)
    {
        var detail = "";
        try
        {
            var (code, message) = ErrorOf(await ReadSomeAsync(response, 4096, token).ConfigureAwait(false));
            if (code is not null)
            {
                detail = $": {code}{(message is null ? "" : " (" + message + ")")}";
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
        }

        return new UnauthorizedAccessException($"The server refused access to {url} ({(int)response.StatusCode} {response.ReasonPhrase}{detail}); check the address, and the credentials if it needs any.");
    }

    /// <summary>An object store's error code and message in an answer's body (S3's <c>&lt;Error&gt;</c> document), or nulls.</summary>
    public static (string? Code, string? Message) ErrorOf(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 4096)));
        var code = System.Text.RegularExpressions.Regex.Match(text, "<Code>([^<]{1,100})</Code>");
        var message = System.Text.RegularExpressions.Regex.Match(text, "<Message>([^<]{1,300})</Message>");
        return (code.Success ? code.Groups[1].Value : null, message.Success ? message.Groups[1].Value : null);
    }

    /// <summary>The answer's version: its ETag; else its modification time and length; else its length alone.</summary>
    private static StoreVersion VersionOf(HttpResponseMessage response, long total)
    {
        if (response.Headers.ETag is { } etag)
        {
            return new StoreVersion(total, Tag: etag.ToString());
        }

        return response.Content.Headers.LastModified is { } modified
            ? new StoreVersion(total, modified.UtcTicks)
            : new StoreVersion(total);
    }

    private static TimeSpan? RetryWait(HttpResponseMessage response)
    {
        var after = response.Headers.RetryAfter;
        var wait = after?.Delta ?? (after?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, TimeSpan.FromSeconds(5).Ticks)) : null;
    }

    private static FinalIOException Changed(Uri url) =>
        new($"{url} changed on the server while it was read (its ETag or modification time is no longer the one seen when it was opened); open it again to read the new content.");

    private static string Reason(Exception ex) => ex switch
    {
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };

    /// <summary>An answer worth asking again for (5xx, 429, 408), with the wait the server asked for.</summary>
    private sealed class RetryAfter(string message, TimeSpan? wait) : Exception(message)
    {
        public TimeSpan? Wait { get; } = wait;
    }
}

/// <summary>A failure asking again will not mend (a server that ignores ranges, a changed resource).</summary>
internal sealed class FinalIOException(string message) : IOException(message);
