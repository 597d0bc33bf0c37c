using System.Globalization;
using FunctionalCache.Benchmarks.Peers;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// The scaling suite (<c>dotnet run -c Release --project Cache.Benchmarks -- scaling</c>): get-hit throughput of
/// ConcurrentDictionary, ConcurrentLru, MemoryCache and locmem at 1, 2, 4 and 8 threads, and the contention counter,
/// written to <c>$BENCH_RESULTS/scaling.csv</c> (bench/RESULTS.md).
/// </summary>
/// <remarks>
/// The shape, not the absolute: with more threads than cores the threads take turns, so those cases are marked
/// "oversubscribed" and show what sharing costs (a contended line stalls whichever thread runs) rather than more
/// parallel work. Each (contender, thread count) is measured in three windows of half a second (<c>--rounds N</c>,
/// <c>--window-ms N</c>), the contenders alternating, and the median is written.
/// </remarks>
internal static class ScalingSuite
{
    public const string Suite = "scaling";

    private static readonly int[] ThreadCounts = [1, 2, 4, 8];
    public static void Run(string[] args)
    {
        var rounds = 3;
        var window = TimeSpan.FromMilliseconds(500);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--window-ms") window = TimeSpan.FromMilliseconds(value);
            else if (args[i] == "--rounds") rounds = value;
            else throw new ArgumentException($"Unknown option {args[i]}: the options are --window-ms N and --rounds N.");
        }
        var readers = HitReader.All();
        var keys = Fixture.HitKeys;
        foreach (var reader in readers) ThroughputProbe.HitsPerSecond(reader, keys, 1, TimeSpan.FromMilliseconds(200));

        var rows = new List<ResultRow>();
        foreach (var threads in ThreadCounts)
        {
            var figures = readers.ToDictionary(r => r, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
                foreach (var reader in readers)
                    figures[reader].Add(ThroughputProbe.HitsPerSecond(reader, keys, threads, window));
            var caseName = CaseFor(threads);
            foreach (var reader in readers)
            {
                var median = figures[reader].Order().ElementAt(rounds / 2);
                rows.Add(new ResultRow(Suite, caseName, reader.Series, reader.Role, Math.Round(median), "ops/s"));
                Console.WriteLine($"{caseName,-40} {reader.Series,-34} {median / 1e6,8:F1} M hits/s");
            }
        }

        const int length = 1_000_000;
        (string Case, int[] Stream)[] streams =
        [
            ("uniform over 1 000 keys", KeyStream.Uniform(keys.Length, length, 1815)),
            ("Zipf s=1 over 1 000 keys", KeyStream.Zipf(keys.Length, 1.0, length, 1815)),
        ];
        foreach (var (caseName, stream) in streams)
            foreach (var (series, perThousand) in SharedWriteCount.Of(stream))
            {
                var role = series == SharedWriteCount.Ours ? "ours" : "peer";
                rows.Add(new ResultRow(Suite, caseName, series, role, Math.Round(perThousand, 2), "writes/1k hits"));
                Console.WriteLine($"{caseName,-40} {series,-34} {perThousand,8:F2} shared writes per 1 000 hits");
            }

        Console.WriteLine($"{rows.Count} rows written to {BenchResults.Replace(Suite, rows)}");
    }

    private static string CaseFor(int threads) =>
        $"get-hit, {threads} thread{(threads == 1 ? "" : "s")}{(threads > Environment.ProcessorCount ? " (oversubscribed)" : "")}";
}
