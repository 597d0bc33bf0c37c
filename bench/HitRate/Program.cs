// Hit rates of bounded in-process caches on skewed key streams, used cache-aside (read; on a miss,
// store). Every contender replays the same streams, single-threaded, from empty; the hit rate counts
// every request, the warm-up included. Writes $BENCH_RESULTS/hitrate.csv (bench/RESULTS.md) and
// prints a table. Usage: dotnet run -c Release --project bench/HitRate [-- --requests N]
using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Benchmarks.Peers;
using HitRate;

const int Distinct = 100_000;
const int Seed = 1815;
double[] exponents = [0.9, 1.1];
(string Name, int Entries)[] capacities = [("0.1%", Distinct / 1000), ("1%", Distinct / 100), ("10%", Distinct / 10)];
var requests = args is ["--requests", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 1_000_000;

var keys = Enumerable.Range(0, Distinct).Select(i => $"item:{i:D6}").ToArray();
var rows = new List<ResultRow>();
var table = new List<(string Case, List<(string Series, double Rate, double Seconds)> Figures)>();
var total = Stopwatch.StartNew();

foreach (var s in exponents)
{
    var ranks = ZipfStream.Draw(Distinct, s, requests, Seed);
    foreach (var (name, entries) in capacities)
    {
        var caseName = string.Create(CultureInfo.InvariantCulture, $"Zipf s={s}, capacity {name}");
        var figures = new List<(string, double, double)>();
        foreach (var (contender, role, written) in Contenders(entries))
        {
            using (contender)
            {
                var clock = Stopwatch.StartNew();
                var hits = 0;
                foreach (var rank in ranks)
                    if (contender.Lookup(keys[rank])) hits++;
                var rate = 100.0 * hits / ranks.Length;
                figures.Add((contender.Series, rate, clock.Elapsed.TotalSeconds));
                if (written) rows.Add(new ResultRow("hitrate", caseName, contender.Series, role, Math.Round(rate, 2), "%"));
            }
        }
        table.Add((caseName, figures));
    }
}

var path = BenchResults.Replace("hitrate", rows);
Print(table, requests);
Console.WriteLine($"{rows.Count} rows written to {path} in {total.Elapsed.TotalSeconds:F1} s.");

// The contenders for one capacity: (contender, role, written to the CSV).
static IEnumerable<(Contender, string, bool)> Contenders(int capacity)
{
    yield return (new LruContender(capacity), "baseline", true);
    yield return (new MemoryCacheContender(capacity), "peer", true);
    yield return (new LocMemContender(capacity, 3, "FunctionalCache locmem"), "ours", true);
    // Django's default culls a third of a full cache at once; culling a tenth keeps it fuller. (A
    // hundredth matches the exact LRU below, but each cull sorts the whole store, so it alone would
    // take most of a minute.)
    yield return (new LocMemContender(capacity, 10, "FunctionalCache locmem (cull_frequency=10)"), "ours", true);
    // Console only: the policy locmem approximates, evicting one entry at a time.
    yield return (new ExactLruContender(capacity), "peer", false);
}

static void Print(List<(string Case, List<(string Series, double Rate, double Seconds)> Figures)> table, int requests)
{
    var series = table[0].Figures.Select(f => f.Series).ToList();
    var caseWidth = table.Max(row => row.Case.Length);
    Console.WriteLine($"Hit rate, % of {requests:N0} requests over {Distinct:N0} keys (replay time in seconds):");
    for (var i = 0; i < series.Count; i++) Console.WriteLine($"  [{i + 1}] {series[i]}");
    Console.WriteLine();
    Console.WriteLine(string.Join("  ", [$"{"case".PadRight(caseWidth)}", .. series.Select((_, i) => $"[{i + 1}]".PadLeft(16))]));
    foreach (var (caseName, figures) in table)
        Console.WriteLine(string.Join("  ", [caseName.PadRight(caseWidth), .. figures.Select(f => $"{f.Rate,6:F2} ({f.Seconds,5:F1}s)".PadLeft(16))]));
    Console.WriteLine();
}
