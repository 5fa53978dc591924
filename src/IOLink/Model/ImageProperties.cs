namespace IOLink;

/// <summary>
/// What a view's dimensions and values mean: axes interpretation, image interpretation, alpha, bit depth,
/// value range and spatial calibration.
/// </summary>
/// <remarks>
/// Properties that belong to a view check that a new axes interpretation fits the view's rank; free-standing
/// properties (for <see cref="ImageViewFactory.Allocate(VectorXu64, DataType, ImageProperties?, MetadataNode?)"/>)
/// are checked when a view takes a copy of them.
/// </remarks>
public sealed class ImageProperties
{
    private ImageType _axes;
    private double[] _origin = [0, 0, 0];
    private double[] _spacing = [1, 1, 1];
    private double[] _directions = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    private int _boundRank = -1;

    /// <summary>Creates properties with UNKNOWN axes, UNKNOWN values, origin 0 and spacing 1.</summary>
    public ImageProperties()
    {
    }

    /// <summary>Creates properties with the given axes interpretation.</summary>
    public ImageProperties(ImageType axesInterpretation) => _axes = axesInterpretation;

    /// <summary>Which dimensions the view has, in canonical order.</summary>
    /// <exception cref="ArgumentException">These properties belong to a view whose rank differs from the interpretation's dimension count.</exception>
    public ImageType AxesInterpretation
    {
        get => _axes;
        set
        {
            if (_boundRank >= 0)
            {
                CheckFits(value, _boundRank);
            }

            _axes = value;
        }
    }

    /// <summary>What the values mean.</summary>
    public ImageInterpretation ImageInterpretation { get; set; }

    /// <summary>Whether the last component of each element is an alpha channel.</summary>
    public bool HasAlpha { get; set; }

    /// <summary>The number of significant bits per component; 0 means all of them.</summary>
    public uint BitDepth { get; set; }

    /// <summary>The range the values are expected in, when known.</summary>
    public (double Min, double Max)? ValueRange { get; set; }

    /// <summary>The position of the first element's center, in <see cref="SpatialUnit"/> (X, Y, Z).</summary>
    /// <exception cref="ArgumentException">The value does not hold three numbers.</exception>
    public double[] SpatialOrigin
    {
        get => (double[])_origin.Clone();
        set => _origin = CheckLength(value, 3, nameof(SpatialOrigin));
    }

    /// <summary>The distance between element centers along X, Y and Z.</summary>
    /// <exception cref="ArgumentException">The value does not hold three numbers.</exception>
    public double[] SpatialSpacing
    {
        get => (double[])_spacing.Clone();
        set => _spacing = CheckLength(value, 3, nameof(SpatialSpacing));
    }

    /// <summary>The directions of the X, Y and Z axes, as three unit vectors one after the other (9 numbers).</summary>
    /// <exception cref="ArgumentException">The value does not hold nine numbers.</exception>
    public double[] SpatialDirections
    {
        get => (double[])_directions.Clone();
        set => _directions = CheckLength(value, 9, nameof(SpatialDirections));
    }

    /// <summary>The unit of origin and spacing, such as "mm"; empty when unstated.</summary>
    public string SpatialUnit { get; set; } = string.Empty;

    /// <summary>A free-standing copy.</summary>
    public ImageProperties Clone()
    {
        // The spatial arrays are never changed in place (setters store a copy, getters hand out a copy), so copies share them.
        var copy = (ImageProperties)MemberwiseClone();
        copy._boundRank = -1;
        return copy;
    }

    /// <summary>The properties' values, such as <c>ImageProperties(axes VOLUME, MONOCHROME, spacing (0.5, 0.5, 2) mm, origin (0, 0, 0))</c>.</summary>
    public override string ToString()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string Triple(double[] v) => string.Create(inv, $"({v[0]}, {v[1]}, {v[2]})");
        var parts = new List<string> { $"axes {_axes}", ImageInterpretation.ToString() };
        if (HasAlpha)
        {
            parts.Add("alpha");
        }

        if (BitDepth != 0)
        {
            parts.Add(string.Create(inv, $"{BitDepth} bits"));
        }

        if (ValueRange is { } range)
        {
            parts.Add(string.Create(inv, $"values {range.Min} to {range.Max}"));
        }

        var unit = SpatialUnit.Length > 0 ? " " + SpatialUnit : "";
        parts.Add($"spacing {Triple(_spacing)}{unit}");
        parts.Add($"origin {Triple(_origin)}{unit}");
        return $"ImageProperties({string.Join(", ", parts)})";
    }

    /// <summary>A copy bound to a view of <paramref name="rank"/> dimensions.</summary>
    internal ImageProperties CloneFor(int rank)
    {
        CheckFits(_axes, rank);
        var copy = Clone();
        copy._boundRank = rank;
        return copy;
    }

    /// <summary>Binds these (fresh, unshared) properties to a view of <paramref name="rank"/> dimensions without copying them.</summary>
    internal ImageProperties BindTo(int rank)
    {
        CheckFits(_axes, rank);
        _boundRank = rank;
        return this;
    }

    /// <summary>Moves the spatial origin by <paramref name="elements"/> along the spatial axis of view dimension <paramref name="k"/> (a sub-region or flip of the view).</summary>
    internal void ShiftSpatialOrigin(ImageType axes, int k, double elements)
    {
        var axis = SpatialAxis(axes, k);
        if (axis < 0 || elements == 0)
        {
            return;
        }

        var origin = SpatialOrigin;
        var spacing = SpatialSpacing;
        var directions = SpatialDirections;
        for (var i = 0; i < 3; i++)
        {
            origin[i] += elements * spacing[axis] * directions[(axis * 3) + i];
        }

        SpatialOrigin = origin;
    }

    /// <summary>Scales the spacing of the spatial axis of view dimension <paramref name="k"/>; a negative factor flips its direction.</summary>
    internal void ScaleSpatialAxis(ImageType axes, int k, long factor)
    {
        var axis = SpatialAxis(axes, k);
        if (axis < 0)
        {
            return;
        }

        var spacing = SpatialSpacing;
        spacing[axis] *= Math.Abs(factor);
        SpatialSpacing = spacing;
        if (factor < 0)
        {
            var directions = SpatialDirections;
            for (var i = 0; i < 3; i++)
            {
                directions[(axis * 3) + i] = -directions[(axis * 3) + i];
            }

            SpatialDirections = directions;
        }
    }

    private static int SpatialAxis(ImageType axes, int k)
    {
        if (!axes.IsKnown)
        {
            return -1;
        }

        var dim = axes.Dimensions[k];
        return dim <= ImageDimension.SLICE ? (int)dim : -1;
    }

    internal static void CheckFits(ImageType axes, int rank)
    {
        if (axes.IsKnown && axes.DimensionCount != rank)
        {
            throw new ArgumentException(
                $"Axes interpretation {axes} has {axes.DimensionCount} dimension(s) but the view has {rank}; " +
                "choose an interpretation with as many dimensions as the shape, or UNKNOWN.");
        }
    }

    private static double[] CheckLength(double[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} needs {length} numbers, got {value.Length}.", name);
        }

        return (double[])value.Clone();
    }
}
