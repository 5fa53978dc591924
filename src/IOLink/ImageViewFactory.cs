using IOLink.Internal;
using IOLink.Layout;
using IOLink.Memory;
using IOLink.Views;

namespace IOLink;

/// <summary>
/// Makes image views: allocated, wrapped around memory, and derived from other views. Derived views share the
/// data of the view they come from (no copy) and keep it alive until they are disposed themselves.
/// </summary>
public static unsafe partial class ImageViewFactory
{
    /// <summary>Allocates a view over new zeroed native memory, owned by the view and freed when it (and every view made from it) is disposed.</summary>
    /// <param name="shape">The size of each dimension, each at least 1.</param>
    /// <param name="type">What one element is.</param>
    /// <param name="properties">Properties to copy onto the view; their axes interpretation must fit the rank.</param>
    /// <param name="metadata">Metadata to copy onto the view.</param>
    /// <returns>A dense view in canonical order with READ, WRITE, RESHAPE and MEMORY_ACCESS.</returns>
    /// <exception cref="ArgumentException">The shape, data type or properties are not valid.</exception>
    /// <exception cref="OutOfMemoryException">The memory cannot be allocated.</exception>
    public static ImageView Allocate(VectorXu64 shape, DataType type, ImageProperties? properties = null, MetadataNode? metadata = null) =>
        Allocate(shape, type, properties, metadata, zero: true);

    private static MemoryImageView Allocate(VectorXu64 shape, DataType type, ImageProperties? properties, MetadataNode? metadata, bool zero)
    {
        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        ImageProperties.CheckFits(properties?.AxesInterpretation ?? default, shape.Size);
        var bytes = ImageView.CheckedByteCount(shape, type);
        var block = NativeMemoryBlock.Allocate(bytes, zero);
        var layout = MemoryLayout.Dense(block, 0, shape, type.ByteCount, nameof(shape));
        return new MemoryImageView(layout, shape, type, writable: true, reshapable: true, properties, metadata, takeReference: false);
    }

    /// <summary>
    /// Wraps a managed array without copying, dense in canonical order (first dimension fastest). The array is
    /// pinned until the view and every view made from it are disposed; writes through the view change the array.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The array's byte size differs from what shape and type need, or they are not valid.</exception>
    public static ImageView FromArray<T>(T[] data, VectorXu64 shape, DataType type)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        var needed = ImageView.CheckedByteCount(shape, type);
        var have = (long)data.Length * sizeof(T);
        if (have != needed)
        {
            throw new ArgumentException(
                $"The array holds {have} bytes ({data.Length} x {typeof(T).Name}) but a {type} view of shape {shape} needs {needed}; pass an array of exactly that size.",
                nameof(data));
        }

