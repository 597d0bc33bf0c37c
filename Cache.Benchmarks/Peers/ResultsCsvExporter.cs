using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// Writes the Peers results into <c>$BENCH_RESULTS/inprocess.csv</c> (bench/RESULTS.md): per benchmark
/// one <c>ns/op</c> row (the mean) and one <c>B/op</c> row (allocated per operation), with the case
/// from the class's <see cref="PeerCaseAttribute"/> and the thread count, and the series from the
/// benchmark's description.
/// </summary>
/// <remarks>
/// Each run replaces the rows of the cases it measured and keeps the others, so running one class
/// refreshes that class's figures without dropping the rest. Failed benchmarks write nothing.
/// </remarks>
internal sealed class ResultsCsvExporter : IExporter
{
    public const string Suite = "inprocess";

    public string Name => "inprocess-csv";

    public void ExportToLog(Summary summary, ILogger logger) { }

    public IEnumerable<string> ExportToFiles(Summary summary, ILogger consoleLogger)
    {
        var reports = summary.Reports.Where(report => report.Success && report.ResultStatistics is not null).ToList();
        // A job named on the command line (--job Dry) runs beside the config's own: then only the config's counts.
        if (reports.Any(IsPeersJob)) reports = reports.Where(IsPeersJob).ToList();
        var rows = reports.SelectMany(Rows).ToList();
        if (rows.Count == 0) return [];
        var path = BenchResults.Merge(Suite, rows);
        consoleLogger.WriteLineInfo($"// {rows.Count} rows of {Suite} results written to {path}");
        return [path];
    }

    private static bool IsPeersJob(BenchmarkReport report) => report.BenchmarkCase.Job.Id == PeersConfig.JobId;

    private static IEnumerable<ResultRow> Rows(BenchmarkReport report)
    {
        var benchmark = report.BenchmarkCase;
        var peerCase = benchmark.Descriptor.Type.GetCustomAttribute<PeerCaseAttribute>();
        if (peerCase is null) yield break;
        var threads = Convert.ToInt32(benchmark.Parameters["Threads"], System.Globalization.CultureInfo.InvariantCulture);
        var caseName = peerCase.CaseFor(threads);
        var method = benchmark.Descriptor.WorkloadMethod;
        var series = method.GetCustomAttribute<BenchmarkAttribute>()?.Description ?? method.Name;
        var role = benchmark.Descriptor.Baseline ? "baseline" : series.StartsWith("FunctionalCache", StringComparison.Ordinal) ? "ours" : "peer";

        yield return new ResultRow(Suite, caseName, series, role, report.ResultStatistics!.Mean, "ns/op");
        if (report.GcStats.GetBytesAllocatedPerOperation(benchmark) is { } bytes)
            yield return new ResultRow(Suite, caseName, series, role, bytes, "B/op");
    }
}
