using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Benchmarks.Backends.LocMem;
using FunctionalCache.Benchmarks.Backends.Tiers;
using StackExchange.Redis;

namespace FunctionalCache.Benchmarks.Backends.Redis;

/// <summary>
/// A set of the redis-clients suite's entry on one local redis-server: our cache through <see cref="ICache"/> against
/// raw StackExchange.Redis's <c>StringSetAsync</c> of the same made key and bytes (the baseline), for the bytes each
/// allocates per set (MemoryDiagnoser; the client's allocations on its own threads are not counted, on either side).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class RedisSetBenchmarks
{
    private const string Value = "{\"name\":\"Ada Lovelace\",\"id\":1815}";
    private static readonly CacheTimeout Lifetime = CacheTimeout.After(TimeSpan.FromHours(1));
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    private RedisServer _server = null!;
    private RedisCache _cache = null!;
    private ConnectionMultiplexer _multiplexer = null!;
    private IDatabase _database = null!;
    private string[] _keys = null!;
    private RedisKey[] _made = null!;
    private byte[] _bytes = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = new RedisServer();
        _cache = new RedisCache(_server.Location);
        _keys = Enumerable.Range(0, 100).Select(i => $"user:profile:{i:D6}").ToArray();
        _made = _keys.Select(k => (RedisKey)$":1:{k}").ToArray();
        foreach (var key in _keys) _cache.SetAsync(key, Value, Lifetime).GetAwaiter().GetResult();
        _multiplexer = ConnectionMultiplexer.Connect(_server.Location);
        _database = _multiplexer.GetDatabase(0);
        _bytes = _database.StringGet(_made[0])!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _multiplexer.Dispose();
        _cache.Dispose();
        _server.Dispose();
    }

    [Benchmark(Baseline = true, Description = "StackExchange.Redis StringSetAsync")]
    public Task<bool> Raw() => _database.StringSetAsync(_made[_next++ % 100], _bytes, Ttl);

    [Benchmark(Description = "RedisCache.SetAsync (ICache)")]
    public Task Ours() => _cache.SetAsync(_keys[_next++ % 100], Value, Lifetime);
}
