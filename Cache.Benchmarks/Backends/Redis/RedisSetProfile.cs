using System.Diagnostics;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Benchmarks.Backends.Tiers;
using StackExchange.Redis;

namespace FunctionalCache.Benchmarks.Backends.Redis;

/// <summary>
/// One series of the redis-clients suite's 16-caller case run alone for a fixed time, so a sampling profiler attached to
/// this process sees only that series (bench/redis-profile.sh runs <c>perf record</c> on it): our cache's set or get
/// through <see cref="ICache"/>, or raw StackExchange.Redis's <c>StringSetAsync</c>/<c>StringGetAsync</c> of the same
/// made keys and bytes. Prints the rate, the bytes allocated per operation (every thread, the client's included) and the
/// CPU time per operation, each over the measured window only.
/// </summary>
/// <remarks>Usage: <c>redis-profile ours|raw|raw-configured[,...] set|get [seconds=20] [callers=16] [--redis HOST:PORT]</c>; several
/// series alternate in one-second slices (medians printed, with the server's commands per socket read: how much the
/// client batched). Without --redis
/// a redis-server is started on a free loopback port and stopped on exit.</remarks>
internal static class RedisSetProfile
{
    private const string Value = "{\"name\":\"Ada Lovelace\",\"id\":1815}";
    private static readonly CacheTimeout Lifetime = CacheTimeout.After(TimeSpan.FromHours(1));

    public static async Task<int> RunAsync(string[] args)
    {
        var series = (args.Length > 1 ? args[1] : "ours").Split(',');
        var operation = args.Length > 2 ? args[2] : "set";
        var seconds = args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var callers = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 16;
        var at = Array.IndexOf(args, "--redis");
        using var server = at < 0 ? new RedisServer() : null;
        var location = at < 0 ? server!.Location : args[at + 1];

        var keys = Enumerable.Range(0, 1000).Select(i => $"user:profile:{i:D6}").ToArray();
        using var ours = new RedisCache(location);
        await ours.SetManyAsync(keys.Select(k => KeyValuePair.Create(k, Value)), Lifetime);
        using var multiplexer = await ConnectionMultiplexer.ConnectAsync(location);
        var database = multiplexer.GetDatabase(0);
        // Raw calls on a client configured as ours is (fail-fast backlog, client name...): what the configuration costs.
        using var configured = await ConnectionMultiplexer.ConnectAsync(RedisConnection.Configuration(RedisOptions.Parse(location)));
        var configuredDatabase = configured.GetDatabase(0);
        // Our configuration with the client's default backlog policy, and the default configuration with fail-fast.
        var withBacklog = RedisConnection.Configuration(RedisOptions.Parse(location));
        withBacklog.BacklogPolicy = BacklogPolicy.Default;
        using var backlogged = await ConnectionMultiplexer.ConnectAsync(withBacklog);
        var backloggedDatabase = backlogged.GetDatabase(0);
        var failFast = ConfigurationOptions.Parse(location);
        failFast.BacklogPolicy = BacklogPolicy.FailFast;
        using var failing = await ConnectionMultiplexer.ConnectAsync(failFast);
        var failingDatabase = failing.GetDatabase(0);
        using var admin = await ConnectionMultiplexer.ConnectAsync(location + ",allowAdmin=true");
        var stats = admin.GetServer(admin.GetEndPoints()[0]);
        var made = keys.Select(k => (RedisKey)$":1:{k}").ToArray();
        byte[] bytes = (await database.StringGetAsync(made[0]))!;
        var ttl = TimeSpan.FromHours(1);

        Func<int, Task> Call(string name) => (name, operation) switch
        {
            ("ours", "set") => i => ours.SetAsync(keys[i % keys.Length], Value, Lifetime),
            ("ours", "get") => i => ours.GetAsync<string>(keys[i % keys.Length]),
            ("raw", "set") => i => database.StringSetAsync(made[i % made.Length], bytes, ttl),
            ("raw", "get") => i => database.StringGetAsync(made[i % made.Length]),
            ("raw-configured", "set") => i => configuredDatabase.StringSetAsync(made[i % made.Length], bytes, ttl),
            ("raw-configured", "get") => i => configuredDatabase.StringGetAsync(made[i % made.Length]),
            ("configured-backlog", "set") => i => backloggedDatabase.StringSetAsync(made[i % made.Length], bytes, ttl),
            ("raw-failfast", "set") => i => failingDatabase.StringSetAsync(made[i % made.Length], bytes, ttl),
            _ => throw new ArgumentException("usage: redis-profile ours|raw|raw-configured[,...] set|get [seconds] [callers] [--redis HOST:PORT]"),
        };
        var calls = series.Select(Call).ToArray();
        foreach (var call in calls) await Run(call, callers, TimeSpan.FromSeconds(2));

        // One series: one window, for a profiler attached to this process. Several: alternating one-second slices, the
        // median slice of each, so a load that changes within the run falls on every series alike.
        var slices = series.Length == 1 ? 1 : Math.Max(1, (int)seconds);
        var window = TimeSpan.FromSeconds(series.Length == 1 ? seconds : 1);
        var results = series.Select(_ => new List<(double Rate, double Bytes, double Cpu, double Batch)>()).ToArray();
        Console.Error.WriteLine($"pid {Environment.ProcessId}: measuring {string.Join(",", series)} {operation}, {callers} callers, {seconds} s");
        var process = Process.GetCurrentProcess();
        for (var slice = 0; slice < slices; slice++)
        {
            for (var k = 0; k < calls.Length; k++)
            {
                var s = (k + slice) % calls.Length;
                var before = await Counters(stats);
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                var count = await Run(calls[s], callers, window);
                var elapsed = clock.Elapsed;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                process.Refresh();
                cpu = process.TotalProcessorTime - cpu;
                var after = await Counters(stats);
                var commands = after.Commands - before.Commands - 1;
                results[s].Add((count / elapsed.TotalSeconds, (double)allocated / count, cpu.TotalMicroseconds / count,
                    (double)commands / Math.Max(1, after.Reads - before.Reads)));
            }
        }
        for (var s = 0; s < series.Length; s++)
        {
            static double Median(IEnumerable<double> xs) { var a = xs.Order().ToArray(); return a[a.Length / 2]; }
            var r = results[s];
            Console.WriteLine($"{series[s]},{operation},{callers},{Median(r.Select(x => x.Rate)):F0} ops/s,{Median(r.Select(x => x.Bytes)):F0} B/op," +
                $"{Median(r.Select(x => x.Cpu)):F1} us CPU/op,{Median(r.Select(x => x.Batch)):F2} commands per server read");
        }
        return 0;
    }

    /// <summary>The server's count of commands processed and of reads from client sockets (INFO stats).</summary>
    private static async Task<(long Commands, long Reads)> Counters(IServer server)
    {
        var info = (await server.InfoAsync("stats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return (long.Parse(info["total_commands_processed"], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(info["total_reads_processed"], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<long> Run(Func<int, Task> call, int callers, TimeSpan duration)
    {
        long count = 0;
        var stop = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var i = c * 7919;
            long done = 0;
            while (stop.Elapsed < duration)
            {
                await call(i++);
                done++;
            }
            Interlocked.Add(ref count, done);
        }));
        await Task.WhenAll(loops);
        return count;
    }
}
