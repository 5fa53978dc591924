using System.Buffers;

namespace IOLink.Storage;

/// <summary>
/// The bytes a store read returned, in a buffer lent from the shared pool: read them, then dispose the value, which
/// gives the buffer back. After that, <see cref="Span"/> throws rather than show bytes that are no longer its own.
/// </summary>
public sealed class StoreValue : IDisposable
{
    private byte[]? _buffer;

    /// <summary>Takes <paramref name="buffer"/> (rented from <see cref="ArrayPool{T}.Shared"/>), whose first <paramref name="length"/> bytes are the value's.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or longer than the buffer.</exception>
    public StoreValue(byte[] buffer, int length, StoreVersion version, long valueLength, long offset)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length);
        _buffer = buffer;
        Length = length;
        Version = version;
        ValueLength = valueLength;
        Offset = offset;
    }

    /// <summary>How many bytes were read.</summary>
    public int Length { get; }

    /// <summary>Where in the value they start (a range cut at the value's end starts there too).</summary>
    public long Offset { get; }

    /// <summary>The length of the whole stored value.</summary>
    public long ValueLength { get; }

    /// <summary>The version of the value the bytes come from.</summary>
    public StoreVersion Version { get; }

    /// <summary>The bytes read.</summary>
    /// <exception cref="ObjectDisposedException">The value was disposed: its buffer is no longer its own.</exception>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            var buffer = _buffer;
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsSpan(0, Length);
        }
    }

    /// <summary>
    /// The same bytes as a read of another value, <paramref name="valueLength"/> bytes long, at <paramref name="offset"/>
    /// in it: a store that keeps values inside other values (the inner chunks of a shard) hands its reads on this way,
    /// without a copy. The buffer moves to the result; this value is disposed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This value was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative, or the bytes would not fit in a value of <paramref name="valueLength"/> bytes.</exception>
    public StoreValue Rebase(long valueLength, long offset, StoreVersion version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + Length, valueLength);
        var buffer = Interlocked.Exchange(ref _buffer, null);
        ObjectDisposedException.ThrowIf(buffer is null, this);
        return new StoreValue(buffer, Length, version, valueLength, offset);
    }

    /// <summary>A copy of the bytes read, in a new array of its own.</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>Gives the buffer back to the pool; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
