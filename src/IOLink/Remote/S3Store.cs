using System.Globalization;
using System.Xml.Linq;
using IOLink.Remote;

namespace IOLink.Storage;

/// <summary>
/// A store in an S3 bucket (AWS's, or an S3-compatible server's): the value at key <c>0/3/1</c> is the object
/// <c>PREFIX0/3/1</c>. Reads are ranged GETs, several at a time, over the shared connection pool; writes are one PUT
/// per value (an object replaced whole, atomically, as S3 replaces objects); listing pages through ListObjectsV2;
/// deletes are DELETEs. Requests are signed with AWS Signature Version 4 (unsigned without credentials, as for a
/// public bucket). Missing objects are missing values (a Zarr array's absent chunks read as its fill value).
/// </summary>
/// <remarks>
/// <para>IOLink signs requests itself (about 150 lines, <c>src/IOLink/Remote/SigV4.cs</c>) rather than through the AWS
/// SDK, so that S3 reads share the HTTP reader's ranges, retries, version pinning and concurrency; the tests check the
/// signatures against an S3-compatible server that verifies them.</para>
/// <para>A value's version is its ETag; a cached chunk is checked against the bucket again once the version seen is
/// older than <see cref="RemoteOptions.RevalidateAfter"/>. Messages name the bucket and key, never a credential.</para>
/// </remarks>
public sealed class S3Store : KeyValueStore
{
    private readonly RemoteReads _reads;
    private readonly bool _readOnly;

    /// <summary>A store of the objects below <paramref name="prefix"/> in <paramref name="bucket"/>.</summary>
    /// <param name="bucket">The bucket's name.</param>
    /// <param name="prefix">What every key is below: "" for the whole bucket, else a path such as <c>images/ct.zarr</c> (a trailing '/' is added).</param>
    /// <param name="options">Endpoint, region, credentials; null for <see cref="S3Options.FromEnvironment"/>.</param>
    /// <param name="readOnly">Whether writes and deletions are refused.</param>
    /// <exception cref="ArgumentException">The bucket name or the prefix is not valid.</exception>
    public S3Store(string bucket, string prefix = "", S3Options? options = null, bool readOnly = false)
        : base($"s3://{bucket}/{prefix.Trim('/')}")
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (bucket.Length > 63 || bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            throw new ArgumentException($"'{bucket}' is not an S3 bucket name: 3 to 63 lower-case letters, digits, '-' and '.'.", nameof(bucket));
        }

        var trimmed = prefix.Trim('/');
        if (trimmed.Length > 0)
        {
            CheckKey(trimmed);
        }

