using System.Diagnostics;
using IOLink.Storage;
using IOLink.Tests.Remote;
using IOLink.Zarr;

namespace IOLink.Remote.Tests;

/// <summary>The test classes that change <see cref="RemoteOptions.Default"/> run one at a time.</summary>
[CollectionDefinition("remote options", DisableParallelization = true)]
public sealed class RemoteOptionsGroup;

/// <summary>
/// What a flaky server does, through a fault-injecting proxy in front of a real nginx, and nginx itself stopped,
/// changed under a reader, refusing and missing: each a successful retry or one clear error, never wrong data and
/// never a hang.
/// </summary>
[Collection("remote options")]
public sealed class RemoteFaultTests : IDisposable
{
    private static readonly RemoteOptions Quick = new() { Timeout = TimeSpan.FromMilliseconds(500), Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };
    private readonly Nginx _server = new("location /secret/ { return 403; }");
    private readonly RemoteOptions _saved = RemoteOptions.Default;

    public void Dispose()
    {
        RemoteOptions.Default = _saved;
        _server.Dispose();
    }

    private ImageView WriteZarr()
    {
        var local = RemoteReadTests.Volume();
        ZarrArray.Write(local, Path.Combine(_server.Root, "v.zarr"), new ZarrOptions { Format = ZarrFormat.V3, Chunks = new VectorXu64(32, 32, 16) });
        return local;
    }

    private static byte[] All(ImageView view) => RemoteReadTests.Region(view, [0, 0, 0], [view.Shape[0], view.Shape[1], view.Shape[2]]);

    [Fact]
    public void AServerErrorOnEveryThirdRequest_IsRetried_AndTheDataIsRight()
    {
        using var local = WriteZarr();
        using var proxy = new FaultProxy(_server.Port, n => n % 3 == 0 ? Fault.ServerError : Fault.None) { OncePerPath = true };
        RemoteOptions.Default = Quick;
        using var remote = ZarrArray.Open(proxy.Url("v.zarr"), false, IOLink.Interop.AxisSpec.Of(ImageTypeId.VOLUME));
        Assert.Equal(All(local), All(remote));
        Assert.True(proxy.Count > _server.Requests().Count, $"{proxy.Count} requests through the proxy, {_server.Requests().Count} reached nginx");
    }

    [Fact]
    public void AServerThatAlwaysFails_IsOneClearError_NamingTheAnswer()
    {
        using var local = WriteZarr();
        using var proxy = new FaultProxy(_server.Port, _ => Fault.ServerError);
        using var store = new HttpStore(new Uri(proxy.Url("v.zarr")), Quick);
        var ex = Assert.Throws<IOException>(() => store.Get("zarr.json"));
        Assert.Contains("failed 3 times", ex.Message);
        Assert.Contains("500", ex.Message);
        Assert.Contains(proxy.Url("v.zarr/zarr.json"), ex.Message);
    }

    [Fact]
    public void ACutResponse_IsRetried_AndAlwaysCut_IsAnError()
    {
        using var local = WriteZarr();
        using (var proxy = new FaultProxy(_server.Port, n => n == 2 ? Fault.Truncate : Fault.None))
        {
            RemoteOptions.Default = Quick;
            using var remote = ZarrArray.Open(proxy.Url("v.zarr"), false, IOLink.Interop.AxisSpec.Of(ImageTypeId.VOLUME));
            Assert.Equal(All(local), All(remote));
        }

        using var cutting = new FaultProxy(_server.Port, _ => Fault.Truncate);
        using var store = new HttpStore(new Uri(cutting.Url("v.zarr")), Quick);
        var ex = Assert.Throws<IOException>(() => store.Get("c/0/0/0"));
        Assert.Contains("failed 3 times", ex.Message);
        Assert.Contains("ended", ex.Message);
    }

    [Fact]
    public void AServerThatIgnoresRanges_IsRefusedBeforeTheFileIsDownloaded()
    {
        using var local = RemoteReadTests.Volume();
        NpyFile.Write(local, Path.Combine(_server.Root, "v.npy"));
        using var proxy = new FaultProxy(_server.Port, _ => Fault.IgnoreRange);
        var ex = Assert.Throws<IOException>(() => RandomAccessFactory.OpenUri(new Uri(proxy.Url("v.npy")), Quick));
        Assert.Contains("ignores byte ranges", ex.Message);
        Assert.Contains("download it first", ex.Message);
    }

    [Fact]
    public void AServerThatDoesNotAnswer_TimesOut_WithinTheRetries()
    {
        using var local = WriteZarr();
        using var proxy = new FaultProxy(_server.Port, _ => Fault.Stall) { Delay = TimeSpan.FromSeconds(30) };
        using var store = new HttpStore(new Uri(proxy.Url("v.zarr")), Quick);
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<IOException>(() => store.Get("zarr.json"));
        Assert.Contains("no answer within 0.5 s", ex.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 10);
    }

    [Fact]
    public void AFileChangedWhileItIsRead_IsAnError_NotMixedData()
    {
        using var local = RemoteReadTests.Volume();
        var path = Path.Combine(_server.Root, "v.npy");
        NpyFile.Write(local, path);
        using var remote = NpyFile.Open(_server.Url("v.npy"), ImageTypeId.VOLUME);
        // Same length, new content and time: nginx's ETag (time and length) changes.
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
        var ex = Assert.Throws<IOException>(() => RemoteReadTests.Region(remote, [0, 0, 70], [128, 96, 10]));
        Assert.Contains("changed on the server", ex.Message);
    }

    [Fact]
    public void AServerStoppedMidRead_IsAnError()
    {
        using var local = RemoteReadTests.Volume();
        NpyFile.Write(local, Path.Combine(_server.Root, "v.npy"));
        RemoteOptions.Default = Quick;
        using var remote = NpyFile.Open(_server.Url("v.npy"), ImageTypeId.VOLUME);
        _server.Stop();
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<IOException>(() => RemoteReadTests.Region(remote, [0, 0, 40], [128, 96, 40]));
        Assert.Contains("failed 3 times", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void MissingAndForbidden_AreTheirOwnErrors()
    {
        RemoteOptions.Default = Quick;
        Assert.Throws<FileNotFoundException>(() => NpyFile.Open(_server.Url("nothing.npy")));
        var forbidden = Assert.Throws<UnauthorizedAccessException>(() => NpyFile.Open(_server.Url("secret/x.npy")));
        Assert.Contains("403", forbidden.Message);
        var notZarr = Assert.Throws<ArgumentException>(() => ZarrArray.Open(_server.Url("nothing.zarr")));
        Assert.Contains("the server has no zarr.json", notZarr.Message);
        using var view = RemoteReadTests.Volume(4, 4, 4);
        ZarrArray.Write(view, Path.Combine(_server.Root, "small.zarr"));
        Assert.Contains("reads but does not write", Assert.Throws<NotSupportedException>(() => ZarrArray.Open(_server.Url("small.zarr"), writable: true)).Message);
        Assert.Throws<NotSupportedException>(() => ZarrArray.Write(view, _server.Url("out.zarr")));
    }
}
