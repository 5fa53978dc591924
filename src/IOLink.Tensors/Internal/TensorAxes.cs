namespace IOLink.Tensors.Internal;

/// <summary>
/// The axis rules of IOLINK.md section 3 for tensors, and all of their stride arithmetic: which view dimension
/// each tensor axis is, the NumPy order (T, Z, Y, X, C) of an interpretation, and what tensor strides can express.
/// </summary>
internal static class TensorAxes
{
    /// <summary>The tensor axis that carries the components of a multi-component element.</summary>
    public const int Components = -1;

    /// <summary>The NumPy axis order: SEQUENCE, SLICE, ROW, COLUMN, then CHANNEL last.</summary>
    private static readonly ImageDimension[] NumpyOrder =
        [ImageDimension.SEQUENCE, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN, ImageDimension.CHANNEL];

    /// <summary>The dimensions of <paramref name="type"/> in NumPy order (T, Z, Y, X, C).</summary>
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

    /// <summary>
    /// For each tensor axis, the view dimension it walks (or <see cref="Components"/>): rule 6 for a known
    /// interpretation, rule 7 for UNKNOWN, rule 8 when <paramref name="order"/> is given.
    /// </summary>
    /// <exception cref="ArgumentException">The order does not list the view's dimensions exactly once, or cannot apply.</exception>
    public static int[] ForExport(ImageView view, ImageDimension[]? order, bool components)
    {
        var axes = view.AxesInterpretation;
        var rank = view.DimensionCount;
        var extra = components ? 1 : 0;
        var result = new int[rank + extra];
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
                result[rank] = Components;
            }

            return result;
        }

        if (!axes.IsKnown)
        {
            TensorThrowHelper.OrderNeedsKnownAxes(nameof(order));
        }

        if (components && axes.Has(ImageDimension.CHANNEL))
        {
            TensorThrowHelper.OrderChannelConflict(view.DataType, nameof(order));
        }

        var allowed = components ? axes.With(ImageDimension.CHANNEL) : axes;
        var allowedText = string.Join(", ", allowed.Dimensions);
        var seen = 0;
        foreach (var d in order)
        {
            if ((uint)d > (uint)ImageDimension.SEQUENCE)
            {
                TensorThrowHelper.OrderInvalidDimension(d, nameof(order));
            }

            if (!allowed.Has(d))
            {
                TensorThrowHelper.OrderInvented(d, order, allowedText, nameof(order));
            }

            if ((seen & (1 << (int)d)) != 0)
            {
                TensorThrowHelper.OrderRepeated(d, order, allowedText, nameof(order));
            }

            seen |= 1 << (int)d;
        }

        if (order.Length != result.Length)
        {
            TensorThrowHelper.OrderMissing(allowed.Dimensions.Where(d => (seen & (1 << (int)d)) == 0), order, allowedText, nameof(order));
        }

        for (var k = 0; k < order.Length; k++)
        {
            result[k] = components && order[k] == ImageDimension.CHANNEL ? Components : axes.IndexOf(order[k]);
        }

        return result;
    }

    /// <summary>
    /// Whether non-zero strides keep every axis clear of the others: sorted by stride, each stride reaches past
    /// the whole extent of the axis before it. This is the condition tensor spans check (they report a failure as
    /// "outside the provided memory", which would mislead here).
    /// </summary>
    public static bool AreDisjoint(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        Span<int> order = stackalloc int[lengths.Length];
        var n = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] > 1 && strides[i] != 0)
            {
                // Insertion sort by stride: ranks are tiny.
                var j = n++;
                while (j > 0 && strides[order[j - 1]] > strides[i])
                {
                    order[j] = order[j - 1];
                    j--;
                }

                order[j] = i;
            }
        }

        for (var k = 1; k < n; k++)
        {
            var previous = order[k - 1];
            if (strides[order[k]] < (long)strides[previous] * lengths[previous])
            {
                return false;
            }
        }

        return true;
    }
}
