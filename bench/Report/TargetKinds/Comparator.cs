namespace Report.TargetKinds;

/// <summary>How a measured figure is held against a target's threshold.</summary>
public enum Comparator
{
    /// <summary>Met when the figure is at most the threshold (≤).</summary>
    AtMost,

    /// <summary>Met when the figure is at least the threshold (≥).</summary>
    AtLeast,
}

/// <summary>Applying and printing a <see cref="Comparator"/>.</summary>
public static class ComparatorExtensions
{
    /// <summary>Whether <paramref name="measured"/> meets <paramref name="threshold"/>.</summary>
    public static bool Holds(this Comparator comparator, double measured, double threshold) =>
        comparator == Comparator.AtMost ? measured <= threshold : measured >= threshold;

    /// <summary>"≤" or "≥".</summary>
    public static string Symbol(this Comparator comparator) => comparator == Comparator.AtMost ? "≤" : "≥";
}
