namespace IOLink.Internal;

/// <summary>
/// The axis rules of NumPy interop (IOLINK.md section 3), shared by every array-like interop (tensors, NumPy
/// arrays, .npy files): the NumPy order (T, Z, Y, X, C) of an interpretation, which view dimension each array
/// axis is on export (rules 6-8), and how a plain import becomes a named, canonical view (rules 2-4).
/// </summary>
internal static class NumpyAxes
{
    /// <summary>The array axis that carries the components of a multi-component element.</summary>
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

    /// <summary>Whether an export adds a trailing axis of components: vector and matrix types do; scalars and complex numbers do not.</summary>
    public static bool HasComponentAxis(DataType type) => type.Dimension > 1 && type.Interpretation != DataTypeInterpretation.COMPLEX;

    /// <summary>
    /// For each array axis, the view dimension it walks (or <see cref="Components"/>): rule 6 for a known
    /// interpretation, rule 7 for UNKNOWN, rule 8 when <paramref name="order"/> is given.
    /// </summary>
    /// <exception cref="ArgumentException">The order does not list the view's dimensions exactly once, or cannot apply.</exception>
    public static int[] ForExport(ImageView view, ImageDimension[]? order, string paramName) =>
        ForExport(view, order, HasComponentAxis(view.DataType), paramName);

    /// <summary>As <see cref="ForExport(ImageView, ImageDimension[], string)"/>, with the caller deciding whether the
    /// components of an element get their own trailing axis (a typed export of complex numbers as their parts, say).</summary>
    /// <exception cref="ArgumentException">The order does not list the view's dimensions exactly once, or cannot apply.</exception>
    public static int[] ForExport(ImageView view, ImageDimension[]? order, bool components, string paramName)
    {
        var axes = view.AxesInterpretation;
        var rank = view.DimensionCount;
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
                result[rank] = Components;
            }

