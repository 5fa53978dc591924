namespace IOLink.Storage;

/// <summary>
/// Where data is, as users write it: a local path, a <c>file://</c> address, an <c>http://</c> or <c>https://</c>
/// address, or an <c>s3://BUCKET/PATH</c> address (its endpoint, region and credentials as <see cref="S3Options.FromEnvironment"/> finds them). Every open that takes a path takes these, through the helpers here.
/// </summary>
public static class Locations
{
    /// <summary>Whether <paramref name="location"/> is a remote address (http, https or s3) rather than a local path.</summary>
    public static bool IsRemote(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || IsS3(location);
    }

    /// <summary>Whether <paramref name="location"/> is an <c>s3://</c> address: remote, and writable where HTTP servers are not.</summary>
    public static bool IsS3(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The local path <paramref name="location"/> names: a <c>file://</c> address's path, or the text itself.</summary>
    public static string LocalPath(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? FileUriPath(location) : location;
    }

    /// <summary>A <c>file://</c> address's path; apart, so that opening a plain path never loads the Uri assembly.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string FileUriPath(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : location;

    /// <summary>The remote address <paramref name="location"/> is, checked: http, https, or s3 (<c>s3://BUCKET/PATH</c>).</summary>
    /// <exception cref="ArgumentException">It is not a valid http, https or s3 address.</exception>
    public static Uri RemoteUri(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != "s3") || uri.Host.Length == 0)
        {
            throw new ArgumentException($"'{location}' is not a valid http://, https:// or s3://BUCKET/PATH address.", nameof(location));
        }

        return uri;
    }

    /// <summary>The parent of a remote address (the folder holding it), or null at the server's root.</summary>
    public static Uri? Parent(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var slash = text.LastIndexOf('/');
        var authority = address.GetLeftPart(UriPartial.Authority);
        return slash < authority.Length ? null : new Uri(text[..(slash + 1)]);
    }

    /// <summary>A random access reading <paramref name="location"/>: a local file, or a remote one (http, https, s3) by ranged reads.</summary>
    /// <exception cref="FileNotFoundException">There is no such file or object.</exception>
    /// <exception cref="IOException">The file cannot be read (the message says why).</exception>
    public static RandomAccess OpenRead(string location, RemoteOptions? options = null)
    {
        if (!IsRemote(location))
        {
            return RandomAccessFactory.OpenFileRead(LocalPath(location));
        }

        var uri = RemoteUri(location);
        if (uri.Scheme != "s3")
        {
            return RandomAccessFactory.OpenUri(uri, options);
        }

        var (folder, name) = Split(uri);
        using var store = S3Store.Open(folder, options is null ? null : WithRemote(S3Options.FromEnvironment(), options), readOnly: true);
        return store.OpenRandomAccess(name)
            ?? throw new FileNotFoundException($"There is no object {location} (404 Not Found); check the bucket and the key.", location);
    }

    /// <summary>
    /// A store over <paramref name="location"/>: a local folder (<see cref="DirectoryStore"/>), an HTTP server's
    /// (<see cref="HttpStore"/>, read-only) or an S3 prefix (<see cref="S3Store"/>, with <see cref="S3Options.FromEnvironment"/>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">There is no local folder at the path.</exception>
    /// <exception cref="NotSupportedException">The location is on an HTTP server and <paramref name="readOnly"/> is false.</exception>
    public static KeyValueStore OpenStore(string location, bool readOnly = true, RemoteOptions? options = null)
    {
        if (!IsRemote(location))
        {
            return new DirectoryStore(LocalPath(location), readOnly);
        }

        var uri = RemoteUri(location);
        if (uri.Scheme == "s3")
        {
            return S3Store.Open(uri, options is null ? null : WithRemote(S3Options.FromEnvironment(), options), readOnly);
        }

        if (!readOnly)
        {
            throw new NotSupportedException($"'{location}' is on an HTTP server, which IOLink reads but does not write; write to a local folder or an S3 bucket.");
        }

        return new HttpStore(uri, options);
    }

    /// <summary>
    /// A stream that writes the object at an <c>s3://BUCKET/KEY</c> address (a multipart upload for a large one): call
    /// <see cref="S3UploadStream.Complete"/> when everything is written, then dispose it; disposed without, nothing appears.
    /// </summary>
    /// <exception cref="NotSupportedException">The location is not an s3:// address (local files are written with their own writers; HTTP servers are read-only).</exception>
    public static S3UploadStream CreateUpload(string location)
    {
        var uri = IsRemote(location) ? RemoteUri(location) : null;
        if (uri is null || uri.Scheme != "s3")
        {
            throw new NotSupportedException($"'{location}' is not an s3:// address; IOLink uploads to S3 buckets only.");
        }

        var (folder, name) = Split(uri);
        var store = S3Store.Open(folder);
        return store.OpenUpload(name);
    }

    /// <summary>An object's folder address and its name.</summary>
    private static (Uri Folder, string Name) Split(Uri uri)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        var slash = path.LastIndexOf('/');
        if (slash < 0 || slash == path.Length - 1 || path.Length <= 1)
        {
            throw new ArgumentException($"'{uri}' names a bucket, not an object in it; give s3://BUCKET/KEY.");
        }

        return (new Uri($"s3://{uri.Host}{path[..slash]}"), Uri.UnescapeDataString(path[(slash + 1)..]));
    }

    private static S3Options WithRemote(S3Options options, RemoteOptions remote) => new()
    {
        Endpoint = options.Endpoint, Region = options.Region, PathStyle = options.PathStyle, Credentials = options.Credentials, Remote = remote,
    };
}
