namespace Report;

/// <summary>
/// The results directory holds rows that break bench/RESULTS.md. The message has a header line and one line per
/// problem, each naming the file and line, so one run shows everything to fix.
/// </summary>
public sealed class ResultsFormatException(string directory, IReadOnlyList<string> problems)
    : Exception(Describe(directory, problems))
{
    /// <summary>Every problem found, as "file:line: what is wrong".</summary>
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Describe(string directory, IReadOnlyList<string> problems) =>
        $"The results in {directory} break bench/RESULTS.md ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + string.Concat(problems.Select(p => Environment.NewLine + "  " + p));
}
