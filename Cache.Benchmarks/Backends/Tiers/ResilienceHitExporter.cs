using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using FunctionalCache.Benchmarks.Peers;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// Writes the tiered L1 hit figures into <c>$BENCH_RESULTS/resilience.csv</c> (bench/RESULTS.md): per benchmark one
/// <c>ns/op</c> row (the mean) and one <c>B/op</c> row, case <see cref="Case"/>, series the benchmark's description;
/// FusionCache's async read is the baseline. The suite's other cases in the file are kept.
/// </summary>
internal sealed class ResilienceHitExporter : IExporter
{
    /// <summary>The case of every row.</summary>
    public const string Case = "L1 hit over Redis";

    public string Name => "resilience-hit-csv";

    public void ExportToLog(Summary summary, ILogger logger) { }

    public IEnumerable<string> ExportToFiles(Summary summary, ILogger consoleLogger)
    {
        var reports = summary.Reports.Where(report => report.Success && report.ResultStatistics is not null).ToList();
        if (reports.Any(IsOwnJob)) reports = reports.Where(IsOwnJob).ToList();
        var rows = reports.SelectMany(Rows).ToList();
        if (rows.Count == 0) return [];
        var path = BenchResults.Merge(ResilienceSuite.Name, rows);
        consoleLogger.WriteLineInfo($"// {rows.Count} rows of {ResilienceSuite.Name} results written to {path}");
        return [path];
    }

    private static bool IsOwnJob(BenchmarkReport report) => report.BenchmarkCase.Job.Id == ResilienceHitConfig.JobId;

    private static IEnumerable<ResultRow> Rows(BenchmarkReport report)
    {
        var benchmark = report.BenchmarkCase;
        var method = benchmark.Descriptor.WorkloadMethod;
        var series = method.GetCustomAttribute<BenchmarkAttribute>()?.Description ?? method.Name;
        var role = benchmark.Descriptor.Baseline ? "baseline" : series.StartsWith("FunctionalCache", StringComparison.Ordinal) ? "ours" : "peer";
        yield return new ResultRow(ResilienceSuite.Name, Case, series, role, report.ResultStatistics!.Mean, "ns/op");
        if (report.GcStats.GetBytesAllocatedPerOperation(benchmark) is { } bytes)
            yield return new ResultRow(ResilienceSuite.Name, Case, series, role, bytes, "B/op");
    }
}
