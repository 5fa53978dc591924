using CsCheck;
using IOLink.Layout;

namespace IOLink.Tests.Properties;

/// <summary>
/// Random layouts against naive oracles (CsCheck, shrinking to the smallest failing case): the copy kernel through
/// sub-sampled, cropped, flipped and reordered views of every component size, the layout type's extent and flags,
/// and region arithmetic at the ulong and long edges.
/// </summary>
public sealed class LayoutProperties
{
    private static readonly DataType[] Types =
    [
        DataTypeId.UINT8, DataTypeId.UINT16, DataTypeId.FLOAT, DataTypeId.DOUBLE,
        DataTypeId.VEC3_UINT16, DataTypeId.VEC4_UINT8, DataTypeId.COMPLEX_FLOAT, DataTypeId.VEC2_DOUBLE,
    ];

    /// <summary>A derived view: rank, lengths, steps, crop origins, flips and an axis naming, from a seed.</summary>
    private sealed record Case(int Rank, long[] Lengths, long[] Steps, long[] Origins, bool[] Flips, int[] Names, int TypeIndex, int Seed)
    {
        public override string ToString() =>
            $"rank {Rank} lengths [{string.Join(",", Lengths)}] steps [{string.Join(",", Steps)}] origins [{string.Join(",", Origins)}] flips [{string.Join(",", Flips)}] names [{string.Join(",", Names)}] type {Types[TypeIndex]} seed {Seed}";
    }

    private static readonly Gen<Case> Cases =
        from rank in Gen.Int[1, 5]
        from lengths in Gen.Long[1, 6].Array[rank]
        from steps in Gen.Long[1, 3].Array[rank]
        from origins in Gen.Long[0, 2].Array[rank]
        from flips in Gen.Bool.Array[rank]
        from type in Gen.Int[0, Types.Length - 1]
        from seed in Gen.Int
        select new Case(rank, lengths, steps, origins, flips, Permutation(rank, seed), type, seed);

    private static int[] Permutation(int n, int seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(p);
        return p;
    }

    [Fact]
    public void CopiesThroughDerivedViews_MatchTheNaiveOracle()
    {
        Cases.Sample(c =>
        {
            var type = Types[c.TypeIndex];
            var element = type.ByteCount;
            // The parent holds the crop and every sub-sampled element of it.
            var parentLengths = new long[c.Rank];
            for (var k = 0; k < c.Rank; k++)
            {
                parentLengths[k] = ((c.Origins[k] + c.Lengths[k] - 1) * c.Steps[k]) + 1;
            }

            using var parent = ImageViewFactory.Allocate(new VectorXu64(Array.ConvertAll(parentLengths, v => (ulong)v)), type);
            var parentBytes = new byte[parent.ByteCount];
            new Random(c.Seed).NextBytes(parentBytes);
            parent.WriteRegion(RegionXu64.CreateFullRegion(parent.Shape), parentBytes);
            var parentStrides = StridedLayout.DenseStrides(parentLengths, element);

            using var sub = ImageViewFactory.SubSample(parent, new VectorXu64(Array.ConvertAll(c.Steps, v => (ulong)v)));
            using var crop = ImageViewFactory.ExtractRegion(sub, new RegionXu64(
                new VectorXu64(Array.ConvertAll(c.Origins, v => (ulong)v)), new VectorXu64(Array.ConvertAll(c.Lengths, v => (ulong)v))));
            var flipped = crop;
            var owned = new List<ImageView>();
            for (var k = 0; k < c.Rank; k++)
            {
                if (c.Flips[k])
                {
                    flipped = ImageViewFactory.FlipDimension(flipped, k);
                    owned.Add(flipped);
                }
            }

            // Naming view dimension i as dimension Names[i] reorders: new dimension Names[i] is old dimension i.
            using var named = ImageViewFactory.ReinterpretAxes(flipped, Array.ConvertAll(c.Names, n => (ImageDimension)n));
            var shape = named.Shape;
            var actual = new byte[named.ByteCount];
            named.ReadRegion(RegionXu64.CreateFullRegion(shape), actual);
            using var copied = ImageViewFactory.CopyInMemory(named);
            var viaCopy = new byte[copied.ByteCount];
            copied.ReadRegion(RegionXu64.CreateFullRegion(shape), viaCopy);

            var expected = new byte[actual.Length];
            var index = new long[c.Rank];
            for (long e = 0; e < expected.Length / element; e++)
            {
                // index: the named view's canonical index of element e; old dimension i sits at new position Names[i].
                long offset = 0;
                for (var i = 0; i < c.Rank; i++)
                {
                    var j = index[c.Names[i]];
                    var r = c.Flips[i] ? c.Lengths[i] - 1 - j : j;
                    offset += (c.Origins[i] + r) * c.Steps[i] * parentStrides[i];
                }

                Array.Copy(parentBytes, offset, expected, e * element, element);
                for (var k = 0; k < c.Rank && ++index[k] == (long)shape[k]; k++)
                {
                    index[k] = 0;
                }
            }

            owned.ForEach(v => v.Dispose());
            Assert.Equal(expected, actual);
            Assert.Equal(expected, viaCopy);
        }, iter: 400);
    }

