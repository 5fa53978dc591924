using System.Diagnostics.CodeAnalysis;

namespace IOLink.Memory;

/// <summary>
/// The one lifetime mechanism of the library: something shared (memory, a file, a stream) that stays usable while
/// anyone holds a reference and is freed exactly once, when the last reference is released.
/// </summary>
/// <remarks>
/// A new instance holds one reference, its creator's. <see cref="TryAddReference"/> never revives a count that
/// reached zero, so a reference can be taken safely while another thread releases the last one: the taker then
/// fails cleanly. Every view holds one reference on its data source, and every operation that touches the data
/// holds one more for its duration (<see cref="Lease"/>), so a concurrent Dispose cannot free data under a reader.
/// </remarks>
internal abstract class RefCounted
{
    private static long s_live;
    private int _references = 1;
    private int _freed;

    protected RefCounted() => Interlocked.Increment(ref s_live);

    /// <summary>How many instances exist that have not been freed: leak tests assert that it returns to where it was.</summary>
    internal static long LiveCount => Volatile.Read(ref s_live);

    /// <summary>Whether the last reference was released (or the safety net freed the resource).</summary>
    public bool IsReleased => Volatile.Read(ref _freed) != 0;

    /// <summary>Takes a reference unless the count already reached zero; true when the caller now holds one.</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Takes a reference, or throws <see cref="ObjectDisposedException"/> naming <paramref name="publicName"/> when everything was released.</summary>
    public void AddReference(string publicName)
    {
        if (!TryAddReference())
        {
            ThrowReleased(publicName);
        }
    }

    /// <summary>Takes a reference for the length of one operation; dispose the lease when done.</summary>
    /// <exception cref="ObjectDisposedException">Everything was released already.</exception>
    public Lease Lease(string publicName)
    {
        AddReference(publicName);
        return new Lease(this);
    }

    /// <summary>Releases one reference; the last one frees the resource.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            FreeOnce();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A reference was released twice; this is a bug in IOLink.");
        }
    }

    /// <summary>Frees the resource if nothing freed it yet; for the last release and for finalizers (the safety net).</summary>
    protected void FreeOnce()
    {
        if (Interlocked.Exchange(ref _freed, 1) == 0)
        {
            Interlocked.Decrement(ref s_live);
            Free();
#pragma warning disable CA1816 // The last release plays the role of Dispose for a shared resource.
            GC.SuppressFinalize(this);
#pragma warning restore CA1816
        }
    }

    /// <summary>Frees what this instance stands for; runs exactly once.</summary>
    protected abstract void Free();

    [DoesNotReturn]
    private static void ThrowReleased(string publicName) =>
        throw new ObjectDisposedException(publicName,
            $"The data behind this {publicName} has been released: the {publicName} (and every view made from it) was disposed. Keep one of them undisposed while you use the data.");
}
