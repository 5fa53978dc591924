namespace IOLink.Interop;

/// <summary>
/// What a caller says about an array's axes when it becomes a view, by the NumPy rules of <see cref="ArrayAxes"/>:
/// nothing (rule 1: the view keeps the array's axis order, axes UNKNOWN), an interpretation (rule 2: the axes are
/// read in NumPy order, T, Z, Y, X, C, and the view is in canonical order), or a name for each array axis (rule 3);
/// rule 4 makes a trailing axis of 2 to 4 vector components in each case. One value for every place that imports
/// an array (files, stores, chunked arrays), instead of three overloads each.
/// </summary>
public readonly struct AxisSpec : IEquatable<AxisSpec>
{
    private readonly ImageDimension[]? _names;

    private AxisSpec(ImageType interpretation, ImageDimension[]? names)
    {
        Interpretation = interpretation;
        _names = names;
    }

    /// <summary>Nothing said: rule 1.</summary>
    public static AxisSpec Unknown => default;

    /// <summary>The interpretation given (rule 2), or UNKNOWN.</summary>
    public ImageType Interpretation { get; }

    /// <summary>The names given for the array's axes, in the array's order (rule 3), or null.</summary>
    public IReadOnlyList<ImageDimension>? Names => _names;

    /// <summary>Whether nothing was said (rule 1).</summary>
    public bool IsUnknown => _names is null && !Interpretation.IsKnown;

    /// <summary>The array's axes read in NumPy order for <paramref name="interpretation"/> (rule 2; UNKNOWN is rule 1).</summary>
    public static AxisSpec Of(ImageType interpretation) => new(interpretation, null);

    /// <summary>Each array axis named, in the array's order (rule 3).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> is null.</exception>
    public static AxisSpec Named(params ImageDimension[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new(ImageType.Unknown, names.ToArray());
    }

    /// <summary>An interpretation as a spec (rule 2).</summary>
    public static implicit operator AxisSpec(ImageType interpretation) => Of(interpretation);

    /// <summary>An interpretation as a spec (rule 2).</summary>
    public static implicit operator AxisSpec(ImageTypeId interpretation) => Of(interpretation);

    /// <summary>Names as a spec (rule 3).</summary>
    public static implicit operator AxisSpec(ImageDimension[] names) => Named(names);

    /// <summary>
    /// What an array of <paramref name="lengths"/> with <paramref name="byteStrides"/> becomes as a view under this
    /// spec; an array of bools (<paramref name="isBool"/>, UINT8 items) gets the BINARY interpretation.
    /// </summary>
    /// <param name="lengths">The array's lengths, in its axis order.</param>
    /// <param name="byteStrides">The array's byte strides.</param>
    /// <param name="itemType">The type of one item.</param>
    /// <param name="parameterName">The caller's parameter that the array came from (messages about an array that fits no view name it); those about the spec name "type" or "axes".</param>
    /// <param name="isBool">Whether the items are bools.</param>
    /// <exception cref="ArgumentException">The array does not fit the spec.</exception>
    public ViewLayout Import(ReadOnlySpan<long> lengths, ReadOnlySpan<long> byteStrides, DataType itemType, string? parameterName = null, bool isBool = false)
    {
        var layout = _names is not null ? ArrayAxes.Import(lengths, byteStrides, itemType, _names, "axes")
            : Interpretation.IsKnown ? ArrayAxes.Import(lengths, byteStrides, itemType, Interpretation, "type")
            : ArrayAxes.Import(lengths, byteStrides, itemType, parameterName);
        return layout.ForBool(isBool);
    }

    /// <summary>
    /// The array's axis order for the export rules to give the same array back from the view (rule 8), or null when
    /// rules 6 and 7 already do (no names given). CHANNEL stands for the components rule 4 made.
    /// </summary>
    public ImageDimension[]? ExportOrder(int arrayRank) =>
        _names is null ? null : _names.Length < arrayRank ? [.. _names, ImageDimension.CHANNEL] : _names.ToArray();

    /// <inheritdoc/>
    public bool Equals(AxisSpec other) =>
        Interpretation == other.Interpretation && (_names is null ? other._names is null : other._names is not null && _names.AsSpan().SequenceEqual(other._names));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AxisSpec other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Interpretation, _names?.Length ?? -1);

    /// <summary>Whether two specs say the same.</summary>
    public static bool operator ==(AxisSpec left, AxisSpec right) => left.Equals(right);

    /// <summary>Whether two specs differ.</summary>
    public static bool operator !=(AxisSpec left, AxisSpec right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() =>
        _names is not null ? $"axes ({string.Join(", ", _names)})" : Interpretation.IsKnown ? Interpretation.ToString() : "unknown axes";
}
