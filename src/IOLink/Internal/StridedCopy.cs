using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using IOLink.Layout;

namespace IOLink.Internal;

/// <summary>
/// Copies an N-dimensional block between two strided layouts. Dimensions are simplified first (length-1
/// dimensions dropped, destination strides made positive, dimensions sorted by destination stride, contiguous
/// neighbours merged), then the copy runs as block copies of contiguous runs, as a cache-tiled transpose when
/// source and destination are contiguous along different dimensions, or as a strided loop otherwise.
/// </summary>
internal static unsafe class StridedCopy
{
    private const int MaxDimensions = 64;

    /// <summary>The side of a transpose tile in bytes: one cache line, so a tile reads and writes whole lines and its buffer stays in L1.</summary>
    private const int TileBytes = 64;

    /// <summary>Runs longer than this go to <c>Buffer.MemoryCopy</c>, whose large-copy paths win there.</summary>
    private const long RunVectorLimit = 16 << 10;

    /// <summary>Copies at least this large (several times a last-level cache) bypass the cache with non-temporal stores.</summary>
    private const long StreamingBytes = 16L << 20;

    /// <summary>How many pieces a parallel copy is cut into per thread, at most.</summary>
    private const int PiecesPerThread = 4;

    /// <summary>The fewest units (tiles or cache lines along the split dimension) in a piece: a transpose prefetches its next tile along it.</summary>
    private const long MinUnitsPerPiece = 4;

    /// <summary>Copies elements of <paramref name="type"/> from <paramref name="src"/> to <paramref name="dst"/>.</summary>
    /// <param name="src">Address of the first source element.</param>
    /// <param name="dst">Address of the first destination element.</param>
    /// <param name="type">The element type; copies move whole components.</param>
    /// <param name="shape">The element count along each dimension.</param>
    /// <param name="srcStrides">Source byte strides, one per dimension.</param>
    /// <param name="dstStrides">Destination byte strides, one per dimension.</param>
    public static void Copy(byte* src, ReadOnlySpan<long> srcStrides, byte* dst, ReadOnlySpan<long> dstStrides, ReadOnlySpan<long> shape, DataType type)
    {
        if (shape.Length + 1 > MaxDimensions)
        {
            throw new NotSupportedException($"Copies of views with more than {MaxDimensions - 1} dimensions are not supported.");
        }

        var room = stackalloc CopyDimension[shape.Length + 1];
        long srcOffset = 0, dstOffset = 0;
        var count = StridedLayout.SimplifyCopy(shape, srcStrides, dstStrides, type.Dimension, type.ComponentByteCount, new CopyDimensions(room, shape.Length + 1), ref srcOffset, ref dstOffset);
        if (count < 0)
        {
            return;
        }

        var dims = new CopyDimensions(room, count);
        src += srcOffset;
        dst += dstOffset;
        var size = type.ComponentByteCount;
        var bytes = (long)size;
        for (var i = 0; i < dims.Length; i++)
        {
            bytes *= dims[i].Length;
        }

        var large = bytes >= StreamingBytes;
        var threads = CopyParallelism.PartsFor(bytes);
        if (threads > 1 && dims.Length > 0)
        {
            Parallel(src, dst, dims, size, threads, large);
            return;
        }

        Run(src, dst, dims, size, large);
    }

    // large: whether the whole copy (of which this may be one piece) is large enough for non-temporal stores.
    private static void Run(byte* src, byte* dst, CopyDimensions dims, int size, bool large)
    {
        switch (size)
        {
            case 1: Run<Bytes1>(src, dst, dims, large); break;
            case 2: Run<Bytes2>(src, dst, dims, large); break;
            case 4: Run<Bytes4>(src, dst, dims, large); break;
            default: Run<Bytes8>(src, dst, dims, large); break;
        }
    }

