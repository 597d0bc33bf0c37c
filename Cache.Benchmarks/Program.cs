// The scaling suite times its own threads, beyond BenchmarkDotNet's one or two (ScalingSuite's remarks).
if (args is ["scaling", ..])
{
    FunctionalCache.Benchmarks.Scaling.ScalingSuite.Run(args);
    return;
}
if (args is ["coherence", ..])
{
    FunctionalCache.Benchmarks.Backends.Tiers.CoherenceLatency.Run(args);
    return;
}
// The fail-safe outage scenario is a window of time, not a BenchmarkDotNet job (FailSafeOutage's remarks).
if (args is ["failsafe-outage", ..])
{
    await FunctionalCache.Benchmarks.Backends.FailSafe.FailSafeOutage.RunAsync(args);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