        var block = PinnedArrayBlock.Pin(data);
        var layout = MemoryLayout.Dense(block, 0, shape, type.ByteCount, nameof(shape));
        return new MemoryImageView(layout, shape, type, writable: true, reshapable: false, null, null, takeReference: false);
    }

    /// <summary>
    /// Wraps memory the caller owns (borrowed, never freed by the view). The caller keeps the memory valid
    /// until the view and every view made from it are disposed.
    /// </summary>
    /// <param name="address">The address of element 0 (all indices zero).</param>
    /// <param name="byteLength">The size of the buffer, which starts at the lowest address an element of the layout
    /// occupies: <paramref name="address"/> itself unless a stride is negative.</param>
    /// <param name="shape">The size of each dimension.</param>
    /// <param name="type">What one element is.</param>
    /// <param name="byteStrides">One byte stride per dimension (may be negative or permuted); null for dense canonical order.</param>
    /// <exception cref="ArgumentException">The address is zero, or the layout reaches outside the buffer.</exception>
    public static ImageView FromBuffer(nint address, long byteLength, VectorXu64 shape, DataType type, long[]? byteStrides = null) =>
        Wrap(address, byteLength, shape, type, byteStrides, owner: null, writable: true);

    /// <summary>
    /// Wraps memory and takes ownership of it: <paramref name="owner"/> is disposed when the view and every view made
    /// from it are disposed (whatever frees the memory: a pin, a native free, a foreign library's deleter). If the
    /// call throws, nothing was taken: the caller still owns <paramref name="owner"/>.
    /// </summary>
    /// <param name="address">The address of element 0 (all indices zero).</param>
    /// <param name="byteLength">The size of the buffer, from the lowest address an element of the layout occupies.</param>
    /// <param name="shape">The size of each dimension.</param>
    /// <param name="type">What one element is.</param>
    /// <param name="byteStrides">One byte stride per dimension (may be negative or permuted); null for dense canonical order.</param>
    /// <param name="owner">Disposed once, with the last view over the memory, from whichever thread releases it.</param>
    /// <param name="writable">Whether the view gets WRITE.</param>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is zero, or the layout reaches outside the buffer.</exception>
    public static ImageView FromBuffer(nint address, long byteLength, VectorXu64 shape, DataType type, long[]? byteStrides, IDisposable owner, bool writable = true)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Wrap(address, byteLength, shape, type, byteStrides, owner, writable);
    }

    /// <summary>
    /// Wraps an array's memory as the view the axis rules gave (<see cref="Interop.ArrayAxes"/>): the layout is not
    /// computed again. With an <paramref name="owner"/>, the view takes ownership as
    /// <see cref="FromBuffer(nint, long, VectorXu64, DataType, long[], IDisposable, bool)"/> does; without, the memory is borrowed.
    /// </summary>
    /// <param name="address">The address of the array's element 0 (its first element, whatever the strides).</param>
    /// <param name="byteLength">The size of the buffer from the array's lowest-addressed byte; at least <see cref="Interop.ViewLayout.ByteExtent"/>.</param>
    /// <param name="layout">The view's layout, from <see cref="Interop.ArrayAxes.Import(ReadOnlySpan{long}, ReadOnlySpan{long}, DataType, string)"/> or its overloads.</param>
    /// <param name="owner">Disposed with the last view over the memory; null to borrow it.</param>
    /// <param name="writable">Whether the view gets WRITE (false for a read-only array).</param>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> is null.</exception>
    /// <exception cref="ArgumentException">The address is zero, or the buffer is shorter than the layout's extent.</exception>
    public static ImageView FromBuffer(nint address, long byteLength, Interop.ViewLayout layout, IDisposable? owner, bool writable = true)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Place(address, byteLength, layout.Layout, layout.Shape, layout.DataType, owner, writable, layout.NewProperties(), nameof(byteLength));
    }

    /// <summary>Wraps memory whose lifetime <paramref name="owner"/> controls; the owner is disposed with the last view, and stays the caller's if this throws.</summary>
    private static MemoryImageView Wrap(nint address, long byteLength, VectorXu64 shape, DataType type, long[]? byteStrides, IDisposable? owner, bool writable)
    {
        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        _ = ImageView.CheckedByteCount(shape, type);
        var strided = byteStrides is null
            ? StridedLayout.Dense(shape, type.ByteCount, paramName: nameof(shape))
            : StridedLayout.Create(StridedLayout.ToLengths(shape), byteStrides, type.ByteCount, nameof(byteStrides));
        return Place(address, byteLength, strided, shape, type, owner, writable, null, nameof(byteStrides));
    }

    /// <summary>
    /// The one wrap of foreign memory: a checked layout placed in a borrowed block from its lowest byte. The address
    /// and the buffer length are refused before the block exists, so a failed call never takes the owner.
    /// </summary>
    private static MemoryImageView Place(nint address, long byteLength, StridedLayout layout, VectorXu64 shape, DataType type, IDisposable? owner,
        bool writable, ImageProperties? properties, string paramName)
    {
        if (address == 0)
        {
            throw new ArgumentException("The buffer address is zero; pass the address of the first element.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        MemoryLayout.CheckFits(layout, byteLength, paramName);
        var block = new BorrowedMemoryBlock(address + (nint)layout.LowestOffset, byteLength, owner);
        var memory = MemoryLayout.Create(block, address, layout, paramName);
        return new MemoryImageView(memory, shape, type, writable, reshapable: false, properties, null, takeReference: false, ownsProperties: properties is not null);
    }

    /// <summary>
    /// Another handle on the same data: the same shape, data type, properties and layout (MEMORY_ACCESS and WRITE
    /// when the view has them; never RESHAPE), keeping the data alive until it is disposed too. For code that hands
    /// a view's memory to someone else (an exported array or tensor) and releases it when they are done with it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView Share(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var rank = view.DimensionCount;
        return Derive(view, view.Shape, view.DataType, new long[rank], Identity(rank), Ones(rank), 0, true, view.Properties.Clone());
    }

    /// <summary>
    /// The views, of one shape and data type, as one view with one more dimension, <paramref name="dimension"/>, the
    /// last: index k of it is view k. Lazy and zero-copy: nothing is allocated, reads and writes go through to the
    /// views (READ and WRITE as all of them allow, never MEMORY_ACCESS). The new dimension must come after the views'
    /// own in canonical order (SLICE after an IMAGE's, SEQUENCE after a VOLUME's); views with UNKNOWN axes give a view
    /// with UNKNOWN axes. The properties are the first view's (with the new axes). The stack keeps its own handle on
    /// each view.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="views"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">There are no views, they differ in shape, data type or axes, or the dimension does not fit after theirs.</exception>
    /// <exception cref="ObjectDisposedException">A view has been disposed.</exception>
    public static ImageView Stack(IReadOnlyList<ImageView> views, ImageDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0)
        {
            throw new ArgumentException("A stack needs at least one view.", nameof(views));
        }

        for (var i = 0; i < views.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(views[i], $"{nameof(views)}[{i}]");
            views[i].ThrowIfDisposed();
            if (views[i].Shape != views[0].Shape || views[i].DataType != views[0].DataType || views[i].AxesInterpretation != views[0].AxesInterpretation)
            {
                throw new ArgumentException(
                    $"View {i} is {views[i].DataType} of shape {views[i].Shape} ({views[i].AxesInterpretation}) and view 0 {views[0].DataType} of shape {views[0].Shape} ({views[0].AxesInterpretation}); stacked views have one shape, data type and axes.",
                    nameof(views));
            }
        }

        var first = views[0];
        if (first.DimensionCount + 1 > ImageView.MaxDimensionCount)
        {
            throw new ArgumentException($"A stack of {first.DimensionCount}-dimensional views would have more than {ImageView.MaxDimensionCount} dimensions.", nameof(views));
        }

        var axes = ImageType.Unknown;
        if (first.AxesInterpretation.IsKnown)
        {
            var own = first.AxesInterpretation.Dimensions;
            if (own.Any(d => d >= dimension))
            {
                throw new ArgumentException(
                    $"The views are {first.AxesInterpretation} ({string.Join(", ", own)}), and {dimension} does not come after their dimensions in canonical order (COLUMN, ROW, SLICE, CHANNEL, SEQUENCE); stack along a later dimension, or reinterpret the views first.",
                    nameof(dimension));
            }

            axes = ImageType.FromDimensions([.. own, dimension]);
        }

        var shape = new VectorXu64([.. first.Shape.ToArray(), (ulong)views.Count]);
        var properties = first.Properties.Clone();
        properties.AxesInterpretation = axes;
        var owned = ShareAll(views);
        try
        {
            return new StackedImageView([.. owned], shape, properties);
        }
        catch
        {
            owned.ForEach(v => v.Dispose());
            throw;
        }
    }

    /// <summary>A handle of one's own on each view (<see cref="Share"/>); none is left if one fails.</summary>
    internal static List<ImageView> ShareAll(IReadOnlyList<ImageView> views)
    {
        var owned = new List<ImageView>(views.Count);
        try
        {
            foreach (var view in views)
            {
                owned.Add(Share(view));
            }

            return owned;
        }
        catch
        {
            owned.ForEach(v => v.Dispose());
            throw;
        }
    }

    /// <summary>The frames of <paramref name="frames"/>, of one shape and data type, stacked as <see cref="Stack(IReadOnlyList{ImageView}, ImageDimension)"/> says.</summary>
    /// <exception cref="ArgumentException">The frames differ, or the dimension does not fit after theirs.</exception>
    public static ImageView Stack(MultiImageView frames, ImageDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var views = new List<ImageView>();
        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                views.Add(frames.At(i));
            }

            return Stack(views, dimension);
        }
        finally
        {
            views.ForEach(v => v.Dispose());
        }
    }

    /// <summary>
    /// Copies every element of <paramref name="source"/> into <paramref name="destination"/>, which has the same shape
    /// and data type, whatever either layout is: between memory views this is one strided copy (transposes, flips and
    /// gaps included, tiled where the layouts differ); otherwise it goes region by region in bounded slabs. Overlapping
    /// memory is copied as if through a temporary copy.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes or data types differ.</exception>
    /// <exception cref="NotSupportedException"><paramref name="source"/> lacks READ or <paramref name="destination"/> lacks WRITE.</exception>
    /// <exception cref="ObjectDisposedException">A view has been disposed.</exception>
    public static void Copy(ImageView source, ImageView destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        source.Require(ImageCapability.READ, nameof(Copy));
        destination.Require(ImageCapability.WRITE, nameof(Copy));
        if (source.Shape != destination.Shape || source.DataType != destination.DataType)
        {
            throw new ArgumentException(
                $"The source is {source.DataType} of shape {source.Shape} and the destination {destination.DataType} of shape {destination.Shape}; a copy needs the same shape and data type on both sides.",
                nameof(destination));
        }

        if (source.Layout is not { } from || destination.Layout is not { } to)
        {
            CopyInSlabs(source, destination, 64L << 20);
            return;
        }

        using var readLease = from.Block.Lease(nameof(ImageView));
        using var writeLease = to.Block.Lease(nameof(ImageView));
        if (Overlap(from, to))
        {
            using var staged = CopyInMemory(source);
            Copy(staged, destination);
            return;
        }

        StridedCopy.Copy((byte*)from.Address, from.Strides, (byte*)to.Address, to.Strides, from.Layout.Lengths, source.DataType);
    }

    private static bool Overlap(MemoryLayout a, MemoryLayout b)
    {
        if (!ReferenceEquals(a.Block, b.Block))
        {
            return false;
        }

        var aStart = (long)a.Address + a.Layout.LowestOffset;
        var bStart = (long)b.Address + b.Layout.LowestOffset;
        return aStart < bStart + b.Layout.Extent && bStart < aStart + a.Layout.Extent;
    }

    /// <summary>Copies any readable view into new memory, dense in canonical order, with the same properties and metadata.</summary>
    /// <exception cref="NotSupportedException">The view does not have READ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView CopyInMemory(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.Require(ImageCapability.READ, nameof(CopyInMemory));
        // Every byte is overwritten by the copy, so the memory is not zeroed first.
        var copy = Allocate(view.Shape, view.DataType, view.Properties, view.MetadataIfAny, zero: false);
        var size = StridedLayout.ToLengths(view.Shape);
        try
        {
            view.ReadRegionData(new long[size.Length], size, (byte*)copy.Layout.Address);
        }
        catch
        {
            copy.Dispose();
            throw;
        }

        return copy;
    }

    /// <summary>A view of <paramref name="region"/> of <paramref name="view"/>, sharing its data (zero-copy on memory views).</summary>
    /// <exception cref="ArgumentException">The region's rank differs from the view's, or a size is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The region reaches outside the view.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView ExtractRegion(ImageView view, RegionXu64 region)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var (origin, size) = view.CheckRegion(region, nameof(region));
        if (Lengths.AnyZero(size))
        {
            throw new ArgumentException($"Region {region} is empty; a view needs at least one element along each dimension.", nameof(region));
        }

        var properties = view.Properties.Clone();
        for (var k = 0; k < origin.Length; k++)
        {
            properties.ShiftSpatialOrigin(view.AxesInterpretation, k, origin[k]);
        }

        return Derive(view, FromLongs(size), view.DataType, origin, Identity(view.DimensionCount), Ones(view.DimensionCount), 0, true, properties);
    }

    /// <summary>The same data with a new axes interpretation.</summary>
    /// <exception cref="ArgumentException">The interpretation's dimension count differs from the view's rank.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView Reinterpret(ImageView view, ImageType type)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        ImageProperties.CheckFits(type, view.DimensionCount);
        var properties = view.Properties.Clone();
        properties.AxesInterpretation = type;
        return Derive(view, view.Shape, view.DataType, new long[view.DimensionCount], Identity(view.DimensionCount), Ones(view.DimensionCount), 0, true, properties);
    }

    /// <summary>
    /// The same data with its dimensions named, in view order. Names out of canonical order reorder the
    /// dimensions into canonical order through strides (zero-copy on memory views): naming a (2, 3) view
    /// [ROW, COLUMN] gives an IMAGE of shape (3, 2).
    /// </summary>
    /// <exception cref="ArgumentException">Not one name per dimension, or a name repeated.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView ReinterpretAxes(ImageView view, params ImageDimension[] dims)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(dims);
        view.ThrowIfDisposed();
        if (dims.Length != view.DimensionCount)
        {
            throw new ArgumentException(
                $"{dims.Length} dimension name(s) [{string.Join(", ", dims)}] were given for a view of {view.DimensionCount} dimension(s); name each dimension once, in view order.",
                nameof(dims));
        }

        var type = ImageType.FromDimensions(dims);
        // Canonical position k takes the view dimension whose name sorts k-th.
        var order = new int[dims.Length];
        var n = 0;
        for (var d = ImageDimension.COLUMN; d <= ImageDimension.SEQUENCE; d++)
        {
            var i = Array.IndexOf(dims, d);
            if (i >= 0)
            {
                order[n++] = i;
            }
        }

        var shape = new ulong[order.Length];
        for (var k = 0; k < order.Length; k++)
        {
            shape[k] = view.Shape[order[k]];
        }

        var properties = view.Properties.Clone();
        properties.AxesInterpretation = type;
        return Derive(view, shape, view.DataType, new long[dims.Length], order, Ones(dims.Length), 0, true, properties);
    }

    /// <summary>The same data with dimension <paramref name="dim"/> reversed (zero-copy on memory views, through a negative stride).</summary>
    /// <exception cref="ArgumentException">The view's axes interpretation does not have <paramref name="dim"/>.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView FlipDimension(ImageView view, ImageDimension dim)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var index = view.AxesInterpretation.IndexOf(dim);
        if (index < 0)
        {
            throw new ArgumentException(
                $"The view's axes interpretation {view.AxesInterpretation} has no {dim} dimension; flip by index with FlipDimension(view, int) or reinterpret the axes first.",
                nameof(dim));
        }

        return FlipDimension(view, index);
    }

    /// <summary>The same data with the dimension at <paramref name="dimensionIndex"/> reversed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not a dimension of the view.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView FlipDimension(ImageView view, int dimensionIndex)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        CheckDimensionIndex(view, dimensionIndex, nameof(dimensionIndex));
        var origin = new long[view.DimensionCount];
        var step = Ones(view.DimensionCount);
        origin[dimensionIndex] = (long)view.Shape[dimensionIndex] - 1;
        step[dimensionIndex] = -1;
        var properties = view.Properties.Clone();
        properties.ShiftSpatialOrigin(view.AxesInterpretation, dimensionIndex, origin[dimensionIndex]);
        properties.ScaleSpatialAxis(view.AxesInterpretation, dimensionIndex, -1);
        return Derive(view, view.Shape, view.DataType, origin, Identity(view.DimensionCount), step, 0, true, properties);
    }

    /// <summary>Every <paramref name="step"/>-th element along each dimension, starting at 0 (zero-copy on memory views).</summary>
    /// <exception cref="ArgumentException">The step has the wrong rank or a zero.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView SubSample(ImageView view, VectorXu64 step)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        if (step.Size != view.DimensionCount)
        {
            ThrowHelper.RankMismatch("step", step.Size, view.DimensionCount, nameof(step));
        }

        var steps = new long[step.Size];
        var shape = new ulong[step.Size];
        var properties = view.Properties.Clone();
        for (var k = 0; k < steps.Length; k++)
        {
            if (step[k] == 0 || step[k] > long.MaxValue)
            {
                throw new ArgumentException($"Sub-sampling step {step} has a zero (or huge) value; every step must be at least 1.", nameof(step));
            }

            steps[k] = (long)step[k];
            shape[k] = ((view.Shape[k] - 1) / step[k]) + 1;
            properties.ScaleSpatialAxis(view.AxesInterpretation, k, steps[k]);
        }

        return Derive(view, shape, view.DataType, new long[steps.Length], Identity(steps.Length), steps, 0, true, properties);
    }

    /// <summary>
    /// One channel of a multi-channel view, sharing its data: for a view with a CHANNEL dimension, the slice at
    /// <paramref name="channel"/> without that dimension; otherwise, for a vector (or complex, matrix) data type,
    /// component <paramref name="channel"/> of each element as a scalar view of the same shape.
    /// </summary>
    /// <exception cref="ArgumentException">The view has neither a CHANNEL dimension nor several components.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not below the channel count.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView ExtractChannel(ImageView view, ulong channel)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var rank = view.DimensionCount;
        var c = view.AxesInterpretation.IndexOf(ImageDimension.CHANNEL);
        if (c >= 0)
        {
            CheckChannel(channel, view.Shape[c]);
            if (rank == 1)
            {
                throw new ArgumentException("The view's only dimension is CHANNEL; removing it would leave no dimension.", nameof(view));
            }

            var origin = new long[rank];
            origin[c] = (long)channel;
            var dims = Enumerable.Range(0, rank).Where(i => i != c).ToArray();
            var shape = dims.Select(i => view.Shape[i]).ToArray();
            var properties = view.Properties.Clone();
            properties.AxesInterpretation = view.AxesInterpretation.Without(ImageDimension.CHANNEL);
            return Derive(view, shape, view.DataType, origin, dims, Ones(rank - 1), 0, true, properties);
        }

        if (view.DataType.Dimension > 1)
        {
            CheckChannel(channel, view.DataType.Dimension);
            var properties = view.Properties.Clone();
            properties.HasAlpha = false;
            return Derive(view, view.Shape, view.DataType.ComponentType, new long[rank], Identity(rank), Ones(rank),
                (int)channel * view.DataType.ComponentByteCount, true, properties);
        }

        throw new ArgumentException(
            $"The view has no CHANNEL dimension (axes {view.AxesInterpretation}) and its data type {view.DataType} has one component; there is no channel to extract.",
            nameof(view));
    }

    /// <summary>A READ-only view of <paramref name="shape"/> whose every element is <paramref name="value"/>; no memory stands behind it.</summary>
    /// <exception cref="ArgumentException">The value is not one element long, or shape or type are not valid.</exception>
    public static ImageView Uniform(VectorXu64 shape, DataType type, ReadOnlySpan<byte> value)
    {
        ImageView.CheckShape(shape, nameof(shape));
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        _ = ImageView.CheckedByteCount(shape, type);
        if (value.Length != type.ByteCount)
        {
            throw new ArgumentException($"The value is {value.Length} byte(s) but one {type} element is {type.ByteCount}; pass exactly one element.", nameof(value));
        }

        return new UniformImageView(shape, type, value.ToArray(), null, null);
    }

    /// <summary>The same data, READ only (MEMORY_ACCESS is kept when the view has it).</summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView MakeReadOnly(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var rank = view.DimensionCount;
        return Derive(view, view.Shape, view.DataType, new long[rank], Identity(rank), Ones(rank), 0, false, view.Properties.Clone());
    }

    /// <summary>
    /// The one place every derived view is made (<paramref name="properties"/> must be a fresh copy: the view takes it): view dimension k maps to parent dimension
    /// <paramref name="parentDimension"/>[k] as parent = origin + step * index. Memory views get a new layout
    /// over the same memory; other views get a <see cref="DerivedImageView"/>.
    /// </summary>
    internal static ImageView Derive(ImageView parent, VectorXu64 shape, DataType type, long[] parentOrigin, int[] parentDimension,
        long[] step, int componentOffset, bool writable, ImageProperties properties)
    {
        if (parent.Layout is { } layout)
        {
            var newLayout = layout.Derive(parentOrigin, parentDimension, step, StridedLayout.ToLengths(shape), componentOffset, type.ByteCount, nameof(shape));
            var parentWritable = parent is MemoryImageView m && m.Writable;
            return new MemoryImageView(newLayout, shape, type, writable && parentWritable, reshapable: false, properties, parent.MetadataIfAny, ownsProperties: true);
        }

        return new DerivedImageView(parent, shape, type, parentOrigin, parentDimension, step, componentOffset, writable, properties, parent.MetadataIfAny);
    }

    private static void CheckChannel(ulong channel, ulong count)
    {
        if (channel >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"Channel {channel} does not exist; the view has {count} channel(s), numbered from 0.");
        }
    }

    private static void CheckDimensionIndex(ImageView view, int index, string paramName)
    {
        if ((uint)index >= (uint)view.DimensionCount)
        {
            throw new ArgumentOutOfRangeException(paramName, index, $"Dimension {index} does not exist; the view has {view.DimensionCount} dimension(s), numbered from 0.");
        }
    }

    private static VectorXu64 FromLongs(long[] v) => new(Array.ConvertAll(v, x => (ulong)x));

    private static int[] Identity(int n) => StridedLayout.Identity(n);

    private static long[] Ones(int n) => StridedLayout.Ones(n);
}
