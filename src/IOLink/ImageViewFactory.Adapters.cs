using IOLink.Internal;
using IOLink.Interop;
using IOLink.Layout;
using IOLink.Views;

namespace IOLink;

/// <summary>The factory's lazy adapters: value maps, channels as components and back, adjusted regions, serialized access.</summary>
public static unsafe partial class ImageViewFactory
{
    /// <summary>
    /// The view's values as another data type, computed on each access (nothing allocated; READ and WRITE as the view
    /// allows, never MEMORY_ACCESS). Integer to integer maps the input type's whole range linearly onto the output's
    /// (UINT8 255 becomes UINT16 65535, INT8 -128 becomes UINT8 0; a BINARY view's 1 becomes the output's maximum);
    /// integer to floating point keeps the value; floating point to integer rounds half to even and clamps (NaN becomes 0);
    /// floating point to floating point keeps the value. Writes map back (rounded and clamped to the view's type).
    /// Vector elements are mapped per component: a scalar <paramref name="type"/> given for a vector view means the
    /// vector of that type. Computed in double precision (64-bit integers beyond 2^53 are rounded).
    /// </summary>
    /// <exception cref="ArgumentException">A type is complex or not numeric, or the component counts differ.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView AdaptDataType(ImageView view, DataType type)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var (output, from, to) = MappedTypes(view, type, nameof(AdaptDataType));
        LinearMap map;
        if (LinearMap.IsInteger(from) && LinearMap.IsInteger(to))
        {
            var input = view.ImageInterpretation == ImageInterpretation.BINARY ? (0, 1) : LinearMap.RangeOf(from);
            map = LinearMap.Between(input, LinearMap.RangeOf(to), to);
        }
        else
        {
            var (low, high) = LinearMap.RangeOf(to);
            map = new LinearMap(1, 0, low, high, LinearMap.IsInteger(to));
        }