    private sealed record Strided(long[] Lengths, long[] Strides, int Element);

    private static readonly Gen<Strided> Layouts =
        from rank in Gen.Int[1, 4]
        from lengths in Gen.Long[0, 5].Array[rank]
        from strides in Gen.Long[-40, 40].Array[rank]
        from element in Gen.OneOf(1, 2, 4, 8)
        select new Strided(lengths, strides, element);

    [Fact]
    public void ExtentAndFlags_MatchAWalkOfEveryElement()
    {
        Layouts.Sample(s =>
        {
            var layout = StridedLayout.Create(s.Lengths, s.Strides, s.Element, "layout");
            long count = s.Lengths.Aggregate(1L, (a, b) => a * b);
            long min = long.MaxValue, max = long.MinValue;
            var index = new long[s.Lengths.Length];
            for (long e = 0; e < count; e++)
            {
                long offset = 0;
                for (var k = 0; k < index.Length; k++)
                {
                    offset += index[k] * s.Strides[k];
                }

                min = Math.Min(min, offset);
                max = Math.Max(max, offset);
                for (var k = 0; k < index.Length && ++index[k] == s.Lengths[k]; k++)
                {
                    index[k] = 0;
                }
            }

            Assert.Equal(count, layout.ElementCount);
            Assert.Equal(count == 0 ? 0 : max - min + s.Element, layout.Extent);
            Assert.Equal(count == 0 ? 0 : min, layout.LowestOffset);
            var denseC = StridedLayout.DenseStrides(s.Lengths, s.Element, cOrder: true);
            var denseCanonical = StridedLayout.DenseStrides(s.Lengths, s.Element);
            Assert.Equal(Enumerable.Range(0, s.Lengths.Length).All(k => s.Lengths[k] <= 1 || s.Strides[k] == denseC[k]), layout.IsDenseC);
            Assert.Equal(Enumerable.Range(0, s.Lengths.Length).All(k => s.Lengths[k] <= 1 || s.Strides[k] == denseCanonical[k]), layout.IsDenseCanonical);
        }, iter: 2000);
    }

    private static readonly ulong[] Edges = [0, 1, 2, 7, 8, 9, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue - 1, ulong.MaxValue];

    [Fact]
    public void RegionArithmetic_AtTheEdges_NeverWraps()
    {
        var gen = from rank in Gen.Int[1, 3]
                  from shape in Gen.ULong[1, 8].Array[rank]
                  from origin in Gen.Int[0, Edges.Length - 1].Array[rank]
                  from size in Gen.Int[0, Edges.Length - 1].Array[rank]
                  select (shape, origin: Array.ConvertAll(origin, i => Edges[i]), size: Array.ConvertAll(size, i => Edges[i]));
        gen.Sample(t =>
        {
            using var view = ImageViewFactory.Allocate(new VectorXu64(t.shape), DataTypeId.UINT16);
            var fits = Enumerable.Range(0, t.shape.Length).All(k => t.origin[k] <= t.shape[k] && t.size[k] <= t.shape[k] - t.origin[k]);
            var region = new RegionXu64(new VectorXu64(t.origin), new VectorXu64(t.size));
            if (fits)
            {
                var bytes = new byte[(long)region.ElementCount * 2];
                view.ReadRegion(region, bytes);
                view.WriteRegion(region, bytes);
            }
            else
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => view.ReadRegion(region, new byte[16]));
                Assert.Throws<ArgumentOutOfRangeException>(() => view.WriteRegion(region, new byte[16]));
                Assert.ThrowsAny<ArgumentException>(() => ImageViewFactory.ExtractRegion(view, region));
            }
        }, iter: 2000);
    }
}
