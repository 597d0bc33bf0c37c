using System.Text;

namespace Report;

/// <summary>
/// One suite's figures in one unit as a markdown table: a row per series, a column per case, each cell the figure
/// and its ratio to the case's baseline (its difference in points for percentages).
/// </summary>
public static class SuiteTable
{
    /// <summary>The table, with the unit and its better direction in the corner cell.</summary>
    public static string Markdown(ResultSet results, string suite, string unit)
    {
        var cases = results.CasesOf(suite, unit);
        var text = new StringBuilder();
        text.AppendLine($"| {unit} ({Units.Direction(unit)}) | {string.Join(" | ", cases)} |");
        text.AppendLine($"|---|{string.Concat(cases.Select(_ => "---:|"))}");
        foreach (var series in results.SeriesOf(suite, unit))
        {
            var cells = cases.Select(c => Cell(results, suite, c, series, unit));
            text.AppendLine($"| {SeriesName(results.RoleOf(suite, series), series)} | {string.Join(" | ", cells)} |");
        }
        return text.ToString();
    }

    private static string SeriesName(Role role, string series) => role switch
    {
        Role.Ours => $"**{series}**",
        Role.Baseline => $"{series} (baseline)",
        _ => series,
    };

    private static string Cell(ResultSet results, string suite, string @case, string series, string unit)
    {
        if (results.Find(suite, @case, series, unit) is not { } row) return "–";
        var figure = NumberFormat.Number(row.Value);
        if (row.Role == Role.Baseline || results.BaselineOf(suite, @case, unit) is not { } baseline) return figure;
        if (Units.ComparesByDifference(unit)) return $"{figure} ({NumberFormat.Difference(row.Value - baseline.Value, unit)})";
        return baseline.Value == 0 ? figure : $"{figure} ({NumberFormat.Ratio(row.Value / baseline.Value)})";
    }
}
