namespace IOLink.Storage;

/// <summary>
/// An access key for S3 and S3-compatible object stores. <see cref="ToString"/> shows the key id only: the secret
/// and the session token never reach a message or a log.
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">A temporary session's token, or null.</param>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>
    /// The credentials found where AWS's own tools look: <c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c> (and
    /// <c>AWS_SESSION_TOKEN</c>), else the profile <c>AWS_PROFILE</c> (default "default") of the shared credentials file
    /// (<c>AWS_SHARED_CREDENTIALS_FILE</c>, default <c>~/.aws/credentials</c>); null when there are none (requests go
    /// unsigned, as to a public bucket).
    /// </summary>
    public static S3Credentials? FromEnvironment()
    {
        var id = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(secret))
        {
            return new S3Credentials(id, secret, NullIfEmpty(Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")));
        }

        var file = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } named
            ? named
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials");
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        var values = IniSection(file, profile);
        return values is not null && values.TryGetValue("aws_access_key_id", out var fileId) && values.TryGetValue("aws_secret_access_key", out var fileSecret)
            ? new S3Credentials(fileId, fileSecret, values.GetValueOrDefault("aws_session_token"))
            : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"S3Credentials({AccessKeyId})";

    /// <summary>The keys and values of one [section] of an INI file (AWS's credentials and config files), or null.</summary>
    internal static Dictionary<string, string>? IniSection(string file, string section)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        Dictionary<string, string>? found = null;
        var inside = false;
        foreach (var raw in File.ReadLines(file).Take(10_000))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                var name = line[1..^1].Trim();
                inside = name == section || name == "profile " + section;
                if (inside)
                {
                    found ??= new Dictionary<string, string>(StringComparer.Ordinal);
                }

                continue;
            }

            var eq = line.IndexOf('=');
            if (inside && eq > 0 && !line.StartsWith('#') && !line.StartsWith(';'))
            {
                found![line[..eq].Trim().ToLowerInvariant()] = line[(eq + 1)..].Trim();
            }
        }

        return found;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>
/// Where an S3 store is and how it is reached: the endpoint (AWS, or an S3-compatible server such as MinIO, Ceph or
/// moto), the region requests are signed for, path-style or virtual-host addressing, the credentials, and the
/// timeouts and retries of <see cref="RemoteOptions"/>. <see cref="FromEnvironment"/> reads what AWS's tools read.
/// </summary>
public sealed class S3Options
{
    /// <summary>The endpoint, such as <c>http://127.0.0.1:9000</c> for an S3-compatible server; null for AWS's own (<c>https://s3.REGION.amazonaws.com</c>).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The region requests are signed for (default us-east-1).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Whether the bucket is the first part of the path (<c>http://host/bucket/key</c>, what S3-compatible servers
    /// expect) rather than of the host name (<c>https://bucket.s3.region.amazonaws.com/key</c>, AWS's default);
    /// null chooses: path style with an <see cref="Endpoint"/>, virtual-host style without.
    /// </summary>
    public bool? PathStyle { get; init; }

    /// <summary>The credentials; null sends requests unsigned (a public bucket).</summary>
    public S3Credentials? Credentials { get; init; }

    /// <summary>Timeouts, retries and concurrency.</summary>
    public RemoteOptions Remote { get; init; } = RemoteOptions.Default;

    /// <summary>
    /// The options AWS's tools would use: the endpoint from <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>, the
    /// region from <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c> (else the profile's in <c>~/.aws/config</c>, else
    /// us-east-1), the credentials from <see cref="S3Credentials.FromEnvironment"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The endpoint variable is not an absolute http or https address.</exception>
    public static S3Options FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") is { Length: > 0 } s3 ? s3 : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        Uri? uri = null;
        if (!string.IsNullOrEmpty(endpoint) && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"AWS_ENDPOINT_URL '{endpoint}' is not an http:// or https:// address.");
        }

        var region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
            : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
            : ConfigRegion() ?? "us-east-1";
        return new S3Options { Endpoint = uri, Region = region, Credentials = S3Credentials.FromEnvironment() };
    }

    /// <summary>The address of <paramref name="key"/> (already a full object key) in <paramref name="bucket"/>, plus an optional query.</summary>
    internal Uri Address(string bucket, string key, string query = "")
    {
        var path = string.Join('/', key.Split('/').Select(p => IOLink.Remote.SigV4.Encode(p)));
        var pathStyle = PathStyle ?? Endpoint is not null;
        var endpoint = Endpoint ?? new Uri($"https://s3.{Region}.amazonaws.com/");
        var root = endpoint.GetLeftPart(UriPartial.Authority);
        var prefix = endpoint.AbsolutePath.TrimEnd('/');
        var text = pathStyle
            ? $"{root}{prefix}/{IOLink.Remote.SigV4.Encode(bucket)}/{path}"
            : $"{endpoint.Scheme}://{bucket}.{endpoint.Authority}{prefix}/{path}";
        return new Uri(query.Length > 0 ? text + "?" + query : text);
    }

    private static string? ConfigRegion()
    {
        var file = Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") is { Length: > 0 } named
            ? named
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "config");
        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        return S3Credentials.IniSection(file, profile)?.GetValueOrDefault("region");
    }
}
