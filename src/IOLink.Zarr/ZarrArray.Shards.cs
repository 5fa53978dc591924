using System.Buffers;
using IOLink.Chunked;
using IOLink.Interop;
using IOLink.Storage;
using IOLink.Zarr.Internal;

namespace IOLink.Zarr;

/// <summary>Writing a view as a sharded Zarr v3 array: whole shards built in memory, one per thread at a time.</summary>
public sealed unsafe partial class ZarrArray
{
    /// <summary>
    /// Writes a view into a new sharded array's shards: each shard's region of the view is read once, its inner chunks
    /// encoded in C order, and the shard (chunks, then the index) stored as one value, written under a temporary name
    /// and renamed into place by the store. Shards are written in parallel when there are enough of them, and a shard's
    /// inner chunks are encoded in parallel otherwise; memory is a shard's decoded and encoded bytes per thread.
    /// </summary>
    private sealed class ShardWriter(ImageView view, ZarrMetadata metadata, KeyValueStore store, int[] viewDimension, IProgress<double>? progress)
    {
        private readonly ShardLayout _layout = metadata.Shards!;
        private readonly object _progressGate = new();
        private long _done;

        /// <summary>The memory shards in flight may take together before they are written one at a time (each with its inner chunks encoded in parallel).</summary>
        private const long ParallelShardBudget = 1L << 30;

        public void Run()
        {
            var grid = metadata.Grid;
            var total = grid.ChunkCount;
            var threads = CopyParallelism.MaxDegreeOfParallelism;
            // A shard in flight holds its region, its encoded chunks and the assembled shard: about three times its bytes.
            long shardBytes = metadata.Dtype.ItemSize;
            foreach (var n in metadata.Chunks)
            {
                shardBytes *= n;
            }

            if (total >= threads && 3.0 * shardBytes * threads <= ParallelShardBudget)
            {
                CopyParallelism.RunParts((int)Math.Min(total, int.MaxValue), n => WriteShard(n, parallelChunks: false));
            }
            else
            {
                for (long n = 0; n < total; n++)
                {
                    WriteShard(n, parallelChunks: true);
                }
            }
        }

        private void WriteShard(long number, bool parallelChunks)
        {
            var grid = metadata.Grid;
            var rank = grid.Rank;
            var shard = grid.Coordinates(number);
            var itemType = metadata.Dtype.ItemType;

            // The shard's part inside the array, as a region of the view.
            var arrayStart = new long[rank];
            var lengths = new long[rank];
            var origin = new long[view.DimensionCount];
            var size = new long[view.DimensionCount];
            for (var a = 0; a < rank; a++)
            {
                arrayStart[a] = grid.ChunkStart(a, shard[a]);
                lengths[a] = Math.Min(grid.ChunkLength(a, shard[a]), grid.ArrayShape[a] - arrayStart[a]);
                if (viewDimension[a] != ArrayAxes.ComponentAxis)
                {
                    origin[viewDimension[a]] = arrayStart[a];
                    size[viewDimension[a]] = lengths[a];
                }
            }

            var from = ChunkedImageView.RegionByteStrides(viewDimension, size, view.DataType);
            long regionBytes = view.DataType.ByteCount;
            foreach (var n in size)
            {
                regionBytes *= n;
            }

            var region = ArrayPool<byte>.Shared.Rent((int)regionBytes);
            var encoded = new ArraySegment<byte>?[_layout.InnerCount];
            var rented = new byte[]?[_layout.InnerCount];
            try
            {
                view.ReadRegion(new RegionXu64(Vector(origin), Vector(size)), region.AsSpan(0, (int)regionBytes));
                fixed (byte* regionAddress = region)
                {
                    var address = (nint)regionAddress;
                    void Encode(int i)
                    {
                        (encoded[i], rented[i]) = EncodeInner(i, (byte*)address, from, lengths, itemType);
                    }

                    if (parallelChunks)
                    {
                        CopyParallelism.RunParts((int)_layout.InnerCount, Encode);
                    }
                    else
                    {
                        for (var i = 0; i < _layout.InnerCount; i++)
                        {
                            Encode(i);
                        }
                    }
                }

                var key = metadata.Keys.Key(shard);
                try
                {
                    _layout.Assemble(encoded, bytes => store.Set(key, bytes));
                }
                catch (IOException ex)
                {
                    throw new IOException($"{store.Name}: shard '{key}' could not be written: {ex.Message}", ex);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(region);
                foreach (var buffer in rented)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }

            if (progress is not null)
            {
                lock (_progressGate)
                {
                    _done++;
                    progress.Report((double)_done / grid.ChunkCount);
                }
            }
        }

        /// <summary>Encodes inner chunk <paramref name="i"/> (C order in the shard) from the shard's region; null when it lies wholly outside the array.</summary>
        private (ArraySegment<byte>? Encoded, byte[]? Buffer) EncodeInner(int i, byte* region, long[] regionStrides, long[] shardLengths, DataType itemType)
        {
            var rank = shardLengths.Length;
            var inner = _layout.InnerChunks;
            var within = new long[rank];
            var rest = (long)i;
            for (var a = rank - 1; a >= 0; a--)
            {
                within[a] = rest % _layout.ChunksPerShard[a];
                rest /= _layout.ChunksPerShard[a];
            }

            var lengths = new long[rank];
            var whole = true;
            long offset = 0;
            for (var a = 0; a < rank; a++)
            {
                var start = within[a] * inner[a];
                if (start >= shardLengths[a])
                {
                    return (null, null);   // past the array's end: no chunk, as zarr-python writes
                }

                lengths[a] = Math.Min(inner[a], shardLengths[a] - start);
                whole &= lengths[a] == inner[a];
                offset += start * regionStrides[a];
            }

            long chunkBytes = itemType.ByteCount;
            foreach (var n in inner)
            {
                chunkBytes *= n;
            }

            var strides = _layout.InnerPipeline.DecodedByteStrides(inner, itemType.ByteCount);
            var chunk = ArrayPool<byte>.Shared.Rent((int)chunkBytes);
            try
            {
                if (!whole)
                {
                    // An edge chunk's part past the array holds the fill value (zeros: IOLink writes fill value 0).
                    chunk.AsSpan(0, (int)chunkBytes).Clear();
                }

                fixed (byte* to = chunk)
                {
                    StridedMemory.DangerousCopy(region + offset, regionStrides, to, strides, lengths, itemType);
                }

                byte[]? output = null;
                var count = 0;
                _layout.InnerPipeline.Encode(chunk.AsSpan(0, (int)chunkBytes), itemType, bytes =>
                {
                    output = ArrayPool<byte>.Shared.Rent(bytes.Length);
                    bytes.CopyTo(output);
                    count = bytes.Length;
                });
                return (new ArraySegment<byte>(output!, 0, count), output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        private static VectorXu64 Vector(long[] values) => new(Array.ConvertAll(values, v => (ulong)v));
    }
}
