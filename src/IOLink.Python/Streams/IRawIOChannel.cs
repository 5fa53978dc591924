namespace IOLink.Python;

/// <summary>
/// The byte stream operations that Python's <c>iolink.StreamAccessRawIO</c> needs: what a StreamAccess offers
/// (read, write, seek, tell and its READ/WRITE/SEEK capabilities), small enough to implement over any source.
/// </summary>
/// <remarks>
/// Reads and writes take spans so that <see cref="RawIOChannel"/> can hand over the Python caller's own buffer:
/// data goes straight between the stream and that buffer, with no intermediate copy.
/// </remarks>
public interface IRawIOChannel : IDisposable
{
    /// <summary>Whether <see cref="Read"/> is allowed (the READ capability).</summary>
    bool CanRead { get; }

    /// <summary>Whether <see cref="Write"/> is allowed (the WRITE capability).</summary>
    bool CanWrite { get; }

    /// <summary>Whether <see cref="Seek"/>, <see cref="Position"/> and <see cref="SetLength"/> are allowed (the SEEK capability).</summary>
    bool CanSeek { get; }

    /// <summary>The cursor, in bytes from the start.</summary>
    long Position { get; }

    /// <summary>Reads at most <paramref name="destination"/>.Length bytes at the cursor; 0 only at the end of the stream.</summary>
    int Read(Span<byte> destination);

    /// <summary>Writes all of <paramref name="source"/> at the cursor, growing the stream at its end.</summary>
    void Write(ReadOnlySpan<byte> source);

    /// <summary>Moves the cursor and returns its new position.</summary>
    long Seek(long offset, SeekOrigin origin);

    /// <summary>Cuts or extends the stream to <paramref name="length"/> bytes.</summary>
    void SetLength(long length);

    /// <summary>Pushes written bytes to the underlying storage.</summary>
    void Flush();
}
