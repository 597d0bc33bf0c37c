using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.Memcached;

/// <summary>A single get of a present key from one local memcached, against the text protocol over a bare socket.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class MemcachedGetBenchmarks
{
    private MemcachedFixture _fixture = null!;
    private ICache _cache = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new MemcachedFixture();
        _cache = _fixture.Cache;
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, Description = "naive text-protocol get (blocking socket)")]
    public int Naive() => _fixture.NaiveGet(":1:" + _fixture.Keys[_next++ % 100]);

    [Benchmark(Description = "MemcachedCache.GetAsync")]
    public async Task<bool> Get() => (await _cache.GetAsync<string>(_fixture.Keys[_next++ % 100]).ConfigureAwait(false)).IsSome;
}
