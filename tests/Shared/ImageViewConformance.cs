using System.Runtime.InteropServices;

namespace IOLink.Conformance;

/// <summary>
/// What every image view must do, whoever implements it: IOLink's own views, the formats, and views written outside
/// IOLink. A format's tests derive from this class and say how to make a small view of it (a few thousand elements
/// at most); every test then runs against that view, with the view's own reads as the oracle: whole-view reads,
/// element reads, sub-regions, views made from it, copies, files, threads, disposal and bad regions must agree.
/// The file is shared by the test projects (linked, public API only), so a format outside IOLink can link it too.
/// </summary>
public abstract class ImageViewConformance
{
    /// <summary>A new, small view to test (its caller disposes it).</summary>
    protected abstract ImageView CreateView();

    private static byte[] ReadAll(ImageView view)
    {
        var all = new byte[view.ByteCount];
        view.ReadRegion(new RegionXu64(new VectorXu64(new ulong[view.DimensionCount]), view.Shape), all);
        return all;
    }

    /// <summary>The offset of element <paramref name="index"/> in a dense canonical read of <paramref name="shape"/>.</summary>
    private static long Offset(VectorXu64 shape, ulong[] index, int elementBytes)
    {
        long offset = 0, stride = elementBytes;
        for (var d = 0; d < index.Length; d++)
        {
            offset += (long)index[d] * stride;
            stride *= (long)shape[d];
        }

        return offset;
    }

    /// <summary>A few indices spread over the shape: the corners and some inside.</summary>
    private static IEnumerable<ulong[]> SampleIndices(VectorXu64 shape)
    {
        var rank = shape.Size;
        for (var k = 0; k < 12; k++)
        {
            var index = new ulong[rank];
            for (var d = 0; d < rank; d++)
            {
                index[d] = k switch
                {
                    0 => 0,
                    1 => shape[d] - 1,
                    _ => (ulong)(((k * 7919) + (d * 104729)) % (long)shape[d]),
                };
            }

            yield return index;
        }
    }

    /// <summary>A region strictly inside the shape where it can be (origin 1, size about half).</summary>
    private static RegionXu64 Inner(VectorXu64 shape)
    {
        var origin = new ulong[shape.Size];
        var size = new ulong[shape.Size];
        for (var d = 0; d < shape.Size; d++)
        {
            origin[d] = shape[d] > 2 ? 1UL : 0UL;
            size[d] = Math.Max(1, (shape[d] - origin[d]) / 2);
        }

        return new RegionXu64(new VectorXu64(origin), new VectorXu64(size));
    }

    private static byte[] Slice(byte[] all, VectorXu64 shape, RegionXu64 region, int elementBytes)
    {
        var result = new byte[(long)region.Size.ComputeProduct() * elementBytes];
        var count = (long)region.Size.ComputeProduct();
        var index = new ulong[shape.Size];
        for (long i = 0; i < count; i++)
        {
            var rest = i;
            for (var d = 0; d < shape.Size; d++)
            {
                index[d] = region.Origin[d] + (ulong)(rest % (long)region.Size[d]);
                rest /= (long)region.Size[d];
            }

            Array.Copy(all, Offset(shape, index, elementBytes), result, i * elementBytes, elementBytes);
        }

        return result;
    }

    [Fact]
    public void ItCanBeRead_AndElementReadsAgreeWithTheWholeRead()
    {
        using var view = CreateView();
        Assert.True(view.Support(ImageCapability.READ));
        Assert.InRange(view.DimensionCount, 1, ImageView.MaxDimensionCount);
        var all = ReadAll(view);
        var element = new byte[view.DataType.ByteCount];
        foreach (var index in SampleIndices(view.Shape))
        {
            view.Read(new VectorXu64(index), element);
            Assert.Equal(all.AsSpan((int)Offset(view.Shape, index, element.Length), element.Length).ToArray(), element);
        }
    }

    [Fact]
    public void ARegionRead_IsThatPartOfTheWholeRead_AndSoIsAViewOfTheRegion()
    {
        using var view = CreateView();
        var all = ReadAll(view);
        var region = Inner(view.Shape);
        var expected = Slice(all, view.Shape, region, view.DataType.ByteCount);
        var got = new byte[expected.Length];
        view.ReadRegion(region, got);
        Assert.Equal(expected, got);

        using var part = ImageViewFactory.ExtractRegion(view, region);
        Assert.Equal(region.Size, part.Shape);
        Assert.Equal(expected, ReadAll(part));
    }

