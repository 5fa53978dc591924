using IOLink.Remote;
using IOLink.Storage;

namespace IOLink.Tests.Remote;

/// <summary>The S3 signer against the worked examples of AWS's Signature Version 4 documentation, and the S3 settings around it.</summary>
public sealed class SigV4Tests
{
    // AWS's documented example key (not a real one).
    private static readonly S3Credentials Example = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime When = new(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", null, "host;x-amz-content-sha256;x-amz-date", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    [InlineData("https://examplebucket.s3.amazonaws.com/?lifecycle", null, "host;x-amz-content-sha256;x-amz-date", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("https://examplebucket.s3.amazonaws.com/test.txt", "0-9", "host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    public void Sign_GivesTheDocumentedSignatures(string url, string? range, string signedHeaders, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null)
        {
            var parts = range.Split('-');
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        SigV4.Sign(request, SigV4.EmptyHash, Example, "us-east-1", "s3", When);
        var authorization = string.Join(",", request.Headers.GetValues("Authorization"));
        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}", authorization);
        Assert.Equal("20130524T000000Z", request.Headers.GetValues("x-amz-date").Single());
    }

    [Fact]
    public void Encode_KeepsOnlyUnreservedCharacters()
    {
        Assert.Equal("a%20b%2Fc~-_.%24", SigV4.Encode("a b/c~-_.$"));
        Assert.Equal("a%20b/c", SigV4.Encode("a b/c", keepSlash: true));
        Assert.Equal("%C3%A9", SigV4.Encode("é"));
    }

    [Fact]
    public void Addresses_ArePathStyleWithAnEndpoint_AndVirtualHostOnAws()
    {
        var local = new S3Options { Endpoint = new Uri("http://127.0.0.1:9000") };
        Assert.Equal("http://127.0.0.1:9000/lab/a%20b/c.zarr/zarr.json", local.Address("lab", "a b/c.zarr/zarr.json").AbsoluteUri);
        var aws = new S3Options { Region = "eu-west-1" };
        Assert.Equal("https://lab.s3.eu-west-1.amazonaws.com/x/0.0", aws.Address("lab", "x/0.0").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9000/lab/?list-type=2", local.Address("lab", "", "list-type=2").AbsoluteUri);
    }

    [Fact]
    public void Credentials_ComeFromTheSharedFile_AndNeverShowTheSecret()
    {
        var file = Path.Combine(Path.GetTempPath(), $"iolink-aws-{Guid.NewGuid():N}");
        File.WriteAllText(file, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s3cr3t-default\n\n[profile lab]\naws_access_key_id=AKIDLAB\naws_secret_access_key=s3cr3t-lab\naws_session_token=tok\n");
        try
        {
            var lab = S3Credentials.IniSection(file, "lab")!;
            Assert.Equal("AKIDLAB", lab["aws_access_key_id"]);
            Assert.Equal("tok", lab["aws_session_token"]);
            Assert.Equal("s3cr3t-default", S3Credentials.IniSection(file, "default")!["aws_secret_access_key"]);
            Assert.Null(S3Credentials.IniSection(file, "missing"));
        }
        finally
        {
            File.Delete(file);
        }

        var credentials = new S3Credentials("AKIDX", "very-secret", "session-token");
        Assert.Equal("S3Credentials(AKIDX)", credentials.ToString());
        Assert.DoesNotContain("very-secret", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StoreAddresses_AreChecked()
    {
        Assert.Throws<ArgumentException>(() => new S3Store("Bad_Bucket", "", new S3Options()));
        Assert.Throws<ArgumentException>(() => new S3Store("lab", "a/../b", new S3Options()));
        Assert.Throws<ArgumentException>(() => S3Store.Open(new Uri("http://lab/x"), new S3Options()));
        using var store = S3Store.Open(new Uri("s3://lab/images/ct.zarr/"), new S3Options { Endpoint = new Uri("http://127.0.0.1:9") });
        Assert.Equal("lab", store.Bucket);
        Assert.Equal("images/ct.zarr/", store.Prefix);
        Assert.Equal("s3://lab/images/ct.zarr", store.Name);
    }
}
