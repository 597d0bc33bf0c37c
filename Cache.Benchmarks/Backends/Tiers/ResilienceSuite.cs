using System.Globalization;
using BenchmarkDotNet.Running;
using FunctionalCache.Benchmarks.Backends.FailSafe;
using FunctionalCache.Benchmarks.Http.PagePurge;
using FunctionalCache.Benchmarks.Peers;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// The resilience suite of bench/RESULTS.md (issue 16's measures, one run): the tiered L1 hit against FusionCache and
/// HybridCache (<see cref="TieredGetHitBenchmarks"/>), fail-safe under a factory failing for 10 s against FusionCache's
/// (<see cref="FailSafeOutage"/>), coherence latency across two processes per backplane (<see cref="CoherenceLatency"/>)
/// and a page purge by tag over 10,000 pages (<see cref="PagePurgeByTag"/>), all into <c>$BENCH_RESULTS/resilience.csv</c>.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project Cache.Benchmarks -- resilience [--postgres CONNECTION-STRING] [--seconds 10] [--rounds 2000]</c>;
/// bench/resilience.sh starts the PostgreSQL it passes (Redis is started by each part).
/// </remarks>
public static class ResilienceSuite
{
    /// <summary>The suite's name, and its file's.</summary>
    public const string Name = "resilience";

    /// <summary>Runs every part; the file holds each part's rows as soon as the part ends.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var seconds = double.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option("--rounds") ?? "2000", CultureInfo.InvariantCulture);
        var postgres = Option("--postgres");

        var summary = BenchmarkRunner.Run<TieredGetHitBenchmarks>();
        var failed = summary.Reports.Count(r => !r.Success);
        Console.WriteLine($"written to {BenchResults.Merge(Name, await FailSafeOutage.MeasureAsync(TimeSpan.FromSeconds(seconds)))}");
        Console.WriteLine($"written to {BenchResults.Merge(Name, CoherenceLatency.Measure(rounds, postgres))}");
        Console.WriteLine($"written to {BenchResults.Merge(Name, await PagePurgeByTag.MeasureAsync())}");
        if (failed > 0) Console.Error.WriteLine($"resilience: {failed} tiered hit benchmark(s) failed.");
        return failed > 0 ? 1 : 0;
    }
}
