using IOLink.Memory;

namespace IOLink.Internal;

/// <summary>
/// Where the elements of a memory view are: the address of element 0 and one signed byte stride per dimension,
/// inside a <see cref="MemoryBlock"/>. All layout arithmetic lives here and is checked once, at construction:
/// every element the shape can address lies inside the block.
/// </summary>
internal sealed class MemoryLayout
{
    private MemoryLayout(MemoryBlock block, nint address, long[] strides, VectorXu64 shape)
    {
        Block = block;
        Address = address;
        Strides = strides;
        Shape = shape;
    }

    /// <summary>The shape the strides were checked for.</summary>
    public VectorXu64 Shape { get; }

    public MemoryBlock Block { get; }

    public nint Address { get; }

    public long[] Strides { get; }

    /// <summary>Creates a layout after proving every addressable element lies inside <paramref name="block"/>.</summary>
    /// <exception cref="ArgumentException">The layout reaches outside the block.</exception>
    public static MemoryLayout Create(MemoryBlock block, nint address, long[] strides, VectorXu64 shape, int elementSize, string paramName)
    {
        if (strides.Length != shape.Size)
        {
            throw new ArgumentException($"{strides.Length} stride(s) were given for a shape of {shape.Size} dimension(s); give one byte stride per dimension.", paramName);
        }

        long low = 0;
        long high = 0;
        try
        {
            for (var i = 0; i < strides.Length; i++)
            {
                var reach = checked((long)(shape[i] - 1) * strides[i]);
                if (reach < 0)
                {
                    low = checked(low + reach);
                }
                else
                {
                    high = checked(high + reach);
                }
            }

            high = checked(high + elementSize);
            var start = checked((long)address + low);
            if (!block.Contains((nint)start, checked(high - low)))
            {
                throw new ArgumentException(
                    $"A layout with byte strides [{string.Join(", ", strides)}] over shape {shape} reaches {-low} byte(s) before and {high} byte(s) from its first element, " +
                    $"outside the {block.Length}-byte memory it points into; give strides and a shape that stay inside the buffer.", paramName);
            }
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Byte strides [{string.Join(", ", strides)}] over shape {shape} overflow 64-bit offsets; use a smaller shape or strides.", paramName);
        }

        return new MemoryLayout(block, address, strides, shape);
    }

    /// <summary>The (zero or negative) byte offset of the lowest-addressed element from element 0.</summary>
    /// <exception cref="ArgumentException">The offsets overflow.</exception>
    public static long LowestOffset(long[] strides, VectorXu64 shape, string paramName)
    {
        if (strides.Length != shape.Size)
        {
            throw new ArgumentException($"{strides.Length} stride(s) were given for a shape of {shape.Size} dimension(s); give one byte stride per dimension.", paramName);
        }

        try
        {
            long low = 0;
            for (var i = 0; i < strides.Length; i++)
            {
                low = checked(low + Math.Min(0, checked((long)(shape[i] - 1) * strides[i])));
            }

            return low;
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"Byte strides [{string.Join(", ", strides)}] over shape {shape} overflow 64-bit offsets; use a smaller shape or strides.", paramName);
        }
    }

    /// <summary>The dense canonical strides of a shape: first dimension fastest.</summary>
    public static long[] DenseStrides(ReadOnlySpan<long> shape, long elementSize)
    {
        var strides = new long[shape.Length];
        var s = elementSize;
        for (var i = 0; i < shape.Length; i++)
        {
            strides[i] = s;
            s *= shape[i];
        }

        return strides;
    }

    /// <inheritdoc cref="DenseStrides(ReadOnlySpan{long}, long)"/>
    public static long[] DenseStrides(VectorXu64 shape, long elementSize)
    {
        var strides = new long[shape.Size];
        var s = elementSize;
        for (var i = 0; i < shape.Size; i++)
        {
            strides[i] = s;
            s = checked(s * (long)shape[i]);
        }

        return strides;
    }

    /// <summary>Whether the checked region <paramref name="origin"/> + <paramref name="size"/> lies in this layout's shape (a reshape may have changed the view's shape meanwhile).</summary>
    public bool Holds(long[] origin, long[] size)
    {
        if (origin.Length != Shape.Size)
        {
            return false;
        }

        for (var i = 0; i < origin.Length; i++)
        {
            if ((ulong)(origin[i] + size[i]) > Shape[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The address of the element at <paramref name="index"/> (already checked against the shape).</summary>
    public nint ElementAddress(ReadOnlySpan<long> index)
    {
        var offset = 0L;
        for (var i = 0; i < index.Length; i++)
        {
            offset += index[i] * Strides[i];
        }

        return Address + (nint)offset;
    }

    /// <summary>Whether elements are dense in canonical order (length-1 dimensions may have any stride).</summary>
    public bool IsDenseCanonical(VectorXu64 shape, long elementSize)
    {
        var expected = elementSize;
        for (var i = 0; i < Strides.Length; i++)
        {
            if (shape[i] != 1 && Strides[i] != expected)
            {
                return false;
            }

            expected *= (long)shape[i];
        }

        return true;
    }
}
