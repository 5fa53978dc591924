using System.Buffers;

namespace IOLink.Zarr.Internal;

/// <summary>
/// Moves a box of an array (in array space: a start and a count per array axis) between a buffer and the chunks
/// it touches, one chunk per part of <see cref="CopyParallelism.RunParts"/> so that chunks are decoded and encoded on every core.
/// </summary>
internal static unsafe class ChunkCopy
{
    /// <summary>Reads the box into <paramref name="dst"/>, whose byte strides per array axis are <paramref name="dstStrides"/>.</summary>
    public static void Read(ChunkStore store, long[] low, long[] count, byte* dst, long[] dstStrides)
    {
        var plan = new Plan(store.Metadata, low, count);
        var chunkStrides = store.Metadata.ChunkStrides;
        var direct = chunkStrides.AsSpan().SequenceEqual(dstStrides);
        var address = (nint)dst;
        CopyParallelism.RunParts(plan.Total, i =>
        {
            var part = plan.Part(i);
            var to = (byte*)address + part.Offset(dstStrides, low);
            if (part.Whole && direct)
            {
                // The chunk's bytes are the destination's, in the same order: decode straight into place.
                var span = new Span<byte>(to, store.Metadata.ChunkBytes);
                if (!store.TryRead(part.Chunk, span))
                {
                    Fill(store.Metadata, to, dstStrides, part.Lengths);
                }

                return;
            }

            byte[]? rented = null;
            try
            {
                byte[]? data;
                if (part.Whole)
                {
                    // Read once and wholly: no use keeping it in the cache.
                    rented = ArrayPool<byte>.Shared.Rent(store.Metadata.ChunkBytes);
                    data = store.TryRead(part.Chunk, rented.AsSpan(0, store.Metadata.ChunkBytes)) ? rented : null;
                }
                else
                {
                    data = store.Get(part.Chunk);
                }

                if (data is null)
                {
                    // A missing chunk reads as the fill value: only the elements read are filled, never a whole
                    // chunk's worth (a tiny array may declare a chunk of gigabytes).
                    Fill(store.Metadata, to, dstStrides, part.Lengths);
                    return;
                }

                fixed (byte* from = data)
                {
                    StridedMemory.DangerousCopy(from + part.InChunkOffset(chunkStrides), chunkStrides, to, dstStrides, part.Lengths, store.Metadata.Dtype.ItemType);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        });
    }

    /// <summary>Fills a box of <paramref name="lengths"/> elements at <paramref name="to"/> (byte strides <paramref name="strides"/>) with the array's fill value.</summary>
    private static void Fill(ZarrMetadata metadata, byte* to, long[] strides, long[] lengths)
    {
        fixed (byte* fill = metadata.Fill)
        {
            // A source stride of 0 along every axis repeats the one fill item.
            StridedMemory.DangerousCopy(fill, new long[lengths.Length], to, strides, lengths, metadata.Dtype.ItemType);
        }
    }

    /// <summary>Writes the box from <paramref name="src"/>, whose byte strides per array axis are <paramref name="srcStrides"/>.</summary>
    public static void Write(ChunkStore store, long[] low, long[] count, byte* src, long[] srcStrides)
    {
        var plan = new Plan(store.Metadata, low, count);
        var chunkStrides = store.Metadata.ChunkStrides;
        var address = (nint)src;
        CopyParallelism.RunParts(plan.Total, i =>
        {
            var part = plan.Part(i);
            var from = (byte*)address + part.Offset(srcStrides, low);
            var start = part.Whole ? ChunkStore.Start.Nothing : part.CoversArrayPart ? ChunkStore.Start.Fill : ChunkStore.Start.Existing;
            store.Write(part.Chunk, start, data =>
            {
                fixed (byte* to = data)
                {
                    StridedMemory.DangerousCopy(from, srcStrides, to + part.InChunkOffset(chunkStrides), chunkStrides, part.Lengths, store.Metadata.Dtype.ItemType);
                }
            });
        });
    }

    /// <summary>The chunks a box touches, numbered in C order over their grid.</summary>
    private readonly struct Plan
    {
        private readonly ZarrMetadata _metadata;
        private readonly long[] _low;
        private readonly long[] _end;
        private readonly long[] _first;
        private readonly long[] _span;

        public Plan(ZarrMetadata metadata, long[] low, long[] count)
        {
            _metadata = metadata;
            _low = low;
            var rank = low.Length;
            _end = new long[rank];
            _first = new long[rank];
            _span = new long[rank];
            long total = 1;
            for (var a = 0; a < rank; a++)
            {
                _end[a] = low[a] + count[a];
                _first[a] = low[a] / metadata.Chunks[a];
                _span[a] = ((_end[a] - 1) / metadata.Chunks[a]) - _first[a] + 1;
                total *= _span[a];
            }

            Total = (int)Math.Min(total, int.MaxValue);
            if (total > int.MaxValue)
            {
                throw new NotSupportedException($"A region of more than {int.MaxValue} chunks is read or written at once; split it into smaller regions.");
            }
        }

        public int Total { get; }

        public ChunkPart Part(int i)
        {
            var rank = _low.Length;
            var chunk = new long[rank];
            var start = new long[rank];
            var lengths = new long[rank];
            long rest = i;
            var whole = true;
            var coversArrayPart = true;
            for (var a = rank - 1; a >= 0; a--)
            {
                chunk[a] = _first[a] + (rest % _span[a]);
                rest /= _span[a];
                var size = _metadata.Chunks[a];
                var chunkStart = chunk[a] * size;
                // The last chunk of an axis near 2^63 long ends past what 64 bits hold: its end is the array's.
                var chunkEnd = chunkStart > long.MaxValue - size ? _metadata.Shape[a] : chunkStart + size;
                start[a] = Math.Max(_low[a], chunkStart);
                var end = Math.Min(_end[a], chunkEnd);
                lengths[a] = end - start[a];
                whole &= start[a] == chunkStart && lengths[a] == size;
                coversArrayPart &= start[a] == chunkStart && end == Math.Min(chunkEnd, _metadata.Shape[a]);
            }

            return new ChunkPart(chunk, start, lengths, whole, coversArrayPart, _metadata.Chunks);
        }
    }

    /// <summary>One chunk's share of a box: where it starts in array space, its lengths, and whether it is the whole chunk.</summary>
    private sealed class ChunkPart(long[] chunk, long[] start, long[] lengths, bool whole, bool coversArrayPart, long[] chunks)
    {
        public long[] Chunk => chunk;

        public long[] Lengths => lengths;

        /// <summary>The share is the whole chunk (every byte of its buffer).</summary>
        public bool Whole => whole;

        /// <summary>The share is every element of the chunk inside the array (an edge chunk's padding aside).</summary>
        public bool CoversArrayPart => coversArrayPart;

        /// <summary>The byte offset of the share in a box buffer with these strides, whose first element is <paramref name="low"/>.</summary>
        public long Offset(long[] strides, long[] low)
        {
            long offset = 0;
            for (var a = 0; a < start.Length; a++)
            {
                offset += (start[a] - low[a]) * strides[a];
            }

            return offset;
        }

        /// <summary>The byte offset of the share in the decoded chunk.</summary>
        public long InChunkOffset(long[] chunkStrides)
        {
            long offset = 0;
            for (var a = 0; a < start.Length; a++)
            {
                offset += (start[a] - (chunk[a] * chunks[a])) * chunkStrides[a];
            }

            return offset;
        }
    }
}
