namespace IOLink.Storage;

/// <summary>
/// Where data is, as users write it: a local path, a <c>file://</c> address, or an <c>http://</c> or <c>https://</c>
/// address. Every open that takes a path takes these, through the helpers here.
/// </summary>
public static class Locations
{
    /// <summary>Whether <paramref name="location"/> is a remote address (http, https or s3) rather than a local path.</summary>
    public static bool IsRemote(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The local path <paramref name="location"/> names: a <c>file://</c> address's path, or the text itself.</summary>
    public static string LocalPath(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile
            ? uri.LocalPath
            : location;
    }

    /// <summary>The remote address <paramref name="location"/> is, checked.</summary>
    /// <exception cref="ArgumentException">It is not a valid http or https address.</exception>
    /// <exception cref="NotSupportedException">It is an s3:// address, which this version does not read yet.</exception>
    public static Uri RemoteUri(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"'{location}': s3:// addresses are not read by this version of IOLink; serve the data over https:// or copy it to a local folder.");
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw new ArgumentException($"'{location}' is not a valid http:// or https:// address.", nameof(location));
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

    /// <summary>A random access reading <paramref name="location"/>: a local file, or a remote one by ranged reads.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read (the message says why).</exception>
    public static RandomAccess OpenRead(string location, RemoteOptions? options = null) =>
        IsRemote(location) ? RandomAccessFactory.OpenUri(RemoteUri(location), options) : RandomAccessFactory.OpenFileRead(LocalPath(location));

    /// <summary>A store over <paramref name="location"/>: a local folder (<see cref="DirectoryStore"/>) or an HTTP server's (<see cref="HttpStore"/>, read-only).</summary>
    /// <exception cref="DirectoryNotFoundException">There is no local folder at the path.</exception>
    /// <exception cref="NotSupportedException">The location is remote and <paramref name="readOnly"/> is false.</exception>
    public static KeyValueStore OpenStore(string location, bool readOnly = true, RemoteOptions? options = null)
    {
        if (!IsRemote(location))
        {
            return new DirectoryStore(LocalPath(location), readOnly);
        }

        var uri = RemoteUri(location);
        if (!readOnly)
        {
            throw new NotSupportedException($"'{location}' is on an HTTP server, which IOLink reads but does not write; write to a local folder.");
        }

        return new HttpStore(uri, options);
    }
}
