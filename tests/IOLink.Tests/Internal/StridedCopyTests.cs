using IOLink.Internal;

namespace IOLink.Tests.Internal;

/// <summary>The copy kernel against a naive element-by-element oracle over random layouts.</summary>
public unsafe class StridedCopyTests
{
    public static TheoryData<DataTypeId> Types => new()
    {
        DataTypeId.UINT8, DataTypeId.INT16, DataTypeId.FLOAT, DataTypeId.DOUBLE,
        DataTypeId.VEC3_UINT8, DataTypeId.VEC3_UINT16, DataTypeId.VEC2_FLOAT, DataTypeId.COMPLEX_DOUBLE, DataTypeId.MATRIX3_FLOAT,
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void RandomLayouts_MatchTheNaiveCopy(DataTypeId id)
    {
        DataType type = id;
        var e = type.ByteCount;
        var random = new Random(1234 + (int)(uint)type.Id);
        for (var trial = 0; trial < 60; trial++)
        {
            var rank = random.Next(1, 5);
            var shape = new long[rank];
            for (var i = 0; i < rank; i++)
            {
                shape[i] = random.Next(1, trial % 10 == 0 ? 70 : 9);
            }

            var (srcStrides, srcBase, srcLen) = RandomLayout(shape, e, random);
            var (dstStrides, dstBase, dstLen) = RandomLayout(shape, e, random);
            var src = new byte[srcLen];
            random.NextBytes(src);
            var dst = new byte[dstLen];
            var expected = new byte[dstLen];
            Naive(src, srcBase, srcStrides, expected, dstBase, dstStrides, shape, e);
            fixed (byte* s = src)
            fixed (byte* d = dst)
            {
                StridedCopy.Copy(s + srcBase, srcStrides, d + dstBase, dstStrides, shape, type);
            }

            Assert.Equal(expected, dst);
        }
    }

    [Theory]
    [InlineData(DataTypeId.UINT8)]
    [InlineData(DataTypeId.UINT16)]
    [InlineData(DataTypeId.FLOAT)]
    [InlineData(DataTypeId.DOUBLE)]
    [InlineData(DataTypeId.VEC3_UINT16)]
    public void Transposes_OfWholeAndPartialTiles_MatchTheNaiveCopy(DataTypeId id)
    {
        DataType type = id;
        var e = type.ByteCount;
        var random = new Random(99);
        foreach (var shape in new long[][] { [67, 45], [32, 32], [64, 96, 3], [8, 40, 33], [5, 130] })
        {
            // Source with the axes reversed (a full transpose), destination dense; then the reverse, and a flipped source.
            var dense = new long[shape.Length];
            var reversed = new long[shape.Length];
            long d = e;
            long r = e;
            for (var i = 0; i < shape.Length; i++)
            {
                dense[i] = d;
                d *= shape[i];
                reversed[shape.Length - 1 - i] = r;
                r *= shape[shape.Length - 1 - i];
            }

            var flipped = (long[])reversed.Clone();
            flipped[0] = -flipped[0];
            var flippedBase = (shape[0] - 1) * reversed[0];
            foreach (var (ss, sb, ds) in new[] { (reversed, 0L, dense), (dense, 0L, reversed), (flipped, flippedBase, dense) })
            {
                var src = new byte[d];
                random.NextBytes(src);
                var expected = new byte[d];
                var dst = new byte[d];
                Naive(src, sb, ss, expected, 0, ds, shape, e);
                fixed (byte* sp = src)
                fixed (byte* dp = dst)
                {
                    StridedCopy.Copy(sp + sb, ss, dp, ds, shape, type);
                }

                Assert.Equal(expected, dst);
            }
        }
    }

    [Fact]
    public void LargeTranspose_UsingStreamingStores_MatchesTheNaiveCopy()
    {
        // 32 MiB: above the size where whole destination lines bypass the cache.
        using var source = ImageViewFactory.Allocate(new VectorXu64(4096, 4096), DataTypeId.UINT16);
        var random = new Random(5);
        var row = new byte[4096 * 2];
        for (ulong y = 0; y < 4096; y++)
        {
            random.NextBytes(row);
            source.WriteRegion(new RegionXu64(new VectorXu64(0, y), new VectorXu64(4096, 1)), row);
        }

        using var transposed = ImageViewFactory.ReinterpretAxes(source, ImageDimension.ROW, ImageDimension.COLUMN);
        using var copy = ImageViewFactory.CopyInMemory(transposed);
        var s = (ushort*)source.Buffer;
        var d = (ushort*)copy.Buffer;
        for (var y = 0; y < 4096; y += 7)
        {
            for (var x = 0; x < 4096; x++)
            {
                if (d[(y * 4096) + x] != s[(x * 4096) + y])
                {
                    Assert.Fail($"copy ({x}, {y}) = {d[(y * 4096) + x]} but source ({y}, {x}) = {s[(x * 4096) + y]}");
                }
            }
        }
    }

    public static TheoryData<DataTypeId> ComponentSizes => new()
    {
        DataTypeId.UINT8, DataTypeId.UINT16, DataTypeId.FLOAT, DataTypeId.DOUBLE, DataTypeId.VEC3_UINT8, DataTypeId.COMPLEX_DOUBLE,
    };

    /// <summary>
    /// Copies big enough to be split across threads (random layouts of 2 to 6 MiB: runs, transposes with partial
    /// tiles, strided lines, flips) give the naive copy's bytes, and the serial kernel's, whatever the thread count.
    /// </summary>
    [Theory]
    [MemberData(nameof(ComponentSizes))]
    public void ThreadedCopies_MatchTheSerialOnesAndTheNaiveCopy(DataTypeId id)
    {
        DataType type = id;
        var e = type.ByteCount;
        var random = new Random(4321 + (int)(uint)type.Id);
        for (var trial = 0; trial < 6; trial++)
        {
            var target = (2L << 20) + random.Next(4 << 20);
            var rank = 2 + (trial % 3);
            var shape = new long[rank];
            var elements = target / e;
            for (var i = 0; i < rank - 1; i++)
            {
                shape[i] = random.Next(3, 90);
                elements /= shape[i];
            }

            shape[rank - 1] = Math.Max(2, elements);
            var (srcStrides, srcBase, srcLen) = RandomLayout(shape, e, random);
            var (dstStrides, dstBase, dstLen) = RandomLayout(shape, e, random);
            var src = new byte[srcLen];
            random.NextBytes(src);
            var expected = new byte[dstLen];
            Naive(src, srcBase, srcStrides, expected, dstBase, dstStrides, shape, e);
            foreach (var threads in new[] { 1, 2, 3, 8 })
            {
                var dst = new byte[dstLen];
                WithThreads(threads, () =>
                {
                    fixed (byte* sp = src)
                    fixed (byte* dp = dst)
                    {
                        StridedCopy.Copy(sp + srcBase, srcStrides, dp + dstBase, dstStrides, shape, type);
                    }
                });
                Assert.True(expected.AsSpan().SequenceEqual(dst), $"{type} shape [{string.Join(", ", shape)}] with {threads} threads differs from the naive copy");
            }
        }
    }

    /// <summary>Exactly at the size where a copy is first split, one element below it, and a transpose with ragged tiles at the split.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1)]
    public void CopiesAtTheSplitThreshold_AreExact(int elementsFromThreshold)
    {
        var n = (2 * CopyParallelism.MinimumBytesPerThread / 2) + elementsFromThreshold;       // UINT16 elements
        var rows = 33L;
        var columns = (n + rows - 1) / rows;
        long[] shape = [columns, rows];
        var random = new Random(7);
        var src = new byte[columns * rows * 2];
        random.NextBytes(src);
        long[] dense = [2, columns * 2];
        long[] transposed = [rows * 2, 2];
        foreach (var (ss, ds) in new[] { (dense, dense), (transposed, dense), (dense, transposed) })
        {
            var expected = new byte[src.Length];
            Naive(src, 0, ss, expected, 0, ds, shape, 2);
            var dst = new byte[src.Length];
            WithThreads(2, () =>
            {
                fixed (byte* sp = src)
                fixed (byte* dp = dst)
                {
                    StridedCopy.Copy(sp, ss, dp, ds, shape, DataTypeId.UINT16);
                }
            });
            Assert.True(expected.AsSpan().SequenceEqual(dst));
        }
    }

    [Fact]
    public void TheDegreeOfParallelism_IsAtLeastOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CopyParallelism.MaxDegreeOfParallelism = 0);
        Assert.True(CopyParallelism.MaxDegreeOfParallelism >= 1);
    }

    [Fact]
    public void LoadingIOLink_StartsOneWorkerPerHelperThread_UnlessTheApplicationSwitchesItOff()
    {
        // The switch an application sets in its runtime configuration (the iolink tool does) queues no work at all.
        WithThreads(4, () =>
        {
            Assert.Equal(0, CopyParallelism.WorkersToStart(false));
            Assert.Equal(Math.Min(4, Environment.ProcessorCount) - 1, CopyParallelism.WorkersToStart(true));
            Assert.Equal(Math.Min(4, Environment.ProcessorCount) - 1, CopyParallelism.WorkersToStart(null));
        });
        WithThreads(1, () => Assert.Equal(0, CopyParallelism.WorkersToStart(null)));
        Assert.Equal("IOLink.CopyParallelism.StartWorkersOnLoad", CopyParallelism.StartWorkersSwitch);
        // What loading IOLink runs reads the switch (set here as a runtime configuration sets it).
        WithThreads(2, () =>
        {
            try
            {
                AppContext.SetSwitch(CopyParallelism.StartWorkersSwitch, false);
                Assert.Equal(0, CopyParallelism.QueueWorkers());
                AppContext.SetSwitch(CopyParallelism.StartWorkersSwitch, true);
                Assert.Equal(Math.Min(2, Environment.ProcessorCount) - 1, CopyParallelism.QueueWorkers());
            }
            finally
            {
                AppContext.SetSwitch(CopyParallelism.StartWorkersSwitch, true);
            }
        });
    }

    private static readonly Lock ThreadsGate = new();

    /// <summary>Runs <paramref name="action"/> with copies limited to <paramref name="threads"/> threads, then restores the setting.</summary>
    private static void WithThreads(int threads, Action action)
    {
        lock (ThreadsGate)
        {
            var before = CopyParallelism.MaxDegreeOfParallelism;
            CopyParallelism.MaxDegreeOfParallelism = threads;
            try
            {
                action();
            }
            finally
            {
                CopyParallelism.MaxDegreeOfParallelism = before;
            }
        }
    }

    /// <summary>A random permutation of dense strides, with random gaps and flipped dimensions.</summary>
    private static (long[] Strides, long Base, long Length) RandomLayout(long[] shape, int e, Random random)
    {
        var order = Enumerable.Range(0, shape.Length).OrderBy(_ => random.Next()).ToArray();
        var strides = new long[shape.Length];
        long s = e * random.Next(1, 3);
        foreach (var d in order)
        {
            strides[d] = s;
            s *= shape[d] + random.Next(0, 2);
        }

        long baseOffset = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            if (random.Next(3) == 0)
            {
                baseOffset += (shape[d] - 1) * strides[d];
                strides[d] = -strides[d];
            }
        }

        return (strides, baseOffset, s + e);
    }

    private static void Naive(byte[] src, long sb, long[] ss, byte[] dst, long db, long[] ds, long[] shape, int e)
    {
        var index = new long[shape.Length];
        while (true)
        {
            long so = sb;
            long dof = db;
            for (var i = 0; i < shape.Length; i++)
            {
                so += index[i] * ss[i];
                dof += index[i] * ds[i];
            }

            Array.Copy(src, so, dst, dof, e);
            var k = 0;
            while (k < shape.Length && ++index[k] == shape[k])
            {
                index[k++] = 0;
            }

            if (k == shape.Length)
            {
                return;
            }
        }
    }
}
