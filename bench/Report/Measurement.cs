namespace Report;

/// <summary>One row of a results CSV, with where it came from so that later checks can name the line.</summary>
public sealed record Measurement(string Suite, string Case, string Series, Role Role, double Value, string Unit, string File, int Line)
{
    /// <summary>The comparison group of bench/RESULTS.md: rows with the same suite, case and unit share a baseline.</summary>
    public (string Suite, string Case, string Unit) Group => (Suite, Case, Unit);
}
