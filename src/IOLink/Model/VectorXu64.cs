using System.Text;

namespace IOLink;

/// <summary>An immutable vector of unsigned 64-bit integers: shapes, indices, region origins and sizes.</summary>
public readonly struct VectorXu64 : IEquatable<VectorXu64>
{
    private readonly ulong[]? _values;

    /// <summary>Creates a vector holding a copy of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public VectorXu64(params ulong[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = (ulong[])values.Clone();
    }

    /// <summary>Creates a vector holding a copy of <paramref name="values"/>.</summary>
    public VectorXu64(ReadOnlySpan<ulong> values)
    {
        _values = values.ToArray();
    }

    /// <summary>The number of values in the vector.</summary>
    public int Size => _values?.Length ?? 0;

    /// <summary>The value at position <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, Size).</exception>
    public ulong this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Size)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index,
                    $"Index {index} is outside this {Size}-element vector; use an index from 0 to {Size - 1}.");
            }

            return _values![index];
        }
    }

    /// <summary>The values as a read-only span.</summary>
    public ReadOnlySpan<ulong> AsSpan() => _values;

    /// <summary>A new array holding the values.</summary>
    public ulong[] ToArray() => _values is null ? [] : (ulong[])_values.Clone();

    /// <summary>The product of the values, or 0 for an empty vector.</summary>
    /// <exception cref="OverflowException">The product does not fit in 64 bits.</exception>
    public ulong ComputeProduct()
    {
        if (Size == 0)
        {
            return 0;
        }

        ulong product = 1;
        foreach (var v in _values!)
        {
            product = checked(product * v);
        }

        return product;
    }

    /// <summary>Creates a vector of <paramref name="size"/> values all equal to <paramref name="value"/>.</summary>
    public static VectorXu64 CreateUniform(int size, ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var values = new ulong[size];
        Array.Fill(values, value);
        return new VectorXu64(values);
    }

    /// <summary>Creates a vector holding a copy of <paramref name="values"/>.</summary>
    public static implicit operator VectorXu64(ulong[] values) => new(values);

    /// <inheritdoc/>
    public bool Equals(VectorXu64 other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is VectorXu64 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in AsSpan())
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <summary>Whether two vectors hold the same values.</summary>
    public static bool operator ==(VectorXu64 left, VectorXu64 right) => left.Equals(right);

    /// <summary>Whether two vectors differ in size or in a value.</summary>
    public static bool operator !=(VectorXu64 left, VectorXu64 right) => !left.Equals(right);

    /// <summary>IOLink's spelling, for example <c>VectorXu64(2, 3)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("VectorXu64(");
        var span = AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(span[i]);
        }

        return sb.Append(')').ToString();
    }

    /// <summary>Same as the implicit conversion, for languages without operators.</summary>
    public static VectorXu64 FromUInt64Array(ulong[] values) => new(values);
}
