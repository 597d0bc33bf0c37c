using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// The Peers job: one launch, three warm-ups, ten measured iterations of 250 ms (ten rather than
/// <see cref="Backends.LocMem.ShortConfig"/>'s five, because two-thread figures on a two-core machine
/// are noisier), and the CSV exporter of bench/RESULTS.md. The 56 benchmarks (four classes, seven
/// contenders, two thread counts) take five to ten minutes on two cores, depending on what else runs,
/// plus one build per class, or one in all with <c>--join</c>.
/// </summary>
public sealed class PeersConfig : ManualConfig
{
    /// <summary>The job's id, by which the exporter tells its results from those of a job added on the command line.</summary>
    public const string JobId = "Peers";

    public PeersConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId(JobId));
        AddExporter(new ResultsCsvExporter());
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
