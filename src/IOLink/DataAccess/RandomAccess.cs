using IOLink.DataAccess;
using IOLink.Memory;

namespace IOLink;

/// <summary>
/// A fixed-size range of bytes read and written at offsets: the same call gives the same result, nothing moves,
/// and reads are safe from several threads at once. Made by <see cref="RandomAccessFactory"/> over memory, files
/// (read, write, memory-mapped) or a seekable <see cref="Stream"/>.
/// </summary>
/// <remarks>
/// Image views built on an access (<see cref="ImageViewFactory.FromRandomAccess"/>) keep the data behind it alive,
/// so disposing the access while such views exist only ends this handle: the file or memory is released with the
/// last view. After <see cref="Dispose()"/>, <see cref="Capabilities"/> is NONE and reads and writes through this
/// handle throw <see cref="ObjectDisposedException"/>.
/// </remarks>
public abstract unsafe class RandomAccess : IDisposable
{
    /// <summary>The largest single transfer: spans are int-sized, so longer runs are split into calls of this size.</summary>
    internal const int MaxTransfer = 1 << 30;

    private int _userDisposed;

    /// <summary>
    /// For an access implemented outside IOLink: <paramref name="size"/> bytes, read by <see cref="ReadCore"/> and
    /// written by <see cref="WriteCore"/> over ranges the base has checked, and whatever the access holds freed by
    /// <see cref="ReleaseResources"/> once the handle and every view made from it are gone (each call holds the access
    /// for its duration). Such an access never has MEMORY_ACCESS.
    /// </summary>
    /// <param name="size">The number of bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    protected RandomAccess(long size)
        : this(CheckedSize(size), null)
    {
    }

    /// <param name="size">The number of bytes.</param>
    /// <param name="source">The data behind the access with one reference for it (a memory block), or null for an access whose
    /// resources are freed by <see cref="ReleaseResources"/> once the handle and every view on it are gone.</param>
    private protected RandomAccess(long size, RefCounted? source = null)
    {
        Size = size;
        Source = source ?? new Resources(ReleaseResources);
    }

    /// <summary>What keeps the data alive: the handle holds one reference, each view one, each call one for its duration.</summary>
    internal RefCounted Source { get; }

    /// <summary>The number of bytes; fixed for the life of the access.</summary>
    public long Size { get; }

    /// <summary>What this access can do; NONE once disposed.</summary>
    public RandomAccessCapability Capabilities => IsDisposed ? RandomAccessCapability.NONE : Effective;

    /// <summary>What the access says it can do, without MEMORY_ACCESS when it has no memory block (one implemented outside IOLink).</summary>
    private RandomAccessCapability Effective => Block is null ? CapabilitiesCore & ~RandomAccessCapability.MEMORY_ACCESS : CapabilitiesCore;

