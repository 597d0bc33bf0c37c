using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Backends.Tiers;
using Microsoft.Extensions.Caching.Hybrid;
using MsRedisCache = Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache;
using MsRedisCacheOptions = Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using FusionRedisBackplane = ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis.RedisBackplane;
using FusionRedisBackplaneOptions = ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis.RedisBackplaneOptions;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// An L1 hit of a two-level cache over one local Redis: ours (locmem over redis with the Redis backplane), FusionCache
/// (memory over Redis through IDistributedCache, with its Redis backplane) and HybridCache (memory over Redis). 100
/// string keys, written through each cache first so that every read is answered in-process. Its figures go to the
/// resilience suite's results (<see cref="ResilienceHitConfig"/>).
/// </summary>
/// <remarks>
/// Every hit completes synchronously, so each is read with <c>GetAwaiter().GetResult()</c> rather than awaited: an async
/// benchmark method would add its own task to every invocation (1 B per hit over 100 keys) to every contender's bytes.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ResilienceHitConfig))]
public class TieredGetHitBenchmarks
{
    private const int Keys = 100;
    private RedisServer _redis = null!;
    private RedisCache _l2 = null!;
    private TieredCache _tiered = null!;
    private TieredCache _tieredReference = null!;
    private FusionCache _fusion = null!;
    private ServiceProvider _services = null!;
    private HybridCache _hybrid = null!;
    private string[] _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _redis = new RedisServer();
        _keys = Enumerable.Range(0, Keys).Select(i => $"bench:{i}").ToArray();
        _l2 = new RedisCache(_redis.Location);
        _tiered = new LocMemCache(CachePolicy.Default.WithMaxEntries(10_000), CacheContext.Default).Tiered(_l2, TierOptions.Default.WithBackplane(new RedisBackplane(_l2)));
        _tieredReference = new LocMemCache(CachePolicy.Default.WithMaxEntries(10_000), CacheContext.Default, LocMemStore.Reference).Tiered(_l2, TierOptions.Default.WithBackplane(new RedisBackplane(_l2)));
        _fusion = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5) } });
        _fusion.SetupDistributedCache(new MsRedisCache(new MsRedisCacheOptions { Configuration = _redis.Location }), new FusionCacheSystemTextJsonSerializer());
        _fusion.SetupBackplane(new FusionRedisBackplane(new FusionRedisBackplaneOptions { Configuration = _redis.Location }));
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o => o.Configuration = _redis.Location);
        services.AddHybridCache();
        _services = services.BuildServiceProvider();
        _hybrid = _services.GetRequiredService<HybridCache>();
        foreach (var key in _keys)
        {
            _tiered.SetAsync(key, "value of " + key, CacheTimeout.After(TimeSpan.FromMinutes(5))).GetAwaiter().GetResult();
            _tieredReference.SetAsync(key, "value of " + key, CacheTimeout.After(TimeSpan.FromMinutes(5))).GetAwaiter().GetResult();
            _fusion.Set(key, "value of " + key);
            _hybrid.SetAsync(key, "value of " + key).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tiered.Dispose();
        _tieredReference.Dispose();
        _l2.Dispose();
        _fusion.Dispose();
        _services.Dispose();
        _redis.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys, Description = "FusionCache TryGetAsync (L1 + Redis + backplane)")]
    public int Fusion()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_fusion.TryGetAsync<string>(key).GetAwaiter().GetResult().HasValue) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "FusionCache TryGet (sync)")]
    public int FusionSync()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_fusion.TryGet<string>(key).HasValue) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "HybridCache GetOrCreateAsync (L1 + Redis)")]
    public int Hybrid()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_hybrid.GetOrCreateAsync(key, static _ => ValueTask.FromResult("miss")).GetAwaiter().GetResult() != "miss") hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "FunctionalCache tiered locmem over redis GetAsync")]
    public int Tiered()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_tiered.GetAsync<string>(key).GetAwaiter().GetResult().IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "FunctionalCache tiered locmem reference over redis GetAsync")]
    public int TieredReference()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_tieredReference.GetAsync<string>(key).GetAwaiter().GetResult().IsSome) hits++;
        return hits;
    }
}
