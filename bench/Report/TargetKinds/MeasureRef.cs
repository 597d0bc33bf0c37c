namespace Report.TargetKinds;

/// <summary>One figure a target reads: a suite, a case and a series (the unit is the target's).</summary>
public sealed record MeasureRef(string Suite, string Case, string Series)
{
    /// <summary>The row's value, or null when the results hold no such row.</summary>
    public double? ValueIn(ResultSet results, string unit) => results.Find(Suite, Case, Series, unit)?.Value;

    /// <summary>"`series`, case": how the targets table names the figure (the suite is the section's).</summary>
    public override string ToString() => $"`{Series}`, {Case}";

    /// <summary>
    /// "`A` op `B`, case (unit)" when both figures are of one case, else "`A`, case op `B`, case (unit)": the
    /// targets table's Figure column.
    /// </summary>
    public static string Formula(MeasureRef a, string operation, MeasureRef b, string unit) =>
        a.Case == b.Case ? $"`{a.Series}` {operation} `{b.Series}`, {a.Case} ({unit})" : $"{a} {operation} {b} ({unit})";
}
