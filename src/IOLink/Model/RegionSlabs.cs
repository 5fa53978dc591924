using System.Collections;

namespace IOLink;

/// <summary>
/// The one way a view is read in pieces (a file write, a copy, statistics): the regions that cover a shape, each at
/// most a given byte size, aligned to the view's storage blocks (<see cref="ImageView.StorageBlockShape"/>, such as
/// Zarr chunks) so that each block is decoded once. Three orders:
/// <list type="bullet">
/// <item><description>canonical slabs (the constructor, <see cref="For"/>): the dimensions below some k whole, a
/// block of dimension k, single indices above it; each slab's dense bytes follow the previous slab's in the dense
/// canonical layout of the whole shape, so a view streams front to back through one buffer;</description></item>
/// <item><description>slabs along one dimension (<see cref="Along"/>): every other dimension whole, for a writer
/// whose output puts that dimension slowest (a .npy file in NumPy order);</description></item>
/// <item><description>whole blocks in any order (<see cref="Blocks(ImageView, long)"/>): for work whose order does not matter
/// (statistics), each region whole storage blocks grown along the fastest dimensions first.</description></item>
/// </list>
/// </summary>
public sealed class RegionSlabs : IEnumerable<RegionXu64>
{
    private readonly Func<IEnumerable<(long[] Origin, long[] Size)>> _walk;

    /// <summary>Plans the canonical slabs of <paramref name="shape"/> for elements of <paramref name="elementBytes"/> bytes.</summary>
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
        var lengths = Layout.StridedLayout.ToLengths(shape);
        var rank = lengths.Length;
        var k = 0;
        var below = elementBytes;
        while (k < rank - 1 && below <= slabBytes / lengths[k])
        {
            below *= lengths[k];
            k++;
        }

        var step = Math.Max(1, Math.Min(lengths[k], slabBytes / below));
        MaxByteCount = below * step;
        _walk = () => Canonical(lengths, k, step);
    }

    private RegionSlabs(long maxByteCount, Func<IEnumerable<(long[] Origin, long[] Size)>> walk)
    {
        MaxByteCount = maxByteCount;
        _walk = walk;
    }

    /// <summary>
    /// The canonical slabs in which <paramref name="view"/> is best streamed: at most <paramref name="slabBytes"/>
    /// each, rounded to whole layers of the view's storage blocks (up to 256 MiB a slab).
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

    /// <summary>
    /// Slabs of <paramref name="view"/> whole along every dimension but <paramref name="dimension"/>, in order along
    /// it, each as many planes as fit <paramref name="slabBytes"/> (at least one), rounded to whole layers of the
    /// view's storage blocks (up to 256 MiB a slab).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is not one of the view's, or <paramref name="slabBytes"/> is below 1.</exception>
    public static RegionSlabs Along(ImageView view, int dimension, long slabBytes)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, view.DimensionCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(slabBytes, 1);
        var shape = Layout.StridedLayout.ToLengths(view.Shape);
        var planes = shape[dimension];
        var planeBytes = view.ByteCount / planes;
        var step = view.PlanesPerRead(dimension, Math.Max(1, slabBytes / planeBytes), planeBytes);
        step = Math.Min(step, planes);
        return new RegionSlabs(step * planeBytes, () => AlongWalk(shape, dimension, step));
    }

    /// <summary>
    /// Regions of whole storage blocks of <paramref name="view"/> (clipped at its end), grown along the fastest
    /// dimensions first to as many blocks as fit <paramref name="slabBytes"/>, so that a read decodes several blocks in
    /// parallel; the canonical slabs of <see cref="For"/> when the view has no storage blocks or one block alone is far
    /// larger than a slab. The order is not the canonical one.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slabBytes"/> is below 1.</exception>
    public static RegionSlabs Blocks(ImageView view, long slabBytes)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfLessThan(slabBytes, 1);
        return view.StorageBlockShape is { } block && Blocks(view.Shape, block, view.DataType.ByteCount, slabBytes) is { } blocks
            ? blocks
            : For(view, slabBytes);
    }

    /// <summary>Whole blocks of <paramref name="block"/> over <paramref name="shape"/>, grown as <see cref="Blocks(ImageView, long)"/> says; null when one block is over four slabs.</summary>
    internal static RegionSlabs? Blocks(VectorXu64 shape, VectorXu64 block, long elementBytes, long slabBytes)
    {
        var rank = shape.Size;
        var grown = new long[rank];
        var lengths = Layout.StridedLayout.ToLengths(shape);
        var bytes = (decimal)elementBytes;
        for (var d = 0; d < rank; d++)
        {
            grown[d] = (long)Math.Min(block[d], shape[d]);
            bytes *= grown[d];
        }

        if (bytes > 4 * slabBytes)
        {
            return null;
        }

        for (var d = 0; d < rank; d++)
        {
            var unit = (long)Math.Min(block[d], shape[d]);
            while (grown[d] < lengths[d] && bytes / grown[d] * Math.Min(grown[d] + unit, lengths[d]) <= slabBytes)
            {
                var next = Math.Min(grown[d] + unit, lengths[d]);
                bytes = bytes / grown[d] * next;
                grown[d] = next;
            }

            if (grown[d] < lengths[d])
            {
                break;
            }
        }

        return new RegionSlabs((long)bytes, () => GridWalk(lengths, grown));
    }

    /// <summary>The size in bytes of the largest region: the buffer a region-by-region copy needs.</summary>
    public long MaxByteCount { get; }

    /// <summary>The regions in order.</summary>
    public IEnumerator<RegionXu64> GetEnumerator()
    {
        foreach (var (origin, size) in _walk())
        {
            yield return new RegionXu64(ToVector(origin), ToVector(size));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The regions as origin and size arrays, for the views' own region calls.</summary>
    internal IEnumerable<(long[] Origin, long[] Size)> Regions() => _walk();

    private static IEnumerable<(long[] Origin, long[] Size)> Canonical(long[] shape, int k, long step)
    {
        var rank = shape.Length;
        var origin = new long[rank];
        while (true)
        {
            var size = (long[])shape.Clone();
            for (var d = k + 1; d < rank; d++)
            {
                size[d] = 1;
            }

            size[k] = Math.Min(step, shape[k] - origin[k]);
            yield return ((long[])origin.Clone(), size);

            // Advance: a block along k, then single steps along the dimensions above it.
            origin[k] += size[k];
            var d2 = k;
            while (d2 < rank && origin[d2] >= shape[d2])
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

    private static IEnumerable<(long[] Origin, long[] Size)> AlongWalk(long[] shape, int dimension, long step)
    {
        for (long i = 0; i < shape[dimension]; i += step)
        {
            var origin = new long[shape.Length];
            var size = (long[])shape.Clone();
            origin[dimension] = i;
            size[dimension] = Math.Min(step, shape[dimension] - i);
            yield return (origin, size);
        }
    }

    private static IEnumerable<(long[] Origin, long[] Size)> GridWalk(long[] shape, long[] block)
    {
        var rank = shape.Length;
        var origin = new long[rank];
        while (true)
        {
            var size = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                size[d] = Math.Min(block[d], shape[d] - origin[d]);
            }

            yield return ((long[])origin.Clone(), size);
            var next = 0;
            while (next < rank && (origin[next] += block[next]) >= shape[next])
            {
                origin[next] = 0;
                next++;
            }

            if (next == rank)
            {
                yield break;
            }
        }
    }

    private static VectorXu64 ToVector(long[] values) => new(Array.ConvertAll(values, v => (ulong)v));
}
