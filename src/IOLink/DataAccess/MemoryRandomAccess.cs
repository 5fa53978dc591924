using IOLink.Memory;

namespace IOLink.DataAccess;

/// <summary>
/// A random access over a <see cref="MemoryBlock"/>: native memory it owns, a caller's buffer, or a memory-mapped
/// file. The block is the access's source: the access holds one reference on it, and zero-copy views made from it hold their own.
/// </summary>
internal sealed unsafe class MemoryRandomAccess : RandomAccess
{
    private readonly MemoryBlock _block;
    private readonly bool _writable;

    /// <summary>Takes over the caller's reference on <paramref name="block"/>.</summary>
    public MemoryRandomAccess(MemoryBlock block, bool writable)
        : base(block.Length, block)
    {
        _block = block;
        _writable = writable;
    }

    protected internal override RandomAccessCapability CapabilitiesCore =>
        RandomAccessCapability.READ | RandomAccessCapability.MEMORY_ACCESS | (_writable ? RandomAccessCapability.WRITE : RandomAccessCapability.NONE);

    internal override MemoryBlock Block => _block;

    protected internal override void ReadCore(long offset, Span<byte> dst) =>
        new ReadOnlySpan<byte>((byte*)_block.Address + offset, dst.Length).CopyTo(dst);

    protected internal override void WriteCore(long offset, ReadOnlySpan<byte> src) =>
        src.CopyTo(new Span<byte>((byte*)_block.Address + offset, src.Length));

    protected internal override void FlushCore()
    {
        if (_block is MappedFileBlock mapped)
        {
            mapped.Flush();
        }
    }
}
