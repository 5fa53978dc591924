namespace IOLink.DataAccess;

/// <summary>
/// A <see cref="RandomAccess"/> as a seekable <see cref="Stream"/> of fixed length with its own position. Reads and
/// writes go to the access with the caller's buffer; writing past the end is not supported (the size is fixed).
/// </summary>
internal sealed class RandomAccessStream : SpanStream
{
    private readonly RandomAccess _access;
    private long _position;
    private bool _disposed;

    public RandomAccessStream(RandomAccess access) => _access = access;

    private bool Live => !_disposed && !_access.IsDisposed;

    public override bool CanRead => !_disposed && _access.Support(RandomAccessCapability.READ);

    public override bool CanWrite => !_disposed && _access.Support(RandomAccessCapability.WRITE);

    public override bool CanSeek => Live;

    public override long Length
    {
        get
        {
            ThrowIfDisposed();
            return _access.Size;
        }
    }

    public override long Position
    {
        get
        {
            ThrowIfDisposed();
            return _position;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ThrowIfDisposed();
            _position = value;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ThrowIfDisposed();
        _access.Require(RandomAccessCapability.READ, nameof(Read));
        if (_position >= _access.Size)
        {
            return 0;
        }

        var n = (int)Math.Min(buffer.Length, _access.Size - _position);
        _access.Read(_position, buffer[..n]);
        _position += n;
        return n;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfDisposed();
        _access.Require(RandomAccessCapability.WRITE, nameof(Write));
        var end = _position + buffer.Length;
        if (end > _access.Size)
        {
            AccessThrowHelper.FixedSizeStream(end, _access.Size);
        }

        _access.Write(_position, buffer);
        _position = end;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfDisposed();
        var start = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => _position,
            SeekOrigin.End => _access.Size,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, $"{origin} is not a SeekOrigin; use Begin, Current or End."),
        };
        var target = start + offset;
        if (target < 0)
        {
            AccessThrowHelper.SeekBeforeBegin(offset, origin, target);
        }

        _position = target;
        return target;
    }

    public override void SetLength(long value)
    {
        ThrowIfDisposed();
        if (value != _access.Size)
        {
            throw new NotSupportedException(
                $"A random access has a fixed size of {_access.Size} bytes and cannot be resized to {value}; create an access of the size you need.");
        }
    }

    public override void Flush()
    {
        ThrowIfDisposed();
        _access.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private void ThrowIfDisposed()
    {
        if (!Live)
        {
            AccessThrowHelper.StreamDisposed(this);
        }
    }
}
