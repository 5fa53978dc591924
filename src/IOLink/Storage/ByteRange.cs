namespace IOLink.Storage;

/// <summary>
/// Which bytes of a stored value a read takes: all of them, those from an offset on, a run of a given length, or the
/// last bytes (a shard index at the end of its shard). A range reaching past the end of the value is cut at the end,
/// as an HTTP server answers <c>Range: bytes=</c>; the reader checks the length it got.
/// </summary>
public readonly record struct ByteRange
{
    private ByteRange(long offset, long length, bool suffix)
    {
        Offset = offset;
        Length = length;
        IsSuffix = suffix;
    }

    /// <summary>The whole value.</summary>
    public static ByteRange All => new(0, -1, suffix: false);

    /// <summary>Where the range starts (0 for <see cref="All"/> and for a suffix).</summary>
    public long Offset { get; }

    /// <summary>How many bytes the range holds; -1 for "to the end".</summary>
    public long Length { get; }

    /// <summary>Whether the range is the last <see cref="Length"/> bytes of the value.</summary>
    public bool IsSuffix { get; }

    /// <summary>Whether the range is the whole value.</summary>
    public bool IsAll => Offset == 0 && Length < 0 && !IsSuffix;

    /// <summary>The bytes from <paramref name="offset"/> to the end.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public static ByteRange From(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new ByteRange(offset, -1, suffix: false);
    }

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, or the range ends past 2^63 bytes.</exception>
    public static ByteRange Of(long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset > long.MaxValue - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A range of {length} bytes from {offset} ends past what a 64-bit offset counts.");
        }

        return new ByteRange(offset, length, suffix: false);
    }

    /// <summary>The last <paramref name="length"/> bytes (all of a shorter value).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static ByteRange Last(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ByteRange(0, length, suffix: true);
    }

    /// <summary>Where the range starts and how many bytes it holds in a value of <paramref name="valueLength"/> bytes, cut at its end.</summary>
    public (long Start, long Count) Within(long valueLength)
    {
        if (IsSuffix)
        {
            var count = Math.Min(Length, valueLength);
            return (valueLength - count, count);
        }

        var start = Math.Min(Offset, valueLength);
        var rest = valueLength - start;
        return (start, Length < 0 ? rest : Math.Min(Length, rest));
    }

    /// <inheritdoc/>
    public override string ToString() => IsSuffix ? $"last {Length} bytes" : Length < 0 ? (Offset == 0 ? "all bytes" : $"bytes {Offset}-") : $"bytes {Offset}-{Offset + Length - 1}";
}
