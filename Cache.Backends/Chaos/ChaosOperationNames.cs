namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// The names of the <see cref="ChaosOperation"/>s as the metrics' <c>cache.operation</c> tag writes them (<c>get</c>,
/// <c>get_many</c>, <c>incr</c>…): what failure messages say and what a <c>chaos://</c> URI's <c>operations</c> lists.
/// </summary>
internal static class ChaosOperationNames
{
    private static readonly string[] Names =
    [
        "get", "get_or_default", "set", "add", "get_many", "set_many", "delete", "delete_many", "has_key", "touch",
        "incr", "decr", "incr_version", "decr_version", "get_or_set", "clear",
    ];

    /// <summary>Every name, in the enum's order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The name of <paramref name="operation"/>.</summary>
    public static string Of(ChaosOperation operation) => Names[(int)operation];

    /// <summary>The operation named <paramref name="name"/> (as written, case-sensitive), or null.</summary>
    public static ChaosOperation? Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : (ChaosOperation)index;
    }

    /// <summary>True for the operations that return stored values, the only ones <see cref="ChaosFault.Corrupt"/> changes.</summary>
    public static bool Reads(ChaosOperation operation) =>
        operation is ChaosOperation.Get or ChaosOperation.GetOrDefault or ChaosOperation.GetMany or ChaosOperation.GetOrSet;
}