            return result;
        }

        if (!axes.IsKnown)
        {
            throw new ArgumentException(
                "An export order names view dimensions, and this view's axes interpretation is UNKNOWN. " +
                "Name its dimensions first with ImageViewFactory.ReinterpretAxes (or Reinterpret), or export without an order to keep the view's dimension order.",
                paramName);
        }

        if (components && axes.Has(ImageDimension.CHANNEL))
        {
            throw new ArgumentException(
                $"The view has both a CHANNEL dimension and the multi-component data type {view.DataType}, so CHANNEL in an export order would be ambiguous. " +
                "Export without an order, or extract one channel first (ImageViewFactory.ExtractChannel).",
                paramName);
        }

        var allowed = components ? axes.With(ImageDimension.CHANNEL) : axes;
        var allowedText = string.Join(", ", allowed.Dimensions);
        var orderText = string.Join(", ", order);
        var seen = 0;
        foreach (var d in order)
        {
            if ((uint)d > (uint)ImageDimension.SEQUENCE)
            {
                throw new ArgumentException($"{(int)d} is not an ImageDimension; use COLUMN, ROW, SLICE, CHANNEL or SEQUENCE.", paramName);
            }

            if (!allowed.Has(d))
            {
                throw new ArgumentException($"The export order [{orderText}] names {d}, which the view does not have; list each of its dimensions [{allowedText}] exactly once.", paramName);
            }

            if ((seen & (1 << (int)d)) != 0)
            {
                throw new ArgumentException($"The export order [{orderText}] names {d} twice; list each of the view's dimensions [{allowedText}] exactly once.", paramName);
            }

            seen |= 1 << (int)d;
        }

        if (order.Length != result.Length)
        {
            var missing = allowed.Dimensions.Where(d => (seen & (1 << (int)d)) == 0);
            throw new ArgumentException($"The export order [{orderText}] misses {string.Join(", ", missing)}; list each of the view's dimensions [{allowedText}] exactly once.", paramName);
        }

        for (var k = 0; k < order.Length; k++)
        {
            result[k] = components && order[k] == ImageDimension.CHANNEL ? Components : axes.IndexOf(order[k]);
        }

        return result;
    }

    /// <summary>The array shape and byte strides of an export, one per array axis, from <see cref="ForExport(ImageView, ImageDimension[], bool, string)"/>'s mapping.</summary>
    public static (long[] Shape, long[] Strides) ExportLayout(VectorXu64 shape, long[] viewStrides, DataType type, int[] mapping)
    {
        var arrayShape = new long[mapping.Length];
        var arrayStrides = new long[mapping.Length];
        for (var k = 0; k < mapping.Length; k++)
        {
            if (mapping[k] == Components)
            {
                arrayShape[k] = type.Dimension;
                arrayStrides[k] = type.ComponentByteCount;
            }
            else
            {
                arrayShape[k] = (long)shape[mapping[k]];
                arrayStrides[k] = viewStrides[mapping[k]];
            }
        }

        return (arrayShape, arrayStrides);
    }

    /// <summary>
    /// Rules 2 to 4: a plain view (array axes in array order, scalar elements) named in array order by
    /// <paramref name="names"/>; one trailing axis of 2 to 4 packed components becomes a vector type.
    /// Disposes nothing: the caller keeps <paramref name="plain"/> and disposes it.
    /// </summary>
    /// <exception cref="ArgumentException">The names are not valid, the rank does not fit, or the trailing axis cannot be components.</exception>
    public static ImageView Name(ImageView plain, ImageDimension[] names, string what, string paramName)
    {
        _ = ImageType.FromDimensions(names);
        var rank = plain.DimensionCount;
        if (names.Length == rank)
        {
            return ImageViewFactory.ReinterpretAxes(plain, names);
        }

        if (names.Length + 1 != rank || names.Length == 0)
        {
            throw new ArgumentException(
                $"An array of {rank} axes does not fit {what}, which has {names.Length} dimension(s): give an array of {names.Length} axes, " +
                $"or {names.Length + 1} whose last axis holds 2 to 4 packed vector components.",
                paramName);
        }

        var scalar = plain.DataType;
        var length = plain.Shape[rank - 1];
        if (scalar.Dimension != 1)
        {
            throw new ArgumentException(
                $"The array's last axis would become vector components of {scalar}, and there are no vectors of complex numbers (or of other multi-component elements); name that axis as a dimension (CHANNEL) instead.",
                paramName);
        }

        if (length is < 2 or > 4)
        {
            throw new ArgumentException(
                $"The array's last axis has length {length} and would become vector components, which must number 2 to 4; name that axis as a dimension too (CHANNEL, say) instead.",
                paramName);
        }

        // The fold re-types memory in place; only memory views (all that the importers make) can do that.
        var layout = plain.Layout ?? throw new NotSupportedException(
            "Vector components can be folded only from an array in memory; make an in-memory copy with ImageViewFactory.CopyInMemory first.");
        if (layout.Strides[rank - 1] != scalar.ByteCount)
        {
            throw new ArgumentException(
                $"The array's last axis would become vector components but is not packed (its stride is {layout.Strides[rank - 1]} bytes, not {scalar.ByteCount}); " +
                "vector components must lie side by side, and a view never copies silently: import a contiguous copy (numpy.ascontiguousarray(array) in NumPy), or name that axis as a dimension (CHANNEL) instead.",
                paramName);
        }

        var vector = scalar.ToVector((uint)length);
        var shape = new ulong[rank - 1];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = plain.Shape[i];
        }

        var dims = Enumerable.Range(0, rank - 1).ToArray();
        var steps = Enumerable.Repeat(1L, rank - 1).ToArray();
        using var folded = ImageViewFactory.Derive(plain, shape, vector, new long[rank], dims, steps, 0, writable: true, plain.Properties.Clone());
        return ImageViewFactory.ReinterpretAxes(folded, names);
    }
}
