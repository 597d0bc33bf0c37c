namespace Report.TargetKinds;

/// <summary>A target on A / B, e.g. our get-hit time over <c>ConcurrentDictionary</c>'s at most 1.5.</summary>
public sealed record RatioTarget(string Label, MeasureRef A, MeasureRef B, string Unit, Comparator Comparator, double Threshold)
    : Target(Label, Unit, Comparator, Threshold)
{
    /// <inheritdoc />
    public override string Suite => A.Suite;

    /// <inheritdoc />
    public override string Formula => MeasureRef.Formula(A, "/", B, Unit);

    /// <inheritdoc />
    public override double? Measure(ResultSet results) =>
        A.ValueIn(results, Unit) is { } a && B.ValueIn(results, Unit) is { } b && b != 0 ? a / b : null;

    /// <inheritdoc />
    public override string Format(double figure) => NumberFormat.Ratio(figure);
}
