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
