namespace IOLink.Memory;

/// <summary>
/// A range of addressable memory shared by every view and access that points into it. Each holder has one
/// reference; the memory is released with the last one (or by the block's safety net when holders were never disposed).
/// </summary>
internal abstract class MemoryBlock : RefCounted
{
    protected MemoryBlock(nint address, long length)
    {
        Address = address;
        Length = length;
    }

    public nint Address { get; }

    public long Length { get; }

    /// <summary>Whether <paramref name="byteCount"/> bytes from <paramref name="start"/> lie inside the block.</summary>
    public bool Contains(nint start, long byteCount) =>
        start >= Address && byteCount >= 0 && (long)(start - Address) <= Length - byteCount;
}
