using IOLink.Layout;

namespace IOLink.Tests.Layout;

/// <summary>The one layout type: every operation, the extent and flags, and its edges (2^63 bytes, negative strides, lengths 0 and 1).</summary>
public sealed class StridedLayoutTests
{
    private static StridedLayout L(long[] lengths, long[] strides, int size = 2) => StridedLayout.Create(lengths, strides, size, "layout");

    [Fact]
    public void Dense_CanonicalAndC()
    {
        var canonical = StridedLayout.Dense(new long[] { 4, 3, 2 }, 2);
        Assert.Equal([2L, 8, 24], canonical.Strides.ToArray());
        Assert.True(canonical.IsDenseCanonical);
        Assert.False(canonical.IsDenseC);
        Assert.Equal(48, canonical.Extent);
        Assert.Equal(24, canonical.ElementCount);

        var c = StridedLayout.Dense(new long[] { 4, 3, 2 }, 2, cOrder: true);
        Assert.Equal([12L, 4, 2], c.Strides.ToArray());
        Assert.True(c.IsDenseC);
        Assert.False(c.IsDenseCanonical);
        Assert.Equal(48, c.Extent);
    }

    [Fact]
    public void LengthOneDimensions_IgnoreTheirStrideInFlags()
    {
        var layout = L([4, 1, 3], [2, 999, 8]);
        Assert.True(layout.IsDenseCanonical);
        Assert.Equal(24, layout.Extent);
        Assert.True(L([1], [-5]).IsDenseCanonical);
        Assert.False(L([1], [-5]).HasNegativeStride);
    }

    [Fact]
    public void LengthZero_HasNoElementsAndNoExtent()
    {
        var layout = L([4, 0, 3], [2, 8, 8]);
        Assert.Equal(0, layout.ElementCount);
        Assert.Equal(0, layout.Extent);
        Assert.Equal(0, layout.DenseByteCount);
    }

    [Fact]
    public void NegativeStrides_ReachBelowElementZero()
    {
        var layout = L([4, 3], [-2, 8]);
        Assert.Equal(-6, layout.LowestOffset);
        Assert.Equal(18, layout.EndOffset);
        Assert.Equal(24, layout.Extent);
        Assert.True(layout.HasNegativeStride);
        Assert.False(layout.IsDenseCanonical);
    }

    [Fact]
    public void Overlapping_AndBroadcast_Strides()
    {
        var broadcast = L([4, 3], [0, 2]);
        Assert.Equal(6, broadcast.Extent);
        Assert.False(broadcast.IsDenseCanonical);
        var overlap = L([4, 3], [2, 2]);
        Assert.Equal(12, overlap.Extent);
    }

