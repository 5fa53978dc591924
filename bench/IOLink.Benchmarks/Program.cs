using BenchmarkDotNet.Running;

if (args is ["stopwatch"])
{
    IOLink.Benchmarks.StopwatchLoops.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(IOLink.Benchmarks.RegionCopyBenchmarks).Assembly).Run(args);
