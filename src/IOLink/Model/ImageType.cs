using System.Text;

namespace IOLink;

/// <summary>
/// An axes interpretation: which dimensions a view has, always listed in canonical order
/// (COLUMN, ROW, SLICE, CHANNEL, SEQUENCE). The default value is UNKNOWN: dimensions without meaning, any rank.
/// </summary>
public readonly struct ImageType : IEquatable<ImageType>
{
    private const int AllDimensions = 0b11111;
    private readonly byte _mask;

    private ImageType(int mask) => _mask = (byte)mask;

    /// <summary>The UNKNOWN interpretation.</summary>
    public static ImageType Unknown => default;

    /// <summary>The interpretation made of <paramref name="dimensions"/>, whatever their order.</summary>
    /// <exception cref="ArgumentException">A dimension is not valid or appears twice.</exception>
    public static ImageType FromDimensions(params ImageDimension[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        var mask = 0;
        foreach (var d in dimensions)
        {
            if ((uint)d > (uint)ImageDimension.SEQUENCE)
            {
                throw new ArgumentException($"{(int)d} is not an ImageDimension; use COLUMN, ROW, SLICE, CHANNEL or SEQUENCE.", nameof(dimensions));
            }

            var bit = 1 << (int)d;
            if ((mask & bit) != 0)
            {
                throw new ArgumentException($"Dimension {d} is listed twice in [{string.Join(", ", dimensions)}]; name each dimension at most once.", nameof(dimensions));
            }

            mask |= bit;
        }

        return new ImageType(mask);
    }

    /// <summary>The dimensions in canonical order; empty for UNKNOWN.</summary>
    public ImageDimension[] Dimensions
    {
        get
        {
            var result = new ImageDimension[DimensionCount];
            var n = 0;
            for (var d = 0; d <= (int)ImageDimension.SEQUENCE; d++)
            {
                if ((_mask & (1 << d)) != 0)
                {
                    result[n++] = (ImageDimension)d;
                }
            }

            return result;
        }
    }

    /// <summary>The number of dimensions; 0 for UNKNOWN.</summary>
    public int DimensionCount => System.Numerics.BitOperations.PopCount(_mask);

    /// <summary>Whether the dimensions are known (not UNKNOWN).</summary>
    public bool IsKnown => _mask != 0;

    /// <summary>The named id, or UNKNOWN when these dimensions have no name (a lone COLUMN, say).</summary>
    public ImageTypeId Id => IsNamed(_mask) ? (ImageTypeId)_mask : ImageTypeId.UNKNOWN;

    /// <summary>Whether <paramref name="dimension"/> is one of the dimensions.</summary>
    public bool Has(ImageDimension dimension) => (uint)dimension <= (uint)ImageDimension.SEQUENCE && (_mask & (1 << (int)dimension)) != 0;

    /// <summary>The position of <paramref name="dimension"/> in canonical order, or -1 when absent.</summary>
    public int IndexOf(ImageDimension dimension)
    {
        if (!Has(dimension))
        {
            return -1;
        }

        return System.Numerics.BitOperations.PopCount((uint)(_mask & ((1 << (int)dimension) - 1)));
    }

    /// <summary>The interpretation without <paramref name="dimension"/>.</summary>
    public ImageType Without(ImageDimension dimension) => new(_mask & ~(1 << (int)dimension) & AllDimensions);

    /// <summary>The interpretation with <paramref name="dimension"/> added.</summary>
    public ImageType With(ImageDimension dimension) => new((_mask | (1 << (int)dimension)) & AllDimensions);

    /// <summary>The interpretation of a named id.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not an ImageTypeId member.</exception>
    public static implicit operator ImageType(ImageTypeId id) => FromId(id);

    /// <summary>The interpretation of a named id; same as the implicit conversion.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not an ImageTypeId member.</exception>
    public static ImageType FromId(ImageTypeId id)
    {
        if (!IsNamed((int)id))
        {
            throw new ArgumentException($"{(int)id} is not an ImageTypeId; use a member such as IMAGE or VOLUME.", nameof(id));
        }

        return new ImageType((int)id);
    }

    /// <inheritdoc/>
    public bool Equals(ImageType other) => _mask == other._mask;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ImageType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _mask;

    /// <summary>Whether two interpretations have the same dimensions.</summary>
    public static bool operator ==(ImageType left, ImageType right) => left._mask == right._mask;

    /// <summary>Whether two interpretations differ.</summary>
    public static bool operator !=(ImageType left, ImageType right) => left._mask != right._mask;

    /// <summary>The named id, or the dimensions when unnamed.</summary>
    public override string ToString()
    {
        if (IsNamed(_mask))
        {
            return NameOf((ImageTypeId)_mask);
        }

        var sb = new StringBuilder("ImageType(");
        sb.AppendJoin(", ", Dimensions);
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// Whether a mask of dimensions is an <see cref="ImageTypeId"/>: none (UNKNOWN), or COLUMN and ROW with any of the
    /// others, which are exactly the eight named ids. A test holds this to the enum's members. (Enum.IsDefined and
    /// Enum.ToString are left out: their generic code and reflection ran in every process's first view.)
    /// </summary>
    private static bool IsNamed(int mask) => (uint)mask <= AllDimensions && (mask == 0 || (mask & 0b11) == 0b11);

    private static string NameOf(ImageTypeId id) => id switch
    {
        ImageTypeId.IMAGE => "IMAGE",
        ImageTypeId.VOLUME => "VOLUME",
        ImageTypeId.MULTISPECTRAL_IMAGE => "MULTISPECTRAL_IMAGE",
        ImageTypeId.MULTISPECTRAL_VOLUME => "MULTISPECTRAL_VOLUME",
        ImageTypeId.IMAGE_SEQUENCE => "IMAGE_SEQUENCE",
        ImageTypeId.VOLUME_SEQUENCE => "VOLUME_SEQUENCE",
        ImageTypeId.MULTISPECTRAL_IMAGE_SEQUENCE => "MULTISPECTRAL_IMAGE_SEQUENCE",
        ImageTypeId.MULTISPECTRAL_VOLUME_SEQUENCE => "MULTISPECTRAL_VOLUME_SEQUENCE",
        _ => "UNKNOWN",
    };
}
