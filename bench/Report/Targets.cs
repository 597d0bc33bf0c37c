using Report.TargetKinds;
using static Report.TargetKinds.Comparator;

namespace Report;

/// <summary>
/// The performance targets the report checks, with the series and case names of bench/RESULTS.md. Ratios are
/// A / B in the unit given: for times (ns/op) below 1 means A is faster, for rates (ops/s, req/s) above 1 does.
/// </summary>
public static class Targets
{
    private const string Ours = "FunctionalCache";
    private const string Django = "Django 3.2";

    /// <summary>Every target, the hit-rate one expanded to each case the results hold (or one unmeasured row if none).</summary>
    public static IReadOnlyList<Target> For(ResultSet results) =>
        [.. InProcess, .. HitRate(results), .. DjangoSuite, .. Memcached, .. Http, .. Redis, .. RedisClients, .. Resilience];

    private static IEnumerable<Target> InProcess
    {
        get
        {
            const string hit = "get-hit, 1 thread";
            var ours = new MeasureRef("inprocess", hit, "FunctionalCache locmem reference");
            yield return new RatioTarget("locmem hit within 1.5× of ConcurrentDictionary", ours,
                new MeasureRef("inprocess", hit, "ConcurrentDictionary"), "ns/op", AtMost, 1.5);
            yield return new RatioTarget("locmem hit at most 0.6× MemoryCache's time", ours,
                new MeasureRef("inprocess", hit, "MemoryCache"), "ns/op", AtMost, 0.6);
            yield return new AbsoluteTarget("locmem hit allocates nothing", ours, "B/op", AtMost, 0);

            // Issue 17: the hit and the write on two threads, and the read-through hit.
            const string hit2 = "get-hit, 2 threads";
            var ours2 = new MeasureRef("inprocess", hit2, "FunctionalCache locmem reference");
            yield return new RatioTarget("locmem hit on 2 threads at most ConcurrentLru's time", ours2,
                new MeasureRef("inprocess", hit2, "ConcurrentLru"), "ns/op", AtMost, 1.0);
            // Times are wall time per operation over all threads, so 1-thread time / 2-thread time is the throughput gain.
            yield return new RatioTarget("locmem hit: 2 threads serve at least 1.6× the hits of 1", ours, ours2, "ns/op", AtLeast, 1.6);
            foreach (var threads in new[] { "1 thread", "2 threads" })
            {
                var getOrSet = $"get-or-set, {threads}";
                var oursGetOrSet = new MeasureRef("inprocess", getOrSet, "FunctionalCache locmem reference");
                yield return new RatioTarget($"locmem get-or-set hit within 2× of ConcurrentDictionary ({threads})", oursGetOrSet,
                    new MeasureRef("inprocess", getOrSet, "ConcurrentDictionary"), "ns/op", AtMost, 2.0);
                yield return new AbsoluteTarget($"locmem get-or-set hit allocates nothing ({threads})", oursGetOrSet, "B/op", AtMost, 0);
            }
            const string set2 = "set, 2 threads";
            yield return new RatioTarget("locmem set on 2 threads at most MemoryCache's time",
                new MeasureRef("inprocess", set2, "FunctionalCache locmem reference"), new MeasureRef("inprocess", set2, "MemoryCache"),
                "ns/op", AtMost, 1.0);
        }
    }

    // Within 2 points of ConcurrentLru on every stream and capacity the hit-rate tool measures.
    private static IEnumerable<Target> HitRate(ResultSet results)
    {
        var cases = results.CasesOf("hitrate", "%");
        foreach (var @case in cases.Count > 0 ? cases : ["every case"])
            yield return new DifferenceTarget($"hit rate within 2 points of ConcurrentLru ({@case})",
                new MeasureRef("hitrate", @case, "FunctionalCache locmem"), new MeasureRef("hitrate", @case, "ConcurrentLru"), "%", AtLeast, -2);
    }

    private static IEnumerable<Target> DjangoSuite
    {
        get
        {
            RatioTarget VersusDjango(string @case, double atLeast) => new($"{@case}: {atLeast:0.#}× Django",
                new MeasureRef("django", @case, Ours), new MeasureRef("django", @case, Django), "ops/s", AtLeast, atLeast);
            yield return VersusDjango("locmem get-hit", 10);
            yield return VersusDjango("locmem set", 10);
            yield return VersusDjango("file set (50k entries)", 100);
            // Django's file backend lists the directory on every set; ours must not slow down with the entry count.
            yield return new RatioTarget("file set keeps its speed from 1k to 50k entries",
                new MeasureRef("django", "file set (50k entries)", Ours), new MeasureRef("django", "file set (1k entries)", Ours), "ops/s", AtLeast, 0.8);
            yield return VersusDjango("file get-hit (1k entries)", 3);
            yield return VersusDjango("db set", 10);
            yield return VersusDjango("db get-hit", 5);
        }
    }

