namespace Report;

/// <summary>A comparison suite of bench/RESULTS.md: its CSV name, a heading, and the set-up line printed above its table.</summary>
public sealed record Suite(string Name, string Title, string SetUp)
{
    /// <summary>The suites in report order, each with the command that produces it.</summary>
    public static IReadOnlyList<Suite> All { get; } =
    [
        new("inprocess", "In-process caches",
            "BenchmarkDotNet over `Cache.Benchmarks/Peers` (`dotnet run -c Release --project Cache.Benchmarks -- --filter '*Peers*'`): " +
            "time and allocation per operation on string keys and values, one and two threads; `ConcurrentDictionary` is the floor."),
        new("scaling", "Get-hit scaling with threads",
            "`Cache.Benchmarks scaling` (`dotnet run -c Release --project Cache.Benchmarks -- scaling`): hits per second of four " +
            "in-process caches holding 1 000 string keys, with 1, 2, 4 and 8 threads reading at once (the median of three " +
            "half-second windows, contenders alternating). Beyond the machine's cores the threads take turns " +
            "(\"oversubscribed\"): those columns show what sharing costs, not more parallel work. The second table is the " +
            "contention counter: of every 1 000 hits on one thread, how many wrote memory other cores read (locmem measured, " +
            "the shared-clock and access-bit designs replayed by their rule on the same key stream); it does not depend on the core count."),
        new("hitrate", "Hit rate under a Zipf workload",
            "`bench/HitRate` (`dotnet run -c Release --project bench/HitRate`): bounded caches used cache-aside on the same " +
            "Zipf-distributed key streams, single-threaded, from empty; the share of requests that hit, by skew and capacity " +
            "(as a share of the distinct keys). `ConcurrentLru` is the baseline; compared in points, not ratios."),
        new("django", "Against Django's cache backends",
            "`bench/django.sh`: Django 3.2's backends (Debian's python3-django) and ours (`bench/PeerCompare`) on the same " +
            "stores — locmem, a file directory at 1k and 50k entries, SQLite, one local memcached — alternating for a few " +
            "rounds; the median operations per second, Django is the baseline."),
        new("memcached", "Memcached client against pylibmc",
            "`bench/memcached.sh`: pylibmc (the libmemcached client behind Django's `PyLibMCCache`) and FunctionalCache's " +
            "memcached client on one local memcached, alternating for a few rounds; the median operations per second " +
            "(one get-many call is one operation; the concurrent case is 16 callers at once). pylibmc is the baseline."),
        new("http", "HTTP: cached page hits",
            "`bench/http.sh`: the demo's expensive page `/` from `bench/HttpCompare` in Release, warmed, then `wrk -t2 -c16` in " +
            "alternating rounds (median of the rounds); the bare endpoint serves the same bytes and headers with no cache at all " +
            "(the ceiling). wrk and the servers share the machine's cores, so the figures are lower than on separate machines."),
        new("redis", "Redis backend against django-redis",
            "`bench/redis.sh`: django-redis 5.2 on Django 3.2 (Debian's python3-django-redis, its default client and pickle " +
            "serializer) and our `redis://` cache through `ICache`, one caller each, on one local redis-server 7 that the script " +
            "starts, alternating for a few rounds; the median operations per second (one get-many call is one operation). " +
            "django-redis is the baseline."),
        new("redis-clients", ".NET Redis clients and the server's ceiling",
            "`bench/redis.sh`, same run and server: our `redis://` cache through `ICache` beside raw StackExchange.Redis " +
            "(`StringGetAsync`/`StringSetAsync` of the very keys and bytes our cache wrote), " +
            "`Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache` (`IDistributedCache`) and FusionCache with that " +
            "`RedisCache` as its L2 and its L1 skipped on every call (`SkipMemoryCacheRead`/`Write`), so every call is a Redis " +
            "round trip. One caller as time per operation, 16 concurrent callers sharing one client as operations per second. " +
            "`redis-benchmark -t set,get` (C, one connection per caller, values of our entries' size) is the baseline: " +
            "the server's ceiling from one client process on this machine."),
        new("resilience", "Tiers, fail-safe, coherence and purge (issue 16)",
            "`bench/resilience.sh`: the L1 hit of a two-level cache over one local Redis, 100 string keys " +
            "(BenchmarkDotNet, `Cache.Benchmarks/Backends/Tiers/TieredGetHitBenchmarks.cs`): ours with the Redis backplane, " +
            "FusionCache with its Redis backplane (its async read is the baseline) and HybridCache; get-or-set under a factory " +
            "failing on every call for 10 s after 100 keys expired, two workers (`FailSafeOutage.cs`; FusionCache's default " +
            "throttle is the baseline); the time from a write in one process to the copy gone from a second process's L1, " +
            "through Redis pub/sub and PostgreSQL LISTEN/NOTIFY (`CoherenceLatency.cs`, 2,000 rounds, no baseline); and one " +
            "`IPageCache.EvictByTagAsync` over 10,000 cached pages, after which every page rendered again (the run fails " +
            "if one is served from the cache)."),
    ];

    /// <summary>The suite named <paramref name="name"/>, if the contract knows it.</summary>
    public static Suite? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
