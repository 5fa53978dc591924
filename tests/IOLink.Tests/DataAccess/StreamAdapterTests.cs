using System.IO.Compression;
using System.Text;

namespace IOLink.Tests.DataAccess;

public class StreamAccessAsStreamTests
{
    [Fact]
    public void CanFlags_FollowCapabilities_AndTurnFalseAfterDispose()
    {
        using var access = StreamAccessFactory.FromBuffer(new byte[4], writable: false);
        var s = access.AsStream();
        Assert.True(s.CanRead);
        Assert.False(s.CanWrite);
        Assert.True(s.CanSeek);
        var ex = Assert.Throws<NotSupportedException>(() => s.Write([1], 0, 1));
        Assert.Contains("WRITE", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => s.WriteByte(1));
        Assert.Throws<NotSupportedException>(() => s.SetLength(2));
        s.Dispose();
        s.Dispose();
        Assert.False(s.CanRead);
        Assert.False(s.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => s.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => s.Position);
        Assert.Throws<ObjectDisposedException>(() => s.Seek(0, SeekOrigin.Begin));
        Assert.False(access.IsDisposed);
    }

    [Fact]
    public void DisposingTheAccess_DisposesTheStreamView()
    {
        var access = StreamAccessFactory.Allocate();
        var s = access.AsStream();
        access.Dispose();
        Assert.False(s.CanRead);
        Assert.False(s.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => s.Read(new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => s.Length);
    }

    [Fact]
    public void NonSeekable_PositionLengthSeekAreNotSupported()
    {
        using var access = StreamAccessFactory.FromStream(new TrickleStream(Bytes.Pattern(10), 3));
        using var s = access.AsStream();
        Assert.False(s.CanSeek);
        Assert.Throws<NotSupportedException>(() => s.Length);
        Assert.Throws<NotSupportedException>(() => s.Position);
        Assert.Throws<NotSupportedException>(() => s.Position = 0);
        Assert.Throws<NotSupportedException>(() => s.Seek(0, SeekOrigin.Begin));
    }

    [Fact]
    public void Read_IsPartialAtTheEnd_ThenZero()
    {
        using var access = StreamAccessFactory.FromBuffer(Bytes.Pattern(10));
        using var s = access.AsStream();
        var buffer = new byte[8];
        Assert.Equal(8, s.Read(buffer, 0, 8));
        Assert.Equal(2, s.Read(buffer, 0, 8));
        Assert.Equal(Bytes.Pattern(10)[8..], buffer[..2]);
        Assert.Equal(0, s.Read(buffer, 0, 8));
        Assert.Equal(0, s.Read(buffer.AsSpan()));
        Assert.Equal(-1, s.ReadByte());
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Read(buffer, 4, 5));
        Assert.Throws<ArgumentNullException>(() => s.Read(null!, 0, 1));
    }

    [Fact]
    public void Read_PassesOnePartialReadOfTheSourceThrough()
    {
        // Stream.Read may return fewer bytes than asked; the adapter does not loop (that is what ReadExactly is for).
        using var access = StreamAccessFactory.FromStream(new TrickleStream(Bytes.Pattern(10), 3));
        using var s = access.AsStream();
        var buffer = new byte[8];
        Assert.Equal(3, s.Read(buffer));
        s.ReadExactly(buffer.AsSpan(0, 7));
        Assert.Equal(Bytes.Pattern(10)[3..], buffer[..7]);
        Assert.Equal(0, s.Read(buffer));
    }

    [Fact]
    public void PositionLengthSetLength_ShareTheAccessCursor()
    {
        using var access = StreamAccessFactory.Allocate();
        using var s = access.AsStream();
        s.Write([1, 2, 3, 4, 5]);
        Assert.Equal(5, s.Length);
        Assert.Equal(5, s.Position);
        Assert.Equal(5, access.Tell());
        s.Position = 1;
        Assert.Equal(2, s.ReadByte());
        Assert.Equal(2, access.Tell());
        s.SetLength(3);
        Assert.Equal(3, s.Length);
        Assert.Equal(3, access.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Position = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.SetLength(-1));
        var ex = Assert.Throws<IOException>(() => s.Seek(-1, SeekOrigin.Begin));
        Assert.Contains("before the beginning", ex.Message, StringComparison.Ordinal);
        Assert.Equal(8, s.Seek(5, SeekOrigin.End));
        s.WriteByte(9);
        Assert.Equal(9, s.Length);
    }

