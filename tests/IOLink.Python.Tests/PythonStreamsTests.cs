using System.IO.Compression;
using System.Text;

namespace IOLink.Python.Tests;

/// <summary>A Python file object as an IOLink StreamAccess (the reverse adapter), used by .NET code.</summary>
[Collection(PythonTests.Name)]
public sealed class PythonStreamsTests
{
    [Fact]
    public void ABytesIO_ReadsWritesAndSeeks_ThroughTheStreamContract()
    {
        using var bytesIO = Np.Ref("__import__('io').BytesIO(b'hello, IOLink')");
        using var access = PythonStreams.FromFileObject(bytesIO);
        Assert.True(access.Support(StreamAccessCapability.READ | StreamAccessCapability.WRITE | StreamAccessCapability.SEEK));
        var stream = access.AsStream();
        Assert.Equal(13, stream.Length);
        var buffer = new byte[5];
        Assert.Equal(5, stream.Read(buffer));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer));
        stream.Seek(-6, SeekOrigin.End);
        stream.Write("Python"u8);
        Assert.Equal("hello, Python", Np.Get<string>("b.getvalue().decode()", ("b", bytesIO)));
    }

    [Fact]
    public void GzipThroughAPythonFileObject_RoundTrips()
    {
        using var target = Np.Ref("__import__('io').BytesIO()");
        var text = string.Concat(Enumerable.Repeat("IOLink ", 500));
        using (var access = PythonStreams.FromFileObject(target))
        using (var gz = new GZipStream(access.AsStream(), CompressionLevel.Optimal))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        Assert.Equal(text, Np.Get<string>("__import__('gzip').decompress(b.getvalue()).decode()", ("b", target)));
    }

    [Fact]
    public void AReadOnlyFile_RefusesWrites_AndAnObjectThatIsNoFile_IsRefused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3]);
            using var file = Np.Ref($"open(r'{path}', 'rb')");
            using (var access = PythonStreams.FromFileObject(file, leaveOpen: false))
            {
                Assert.False(access.Support(StreamAccessCapability.WRITE));
                var ex = Assert.Throws<NotSupportedException>(() => access.Write([1]));
                Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
                var buffer = new byte[8];
                Assert.Equal(3, access.Read(buffer));
            }

            Assert.True(Np.Get<bool>("f.closed", ("f", file)));
            using var notAFile = Np.Ref("42");
            var error = Assert.Throws<ArgumentException>(() => PythonStreams.FromFileObject(notAFile));
            Assert.Contains("neither readable() nor writable()", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
