using System.Runtime.InteropServices;
using IOLink.Memory;
using IOLink.Tests.DataAccess;

namespace IOLink.Tests.Memory;

/// <summary>Runs alone, so that the process-wide count of live memory blocks and data sources is this test's own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCountGroup
{
    public const string Name = "Live counts";
}

/// <summary>
/// Leak tests that count what is alive instead of watching the working set: every data source a view or an access
/// can stand on is freed when the last holder is disposed, and the count of live blocks returns to where it was.
/// </summary>
[Collection(LiveCountGroup.Name)]
public sealed class LiveCountTests
{
    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return RefCounted.LiveCount;
    }

    private static void AssertNothingLeft(long before, string what) =>
        Assert.True(RefCounted.LiveCount == before, $"{what}: {RefCounted.LiveCount - before} block(s) or source(s) still alive");

    [Fact]
    public void EveryKindOfView_ReleasesItsSourceWithTheLastHolder()
    {
        using var file = TempFile.With(new byte[4096]);
        var before = Settled();
        for (var i = 0; i < 100; i++)
        {
            using (var v = ImageViewFactory.Allocate(new VectorXu64(16, 8), DataTypeId.UINT16))
            using (var region = ImageViewFactory.ExtractRegion(v, new RegionXu64(new VectorXu64(1, 1), new VectorXu64(4, 4))))
            using (ImageViewFactory.FlipDimension(region, 0))
            {
                Assert.Equal(before + 1, RefCounted.LiveCount);
            }

            using (ImageViewFactory.FromArray(new ushort[128], new VectorXu64(16, 8), DataTypeId.UINT16))
            {
            }

            var buffer = Marshal.AllocHGlobal(64);
            using (ImageViewFactory.FromBuffer(buffer, 64, new VectorXu64(8), DataTypeId.UINT64))
            {
            }

            Marshal.FreeHGlobal(buffer);
            using (var u = ImageViewFactory.Uniform(new VectorXu64(4, 4), DataTypeId.UINT8, [7]))
            using (ImageViewFactory.SubSample(u, new VectorXu64(2, 2)))
            {
            }

            using (var access = RandomAccessFactory.OpenFileRead(file.Path))
            using (var onFile = ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(32, 32), DataTypeId.UINT16))
            using (ImageViewFactory.ExtractRegion(onFile, new RegionXu64(new VectorXu64(0, 0), new VectorXu64(2, 2))))
            {
            }

            using (var mapped = RandomAccessFactory.MapFile(file.Path))
            using (ImageViewFactory.FromRandomAccess(mapped, 0, new VectorXu64(32, 32), DataTypeId.UINT16))
            {
            }

            using (var stream = StreamAccessFactory.Allocate())
            {
                stream.Write([1, 2, 3]);
            }
        }

        AssertNothingLeft(before, "after 100 rounds of every kind of view");
    }

    [Fact]
    public void AViewMadeFromAnother_KeepsTheSourceUntilItIsDisposedToo()
    {
        var before = Settled();
        var parent = ImageViewFactory.Allocate(new VectorXu64(4, 4), DataTypeId.UINT8);
        var child = ImageViewFactory.MakeReadOnly(parent);
        parent.Dispose();
        Assert.Equal(before + 1, RefCounted.LiveCount);
        child.Dispose();
        AssertNothingLeft(before, "after the child view");

        using var file = TempFile.With(new byte[64]);
        var access = RandomAccessFactory.OpenFileRead(file.Path);
        var view = ImageViewFactory.FromRandomAccess(access, 0, new VectorXu64(8, 8), DataTypeId.UINT8);
        access.Dispose();
        Assert.Equal(before + 1, RefCounted.LiveCount);
        Assert.Equal(0, view.GetValue<byte>(7, 7));
        view.Dispose();
        AssertNothingLeft(before, "after the file view");
    }

    [Fact]
    public void ReshapeAndNpyFiles_LeaveNothingBehind()
    {
        using var file = new TempFile(".npy");
        var before = Settled();
        for (var i = 0; i < 20; i++)
        {
            using (var v = ImageViewFactory.Allocate(new VectorXu64(8, 8), DataTypeId.UINT8))
            {
                v.Reshape(new VectorXu64(16, 16), DataTypeId.UINT8);
                v.Reshape(new VectorXu64(16, 16), DataTypeId.INT8);
                NpyFile.Write(v, file.Path);
            }

            using (NpyFile.Read(file.Path, ImageTypeId.IMAGE))
            using (NpyFile.OpenMapped(file.Path))
            {
            }
        }

        AssertNothingLeft(before, "after reshapes and .npy reads");
    }

    [Fact]
    public void NativeMemory_BelowTheQuietMark_RunsNoCollection()
    {
        // Views that are disposed give the collector nothing to do: 32 MiB copies made and released one after
        // another ran a full collection each while every allocation was reported as memory pressure.
        Assert.InRange(NativeMemoryHandle.QuietBytes, 1, 2L << 30);
        var quiet = NativeMemoryHandle.QuietBytes;
        try
        {
            NativeMemoryHandle.QuietBytes = 1L << 30;     // the mark of a machine with 8 GiB, whatever this one has
            using var source = ImageViewFactory.Allocate(new VectorXu64(256, 256, 256), DataTypeId.UINT16);
            using var reversed = ImageViewFactory.FlipDimension(source, 0);
            Settled();
            var live = NativeMemoryHandle.LiveBytes;
            var collections = GC.CollectionCount(2);
            for (var i = 0; i < 20; i++)
            {
                using var copy = ImageViewFactory.CopyInMemory(reversed);
                Assert.Equal(live + (32L << 20), NativeMemoryHandle.LiveBytes);
            }

            Assert.Equal(live, NativeMemoryHandle.LiveBytes);
            Assert.Equal(collections, GC.CollectionCount(2));
        }
        finally
        {
            NativeMemoryHandle.QuietBytes = quiet;
        }
    }

    [Fact]
    public void UndisposedViews_PastTheQuietMark_AreCollectedWithoutBeingAsked()
    {
        // Views never disposed hold their memory until a collection finalizes them: past the mark the collector is
        // told of it and collects on its own (the runtime spaces such collections by their own duration, so the
        // loop gives it time), and the finalizers free what it found. 1 MiB views forgotten, with the mark at 0.
        var quiet = NativeMemoryHandle.QuietBytes;
        Settled();
        var before = NativeMemoryHandle.LiveBytes;
        var collections = GC.CollectionCount(2);
        long peak = 0;
        var freed = false;
        try
        {
            NativeMemoryHandle.QuietBytes = 0;
            for (var i = 0; i < 1000 && !freed; i++)
            {
                Forget();
                var live = NativeMemoryHandle.LiveBytes;
                freed = live < peak && GC.CollectionCount(2) > collections;
                peak = Math.Max(peak, live);
                Thread.Sleep(2);
            }
        }
        finally
        {
            NativeMemoryHandle.QuietBytes = quiet;
        }

        Assert.True(freed, $"no collection freed any of {(peak - before) >> 20} MiB of undisposed views");
        Settled();
        Assert.Equal(before, NativeMemoryHandle.LiveBytes);     // the finalizers freed every one
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Forget() => ImageViewFactory.Allocate(new VectorXu64(1024, 512), DataTypeId.UINT16);
}
