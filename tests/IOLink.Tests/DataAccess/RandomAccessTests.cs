using System.Runtime.InteropServices;

namespace IOLink.Tests.DataAccess;

public class RandomAccessFactoryTests
{
    private const RandomAccessCapability RW = RandomAccessCapability.READ | RandomAccessCapability.WRITE;
    private const RandomAccessCapability Mem = RandomAccessCapability.MEMORY_ACCESS;

    /// <summary>Every factory, with the capabilities it must give; each is filled with Bytes.Pattern(size).</summary>
    public static TheoryData<string> Kinds => new() { "allocate", "buffer", "native", "file-write", "map-write", "stream" };

    private static (RandomAccess Access, Action Cleanup) Make(string kind, int size)
    {
        var data = Bytes.Pattern(size);
        switch (kind)
        {
            case "allocate":
                {
                    var a = RandomAccessFactory.Allocate(size);
                    a.Write(0, data);
                    return (a, () => { });
                }

            case "buffer":
                return (RandomAccessFactory.FromBuffer(data), () => { });
            case "native":
                {
                    var p = Marshal.AllocHGlobal(size);
                    Marshal.Copy(data, 0, p, size);
                    return (RandomAccessFactory.FromBuffer(p, size), () => Marshal.FreeHGlobal(p));
                }

            case "file-write":
                {
                    var f = TempFile.With(data);
                    return (RandomAccessFactory.OpenFileWrite(f.Path, size), f.Dispose);
                }

            case "map-write":
                {
                    var f = TempFile.With(data);
                    return (RandomAccessFactory.MapFile(f.Path, writable: true), f.Dispose);
                }

            default:
                return (RandomAccessFactory.FromStream(new MemoryStream(data)), () => { });
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReadWriteAtOffsets_SameCallSameResult(string kind)
    {
        var (a, cleanup) = Make(kind, 1000);
        try
        {
            Assert.Equal(1000, a.Size);
            Assert.True(a.Support(RW));
            Assert.Equal(kind is "file-write" or "stream" ? RW : RW | Mem, a.Capabilities);
            var back = new byte[100];
            Assert.Equal(100, a.Read(900, back));
            Assert.Equal(Bytes.Pattern(1000)[900..], back);
            var again = new byte[100];
            a.Read(900, again);
            Assert.Equal(back, again);
            a.Write(10, [1, 2, 3]);
            var three = new byte[3];
            a.Read(10, three);
            Assert.Equal(new byte[] { 1, 2, 3 }, three);
            Assert.Equal(0, a.Read(1000, Span<byte>.Empty));
            a.Flush();
        }
        finally
        {
            a.Dispose();
            cleanup();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PastTheEnd_IsAnError_AndNothingIsWritten(string kind)
    {
        var (a, cleanup) = Make(kind, 100);
        try
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => a.Read(95, new byte[10]));
            Assert.Equal("offset", ex.ParamName);
            Assert.Contains("Reading 10 byte(s) at offset 95 goes past the end of this 100-byte random access", ex.Message, StringComparison.Ordinal);
            var wex = Assert.Throws<ArgumentOutOfRangeException>(() => a.Write(99, [1, 2]));
            Assert.Contains("Writing 2 byte(s) at offset 99", wex.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => a.Read(101, Span<byte>.Empty));
            Assert.Throws<ArgumentOutOfRangeException>(() => a.Write(long.MaxValue, [1]));
            var nex = Assert.Throws<ArgumentOutOfRangeException>(() => a.Read(-1, new byte[1]));
            Assert.Contains("negative", nex.Message, StringComparison.Ordinal);
            var last = new byte[1];
            a.Read(99, last);
            Assert.Equal(Bytes.Pattern(100)[99], last[0]);
        }
        finally
        {
            a.Dispose();
            cleanup();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ConcurrentReads_AllSeeTheRightBytes(string kind)
    {
        const int size = 64 * 1024;
        var (a, cleanup) = Make(kind, size);
        var expected = Bytes.Pattern(size);
        try
        {
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                var buffer = new byte[1024];
                for (var k = 0; k < 64; k++)
                {
                    var offset = ((i * 977) + (k * 1031)) % (size - 1024);
                    a.Read(offset, buffer);
                    Assert.True(buffer.AsSpan().SequenceEqual(expected.AsSpan(offset, 1024)), $"bytes at {offset}");
                }
            });
        }
        finally
        {
            a.Dispose();
            cleanup();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UseAfterDispose_Throws(string kind)
    {
        var (a, cleanup) = Make(kind, 10);
        a.Dispose();
        a.Dispose();
        cleanup();
        Assert.True(a.IsDisposed);
        Assert.Equal(RandomAccessCapability.NONE, a.Capabilities);
        Assert.Equal(10, a.Size);
        var ex = Assert.Throws<ObjectDisposedException>(() => a.Read(0, new byte[1]));
        Assert.Contains("has been disposed", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => a.Write(0, [1]));
        Assert.Throws<ObjectDisposedException>(() => a.Flush());
        Assert.Throws<ObjectDisposedException>(() => a.AsStream());
        Assert.Throws<ObjectDisposedException>(() => _ = a.Buffer);
    }

    [Fact]
    public void Allocate_IsZeroed()
    {
        using var a = RandomAccessFactory.Allocate(4096);
        var back = new byte[4096];
        back.AsSpan().Fill(1);
        a.Read(0, back);
        Assert.All(back, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomAccessFactory.Allocate(-1));
        using var empty = RandomAccessFactory.Allocate(0);
        Assert.Equal(0, empty.Size);
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.Read(0, new byte[1]));
    }

    [Fact]
    public unsafe void FromBuffer_IsZeroCopy_BothWays()
    {
        var data = new byte[16];
        using var a = RandomAccessFactory.FromBuffer(data);
        fixed (byte* p = data)
        {
            Assert.Equal((nint)p, a.Buffer);
        }

        a.Write(3, [42]);
        Assert.Equal(42, data[3]);
        data[5] = 43;
        var one = new byte[1];
        a.Read(5, one);
        Assert.Equal(43, one[0]);
    }

    [Fact]
    public void FromBuffer_ReadOnly()
    {
        using var a = RandomAccessFactory.FromBuffer(new byte[4], writable: false);
        Assert.Equal(RandomAccessCapability.READ | Mem, a.Capabilities);
        var ex = Assert.Throws<NotSupportedException>(() => a.Write(0, [1]));
        Assert.Contains("Write needs the WRITE capability", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RandomAccessFactory.FromBuffer(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomAccessFactory.FromBuffer(1, -4));
    }

    [Fact]
    public void OpenFileRead_IsReadOnly_AndSizedLikeTheFile()
    {
        using var f = TempFile.With(Bytes.Pattern(300));
        using var a = RandomAccessFactory.OpenFileRead(f.Path);
        Assert.Equal(RandomAccessCapability.READ, a.Capabilities);
        Assert.Equal(300, a.Size);
        var ex = Assert.Throws<NotSupportedException>(() => a.Write(0, [1]));
        Assert.Contains("OpenFileWrite", ex.Message, StringComparison.Ordinal);
        var mex = Assert.Throws<NotSupportedException>(() => _ = a.Buffer);
        Assert.Contains("MEMORY_ACCESS", mex.Message, StringComparison.Ordinal);
        Assert.Contains("MapFile", mex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFileWrite_CreatesSizesAndKeepsExistingBytes()
    {
        using var f = new TempFile();
        using (var a = RandomAccessFactory.OpenFileWrite(f.Path, 64))
        {
            Assert.Equal(64, a.Size);
            a.Write(60, [1, 2, 3, 4]);
        }

        var bytes = File.ReadAllBytes(f.Path);
        Assert.Equal(64, bytes.Length);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, bytes[60..]);
        Assert.All(bytes[..60], b => Assert.Equal(0, b));

        using (var a = RandomAccessFactory.OpenFileWrite(f.Path, 62))
        {
            var two = new byte[2];
            a.Read(60, two);
            Assert.Equal(new byte[] { 1, 2 }, two);
        }

        Assert.Equal(62, new FileInfo(f.Path).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomAccessFactory.OpenFileWrite(f.Path, -1));
    }

    [Fact]
    public void MapFile_ReadOnly_And_WritesReachTheFile()
    {
        using var f = TempFile.With(Bytes.Pattern(5000));
        using (var ro = RandomAccessFactory.MapFile(f.Path))
        {
            Assert.Equal(RandomAccessCapability.READ | Mem, ro.Capabilities);
            Assert.Equal(5000, ro.Size);
            Assert.Throws<NotSupportedException>(() => ro.Write(0, [1]));
            var back = new byte[5000];
            ro.Read(0, back);
            Assert.Equal(Bytes.Pattern(5000), back);
        }

        using (var rw = RandomAccessFactory.MapFile(f.Path, writable: true))
        {
            rw.Write(4990, [7, 7, 7]);
            rw.Flush();
        }

        Assert.Equal(new byte[] { 7, 7, 7 }, File.ReadAllBytes(f.Path)[4990..4993]);
    }

    [Fact]
    public void MapFile_Errors()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"iolink-missing-{Guid.NewGuid():N}.raw");
        var ex = Assert.Throws<FileNotFoundException>(() => RandomAccessFactory.MapFile(missing));
        Assert.Equal(missing, ex.FileName);
        Assert.Contains("for mapping read-only", ex.Message, StringComparison.Ordinal);
        using var empty = TempFile.With([]);
        var eex = Assert.Throws<ArgumentException>(() => RandomAccessFactory.MapFile(empty.Path));
        Assert.Contains("is empty", eex.Message, StringComparison.Ordinal);
        var uex = Assert.Throws<UnauthorizedAccessException>(() => RandomAccessFactory.MapFile(Path.GetTempPath(), writable: true));
        Assert.Contains("it is a directory", uex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_Errors()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"iolink-missing-{Guid.NewGuid():N}.raw");
        var ex = Assert.Throws<FileNotFoundException>(() => RandomAccessFactory.OpenFileRead(missing));
        Assert.Equal(missing, ex.FileName);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        var uex = Assert.Throws<UnauthorizedAccessException>(() => RandomAccessFactory.OpenFileRead(Path.GetTempPath()));
        Assert.Contains(Path.GetTempPath(), uex.Message, StringComparison.Ordinal);
        Assert.Throws<UnauthorizedAccessException>(() => RandomAccessFactory.OpenFileWrite(Path.GetTempPath(), 10));
        var dex = Assert.Throws<DirectoryNotFoundException>(() =>
            RandomAccessFactory.OpenFileWrite(Path.Combine(Path.GetTempPath(), $"iolink-missing-{Guid.NewGuid():N}", "a.raw"), 10));
        Assert.Contains("directory does not exist", dex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RandomAccessFactory.OpenFileRead(""));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void FromStream_CapabilitiesFollowTheStream(bool canRead, bool canWrite)
    {
        using var inner = new ConfigurableStream(canRead, canWrite, canSeek: true, length: 10);
        using var a = RandomAccessFactory.FromStream(inner);
        Assert.Equal(10, a.Size);
        Assert.Equal((canRead ? RandomAccessCapability.READ : 0) | (canWrite ? RandomAccessCapability.WRITE : 0), a.Capabilities);
    }

    [Fact]
    public void FromStream_Errors_AndLeaveOpen()
    {
        var ex = Assert.Throws<ArgumentException>(() => RandomAccessFactory.FromStream(new TrickleStream([1], 1)));
        Assert.Contains("needs a seekable stream", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => RandomAccessFactory.FromStream(null!));
        var inner = new MemoryStream(new byte[4]);
        RandomAccessFactory.FromStream(inner, leaveOpen: true).Dispose();
        Assert.True(inner.CanRead);
        RandomAccessFactory.FromStream(inner).Dispose();
        Assert.False(inner.CanRead);
    }

    [Fact]
    public void FromStream_TruncatedUnderneath_IsEndOfStream()
    {
        var inner = new MemoryStream();
        inner.Write(new byte[10]);
        using var a = RandomAccessFactory.FromStream(inner);
        inner.SetLength(5);
        var ex = Assert.Throws<EndOfStreamException>(() => a.Read(0, new byte[10]));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }
}