    [Fact]
    public void Overflow_At2Pow63Bytes_IsAnArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => L([1L << 62, 2], [2, 1L << 62]));
        Assert.Contains("overflow 64-bit offsets", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StridedLayout.Dense(new long[] { 1L << 31, 1L << 31 }, 4));
        Assert.Throws<ArgumentException>(() => StridedLayout.DenseStrides(new long[] { 1L << 32, 1L << 32 }, 2));
        // Just below: 2^62 two-byte elements are 2^63 - ... bytes, representable.
        Assert.Equal(1L << 62, StridedLayout.Dense(new long[] { 1L << 61 }, 2).Extent);
        Assert.Throws<ArgumentException>(() => L([long.MaxValue], [-2]));
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        Assert.Contains("1 stride(s) were given for a shape of 2", Assert.Throws<ArgumentException>(() => L([2, 2], [2])).Message, StringComparison.Ordinal);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => L([-1], [2])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => StridedLayout.Create([2], [2], 0, "x"));
    }

    [Fact]
    public void ExternalLayouts_GiveTheirExtent()
    {
        Assert.Equal(96, StridedLayout.Create([3, 4], [-32, 8], 8, "array").Extent);
    }

    [Fact]
    public void Derive_ARegion_GivesOffsetAndLengths()
    {
        var layout = StridedLayout.Dense(new long[] { 10, 10 }, 4);
        var (slice, offset) = layout.Derive([2, 3], [0, 1], [1, 1], [4, 5], 0, 4, "region");
        Assert.Equal((2 * 4) + (3 * 40), offset);
        Assert.Equal([4L, 5], slice.Lengths.ToArray());
        Assert.Equal([4L, 40], slice.Strides.ToArray());
        Assert.Throws<ArgumentException>(() => layout.Derive([8, 0], [0, 1], [1, 1], [4, 1], 0, 4, "region"));
    }

    [Fact]
    public void Derive_PermutesStepsFlipsAndSelectsComponents()
    {
        var layout = StridedLayout.Dense(new long[] { 4, 3, 2 }, 8);
        var (p, _) = layout.Derive([0, 0, 0], [2, 0, 1], [1, 1, 1], [2, 4, 3], 0, 8, "order");
        Assert.Equal([2L, 4, 3], p.Lengths.ToArray());
        Assert.Equal([96L, 8, 32], p.Strides.ToArray());
        Assert.Throws<ArgumentException>(() => layout.Derive([0, 0, 0], [3, 0, 1], [1, 1, 1], [2, 4, 3], 0, 8, "order"));

        var (s, _) = layout.Derive([0, 0, 0], [0, 1, 2], [3, 1, 2], [2, 3, 1], 0, 8, "steps");
        Assert.Equal([2L, 3, 1], s.Lengths.ToArray());
        Assert.Equal([24L, 32, 192], s.Strides.ToArray());
        Assert.Throws<ArgumentException>(() => layout.Derive([0, 0, 0], [0, 1, 2], [3, 1, 2], [3, 3, 1], 0, 8, "steps"));

        var (f, offset) = layout.Derive([0, 2, 0], [0, 1, 2], [1, -1, 1], [4, 3, 2], 0, 8, "flip");
        Assert.Equal(64, offset);
        Assert.Equal([8L, -32, 96], f.Strides.ToArray());
        Assert.True(f.HasNegativeStride);
        Assert.Equal(layout.Extent, f.Extent);
        Assert.Equal(-64, f.LowestOffset);

        var (c, componentOffset) = layout.Derive([0, 0, 0], [0, 1, 2], [1, 1, 1], [4, 3, 2], 4, 4, "component");
        Assert.Equal(4, componentOffset);
        Assert.Equal(4, c.ElementSize);
        Assert.Equal(layout.Strides.ToArray(), c.Strides.ToArray());
        Assert.Throws<ArgumentException>(() => layout.Derive([0, 0, 0], [0, 1, 2], [1, 1, 1], [4, 3, 2], 8, 4, "component"));
    }

    [Fact]
    public void Reorder_MapsAxesAndComponents()
    {
        // A (4, 3) view of 3-component 2-byte vectors, exported as [dim 1, dim 0, components].
        var layout = StridedLayout.Dense(new long[] { 4, 3 }, 6);
        var exported = layout.Reorder([1, 0, -1], -1, 3, 2);
        Assert.Equal([3L, 4, 3], exported.Lengths.ToArray());
        Assert.Equal([24L, 6, 2], exported.Strides.ToArray());
        Assert.Equal(2, exported.ElementSize);
        Assert.True(exported.IsDenseC);
    }

    [Fact]
    public void OffsetOf_AndHolds()
    {
        var layout = L([4, 3], [-2, 8]);
        Assert.Equal(-4 + 16, layout.OffsetOf([2, 2]));
        Assert.True(layout.Holds([1, 1], [3, 2]));
        Assert.False(layout.Holds([1, 1], [4, 2]));
        Assert.False(layout.Holds([1], [1]));
    }

    [Fact]
    public unsafe void SimplifyCopy_DropsSortsAndMerges()
    {
        var room = stackalloc CopyDimension[4];
        var dims = new CopyDimensions(room, 4);
        long src = 0, dst = 0;
        // A dense C-order source copied to a dense canonical destination with a length-1 dimension.
        var n = StridedLayout.SimplifyCopy([4, 1, 3], [6, 999, 2], [2, 8, 8], 1, 2, dims, ref src, ref dst);
        Assert.Equal(2, n);
        Assert.Equal(new CopyDimension(4, 6, 2), dims[0]);
        Assert.Equal(new CopyDimension(3, 2, 8), dims[1]);

        // Same layouts on both sides merge into one run; a negative destination stride moves both offsets.
        src = 0;
        dst = 0;
        n = StridedLayout.SimplifyCopy([4, 3], [-2, -8], [-2, -8], 1, 2, dims, ref src, ref dst);
        Assert.Equal(1, n);
        Assert.Equal(new CopyDimension(12, 2, 2), dims[0]);
        Assert.Equal(-22, src);
        Assert.Equal(-22, dst);

        src = dst = 0;
        Assert.Equal(-1, StridedLayout.SimplifyCopy([4, 0], [2, 8], [2, 8], 1, 2, dims, ref src, ref dst));
        Assert.Equal(0, StridedLayout.SimplifyCopy([1, 1], [2, 8], [2, 8], 1, 2, dims, ref src, ref dst));
        // Components become the leading dimension.
        Assert.Equal(1, StridedLayout.SimplifyCopy([5], [6], [6], 3, 2, dims, ref src, ref dst));
        Assert.Equal(new CopyDimension(15, 2, 2), dims[0]);
    }

    [Fact]
    public unsafe void Odometer_VisitsEveryIndex()
    {
        var room = stackalloc CopyDimension[] { new(2, 1, 10), new(3, 100, 1000) };
        var dims = new CopyDimensions(room, 2);
        var seen = new List<(long, long)>();
        var walk = new CopyOdometer(dims, stackalloc long[dims.Length]);
        do
        {
            seen.Add((walk.SourceOffset, walk.DestinationOffset));
        }
        while (walk.Next());
        Assert.Equal([(0L, 0L), (1, 10), (100, 1000), (101, 1010), (200, 2000), (201, 2010)], seen);
    }

    [Fact]
    public unsafe void CopyDimensions_CheckTheirBounds()
    {
        var room = stackalloc CopyDimension[] { new(2, 1, 10), new(3, 100, 1000), new(4, 5, 6) };
        var dims = new CopyDimensions(room, 3);
        var rest = dims[1..];
        Assert.Equal(2, rest.Length);
        Assert.Equal(new CopyDimension(3, 100, 1000), rest[0]);
        rest[1] = new CopyDimension(7, 8, 9);
        Assert.Equal(new CopyDimension(7, 8, 9), room[2]);
        Assert.Equal([new(3, 100, 1000), new(7, 8, 9)], rest.ToArray());
        Assert.Equal(0, dims[3..].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Index(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Index(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SliceFrom(4));

        long Index(int i)
        {
            var d = stackalloc CopyDimension[3];
            return new CopyDimensions(d, 3)[i].Length;
        }

        long SliceFrom(int i)
        {
            var d = stackalloc CopyDimension[3];
            return new CopyDimensions(d, 3)[i..].Length;
        }
    }
}
