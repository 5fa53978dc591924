namespace IOLink.Memory;

/// <summary>One reference on a <see cref="RefCounted"/>, held for the length of an operation and released by <see cref="Dispose"/>.</summary>
internal readonly struct Lease : IDisposable
{
    private readonly RefCounted _target;

    public Lease(RefCounted target) => _target = target;

    public void Dispose() => _target.Release();
}
