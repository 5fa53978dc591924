using System.Collections;

namespace IOLink;

/// <summary>
/// The regions that walk a shape in canonical order in slabs of at most a given byte size (or one element when a
/// single element is larger): the dimensions below some k whole, a block of dimension k, single indices above it.
/// Each slab's dense bytes follow the previous slab's in the dense canonical layout of the whole shape, so a view
/// can be streamed to a file front to back through one buffer of <see cref="MaxByteCount"/> bytes.
/// </summary>
public sealed class RegionSlabs : IEnumerable<RegionXu64>
{
    private readonly long[] _shape;
    private readonly int _k;
    private readonly long _chunk;

    /// <summary>Plans the slabs of <paramref name="shape"/> for elements of <paramref name="elementBytes"/> bytes.</summary>
    /// <param name="shape">The shape to walk; every size at least 1.</param>
    /// <param name="elementBytes">The size of one element.</param>
    /// <param name="slabBytes">The most bytes one slab may hold (a slab is never smaller than one element).</param>
    /// <exception cref="ArgumentException">The shape is empty or has a zero size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elementBytes"/> or <paramref name="slabBytes"/> is below 1.</exception>
    public RegionSlabs(VectorXu64 shape, long elementBytes, long slabBytes)
    {
        ImageView.CheckShape(shape, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(elementBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slabBytes, 1);
        _shape = Layout.StridedLayout.ToLengths(shape);
        var rank = _shape.Length;
        var k = 0;
        var below = elementBytes;
        while (k < rank - 1 && below <= slabBytes / _shape[k])
        {
            below *= _shape[k];
            k++;
        }

        _k = k;
        _chunk = Math.Max(1, Math.Min(_shape[k], slabBytes / below));
        MaxByteCount = below * _chunk;
    }

    /// <summary>
    /// The slabs in which <paramref name="view"/> is best streamed in canonical order: at most
    /// <paramref name="slabBytes"/> each, rounded to whole layers of the view's storage blocks
    /// (<see cref="ImageView.StorageBlockShape"/>, up to 256 MiB a slab) so that each block is decoded once.
    /// </summary>
    /// <param name="view">The view to stream.</param>
    /// <param name="slabBytes">The most bytes one slab should hold (a slab is never smaller than one element).</param>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slabBytes"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The view gives a storage block shape that does not fit it.</exception>
    public static RegionSlabs For(ImageView view, long slabBytes)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfLessThan(slabBytes, 1);
        var last = view.DimensionCount - 1;
        var planeBytes = view.ByteCount / (long)view.Shape[last];
        if (planeBytes <= slabBytes)
        {
            slabBytes = view.PlanesPerRead(last, slabBytes / planeBytes, planeBytes) * planeBytes;
        }

        return new RegionSlabs(view.Shape, view.DataType.ByteCount, slabBytes);
    }

    /// <summary>The size in bytes of the largest slab: the buffer a slab-by-slab copy needs.</summary>
    public long MaxByteCount { get; }

    /// <summary>The slabs in order, as regions.</summary>
    public IEnumerator<RegionXu64> GetEnumerator()
    {
        foreach (var (origin, size) in Blocks())
        {
            yield return new RegionXu64(ToVector(origin), ToVector(size));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The slabs as origin and size arrays, for the views' own region calls.</summary>
    internal IEnumerable<(long[] Origin, long[] Size)> Blocks()
    {
        var rank = _shape.Length;
        var origin = new long[rank];
        while (true)
        {
            var size = (long[])_shape.Clone();
            for (var d = _k + 1; d < rank; d++)
            {
                size[d] = 1;
            }

            size[_k] = Math.Min(_chunk, _shape[_k] - origin[_k]);
            yield return ((long[])origin.Clone(), size);

            // Advance: a block along k, then single steps along the dimensions above it.
            origin[_k] += size[_k];
            var d2 = _k;
            while (d2 < rank && origin[d2] >= _shape[d2])
            {
                origin[d2] = 0;
                d2++;
                if (d2 < rank)
                {
                    origin[d2]++;
                }
            }

            if (d2 == rank)
            {
                yield break;
            }
        }
    }

    private static VectorXu64 ToVector(long[] values) => new(Array.ConvertAll(values, v => (ulong)v));
}
