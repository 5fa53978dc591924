using IOLink.Python.Internal;

namespace IOLink.Python;

/// <summary>
/// The .NET half of Python's <c>iolink.StreamAccessRawIO</c>: a <see cref="Stream"/> (a <see cref="StreamAccess"/>'s
/// <see cref="StreamAccess.AsStream"/>, or any .NET stream) driven with raw addresses of Python buffers, so
/// <c>readinto</c> fills the caller's buffer directly and <c>write</c> reads the caller's bytes in place.
/// </summary>
/// <remarks>
/// Addresses come from the Python side, which holds the buffer (a memoryview export) for the duration of each call;
/// that is why these members take <c>long</c> addresses rather than spans. Not for use from several threads at once,
/// like the stream it wraps.
/// </remarks>
public sealed unsafe class RawIOBridge : IDisposable
{
    private readonly bool _leaveOpen;
    private Stream? _stream;

    /// <summary>Wraps <paramref name="stream"/>.</summary>
    /// <param name="stream">The stream to read and write; READ, WRITE and SEEK follow its <c>CanRead</c>, <c>CanWrite</c> and <c>CanSeek</c>.</param>
    /// <param name="leaveOpen">Whether <see cref="Close"/> leaves <paramref name="stream"/> open (true: the caller still owns it).</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public RawIOBridge(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Whether <see cref="Close"/> has been called.</summary>
    public bool IsClosed => _stream is null;

    /// <summary>Whether reading is allowed; false once closed.</summary>
    public bool CanRead => _stream?.CanRead ?? false;

    /// <summary>Whether writing is allowed; false once closed.</summary>
    public bool CanWrite => _stream?.CanWrite ?? false;

    /// <summary>Whether seeking is allowed; false once closed.</summary>
    public bool CanSeek => _stream?.CanSeek ?? false;

    /// <summary>Reads at most <paramref name="count"/> bytes into the memory at <paramref name="address"/>; returns how many, 0 at the end.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The stream cannot read.</exception>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    public long ReadInto(long address, long count)
    {
        var stream = Open();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!stream.CanRead)
        {
            throw new NotSupportedException("This stream has no READ capability; open it for reading.");
        }

        // One call per request: a raw stream may return fewer bytes, and Python's buffered layers loop themselves.
        var n = (int)Math.Min(count, Array.MaxLength);
        if (n == 0)
        {
            return 0;
        }

        using (new GilReleased())
        {
            return stream.Read(new Span<byte>((void*)address, n));
        }
    }

    /// <summary>Writes the <paramref name="count"/> bytes at <paramref name="address"/>; returns <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="NotSupportedException">The stream cannot write.</exception>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    public long WriteFrom(long address, long count)
    {
        var stream = Open();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!stream.CanWrite)
        {
            throw new NotSupportedException("This stream has no WRITE capability; open it for writing.");
        }

        var p = (byte*)address;
        using (new GilReleased())
        {
            for (var left = count; left > 0;)
            {
                var n = (int)Math.Min(left, Array.MaxLength);
                stream.Write(new ReadOnlySpan<byte>(p, n));
                p += n;
                left -= n;
            }
        }

        return count;
    }

    /// <summary>Moves the cursor like Python's <c>seek</c>: <paramref name="whence"/> 0 from the start, 1 from the cursor, 2 from the end.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="whence"/> is not 0, 1 or 2.</exception>
    /// <exception cref="NotSupportedException">The stream cannot seek.</exception>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    public long Seek(long offset, int whence)
    {
        var stream = RequireSeek();
        var origin = whence switch
        {
            0 => SeekOrigin.Begin,
            1 => SeekOrigin.Current,
            2 => SeekOrigin.End,
            _ => throw new ArgumentOutOfRangeException(nameof(whence), whence, $"whence {whence} is not valid; use 0 (start), 1 (current position) or 2 (end)."),
        };
        return stream.Seek(offset, origin);
    }

    /// <summary>The cursor position.</summary>
    /// <exception cref="NotSupportedException">The stream cannot seek.</exception>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    public long Tell() => RequireSeek().Position;

    /// <summary>Cuts or extends the stream to <paramref name="length"/> bytes; returns the length.</summary>
    /// <exception cref="NotSupportedException">The stream cannot seek or cannot write.</exception>
    /// <exception cref="ObjectDisposedException">The stream is closed.</exception>
    public long Truncate(long length)
    {
        var stream = RequireSeek();
        if (!stream.CanWrite)
        {
            throw new NotSupportedException("This stream has no WRITE capability; it cannot be truncated.");
        }

        stream.SetLength(length);
        return length;
    }

    /// <summary>Pushes written bytes to the underlying storage; nothing once closed.</summary>
    public void Flush() => _stream?.Flush();

    /// <summary>Flushes written bytes and ends this raw stream; the wrapped stream is disposed too unless it was left open. Later calls do nothing.</summary>
    public void Close()
    {
        var stream = Interlocked.Exchange(ref _stream, null);
        if (stream is null)
        {
            return;
        }

        try
        {
            if (stream.CanWrite)
            {
                stream.Flush();
            }
        }
        finally
        {
            if (!_leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    private Stream Open() =>
        _stream ?? throw new ObjectDisposedException(nameof(RawIOBridge), "I/O operation on a closed stream; open a new one.");

    private Stream RequireSeek()
    {
        var stream = Open();
        if (!stream.CanSeek)
        {
            throw new NotSupportedException("This stream has no SEEK capability; read or write it in order.");
        }

        return stream;
    }
}
