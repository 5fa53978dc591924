using System.Buffers;

namespace IOLink.DataAccess;

/// <summary>
/// A <see cref="StreamAccess"/> as a <see cref="Stream"/>. Every call goes to the access with the caller's buffer
/// (no intermediate copy); <see cref="CopyTo(Stream, int)"/> on a memory access writes straight from its memory.
/// </summary>
internal sealed class StreamAccessStream : SpanStream
{
    private readonly StreamAccess _access;
    private bool _disposed;

    public StreamAccessStream(StreamAccess access) => _access = access;

    private bool Has(StreamAccessCapability capability) => !_disposed && _access.Support(capability);

    public override bool CanRead => Has(StreamAccessCapability.READ);

    public override bool CanWrite => Has(StreamAccessCapability.WRITE);

    public override bool CanSeek => Has(StreamAccessCapability.SEEK);

    public override long Length
    {
        get
        {
            Require(StreamAccessCapability.SEEK, nameof(Length));
            using var lease = Lease();
            return _access.LengthCore;
        }
    }

    public override long Position
    {
        get
        {
            Require(StreamAccessCapability.SEEK, nameof(Position));
            using var lease = Lease();
            return _access.TellCore();
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Require(StreamAccessCapability.SEEK, nameof(Position));
            using var lease = Lease();
            _access.SeekCore(value);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        Require(StreamAccessCapability.READ, nameof(Read));
        using var lease = Lease();
        return _access.ReadCore(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Require(StreamAccessCapability.READ, nameof(ReadAsync));
        return _access.ReadCoreAsync(buffer, cancellationToken);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Require(StreamAccessCapability.WRITE, nameof(Write));
        if (!buffer.IsEmpty)
        {
            using var lease = Lease();
            _access.WriteCore(buffer);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Require(StreamAccessCapability.WRITE, nameof(WriteAsync));
        return buffer.IsEmpty ? ValueTask.CompletedTask : _access.WriteCoreAsync(buffer, cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfDisposed();
        return _access.Seek(offset, origin);
    }

    public override void SetLength(long value)
    {
        ThrowIfDisposed();
        _access.SetLength(value);
    }

    public override void Flush()
    {
        ThrowIfDisposed();
        _access.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        _access.ThrowIfDisposed();
        return _access.FlushCoreAsync(cancellationToken);
    }

    public override unsafe void CopyTo(Stream destination, int bufferSize)
    {
        ValidateCopyToArguments(destination, bufferSize);
        Require(StreamAccessCapability.READ, nameof(CopyTo));
        using var lease = Lease();
        if (_access is MemoryStreamAccess memory)
        {
            // The bytes are already in memory: hand them to the destination directly, in int-sized pieces.
            while (memory.Remaining is { Count: > 0 } rest)
            {
                var n = (int)Math.Min(rest.Count, RandomAccess.MaxTransfer);
                destination.Write(new ReadOnlySpan<byte>((void*)rest.Address, n));
                memory.Advance(n);
            }

            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            int n;
            while ((n = _access.ReadCore(buffer)) != 0)
            {
                destination.Write(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ValidateCopyToArguments(destination, bufferSize);
        Require(StreamAccessCapability.READ, nameof(CopyToAsync));
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            int n;
            while ((n = await _access.ReadCoreAsync(buffer, cancellationToken).ConfigureAwait(false)) != 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed || _access.IsDisposed)
        {
            AccessThrowHelper.StreamDisposed(this);
        }
    }

    /// <summary>Holds the access's data for one call, so that disposing the access on another thread cannot free it mid-call.</summary>
    private Memory.Lease Lease() => _access.Source.Lease(nameof(StreamAccess));

    private void Require(StreamAccessCapability capability, string operation)
    {
        ThrowIfDisposed();
        _access.Require(capability, operation);
    }
}
