using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Backends;
using FunctionalCache.Backends.FailSafe;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Benchmarks.Backends.Tiers;
using FunctionalCache.Benchmarks.Peers;
using ZiggyCreatures.Caching.Fusion;

namespace FunctionalCache.Benchmarks.Backends.FailSafe;

/// <summary>
/// The issue's fail-safe measure, as a scenario rather than a BenchmarkDotNet job (it is about a window of time, not one
/// call): 100 keys are filled, left to expire, then two workers ask for them in turn for the window while every factory
/// run throws. For FunctionalCache's <see cref="FailSafeCache"/> over locmem and FusionCache with fail-safe on: how many
/// requests were answered (the target is all of them) and the p50/p99 latency of a request.
/// Run: <c>dotnet run -c Release --project Cache.Benchmarks -- failsafe-outage [seconds] [--csv]</c> (10 by default; <c>--csv</c> also
/// merges the figures into the resilience suite's results, bench/RESULTS.md).
/// </summary>
/// <remarks>
/// FusionCache by default re-stores a stale value it served as fresh for <c>FailSafeThrottleDuration</c> (30 s), so during
/// the outage its later requests are plain hits; FailSafeCache by default asks the factory again on every request.
/// Both are measured as configured out of the box and with the same throttles (FailSafeOptions.WithThrottle).
/// </remarks>
public static class FailSafeOutage
{
    private const int Keys = 100;
    private const int Workers = 2;
    private static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(200);

    /// <summary>The command-line entry: runs the scenario for each contender, prints one line each, and merges the figures into the resilience results when asked (<c>--csv</c>).</summary>
    public static async Task RunAsync(string[] args)
    {
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var seconds = positional.Length > 0 ? double.Parse(positional[0], CultureInfo.InvariantCulture) : 10.0;
        var rows = await MeasureAsync(TimeSpan.FromSeconds(seconds));
        if (args.Contains("--csv")) Console.WriteLine($"written to {BenchResults.Merge(ResilienceSuite.Name, rows)}");
    }

    /// <summary>Each contender's share answered (%) and p50/p99 (µs) over a <paramref name="window"/> of failures, as rows of the resilience suite.</summary>
    internal static async Task<IReadOnlyList<ResultRow>> MeasureAsync(TimeSpan window)
    {
        var seconds = window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        Console.WriteLine($"Fail-safe under a factory failing 100% for {seconds} s: {Keys} keys, {Workers} workers, machine shared (noisy).");
        Console.WriteLine("contender | requests | answered | p50 µs | p99 µs");
        var rows = new List<ResultRow>();
        var caseName = $"fail-safe, factory failing for {seconds} s";
        async Task Contender(string series, string role, GetOrSet getOrSet)
        {
            var (share, p50, p99) = await Report(series, window, getOrSet);
            rows.Add(new ResultRow(ResilienceSuite.Name, $"{caseName}: answered", series, role, share, "%"));
            rows.Add(new ResultRow(ResilienceSuite.Name, $"{caseName}: p50", series, role, p50, "µs"));
            rows.Add(new ResultRow(ResilienceSuite.Name, $"{caseName}: p99", series, role, p99, "µs"));
        }
        await Contender("FunctionalCache fail-safe (no throttle: default)", "ours", Ours(TimeSpan.Zero));
        await Contender("FunctionalCache fail-safe (throttle 1 ms)", "ours", Ours(TimeSpan.FromMilliseconds(1)));
        await Contender("FunctionalCache fail-safe (throttle 30 s)", "ours", Ours(TimeSpan.FromSeconds(30)));
        await Contender("FusionCache fail-safe (throttle 30 s: default)", "baseline", Fusion(TimeSpan.FromSeconds(30)));
        await Contender("FusionCache fail-safe (throttle 1 ms)", "peer", Fusion(TimeSpan.FromMilliseconds(1)));
        return rows;
    }

    /// <summary>A contender: get-or-set of a key with a factory that succeeds or throws.</summary>
    private delegate Task<string> GetOrSet(string key, bool fail);

    private static GetOrSet Ours(TimeSpan throttle)
    {
        var cache = new LocMemCache(CachePolicy.Default, CacheContext.Default.WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)).WithFailSafe(FailSafeOptions.For(TimeSpan.FromHours(1)).WithThrottle(throttle));
        var timeout = CacheTimeout.After(Duration);
        return (key, fail) => cache.GetOrSetAsync(key, _ => fail ? Task.FromException<string>(new InvalidOperationException("source down")) : Task.FromResult("value"), timeout);
    }

    private static GetOrSet Fusion(TimeSpan throttle)
    {
        var cache = new FusionCache(new FusionCacheOptions());
        var options = new FusionCacheEntryOptions
        {
            Duration = Duration,
            IsFailSafeEnabled = true,
            FailSafeMaxDuration = TimeSpan.FromHours(1),
            FailSafeThrottleDuration = throttle,
        };
        return (key, fail) => cache.GetOrSetAsync<string>(key, (_, _) => fail ? Task.FromException<string>(new InvalidOperationException("source down")) : Task.FromResult("value"), default, options).AsTask();
    }

    private static async Task<(double Share, double P50, double P99)> Report(string name, TimeSpan window, GetOrSet getOrSet)
    {
        var keys = Enumerable.Range(0, Keys).Select(i => $"page:{i}").ToArray();
        foreach (var key in keys) await getOrSet(key, fail: false);
        await Task.Delay(Duration * 2);
        var until = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>();
            long answered = 0;
            for (var i = w; Stopwatch.GetTimestamp() < until; i++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (await getOrSet(keys[i % Keys], fail: true) == "value") answered++;
                }
                catch (Exception) { /* an unanswered request: counted by its absence from answered */ }
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
            return (latencies, answered);
        })));
        var all = results.SelectMany(r => r.latencies).Order().ToArray();
        var total = all.Length;
        var share = results.Sum(r => r.answered) * 100.0 / Math.Max(1, total);
        double Micros(double p) => total == 0 ? 0 : all[Math.Min(total - 1, (int)(p * total))] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} | {total} | {share:0.###}% | {Micros(0.50):0.0} | {Micros(0.99):0.0}"));
        return (share, Micros(0.50), Micros(0.99));
    }
}