    /// <summary>
    /// Splits a large copy along its outermost dimension into up to <see cref="PiecesPerThread"/> pieces per thread
    /// run on <paramref name="threads"/> threads (the caller's and the pool's); each runs the same kernel on its share.
    /// A single contiguous run is split into byte ranges; a transpose's own dimensions are split on tile boundaries,
    /// so every thread still moves whole tiles. Several pieces per thread rather than one: a thread that starts late
    /// (a pool thread's first start, a core taken by another process) then takes fewer pieces instead of leaving
    /// the others waiting for its one share.
    /// </summary>
    private static void Parallel(byte* src, byte* dst, CopyDimensions dims, int size, int threads, bool large)
    {
        var shape = dims.ToArray();
        var k = shape.Length - 1;
        var split = shape[k];
        long unit = 1;
        if (k == 0)
        {
            if (split.Source != size || split.Destination != size)
            {
                Run(src, dst, dims, size, large);      // one strided line: no outer dimension to share
                return;
            }

            unit = Math.Max(1, 64 / size);      // whole cache lines per thread
        }
        else if (shape[0].Destination == size && Math.Abs(split.Source) == size)
        {
            unit = Math.Max(8, TileBytes / size);   // the transpose's tile side
        }

        var units = (split.Length + unit - 1) / unit;
        threads = (int)Math.Min(threads, units);
        if (threads <= 1)
        {
            Run(src, dst, dims, size, large);
            return;
        }

        var pieces = (int)Math.Clamp(units / MinUnitsPerPiece, threads, (long)threads * PiecesPerThread);
        new PartedCopy((nint)src, (nint)dst, shape, k, unit, units, pieces, threads, size, large).Run();
    }

    /// <summary>One copy cut into parts along one dimension, each part run by <see cref="ClaimedParts"/>.</summary>
    private sealed class PartedCopy
    {
        private readonly nint _src;
        private readonly nint _dst;
        private readonly CopyDimension[] _shape;
        private readonly int _k;
        private readonly long _unit;
        private readonly long _units;
        private readonly int _parts;
        private readonly int _threads;
        private readonly int _size;
        private readonly bool _large;

        public PartedCopy(nint src, nint dst, CopyDimension[] shape, int k, long unit, long units, int parts, int threads, int size, bool large) =>
            (_src, _dst, _shape, _k, _unit, _units, _parts, _threads, _size, _large) = (src, dst, shape, k, unit, units, parts, threads, size, large);

        public void Run() => ClaimedParts.Run(_parts, _threads, Copy);

        private void Copy(int part)
        {
            var split = _shape[_k];
            var first = _units * part / _parts * _unit;
            var end = Math.Min(split.Length, _units * (part + 1) / _parts * _unit);
            if (end <= first)
            {
                return;
            }

            var mine = stackalloc CopyDimension[_shape.Length];
            for (var i = 0; i < _shape.Length; i++)
            {
                mine[i] = _shape[i];
            }

            mine[_k] = new CopyDimension(end - first, split.Source, split.Destination);
            StridedCopy.Run((byte*)_src + (first * split.Source), (byte*)_dst + (first * split.Destination), new CopyDimensions(mine, _shape.Length), _size, _large);
        }
    }

    [MethodImpl(Jit.Kernel)]
    private static void Run<T>(byte* src, byte* dst, CopyDimensions dims, bool large)
        where T : unmanaged
    {
        var size = sizeof(T);
        if (dims.Length == 0)
        {
            Unsafe.WriteUnaligned(dst, Unsafe.ReadUnaligned<T>(src));
            return;
        }

        var inner = dims[0];
        if (inner.Source == size && inner.Destination == size)
        {
            Runs(src, dst, inner.Length * size, dims[1..]);
            return;
        }

        if (inner.Destination == size)
        {
            for (var j = 1; j < dims.Length; j++)
            {
                if (Math.Abs(dims[j].Source) == size)
                {
                    Transpose<T>(src, dst, dims, j, large);
                    return;
                }
            }
        }

        var rest = new CopyOdometer(dims[1..], stackalloc long[dims.Length - 1]);
        do
        {
            Line<T>(src + rest.SourceOffset, inner.Source, dst + rest.DestinationOffset, inner.Destination, inner.Length);
        }
        while (rest.Next());
    }