    [Fact]
    public void SpanAndMemoryOverloads_UseTheCallersBuffer()
    {
        using var access = StreamAccessFactory.Allocate();
        using var s = access.AsStream();
        s.Write(Bytes.Pattern(100).AsSpan());
        s.Position = 0;
        Span<byte> span = stackalloc byte[100];
        Assert.Equal(100, s.Read(span));
        Assert.True(span.SequenceEqual(Bytes.Pattern(100)));
    }

    [Fact]
#pragma warning disable CA1835, CA2022 // The array overloads and single reads are what is under test.
    public async Task AsyncOverloads()
    {
        using var access = StreamAccessFactory.Allocate();
        await using var s = access.AsStream();
        await s.WriteAsync(Bytes.Pattern(64).AsMemory());
        await s.WriteAsync(Bytes.Pattern(8), 0, 8);
        await s.FlushAsync();
        s.Position = 0;
        var back = new byte[72];
        Assert.Equal(72, await s.ReadAtLeastAsync(back, 72));
        Assert.Equal(Bytes.Pattern(64), back[..64]);
        Assert.Equal(0, await s.ReadAsync(back.AsMemory()));
        Assert.Equal(0, await s.ReadAsync(back, 0, 4));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await s.ReadAsync(back.AsMemory(), cts.Token));
    }
#pragma warning restore CA1835, CA2022

    [Fact]
    public async Task AsyncOverloads_GoToTheWrappedStreamsAsyncMethods()
    {
        var inner = new AsyncCountingStream();
        using var access = StreamAccessFactory.FromStream(inner);
        await using var s = access.AsStream();
        await s.WriteAsync(new byte[10]);
        s.Position = 0;
        await s.ReadExactlyAsync(new byte[10]);
        Assert.Equal(1, inner.AsyncWrites);
        Assert.Equal(1, inner.AsyncReads);
    }

    [Fact]
    public void CopyTo_FromMemory_And_FromFile()
    {
        var data = Bytes.Pattern(300_000);
        using var memory = StreamAccessFactory.FromBuffer(data);
        memory.Seek(1000, SeekOrigin.Begin);
        var sink = new MemoryStream();
        memory.AsStream().CopyTo(sink);
        Assert.Equal(data[1000..], sink.ToArray());
        Assert.True(memory.IsEof);

        using var f = TempFile.With(data);
        using var file = StreamAccessFactory.OpenFileRead(f.Path);
        var sink2 = new MemoryStream();
        file.AsStream().CopyTo(sink2, 4096);
        Assert.Equal(data, sink2.ToArray());
        Assert.Throws<ArgumentNullException>(() => file.AsStream().CopyTo(null!));
    }

    [Fact]
    public async Task CopyToAsync_CopiesEverything()
    {
        var data = Bytes.Pattern(100_000);
        using var memory = StreamAccessFactory.FromBuffer(data);
        var sink = new MemoryStream();
        await memory.AsStream().CopyToAsync(sink);
        Assert.Equal(data, sink.ToArray());
    }

    [Fact]
    public void RoundTrip_ThroughGZipStream_UnChanged()
    {
        var data = Bytes.Pattern(200_000);
        using var f = new TempFile(".gz");
        using (var w = StreamAccessFactory.OpenFileWrite(f.Path))
        using (var gz = new GZipStream(w.AsStream(), CompressionLevel.Fastest))
        {
            gz.Write(data);
        }

        using var r = StreamAccessFactory.OpenFileRead(f.Path);
        using var unzip = new GZipStream(r.AsStream(), CompressionMode.Decompress);
        var back = new MemoryStream();
        unzip.CopyTo(back);
        Assert.Equal(data, back.ToArray());

        // And the file is a real gzip file that .NET's own FileStream reads back.
        using var plain = new GZipStream(File.OpenRead(f.Path), CompressionMode.Decompress);
        var back2 = new MemoryStream();
        plain.CopyTo(back2);
        Assert.Equal(data, back2.ToArray());
    }

    [Fact]
    public void RoundTrip_ThroughStreamWriterAndReader_UnChanged()
    {
        var text = string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"line {i}: äöü €{i * i}"));
        using var access = StreamAccessFactory.Allocate();
        using (var writer = new StreamWriter(access.AsStream(), new UTF8Encoding(false), leaveOpen: false))
        {
            writer.Write(text);
        }

        Assert.False(access.IsDisposed);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), access.Length);
        access.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(access.AsStream(), Encoding.UTF8);
        Assert.Equal(text, reader.ReadToEnd());
    }
}