    private static IEnumerable<Target> Memcached
    {
        get
        {
            yield return new RatioTarget("16 concurrent callers: 5× pylibmc's single-caller gets",
                new MeasureRef("memcached", "get, 16 concurrent callers", Ours), new MeasureRef("memcached", "get", "pylibmc"), "ops/s", AtLeast, 5);
            yield return new RatioTarget("get-many(100) at least as fast as pylibmc",
                new MeasureRef("memcached", "get-many(100)", Ours), new MeasureRef("memcached", "get-many(100)", "pylibmc"), "ops/s", AtLeast, 1);
        }
    }

    // Issue 15: 3× django-redis's single-caller rate on every operation both sides run.
    private static IEnumerable<Target> Redis =>
        new[] { "get-hit", "get-miss", "set", "get-many(10)", "incr" }.Select(@case => (Target)new RatioTarget(
            $"{@case}: 3× django-redis", new MeasureRef("redis", @case, Ours), new MeasureRef("redis", @case, "django-redis 5.2"), "ops/s", AtLeast, 3));

    // Issue 15: our overhead over raw StackExchange.Redis at most 1.15× its latency on one caller, and 16 callers at least
    // 0.9× its throughput.
    private static IEnumerable<Target> RedisClients
    {
        get
        {
            const string raw = "StackExchange.Redis";
            foreach (var operation in new[] { "get-hit", "set" })
            {
                var one = $"{operation}, 1 caller";
                yield return new RatioTarget($"{one}: at most 1.15× raw StackExchange.Redis's time",
                    new MeasureRef("redis-clients", one, Ours), new MeasureRef("redis-clients", one, raw), "ns/op", AtMost, 1.15);
                var many = $"{operation}, 16 callers";
                yield return new RatioTarget($"{many}: at least 0.9× raw StackExchange.Redis's rate",
                    new MeasureRef("redis-clients", many, Ours), new MeasureRef("redis-clients", many, raw), "ops/s", AtLeast, 0.9);
            }
        }
    }

    private static IEnumerable<Target> Http
    {
        get
        {
            const string page = "GET / (cached page)";
            var ours = new MeasureRef("http", page, "FunctionalCache middleware (locmem)");
            yield return new RatioTarget("cached page at least as fast as Output Caching", ours,
                new MeasureRef("http", page, "Output Caching"), "req/s", AtLeast, 1.0);
            yield return new RatioTarget("cached page within 5% of the bare endpoint", ours,
                new MeasureRef("http", page, "bare endpoint"), "req/s", AtLeast, 0.95);
        }
    }

    // Issue 16: the tiered L1 hit at most 0.5× FusionCache's (L1 + Redis + backplane) and allocating nothing (with a
    // reference L1, and with the default copying L1 for a string it holds as it is); fail-safe answering every request
    // while the factory fails.
    private static IEnumerable<Target> Resilience
    {
        get
        {
            const string hit = "L1 hit over Redis";
            var fusion = new MeasureRef("resilience", hit, "FusionCache TryGetAsync (L1 + Redis + backplane)");
            yield return new RatioTarget("tiered L1 hit at most 0.5× FusionCache's time",
                new MeasureRef("resilience", hit, "FunctionalCache tiered locmem over redis GetAsync"), fusion, "ns/op", AtMost, 0.5);
            yield return new RatioTarget("tiered L1 hit (reference L1) at most 0.5× FusionCache's time",
                new MeasureRef("resilience", hit, "FunctionalCache tiered locmem reference over redis GetAsync"), fusion, "ns/op", AtMost, 0.5);
            yield return new AbsoluteTarget("tiered L1 hit (reference L1) allocates nothing",
                new MeasureRef("resilience", hit, "FunctionalCache tiered locmem reference over redis GetAsync"), "B/op", AtMost, 0);
            yield return new AbsoluteTarget("tiered L1 hit (default copying L1, a string) allocates nothing",
                new MeasureRef("resilience", hit, "FunctionalCache tiered locmem over redis GetAsync"), "B/op", AtMost, 0);
            yield return new AbsoluteTarget("fail-safe answers every request while the factory fails",
                new MeasureRef("resilience", "fail-safe, factory failing for 10 s: answered", "FunctionalCache fail-safe (no throttle: default)"), "%", AtLeast, 100);
        }
    }
}
