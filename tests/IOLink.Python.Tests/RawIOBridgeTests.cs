using System.Runtime.InteropServices;

namespace IOLink.Python.Tests;

/// <summary>The .NET half of StreamAccessRawIO, driven by raw addresses as the Python side drives it.</summary>
public sealed unsafe class RawIOBridgeTests
{
    [Fact]
    public void ReadInto_fills_the_given_memory_directly()
    {
        using var channel = new RawIOBridge(new MemoryStream([1, 2, 3, 4, 5]), leaveOpen: false);
        var buffer = new byte[8];
        fixed (byte* p = buffer)
        {
            Assert.Equal(5, channel.ReadInto((long)p, 8));
            Assert.Equal(0, channel.ReadInto((long)p, 8));
        }

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0 }, buffer);
    }

    [Fact]
    public void WriteFrom_seek_tell_and_truncate()
    {
        var stream = new MemoryStream();
        using var channel = new RawIOBridge(stream, leaveOpen: true);
        var data = new byte[] { 9, 8, 7, 6 };
        fixed (byte* p = data)
        {
            Assert.Equal(4, channel.WriteFrom((long)p, 4));
        }

        Assert.Equal(4, channel.Tell());
        Assert.Equal(1, channel.Seek(1, 0));
        Assert.Equal(3, channel.Seek(2, 1));
        Assert.Equal(2, channel.Seek(-2, 2));
        Assert.Equal(2, channel.Truncate(2));
        Assert.Equal(new byte[] { 9, 8 }, stream.ToArray());
    }

    [Fact]
    public void Capabilities_follow_the_stream_and_missing_ones_throw_NotSupported()
    {
        using var file = new TempFile();
        File.WriteAllBytes(file.Path, [1, 2, 3]);
        using var access = StreamAccessFactory.OpenFileRead(file.Path);
        using var reader = new RawIOBridge(access.AsStream(), leaveOpen: true);
        Assert.True(reader.CanRead);
        Assert.False(reader.CanWrite);
        Assert.True(reader.CanSeek);
        var ex = Assert.Throws<NotSupportedException>(() => reader.WriteFrom(1, 1));
        Assert.Contains("WRITE", ex.Message);

        using var pipe = new RawIOBridge(new NonSeekableStream(), leaveOpen: false);
        Assert.Contains("SEEK", Assert.Throws<NotSupportedException>(() => pipe.Tell()).Message);
        Assert.Contains("SEEK", Assert.Throws<NotSupportedException>(() => pipe.Seek(0, 0)).Message);
    }

    [Fact]
    public void Bad_whence_and_closed_streams_are_errors()
    {
        using var access = StreamAccessFactory.Allocate();
        var channel = new RawIOBridge(access.AsStream(), leaveOpen: true);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => channel.Seek(0, 3));
        Assert.Contains("whence 3", ex.Message);
        channel.Close();
        Assert.True(channel.IsClosed);
        Assert.False(channel.CanRead);
        Assert.Throws<ObjectDisposedException>(() => channel.ReadInto(1, 1));
        channel.Close();
        Assert.False(access.IsDisposed);
    }

    [Fact]
    public void Closing_disposes_the_stream_unless_it_was_left_open()
    {
        var owned = new MemoryStream();
        new RawIOBridge(owned, leaveOpen: false).Close();
        Assert.False(owned.CanRead);
        var kept = new MemoryStream();
        new RawIOBridge(kept, leaveOpen: true).Close();
        Assert.True(kept.CanRead);
    }

    [Fact]
    public void FromBuffer_borrows_memory_without_copying()
    {
        var memory = (byte*)NativeMemory.AllocZeroed(16);
        try
        {
            using (var access = PythonStreams.FromAddress((long)memory, 16, writable: true))
            using (var channel = new RawIOBridge(access.AsStream(), leaveOpen: true))
            {
                var data = new byte[] { 42, 43 };
                fixed (byte* p = data)
                {
                    channel.Seek(3, 0);
                    channel.WriteFrom((long)p, 2);
                }
            }

            Assert.Equal(42, memory[3]);
            Assert.Equal(43, memory[4]);
            Assert.Throws<ArgumentException>(() => PythonStreams.FromAddress(0, 4, writable: false));
        }
        finally
        {
            NativeMemory.Free(memory);
        }
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
