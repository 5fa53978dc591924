namespace IOLink;

/// <summary>
/// An ordered collection of image views (frames) that need not be related: the pages of a multi-page TIFF, the
/// series of a file, a time series whose frames differ in size. READ gives the frames; WRITE allows adding, inserting,
/// replacing and removing them. Made by <see cref="MultiImageViewFactory.FromViews"/>; formats make their own.
/// </summary>
/// <remarks>
/// The collection owns its frames: it keeps its own handle on each view it is given (the caller's stays the
/// caller's), and <see cref="At"/> gives a new handle on a frame each call (dispose it when done; it stays usable
/// after the collection is disposed). Changing the collection is not safe from several threads at once.
/// </remarks>
public abstract class MultiImageView : IDisposable
{
    private int _disposed;

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>What the collection can do: READ, and WRITE when frames may be added, replaced and removed; NONE once disposed.</summary>
    public ImageCapability Capabilities => IsDisposed ? ImageCapability.NONE : CapabilitiesCore & (ImageCapability.READ | ImageCapability.WRITE);

    /// <summary>How many frames there are.</summary>
    /// <exception cref="ObjectDisposedException">The collection has been disposed.</exception>
    public int Count
    {
        get
        {
            ThrowIfDisposed();
            return CountCore;
        }
    }

    /// <summary>A new handle on frame <paramref name="index"/> (dispose it when done).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such frame; the message gives the count.</exception>
    /// <exception cref="NotSupportedException">The collection lacks READ.</exception>
    /// <exception cref="ObjectDisposedException">The collection has been disposed.</exception>
    public ImageView At(int index)
    {
        Require(ImageCapability.READ, nameof(At));
        CheckIndex(index, CountCore);
        return ImageViewFactory.Share(AtCore(index));
    }

    /// <summary>Adds <paramref name="view"/> as the last frame (the collection takes its own handle on it).</summary>
    /// <exception cref="NotSupportedException">The collection lacks WRITE.</exception>
    public void Add(ImageView view) => Insert(Count, view);

    /// <summary>Inserts <paramref name="view"/> before frame <paramref name="index"/> (<see cref="Count"/> appends).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not from 0 to <see cref="Count"/>.</exception>
    /// <exception cref="NotSupportedException">The collection lacks WRITE.</exception>
    /// <exception cref="ObjectDisposedException">The collection or the view has been disposed.</exception>
    public void Insert(int index, ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        Require(ImageCapability.WRITE, nameof(Insert));
        CheckIndex(index, CountCore + 1);
        var own = ImageViewFactory.Share(view);
        try
        {
            InsertCore(index, own);
        }
        catch
        {
            own.Dispose();
            throw;
        }
    }

    /// <summary>Replaces frame <paramref name="index"/> by <paramref name="view"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such frame.</exception>
    /// <exception cref="NotSupportedException">The collection lacks WRITE.</exception>
    public void Set(int index, ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        Require(ImageCapability.WRITE, nameof(Set));
        CheckIndex(index, CountCore);
        var own = ImageViewFactory.Share(view);
        try
        {
            SetCore(index, own);
        }
        catch
        {
            own.Dispose();
            throw;
        }
    }

    /// <summary>Removes frame <paramref name="index"/> (handles given out on it stay usable).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such frame.</exception>
    /// <exception cref="NotSupportedException">The collection lacks WRITE.</exception>
    public void Remove(int index)
    {
        Require(ImageCapability.WRITE, nameof(Remove));
        CheckIndex(index, CountCore);
        RemoveCore(index);
    }

    /// <summary>Disposes the frames the collection owns; handles given by <see cref="At"/> stay usable. A second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseResources();
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => IsDisposed ? "MultiImageView(disposed)" : $"MultiImageView({CountCore} frames)";

    /// <summary>READ, and WRITE when the collection may change.</summary>
    protected abstract ImageCapability CapabilitiesCore { get; }

    /// <summary>How many frames there are.</summary>
    protected abstract int CountCore { get; }

    /// <summary>Frame <paramref name="index"/> (checked), owned by the collection.</summary>
    protected abstract ImageView AtCore(int index);

    /// <summary>Inserts a frame the collection now owns at a checked index.</summary>
    protected virtual void InsertCore(int index, ImageView view) => throw new NotSupportedException("This collection cannot change.");

    /// <summary>Replaces a frame by one the collection now owns (the old one is the collection's to dispose).</summary>
    protected virtual void SetCore(int index, ImageView view) => throw new NotSupportedException("This collection cannot change.");

    /// <summary>Removes a frame (the collection's to dispose).</summary>
    protected virtual void RemoveCore(int index) => throw new NotSupportedException("This collection cannot change.");

    /// <summary>Frees what the collection holds; called once, by <see cref="Dispose()"/>.</summary>
    protected virtual void ReleaseResources()
    {
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private void Require(ImageCapability capability, string operation)
    {
        ThrowIfDisposed();
        if ((Capabilities & capability) != capability)
        {
            throw new NotSupportedException($"{operation} needs the {capability} capability, and this collection has only {Capabilities}.");
        }
    }

    private static void CheckIndex(int index, int count)
    {
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                count == 0 ? "The collection has no frames; add one first." : $"The index must be from 0 to {count - 1}.");
        }
    }
}
