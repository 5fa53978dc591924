namespace IOLink.DataAccess;

/// <summary>
/// A random access over a seekable <see cref="Stream"/>. A stream has one cursor, so each read or write moves it
/// and transfers under a lock: concurrent reads are safe, one at a time.
/// </summary>
internal sealed class StreamRandomAccess : RandomAccess
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly RandomAccessCapability _capabilities;
    private readonly Lock _lock = new();

    public StreamRandomAccess(Stream stream, bool leaveOpen)
        : base(stream.Length)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _capabilities = (stream.CanRead ? RandomAccessCapability.READ : RandomAccessCapability.NONE)
            | (stream.CanWrite ? RandomAccessCapability.WRITE : RandomAccessCapability.NONE);
    }

    protected internal override RandomAccessCapability CapabilitiesCore => _capabilities;

    protected internal override void ReadCore(long offset, Span<byte> dst)
    {
        lock (_lock)
        {
            _stream.Position = offset;
            var n = _stream.ReadAtLeast(dst, dst.Length, throwOnEndOfStream: false);
            if (n < dst.Length)
            {
                AccessThrowHelper.FileShrank(offset + n, dst.Length);
            }
        }
    }

    protected internal override void WriteCore(long offset, ReadOnlySpan<byte> src)
    {
        lock (_lock)
        {
            _stream.Position = offset;
            _stream.Write(src);
        }
    }

    protected internal override void FlushCore()
    {
        lock (_lock)
        {
            _stream.Flush();
        }
    }

    protected override void ReleaseResources()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
