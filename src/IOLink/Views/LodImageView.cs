namespace IOLink;

/// <summary>
/// One image at several resolutions (levels of detail): level 0 is the image itself, positive levels are coarser
/// (each coarser than the one before), negative levels finer. An OME-Zarr image's multiscales, a pyramidal TIFF and a
/// list of views (<see cref="LodImageViewFactory.FromViews"/>) are such views. Each level is an
/// <see cref="ImageView"/> with its own shape and spatial calibration (its spacing is the level's voxel size).
/// </summary>
/// <remarks>
/// <para>The multi-resolution view owns its levels. <see cref="Resolution"/> gives a new handle on a level's data each
/// call (as <see cref="ImageViewFactory.Share"/> does): dispose it when done; it stays usable after the
/// multi-resolution view is disposed, since each handle keeps its data alive.</para>
/// <para>A view implemented outside IOLink derives from this class and provides <see cref="LevelRangeCore"/>,
/// <see cref="ResolutionCore"/> and <see cref="ReleaseResources"/>; the base checks levels and disposal.</para>
/// </remarks>
public abstract class LodImageView : IDisposable
{
    private int _disposed;

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>How many levels there are.</summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public int LevelCount
    {
        get
        {
            var (finest, coarsest) = LevelRange();
            return coarsest - finest + 1;
        }
    }

    /// <summary>The finest level (0 or negative) and the coarsest (0 or positive).</summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public (int Finest, int Coarsest) LevelRange()
    {
        ThrowIfDisposed();
        return LevelRangeCore;
    }

    /// <summary>A new handle on level <paramref name="level"/> (0: the image itself; dispose it when done).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside <see cref="LevelRange"/>; the message names the range.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public ImageView Resolution(int level)
    {
        var (finest, coarsest) = LevelRange();
        if (level < finest || level > coarsest)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                finest == coarsest ? $"This image has the one level {finest}." : $"This image has the levels {finest} to {coarsest} (0 is the full resolution, higher levels coarser).");
        }

        return ImageViewFactory.Share(ResolutionCore(level));
    }

    /// <summary>Disposes the levels the view owns; handles given by <see cref="Resolution"/> stay usable. A second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseResources();
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsDisposed)
        {
            return "LodImageView(disposed)";
        }

        var (finest, coarsest) = LevelRangeCore;
        var shapes = Enumerable.Range(finest, coarsest - finest + 1).Select(l => ResolutionCore(l).Shape.ToString());
        return $"LodImageView(levels {finest} to {coarsest}: {string.Join(", ", shapes)})";
    }

    /// <summary>The finest and the coarsest level; level 0 is always among them.</summary>
    protected abstract (int Finest, int Coarsest) LevelRangeCore { get; }

    /// <summary>The view of a level inside the range, owned by this view (the base hands out a share of it).</summary>
    protected abstract ImageView ResolutionCore(int level);

    /// <summary>Frees what the view holds (its level views); called once, by <see cref="Dispose()"/>.</summary>
    protected virtual void ReleaseResources()
    {
    }

    private void ThrowIfDisposed() =>
        ObjectDisposedException.ThrowIf(IsDisposed, this);
}
