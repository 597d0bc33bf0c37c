namespace Report;

/// <summary>Where the report reads and writes: the results directory, the markdown file, and its charts and data beside it.</summary>
/// <param name="Results">The directory of <c>*.csv</c> files (bench/RESULTS.md).</param>
/// <param name="Document">The markdown file with the generated region, <c>docs/benchmarks.md</c>.</param>
/// <param name="RepositoryRoot">The repository, for the environment probe.</param>
public sealed record ReportPaths(string Results, string Document, string RepositoryRoot)
{
    /// <summary>The charts' directory: <c>docs/benchmarks/</c> beside <c>docs/benchmarks.md</c>.</summary>
    public string Charts => Path.Combine(Path.GetDirectoryName(Document)!, Path.GetFileNameWithoutExtension(Document));

    /// <summary>Where the input CSVs are copied: <c>docs/benchmarks/data/</c>.</summary>
    public string Data => Path.Combine(Charts, "data");

    /// <summary>A file of <see cref="Charts"/> as the document links it (relative, forward slashes).</summary>
    public string LinkTo(string fileUnderCharts) => $"{Path.GetFileName(Charts)}/{fileUnderCharts}";

    /// <summary>
    /// The paths from the command line: <c>[results-dir] [--docs file]</c>. The results default to $BENCH_RESULTS, then
    /// bench/results; the document to docs/benchmarks.md. Relative defaults are under the repository root (the first
    /// directory up from here that holds FunctionalCache.sln).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown option, or no repository root above the current directory.</exception>
    public static ReportPaths FromArguments(IReadOnlyList<string> args)
    {
        var root = FindRepositoryRoot(Directory.GetCurrentDirectory())
            ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new ArgumentException("Run the report inside the repository: no FunctionalCache.sln above the current directory.");
        string? results = null, document = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--docs" && i + 1 < args.Count) document = args[++i];
            else if (!args[i].StartsWith('-') && results is null) results = args[i];
            else throw new ArgumentException($"Usage: Report [results-dir] [--docs docs/benchmarks.md]; '{args[i]}' is not understood.");
        }
        results ??= Environment.GetEnvironmentVariable("BENCH_RESULTS") is { Length: > 0 } env ? env : Path.Combine(root, "bench", "results");
        document ??= Path.Combine(root, "docs", "benchmarks.md");
        return new ReportPaths(Path.GetFullPath(results), Path.GetFullPath(document), root);
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FunctionalCache.sln"))) return dir.FullName;
        return null;
    }
}
