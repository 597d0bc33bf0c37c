namespace Report;

/// <summary>Every row of every <c>*.csv</c> in a results directory, validated as a whole, with the look-ups the report needs.</summary>
/// <remarks>Orders are those of the files: cases and series appear as their writers listed them, the baseline first.</remarks>
public sealed class ResultSet
{
    private readonly IReadOnlyList<Measurement> rows;

    private ResultSet(IReadOnlyList<string> files, IReadOnlyList<Measurement> rows)
    {
        Files = files;
        this.rows = rows;
    }

    /// <summary>The CSV files read, in name order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Reads every <c>*.csv</c> of <paramref name="directory"/>; a directory that does not exist holds no results.
    /// </summary>
    /// <exception cref="ResultsFormatException">Any row breaks bench/RESULTS.md; the message lists them all.</exception>
    public static ResultSet Load(string directory)
    {
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal).ToList()
            : [];
        var rows = new List<Measurement>();
        var problems = new List<string>();
        foreach (var file in files)
        {
            var (fileRows, fileProblems) = ResultsFile.Read(file);
            rows.AddRange(fileRows);
            problems.AddRange(fileProblems);
        }
        problems.AddRange(CrossRowProblems(rows));
        if (problems.Count > 0) throw new ResultsFormatException(directory, problems);
        return new ResultSet(files, rows);
    }

    // The rules that need more than one row: a figure is given once, and a group has at most one baseline.
    private static IEnumerable<string> CrossRowProblems(IReadOnlyList<Measurement> rows)
    {
        foreach (var same in rows.GroupBy(r => (r.Suite, r.Case, r.Series, r.Unit)).Where(g => g.Count() > 1))
            foreach (var repeat in same.Skip(1))
                yield return $"{repeat.File}:{repeat.Line}: '{repeat.Series}' in '{repeat.Case}' ({repeat.Unit}) repeats line {same.First().Line}";
        foreach (var group in rows.GroupBy(r => r.Group))
        {
            var baselines = group.Where(r => r.Role == Role.Baseline).ToList();
            foreach (var extra in baselines.Skip(1))
                yield return $"{extra.File}:{extra.Line}: a second baseline in '{extra.Case}' ({extra.Unit}), after '{baselines[0].Series}' on line {baselines[0].Line}";
        }
    }

    /// <summary>Whether any row of <paramref name="suite"/> was read.</summary>
    public bool Has(string suite) => rows.Any(r => r.Suite == suite);

    /// <summary>The units <paramref name="suite"/> reports, in order of appearance.</summary>
    public IReadOnlyList<string> UnitsOf(string suite) => rows.Where(r => r.Suite == suite).Select(r => r.Unit).Distinct().ToList();

    /// <summary>The cases of <paramref name="suite"/> in <paramref name="unit"/>, in order of appearance.</summary>
    public IReadOnlyList<string> CasesOf(string suite, string unit) => Rows(suite, unit).Select(r => r.Case).Distinct().ToList();

    /// <summary>The series of <paramref name="suite"/> in <paramref name="unit"/>: baselines first, then in order of appearance.</summary>
    public IReadOnlyList<string> SeriesOf(string suite, string unit) =>
        Rows(suite, unit).OrderBy(r => r.Role == Role.Baseline ? 0 : 1).Select(r => r.Series).Distinct().ToList();

    /// <summary>The role a series plays in <paramref name="suite"/> (its first row's).</summary>
    public Role RoleOf(string suite, string series) => rows.First(r => r.Suite == suite && r.Series == series).Role;

    /// <summary>The row for this suite, case, series and unit, or null when it was not measured.</summary>
    public Measurement? Find(string suite, string @case, string series, string unit) =>
        rows.FirstOrDefault(r => r.Suite == suite && r.Case == @case && r.Series == series && r.Unit == unit);

    /// <summary>The baseline row of a (suite, case, unit) group, or null when the group has none.</summary>
    public Measurement? BaselineOf(string suite, string @case, string unit) =>
        rows.FirstOrDefault(r => r.Group == (suite, @case, unit) && r.Role == Role.Baseline);

    private IEnumerable<Measurement> Rows(string suite, string unit) => rows.Where(r => r.Suite == suite && r.Unit == unit);
}
