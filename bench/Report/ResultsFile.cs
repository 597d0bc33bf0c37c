using System.Globalization;

namespace Report;

/// <summary>Reads one <c>&lt;suite&gt;.csv</c> of bench/RESULTS.md, checking every row rather than stopping at the first bad one.</summary>
public static class ResultsFile
{
    /// <summary>The header every results file starts with.</summary>
    public const string Header = "suite,case,series,role,value,unit";

    private static readonly Dictionary<string, Role> Roles = new(StringComparer.Ordinal)
    {
        ["ours"] = Role.Ours,
        ["peer"] = Role.Peer,
        ["baseline"] = Role.Baseline,
    };

    /// <summary>The rows of <paramref name="path"/> that are well formed, and a "file:line: problem" for each that is not.</summary>
    public static (IReadOnlyList<Measurement> Rows, IReadOnlyList<string> Problems) Read(string path)
    {
        var name = Path.GetFileName(path);
        var expectedSuite = Path.GetFileNameWithoutExtension(path);
        var rows = new List<Measurement>();
        var problems = new List<string>();
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != Header)
        {
            problems.Add($"{name}:1: the header must be '{Header}', not '{(lines.Length == 0 ? "" : lines[0])}'");
            return (rows, problems);
        }
        for (var i = 1; i < lines.Length; i++)
        {
            // A trailing blank line is what most writers leave; it is not a row.
            if (lines[i].Trim().Length == 0) continue;
            var lineProblems = new List<string>();
            var row = ParseRow(lines[i], expectedSuite, lineProblems);
            problems.AddRange(lineProblems.Select(p => $"{name}:{i + 1}: {p}"));
            if (lineProblems.Count == 0) rows.Add(row! with { File = name, Line = i + 1 });
        }
        return (rows, problems);
    }

    private static Measurement? ParseRow(string line, string expectedSuite, List<string> problems)
    {
        if (SplitFields(line) is not { } raw)
        {
            problems.Add($"an unclosed double quote: '{line}'");
            return null;
        }
        if (raw.Count < 6)
        {
            problems.Add($"expected 6 comma-separated fields (suite,case,series,role,value,unit), found {raw.Count}: '{line}'");
            return null;
        }
        // The contract's own case names hold commas ("get-hit, 1 thread") and series names never do, so a row with
        // more than six fields is read with the extra commas inside the case.
        var caseText = string.Join(",", raw.Skip(1).Take(raw.Count - 5));
        var fields = new[] { raw[0], caseText, raw[^4], raw[^3], raw[^2], raw[^1] }.Select(f => f.Trim()).ToArray();
        var (suite, @case, series, roleText, valueText, unit) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
        if (Suite.Find(suite) is null)
            problems.Add($"unknown suite '{suite}' (expected {string.Join(", ", Suite.All.Select(s => s.Name))})");
        else if (suite != expectedSuite)
            problems.Add($"a '{suite}' row in {expectedSuite}.csv: each suite has its own file, named after it");
        if (@case.Length == 0) problems.Add("the case is empty");
        if (series.Length == 0) problems.Add("the series is empty");
        if (!Roles.TryGetValue(roleText, out var role))
            problems.Add($"unknown role '{roleText}' (expected ours, peer or baseline)");
        var isNumber = double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
        if (!isNumber || !double.IsFinite(value))
            problems.Add($"the value '{valueText}' is not a finite number (invariant culture: '.' for decimals, no separators)");
        if (!Units.IsKnown(unit))
            problems.Add($"unknown unit '{unit}' (expected {string.Join(", ", Units.All)})");
        return problems.Count == 0 ? new Measurement(suite, @case, series, role, value, unit, "", 0) : null;
    }

    // Fields split at commas, with RFC 4180 double quotes honoured (Python's csv module quotes a field holding a
    // comma); null when a quote is left open.
    private static List<string>? SplitFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return quoted ? null : fields;
    }
}
