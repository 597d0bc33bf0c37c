using System.Text;
using Report.TargetKinds;

namespace Report;

/// <summary>The targets of one suite as a markdown table: what is computed, the measured figure, the requirement, the verdict.</summary>
public static class TargetTable
{
    /// <summary>The table for <paramref name="evaluated"/> (all of one suite).</summary>
    public static string Markdown(IEnumerable<TargetResult> evaluated)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | Figure | Measured | Required | Result |");
        text.AppendLine("|---|---|---:|---:|---|");
        foreach (var result in evaluated)
        {
            var target = result.Target;
            var measured = result.Measured is { } m ? target.Format(m) : "–";
            text.AppendLine($"| {target.Label} | {target.Formula} | {measured} | {target.Requirement} | {result.Verdict} |");
        }
        return text.ToString();
    }
}