    /// <summary>
    /// Copies runs of <paramref name="bytes"/> contiguous bytes at every index of <paramref name="outer"/>: the
    /// common shapes (one or two outer dimensions: the rows, or the rows of each slice of a region) in plain loops,
    /// the rest through the odometer.
    /// </summary>
    [MethodImpl(Jit.Kernel)]
    private static void Runs(byte* src, byte* dst, long bytes, CopyDimensions outer)
    {
        switch (outer.Length)
        {
            case 0:
                CopyRun(src, dst, bytes);
                return;
            case 1:
            {
                var a = outer[0];
                for (long i = 0; i < a.Length; i++)
                {
                    CopyRun(src + (i * a.Source), dst + (i * a.Destination), bytes);
                }

                return;
            }

            case 2:
            {
                var a = outer[0];
                var b = outer[1];
                for (long j = 0; j < b.Length; j++)
                {
                    var s = src + (j * b.Source);
                    var d = dst + (j * b.Destination);
                    for (long i = 0; i < a.Length; i++)
                    {
                        CopyRun(s + (i * a.Source), d + (i * a.Destination), bytes);
                    }
                }

                return;
            }

            default:
            {
                var odometer = new CopyOdometer(outer, stackalloc long[outer.Length]);
                do
                {
                    CopyRun(src + odometer.SourceOffset, dst + odometer.DestinationOffset, bytes);
                }
                while (odometer.Next());
                return;
            }
        }
    }

