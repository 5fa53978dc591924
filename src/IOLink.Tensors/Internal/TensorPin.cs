using System.Buffers;

namespace IOLink.Tensors.Internal;

/// <summary>
/// Keeps an imported tensor's backing array pinned and referenced for as long as a view uses its memory. The
/// view's memory block disposes it with the last view; the finalizer unpins if views were never disposed (by
/// then no view can reach the memory any more).
/// </summary>
internal sealed class TensorPin : IDisposable
{
    private MemoryHandle _handle;
    private object? _tensor;
    private int _disposed;

    public TensorPin(MemoryHandle handle, object tensor)
    {
        _handle = handle;
        _tensor = tensor;
    }

    /// <summary>The tensor held, or null once released.</summary>
    public object? Tensor => Volatile.Read(ref _tensor);

    ~TensorPin() => Release();

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handle.Dispose();
            Volatile.Write(ref _tensor, null);
        }
    }
}
