using System.ComponentModel;
using IOLink.Python.Internal;

namespace IOLink.Python;

/// <summary>
/// The .NET half of Python's <c>iolink.StreamAccessRawIO</c>: an <see cref="IRawIOChannel"/> driven with raw
/// addresses of Python buffers, so <c>readinto</c> fills the caller's buffer directly and <c>write</c> reads the
/// caller's bytes in place. It owns the byte stream it wraps and disposes it on <see cref="Close"/>.
/// </summary>
/// <remarks>
/// Addresses come from the Python side, which holds the buffer (a memoryview export) for the duration of each call;
/// that is why these members take <c>long</c> addresses rather than spans. Not for use from several threads at once,
/// like the stream it wraps.
/// </remarks>
public sealed unsafe class RawIOChannel : IDisposable
{
    private IRawIOChannel? _stream;

    /// <summary>Wraps <paramref name="stream"/>, taking ownership of it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public RawIOChannel(IRawIOChannel stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>A channel over an IOLink stream access: capabilities, reads and writes pass straight through.</summary>
    /// <param name="access">The stream access.</param>
    /// <param name="leaveOpen">Whether <see cref="Close"/> leaves <paramref name="access"/> open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="access"/> is null.</exception>
    public static RawIOChannel FromStreamAccess(StreamAccess access, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(access);
        return new RawIOChannel(new StreamAccessChannel(access, leaveOpen));
    }

    /// <summary>Wraps a .NET stream; READ, WRITE and SEEK follow its <c>CanRead</c>, <c>CanWrite</c> and <c>CanSeek</c>.</summary>
    /// <param name="stream">The stream to read and write.</param>
    /// <param name="leaveOpen">Whether <see cref="Close"/> leaves <paramref name="stream"/> open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static RawIOChannel FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new RawIOChannel(new StreamChannel(stream, leaveOpen));
    }

    /// <summary>A growable stream in memory, readable, writable and seekable, empty at first.</summary>
    public static RawIOChannel Allocate() => FromStreamAccess(StreamAccessFactory.Allocate());

    /// <summary>Opens a file for reading through an IOLink file stream access (Python's BufferedReader does the buffering).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static RawIOChannel OpenFileRead(string path) => FromStreamAccess(StreamAccessFactory.OpenFileRead(path));

    /// <summary>Creates (or truncates) a file for writing and seeking through an IOLink file stream access.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static RawIOChannel OpenFileWrite(string path) => FromStreamAccess(StreamAccessFactory.OpenFileWrite(path));

    /// <summary>Borrows <paramref name="byteLength"/> bytes at <paramref name="address"/> as a fixed-size stream; the caller keeps them valid until closed.</summary>
    /// <exception cref="ArgumentException">The address is zero while the length is not, or the length is negative.</exception>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static RawIOChannel FromBuffer(long address, long byteLength, bool writable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        if (address == 0 && byteLength != 0)
        {
            throw new ArgumentException("The buffer address is zero; pass the address of the first byte.", nameof(address));
        }

        return FromStreamAccess(StreamAccessFactory.FromBuffer((nint)address, byteLength, writable));
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
        return n == 0 ? 0 : stream.Read(new Span<byte>((void*)address, n));
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
        for (var left = count; left > 0;)
        {
            var n = (int)Math.Min(left, Array.MaxLength);
            stream.Write(new ReadOnlySpan<byte>(p, n));
            p += n;
            left -= n;
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

    /// <summary>Flushes and closes the wrapped stream; later calls do nothing.</summary>
    /// <summary>
    /// A second channel over the same stream that does not own it: closing the share (a Python raw stream being
    /// collected, say) leaves this channel and its stream open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This channel is closed.</exception>
    public RawIOChannel Share() => new(new BorrowedChannel(Open()));

    /// <summary>Closes the channel and, unless it was made with leaveOpen or by <see cref="Share"/>, its stream.</summary>
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
            stream.Dispose();
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    private IRawIOChannel Open() =>
        _stream ?? throw new ObjectDisposedException(nameof(RawIOChannel), "I/O operation on a closed stream; open a new one.");

    private IRawIOChannel RequireSeek()
    {
        var stream = Open();
        if (!stream.CanSeek)
        {
            throw new NotSupportedException("This stream has no SEEK capability; read or write it in order.");
        }

        return stream;
    }
}

/// <summary>A channel that forwards to another and never disposes it.</summary>
internal sealed class BorrowedChannel(IRawIOChannel inner) : IRawIOChannel
{
    public bool CanRead => inner.CanRead;

    public bool CanWrite => inner.CanWrite;

    public bool CanSeek => inner.CanSeek;

    public long Position => inner.Position;

    public int Read(Span<byte> destination) => inner.Read(destination);

    public void Write(ReadOnlySpan<byte> source) => inner.Write(source);

    public long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public void SetLength(long length) => inner.SetLength(length);

    public void Flush() => inner.Flush();

    public void Dispose()
    {
    }
}
