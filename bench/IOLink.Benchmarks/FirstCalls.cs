using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime;
using System.Text.Json;
using IOLink.Tensors;
using IOLink.Zarr;

namespace IOLink.Benchmarks;

/// <summary>
/// The first call of each hot kernel in a fresh process against its steady state (<c>./build.sh bench firstcall
/// [ROUNDS]</c>): a child process per kernel and round times 30 calls and the JIT's work inside the first one
/// (<see cref="System.Runtime.JitInfo"/>); printed per kernel, the best of the rounds for each call: first, second,
/// the 30th, the median of calls 21-30, first / 30th, and the milliseconds and methods the JIT spent in the first.
/// Every input is written before the first timed call, so that page faults of the test data are not counted.
/// </summary>
internal static class FirstCalls
{
    private const int Calls = 30;

    private static readonly string[] Kernels = ["transpose", "region", "npy-write", "zarr-read", "tensor-export", "tensor-import"];

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["transpose"] = "CopyInMemory, full reversal of 256^3 UINT16 (32 MiB)",
        ["region"] = "ReadRegion 256x256x256 UINT16 of 512^3 into a buffer (32 MiB)",
        ["npy-write"] = "NpyFile.Write of a 64 MiB UINT16 volume",
        ["zarr-read"] = "Zarr v3 read whole, 1024x1024x64 UINT16 in 64^3 zstd chunks (128 MiB)",
        ["tensor-export"] = "1,000 TensorInterop.ToReadOnlyTensorSpan of 1 KiB (ms = us per call)",
        ["tensor-import"] = "1,000 TensorInterop.FromTensor(VOLUME) + Dispose, 1 KiB (ms = us/call)",
    };

    public static void Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var self = typeof(FirstCalls).Assembly.Location;
        Console.WriteLine($"fresh processes, {Environment.ProcessorCount} cores, best of {rounds}; ms: first, second, 30th, median of 21-30; first/30th; JIT in the first call");
        foreach (var kernel in Kernels)
        {
            double[]? best = null;
            double jitMs = double.MaxValue;
            var jitMethods = 0L;
            for (var round = 0; round < rounds; round++)
            {
                // Run as `dotnet IOLink.Benchmarks.dll` or through its apphost (`dotnet run`).
                var host = Environment.ProcessPath!;
                string[] arguments = Path.GetFileNameWithoutExtension(host) == "dotnet" ? ["exec", self, "firstcall-child", kernel] : ["firstcall-child", kernel];
                var start = new ProcessStartInfo(host, arguments)
                {
                    RedirectStandardOutput = true,
                };
                using var child = Process.Start(start)!;
                var output = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException($"the child for {kernel} failed (exit {child.ExitCode})");
                }

                var result = JsonSerializer.Deserialize<ChildResult>(output)!;
                best = best is null ? result.Times : best.Zip(result.Times, Math.Min).ToArray();
                if (result.JitMs < jitMs)
                {
                    jitMs = result.JitMs;
                    jitMethods = result.JitMethods;
                }
            }

            var last = best![^10..].Order().ToArray();
            var median = (last[4] + last[5]) / 2;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Titles[kernel],-72} {best[0],8:F2} {best[1],8:F2} {best[^1],8:F2} {median,8:F2}  {best[0] / best[^1],5:F2}x  JIT {jitMs:F2} ms, {jitMethods} methods"));
        }
    }

    public static void Child(string kernel)
    {
        var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        folder = Path.Combine(folder, "iolink-firstcall-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        try
        {
            var (call, cleanup) = Prepare(kernel, folder);
            var times = new double[Calls];
            var jitBefore = JitInfo.GetCompilationTime();
            var methodsBefore = JitInfo.GetCompiledMethodCount();
            var jitMs = 0.0;
            var jitMethods = 0L;
            for (var i = 0; i < Calls; i++)
            {
                var watch = Stopwatch.StartNew();
                call();
                times[i] = watch.Elapsed.TotalMilliseconds;
                if (i == 0)
                {
                    jitMs = (JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
                    jitMethods = JitInfo.GetCompiledMethodCount() - methodsBefore;
                }
            }

            cleanup();
            Console.WriteLine(JsonSerializer.Serialize(new ChildResult { Times = times, JitMs = jitMs, JitMethods = jitMethods }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (Action Call, Action Cleanup) Prepare(string kernel, string folder)
    {
        switch (kernel)
        {
            case "transpose":
            {
                var volume = Filled(new VectorXu64(256, 256, 256));
                var reversed = ImageViewFactory.ReinterpretAxes(volume, ImageDimension.SLICE, ImageDimension.ROW, ImageDimension.COLUMN);
                return (() => ImageViewFactory.CopyInMemory(reversed).Dispose(), volume.Dispose);
            }

            case "region":
            {
                var volume = Filled(new VectorXu64(512, 512, 512));
                var region = new RegionXu64(new VectorXu64(128, 128, 128), new VectorXu64(256, 256, 256));
                var buffer = new byte[region.ElementCount * 2];
                Array.Fill(buffer, (byte)1);
                return (() => volume.ReadRegion(region, buffer), volume.Dispose);
            }

            case "npy-write":
            {
                var volume = Filled(new VectorXu64(512, 512, 128));
                var path = Path.Combine(folder, "v.npy");
                return (() => NpyFile.Write(volume, path), volume.Dispose);
            }

            case "zarr-read":
            {
                using (var source = Filled(new VectorXu64(1024, 1024, 64)))
                {
                    ZarrArray.Write(source, Path.Combine(folder, "z.zarr"), new ZarrOptions { Chunks = new VectorXu64(64, 64, 64), Level = 1 });
                }

                var array = ZarrArray.Open(Path.Combine(folder, "z.zarr"));
                var buffer = new byte[1024 * 1024 * 64 * 2];
                Array.Fill(buffer, (byte)1);
                var whole = RegionXu64.CreateFullRegion(array.Shape);
                return (() => array.ReadRegion(whole, buffer), array.Dispose);
            }

            case "tensor-export":
            {
                // The bookkeeping calls as a short program meets them: batches of 1,000 from the first call on.
                var view = ImageViewFactory.Allocate(new VectorXu64(16, 16, 2), DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
                return (() =>
                {
                    long sink = 0;
                    for (var i = 0; i < 1000; i++)
                    {
                        sink += TensorInterop.ToReadOnlyTensorSpan<ushort>(view).Rank;
                    }

                    GC.KeepAlive(sink);
                }, view.Dispose);
            }

            case "tensor-import":
            {
                var tensor = Tensor.Create(new ushort[512], [2, 16, 16]);
                return (() =>
                {
                    for (var i = 0; i < 1000; i++)
                    {
                        TensorInterop.FromTensor(tensor, ImageTypeId.VOLUME).Dispose();
                    }
                }, () => { });
            }

            default:
                throw new ArgumentException($"no kernel named {kernel}; the kernels: {string.Join(", ", Kernels)}");
        }
    }

    /// <summary>A UINT16 volume with every page written (a ramp with some noise, so that codecs have work).</summary>
    private static ImageView Filled(VectorXu64 shape)
    {
        var view = ImageViewFactory.Allocate(shape, DataTypeId.UINT16, new ImageProperties(ImageTypeId.VOLUME));
        var data = new ushort[shape[0] * shape[1]];
        var random = new Random(0);
        for (ulong z = 0; z < shape[2]; z++)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (ushort)((((ulong)i * 3) + (z * 7)) % 2048 + (ulong)random.Next(64));
            }

            view.WriteRegion(new RegionXu64(new VectorXu64(0, 0, z), new VectorXu64(shape[0], shape[1], 1)), System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        }

        return view;
    }

    private sealed class ChildResult
    {
        public double[] Times { get; set; } = [];

        public double JitMs { get; set; }

        public long JitMethods { get; set; }
    }
}
