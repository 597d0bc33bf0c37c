namespace Report.TargetKinds;

/// <summary>A target on one figure itself, e.g. zero bytes allocated per hit.</summary>
public sealed record AbsoluteTarget(string Label, MeasureRef A, string Unit, Comparator Comparator, double Threshold)
    : Target(Label, Unit, Comparator, Threshold)
{
    /// <inheritdoc />
    public override string Suite => A.Suite;

    /// <inheritdoc />
    public override string Formula => $"{A} ({Unit})";

    /// <inheritdoc />
    public override double? Measure(ResultSet results) => A.ValueIn(results, Unit);

    /// <inheritdoc />
    public override string Format(double figure) => NumberFormat.Value(figure, Unit);
}
