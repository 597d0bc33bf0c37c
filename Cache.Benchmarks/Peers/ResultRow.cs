using System.Globalization;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>One row of a results file: <c>suite,case,series,role,value,unit</c> (bench/RESULTS.md).</summary>
/// <remarks>
/// RESULTS.md says names never hold commas, yet its own case names do (<c>get-hit, 1 thread</c>). The
/// case is written as the contract spells it, unquoted; every other field is checked comma-free, so a
/// reader can still split a row unambiguously: the first field, then the last four, and the case is
/// what lies between (see <see cref="BenchResults.CaseOf"/>).
/// </remarks>
internal sealed record ResultRow(string Suite, string Case, string Series, string Role, double Value, string Unit)
{
    /// <summary>The row as a CSV line: invariant numbers, at most two decimals, no quoting.</summary>
    public string ToCsv()
    {
        string[] names = [Suite, Series, Role, Unit];
        if (names.Any(name => name.Contains(',')) || names.Append(Case).Any(name => name.Contains('\n')))
            throw new ArgumentException($"Only the case may hold a comma, and no field a line break: {Suite} | {Case} | {Series} | {Role} | {Unit}.");
        return string.Join(',', Suite, Case, Series, Role, Value.ToString("0.##", CultureInfo.InvariantCulture), Unit);
    }
}
