using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Backends;
using FunctionalCache.Backends.FailSafe;
using FunctionalCache.Backends.LocMem;
using ZiggyCreatures.Caching.Fusion;

namespace FunctionalCache.Benchmarks.Backends.FailSafe;

/// <summary>
/// The fail-safe measure, as a scenario rather than a BenchmarkDotNet job (it is about a window of time, not one
/// call): 100 keys are filled, left to expire, then two workers ask for them in turn for the window while every factory
/// run throws. For FunctionalCache's <see cref="FailSafeCache"/> over locmem and FusionCache with fail-safe on: how many
/// requests were answered (the target is all of them) and the p50/p99 latency of a request.
/// Run: <c>dotnet run -c Release --project Cache.Benchmarks -- failsafe-outage [seconds]</c> (10 by default).
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

    /// <summary>Runs the scenario for each contender and prints one line each.</summary>
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10.0;
        var window = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"Fail-safe under a factory failing 100% for {seconds} s: {Keys} keys, {Workers} workers, machine shared (noisy).");
        Console.WriteLine("contender | requests | answered | p50 µs | p99 µs");
        await Report("FunctionalCache FailSafeCache(locmem) (no throttle, default)", window, Ours(TimeSpan.Zero));
        await Report("FunctionalCache FailSafeCache(locmem) (throttle 1 ms)", window, Ours(TimeSpan.FromMilliseconds(1)));
        await Report("FunctionalCache FailSafeCache(locmem) (throttle 30 s)", window, Ours(TimeSpan.FromSeconds(30)));
        await Report("FusionCache fail-safe (throttle 30 s, default)", window, Fusion(TimeSpan.FromSeconds(30)));
        await Report("FusionCache fail-safe (throttle 1 ms)", window, Fusion(TimeSpan.FromMilliseconds(1)));
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

    private static async Task Report(string name, TimeSpan window, GetOrSet getOrSet)
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
    }
}
