namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// Where the comparison runs write (<c>$BENCH_RESULTS</c>, by default <c>bench/results</c> under the
/// repository root) and how a suite's file is rewritten.
/// </summary>
/// <remarks>
/// The root is found by walking up to <c>FunctionalCache.sln</c> from the working directory, then from
/// the program's own directory (BenchmarkDotNet's exporters run in the host process, which
/// <c>dotnet run</c> may start anywhere). A relative <c>BENCH_RESULTS</c> is taken from the working
/// directory, as any path in an environment variable is.
/// </remarks>
internal static class BenchResults
{
    public const string Header = "suite,case,series,role,value,unit";

    /// <summary>The results directory, created if missing.</summary>
    public static string Directory()
    {
        var configured = Environment.GetEnvironmentVariable("BENCH_RESULTS");
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepositoryRoot(), "bench", "results")
            : Path.GetFullPath(configured);
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> into <c>&lt;suite&gt;.csv</c>, keeping the rows already there whose
    /// case is not among the new rows' cases (a run of one class replaces that class's cases only).
    /// Returns the file's path.
    /// </summary>
    public static string Merge(string suite, IReadOnlyCollection<ResultRow> rows)
    {
        var path = Path.Combine(Directory(), suite + ".csv");
        var replaced = rows.Select(row => row.Case).ToHashSet(StringComparer.Ordinal);
        var kept = File.Exists(path)
            ? File.ReadLines(path).Skip(1).Where(line => line.Length > 0 && !replaced.Contains(CaseOf(line))).ToList()
            : [];
        WriteAtomically(path, [Header, .. kept, .. rows.Select(row => row.ToCsv())]);
        return path;
    }

    /// <summary>Writes <paramref name="rows"/> as the whole of <c>&lt;suite&gt;.csv</c>. Returns the file's path.</summary>
    public static string Replace(string suite, IEnumerable<ResultRow> rows)
    {
        var path = Path.Combine(Directory(), suite + ".csv");
        WriteAtomically(path, [Header, .. rows.Select(row => row.ToCsv())]);
        return path;
    }

    /// <summary>The case of a written row: everything between the suite and the last four fields.</summary>
    public static string CaseOf(string line)
    {
        var fields = line.Split(',');
        return fields.Length >= 6 ? string.Join(',', fields[1..^4]) : "";
    }

    private static void WriteAtomically(string path, IEnumerable<string> lines)
    {
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "FunctionalCache.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException(
            "FunctionalCache.sln was not found above the working directory or the program: set BENCH_RESULTS to the results directory.");
    }
}
