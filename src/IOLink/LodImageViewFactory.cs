namespace IOLink;

/// <summary>Makes multi-resolution views (<see cref="LodImageView"/>).</summary>
public static class LodImageViewFactory
{
    /// <summary>
    /// The views as levels 0, 1, ... of one image, finest first: each of the same data type, rank and axes
    /// interpretation, and no longer than the one before along any dimension and shorter along one. The
    /// multi-resolution view keeps its own handle on each view (the caller's stay the caller's).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="views"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no views, or they are not levels of one image (the message names the first that is not).</exception>
    /// <exception cref="ObjectDisposedException">A view has been disposed.</exception>
    public static LodImageView FromViews(IEnumerable<ImageView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var list = views.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A multi-resolution view needs at least one level; give the full-resolution view first.", nameof(views));
        }

        for (var i = 0; i < list.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], $"{nameof(views)}[{i}]");
            list[i].ThrowIfDisposed();
            if (i == 0)
            {
                continue;
            }

            var (previous, level) = (list[i - 1], list[i]);
            if (level.DataType != previous.DataType || level.DimensionCount != previous.DimensionCount || level.AxesInterpretation != previous.AxesInterpretation)
            {
                throw new ArgumentException(
                    $"Level {i} is {level.DataType} of shape {level.Shape} ({level.AxesInterpretation}) and level {i - 1} {previous.DataType} of shape {previous.Shape} ({previous.AxesInterpretation}); the levels of one image have the same data type and axes.",
                    nameof(views));
            }

            var smaller = false;
            for (var d = 0; d < level.DimensionCount; d++)
            {
                if (level.Shape[d] > previous.Shape[d])
                {
                    throw new ArgumentException($"Level {i} of shape {level.Shape} is larger than level {i - 1} of shape {previous.Shape} along dimension {d}; give the levels finest first.", nameof(views));
                }

                smaller |= level.Shape[d] < previous.Shape[d];
            }

            if (!smaller)
            {
                throw new ArgumentException($"Level {i} has the shape {level.Shape} of level {i - 1}; each level is coarser than the one before.", nameof(views));
            }
        }

        var owned = ImageViewFactory.ShareAll(list);

        return new ListLodImageView(owned);
    }

    /// <summary>
    /// A multi-resolution view of <paramref name="view"/> with <paramref name="levelCount"/> levels, each half the
    /// previous one along the spatial dimensions (COLUMN, ROW, SLICE; every dimension when the axes are UNKNOWN),
    /// lengths rounded up: level 0 is the view itself. Lazy: no level is computed until it is read, and nothing is
    /// stored (write it as an OME-Zarr pyramid to keep it). <see cref="DownsampleMethod.Mean"/> averages the 2, 4
    /// or 8 elements a coarse element covers (rounded to nearest for integers), and puts its origin at their
    /// centre; <see cref="DownsampleMethod.Nearest"/> keeps every second element (a strided view where the view has
    /// memory). Each level's spacing doubles along the halved axes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levelCount"/> is below 1, or more levels than halving can make (the message says how many).</exception>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static LodImageView Downsample(ImageView view, int levelCount, DownsampleMethod method = DownsampleMethod.Mean)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfLessThan(levelCount, 1);
        view.Require(ImageCapability.READ, nameof(Downsample));
        if (method is not (DownsampleMethod.Mean or DownsampleMethod.Nearest))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Use DownsampleMethod.Mean or DownsampleMethod.Nearest.");
        }

        var axes = view.AxesInterpretation;
        var halved = new bool[view.DimensionCount];
        for (var d = 0; d < halved.Length; d++)
        {
            halved[d] = !axes.IsKnown || axes.Dimensions[d] is ImageDimension.COLUMN or ImageDimension.ROW or ImageDimension.SLICE;
        }

        if (!halved.Contains(true))
        {
            throw new ArgumentException($"The view's axes ({axes}) have no spatial dimension (COLUMN, ROW, SLICE) to halve.", nameof(view));
        }

        var levels = new List<ImageView> { ImageViewFactory.Share(view) };
        try
        {
            while (levels.Count < levelCount)
            {
                var previous = levels[^1];
                if (!Enumerable.Range(0, halved.Length).Any(d => halved[d] && previous.Shape[d] > 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(levelCount), levelCount,
                        $"Halving {view.Shape} makes {levels.Count} levels, down to {previous.Shape}; ask for at most {levels.Count}.");
                }

                if (method == DownsampleMethod.Nearest)
                {
                    levels.Add(ImageViewFactory.SubSample(previous, new VectorXu64(halved.Select(h => h ? 2UL : 1UL).ToArray())));
                    continue;
                }

                var properties = previous.Properties.Clone();
                for (var d = 0; d < halved.Length; d++)
                {
                    if (halved[d] && axes.IsKnown)
                    {
                        properties.ShiftSpatialOrigin(axes, d, 0.5);
                        properties.ScaleSpatialAxis(axes, d, 2);
                    }
                }

                var share = ImageViewFactory.Share(previous);
                try
                {
                    levels.Add(new Views.DownsampledImageView(share, halved, properties));
                }
                catch
                {
                    share.Dispose();
                    throw;
                }
            }

            return FromViews(levels);
        }
        finally
        {
            levels.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Levels 0 to n - 1, held in a list.</summary>
    private sealed class ListLodImageView(List<ImageView> levels) : LodImageView
    {
        protected override (int Finest, int Coarsest) LevelRangeCore => (0, levels.Count - 1);

        protected override ImageView ResolutionCore(int level) => levels[level];

        protected override void ReleaseResources() => levels.ForEach(v => v.Dispose());
    }
}

/// <summary>How <see cref="LodImageViewFactory.Downsample"/> makes a coarser level.</summary>
public enum DownsampleMethod
{
    /// <summary>The mean of the elements a coarse element covers (rounded to nearest for integer types).</summary>
    Mean,

    /// <summary>Every second element, starting at the first.</summary>
    Nearest,
}

/// <summary>Makes collections of frames (<see cref="MultiImageView"/>).</summary>
public static class MultiImageViewFactory
{
    /// <summary>
    /// The views as frames 0, 1, ... of a collection, which keeps its own handle on each (the caller's stay the
    /// caller's); with <paramref name="writable"/>, frames may be added, replaced and removed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="views"/> or one of them is null.</exception>
    /// <exception cref="ObjectDisposedException">A view has been disposed.</exception>
    public static MultiImageView FromViews(IEnumerable<ImageView> views, bool writable = true)
    {
        ArgumentNullException.ThrowIfNull(views);
        var list = views.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], $"{nameof(views)}[{i}]");
            list[i].ThrowIfDisposed();
        }

        var owned = ImageViewFactory.ShareAll(list);

        return new ListMultiImageView(owned, writable);
    }

    /// <summary>Frames held in a list.</summary>
    private sealed class ListMultiImageView(List<ImageView> frames, bool writable) : MultiImageView
    {
        protected override ImageCapability CapabilitiesCore => ImageCapability.READ | (writable ? ImageCapability.WRITE : ImageCapability.NONE);

        protected override int CountCore => frames.Count;

        protected override ImageView AtCore(int index) => frames[index];

        protected override void InsertCore(int index, ImageView view) => frames.Insert(index, view);

        protected override void SetCore(int index, ImageView view)
        {
            var old = frames[index];
            frames[index] = view;
            old.Dispose();
        }

        protected override void RemoveCore(int index)
        {
            var old = frames[index];
            frames.RemoveAt(index);
            old.Dispose();
        }

        protected override void ReleaseResources() => frames.ForEach(v => v.Dispose());
    }
}
