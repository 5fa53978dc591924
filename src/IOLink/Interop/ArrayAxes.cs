using IOLink.Layout;

namespace IOLink.Interop;

/// <summary>
/// The NumPy axis rules (rules 1 to 8 of the IOLink model) as pure functions: which view an array's lengths, byte
/// strides and item type describe (import), and which array a view is seen as (export). Every array-like interop
/// of this library (NumPy arrays, tensors, .npy files, DLPack) calls these, and so can any other importer: make
/// the view with <see cref="ImageViewFactory.FromBuffer(nint, long, ViewLayout, IDisposable, bool)"/>.
/// </summary>
/// <remarks>
/// NumPy's usual axis order is (T, Z, Y, X, C): SEQUENCE, SLICE, ROW, COLUMN, then CHANNEL, with the components
/// of a vector element as one more axis at the very end. A view's known dimensions are always in canonical order
/// (COLUMN, ROW, SLICE, CHANNEL, SEQUENCE): importing and exporting reorder through strides, never by copying.
/// </remarks>
public static class ArrayAxes
{
    /// <summary>In <see cref="ArrayLayout.Dimensions"/>, the array axis that holds the components of each element.</summary>
    public const int ComponentAxis = -1;

    private static readonly ImageDimension[] NumpyOrder =
        [ImageDimension.SEQUENCE, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL];

    /// <summary>The dimensions of <paramref name="type"/> in NumPy order (T, Z, Y, X, C): IMAGE gives [ROW, COLUMN].</summary>
    public static ImageDimension[] InNumpyOrder(ImageType type)
    {
        var result = new ImageDimension[type.DimensionCount];
        var n = 0;
        foreach (var d in NumpyOrder)
        {
            if (type.Has(d))
            {
                result[n++] = d;
            }
        }

        return result;
    }

