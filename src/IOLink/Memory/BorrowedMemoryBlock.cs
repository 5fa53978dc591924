namespace IOLink.Memory;

/// <summary>Memory that belongs to someone else; an optional owner is disposed with the last reference.</summary>
internal sealed class BorrowedMemoryBlock : MemoryBlock
{
    private readonly IDisposable? _owner;

    public BorrowedMemoryBlock(nint address, long length, IDisposable? owner = null)
        : base(address, length) => _owner = owner;

    protected override void Free() => _owner?.Dispose();
}
