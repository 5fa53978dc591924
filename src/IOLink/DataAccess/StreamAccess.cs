using IOLink.DataAccess;
using IOLink.Memory;

namespace IOLink;

/// <summary>
/// A sequence of bytes with a cursor: read, write, seek, tell, end of stream. Made by <see cref="StreamAccessFactory"/>
/// over memory, files or any <see cref="Stream"/>; what each one can do is in <see cref="Capabilities"/>.
/// </summary>
/// <remarks>
/// A stream access is stateful (it has a cursor) and is not meant to be shared between threads: calls from
/// several threads at once may interleave their bytes. Disposing it while another thread is inside a call is
/// safe: that call finishes on live memory (or fails with <see cref="ObjectDisposedException"/>), and the memory,
/// file or stream is released when it returns. After <see cref="Dispose()"/>, <see cref="Capabilities"/> is NONE
/// and every member except <see cref="IsDisposed"/> throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public abstract class StreamAccess : IDisposable
{
    private int _disposed;

    /// <summary>
    /// Makes an access; one implemented outside IOLink provides the protected members (the base has checked the
    /// capabilities and holds the access for each call) and frees what it holds in <see cref="ReleaseResources"/>,
    /// once, when the handle is disposed. Such an access never has MEMORY_ACCESS.
    /// </summary>
    protected StreamAccess() => Source = new Resources(ReleaseResources);

    /// <summary>What keeps the access's memory, file or stream alive: the handle holds one reference, each call one for its duration.</summary>
    internal RefCounted Source { get; }

    /// <summary>What this access can do; NONE once disposed.</summary>
    public StreamAccessCapability Capabilities => IsDisposed ? StreamAccessCapability.NONE : Effective;

    /// <summary>What the access says it can do, without MEMORY_ACCESS for one implemented outside IOLink (its buffer's lifetime is not IOLink's to hold).</summary>
    private StreamAccessCapability Effective =>
        GetType().Assembly == typeof(StreamAccess).Assembly ? CapabilitiesCore : CapabilitiesCore & ~StreamAccessCapability.MEMORY_ACCESS;

    /// <summary>Whether the access has every capability in <paramref name="capability"/>.</summary>
    public bool Support(StreamAccessCapability capability) => (Capabilities & capability) == capability;

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Whether the cursor is at (or past) the end: for seekable accesses the position is at least the length; otherwise a read has found the end.</summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public bool IsEof
    {
        get
        {
            ThrowIfDisposed();
            using var lease = Source.Lease(nameof(StreamAccess));
            return IsEofCore;
        }
    }

    /// <summary>The number of bytes in the stream.</summary>
    /// <exception cref="NotSupportedException">The access does not have SEEK.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public long Length
    {
        get
        {
            Require(StreamAccessCapability.SEEK, nameof(Length));
            using var lease = Source.Lease(nameof(StreamAccess));
            return LengthCore;
        }
    }

    /// <summary>
    /// The address of byte 0, for accesses with MEMORY_ACCESS. It stays valid until the access is disposed or a
    /// write (or <see cref="SetLength"/>) makes a growable access grow.
    /// </summary>
    /// <exception cref="NotSupportedException">The access does not have MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public nint Buffer
    {
        get
        {
            Require(StreamAccessCapability.MEMORY_ACCESS, nameof(Buffer));
            return BufferCore;
        }
    }

    /// <summary>Reads bytes at the cursor into <paramref name="dst"/> until it is full or the stream ends, and moves the cursor past them.</summary>
    /// <returns>The number of bytes read: fewer than <paramref name="dst"/> holds only at the end of the stream, 0 when already there.</returns>
    /// <exception cref="NotSupportedException">The access does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public long Read(Span<byte> dst)
    {
        Require(StreamAccessCapability.READ, nameof(Read));
        using var lease = Source.Lease(nameof(StreamAccess));
        long total = 0;
        while (!dst.IsEmpty)
        {
            var n = ReadCore(dst);
            if (n == 0)
            {
                break;
            }

            total += n;
            dst = dst[n..];
        }

        return total;
    }

    /// <summary>Writes all of <paramref name="src"/> at the cursor and moves the cursor past it; a growable access grows as needed.</summary>
    /// <returns>The number of bytes written, always <paramref name="src"/>'s length.</returns>
    /// <exception cref="NotSupportedException">The access does not have WRITE, or it wraps a borrowed buffer too small for the write (nothing is written then).</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public long Write(ReadOnlySpan<byte> src)
    {
        Require(StreamAccessCapability.WRITE, nameof(Write));
        if (!src.IsEmpty)
        {
            using var lease = Source.Lease(nameof(StreamAccess));
            WriteCore(src);
        }

        return src.Length;
    }

    /// <summary>Moves the cursor to <paramref name="offset"/> bytes from <paramref name="origin"/>; moving past the end is allowed (a later write fills the gap with zeros).</summary>
    /// <returns>The new position.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="origin"/> is not a <see cref="SeekOrigin"/>.</exception>
    /// <exception cref="IOException">The new position would be before the beginning.</exception>
    /// <exception cref="NotSupportedException">The access does not have SEEK.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public long Seek(long offset, SeekOrigin origin)
    {
        Require(StreamAccessCapability.SEEK, nameof(Seek));
        using var lease = Source.Lease(nameof(StreamAccess));
        var start = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => TellCore(),
            SeekOrigin.End => LengthCore,
            _ => Invalid(origin),
        };
        long target;
        try
        {
            target = checked(start + offset);
        }
        catch (OverflowException)
        {
            target = offset < 0 ? -1 : long.MaxValue;
        }

        if (target < 0)
        {
            AccessThrowHelper.SeekBeforeBegin(offset, origin, target);
        }

        SeekCore(target);
        return target;

        static long Invalid(SeekOrigin origin)
        {
            AccessThrowHelper.InvalidOrigin(origin, nameof(origin));
            return 0;
        }
    }

    /// <summary>The cursor position: bytes from the beginning (for a stream that cannot seek, the bytes read and written so far).</summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public long Tell()
    {
        ThrowIfDisposed();
        using var lease = Source.Lease(nameof(StreamAccess));
        return TellCore();
    }

    /// <summary>Truncates or extends (with zeros) the stream to <paramref name="length"/> bytes; the cursor does not move.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The access does not have both WRITE and SEEK, or wraps a borrowed buffer that cannot grow.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public void SetLength(long length)
    {
        Require(StreamAccessCapability.WRITE | StreamAccessCapability.SEEK, nameof(SetLength));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var lease = Source.Lease(nameof(StreamAccess));
        SetLengthCore(length);
    }

    /// <summary>Sends buffered writes to the file or stream underneath.</summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        using var lease = Source.Lease(nameof(StreamAccess));
        FlushCore();
    }

    /// <summary>
    /// This access as a <see cref="Stream"/> that passes the caller's buffers straight through (no intermediate copy).
    /// Its <c>CanRead</c>/<c>CanWrite</c>/<c>CanSeek</c> follow <see cref="Capabilities"/>; it shares the cursor with
    /// this access; disposing it leaves the access open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public Stream AsStream()
    {
        ThrowIfDisposed();
        return new StreamAccessStream(this);
    }

    /// <summary>Releases the memory, file or stream behind the access (a stream given to FromStream is closed unless it was left open).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Source.Release();
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"StreamAccess(capabilities: {AccessThrowHelper.Describe(Capabilities)})";

    // ---- what each kind of access provides; the checks above have run ----

    /// <summary>What the access can do (READ, WRITE, SEEK; MEMORY_ACCESS only for IOLink's own accesses over memory).</summary>
    protected internal abstract StreamAccessCapability CapabilitiesCore { get; }

    /// <summary>Whether the cursor is at or past the end (for a stream without SEEK: whether a read has found the end).</summary>
    protected internal abstract bool IsEofCore { get; }

    /// <summary>The stream's length (asked only of an access with SEEK).</summary>
    protected internal abstract long LengthCore { get; }

    /// <summary>The address of byte 0 for IOLink's own accesses over memory; 0 otherwise.</summary>
    protected internal virtual nint BufferCore => 0;

    /// <summary>One read: at least one byte unless the stream has ended (or <paramref name="dst"/> is empty).</summary>
    protected internal abstract int ReadCore(Span<byte> dst);

    /// <summary>One read, asynchronously; by default <see cref="ReadCore"/> on the calling thread.</summary>
    protected internal virtual ValueTask<int> ReadCoreAsync(Memory<byte> dst, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(ReadCore(dst.Span));

    /// <summary>Writes all of <paramref name="src"/> at the cursor (asked only of an access with WRITE).</summary>
    protected internal abstract void WriteCore(ReadOnlySpan<byte> src);

    /// <summary>Writes all of <paramref name="src"/>, asynchronously; by default <see cref="WriteCore"/> on the calling thread.</summary>
    protected internal virtual ValueTask WriteCoreAsync(ReadOnlyMemory<byte> src, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        WriteCore(src.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>The cursor's position.</summary>
    protected internal abstract long TellCore();

    /// <summary>Moves the cursor to a checked, non-negative position.</summary>
    protected internal abstract void SeekCore(long position);

    /// <summary>Sets the length to a checked, non-negative value (asked only of an access with SEEK and WRITE).</summary>
    protected internal abstract void SetLengthCore(long length);

    /// <summary>Makes written bytes durable; nothing by default.</summary>
    protected internal virtual void FlushCore()
    {
    }

    /// <summary>Makes written bytes durable, asynchronously; by default <see cref="FlushCore"/>.</summary>
    protected internal virtual Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        FlushCore();
        return Task.CompletedTask;
    }

    /// <summary>Frees what the access holds; runs once, when the handle is disposed and no call is in progress.</summary>
    protected abstract void ReleaseResources();

    internal void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            AccessThrowHelper.Disposed(this);
        }
    }

    internal void Require(StreamAccessCapability capability, string operation)
    {
        ThrowIfDisposed();
        var has = Effective;
        if ((has & capability) != capability)
        {
            AccessThrowHelper.MissingCapability(capability & ~has, operation, has);
        }
    }
}
