using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Backends.Tiers;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// One node of the coherence measure: a tier (locmem L1 whose copies live 10 minutes, so only the backplane can drop
/// them) over Redis with its pub/sub backplane or PostgreSQL with LISTEN/NOTIFY. As the child process
/// (<c>coherence-node redis|postgres LOCATION NAME</c>) it answers <c>arm KEY</c> on standard input: it copies the key
/// into its L1, prints <c>armed</c>, waits until the copy is gone and prints <c>gone TIMESTAMP</c>, the
/// <see cref="Stopwatch.GetTimestamp"/> at which it saw it gone (a monotonic clock the parent process shares on Linux).
/// </summary>
public static class CoherenceNode
{
    /// <summary>How long a node waits for an invalidation before it reports the round lost.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>A node over <paramref name="kind"/> at <paramref name="location"/> (a key prefix for Redis, a table for PostgreSQL), and what closes it.</summary>
    public static (TieredCache Tier, Action Close) Open(string kind, string location, string name)
    {
        var context = CacheContext.Default.WithLogger(NullLogger.Instance);
        ICache l2;
        IBackplane backplane;
        if (kind == "redis")
        {
            var redis = new RedisCache(RedisOptions.Parse(location), CachePolicy.Default.WithKeyPrefix(name), context);
            (l2, backplane) = (redis, new RedisBackplane(redis));
        }
        else
        {
            // Django's 300 entries would cull the keys written before the rounds.
            var db = new DatabaseCache(name, DatabaseLocation.Postgres(location), CachePolicy.Default.WithMaxEntries(100_000), context);
            (l2, backplane) = (db, PostgresBackplane.For(db));
        }
        var tier = new LocMemCache(CachePolicy.Default.WithMaxEntries(100_000), context)
            .Tiered(l2, TierOptions.Default.WithBackplane(backplane).WithL1MaxDuration(TimeSpan.FromMinutes(10)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (tier.BackplaneDown && DateTime.UtcNow < deadline) Thread.Sleep(10);
        return (tier, () =>
        {
            tier.Dispose();
            ((IDisposable)backplane).Dispose();
            ((IDisposable)l2).Dispose();
        });
    }

    /// <summary>The child process's loop; 0 when its input ends, 2 on a bad command line.</summary>
    public static int Serve(string[] args)
    {
        if (args is not [_, "redis" or "postgres", var location, var name])
        {
            Console.Error.WriteLine("usage: coherence-node redis|postgres LOCATION PREFIX-OR-TABLE");
            return 2;
        }
        var (tier, close) = Open(args[1], location, name);
        try
        {
            var l1 = (ISyncCache)tier.L1;
            Console.WriteLine(tier.BackplaneDown ? "backplane never connected" : "ready");
            for (var line = Console.ReadLine(); line is not null && line != "quit"; line = Console.ReadLine())
            {
                if (!line.StartsWith("arm ", StringComparison.Ordinal))
                {
                    Console.WriteLine("unknown command");
                    continue;
                }
                var key = line[4..];
                if (tier.GetAsync<int>(key).GetAwaiter().GetResult().IsNone || !l1.HasKey(key))
                {
                    Console.WriteLine("not copied");
                    continue;
                }
                Console.WriteLine("armed");
                // Spinning, then yielding (never sleeping): the backplane's receive thread needs the other core.
                var spinner = new SpinWait();
                var until = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
                while (l1.HasKey(key) && Stopwatch.GetTimestamp() < until) spinner.SpinOnce(sleep1Threshold: -1);
                var seen = Stopwatch.GetTimestamp();
                Console.WriteLine(l1.HasKey(key) ? "lost" : string.Create(CultureInfo.InvariantCulture, $"gone {seen}"));
            }
            return 0;
        }
        finally
        {
            close();
        }
    }
}