        Bucket = bucket;
        Prefix = trimmed.Length > 0 ? trimmed + "/" : "";
        Options = options ?? S3Options.FromEnvironment();
        _readOnly = readOnly;
        _reads = new RemoteReads(Options.Remote, Address, () => Signer(), TooLarge);
    }

    /// <summary>The store at an <c>s3://bucket/prefix</c> address.</summary>
    /// <exception cref="ArgumentException">The address is not an s3:// address with a bucket.</exception>
    public static S3Store Open(Uri address, S3Options? options = null, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || address.Scheme != "s3" || address.Host.Length == 0)
        {
            throw new ArgumentException($"'{address}' is not an s3://BUCKET/PATH address.", nameof(address));
        }

        return new S3Store(address.Host, Uri.UnescapeDataString(address.AbsolutePath), options, readOnly);
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>What every key is below (ending with '/', or empty).</summary>
    public string Prefix { get; }

    /// <summary>Where the bucket is and how requests are signed.</summary>
    public S3Options Options { get; }

    /// <summary>How many requests the store has sent, for tests and benchmarks.</summary>
    public long RequestCount => _reads.Requests;

    /// <inheritdoc/>
    public override bool IsReadOnly => _readOnly;

    /// <inheritdoc/>
    public override bool ReadsManyAtOnce => true;

    /// <summary>A store of the objects below <paramref name="relative"/> in this store (the same bucket and options).</summary>
    /// <exception cref="ArgumentException">The path is not a valid key.</exception>
    public S3Store Below(string relative)
    {
        CheckKey(relative.Trim('/'));
        return new S3Store(Bucket, Prefix + relative.Trim('/'), Options, _readOnly);
    }

    /// <summary>
    /// Writes the object at <paramref name="key"/> from a stream of any length: a multipart upload in parts of
    /// <paramref name="partBytes"/> (at least 5 MiB, S3's smallest part), completed when the stream is disposed after
    /// <see cref="S3UploadStream.Complete"/>, aborted (nothing left behind) otherwise. For a .npy or any single large file.
    /// </summary>
    /// <exception cref="NotSupportedException">The store is read-only.</exception>
    public S3UploadStream OpenUpload(string key, int partBytes = 16 << 20)
    {
        CheckKey(key);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_readOnly)
        {
            throw new NotSupportedException($"The store '{Name}' is read-only and cannot store values; open it writable.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(partBytes, 5 << 20);
        return new S3UploadStream(this, key, partBytes);
    }

    /// <inheritdoc/>
    protected override StoreValue? GetCore(string key, ByteRange range, int maxLength) => _reads.Get(key, range, maxLength);

    /// <inheritdoc/>
    protected override void GetManyCore(IReadOnlyList<StoreRead> reads, int maxLength, Action<int, StoreValue?> handle) =>
        _reads.GetMany(reads, maxLength, handle);

    /// <inheritdoc/>
    protected override StoreVersion? VersionCore(string key) => _reads.Version(key);

    /// <inheritdoc/>
    protected override StoreVersion SetCore(string key, ReadOnlySpan<byte> value)
    {
        var body = value.ToArray();
        var hash = SigV4.Hash(body);
        var (status, etag, answer) = Send(HttpMethod.Put, Address(key), body, hash, $"Storing '{key}'");
        if (status is not (200 or 201 or 204))
        {
            throw Failed(status, answer, $"store '{key}'");
        }

        var version = new StoreVersion(body.Length, Tag: etag);
        _reads.Remember(key, version);
        return version;
    }

    /// <inheritdoc/>
    protected override bool DeleteCore(string key)
    {
        using (var probe = _reads.Get(key, ByteRange.Last(0), 0))
        {
            if (probe is null)
            {
                return false;
            }
        }

        var (status, _, answer) = Send(HttpMethod.Delete, Address(key), default, SigV4.EmptyHash, $"Deleting '{key}'");
        if (status is not (200 or 204 or 404))
        {
            throw Failed(status, answer, $"delete '{key}'");
        }

        _reads.Remember(key, null);
        return true;
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> ListCore(string prefix)
    {
        var below = Prefix + (prefix.Length > 0 ? prefix + "/" : "");
        string? token = null;
        var pages = 0;
        do
        {
            var query = "list-type=2&prefix=" + SigV4.Encode(below) + (token is null ? "" : "&continuation-token=" + SigV4.Encode(token));
            var (status, _, answer) = Send(HttpMethod.Get, Options.Address(Bucket, "", query), default, SigV4.EmptyHash, "Listing");
            if (status != 200)
            {
                throw Failed(status, answer, "list the bucket");
            }

            XDocument page;
            try
            {
                // A listing is data from the network: no DTD (no entity expansion), bounded by the 16 MiB read.
                using var reader = System.Xml.XmlReader.Create(new MemoryStream(answer), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
                page = XDocument.Load(reader);
            }
            catch (System.Xml.XmlException ex)
            {
                throw new IOException($"{Name}: the server's listing is not valid XML ({ex.Message}).", ex);
            }

            var ns = page.Root?.Name.Namespace ?? XNamespace.None;
            foreach (var key in page.Descendants(ns + "Contents").Select(c => (string?)c.Element(ns + "Key")))
            {
                if (key is not null && key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length)
                {
                    yield return key[Prefix.Length..];
                }
            }

            var truncated = (string?)page.Root?.Element(ns + "IsTruncated") == "true";
            token = truncated ? (string?)page.Root?.Element(ns + "NextContinuationToken") : null;
            if (++pages > 1_000_000)
            {
                throw new IOException($"{Name}: the listing did not end after a million pages.");
            }
        }
        while (token is not null);
    }

    /// <inheritdoc/>
    protected override RandomAccess? OpenRandomAccessCore(string key) => _reads.OpenRandomAccess(key);

    /// <summary>The address of the object of <paramref name="key"/>.</summary>
    internal Uri Address(string key) => Options.Address(Bucket, Prefix + key);

    /// <summary>The address of the object of <paramref name="key"/> with a query (a multipart upload's step).</summary>
    internal Uri Address(string key, string query) => Options.Address(Bucket, Prefix + key, query);

    /// <summary>Sends a signed request with a body; its status, ETag and (short) answer.</summary>
    internal (int Status, string? ETag, byte[] Answer) Send(HttpMethod method, Uri address, ReadOnlyMemory<byte> body, string payloadHash, string what)
    {
        _reads.Count();
        return HttpFetch.SendAsync(Options.Remote, method, address, body, Signer(payloadHash), 16 << 20, $"{Name}: {what}").GetAwaiter().GetResult();
    }

    /// <summary>The error for an answer that is not success: S3's error code and message, the bucket, never a credential.</summary>
    internal IOException Failed(int status, byte[] answer, string what)
    {
        var (code, message) = HttpFetch.ErrorOf(answer);
        return status == 404 && code == "NoSuchBucket"
            ? new DirectoryNotFoundException($"{Name}: there is no bucket '{Bucket}' at {Options.Endpoint?.ToString() ?? "AWS"}; create it first, or check the name and the endpoint.")
            : new IOException($"{Name}: could not {what}: the server answered {status}{(code is null ? "" : " " + code)}{(message is null ? "" : " (" + message + ")")}. Check the bucket and the key, and retry when the server is well.");
    }

    /// <summary>Signs a request for this store's region (nothing without credentials).</summary>
    internal Action<HttpRequestMessage>? Signer(string payloadHash = SigV4.EmptyHash) =>
        Options.Credentials is { } credentials
            ? request => SigV4.Sign(request, payloadHash, credentials, Options.Region, "s3", DateTime.UtcNow)
            : null;
}

/// <summary>
/// A multipart upload to S3 as a write-only stream: bytes are cut into parts uploaded as they fill; <see cref="Complete"/>
/// then disposing finishes the object, disposing without it aborts the upload (the parts are dropped, no object
/// appears). A failed part is an <see cref="IOException"/> and the upload is aborted.
/// </summary>
public sealed class S3UploadStream : Stream
{
    private readonly S3Store _store;
    private readonly string _key;
    private readonly byte[] _part;
    private readonly List<string> _etags = [];
    private string? _uploadId;
    private int _filled;
    private long _written;
    private bool _completed;
    private bool _closed;

    internal S3UploadStream(S3Store store, string key, int partBytes)
    {
        _store = store;
        _key = key;
        _part = new byte[partBytes];
    }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !_closed;

    /// <inheritdoc/>
    public override long Length => _written;

    /// <inheritdoc/>
    public override long Position { get => _written; set => throw new NotSupportedException("An S3 upload is written front to back."); }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _part.Length - _filled);
            buffer[..n].CopyTo(_part.AsSpan(_filled));
            _filled += n;
            _written += n;
            buffer = buffer[n..];
            if (_filled == _part.Length)
            {
                UploadPart();
            }
        }
    }

    /// <summary>Uploads what is left and makes the object: a small one in one PUT, a large one by completing the multipart upload.</summary>
    /// <exception cref="IOException">The server refused or failed.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_uploadId is null)
        {
            _store.Set(_key, _part.AsSpan(0, _filled));
        }
        else
        {
            if (_filled > 0)
            {
                UploadPart();
            }

            var xml = new System.Text.StringBuilder("<CompleteMultipartUpload>");
            for (var i = 0; i < _etags.Count; i++)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{i + 1}</PartNumber><ETag>{System.Security.SecurityElement.Escape(_etags[i])}</ETag></Part>");
            }

            var body = System.Text.Encoding.UTF8.GetBytes(xml.Append("</CompleteMultipartUpload>").ToString());
            var (status, _, answer) = _store.Send(HttpMethod.Post, _store.Address(_key, "uploadId=" + SigV4.Encode(_uploadId)), body, SigV4.Hash(body), $"Completing the upload of '{_key}'");
            // S3 may answer 200 with an error in the body when completing fails late.
            if (status != 200 || System.Text.Encoding.UTF8.GetString(answer).Contains("<Error>", StringComparison.Ordinal))
            {
                throw _store.Failed(status == 200 ? 500 : status, answer, $"complete the upload of '{_key}'");
            }
        }

        _completed = true;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An S3 upload is written, not read.");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An S3 upload is written front to back.");

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("An S3 upload is written front to back.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!_closed)
        {
            _closed = true;
            if (!_completed && _uploadId is not null)
            {
                try
                {
                    _store.Send(HttpMethod.Delete, _store.Address(_key, "uploadId=" + SigV4.Encode(_uploadId)), default, SigV4.EmptyHash, $"Aborting the upload of '{_key}'");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The upload's parts expire by the bucket's lifecycle rules; the object never appeared.
                }
            }
        }

        base.Dispose(disposing);
    }

    private void UploadPart()
    {
        if (_uploadId is null)
        {
            var (status, _, answer) = _store.Send(HttpMethod.Post, _store.Address(_key, "uploads="), default, SigV4.EmptyHash, $"Starting the upload of '{_key}'");
            var id = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(answer), "<UploadId>([^<]+)</UploadId>");
            if (status != 200 || !id.Success)
            {
                throw _store.Failed(status, answer, $"start the upload of '{_key}'");
            }

            _uploadId = id.Groups[1].Value;
        }

        var body = _part.AsMemory(0, _filled).ToArray();
        var query = $"partNumber={_etags.Count + 1}&uploadId={SigV4.Encode(_uploadId)}";
        var (partStatus, etag, partAnswer) = _store.Send(HttpMethod.Put, _store.Address(_key, query), body, SigV4.Hash(body), $"Uploading part {_etags.Count + 1} of '{_key}'");
        if (partStatus != 200 || etag is null)
        {
            throw _store.Failed(partStatus, partAnswer, $"upload part {_etags.Count + 1} of '{_key}'");
        }

        _etags.Add(etag);
        _filled = 0;
    }
}
