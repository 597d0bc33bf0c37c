using System.Text;
using FunctionalCache.Backends;
using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;
using static FunctionalCache.PeerCompare.Workload;
using DistributedRedisCache = Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache;
using DistributedRedisCacheOptions = Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions;

namespace FunctionalCache.PeerCompare;

/// <summary>
/// The two Redis suites on one redis-server. <c>redis</c>: the cases of bench/django/django_redis_suite.py on our
/// <c>redis://</c> cache through <see cref="ICache"/>. <c>redis-clients</c>: the same cache beside raw StackExchange.Redis
/// (<c>StringGetAsync</c>/<c>StringSetAsync</c> of the very bytes our serializer wrote, under the very
/// keys), <c>Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache</c> (<see cref="IDistributedCache"/>) and
/// FusionCache with that <c>RedisCache</c> as its L2 and its L1 skipped on every call, so each call is a Redis round trip.
/// </summary>
internal static class RedisSuite
{
    public const string Series = "FunctionalCache";
    public const string Raw = "StackExchange.Redis";
    public const string Distributed = "RedisCache (IDistributedCache)";
    public const string Fusion = "FusionCache (Redis L2; L1 skipped)";

    /// <summary>The made key of <paramref name="key"/> under the default policy (no prefix, version 1), as Django makes it.</summary>
    private static string MadeKey(string key) => $":1:{key}";

    /// <summary>The cases django-redis runs too: get-hit, get-miss, set, get-many(10), incr.</summary>
    public static IEnumerable<BenchCase> DjangoCases(string server)
    {
        var cache = Caches.FromUri($"redis://{server}/0?timeout={TimeoutSeconds}");
        var hits = Keys();
        var counters = Keys(stem: "user:visits:");
        var groups = Groups(hits, Many);
        var filled = new Lazy<Task>(async () =>
        {
            await cache.SetManyAsync(hits.Select(key => KeyValuePair.Create(key, Value)), Lifetime);
            await cache.SetManyAsync(counters.Select(key => KeyValuePair.Create(key, 0L)), Lifetime);
        });
        Func<Task<Operation>> Ready(Operation op) => async () => { await filled.Value; return op; };

        yield return new("get-hit", Ready(i => cache.GetAsync<string>(hits[i % hits.Length])));
        yield return new("get-miss", Ready(i => cache.GetAsync<string>(Missing[i % Missing.Length])));
        yield return new("set", Ready(i => cache.SetAsync(hits[i % hits.Length], Value, Lifetime)));
        yield return new($"get-many({Many})", Ready(i => cache.GetManyAsync<string>(groups[i % groups.Length])));
        yield return new("incr", Ready(i => cache.IncrementAsync(counters[i % counters.Length])));
    }

    /// <summary>get-hit and set, one caller (as latency) and <see cref="Callers"/> callers (as throughput), for each .NET client.</summary>
    public static IEnumerable<BenchCase> ClientCases(string server)
    {
        var hits = Keys();
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(TimeoutSeconds) };

        // Ours first: it writes the entries, and the raw client reads and writes exactly those keys and bytes.
        var ours = Caches.FromUri($"redis://{server}/0?timeout={TimeoutSeconds}");
        var raw = new Lazy<Task<(IDatabase Database, RedisKey[] Keys, byte[] Bytes)>>(async () =>
        {
            await ours.SetManyAsync(hits.Select(key => KeyValuePair.Create(key, Value)), Lifetime);
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(server);
            var database = multiplexer.GetDatabase(0);
            var keys = hits.Select(key => (RedisKey)MadeKey(key)).ToArray();
            byte[]? bytes = await database.StringGetAsync(keys[0]);
            if (bytes is null) throw new InvalidOperationException($"Our cache's entry is not at '{keys[0]}': the raw client would read misses.");
            if (!(await ours.GetAsync<string>(hits[0])).Exists(text => text == Value))
                throw new InvalidOperationException("Our cache does not read back its own entry.");
            return (database, keys, bytes);
        });

        var distributed = new Lazy<Task<DistributedRedisCache>>(async () =>
        {
            var cache = new DistributedRedisCache(new DistributedRedisCacheOptions { Configuration = server, InstanceName = "mscache:" });
            var bytes = Encoding.UTF8.GetBytes(Value);
            foreach (var key in hits) await cache.SetAsync(key, bytes, options);
            return cache;
        });

        var fusion = new Lazy<Task<(FusionCache Cache, FusionCacheEntryOptions Entry)>>(async () =>
        {
            var l2 = new DistributedRedisCache(new DistributedRedisCacheOptions { Configuration = server, InstanceName = "fusion:" });
            var cache = new FusionCache(new FusionCacheOptions { CacheName = "bench" });
            cache.SetupDistributedCache(l2, new FusionCacheSystemTextJsonSerializer());
            // The L1 is neither read nor written, and L2 writes are awaited (not in the background): every call is a
            // Redis round trip, the path a second app server takes on its first read of an entry.
            var entry = new FusionCacheEntryOptions
            {
                Duration = TimeSpan.FromSeconds(TimeoutSeconds),
                SkipMemoryCacheRead = true,
                SkipMemoryCacheWrite = true,
                AllowBackgroundDistributedCacheOperations = false,
            };
            foreach (var key in hits) await cache.SetAsync(key, Value, entry);
            if (!(await cache.TryGetAsync<string>(hits[0], entry)).HasValue) throw new InvalidOperationException("FusionCache misses its own L2 entry.");
            return (cache, entry);
        });

        foreach (var (name, callers, latency) in new[] { ("1 caller", 1, true), ($"{Callers} callers", Callers, false) })
        {
            yield return new($"get-hit, {name}", async () =>
            {
                var (database, keys, _) = await raw.Value;
                return i => database.StringGetAsync(keys[i % keys.Length]);
            }, callers, Raw, "peer", latency);
            yield return new($"get-hit, {name}", async () =>
            {
                await raw.Value;
                return i => ours.GetAsync<string>(hits[i % hits.Length]);
            }, callers, Series, "ours", latency);
            yield return new($"get-hit, {name}", async () =>
            {
                var cache = await distributed.Value;
                return i => cache.GetAsync(hits[i % hits.Length]);
            }, callers, Distributed, "peer", latency);
            yield return new($"get-hit, {name}", async () =>
            {
                var (cache, entry) = await fusion.Value;
                return i => cache.TryGetAsync<string>(hits[i % hits.Length], entry).AsTask();
            }, callers, Fusion, "peer", latency);

            yield return new($"set, {name}", async () =>
            {
                var (database, keys, bytes) = await raw.Value;
                var ttl = TimeSpan.FromSeconds(TimeoutSeconds);
                return i => database.StringSetAsync(keys[i % keys.Length], bytes, ttl);
            }, callers, Raw, "peer", latency);
            yield return new($"set, {name}", async () =>
            {
                await raw.Value;
                return i => ours.SetAsync(hits[i % hits.Length], Value, Lifetime);
            }, callers, Series, "ours", latency);
            yield return new($"set, {name}", async () =>
            {
                var cache = await distributed.Value;
                var bytes = Encoding.UTF8.GetBytes(Value);
                return i => cache.SetAsync(hits[i % hits.Length], bytes, options);
            }, callers, Distributed, "peer", latency);
            yield return new($"set, {name}", async () =>
            {
                var (cache, entry) = await fusion.Value;
                return i => cache.SetAsync(hits[i % hits.Length], Value, entry).AsTask();
            }, callers, Fusion, "peer", latency);
        }
    }
}
