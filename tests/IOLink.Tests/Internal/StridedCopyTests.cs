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
