using System.Runtime.InteropServices;

namespace IOLink.Tests.DataAccess;

public class StreamAccessFactoryTests
{
    private const StreamAccessCapability RWS = StreamAccessCapability.READ | StreamAccessCapability.WRITE | StreamAccessCapability.SEEK;

    [Fact]
    public void Accesses_PrintAsThePublicTypes_WithTheirValues()
    {
        using var s = StreamAccessFactory.Allocate();
        Assert.Equal("StreamAccess(capabilities: READ | WRITE | SEEK | MEMORY_ACCESS)", s.ToString());
        using var r = RandomAccessFactory.Allocate(16);
        Assert.Equal("RandomAccess(size: 16, capabilities: READ | WRITE | MEMORY_ACCESS)", r.ToString());
    }

    [Fact]
    public void Allocate_IsEmptyGrowableMemory()
    {
        using var s = StreamAccessFactory.Allocate();
        Assert.Equal(RWS | StreamAccessCapability.MEMORY_ACCESS, s.Capabilities);
        Assert.Equal(0, s.Length);
        Assert.True(s.IsEof);
        var data = Bytes.Pattern(100_000);
        Assert.Equal(data.Length, s.Write(data));
        Assert.Equal(data.Length, s.Length);
        Assert.Equal(data.Length, s.Tell());
        Assert.True(s.IsEof);
        Assert.Equal(0, s.Seek(0, SeekOrigin.Begin));
        Assert.False(s.IsEof);
        var back = new byte[data.Length + 10];
        Assert.Equal(data.Length, s.Read(back));
        Assert.Equal(data, back[..data.Length]);
        Assert.Equal(0, s.Read(back));
    }

    [Fact]
    public unsafe void Allocate_BufferIsTheBytes()
    {
        using var s = StreamAccessFactory.Allocate(16);
        s.Write([1, 2, 3, 4]);
        ((byte*)s.Buffer)[2] = 99;
        s.Seek(0, SeekOrigin.Begin);
        var back = new byte[4];
        s.Read(back);
        Assert.Equal(new byte[] { 1, 2, 99, 4 }, back);
    }

    [Fact]
    public void WritingPastTheEnd_FillsTheGapWithZeros()
    {
        using var s = StreamAccessFactory.Allocate();
        s.Write([9, 9]);
        Assert.Equal(10, s.Seek(8, SeekOrigin.Current));
        s.Write([7]);
        Assert.Equal(11, s.Length);
        s.Seek(0, SeekOrigin.Begin);
        var back = new byte[11];
        s.Read(back);
        Assert.Equal(new byte[] { 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 7 }, back);
        Assert.Equal(8, s.Seek(-3, SeekOrigin.End));
    }

    [Fact]
    public void SetLength_TruncatesAndExtendsWithZeros()
    {
        using var s = StreamAccessFactory.Allocate();
        s.Write([5, 5, 5, 5]);
        s.SetLength(2);
        Assert.Equal(2, s.Length);
        Assert.Equal(4, s.Tell());
        s.SetLength(6);
        s.Seek(0, SeekOrigin.Begin);
        var back = new byte[6];
        Assert.Equal(6, s.Read(back));
        Assert.Equal(new byte[] { 5, 5, 0, 0, 0, 0 }, back);
    }

    [Fact]
    public void FromBuffer_ReadsAndWritesTheCallersArrayInPlace()
    {
        var data = Bytes.Pattern(32);
        using var s = StreamAccessFactory.FromBuffer(data);
        Assert.Equal(RWS | StreamAccessCapability.MEMORY_ACCESS, s.Capabilities);
        Assert.Equal(32, s.Length);
        s.Seek(4, SeekOrigin.Begin);
        s.Write([0xAA, 0xBB]);
        Assert.Equal(0xAA, data[4]);
        Assert.Equal(0xBB, data[5]);
        data[6] = 0xCC;
        var one = new byte[1];
        s.Read(one);
        Assert.Equal(0xCC, one[0]);
    }

    [Fact]
    public unsafe void FromBuffer_BufferAddressIsTheArrays()
    {
        var data = new byte[8];
        using var s = StreamAccessFactory.FromBuffer(data);
        fixed (byte* p = data)
        {
            Assert.Equal((nint)p, s.Buffer);
        }
    }

    [Fact]
    public void FromBuffer_CannotGrow_AndWritesNothing()
    {
        var data = new byte[4];
        using var s = StreamAccessFactory.FromBuffer(data);
        s.Seek(2, SeekOrigin.Begin);
        var ex = Assert.Throws<NotSupportedException>(() => s.Write([1, 2, 3]));
        Assert.Contains("4-byte buffer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot grow", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[4], data);
        Assert.Equal(2, s.Tell());
        Assert.Throws<NotSupportedException>(() => s.SetLength(5));
        s.SetLength(3);
        Assert.Equal(3, s.Length);
    }

