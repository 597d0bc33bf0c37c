if (args is ["coherence", ..])
{
    FunctionalCache.Benchmarks.Backends.Tiers.CoherenceLatency.Run(args);
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
