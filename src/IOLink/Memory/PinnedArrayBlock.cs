using System.Runtime.InteropServices;

namespace IOLink.Memory;

/// <summary>A managed array pinned for as long as views point into it.</summary>
internal sealed class PinnedArrayBlock : MemoryBlock
{
    private GCHandle _handle;

    private PinnedArrayBlock(GCHandle handle, long length)
        : base(handle.AddrOfPinnedObject(), length) => _handle = handle;

    public static unsafe PinnedArrayBlock Pin<T>(T[] array)
        where T : unmanaged
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        return new PinnedArrayBlock(handle, (long)array.Length * sizeof(T));
    }

    // The safety net when views were never disposed: an unreleased pin would keep the array fixed forever.
    ~PinnedArrayBlock() => FreeOnce();

    protected override void Free()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }
}