    [Fact]
    public void FromBuffer_ReadOnly_HasNoWrite()
    {
        var data = Bytes.Pattern(8);
        using var s = StreamAccessFactory.FromBuffer(data, writable: false);
        Assert.Equal(StreamAccessCapability.READ | StreamAccessCapability.SEEK | StreamAccessCapability.MEMORY_ACCESS, s.Capabilities);
        var ex = Assert.Throws<NotSupportedException>(() => s.Write([1]));
        Assert.Contains("Write needs the WRITE capability", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => s.SetLength(1));
    }

    [Fact]
    public unsafe void FromBuffer_NativeMemory()
    {
        var p = (byte*)NativeMemory.Alloc(16);
        try
        {
            using (var s = StreamAccessFactory.FromBuffer((nint)p, 16))
            {
                s.Write(Bytes.Pattern(16));
                Assert.Equal((nint)p, s.Buffer);
            }

            Assert.Equal(Bytes.Pattern(16), new ReadOnlySpan<byte>(p, 16).ToArray());
        }
        finally
        {
            NativeMemory.Free(p);
        }

        var ex = Assert.Throws<ArgumentException>(() => StreamAccessFactory.FromBuffer(0, 5));
        Assert.Contains("address is zero", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamAccessFactory.FromBuffer(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamAccessFactory.Allocate(-1));
    }

    [Fact]
    public void OpenFileRead_ReadsTheFile()
    {
        var data = Bytes.Pattern(10_000);
        using var file = TempFile.With(data);
        using var s = StreamAccessFactory.OpenFileRead(file.Path);
        Assert.Equal(StreamAccessCapability.READ | StreamAccessCapability.SEEK, s.Capabilities);
        Assert.Equal(10_000, s.Length);
        s.Seek(9_990, SeekOrigin.Begin);
        var back = new byte[20];
        Assert.Equal(10, s.Read(back));
        Assert.Equal(data[9_990..], back[..10]);
        Assert.True(s.IsEof);
        var ex = Assert.Throws<NotSupportedException>(() => s.Write([1]));
        Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFileWrite_CreatesAndTruncates()
    {
        using var file = TempFile.With(Bytes.Pattern(1000));
        using (var s = StreamAccessFactory.OpenFileWrite(file.Path))
        {
            Assert.Equal(StreamAccessCapability.WRITE | StreamAccessCapability.SEEK, s.Capabilities);
            Assert.Equal(0, s.Length);
            s.Write([1, 2, 3]);
            s.Seek(1, SeekOrigin.Begin);
            s.Write([9]);
            Assert.Throws<NotSupportedException>(() => s.Read(new byte[1]));
        }

        Assert.Equal(new byte[] { 1, 9, 3 }, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public void OpenFile_Errors()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"iolink-missing-{Guid.NewGuid():N}.raw");
        var ex = Assert.Throws<FileNotFoundException>(() => StreamAccessFactory.OpenFileRead(missing));
        Assert.Equal(missing, ex.FileName);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);

        var inMissingDir = Path.Combine(Path.GetTempPath(), $"iolink-missing-{Guid.NewGuid():N}", "a.raw");
        Assert.Throws<FileNotFoundException>(() => StreamAccessFactory.OpenFileRead(inMissingDir));
        var dex = Assert.Throws<DirectoryNotFoundException>(() => StreamAccessFactory.OpenFileWrite(inMissingDir));
        Assert.Contains("directory does not exist", dex.Message, StringComparison.Ordinal);

        // A directory cannot be opened as a file: the runtime reports access denied, whoever runs the test.
        var uex = Assert.Throws<UnauthorizedAccessException>(() => StreamAccessFactory.OpenFileRead(Path.GetTempPath()));
        Assert.Contains("was denied when opening it for reading", uex.Message, StringComparison.Ordinal);
        Assert.IsType<UnauthorizedAccessException>(uex.InnerException);
        Assert.Throws<UnauthorizedAccessException>(() => StreamAccessFactory.OpenFileWrite(Path.GetTempPath()));

        Assert.Throws<ArgumentException>(() => StreamAccessFactory.OpenFileRead(""));
        Assert.Throws<ArgumentNullException>(() => StreamAccessFactory.OpenFileRead(null!));
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    public void FromStream_CapabilitiesFollowTheStream(bool canRead, bool canWrite, bool canSeek)
    {
        using var inner = new ConfigurableStream(canRead, canWrite, canSeek);
        using var s = StreamAccessFactory.FromStream(inner);
        var expected = (canRead ? StreamAccessCapability.READ : 0) | (canWrite ? StreamAccessCapability.WRITE : 0) | (canSeek ? StreamAccessCapability.SEEK : 0);
        Assert.Equal(expected, s.Capabilities);
        Assert.False(s.Support(StreamAccessCapability.MEMORY_ACCESS));
        if (!canSeek)
        {
            var ex = Assert.Throws<NotSupportedException>(() => s.Seek(0, SeekOrigin.Begin));
            Assert.Contains("SEEK", ex.Message, StringComparison.Ordinal);
            Assert.Throws<NotSupportedException>(() => _ = s.Length);
        }
    }

    [Fact]
    public void FromStream_LeaveOpenDecidesWhoClosesTheStream()
    {
        var closed = new MemoryStream(Bytes.Pattern(4));
        StreamAccessFactory.FromStream(closed).Dispose();
        Assert.False(closed.CanRead);

        var open = new MemoryStream(Bytes.Pattern(4));
        StreamAccessFactory.FromStream(open, leaveOpen: true).Dispose();
        Assert.True(open.CanRead);
    }

    [Fact]
    public void FromStream_NonSeekable_TellCountsAndEofAfterEnd()
    {
        var data = Bytes.Pattern(50);
        using var s = StreamAccessFactory.FromStream(new TrickleStream(data, 7));
        var back = new byte[30];
        Assert.Equal(30, s.Read(back));
        Assert.Equal(data[..30], back);
        Assert.Equal(30, s.Tell());
        Assert.False(s.IsEof);
        Assert.Equal(20, s.Read(back));
        Assert.Equal(50, s.Tell());
        Assert.True(s.IsEof);
    }

    [Fact]
    public void FromStream_Seekable_SharesThePosition()
    {
        var inner = new MemoryStream();
        using var s = StreamAccessFactory.FromStream(inner);
        s.Write([1, 2, 3, 4]);
        Assert.Equal(4, inner.Position);
        Assert.Equal(4, s.Tell());
        Assert.True(s.IsEof);
        s.Seek(-2, SeekOrigin.End);
        Assert.Equal(2, inner.Position);
        s.SetLength(10);
        Assert.Equal(10, inner.Length);
    }

    [Fact]
    public void FromStream_BadStreams()
    {
        Assert.Throws<ArgumentNullException>(() => StreamAccessFactory.FromStream(null!));
        var disposed = new MemoryStream();
        disposed.Dispose();
        var ex = Assert.Throws<ArgumentException>(() => StreamAccessFactory.FromStream(disposed));
        Assert.Contains("neither be read nor written", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeekBeforeTheBeginning_IsAnIOException()
    {
        using var s = StreamAccessFactory.FromBuffer(new byte[10]);
        s.Seek(3, SeekOrigin.Begin);
        var ex = Assert.Throws<IOException>(() => s.Seek(-4, SeekOrigin.Current));
        Assert.Contains("before the beginning", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, s.Tell());
        Assert.Throws<IOException>(() => s.Seek(-11, SeekOrigin.End));
        Assert.Throws<IOException>(() => s.Seek(long.MinValue, SeekOrigin.Current));
        var oex = Assert.Throws<ArgumentOutOfRangeException>(() => s.Seek(0, (SeekOrigin)7));
        Assert.Contains("not a SeekOrigin", oex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.SetLength(-1));
    }

    [Fact]
    public void UseAfterDispose_Throws_AndDisposeTwiceIsFine()
    {
        var s = StreamAccessFactory.Allocate();
        s.Write([1]);
        s.Dispose();
        s.Dispose();
        Assert.True(s.IsDisposed);
        Assert.Equal(StreamAccessCapability.NONE, s.Capabilities);
        var ex = Assert.Throws<ObjectDisposedException>(() => s.Read(new byte[1]));
        Assert.Contains("has been disposed", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => s.Write([1]));
        Assert.Throws<ObjectDisposedException>(() => s.Seek(0, SeekOrigin.Begin));
        Assert.Throws<ObjectDisposedException>(() => s.Tell());
        Assert.Throws<ObjectDisposedException>(() => _ = s.IsEof);
        Assert.Throws<ObjectDisposedException>(() => _ = s.Length);
        Assert.Throws<ObjectDisposedException>(() => _ = s.Buffer);
        Assert.Throws<ObjectDisposedException>(() => s.Flush());
        Assert.Throws<ObjectDisposedException>(() => s.AsStream());
    }

    [Fact]
    public void NoMemoryAccess_BufferNamesTheCapability()
    {
        using var s = StreamAccessFactory.FromStream(new MemoryStream());
        var ex = Assert.Throws<NotSupportedException>(() => _ = s.Buffer);
        Assert.Contains("MEMORY_ACCESS", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>A MemoryStream whose Can* answers are chosen by the test.</summary>
internal sealed class ConfigurableStream(bool canRead, bool canWrite, bool canSeek, int length = 0) : MemoryStream(new byte[length])
{
    public override bool CanRead => canRead && base.CanRead;

    public override bool CanWrite => canWrite && base.CanWrite;

    public override bool CanSeek => canSeek && base.CanSeek;
}
