// The scaling suite times its own threads, beyond BenchmarkDotNet's one or two (ScalingSuite's remarks).
if (args is ["scaling", ..])
{
    FunctionalCache.Benchmarks.Scaling.ScalingSuite.Run(args);
    return 0;
}
// One contender's hit loop alone, for a sampling profiler (bench/profile-hit.sh).
if (args is [FunctionalCache.Benchmarks.Scaling.HitProfile.Mode, ..]) return FunctionalCache.Benchmarks.Scaling.HitProfile.Run(args);
if (args is ["coherence", ..])
{
    FunctionalCache.Benchmarks.Backends.Tiers.CoherenceLatency.Run(args);
    return 0;
}
// The child process of the two-process coherence measure (CoherenceNode's summary).
if (args is ["coherence-node", ..]) return FunctionalCache.Benchmarks.Backends.Tiers.CoherenceNode.Serve(args);
// The fail-safe outage scenario is a window of time, not a BenchmarkDotNet job (FailSafeOutage's remarks).
if (args is ["failsafe-outage", ..])
{
    await FunctionalCache.Benchmarks.Backends.FailSafe.FailSafeOutage.RunAsync(args);
    return 0;
}
// The page purge by tag over 10,000 pages alone (PagePurgeByTag), merged into the resilience results.
if (args is ["page-purge", ..])
{
    await FunctionalCache.Benchmarks.Http.PagePurge.PagePurgeByTag.RunAsync();
    return 0;
}
// One row of the in-process page hit alone, for a profiler (PageHitBenchmarks).
if (args is ["page-profile", ..]) return FunctionalCache.Benchmarks.Http.PageHitBenchmarks.Profile(args);
// One series of the Redis 16-caller case alone, for a profiler (bench/redis-profile.sh).
if (args is ["redis-profile", ..]) return await FunctionalCache.Benchmarks.Backends.Redis.RedisSetProfile.RunAsync(args);
// Issue 16's measures in one run, into the resilience suite's results (bench/resilience.sh).
if (args is ["resilience", ..]) return await FunctionalCache.Benchmarks.Backends.Tiers.ResilienceSuite.RunAsync(args);

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
