using System.Diagnostics;
using System.Numerics.Tensors;
using IOLink.Tensors;

namespace IOLink.Benchmarks;

/// <summary>
/// The bookkeeping calls as user code makes them: a plain Stopwatch loop in Release, best of five rounds of a
/// million calls, beside the bare TensorSpan constructor (<c>./build.sh bench stopwatch</c>).
/// </summary>
internal static class StopwatchLoops
{
    public static void Run()
    {
        var small = ImageViewFactory.Allocate(new VectorXu64(16, 16, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var big = ImageViewFactory.Allocate(new VectorXu64(1024, 1024, 512), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var smallTensor = Tensor.Create(new ushort[512], [2, 16, 16]);
        var bigTensor = Tensor.Create(new ushort[1 << 20], [4, 512, 512]);
        var image = ImageViewFactory.Allocate(new VectorXu64(8192, 8192), DataTypeId.UINT8);
        var tile = new RegionXu64(new VectorXu64(1000, 1000), new VectorXu64(16, 16));
        var tileBuffer = new byte[256];
        var empty = Array.Empty<ushort>();
        long sink = 0;
        foreach (var (name, view, tensor) in new[] { ("1 KiB", small, smallTensor), ("1 GiB", big, bigTensor) })
        {
            Console.WriteLine($"{name}: bare ReadOnlyTensorSpan {Loop(() => sink += new ReadOnlyTensorSpan<ushort>(empty).Rank):F0} ns, " +
                $"ToReadOnlyTensorSpan {Loop(() => sink += TensorInterop.ToReadOnlyTensorSpan<ushort>(view).Rank):F0} ns, " +
                $"ToTensorSpan {Loop(() => sink += TensorInterop.ToTensorSpan<ushort>(view).Rank):F0} ns, " +
                $"FromTensor + Dispose rule 1 {Loop(() => TensorInterop.FromTensor(tensor).Dispose()):F0} ns, " +
                $"rule 2 (VOLUME) {Loop(() => TensorInterop.FromTensor(tensor, ImageTypeId.VOLUME).Dispose()):F0} ns");
        }

        Console.WriteLine($"ReadRegion of a 16x16 UINT8 tile out of 8192^2: {Loop(() => image.ReadRegion(tile, tileBuffer)):F0} ns");
        GC.KeepAlive(sink);
        small.Dispose();
        big.Dispose();
        image.Dispose();
    }

    private static double Loop(Action call, int n = 1_000_000)
    {
        for (var i = 0; i < n / 4; i++)
        {
            call();
        }

        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                call();
            }

            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / n);
        }

        return best;
    }
}
