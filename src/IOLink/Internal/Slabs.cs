namespace IOLink.Internal;

/// <summary>
/// The regions that walk a shape in canonical order in slabs of at most a given byte size (or one element when a
/// single element is larger): the dimensions below some k whole, a block of dimension k, single indices above it.
/// Each slab's dense bytes follow the previous slab's in the dense canonical layout of the whole shape, so slabs
/// can be streamed to a file front to back.
/// </summary>
internal readonly struct Slabs
{
    private readonly long[] _shape;
    private readonly int _k;
    private readonly long _chunk;

    public Slabs(long[] shape, long elementBytes, long slabBytes)
    {
        _shape = shape;
        var rank = shape.Length;
        var k = 0;
        var below = elementBytes;
        while (k < rank - 1 && below * shape[k] <= slabBytes)
        {
            below *= shape[k];
            k++;
        }

        _k = k;
        _chunk = Math.Max(1, Math.Min(shape[k], slabBytes / below));
        MaxBytes = below * _chunk;
    }

    /// <summary>The size in bytes of the largest slab.</summary>
    public long MaxBytes { get; }

    public IEnumerator<(long[] Origin, long[] Size)> GetEnumerator()
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
}
