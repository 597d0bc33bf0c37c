using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// The job of the tiered L1 hit (<see cref="TieredGetHitBenchmarks"/>): one launch, three warm-ups, ten iterations of
/// 250 ms, as the Peers job, and the exporter that writes the resilience suite's rows.
/// </summary>
public sealed class ResilienceHitConfig : ManualConfig
{
    /// <summary>The job's id, by which the exporter tells its results from those of a job added on the command line.</summary>
    public const string JobId = "Resilience";

    public ResilienceHitConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId(JobId));
        AddExporter(new ResilienceHitExporter());
        // The generated project builds every FunctionalCache project again: over two minutes on a loaded 2-core machine.
        WithBuildTimeout(TimeSpan.FromMinutes(15));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
