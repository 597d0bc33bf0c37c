using Report;

// bench/Report [results-dir] [--docs docs/benchmarks.md]: reads the comparison runs' CSVs (bench/RESULTS.md), draws
// one chart per suite and unit into docs/benchmarks/, copies the CSVs to docs/benchmarks/data/, and rewrites the
// generated region of docs/benchmarks.md. Exit 0 when written (missed targets included: this is a report), 1 when
// the results or the document are malformed, with every problem named.
try
{
    var paths = ReportPaths.FromArguments(args);
    var results = ResultSet.Load(paths.Results);
    Console.WriteLine($"Report: {results.Files.Count} results file(s) in {paths.Results}");
    var document = File.ReadAllText(paths.Document);

    ReportOutput.Reset(paths);
    foreach (var suite in Suite.All)
        foreach (var unit in results.UnitsOf(suite.Name))
        {
            var chart = Path.Combine(paths.Charts, ChartWriter.FileName(suite.Name, unit));
            ChartWriter.Write(results, suite, unit, chart);
            Console.WriteLine($"  chart {chart}");
        }
    ReportOutput.CopyData(results, paths);

    var targets = Targets.For(results).Select(t => t.Evaluate(results)).ToList();
    var region = RegionWriter.Compose(results, EnvironmentInfo.Collect(paths.RepositoryRoot), targets, paths);
    File.WriteAllText(paths.Document, MarkdownRegion.Replace(document, region, Path.GetFileName(paths.Document)));
    Console.WriteLine($"  region of {paths.Document}");
    foreach (var result in targets)
        Console.WriteLine($"  {result.Verdict.Replace("**", ""),-13} {result.Target.Label}: " +
            $"{(result.Measured is { } m ? result.Target.Format(m) : "–")} (required {result.Target.Requirement})");
    return 0;
}
catch (Exception e) when (e is ResultsFormatException or ArgumentException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
