namespace IOLink.Python.Internal;

/// <summary>A <see cref="System.IO.Stream"/> seen as an <see cref="IRawIOChannel"/>; disposes the stream unless told to leave it open.</summary>
internal sealed class StreamChannel(Stream stream, bool leaveOpen) : IRawIOChannel
{
    public bool CanRead => stream.CanRead;

    public bool CanWrite => stream.CanWrite;

    public bool CanSeek => stream.CanSeek;

    public long Position => stream.Position;

    public int Read(Span<byte> destination) => stream.Read(destination);

    public void Write(ReadOnlySpan<byte> source) => stream.Write(source);

    public long Seek(long offset, SeekOrigin origin) => stream.Seek(offset, origin);

    public void SetLength(long length) => stream.SetLength(length);

    public void Flush() => stream.Flush();

    public void Dispose()
    {
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }
}