    [Fact]
    public void CopiesAndFiles_HoldWhatItReads()
    {
        using var view = CreateView();
        var all = ReadAll(view);
        using (var copy = ImageViewFactory.CopyInMemory(view))
        {
            Assert.Equal(view.Shape, copy.Shape);
            Assert.Equal(view.DataType, copy.DataType);
            Assert.Equal(all, ReadAll(copy));
        }

        if (!view.DataType.IsScalar && !view.DataType.IsVector)
        {
            return;    // .npy files hold scalar and vector types only
        }

        var path = Path.Combine(Path.GetTempPath(), $"iolink-conformance-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(view, path);
            using var back = NpyFile.Read(path, view.AxesInterpretation.Id);
            Assert.Equal(all, ReadAll(back));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StreamingInSlabs_CoversEveryElementOnce_InOrder()
    {
        using var view = CreateView();
        if (view.StorageBlockShape is { } block)
        {
            Assert.Equal(view.DimensionCount, block.Size);
        }

        var all = ReadAll(view);
        var slabs = RegionSlabs.For(view, Math.Max(view.DataType.ByteCount, view.ByteCount / 3));
        var streamed = new List<byte>();
        foreach (var slab in slabs)
        {
            var bytes = new byte[(long)slab.Size.ComputeProduct() * view.DataType.ByteCount];
            Assert.True(bytes.Length <= slabs.MaxByteCount);
            view.ReadRegion(slab, bytes);
            streamed.AddRange(bytes);
        }

        Assert.Equal(all, streamed.ToArray());
    }

    [Fact]
    public void ReadsFromSeveralThreads_AgreeWithOneThread()
    {
        using var view = CreateView();
        var all = ReadAll(view);
        Parallel.For(0, 16, _ => Assert.Equal(all, ReadAll(view)));
    }

    [Fact]
    public void BadRegionsAndShortBuffers_AreRefusedBeforeTheViewIsTouched()
    {
        using var view = CreateView();
        var shape = view.Shape.ToArray();
        var past = (ulong[])shape.Clone();
        past[0] += 1;
        var tooFar = new RegionXu64(new VectorXu64(new ulong[shape.Length]), new VectorXu64(past));
        Assert.Throws<ArgumentOutOfRangeException>(() => view.ReadRegion(tooFar, new byte[view.ByteCount * 2]));
        var wrongRank = new RegionXu64(new VectorXu64(new ulong[shape.Length + 1]), new VectorXu64(Enumerable.Repeat(1UL, shape.Length + 1).ToArray()));
        Assert.ThrowsAny<ArgumentException>(() => view.ReadRegion(wrongRank, new byte[view.ByteCount]));
        Assert.Throws<ArgumentException>(() => view.ReadRegion(new RegionXu64(new VectorXu64(new ulong[shape.Length]), view.Shape), new byte[view.ByteCount - 1]));
    }

    [Fact]
    public void ItWritesWhereItSaysItCan_AndViewsMadeFromItSeeTheWrites()
    {
        using var view = CreateView();
        var region = Inner(view.Shape);
        var bytes = new byte[(long)region.Size.ComputeProduct() * view.DataType.ByteCount];
        if (!view.Support(ImageCapability.WRITE))
        {
            Assert.Throws<NotSupportedException>(() => view.WriteRegion(region, bytes));
            return;
        }

        using var part = ImageViewFactory.ExtractRegion(view, region);
        var value = new byte[view.DataType.ByteCount];
        value.AsSpan().Fill(0x5A);
        for (var i = 0; i < bytes.Length; i += value.Length)
        {
            value.CopyTo(bytes, i);
        }

        view.WriteRegion(region, bytes);
        var back = new byte[bytes.Length];
        view.ReadRegion(region, back);
        Assert.Equal(bytes, back);
        Assert.Equal(bytes, ReadAll(part));
    }

    [Fact]
    public void Disposal_EndsThisHandle_ButNotTheViewsMadeFromIt()
    {
        var view = CreateView();
        var all = ReadAll(view);
        using var shared = ImageViewFactory.Share(view);
        view.Dispose();
        Assert.True(view.IsDisposed);
        Assert.Equal(ImageCapability.NONE, view.Capabilities);
        Assert.Throws<ObjectDisposedException>(() => ReadAll(view));
        Assert.Equal(all, ReadAll(shared));
        view.Dispose();
    }

    /// <summary>The bytes of <paramref name="values"/>, for oracles written as typed arrays.</summary>
    protected static byte[] Bytes<T>(T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
