using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IOLink.Benchmarks.RegionCopyBenchmarks).Assembly).Run(args);
