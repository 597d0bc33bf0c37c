namespace Report.TargetKinds;

/// <summary>
/// A performance goal read off the results: a figure derived from one or two measurements (a ratio, a difference,
/// or the value itself), compared with a threshold. All figures a target reads share one unit.
/// </summary>
public abstract record Target(string Label, string Unit, Comparator Comparator, double Threshold)
{
    /// <summary>The suite whose section lists this target.</summary>
    public abstract string Suite { get; }

    /// <summary>What is computed, in the table's words, e.g. "`A`, case / `B`, case".</summary>
    public abstract string Formula { get; }

    /// <summary>The derived figure, or null when a measurement it needs is missing.</summary>
    public abstract double? Measure(ResultSet results);

    /// <summary>Prints a derived figure or threshold in this target's terms ("1.23×", "−2 pt", "0 B/op").</summary>
    public abstract string Format(double figure);

    /// <summary>The requirement as printed, e.g. "≥ 10×".</summary>
    public string Requirement => $"{Comparator.Symbol()} {Format(Threshold)}";

    /// <summary>Measures the target and judges it.</summary>
    public TargetResult Evaluate(ResultSet results)
    {
        var measured = Measure(results);
        var status = measured is not { } m ? TargetStatus.NotMeasured
            : Comparator.Holds(m, Threshold) ? TargetStatus.Met
            : TargetStatus.NotMet;
        return new TargetResult(this, measured, status);
    }
}
