using System.Runtime.InteropServices;

namespace IOLink.Memory;

/// <summary>Native memory from <see cref="NativeMemory"/>, freed once: by its block's last reference, or by the runtime's critical finalizer when its block was never released.</summary>
/// <remarks>
/// The collector hears of native memory (<see cref="GC.AddMemoryPressure"/>) only while more than
/// <see cref="QuietBytes"/> of it is held, by blocks allocated past that mark. Views are released when disposed (from
/// Python when their object goes), so below it there is nothing a collection could free; and the runtime answers
/// pressure from a process with a small managed heap with a full blocking collection: every 32 MiB copy_in_memory
/// of a fresh Python process ran one (GC.CollectionCount(2) rose by one per call), the first calls' 5-10 ms each.
/// Past the mark, views that were never disposed still get collected and their memory freed by the finalizer.
/// </remarks>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    private static long s_liveBytes;

    private readonly bool _aligned;
    private readonly long _length;
    private readonly bool _reported;

    public NativeMemoryHandle(nint address, long length, bool aligned)
        : base(0, ownsHandle: true)
    {
        SetHandle(address);
        _aligned = aligned;
        _length = length;
        if (length > 0 && Interlocked.Add(ref s_liveBytes, length) > QuietBytes)
        {
            GC.AddMemoryPressure(length);
            _reported = true;
        }
    }

    /// <summary>
    /// How much native memory may be held before the collector is told of it: an eighth of the memory the process
    /// may use (a container's limit included), at most 2 GiB. Settable for tests.
    /// </summary>
    internal static long QuietBytes { get; set; } = Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8, 2L << 30);

    /// <summary>The bytes of native memory allocated and not yet freed, in every handle.</summary>
    internal static long LiveBytes => Interlocked.Read(ref s_liveBytes);

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
            Interlocked.Add(ref s_liveBytes, -_length);
            if (_reported)
            {
                GC.RemoveMemoryPressure(_length);
            }
        }

        return true;
    }
}
