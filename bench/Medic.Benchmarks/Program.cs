using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Medic.Benchmarks.Detection.DetectorBenchmarks).Assembly).Run(args);
