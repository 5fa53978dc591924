namespace IOLink.DataAccess;

/// <summary>
/// A stream access over a <see cref="Stream"/> (a caller's stream, or a <see cref="FileStream"/> opened by the
/// factory). Capabilities follow the stream's <c>CanRead</c>/<c>CanWrite</c>/<c>CanSeek</c> when it is wrapped; every
/// call goes straight to the stream with the caller's buffer.
/// </summary>
internal sealed class DotNetStreamAccess : StreamAccess
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly StreamAccessCapability _capabilities;
    private long _position;
    private bool _sawEnd;

    public DotNetStreamAccess(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _capabilities = (stream.CanRead ? StreamAccessCapability.READ : StreamAccessCapability.NONE)
            | (stream.CanWrite ? StreamAccessCapability.WRITE : StreamAccessCapability.NONE)
            | (stream.CanSeek ? StreamAccessCapability.SEEK : StreamAccessCapability.NONE);
    }

    private bool Seekable => (_capabilities & StreamAccessCapability.SEEK) != 0;

    protected internal override StreamAccessCapability CapabilitiesCore => _capabilities;

    protected internal override bool IsEofCore => Seekable ? _stream.Position >= _stream.Length : _sawEnd;

    protected internal override long LengthCore => _stream.Length;

    protected internal override int ReadCore(Span<byte> dst)
    {
        var n = _stream.Read(dst);
        Count(n, dst.Length);
        return n;
    }

    protected internal override async ValueTask<int> ReadCoreAsync(Memory<byte> dst, CancellationToken cancellationToken)
    {
        var n = await _stream.ReadAsync(dst, cancellationToken).ConfigureAwait(false);
        Count(n, dst.Length);
        return n;
    }

    private void Count(int n, int asked)
    {
        _position += n;
        if (n == 0 && asked > 0)
        {
            _sawEnd = true;
        }
    }

    protected internal override void WriteCore(ReadOnlySpan<byte> src)
    {
        _stream.Write(src);
        _position += src.Length;
    }

    protected internal override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> src, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(src, cancellationToken).ConfigureAwait(false);
        _position += src.Length;
    }

    protected internal override long TellCore() => Seekable ? _stream.Position : _position;

    protected internal override void SeekCore(long position)
    {
        _stream.Position = position;
        _sawEnd = false;
    }

    protected internal override void SetLengthCore(long length) => _stream.SetLength(length);

    protected internal override void FlushCore() => _stream.Flush();

    protected internal override Task FlushCoreAsync(CancellationToken cancellationToken) => _stream.FlushAsync(cancellationToken);

    protected override void ReleaseResources()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
