namespace Report.TargetKinds;

/// <summary>A target on A − B, for percentages where points read better than ratios (hit rates).</summary>
public sealed record DifferenceTarget(string Label, MeasureRef A, MeasureRef B, string Unit, Comparator Comparator, double Threshold)
    : Target(Label, Unit, Comparator, Threshold)
{
    /// <inheritdoc />
    public override string Suite => A.Suite;

    /// <inheritdoc />
    public override string Formula => MeasureRef.Formula(A, "−", B, Unit);

    /// <inheritdoc />
    public override double? Measure(ResultSet results) =>
        A.ValueIn(results, Unit) is { } a && B.ValueIn(results, Unit) is { } b ? a - b : null;

    /// <inheritdoc />
    public override string Format(double figure) => NumberFormat.Difference(figure, Unit);
}
