using System.Diagnostics;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Backends.Tiers;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// Coherence latency through a backplane: node B holds a key in its L1; node A writes it; the time from A's write call
/// to B's copy being gone, p50 and p99 over many samples. The two nodes are two tiers with connections of their own
/// (as two processes would have), in this process so that one clock times both ends.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project Cache.Benchmarks -- coherence [samples] [postgres-connection-string]</c>: Redis is
/// started here; PostgreSQL is measured when a connection string to a server is given.
/// </remarks>
public static class CoherenceLatency
{
    public static void Run(string[] args)
    {
        var samples = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        using (var redis = new RedisServer())
        {
            var prefix = "coherence";
            Report("redis pub/sub", samples, () =>
            {
                var l2 = new RedisCache(RedisOptions.Parse(redis.Location), CachePolicy.Default.WithKeyPrefix(prefix), CacheContext.Default);
                var backplane = new RedisBackplane(l2);
                return (Node(l2, backplane), () => { backplane.Dispose(); l2.Dispose(); });
            });
        }
        if (args.Length > 2)
        {
            var location = DatabaseLocation.Postgres(args[2]);
            var table = "coherence_" + Guid.NewGuid().ToString("N")[..8];
            DatabaseCacheTable.CreateAsync(location, table).GetAwaiter().GetResult();
            Report("postgres LISTEN/NOTIFY", samples, () =>
            {
                var l2 = new DatabaseCache(table, location, CachePolicy.Default, CacheContext.Default);
                var backplane = PostgresBackplane.For(l2);
                return (Node(l2, backplane), () => { backplane.Dispose(); l2.Dispose(); });
            });
        }
    }

    private static TieredCache Node(ICache l2, IBackplane backplane)
    {
        var tier = new LocMemCache(CachePolicy.Default.WithMaxEntries(10_000), CacheContext.Default)
            .Tiered(l2, TierOptions.Default.WithBackplane(backplane).WithL1MaxDuration(TimeSpan.FromMinutes(10)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (tier.BackplaneDown && DateTime.UtcNow < deadline) Thread.Sleep(10);
        return tier;
    }

    private static void Report(string name, int samples, Func<(TieredCache Tier, Action Close)> open)
    {
        var (a, closeA) = open();
        var (b, closeB) = open();
        try
        {
            var times = new List<double>(samples);
            var lost = 0;
            for (var i = 0; i < samples + 100; i++)
            {
                var key = "k" + (i % 50);
                a.SetAsync(key, i).GetAwaiter().GetResult();
                b.GetAsync<int>(key).GetAwaiter().GetResult();
                if (!b.L1.HasKeyAsync(key).GetAwaiter().GetResult()) continue;
                var started = Stopwatch.GetTimestamp();
                a.SetAsync(key, -i).GetAwaiter().GetResult();
                var deadline = started + Stopwatch.Frequency * 5;
                while (b.L1.HasKeyAsync(key).GetAwaiter().GetResult() && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(20);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (Stopwatch.GetTimestamp() >= deadline) lost++;
                else if (i >= 100) times.Add(elapsed); // the first 100 warm the connections and the JIT
            }
            times.Sort();
            double At(double q) => times.Count == 0 ? double.NaN : times[Math.Min(times.Count - 1, (int)(q * times.Count))];
            Console.WriteLine($"{name}: {times.Count} samples, write-to-invalidated p50 {At(0.50):F3} ms, p99 {At(0.99):F3} ms, max {At(1):F3} ms, lost {lost}");
        }
        finally
        {
            a.Dispose(); b.Dispose();
            closeA(); closeB();
        }
    }
}