    /// <summary>Where <paramref name="d"/> is in <paramref name="names"/>, or -1 (a loop: Array.IndexOf over an enum array is jitted in every process).</summary>
    private static int Position(ImageDimension[] names, ImageDimension d)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] == d)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a plain export gives the components of an element their own trailing axis: vectors and matrices do; scalars and complex numbers do not.</summary>
    public static bool HasComponentAxis(DataType type) => type.Dimension > 1 && type.Interpretation != DataTypeInterpretation.COMPLEX;

    /// <summary>Rule 1: the view of an array as it is, its dimensions the array's axes in array order, axes UNKNOWN.</summary>
    /// <param name="lengths">The array's shape, in its axis order.</param>
    /// <param name="byteStrides">The array's byte strides, one per axis (negative, zero and permuted strides are layouts like any other).</param>
    /// <param name="itemType">What one array item is.</param>
    /// <param name="parameterName">The name <see cref="ArgumentException.ParamName"/> reports: an importer passes the name of its own user's argument.</param>
    /// <exception cref="ArgumentException">The array has no axes or no elements, the counts differ, or the layout overflows.</exception>
    public static ViewLayout Import(ReadOnlySpan<long> lengths, ReadOnlySpan<long> byteStrides, DataType itemType, string? parameterName = null) =>
        Import(lengths, byteStrides, itemType, null, null, parameterName ?? nameof(lengths));

    /// <summary>
    /// Rule 2 (and 4): the array's axes read in NumPy order for <paramref name="interpretation"/>, the view in
    /// canonical order; one more trailing axis, packed and of length 2 to 4, becomes vector components. UNKNOWN is rule 1.
    /// </summary>
    /// <param name="lengths">The array's shape, in its axis order.</param>
    /// <param name="byteStrides">The array's byte strides, one per axis.</param>
    /// <param name="itemType">What one array item is (a scalar, for rule 4 to apply).</param>
    /// <param name="interpretation">The view's axes interpretation.</param>
    /// <param name="parameterName">The name <see cref="ArgumentException.ParamName"/> reports for a rank or rule 4 error.</param>
    /// <exception cref="ArgumentException">The rank does not fit the interpretation, the trailing axis cannot be components, or as rule 1.</exception>
    public static ViewLayout Import(ReadOnlySpan<long> lengths, ReadOnlySpan<long> byteStrides, DataType itemType, ImageType interpretation, string? parameterName = null) =>
        interpretation.IsKnown
            ? Import(lengths, byteStrides, itemType, InNumpyOrder(interpretation), interpretation.ToString(), parameterName ?? nameof(interpretation))
            : Import(lengths, byteStrides, itemType, parameterName);

    /// <summary>
    /// Rule 3 (and 4): each array axis named, in the array's own axis order (each dimension at most once); the view
    /// is reordered to canonical order and gets the interpretation those dimensions form.
    /// </summary>
    /// <param name="lengths">The array's shape, in its axis order.</param>
    /// <param name="byteStrides">The array's byte strides, one per axis.</param>
    /// <param name="itemType">What one array item is (a scalar, for rule 4 to apply).</param>
    /// <param name="axes">What each array axis is, in array order.</param>
    /// <param name="parameterName">The name <see cref="ArgumentException.ParamName"/> reports for a rank or rule 4 error.</param>
    /// <exception cref="ArgumentException">A name is invalid or repeated, the rank does not fit, or as rules 1 and 4.</exception>
    public static ViewLayout Import(ReadOnlySpan<long> lengths, ReadOnlySpan<long> byteStrides, DataType itemType, ReadOnlySpan<ImageDimension> axes, string? parameterName = null)
    {
        var names = axes.ToArray();
        return Import(lengths, byteStrides, itemType, names, $"[{string.Join(", ", names)}]", parameterName ?? nameof(axes));
    }

    /// <summary>Rule 1 (<paramref name="names"/> null), or rules 3 and 4 with <paramref name="what"/> naming the target in messages.</summary>
    private static ViewLayout Import(ReadOnlySpan<long> lengths, ReadOnlySpan<long> byteStrides, DataType itemType, ImageDimension[]? names, string? what, string paramName)
    {
        if (!itemType.IsElementType)
        {
            throw new ArgumentException($"{itemType} is not a valid element type for a view (a number type such as UINT16).", nameof(itemType));
        }

        if (lengths.IsEmpty)
        {
            ArrayAxesThrowHelper.NoAxes(paramName);
        }

        if (byteStrides.Length != lengths.Length)
        {
            ArrayAxesThrowHelper.StrideCount(byteStrides.Length, lengths.Length, paramName);
        }

        if (lengths.Length > ImageView.MaxDimensionCount)
        {
            ArrayAxesThrowHelper.TooManyAxes(lengths.Length, paramName);
        }

        foreach (var length in lengths)
        {
            if (length < 1)
            {
                ArrayAxesThrowHelper.NoElements(lengths, paramName);
            }
        }

        if (names is null)
        {
            var plain = StridedLayout.Create(lengths, byteStrides, itemType.ByteCount, paramName);
            return new ViewLayout(ToShape(lengths), plain, itemType, ImageType.Unknown);
        }

        var axes = ImageType.FromDimensions(names);
        var rank = lengths.Length;
        var type = itemType;
        if (names.Length + 1 == rank && names.Length > 0)
        {
            // Rule 4: the trailing axis holds the components of a vector element.
            if (itemType.Dimension != 1)
            {
                ArrayAxesThrowHelper.VectorOfMultiComponent(itemType, paramName);
            }

            var count = lengths[rank - 1];
            if (count is < 2 or > 4)
            {
                ArrayAxesThrowHelper.VectorAxisLength(count, paramName);
            }

            if (byteStrides[rank - 1] != itemType.ByteCount)
            {
                ArrayAxesThrowHelper.VectorAxisNotPacked(byteStrides[rank - 1], itemType.ByteCount, paramName);
            }

            type = itemType.ToVector((uint)count);
        }
        else if (names.Length != rank)
        {
            ArrayAxesThrowHelper.RankDoesNotFit(rank, what!, names.Length, paramName);
        }

        // Canonical position k takes the array axis whose name sorts k-th.
        var viewLengths = new long[names.Length];
        var viewStrides = new long[names.Length];
        var n = 0;
        for (var d = ImageDimension.COLUMN; d <= ImageDimension.SEQUENCE; d++)
        {
            var i = Position(names, d);
            if (i >= 0)
            {
                viewLengths[n] = lengths[i];
                viewStrides[n] = byteStrides[i];
                n++;
            }
        }

        var layout = StridedLayout.Create(viewLengths, viewStrides, type.ByteCount, paramName);
        return new ViewLayout(ToShape(viewLengths), layout, type, axes);
    }

    /// <summary>
    /// Rules 6 to 8: the array a view is seen as. Without <paramref name="order"/>, a known interpretation gives
    /// NumPy order (rule 6) and UNKNOWN keeps the view's order (rule 7); with it, array axis k walks view dimension
    /// <paramref name="order"/>[k] (rule 8, CHANNEL standing for the components of a vector type). Components get
    /// a trailing axis when <paramref name="componentAxis"/> says so (by default, as <see cref="HasComponentAxis"/>).
    /// </summary>
    /// <param name="view">The view.</param>
    /// <param name="order">The view's dimensions in the order the array's axes should have, or null.</param>
    /// <param name="componentAxis">Whether the components of an element get a trailing axis; null for <see cref="HasComponentAxis"/>.</param>
    /// <param name="parameterName">The name <see cref="ArgumentException.ParamName"/> reports for an order error; <c>order</c> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentException">The order does not list the view's dimensions exactly once, or cannot apply (UNKNOWN axes, CHANNEL and a vector type).</exception>
    /// <exception cref="ObjectDisposedException">The view has been disposed.</exception>
    public static ArrayLayout Export(ImageView view, ImageDimension[]? order = null, bool? componentAxis = null, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        view.ThrowIfDisposed();
        var paramName = parameterName ?? nameof(order);
        var components = componentAxis ?? HasComponentAxis(view.DataType);
        // A plain export of a memory view depends only on its layout snapshot (which a Reshape replaces) and its
        // axes: exporters called in a loop (a tensor span per frame, say) compute it once.
        var memory = view.Layout;
        if (order is null && memory is not null && view.ExportCache is { } cached
            && ReferenceEquals(cached.Source, memory) && cached.HasComponentAxis == components && cached.Axes == view.AxesInterpretation)
        {
            return cached;
        }

        var type = view.DataType;
        var rank = view.DimensionCount;
        var mapping = Mapping(view.AxesInterpretation, rank, type, order, components, paramName);
        var itemType = components ? type.ComponentType : type;
        if (memory is not null)
        {
            var reordered = memory.Layout.Reorder(mapping, ComponentAxis, (int)type.Dimension, type.ComponentByteCount);
            var result = new ArrayLayout([], mapping, reordered, itemType, rank, memory, view.AxesInterpretation, components);
            if (order is null)
            {
                view.ExportCache = result;
            }

            return result;
        }

        var lengths = new long[mapping.Length];
        for (var k = 0; k < mapping.Length; k++)
        {
            lengths[k] = mapping[k] == ComponentAxis ? type.Dimension : (long)view.Shape[mapping[k]];
        }

        return new ArrayLayout(lengths, mapping, null, itemType, rank, null, view.AxesInterpretation, components);
    }

    /// <summary>For each array axis, the view dimension it walks (or <see cref="ComponentAxis"/>), by rules 6 to 8.</summary>
    private static int[] Mapping(ImageType axes, int rank, DataType type, ImageDimension[]? order, bool components, string paramName)
    {
        var result = new int[rank + (components ? 1 : 0)];
        if (order is null)
        {
            if (axes.IsKnown)
            {
                var n = 0;
                foreach (var d in NumpyOrder)
                {
                    if (axes.Has(d))
                    {
                        result[n++] = axes.IndexOf(d);
                    }
                }
            }
            else
            {
                for (var i = 0; i < rank; i++)
                {
                    result[i] = i;
                }
            }

            if (components)
            {
                result[rank] = ComponentAxis;
            }

            return result;
        }

        if (!axes.IsKnown)
        {
            ArrayAxesThrowHelper.OrderOfUnknownAxes(paramName);
        }

        if (components && axes.Has(ImageDimension.CHANNEL))
        {
            ArrayAxesThrowHelper.ChannelAndComponents(type, paramName);
        }

        var allowed = components ? axes.With(ImageDimension.CHANNEL) : axes;
        var allowedText = string.Join(", ", allowed.Dimensions);
        var orderText = string.Join(", ", order);
        var seen = 0;
        foreach (var d in order)
        {
            if ((uint)d > (uint)ImageDimension.SEQUENCE)
            {
                ArrayAxesThrowHelper.NotADimension(d, paramName);
            }

            if (!allowed.Has(d))
            {
                ArrayAxesThrowHelper.OrderNamesMissing(orderText, d, allowedText, paramName);
            }

            if ((seen & (1 << (int)d)) != 0)
            {
                ArrayAxesThrowHelper.OrderNamesTwice(orderText, d, allowedText, paramName);
            }

            seen |= 1 << (int)d;
        }

        if (order.Length != result.Length)
        {
            ArrayAxesThrowHelper.OrderMisses(orderText, allowed.Dimensions.Where(d => (seen & (1 << (int)d)) == 0), allowedText, paramName);
        }

        for (var k = 0; k < order.Length; k++)
        {
            result[k] = components && order[k] == ImageDimension.CHANNEL ? ComponentAxis : axes.IndexOf(order[k]);
        }

        return result;
    }

    private static VectorXu64 ToShape(ReadOnlySpan<long> lengths)
    {
        var shape = new ulong[lengths.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = (ulong)lengths[i];
        }

        return new VectorXu64(shape);
    }
}
