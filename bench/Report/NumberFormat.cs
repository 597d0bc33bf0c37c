using System.Globalization;

namespace Report;

/// <summary>How figures are printed in tables, targets and bar labels: invariant culture, about three significant digits.</summary>
public static class NumberFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A figure for a table cell: "33,301", "412", "38.5", "8.01", "0".</summary>
    public static string Number(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", Invariant) : Significant(value);

    /// <summary>A figure with its unit: "0 B/op", "45.2 %", "8.01 ns/op".</summary>
    public static string Value(double value, string unit) => $"{Number(value)} {unit}";

    /// <summary>A ratio: "0.002×", "0.74×", "1.5×", "41.2×", "412×".</summary>
    public static string Ratio(double ratio) => Math.Abs(ratio) switch
    {
        >= 100 => ratio.ToString("0", Invariant),
        >= 10 => ratio.ToString("0.#", Invariant),
        >= 0.1 or 0 => ratio.ToString("0.##", Invariant),
        _ => Significant(ratio),
    } + "×";

    /// <summary>A signed difference; percentages in points: "+1.2 pt", "−2 pt".</summary>
    public static string Difference(double difference, string unit)
    {
        var magnitude = Math.Abs(difference).ToString("0.##", Invariant);
        var sign = difference < 0 ? "−" : "+";
        return $"{sign}{magnitude} {(unit == "%" ? "pt" : unit)}";
    }

    /// <summary>A short label for a bar: "1.23M", "33.3k", "38.5".</summary>
    public static string Compact(double value) => Math.Abs(value) switch
    {
        >= 1e9 => Significant(value / 1e9) + "G",
        >= 1e6 => Significant(value / 1e6) + "M",
        >= 1e4 => Significant(value / 1e3) + "k",
        >= 1e3 => value.ToString("0", Invariant),
        _ => Significant(value),
    };

    // Three significant digits without exponent notation or trailing zeros: 38.47 → "38.5", 0.01234 → "0.0123".
    private static string Significant(double value)
    {
        if (value == 0) return "0";
        var digits = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value, Math.Min(digits, 15)).ToString("0.###############", Invariant);
    }
}
