using BenchmarkDotNet.Running;

if (args is ["firstcall", ..])
{
    IOLink.Benchmarks.FirstCalls.Run(args);
    return;
}

if (args is ["firstcall-child", var kernel])
{
    IOLink.Benchmarks.FirstCalls.Child(kernel);
    return;
}

if (args is ["stopwatch"])
{
    IOLink.Benchmarks.StopwatchLoops.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(IOLink.Benchmarks.RegionCopyBenchmarks).Assembly).Run(args);