    /// <summary>
    /// One contiguous run. Runs of 32 bytes to a few KiB (the rows of a region) go through 32-byte vector moves,
    /// four at a time, the last one overlapping the end: cheaper per call than <c>Buffer.MemoryCopy</c>,
    /// which pays for overlap checks and size dispatch on every row. Source and destination never overlap here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(byte* s, byte* d, long n)
    {
        if (n < 32 || n > RunVectorLimit || !Vector256.IsHardwareAccelerated)
        {
            Buffer.MemoryCopy(s, d, n, n);
            return;
        }

        var end = n - 32;
        long i = 0;
        for (; i + 128 <= n; i += 128)
        {
            var v0 = Unsafe.ReadUnaligned<Vector256<byte>>(s + i);
            var v1 = Unsafe.ReadUnaligned<Vector256<byte>>(s + i + 32);
            var v2 = Unsafe.ReadUnaligned<Vector256<byte>>(s + i + 64);
            var v3 = Unsafe.ReadUnaligned<Vector256<byte>>(s + i + 96);
            Unsafe.WriteUnaligned(d + i, v0);
            Unsafe.WriteUnaligned(d + i + 32, v1);
            Unsafe.WriteUnaligned(d + i + 64, v2);
            Unsafe.WriteUnaligned(d + i + 96, v3);
        }

        for (; i < end; i += 32)
        {
            Unsafe.WriteUnaligned(d + i, Unsafe.ReadUnaligned<Vector256<byte>>(s + i));
        }

        Unsafe.WriteUnaligned(d + end, Unsafe.ReadUnaligned<Vector256<byte>>(s + end));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Line<T>(byte* s, long ss, byte* d, long ds, long n)
        where T : unmanaged
    {
        for (long i = 0; i < n; i++)
        {
            Unsafe.WriteUnaligned(d, Unsafe.ReadUnaligned<T>(s));
            s += ss;
            d += ds;
        }
    }

    /// <summary>
    /// Copies when the destination is contiguous along dims[0] and the source along dims[j], through a small
    /// tile buffer: each source line is read whole along j and each destination line written whole along 0, so
    /// power-of-two strides (which map every row of a tile to the same cache set) do not thrash the cache.
    /// </summary>
    [MethodImpl(Jit.Kernel)]
    private static void Transpose<T>(byte* src, byte* dst, CopyDimensions dims, int j, bool large)
        where T : unmanaged
    {
        var size = sizeof(T);
        var tile = Math.Max(8, TileBytes / size);
        var a = dims[0];
        var b = dims[j];
        var room = stackalloc CopyDimension[dims.Length - 2];
        var others = new CopyDimensions(room, dims.Length - 2);
        var k = 0;
        for (var i = 1; i < dims.Length; i++)
        {
            if (i != j)
            {
                others[k++] = dims[i];
            }
        }

        var buffer = stackalloc T[tile * tile];
        // Whole tiles of 2- and 4-byte elements read forward are transposed in SIMD registers.
        var vector = Sse2.IsSupported && b.Source == size && size is 1 or 2 or 4;
        // The SIMD block side: 16 bytes of elements (16x16 bytes, 8x8 shorts, 4x4 ints).
        var block = 16 / size;
        var streaming = Avx.IsSupported && vector && large;
        var outer = new CopyOdometer(others, stackalloc long[others.Length]);
        do
        {
            var s0 = src + outer.SourceOffset;
            var d0 = dst + outer.DestinationOffset;
            for (long a0 = 0; a0 < a.Length; a0 += tile)
            {
                var na = (int)Math.Min(tile, a.Length - a0);
                for (long b0 = 0; b0 < b.Length; b0 += tile)
                {
                    var nb = (int)Math.Min(tile, b.Length - b0);
                    var first = 0;
                    if (vector && na % block == 0 && nb % block == 0)
                    {
                        if (b0 + tile < b.Length)
                        {
                            // Ask for the next tile's source lines now, into L2 (each lives in another row, which no prefetcher
                            // guesses; in L1 they would evict the current tile, whose rows share a cache set when strides are powers of two).
                            var next = s0 + (a0 * a.Source) + ((b0 + tile) * b.Source);
                            for (var ai = 0; ai < tile; ai++)
                            {
                                Sse.Prefetch1(next + (ai * a.Source));
                            }
                        }

                        GatherTile<T>(s0 + (a0 * a.Source) + (b0 * b.Source), a.Source, buffer, tile, na, nb);
                        first = na;
                    }

                    for (var ai = first; ai < na; ai++)
                    {
                        var s = s0 + ((a0 + ai) * a.Source) + (b0 * b.Source);
                        var t = buffer + ai;
                        for (var bi = 0; bi < nb; bi++)
                        {
                            t[bi * tile] = Unsafe.ReadUnaligned<T>(s);
                            s += b.Source;
                        }
                    }

                    var rowBytes = na * size;
                    if (first == na && rowBytes == 64)
                    {
                        // Whole destination cache lines: two 32-byte moves each, no call per row.
                        var row = (byte*)buffer;
                        var d = d0 + (a0 * a.Destination) + (b0 * b.Destination);
                        if (streaming && ((nint)d & 63) == 0 && (b.Destination & 63) == 0)
                        {
                            // Non-temporal stores of whole lines skip reading the destination first.
                            for (var bi = 0; bi < nb; bi++)
                            {
                                Avx.StoreAlignedNonTemporal(d, Unsafe.ReadUnaligned<Vector256<byte>>(row));
                                Avx.StoreAlignedNonTemporal(d + 32, Unsafe.ReadUnaligned<Vector256<byte>>(row + 32));
                                row += tile * size;
                                d += b.Destination;
                            }
                        }
                        else
                        {
                            for (var bi = 0; bi < nb; bi++)
                            {
                                Unsafe.WriteUnaligned(d, Unsafe.ReadUnaligned<Vector256<byte>>(row));
                                Unsafe.WriteUnaligned(d + 32, Unsafe.ReadUnaligned<Vector256<byte>>(row + 32));
                                row += tile * size;
                                d += b.Destination;
                            }
                        }
                    }
                    else
                    {
                        for (var bi = 0; bi < nb; bi++)
                        {
                            System.Buffer.MemoryCopy(buffer + (bi * tile), d0 + (a0 * a.Destination) + ((b0 + bi) * b.Destination), rowBytes, rowBytes);
                        }
                    }
                }
            }
        }
        while (outer.Next());
        if (streaming)
        {
            // Non-temporal stores are weakly ordered: fence them before anyone reads the destination.
            Sse.StoreFence();
        }
    }

    /// <summary>
    /// Transposes one full tile: source row r (stride <paramref name="rowStride"/>) holds the tile's column r of
    /// <paramref name="buffer"/>, whose rows are <paramref name="tile"/> elements long. 8x8 blocks of 16-bit and
    /// 4x4 blocks of 32-bit elements go through unpack shuffles, one load and one store per block row.
    /// </summary>
    [MethodImpl(Jit.Kernel)]
    private static void GatherTile<T>(byte* src, long rowStride, T* buffer, int tile, int na, int nb)
        where T : unmanaged
    {
        if (sizeof(T) == 1)
        {
            for (var ai = 0; ai < na; ai += 16)
            {
                for (var bi = 0; bi < nb; bi += 16)
                {
                    Transpose16x16(src + (ai * rowStride) + bi, rowStride, (byte*)buffer + (bi * tile) + ai, tile);
                }
            }
        }
        else if (sizeof(T) == 2)
        {
            for (var ai = 0; ai < na; ai += 8)
            {
                for (var bi = 0; bi < nb; bi += 8)
                {
                    Transpose8x8(src + (ai * rowStride) + (bi * 2), rowStride, (ushort*)buffer + (bi * tile) + ai, tile);
                }
            }
        }
        else
        {
            for (var ai = 0; ai < na; ai += 4)
            {
                for (var bi = 0; bi < nb; bi += 4)
                {
                    Transpose4x4(src + (ai * rowStride) + (bi * 4), rowStride, (uint*)buffer + (bi * tile) + ai, tile);
                }
            }
        }
    }

    /// <summary>16 rows of 16 bytes to 16 columns: four rounds of byte, short, int and long unpacks.</summary>
    [MethodImpl(Jit.Kernel)]
    private static void Transpose16x16(byte* s, long stride, byte* d, int dstRow)
    {
        var r = stackalloc Vector128<byte>[16];
        for (var i = 0; i < 16; i++)
        {
            r[i] = Unsafe.ReadUnaligned<Vector128<byte>>(s + (i * stride));
        }

        var t = stackalloc Vector128<byte>[16];
        for (var i = 0; i < 8; i++)
        {
            t[i] = Sse2.UnpackLow(r[2 * i], r[(2 * i) + 1]);
            t[i + 8] = Sse2.UnpackHigh(r[2 * i], r[(2 * i) + 1]);
        }

        // t[i]: bytes 0-7 of rows 2i, 2i+1 interleaved; t[i + 8]: bytes 8-15.
        for (var i = 0; i < 4; i++)
        {
            r[i] = Sse2.UnpackLow(t[2 * i].AsUInt16(), t[(2 * i) + 1].AsUInt16()).AsByte();
            r[i + 4] = Sse2.UnpackHigh(t[2 * i].AsUInt16(), t[(2 * i) + 1].AsUInt16()).AsByte();
            r[i + 8] = Sse2.UnpackLow(t[(2 * i) + 8].AsUInt16(), t[(2 * i) + 9].AsUInt16()).AsByte();
            r[i + 12] = Sse2.UnpackHigh(t[(2 * i) + 8].AsUInt16(), t[(2 * i) + 9].AsUInt16()).AsByte();
        }

        for (var g = 0; g < 4; g++)
        {
            var q = 4 * g;
            t[q] = Sse2.UnpackLow(r[q].AsUInt32(), r[q + 1].AsUInt32()).AsByte();
            t[q + 1] = Sse2.UnpackHigh(r[q].AsUInt32(), r[q + 1].AsUInt32()).AsByte();
            t[q + 2] = Sse2.UnpackLow(r[q + 2].AsUInt32(), r[q + 3].AsUInt32()).AsByte();
            t[q + 3] = Sse2.UnpackHigh(r[q + 2].AsUInt32(), r[q + 3].AsUInt32()).AsByte();
        }

        for (var g = 0; g < 4; g++)
        {
            // Columns 4g to 4g+3 of the block: 16 bytes each, one from every source row.
            var q = 4 * g;
            var column = d + (q * dstRow);
            Unsafe.WriteUnaligned(column, Sse2.UnpackLow(t[q].AsUInt64(), t[q + 2].AsUInt64()).AsByte());
            Unsafe.WriteUnaligned(column + dstRow, Sse2.UnpackHigh(t[q].AsUInt64(), t[q + 2].AsUInt64()).AsByte());
            Unsafe.WriteUnaligned(column + (2 * dstRow), Sse2.UnpackLow(t[q + 1].AsUInt64(), t[q + 3].AsUInt64()).AsByte());
            Unsafe.WriteUnaligned(column + (3 * dstRow), Sse2.UnpackHigh(t[q + 1].AsUInt64(), t[q + 3].AsUInt64()).AsByte());
        }
    }

    [MethodImpl(Jit.Kernel)]
    private static void Transpose8x8(byte* s, long stride, ushort* d, int dstRow)
    {
        var r0 = Unsafe.ReadUnaligned<Vector128<short>>(s);
        var r1 = Unsafe.ReadUnaligned<Vector128<short>>(s + stride);
        var r2 = Unsafe.ReadUnaligned<Vector128<short>>(s + (2 * stride));
        var r3 = Unsafe.ReadUnaligned<Vector128<short>>(s + (3 * stride));
        var r4 = Unsafe.ReadUnaligned<Vector128<short>>(s + (4 * stride));
        var r5 = Unsafe.ReadUnaligned<Vector128<short>>(s + (5 * stride));
        var r6 = Unsafe.ReadUnaligned<Vector128<short>>(s + (6 * stride));
        var r7 = Unsafe.ReadUnaligned<Vector128<short>>(s + (7 * stride));
        var t0 = Sse2.UnpackLow(r0, r1).AsInt32();
        var t1 = Sse2.UnpackHigh(r0, r1).AsInt32();
        var t2 = Sse2.UnpackLow(r2, r3).AsInt32();
        var t3 = Sse2.UnpackHigh(r2, r3).AsInt32();
        var t4 = Sse2.UnpackLow(r4, r5).AsInt32();
        var t5 = Sse2.UnpackHigh(r4, r5).AsInt32();
        var t6 = Sse2.UnpackLow(r6, r7).AsInt32();
        var t7 = Sse2.UnpackHigh(r6, r7).AsInt32();
        var u0 = Sse2.UnpackLow(t0, t2).AsInt64();
        var u1 = Sse2.UnpackHigh(t0, t2).AsInt64();
        var u2 = Sse2.UnpackLow(t1, t3).AsInt64();
        var u3 = Sse2.UnpackHigh(t1, t3).AsInt64();
        var u4 = Sse2.UnpackLow(t4, t6).AsInt64();
        var u5 = Sse2.UnpackHigh(t4, t6).AsInt64();
        var u6 = Sse2.UnpackLow(t5, t7).AsInt64();
        var u7 = Sse2.UnpackHigh(t5, t7).AsInt64();
        Unsafe.WriteUnaligned(d, Sse2.UnpackLow(u0, u4).AsUInt16());
        Unsafe.WriteUnaligned(d + dstRow, Sse2.UnpackHigh(u0, u4).AsUInt16());
        Unsafe.WriteUnaligned(d + (2 * dstRow), Sse2.UnpackLow(u1, u5).AsUInt16());
        Unsafe.WriteUnaligned(d + (3 * dstRow), Sse2.UnpackHigh(u1, u5).AsUInt16());
        Unsafe.WriteUnaligned(d + (4 * dstRow), Sse2.UnpackLow(u2, u6).AsUInt16());
        Unsafe.WriteUnaligned(d + (5 * dstRow), Sse2.UnpackHigh(u2, u6).AsUInt16());
        Unsafe.WriteUnaligned(d + (6 * dstRow), Sse2.UnpackLow(u3, u7).AsUInt16());
        Unsafe.WriteUnaligned(d + (7 * dstRow), Sse2.UnpackHigh(u3, u7).AsUInt16());
    }

    [MethodImpl(Jit.Kernel)]
    private static void Transpose4x4(byte* s, long stride, uint* d, int dstRow)
    {
        var r0 = Unsafe.ReadUnaligned<Vector128<int>>(s);
        var r1 = Unsafe.ReadUnaligned<Vector128<int>>(s + stride);
        var r2 = Unsafe.ReadUnaligned<Vector128<int>>(s + (2 * stride));
        var r3 = Unsafe.ReadUnaligned<Vector128<int>>(s + (3 * stride));
        var t0 = Sse2.UnpackLow(r0, r1).AsInt64();
        var t1 = Sse2.UnpackHigh(r0, r1).AsInt64();
        var t2 = Sse2.UnpackLow(r2, r3).AsInt64();
        var t3 = Sse2.UnpackHigh(r2, r3).AsInt64();
        Unsafe.WriteUnaligned(d, Sse2.UnpackLow(t0, t2).AsUInt32());
        Unsafe.WriteUnaligned(d + dstRow, Sse2.UnpackHigh(t0, t2).AsUInt32());
        Unsafe.WriteUnaligned(d + (2 * dstRow), Sse2.UnpackLow(t1, t3).AsUInt32());
        Unsafe.WriteUnaligned(d + (3 * dstRow), Sse2.UnpackHigh(t1, t3).AsUInt32());
    }

    // The kernels' element types: one 1-, 2-, 4- or 8-byte struct each rather than byte, ushort, uint and ulong,
    // because ReadyToRun compiles a generic method's instantiations ahead of time only over types of the same
    // assembly (over CoreLib's primitives they would be jitted at every process's first copy). Their fields are
    // only ever copied whole.
#pragma warning disable CS0169
    private readonly struct Bytes1
    {
        private readonly byte _value;
    }

    private readonly struct Bytes2
    {
        private readonly ushort _value;
    }

    private readonly struct Bytes4
    {
        private readonly uint _value;
    }

    private readonly struct Bytes8
    {
        private readonly ulong _value;
    }
#pragma warning restore CS0169
}
