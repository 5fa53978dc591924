namespace IOLink.Memory;

/// <summary>Resources that are not memory (a file handle, a stream), freed by a callback with the last reference.</summary>
internal sealed class Resources : RefCounted
{
    private readonly Action? _free;

    /// <param name="free">What to do when the last reference goes; null for a source with nothing to free (a uniform view's value).</param>
    public Resources(Action? free) => _free = free;

    protected override void Free() => _free?.Invoke();
}
