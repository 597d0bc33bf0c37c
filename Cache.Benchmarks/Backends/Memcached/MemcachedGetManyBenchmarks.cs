using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.Memcached;

/// <summary>100 present keys from one local memcached: one pipelined GetManyAsync against 100 sequential GetAsync calls.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class MemcachedGetManyBenchmarks
{
    private MemcachedFixture _fixture = null!;
    private ICache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new MemcachedFixture();
        _cache = _fixture.Cache;
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, Description = "100 × MemcachedCache.GetAsync")]
    public async Task<int> Sequential()
    {
        var hits = 0;
        foreach (var key in _fixture.Keys) if ((await _cache.GetAsync<string>(key).ConfigureAwait(false)).IsSome) hits++;
        return hits;
    }

    [Benchmark(Description = "MemcachedCache.GetManyAsync(100)")]
    public async Task<int> GetMany() => (await _cache.GetManyAsync<string>(_fixture.Keys).ConfigureAwait(false)).Count;
}