        return Mapped(view, output, from, to, map);
    }

    /// <summary>
    /// The view's values mapped linearly from <paramref name="inputRange"/> onto <paramref name="outputRange"/> as
    /// <paramref name="type"/>, computed on each access: <c>out = v * s + o</c> with
    /// <c>s = (output.Max - output.Min) / (input.Max - input.Min)</c> and <c>o = output.Min - input.Min * s</c>,
    /// clamped to the output range (and the type's), rounded half to even for integer types (NaN becomes 0). READ, and
    /// WRITE (through the inverse map, rounded and clamped to the view's type) as the view allows; never MEMORY_ACCESS.
    /// </summary>
    /// <exception cref="ArgumentException">A type is complex or not numeric, the component counts differ, or a range is empty or not finite.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView AdaptDynamicRange(ImageView view, DataType type, (double Min, double Max) inputRange, (double Min, double Max) outputRange)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        CheckRange(inputRange, nameof(inputRange));
        CheckRange(outputRange, nameof(outputRange));
        if (inputRange.Min == inputRange.Max)
        {
            throw new ArgumentException($"The input range ({inputRange.Min}, {inputRange.Max}) is empty; give two different bounds.", nameof(inputRange));
        }

        var (output, from, to) = MappedTypes(view, type, nameof(AdaptDynamicRange));
        return Mapped(view, output, from, to, LinearMap.Between(inputRange, outputRange, to));
    }

    /// <summary>
    /// N scalar views of one shape, data type and axes as one view of an N-component vector type: component k of each
    /// element is view k's element. Lazy: reads and writes go through to the views (READ and WRITE as all allow, never
    /// MEMORY_ACCESS). The properties are the first view's. The result keeps its own handle on each view.
    /// </summary>
    /// <exception cref="ArgumentException">No views, more than 255, a vector view, or views that differ in shape, type or axes.</exception>
    /// <exception cref="ObjectDisposedException">A view has been disposed.</exception>
    public static ImageView Interlace(IReadOnlyList<ImageView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count is 0 or > 255)
        {
            throw new ArgumentException($"Interlacing takes 1 to 255 views (one per component), not {views.Count}.", nameof(views));
        }

        for (var i = 0; i < views.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(views[i], $"{nameof(views)}[{i}]");
            views[i].ThrowIfDisposed();
            if (views[i].DataType.Dimension != 1)
            {
                throw new ArgumentException($"View {i} is {views[i].DataType}; interlaced views are scalar (extract the channels of a vector view first).", nameof(views));
            }

            if (views[i].Shape != views[0].Shape || views[i].DataType != views[0].DataType || views[i].AxesInterpretation != views[0].AxesInterpretation)
            {
                throw new ArgumentException(
                    $"View {i} is {views[i].DataType} of shape {views[i].Shape} ({views[i].AxesInterpretation}) and view 0 {views[0].DataType} of shape {views[0].Shape} ({views[0].AxesInterpretation}); interlaced views have one shape, data type and axes.",
                    nameof(views));
            }
        }

        var type = views[0].DataType.ToVector((uint)views.Count);
        var owned = ShareAll(views);
        try
        {
            return new InterlacedImageView([.. owned], type, views[0].Properties.Clone());
        }
        catch
        {
            owned.ForEach(v => v.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The view's CHANNEL dimension as the components of a vector type (the dimension removed): a (X, Y, C) scalar
    /// IMAGE of 3 channels becomes an IMAGE of VEC3 elements. Zero-copy, with MEMORY_ACCESS, when the view is in memory
    /// with its channels adjacent (a channel stride of one element, as NumPy's (Y, X, C) arrays are); lazy otherwise, as
    /// <see cref="Interlace"/> of the channels.
    /// </summary>
    /// <exception cref="ArgumentException">The view has no CHANNEL dimension, is not scalar, has only that dimension, or more than 255 channels.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView AssembleChannels(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var c = view.AxesInterpretation.IndexOf(ImageDimension.CHANNEL);
        if (c < 0)
        {
            throw new ArgumentException($"The view's axes {view.AxesInterpretation} have no CHANNEL dimension to assemble; name the axes first (ReinterpretAxes).", nameof(view));
        }

        if (view.DataType.Dimension != 1 || view.DimensionCount == 1 || view.Shape[c] > 255)
        {
            throw new ArgumentException(
                $"The view is {view.DataType} of shape {view.Shape}; assembling channels needs a scalar view with another dimension besides CHANNEL and at most 255 channels.",
                nameof(view));
        }

        var channels = (uint)view.Shape[c];
        var type = view.DataType.ToVector(channels);
        var dims = Enumerable.Range(0, view.DimensionCount).Where(i => i != c).ToArray();
        var properties = view.Properties.Clone();
        properties.AxesInterpretation = view.AxesInterpretation.Without(ImageDimension.CHANNEL);
        if (view.Layout is { } layout && (channels == 1 || layout.Strides[c] == view.DataType.ByteCount))
        {
            var shape = new VectorXu64(dims.Select(i => view.Shape[i]).ToArray());
            var derived = layout.Derive(new long[view.DimensionCount], dims, Ones(dims.Length), StridedLayout.ToLengths(shape), 0, type.ByteCount, nameof(view));
            return new MemoryImageView(derived, shape, type, view is MemoryImageView { Writable: true }, reshapable: false, properties, view.MetadataIfAny, ownsProperties: true);
        }

        var planes = new List<ImageView>();
        try
        {
            for (ulong k = 0; k < channels; k++)
            {
                planes.Add(ExtractChannel(view, k));
            }

            return new InterlacedImageView([.. planes], type, properties);
        }
        catch
        {
            planes.ForEach(v => v.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The components of a vector view as a new CHANNEL dimension, at its place in canonical order (after SLICE, before
    /// SEQUENCE; last for UNKNOWN axes): an IMAGE of VEC3 elements becomes a MULTISPECTRAL_IMAGE of shape (X, Y, 3).
    /// Zero-copy, strided, with MEMORY_ACCESS for a memory view; lazy otherwise (READ and WRITE as the view allows).
    /// </summary>
    /// <exception cref="ArgumentException">The view is scalar or already has a CHANNEL dimension, or would have too many dimensions.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView DisassembleChannels(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var type = view.DataType;
        if (type.Dimension < 2)
        {
            throw new ArgumentException($"The view is {type}, one component per element; there are no components to disassemble.", nameof(view));
        }

        if (view.AxesInterpretation.Has(ImageDimension.CHANNEL) || view.DimensionCount + 1 > ImageView.MaxDimensionCount)
        {
            throw new ArgumentException(
                $"The view's axes {view.AxesInterpretation} already have a CHANNEL dimension (or {view.DimensionCount} dimensions leave no room for one); extract the channels with ExtractChannel instead.",
                nameof(view));
        }

        var rank = view.DimensionCount + 1;
        var axes = view.AxesInterpretation.IsKnown ? view.AxesInterpretation.With(ImageDimension.CHANNEL) : ImageType.Unknown;
        var c = axes.IsKnown ? axes.IndexOf(ImageDimension.CHANNEL) : rank - 1;
        var mapping = new int[rank];
        var shape = new ulong[rank];
        for (int k = 0, d = 0; k < rank; k++)
        {
            mapping[k] = k == c ? ArrayAxes.ComponentAxis : d++;
            shape[k] = k == c ? type.Dimension : view.Shape[mapping[k]];
        }

        var properties = view.Properties.Clone();
        properties.AxesInterpretation = axes;
        properties.HasAlpha = false;
        var component = type.ComponentType;
        if (view.Layout is { } layout)
        {
            var strided = layout.Layout.Reorder(mapping, ArrayAxes.ComponentAxis, (int)type.Dimension, type.ComponentByteCount);
            var memory = MemoryLayout.Create(layout.Block, layout.Address, strided, nameof(view));
            return new MemoryImageView(memory, new VectorXu64(shape), component, view is MemoryImageView { Writable: true }, reshapable: false, properties, view.MetadataIfAny, ownsProperties: true);
        }

        // Lazy: the components as scalar views along a new last dimension, then that dimension moved to its place.
        var channels = new List<ImageView>();
        ImageView? stacked = null;
        try
        {
            for (uint k = 0; k < type.Dimension; k++)
            {
                using var channel = ExtractChannel(view, k);
                channels.Add(Reinterpret(channel, ImageType.Unknown));
            }

            stacked = Stack(channels, ImageDimension.CHANNEL);
            if (!axes.IsKnown)
            {
                var result = FromImageView(stacked, properties, view.MetadataIfAny);
                return result;
            }

            var named = view.AxesInterpretation.Dimensions.Append(ImageDimension.CHANNEL).ToArray();
            var reordered = ReinterpretAxes(stacked, named);
            try
            {
                return FromImageView(reordered, properties, view.MetadataIfAny);
            }
            finally
            {
                reordered.Dispose();
            }
        }
        finally
        {
            stacked?.Dispose();
            channels.ForEach(v => v.Dispose());
        }
    }

    /// <summary>
    /// <see cref="ExtractRegion"/> of <paramref name="region"/> clipped to the view: the part of the region inside it,
    /// sharing its data.
    /// </summary>
    /// <exception cref="ArgumentException">The region's rank differs from the view's, or it does not intersect the view.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView ExtractAdjustedRegion(ImageView view, RegionXu64 region)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        if (region.Origin.Size != view.DimensionCount || region.Size.Size != view.DimensionCount)
        {
            ThrowHelper.RankMismatch("region", region.Origin.Size, view.DimensionCount, nameof(region));
        }

        var origin = new ulong[view.DimensionCount];
        var size = new ulong[view.DimensionCount];
        for (var k = 0; k < origin.Length; k++)
        {
            var length = view.Shape[k];
            origin[k] = Math.Min(region.Origin[k], length);
            var end = region.Size[k] > length - origin[k] ? length : origin[k] + region.Size[k];
            size[k] = end - origin[k];
            if (size[k] == 0)
            {
                throw new ArgumentException($"Region {region} does not intersect the view of shape {view.Shape} (nothing along dimension {k}); give a region that overlaps the view.", nameof(region));
            }
        }

        return ExtractRegion(view, new RegionXu64(new VectorXu64(origin), new VectorXu64(size)));
    }

    /// <summary>
    /// A view whose reads and writes run one at a time, for a view that is not safe to call from several threads
    /// (one implemented outside IOLink, say). IOLink's own views (memory, files, mapped files, chunked arrays and
    /// Zarr, and every view the factory derives from them) already allow concurrent reads, and writes of disjoint
    /// regions, so they do not need it. READ and WRITE as the view allows; never MEMORY_ACCESS, whose direct access
    /// no lock could guard.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView MakeThreadSafe(ImageView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var share = Share(view);
        try
        {
            return new SerializedImageView(share, view.Properties.Clone());
        }
        catch
        {
            share.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Another handle on the view's data (as <see cref="Share"/>: MEMORY_ACCESS and WRITE kept) with other properties
    /// and metadata: copies of <paramref name="properties"/> and <paramref name="metadata"/>, or of the view's own where null.
    /// </summary>
    /// <exception cref="ArgumentException">The properties' axes interpretation does not fit the view's rank.</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ImageView FromImageView(ImageView view, ImageProperties? properties = null, MetadataNode? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var rank = view.DimensionCount;
        var own = (properties ?? view.Properties).CloneFor(rank);
        var result = Derive(view, view.Shape, view.DataType, new long[rank], Identity(rank), Ones(rank), 0, true, own);
        if (metadata is not null)
        {
            result.ReplaceMetadata(metadata);
        }

        return result;
    }

    private static MappedValueImageView Mapped(ImageView view, DataType output, ScalarKind from, ScalarKind to, LinearMap map)
    {
        var properties = view.Properties.Clone();
        if (properties.ValueRange is { } range)
        {
            properties.ValueRange = (Apply(map, range.Min), Apply(map, range.Max));
        }

        if (properties.ImageInterpretation == ImageInterpretation.BINARY)
        {
            properties.ImageInterpretation = ImageInterpretation.GRAYSCALE;
        }

        properties.BitDepth = 0;
        var share = Share(view);
        try
        {
            return new MappedValueImageView(share, output, from, to, map, properties);
        }
        catch
        {
            share.Dispose();
            throw;
        }
    }

    private static double Apply(LinearMap map, double v)
    {
        var y = Math.Clamp((v * map.Scale) + map.Offset, map.Low, map.High);
        return map.Round ? Math.Round(y, MidpointRounding.ToEven) : y;
    }

    /// <summary>The output type (a scalar type widened to the view's component count) and both component kinds.</summary>
    private static (DataType Output, ScalarKind From, ScalarKind To) MappedTypes(ImageView view, DataType type, string operation)
    {
        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        var input = view.DataType;
        if (input.Interpretation == DataTypeInterpretation.COMPLEX || type.Interpretation == DataTypeInterpretation.COMPLEX
            || !ValueMap.TryKindOf(input, out var from) || !ValueMap.TryKindOf(type, out var to))
        {
            throw new ArgumentException(
                $"{operation} maps real numbers: the view is {input} and the type {type}; for complex data, map its parts (ExtractChannel) separately.",
                nameof(type));
        }

        var output = type;
        if (type.Dimension == 1 && input.Dimension > 1)
        {
            output = new DataType(type.PrimitiveType, input.Dimension, type.BitDepth, input.Interpretation);
        }
        else if (type.Dimension != input.Dimension)
        {
            throw new ArgumentException(
                $"The view's elements have {input.Dimension} component(s) ({input}) and {type} has {type.Dimension}; give a type with as many components, or a scalar type.",
                nameof(type));
        }

        return (output, from, to);
    }

    private static void CheckRange((double Min, double Max) range, string paramName)
    {
        if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max))
        {
            throw new ArgumentException($"The range ({range.Min}, {range.Max}) is not finite; give two finite bounds.", paramName);
        }
    }
}
