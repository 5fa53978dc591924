namespace IOLink;

/// <summary>An axis-aligned box of elements: an origin and a size, both in elements.</summary>
public readonly struct RegionXu64 : IEquatable<RegionXu64>
{
    /// <summary>Creates a region.</summary>
    /// <exception cref="ArgumentException">Origin and size do not have the same number of dimensions.</exception>
    public RegionXu64(VectorXu64 origin, VectorXu64 size)
    {
        if (origin.Size != size.Size)
        {
            throw new ArgumentException(
                $"A region needs an origin and a size of the same dimension count, got {origin} and {size}.",
                nameof(size));
        }

        Origin = origin;
        Size = size;
    }

    /// <summary>The first element of the region.</summary>
    public VectorXu64 Origin { get; }

    /// <summary>The number of elements along each dimension.</summary>
    public VectorXu64 Size { get; }

    /// <summary>The number of dimensions.</summary>
    public int DimensionCount => Size.Size;

    /// <summary>The number of elements in the region.</summary>
    /// <exception cref="OverflowException">The count does not fit in 64 bits.</exception>
    public ulong ElementCount => Size.ComputeProduct();

    /// <summary>The region that covers all of <paramref name="shape"/>.</summary>
    public static RegionXu64 CreateFullRegion(VectorXu64 shape) =>
        new(VectorXu64.CreateUniform(shape.Size, 0), shape);

    /// <inheritdoc/>
    public bool Equals(RegionXu64 other) => Origin == other.Origin && Size == other.Size;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RegionXu64 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Origin, Size);

    /// <summary>Whether two regions have the same origin and size.</summary>
    public static bool operator ==(RegionXu64 left, RegionXu64 right) => left.Equals(right);

    /// <summary>Whether two regions differ.</summary>
    public static bool operator !=(RegionXu64 left, RegionXu64 right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"RegionXu64(origin: {Origin}, size: {Size})";
}
