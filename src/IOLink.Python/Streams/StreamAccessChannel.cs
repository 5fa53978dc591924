namespace IOLink.Python.Internal;

/// <summary>An IOLink <see cref="StreamAccess"/> as the channel behind a Python raw stream: spans pass straight through.</summary>
internal sealed class StreamAccessChannel(StreamAccess access, bool leaveOpen) : IRawIOChannel
{
    public bool CanRead => access.Support(StreamAccessCapability.READ);

    public bool CanWrite => access.Support(StreamAccessCapability.WRITE);

    public bool CanSeek => access.Support(StreamAccessCapability.SEEK);

    public long Position => access.Tell();

    public int Read(Span<byte> destination) => (int)access.Read(destination);

    public void Write(ReadOnlySpan<byte> source) => access.Write(source);

    public long Seek(long offset, SeekOrigin origin) => access.Seek(offset, origin);

    public void SetLength(long length) => access.SetLength(length);

    public void Flush() => access.Flush();

    public void Dispose()
    {
        if (!leaveOpen)
        {
            access.Dispose();
        }
    }
}