public class RandomAccessAsStreamTests
{
    [Fact]
    public void IsSeekableWithFixedLength()
    {
        var data = Bytes.Pattern(10);
        using var access = RandomAccessFactory.FromBuffer(data);
        using var s = access.AsStream();
        Assert.True(s.CanRead);
        Assert.True(s.CanWrite);
        Assert.True(s.CanSeek);
        Assert.Equal(10, s.Length);
        var buffer = new byte[6];
        Assert.Equal(6, s.Read(buffer, 0, 6));
        Assert.Equal(4, s.Read(buffer, 0, 6));
        Assert.Equal(0, s.Read(buffer, 0, 6));
        Assert.Equal(-1, s.ReadByte());
        s.Position = 8;
        s.Write([1, 2]);
        Assert.Equal(1, data[8]);
        var ex = Assert.Throws<NotSupportedException>(() => s.WriteByte(3));
        Assert.Contains("fixed size", ex.Message, StringComparison.Ordinal);
        s.SetLength(10);
        var lex = Assert.Throws<NotSupportedException>(() => s.SetLength(11));
        Assert.Contains("cannot be resized", lex.Message, StringComparison.Ordinal);
        Assert.Equal(20, s.Seek(10, SeekOrigin.End));
        Assert.Equal(0, s.Read(buffer));
        Assert.Throws<IOException>(() => s.Seek(-1, SeekOrigin.Begin));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Position = -1);
    }

    [Fact]
    public void ReadOnlyAccess_CannotWrite_AndDisposeTurnsFlagsOff()
    {
        using var f = TempFile.With(Bytes.Pattern(100));
        var access = RandomAccessFactory.OpenFileRead(f.Path);
        var s = access.AsStream();
        Assert.False(s.CanWrite);
        Assert.Throws<NotSupportedException>(() => s.Write([1]));
        var copy = new MemoryStream();
        s.CopyTo(copy);
        Assert.Equal(Bytes.Pattern(100), copy.ToArray());
        access.Dispose();
        Assert.False(s.CanRead);
        Assert.False(s.CanSeek);
        Assert.Throws<ObjectDisposedException>(() => s.ReadByte());
        s.Dispose();
        s.Dispose();
    }

    [Fact]
    public async Task Async_AndStreamReader()
    {
        var text = "Hello\nIOLink\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        using var access = RandomAccessFactory.Allocate(bytes.Length);
        await using (var s = access.AsStream())
        {
            await s.WriteAsync(bytes.AsMemory());
            await s.FlushAsync();
        }

        using var reader = new StreamReader(access.AsStream());
        Assert.Equal("Hello", await reader.ReadLineAsync());
        Assert.Equal("IOLink", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
    }
}

/// <summary>A MemoryStream that counts the async calls it receives.</summary>
internal sealed class AsyncCountingStream : MemoryStream
{
    public int AsyncReads { get; private set; }

    public int AsyncWrites { get; private set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        AsyncReads++;
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        AsyncWrites++;
        return base.WriteAsync(buffer, cancellationToken);
    }
}
