using System.Text;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.Memcached;

/// <summary>A set of a short string on one local memcached, against the text protocol over a bare socket.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class MemcachedSetBenchmarks
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("a value of some thirty bytes..");
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

    [Benchmark(Baseline = true, Description = "naive text-protocol set (blocking socket)")]
    public void Naive() => _fixture.NaiveSet(":1:" + _fixture.Keys[_next++ % 100], Value);

    [Benchmark(Description = "MemcachedCache.SetAsync")]
    public Task Set() => _cache.SetAsync(_fixture.Keys[_next++ % 100], "a value of some thirty bytes..");
}
