using System.Globalization;
using IOLink.Storage;
using System.Security.Cryptography;
using System.Text;

namespace IOLink.Remote;

/// <summary>
/// AWS Signature Version 4 for S3 requests, in headers: the canonical request (method, path, sorted query, the
/// signed headers host, range, x-amz-content-sha256, x-amz-date and x-amz-security-token), the string to sign over the
/// date/region/service scope, and the HMAC-SHA256 key chain. The secret never leaves this class, and no message
/// shows a signature or a key.
/// </summary>
internal static class SigV4
{
    /// <summary>The hex SHA-256 of no bytes, the payload hash of a GET.</summary>
    public const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Signs <paramref name="request"/> in place for <paramref name="service"/> in <paramref name="region"/>.</summary>
    /// <param name="request">The request, its URI final (path and query as sent).</param>
    /// <param name="payloadHash">The hex SHA-256 of the body (<see cref="EmptyHash"/> for none).</param>
    /// <param name="credentials">The keys.</param>
    /// <param name="region">The region, such as us-east-1.</param>
    /// <param name="service">The service, s3.</param>
    /// <param name="now">The signing time (UTC).</param>
    public static void Sign(HttpRequestMessage request, string payloadHash, S3Credentials credentials, string region, string service, DateTime now)
    {
        var uri = request.RequestUri!;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.Remove("x-amz-date");
        request.Headers.Remove("x-amz-content-sha256");
        request.Headers.Remove("x-amz-security-token");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        if (request.Headers.Range is { } range)
        {
            // Signed as sent, so that a byte range cannot be changed on the way.
            headers["range"] = range.ToString();
        }

        if (credentials.SessionToken is { Length: > 0 } token)
        {
            request.Headers.TryAddWithoutValidation("x-amz-security-token", token);
            headers["x-amz-security-token"] = token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>The hex SHA-256 of <paramref name="payload"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> payload) => Hex(SHA256.HashData(payload));

    /// <summary>A path part or query value encoded as SigV4 wants: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper case).</summary>
    public static string Encode(string text, bool keepSlash = false)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The request's path as sent (already encoded once by <see cref="Encode"/>): S3 signs it as it is, not encoded again.</summary>
    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        return path.Length == 0 ? "/" : path;
    }

    /// <summary>The query's parameters sorted by name (then value), each name and value encoded.</summary>
    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        var pairs = query.Split('&').Select(p =>
        {
            var eq = p.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? p : p[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..]);
            return (Name: Encode(name), Value: Encode(value));
        }).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
