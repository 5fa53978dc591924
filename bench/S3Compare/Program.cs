// Reads the same objects from one S3-compatible server through AWSSDK.S3 and through IOLink's S3Store, in one run:
//
//     dotnet run -c Release --project bench/S3Compare -- ENDPOINT [OBJECTS] [KIB]
//
// ENDPOINT is the server (http://127.0.0.1:9000 for a local MinIO or moto); the bucket "s3compare" is made there and
// OBJECTS objects of KIB KiB written (default 256 of 512). Then, best of three each: every object read whole, 16 at a
// time (what a chunked array's region read does), and the first KiB of every object (a request's own cost).
using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using IOLink.Storage;

var endpoint = args.Length > 0 ? args[0] : "http://127.0.0.1:9000";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 256;
var kib = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 512;
const string Bucket = "s3compare";
const int Concurrency = 16;
var credentials = new S3Credentials("s3compare", "s3compare-secret");

var sdk = new AmazonS3Client(new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
    new AmazonS3Config
    {
        ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 4,
        // Plain bodies: S3-compatible servers do not all understand the SDK's default aws-chunked uploads with checksum trailers.
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
await sdk.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
var keys = Enumerable.Range(0, count).Select(i => $"o/{i}").ToList();
var data = new byte[kib << 10];
new Random(1).NextBytes(data);
foreach (var key in keys)
{
    await sdk.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(data), UseChunkEncoding = false });
}

using var store = new S3Store(Bucket, "o", new S3Options { Endpoint = new Uri(endpoint), Credentials = credentials, Remote = new RemoteOptions { MaxConcurrency = Concurrency } });
var names = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

async Task<long> SdkRead(long? first)
{
    using var gate = new SemaphoreSlim(Concurrency);
    long total = 0;
    await Task.WhenAll(keys.Select(async key =>
    {
        await gate.WaitAsync();
        try
        {
            var request = new GetObjectRequest { BucketName = Bucket, Key = key };
            if (first is { } n)
            {
                request.ByteRange = new Amazon.S3.Model.ByteRange(0, n - 1);
            }

            using var response = await sdk.GetObjectAsync(request);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            Interlocked.Add(ref total, copy.Length);
        }
        finally
        {
            gate.Release();
        }
    }));
    return total;
}

long OursRead(long? first)
{
    long total = 0;
    var range = first is { } n ? IOLink.Storage.ByteRange.Of(0, n) : IOLink.Storage.ByteRange.All;
    store.GetMany(names.Select(k => new StoreRead(k, range)).ToList(), int.MaxValue - 64, (_, value) =>
    {
        Interlocked.Add(ref total, value!.Length);
        value.Dispose();
    });
    return total;
}

static double Best(Func<long> run, long expected)
{
    var best = double.MaxValue;
    for (var round = 0; round < 4; round++)
    {
        var clock = Stopwatch.StartNew();
        var got = run();
        var seconds = clock.Elapsed.TotalSeconds;
        if (got != expected)
        {
            throw new InvalidOperationException($"read {got} bytes where {expected} were expected");
        }

        if (round > 0)
        {
            best = Math.Min(best, seconds);
        }
    }

    return best;
}

Console.WriteLine($"{count} objects of {kib} KiB at {endpoint}, {Concurrency} requests at a time; best of 3 after a warm-up ({Environment.ProcessorCount} cores)");
var whole = (long)count * data.Length;
var sdkWhole = Best(() => SdkRead(null).GetAwaiter().GetResult(), whole);
var oursWhole = Best(() => OursRead(null), whole);
Console.WriteLine($"whole objects:  AWSSDK.S3 {sdkWhole * 1e3,8:0.0} ms ({whole / sdkWhole / (1 << 20),7:0.0} MiB/s)   S3Store {oursWhole * 1e3,8:0.0} ms ({whole / oursWhole / (1 << 20),7:0.0} MiB/s)   S3Store/AWSSDK speed {sdkWhole / oursWhole:0.00}x");
var small = (long)count * 1024;
var sdkSmall = Best(() => SdkRead(1024).GetAwaiter().GetResult(), small);
var oursSmall = Best(() => OursRead(1024), small);
Console.WriteLine($"first KiB each: AWSSDK.S3 {sdkSmall * 1e3,8:0.0} ms ({count / sdkSmall,7:0} requests/s)   S3Store {oursSmall * 1e3,8:0.0} ms ({count / oursSmall,7:0} requests/s)   S3Store/AWSSDK speed {sdkSmall / oursSmall:0.00}x");
