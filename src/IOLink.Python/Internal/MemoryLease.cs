namespace IOLink.Python.Internal;

/// <summary>A handle on a view's data (from <see cref="ImageViewFactory.Share"/>) held by an exported array and disposed once, when NumPy drops it.</summary>
internal sealed class MemoryLease(ImageView held)
{
    private ImageView? _held = held;

    public void Release() => Interlocked.Exchange(ref _held, null)?.Dispose();
}
