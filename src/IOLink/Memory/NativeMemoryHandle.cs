using System.Runtime.InteropServices;

namespace IOLink.Memory;

/// <summary>Native memory from <see cref="NativeMemory"/>, freed once: by its block's last reference, or by the runtime's critical finalizer when its block was never released.</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    private readonly bool _aligned;
    private readonly long _length;

    public NativeMemoryHandle(nint address, long length, bool aligned)
        : base(0, ownsHandle: true)
    {
        SetHandle(address);
        _aligned = aligned;
        _length = length;
        if (length > 0)
        {
            GC.AddMemoryPressure(length);
        }
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        if (_aligned)
        {
            NativeMemory.AlignedFree((void*)handle);
        }
        else
        {
            NativeMemory.Free((void*)handle);
        }

        if (_length > 0)
        {
            GC.RemoveMemoryPressure(_length);
        }

        return true;
    }
}
