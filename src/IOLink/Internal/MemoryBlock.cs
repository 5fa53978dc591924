using System.Runtime.InteropServices;

namespace IOLink.Internal;

/// <summary>
/// A range of addressable memory shared by every view that points into it. Each view holds one reference; the
/// memory is released when the last reference is released, or by the finalizer when views were never disposed.
/// </summary>
internal abstract class MemoryBlock
{
    private int _references = 1;

    protected MemoryBlock(nint address, long length)
    {
        Address = address;
        Length = length;
    }

    public nint Address { get; }

    public long Length { get; }

    public bool Contains(nint start, long byteCount) =>
        start >= Address && byteCount >= 0 && (long)(start - Address) <= Length - byteCount;

    public void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            throw new ObjectDisposedException(nameof(MemoryBlock), "The memory behind this view has already been released.");
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Free();
#pragma warning disable CA1816 // The last reference plays the role of Dispose for this shared block.
            GC.SuppressFinalize(this);
#pragma warning restore CA1816
        }
    }

    protected abstract void Free();
}

/// <summary>Zeroed native memory owned by the views: freed with the last reference.</summary>
internal sealed unsafe class NativeMemoryBlock : MemoryBlock
{
    private NativeMemoryBlock(nint address, long length)
        : base(address, length)
    {
        if (length > 0)
        {
            GC.AddMemoryPressure(length);
        }
    }

    public static NativeMemoryBlock Allocate(long length)
    {
        // calloc-backed: large volumes get lazily zeroed pages from the OS instead of an explicit clear.
        void* p;
        try
        {
            p = NativeMemory.AllocZeroed((nuint)Math.Max(length, 1));
        }
        catch (OutOfMemoryException ex)
        {
            throw new InsufficientMemoryException($"Could not allocate {length} bytes for an image view; use a smaller shape or a view on disk (ImageViewFactory.CreateOnDisk).", ex);
        }

        return new NativeMemoryBlock((nint)p, length);
    }

    ~NativeMemoryBlock() => Free();

    protected override void Free()
    {
        NativeMemory.Free((void*)Address);
        if (Length > 0)
        {
            GC.RemoveMemoryPressure(Length);
        }
    }
}

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

    ~PinnedArrayBlock() => Free();

    protected override void Free()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }
}

/// <summary>Memory that belongs to someone else; an optional owner is disposed with the last reference.</summary>
internal sealed class BorrowedMemoryBlock : MemoryBlock
{
    private readonly IDisposable? _owner;

    public BorrowedMemoryBlock(nint address, long length, IDisposable? owner = null)
        : base(address, length) => _owner = owner;

    protected override void Free() => _owner?.Dispose();
}
