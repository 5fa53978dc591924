namespace IOLink.Chunked;

/// <summary>
/// How an array is cut into chunks, in the array's own axis order: how many chunks each axis has, where each starts
/// and how long it is. A regular grid (<see cref="Regular"/>) is the only kind made today; the copy planner asks only
/// these members, so a rectilinear grid (chunks of varying length per axis) is one more subclass.
/// </summary>
/// <remarks>A chunk's stored length is its grid length even where the array ends inside it (Zarr keeps edge chunks whole); reads and writes clip to the array.</remarks>
public abstract class ChunkGrid
{
    private readonly long[] _arrayShape;

    /// <summary>A grid over an array of <paramref name="arrayShape"/> (each length at least 1).</summary>
    /// <exception cref="ArgumentException">The shape is empty or holds a length below 1.</exception>
    protected ChunkGrid(ReadOnlySpan<long> arrayShape)
    {
        if (arrayShape.IsEmpty || arrayShape.IndexOfAnyInRange(long.MinValue, 0) >= 0)
        {
            throw new ArgumentException($"An array of shape ({string.Join(", ", arrayShape.ToArray())}) cannot be chunked: give at least one axis, each of length 1 or more.", nameof(arrayShape));
        }

        _arrayShape = arrayShape.ToArray();
    }

    /// <summary>The array's lengths, in its axis order.</summary>
    public IReadOnlyList<long> ArrayShape => _arrayShape;

    /// <summary>The number of axes.</summary>
    public int Rank => _arrayShape.Length;

    /// <summary>How many chunks the array has (saturating at <see cref="long.MaxValue"/>; it is at most the element count).</summary>
    public long ChunkCount
    {
        get
        {
            long count = 1;
            for (var a = 0; a < Rank; a++)
            {
                var n = ChunksAlong(a);
                count = count > long.MaxValue / n ? long.MaxValue : count * n;
            }

            return count;
        }
    }

    /// <summary>The most elements one chunk holds (saturating at <see cref="long.MaxValue"/>).</summary>
    public abstract long MaxChunkElements { get; }

    /// <summary>How many chunks <paramref name="axis"/> has.</summary>
    public abstract long ChunksAlong(int axis);

    /// <summary>Where chunk <paramref name="index"/> of <paramref name="axis"/> starts.</summary>
    public abstract long ChunkStart(int axis, long index);

    /// <summary>The stored length of chunk <paramref name="index"/> of <paramref name="axis"/> (its part inside the array may be shorter).</summary>
    public abstract long ChunkLength(int axis, long index);

    /// <summary>The index of the chunk of <paramref name="axis"/> that holds <paramref name="position"/>.</summary>
    public abstract long ChunkIndex(int axis, long position);

    /// <summary>The stored shape of the chunk at <paramref name="chunk"/> (grid coordinates).</summary>
    public long[] ChunkShapeOf(ReadOnlySpan<long> chunk)
    {
        var shape = new long[Rank];
        for (var a = 0; a < shape.Length; a++)
        {
            shape[a] = ChunkLength(a, chunk[a]);
        }

        return shape;
    }

    /// <summary>The chunk's number in C order over the grid (what caches and locks key on).</summary>
    public long Number(ReadOnlySpan<long> chunk)
    {
        long n = 0;
        for (var a = 0; a < chunk.Length; a++)
        {
            n = (n * ChunksAlong(a)) + chunk[a];
        }

        return n;
    }

    /// <summary>The grid coordinates of chunk number <paramref name="number"/> (see <see cref="Number"/>).</summary>
    public long[] Coordinates(long number)
    {
        var chunk = new long[Rank];
        for (var a = Rank - 1; a >= 0; a--)
        {
            var n = ChunksAlong(a);
            chunk[a] = number % n;
            number /= n;
        }

        return chunk;
    }

    /// <summary>A grid of chunks of <paramref name="chunkShape"/> from the origin (the last chunk of an axis may reach past the array).</summary>
    /// <exception cref="ArgumentException">The shapes differ in rank, or a length is below 1.</exception>
    public static RegularChunkGrid Regular(ReadOnlySpan<long> arrayShape, ReadOnlySpan<long> chunkShape) => new(arrayShape, chunkShape);
}

/// <summary>Chunks of one shape from the origin: Zarr's <c>chunks</c>, a TIFF's tiles.</summary>
public sealed class RegularChunkGrid : ChunkGrid
{
    private readonly long[] _chunkShape;
    private readonly long[] _counts;

    internal RegularChunkGrid(ReadOnlySpan<long> arrayShape, ReadOnlySpan<long> chunkShape)
        : base(arrayShape)
    {
        if (chunkShape.Length != arrayShape.Length || chunkShape.IndexOfAnyInRange(long.MinValue, 0) >= 0)
        {
            throw new ArgumentException($"Chunks of ({string.Join(", ", chunkShape.ToArray())}) do not fit an array of {arrayShape.Length} axes: give one length of 1 or more per axis.", nameof(chunkShape));
        }

        _chunkShape = chunkShape.ToArray();
        _counts = new long[arrayShape.Length];
        long elements = 1;
        for (var a = 0; a < _counts.Length; a++)
        {
            // Rounded up without shape + chunk - 1, which overflows for lengths near 2^63.
            _counts[a] = (arrayShape[a] / chunkShape[a]) + (arrayShape[a] % chunkShape[a] == 0 ? 0 : 1);
            elements = elements > long.MaxValue / chunkShape[a] ? long.MaxValue : elements * chunkShape[a];
        }

        MaxChunkElements = elements;
    }

    /// <summary>The chunk lengths, in the array's axis order.</summary>
    public IReadOnlyList<long> ChunkShape => _chunkShape;

    /// <inheritdoc/>
    public override long MaxChunkElements { get; }

    /// <inheritdoc/>
    public override long ChunksAlong(int axis) => _counts[axis];

    /// <inheritdoc/>
    public override long ChunkStart(int axis, long index) => index * _chunkShape[axis];

    /// <inheritdoc/>
    public override long ChunkLength(int axis, long index) => _chunkShape[axis];

    /// <inheritdoc/>
    public override long ChunkIndex(int axis, long position) => position / _chunkShape[axis];
}
