using System.Runtime.InteropServices;
using IOLink.Tests.DataAccess;

namespace IOLink.Tests.Safety;

/// <summary>Documented misuse and hostile sizes end in the documented exception, never in a crash (hostile-input findings 5 to 7).</summary>
public sealed class MisuseTests
{
    private static VectorXu64 Ones(int rank) => new(Enumerable.Repeat(1UL, rank).ToArray());

    [Fact]
    public void TheRankLimit_IsCheckedWhereverAViewIsMade()
    {
        Assert.Equal(32, ImageView.MaxDimensionCount);
        using (var widest = ImageViewFactory.Allocate(Ones(32), DataTypeId.UINT8))
        {
            var one = new byte[1];
            widest.ReadRegion(RegionXu64.CreateFullRegion(widest.Shape), one);
            using var copy = ImageViewFactory.CopyInMemory(ImageViewFactory.MakeReadOnly(widest));
        }

        var shape = Ones(33);
        Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() => ImageViewFactory.Allocate(shape, DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() => ImageViewFactory.Uniform(shape, DataTypeId.UINT8, [1])).Message, StringComparison.Ordinal);
        var buffer = Marshal.AllocHGlobal(8);
        try
        {
            Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() => ImageViewFactory.FromBuffer(buffer, 8, shape, DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }

        using var access = RandomAccessFactory.Allocate(8);
        Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, 0, shape, DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() =>
            IOLink.Interop.ArrayAxes.Import(Enumerable.Repeat(1L, 3_000_000).ToArray(), new long[3_000_000], DataTypeId.UINT8)).Message, StringComparison.Ordinal);
        using var v = ImageViewFactory.Allocate(new VectorXu64(2), DataTypeId.UINT8);
        Assert.Contains("at most 32", Assert.Throws<ArgumentException>(() => v.Reshape(shape, DataTypeId.UINT8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingAStreamAccess_WhileAnotherThreadReads_NeverCrashes()
    {
        for (var round = 0; round < 300; round++)
        {
            var access = StreamAccessFactory.Allocate();
            access.Write(new byte[1 << 20]);
            access.Seek(0, SeekOrigin.Begin);
            var reader = Task.Run(() =>
            {
                var buffer = new byte[4096];
                try
                {
                    while (access.Read(buffer) > 0)
                    {
                    }
                }
                catch (ObjectDisposedException ex)
                {
                    Assert.Equal(nameof(StreamAccess), ex.ObjectName);
                }
            });
            await Task.Yield();
            access.Dispose();

            // Anything but a clean end or ObjectDisposedException (a NullReferenceException, say) fails here.
            await reader;
        }
    }

    [Fact]
    public async Task ReadingThroughAsStream_WhileTheAccessIsDisposed_NeverCrashes()
    {
        for (var round = 0; round < 200; round++)
        {
            var access = StreamAccessFactory.Allocate();
            access.Write(new byte[1 << 20]);
            access.Seek(0, SeekOrigin.Begin);
            var stream = access.AsStream();
            var reader = Task.Run(() =>
            {
                var buffer = new byte[4096];
                try
                {
                    while (stream.Read(buffer) > 0)
                    {
                    }
                }
                catch (ObjectDisposedException)
                {
                }
            });
            await Task.Yield();
            access.Dispose();
            await reader;
        }
    }

    [Fact]
    public async Task Reshape_WhileAnotherThreadReads_NeverFreesMemoryUnderTheCopy()
    {
        using var view = ImageViewFactory.Allocate(new VectorXu64(512, 512), DataTypeId.UINT16);
        var region = RegionXu64.CreateFullRegion(view.Shape);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var reads = 0;
        var reader = Task.Run(() =>
        {
            var buffer = new byte[512 * 512 * 8];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    view.ReadRegion(region, buffer);
                    reads++;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // The shape changed between the check and the copy, or before the check: refused, never read.
                }
            }
        });
        var sizes = new[] { DataTypeId.UINT16, DataTypeId.UINT64, DataTypeId.UINT8 };
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            view.Reshape(new VectorXu64(512, 512), sizes[i % sizes.Length]);
            GC.Collect(0);
        }

        await reader;
        Assert.True(reads > 0);
    }

    [Fact]
    public void SeekingFarPastTheEnd_ThenWriting_IsAnIOExceptionThatSaysSo()
    {
        using var access = StreamAccessFactory.Allocate();
        access.Seek(long.MaxValue, SeekOrigin.Begin);
        var ex = Assert.Throws<IOException>(() => access.Write([1, 2]));
        Assert.Contains("more than any stream can hold", ex.Message, StringComparison.Ordinal);

        access.Seek(1L << 62, SeekOrigin.Begin);
        var grow = Assert.Throws<IOException>(() => access.Write([1]));
        Assert.Contains("cannot grow", grow.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => access.SetLength(1L << 62));

        // The access is unharmed.
        access.Seek(0, SeekOrigin.Begin);
        access.Write([7]);
        Assert.Equal(1, access.Length);
    }

    [Fact]
    public void ViewPastTheEnd_SaysSoWithoutOverflowing()
    {
        using var file = TempFile.With(new byte[64]);
        using var access = RandomAccessFactory.OpenFileRead(file.Path);
        var ex = Assert.Throws<ArgumentException>(() => ImageViewFactory.FromRandomAccess(access, long.MaxValue, new VectorXu64(4), DataTypeId.UINT16));
        Assert.Contains($"to byte {(decimal)long.MaxValue + 8}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-9223372036854775", ex.Message, StringComparison.Ordinal);
    }
}
