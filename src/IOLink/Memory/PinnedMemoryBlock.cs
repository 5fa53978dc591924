using System.Buffers;

namespace IOLink.Memory;

/// <summary>A caller's <see cref="Memory{T}"/>, pinned for as long as an access or a view uses it.</summary>
internal sealed unsafe class PinnedMemoryBlock : MemoryBlock
{
    private MemoryHandle _handle;

    private PinnedMemoryBlock(MemoryHandle handle, long length)
        : base((nint)handle.Pointer, length) => _handle = handle;

    public static PinnedMemoryBlock Pin(Memory<byte> memory) => new(memory.Pin(), memory.Length);

    ~PinnedMemoryBlock() => FreeOnce();

    protected override void Free() => _handle.Dispose();
}
