namespace Report;

/// <summary>The units bench/RESULTS.md allows, and which way is better for each.</summary>
public static class Units
{
    private static readonly Dictionary<string, bool> LowerIsBetterByUnit = new(StringComparer.Ordinal)
    {
        ["ns/op"] = true,
        ["B/op"] = true,
        ["ops/s"] = false,
        ["req/s"] = false,
        ["%"] = false,
        // The scaling suite's contention counter: hits that wrote memory other cores read, per 1 000 hits.
        ["writes/1k hits"] = true,
        ["µs"] = true,
        ["ms"] = true,
    };

    /// <summary>The allowed units, in the order the contract lists them.</summary>
    public static IReadOnlyCollection<string> All => LowerIsBetterByUnit.Keys;

    /// <summary>Whether <paramref name="unit"/> is one the contract allows.</summary>
    public static bool IsKnown(string unit) => LowerIsBetterByUnit.ContainsKey(unit);

    /// <summary>Whether a smaller figure is the better one (times and bytes).</summary>
    public static bool LowerIsBetter(string unit) => LowerIsBetterByUnit[unit];

    /// <summary>"lower is better" or "higher is better", for axis labels and table captions.</summary>
    public static string Direction(string unit) => LowerIsBetter(unit) ? "lower is better" : "higher is better";

    /// <summary>
    /// Whether rows of this unit compare by difference rather than ratio: hit rates are percentages, and
    /// "2 points below" reads better than "0.96×".
    /// </summary>
    public static bool ComparesByDifference(string unit) => unit == "%";

    /// <summary>A file-name-safe form of the unit ("ns/op" → "ns-per-op", "writes/1k hits" → "writes-per-1k-hits").</summary>
    public static string Slug(string unit) => unit switch
    {
        "%" => "percent",
        "B/op" => "bytes-per-op",
        "µs" => "us",
        _ => unit.Replace("/", "-per-").Replace(' ', '-'),
    };
}
