namespace IOLink.Tests.Model;

public class RegionSlabsTests
{
    [Theory]
    [InlineData(new long[] { 7, 5, 3 }, 2L, 1000L)]
    [InlineData(new long[] { 7, 5, 3 }, 2L, 20L)]
    [InlineData(new long[] { 7, 5, 3 }, 2L, 1L)]
    [InlineData(new long[] { 1000, 3 }, 4L, 64L)]
    [InlineData(new long[] { 11 }, 8L, 30L)]
    public void Slabs_TileTheShapeInCanonicalOrder_WithinTheBudget(long[] shape, long element, long budget)
    {
        var slabs = new RegionSlabs(new VectorXu64(Array.ConvertAll(shape, v => (ulong)v)), element, budget);
        long next = 0;
        var dense = Internal.DenseOffsets(shape);
        foreach (var region in slabs)
        {
            var bytes = (long)region.ElementCount * element;
            Assert.True(bytes <= Math.Max(budget, element) && bytes <= slabs.MaxByteCount);
            // Each slab starts where the previous one ended in the dense canonical layout.
            Assert.Equal(next, dense(Array.ConvertAll(region.Origin.ToArray(), v => (long)v)) * element);
            next += bytes;
        }

        Assert.Equal(shape.Aggregate(element, (a, b) => a * b), next);
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new RegionSlabs(new VectorXu64(3, 0), 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegionSlabs(new VectorXu64(3), 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegionSlabs(new VectorXu64(3), 1, 0));
    }

    [Fact]
    public void Blocks_TileTheShape_InWholeBlocks_WithinASlab()
    {
        var blocks = RegionSlabs.Blocks(new VectorXu64(1000, 300, 70), new VectorXu64(64, 64, 16), 2, 32L << 20)!;
        ulong[] shape = [1000, 300, 70], chunk = [64, 64, 16];
        var covered = new HashSet<(ulong, ulong, ulong)>();
        foreach (var r in blocks)
        {
            for (var d = 0; d < 3; d++)
            {
                Assert.Equal(0UL, r.Origin[d] % chunk[d]);
            }

            Assert.True((long)r.ElementCount * 2 <= blocks.MaxByteCount && blocks.MaxByteCount <= 32L << 20);
            Assert.True(covered.Add((r.Origin[0], r.Origin[1], r.Origin[2])));
            Assert.All(Enumerable.Range(0, 3), d => Assert.True(r.Origin[d] + r.Size[d] <= shape[d]));
        }

        Assert.Equal(1000L * 300 * 70, blocks.Sum(r => (long)r.ElementCount));
        // A block far larger than a slab: no block plan (the view's plan falls back to canonical slabs).
        Assert.Null(RegionSlabs.Blocks(new VectorXu64(8192, 8192, 4), new VectorXu64(8192, 8192, 4), 2, 32L << 20));
        using var plain = ImageViewFactory.Allocate(new VectorXu64(9, 8, 7), DataTypeId.UINT16);
        Assert.Equal(RegionSlabs.For(plain, 100).Count(), RegionSlabs.Blocks(plain, 100).Count());
    }

    [Fact]
    public void Along_TilesTheShape_InSlabsOfOneDimension()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(5, 6, 7), DataTypeId.UINT16);
        var slabs = RegionSlabs.Along(view, 0, 2 * 6 * 7 * 2);
        Assert.Equal(2L * 6 * 7 * 2, slabs.MaxByteCount);
        Assert.Equal([0UL, 2, 4], slabs.Select(r => r.Origin[0]));
        Assert.All(slabs, r => Assert.Equal((6UL, 7UL), (r.Size[1], r.Size[2])));
        Assert.Equal(5L * 6 * 7, slabs.Sum(r => (long)r.ElementCount));
        // Never less than one plane, never more than the dimension.
        Assert.Equal(5, RegionSlabs.Along(view, 0, 1).Count());
        Assert.Single(RegionSlabs.Along(view, 2, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionSlabs.Along(view, 3, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionSlabs.Along(view, 0, 0));
    }

    private static class Internal
    {
        public static Func<long[], long> DenseOffsets(long[] shape) => index =>
        {
            long offset = 0;
            long stride = 1;
            for (var i = 0; i < shape.Length; i++)
            {
                offset += index[i] * stride;
                stride *= shape[i];
            }

            return offset;
        };
    }
}
