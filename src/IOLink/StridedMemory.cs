using IOLink.Internal;
using IOLink.Layout;

namespace IOLink;

/// <summary>
/// IOLink's copy kernels for formats written outside the core: moving elements between two strided layouts in
/// memory (a chunk and a region buffer, a tile and an image), with the SIMD transposes and run copies the views use.
/// </summary>
public static unsafe class StridedMemory
{
    /// <summary>
    /// Copies the elements of <paramref name="lengths"/> from one strided layout to another. Strides are in bytes, one
    /// per dimension, and may be negative; a source stride of 0 repeats an element (a fill). Nothing is checked
    /// against the memory behind the addresses: the caller guarantees that every element of both layouts lies in
    /// memory it may read (source) or write (destination), and that the two do not overlap.
    /// </summary>
    /// <param name="source">The address of the first source element.</param>
    /// <param name="sourceByteStrides">The source's byte stride along each dimension.</param>
    /// <param name="destination">The address of the first destination element.</param>
    /// <param name="destinationByteStrides">The destination's byte stride along each dimension.</param>
    /// <param name="lengths">The element count along each dimension.</param>
    /// <param name="type">The element type: copies move whole components of it.</param>
    /// <exception cref="ArgumentException">The three spans differ in length or have more than <see cref="ImageView.MaxDimensionCount"/> + 1 entries, a length is negative, or the type is not valid.</exception>
    public static void DangerousCopy(byte* source, ReadOnlySpan<long> sourceByteStrides, byte* destination, ReadOnlySpan<long> destinationByteStrides,
        ReadOnlySpan<long> lengths, DataType type)
    {
        if (sourceByteStrides.Length != lengths.Length || destinationByteStrides.Length != lengths.Length)
        {
            throw new ArgumentException(
                $"A copy has one length and one stride per side for each dimension; got {lengths.Length} lengths, {sourceByteStrides.Length} source strides and {destinationByteStrides.Length} destination strides.",
                nameof(lengths));
        }

        if (lengths.Length > ImageView.MaxDimensionCount + 1)
        {
            throw new ArgumentException($"A copy has at most {ImageView.MaxDimensionCount + 1} dimensions, not {lengths.Length}.", nameof(lengths));
        }

        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Lengths cannot be negative; got {length}.", nameof(lengths));
            }
        }

        if (!type.IsElementType)
        {
            ThrowHelper.InvalidDataType(type, nameof(type));
        }

        StridedCopy.Copy(source, sourceByteStrides, destination, destinationByteStrides, lengths, type);
    }

    /// <summary>
    /// The byte strides of a dense layout of <paramref name="lengths"/>: the first dimension fastest (IOLink's
    /// canonical order, NumPy's Fortran order), or the last fastest with <paramref name="cOrder"/> (NumPy's C order).
    /// </summary>
    /// <param name="lengths">The element count along each dimension.</param>
    /// <param name="elementBytes">The size of one element in bytes.</param>
    /// <param name="cOrder">Whether the last dimension is the fastest.</param>
    /// <exception cref="ArgumentException">The layout's byte size overflows 64 bits, or a length or the element size is negative.</exception>
    public static long[] DenseByteStrides(ReadOnlySpan<long> lengths, long elementBytes, bool cOrder = false)
    {
        if (elementBytes < 0)
        {
            throw new ArgumentException($"An element cannot have a negative size; got {elementBytes} bytes.", nameof(elementBytes));
        }

        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Lengths cannot be negative; got {length}.", nameof(lengths));
            }
        }

        return StridedLayout.DenseStrides(lengths, elementBytes, cOrder, nameof(lengths));
    }
}