    /// <summary>Whether the access has every capability in <paramref name="capability"/>.</summary>
    public bool Support(RandomAccessCapability capability) => (Capabilities & capability) == capability;

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _userDisposed) != 0;

    /// <summary>The address of byte 0, for accesses with MEMORY_ACCESS; valid until the access (and every view made from it) is disposed.</summary>
    /// <exception cref="NotSupportedException">The access does not have MEMORY_ACCESS.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public nint Buffer
    {
        get
        {
            Require(RandomAccessCapability.MEMORY_ACCESS, nameof(Buffer));
            return Block!.Address;
        }
    }

    /// <summary>Fills <paramref name="dst"/> with the bytes starting at <paramref name="offset"/>. Safe to call from several threads at once.</summary>
    /// <returns>The number of bytes read, always <paramref name="dst"/>'s length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative, or the read goes past <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException">The access does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public long Read(long offset, Span<byte> dst)
    {
        Require(RandomAccessCapability.READ, nameof(Read));
        CheckRange(offset, dst.Length, "Reading");
        if (dst.IsEmpty)
        {
            return 0;
        }

        using (Source.Lease(nameof(RandomAccess)))
        {
            ReadCore(offset, dst);
        }

        return dst.Length;
    }

    /// <summary>Writes all of <paramref name="src"/> at <paramref name="offset"/>; nothing is written when the range does not fit.</summary>
    /// <returns>The number of bytes written, always <paramref name="src"/>'s length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative, or the write goes past <see cref="Size"/>.</exception>
    /// <exception cref="NotSupportedException">The access does not have WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public long Write(long offset, ReadOnlySpan<byte> src)
    {
        Require(RandomAccessCapability.WRITE, nameof(Write));
        CheckRange(offset, src.Length, "Writing");
        if (src.IsEmpty)
        {
            return 0;
        }

        using (Source.Lease(nameof(RandomAccess)))
        {
            WriteCore(offset, src);
        }

        return src.Length;
    }

    /// <summary>Makes written bytes durable in the file underneath (a no-op for memory).</summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    /// <exception cref="IOException">The underlying file or stream failed.</exception>
    public void Flush()
    {
        ThrowIfDisposed();
        using (Source.Lease(nameof(RandomAccess)))
        {
            FlushCore();
        }
    }

    /// <summary>
    /// This access as a seekable <see cref="Stream"/> of fixed length with its own position, passing the caller's
    /// buffers straight through; disposing it leaves the access open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    public Stream AsStream()
    {
        ThrowIfDisposed();
        return new RandomAccessStream(this);
    }

    /// <summary>Ends this handle; the memory or file is released now, or with the last view made from the access.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _userDisposed, 1) == 0)
        {
            Source.Release();
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandomAccess(size: {Size}, capabilities: {AccessThrowHelper.Describe(Capabilities)})";

    // ---- what each kind of access provides; ranges are checked and the data is alive ----

    /// <summary>What the access can do (READ, WRITE; MEMORY_ACCESS only for IOLink's own accesses over memory).</summary>
    protected internal abstract RandomAccessCapability CapabilitiesCore { get; }

    /// <summary>The memory behind an access with MEMORY_ACCESS; null otherwise.</summary>
    internal virtual MemoryBlock? Block => null;

    /// <summary>Fills all of <paramref name="dst"/> from <paramref name="offset"/> (the range is inside <see cref="Size"/>).</summary>
    protected internal abstract void ReadCore(long offset, Span<byte> dst);

    /// <summary>Writes all of <paramref name="src"/> at <paramref name="offset"/> (the range is inside <see cref="Size"/>, and the access has WRITE).</summary>
    protected internal abstract void WriteCore(long offset, ReadOnlySpan<byte> src);

    /// <summary>Makes written bytes durable; nothing by default.</summary>
    protected internal virtual void FlushCore()
    {
    }

    /// <summary>Frees what the access holds (a file, a stream); runs once, when the handle and every view on it are gone. Accesses over a memory block free nothing here: the block frees itself.</summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>Takes a reference on the data for a view made from this access: the data stays usable until that view is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The access has been disposed.</exception>
    internal RefCounted ShareSource()
    {
        ThrowIfDisposed();
        Source.AddReference(nameof(RandomAccess));
        return Source;
    }

    internal void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            AccessThrowHelper.Disposed(this);
        }
    }

    internal void Require(RandomAccessCapability capability, string operation)
    {
        ThrowIfDisposed();
        var has = Effective;
        if ((has & capability) != capability)
        {
            AccessThrowHelper.MissingCapability(capability & ~has, operation, has);
        }
    }

    private void CheckRange(long offset, int count, string verb)
    {
        if (offset < 0)
        {
            AccessThrowHelper.NegativeOffset(offset, nameof(offset));
        }

        if (offset > Size || count > Size - offset)
        {
            AccessThrowHelper.PastEnd(verb, count, offset, Size, nameof(offset));
        }
    }

    /// <summary>Reads a range of any length in transfers of at most <see cref="MaxTransfer"/> bytes.</summary>
    internal void ReadLong(long offset, byte* dst, long count)
    {
        while (count > 0)
        {
            var n = (int)Math.Min(count, MaxTransfer);
            ReadCore(offset, new Span<byte>(dst, n));
            offset += n;
            dst += n;
            count -= n;
        }
    }

    /// <summary>Whether gathering many reads into one <see cref="ReadRuns"/> call is faster than one read after another (a remote access coalesces and fetches them concurrently).</summary>
    internal virtual bool GathersReads => false;

    /// <summary>Reads each run (an offset, a length, where its bytes go); an access that <see cref="GathersReads"/> coalesces nearby runs.</summary>
    internal virtual void ReadRuns(List<ReadRun> runs)
    {
        foreach (var run in runs)
        {
            ReadLong(run.Offset, (byte*)run.Destination, run.Length);
        }
    }

    /// <summary>Writes a range of any length in transfers of at most <see cref="MaxTransfer"/> bytes.</summary>
    internal void WriteLong(long offset, byte* src, long count)
    {
        while (count > 0)
        {
            var n = (int)Math.Min(count, MaxTransfer);
            WriteCore(offset, new ReadOnlySpan<byte>(src, n));
            offset += n;
            src += n;
            count -= n;
        }
    }

    private static long CheckedSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size;
    }
}

/// <summary>One read of <see cref="RandomAccess.ReadRuns"/>: <paramref name="Length"/> bytes at <paramref name="Offset"/>, to <paramref name="Destination"/>.</summary>
internal readonly record struct ReadRun(long Offset, long Length, nint Destination);
