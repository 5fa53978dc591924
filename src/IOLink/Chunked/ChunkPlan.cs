namespace IOLink.Chunked;

/// <summary>
/// The chunks a box of an array touches, numbered in C order over the part of the grid they form, and each one's
/// share of the box: the copy planner behind <see cref="ChunkedArray.Read"/> and <see cref="ChunkedArray.Write"/>.
/// It asks the grid only where chunks start and how long they are, so it serves any grid.
/// </summary>
internal sealed class ChunkPlan
{
    private readonly ChunkGrid _grid;
    private readonly long[] _low;
    private readonly long[] _end;
    private readonly long[] _first;
    private readonly long[] _span;

    public ChunkPlan(ChunkedArray array, ReadOnlySpan<long> start, ReadOnlySpan<long> count, ReadOnlySpan<long> boxStrides)
    {
        _grid = array.Grid;
        var rank = _grid.Rank;
        if (start.Length != rank || count.Length != rank || boxStrides.Length != rank)
        {
            throw new ArgumentException($"A box of the array {array.Name} needs {rank} starts, counts and strides (one per axis); got {start.Length}, {count.Length} and {boxStrides.Length}.");
        }

        _low = start.ToArray();
        BoxStrides = boxStrides.ToArray();
        _end = new long[rank];
        _first = new long[rank];
        _span = new long[rank];
        long total = 1;
        for (var a = 0; a < rank; a++)
        {
            var length = _grid.ArrayShape[a];
            if (start[a] < 0 || count[a] < 1 || start[a] > length - count[a])
            {
                throw new ArgumentException($"The box from ({string.Join(", ", start.ToArray())}) of ({string.Join(", ", count.ToArray())}) is not inside the array {array.Name} of ({string.Join(", ", _grid.ArrayShape)}); give a box of at least one element per axis that ends inside it.");
            }

            _end[a] = start[a] + count[a];
            _first[a] = _grid.ChunkIndex(a, start[a]);
            _span[a] = _grid.ChunkIndex(a, _end[a] - 1) - _first[a] + 1;
            total = total > long.MaxValue / _span[a] ? long.MaxValue : total * _span[a];
        }

        if (total > int.MaxValue)
        {
            throw new NotSupportedException($"A region of more than {int.MaxValue} chunks is read or written at once; split it into smaller regions.");
        }

        Total = (int)total;
    }

    /// <summary>How many chunks the box touches.</summary>
    public int Total { get; }

    /// <summary>The box buffer's byte strides per array axis.</summary>
    public long[] BoxStrides { get; }

    /// <summary>The share of the box of chunk number <paramref name="i"/> of the plan.</summary>
    public PartInfo Part(int i)
    {
        var rank = _low.Length;
        var chunk = new long[rank];
        var chunkOrigin = new long[rank];
        var start = new long[rank];
        var lengths = new long[rank];
        long rest = i;
        var whole = true;
        var coversArrayPart = true;
        long boxOffset = 0;
        for (var a = rank - 1; a >= 0; a--)
        {
            chunk[a] = _first[a] + (rest % _span[a]);
            rest /= _span[a];
            var size = _grid.ChunkLength(a, chunk[a]);
            chunkOrigin[a] = _grid.ChunkStart(a, chunk[a]);
            // The last chunk of an axis near 2^63 ends past what 64 bits hold: its end is the array's.
            var chunkEnd = chunkOrigin[a] > long.MaxValue - size ? _grid.ArrayShape[a] : chunkOrigin[a] + size;
            start[a] = Math.Max(_low[a], chunkOrigin[a]);
            var end = Math.Min(_end[a], chunkEnd);
            lengths[a] = end - start[a];
            whole &= start[a] == chunkOrigin[a] && lengths[a] == size;
            coversArrayPart &= start[a] == chunkOrigin[a] && end == Math.Min(chunkEnd, _grid.ArrayShape[a]);
            boxOffset += (start[a] - _low[a]) * BoxStrides[a];
        }

        return new PartInfo(chunk, chunkOrigin, start, lengths, whole, coversArrayPart, boxOffset);
    }

    /// <summary>One chunk's share of a box: where it starts in array space, its lengths, and whether it is the whole chunk.</summary>
    /// <param name="Chunk">The chunk's grid coordinates.</param>
    /// <param name="ChunkOrigin">Where the chunk starts in the array.</param>
    /// <param name="Start">Where the share starts in the array.</param>
    /// <param name="Lengths">The share's lengths.</param>
    /// <param name="Whole">The share is the whole chunk (every byte of its buffer).</param>
    /// <param name="CoversArrayPart">The share is every element of the chunk inside the array (an edge chunk's padding aside).</param>
    /// <param name="BoxOffset">The byte offset of the share in the box buffer.</param>
    public sealed record PartInfo(long[] Chunk, long[] ChunkOrigin, long[] Start, long[] Lengths, bool Whole, bool CoversArrayPart, long BoxOffset)
    {
        /// <summary>The byte offset of the share in the decoded chunk.</summary>
        public long InChunkOffset(long[] chunkStrides)
        {
            long offset = 0;
            for (var a = 0; a < Start.Length; a++)
            {
                offset += (Start[a] - ChunkOrigin[a]) * chunkStrides[a];
            }

            return offset;
        }
    }
}
