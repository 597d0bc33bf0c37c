using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using FunctionalCache.Backends.LocMem;
using Microsoft.Extensions.Caching.Memory;

namespace FunctionalCache.Benchmarks.Backends.LocMem;

/// <summary>
/// A read of an absent key: 1 000 pre-populated string keys, and 1 000 other keys of the same shape
/// that are never stored, each read once per invocation. Times are per read.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class GetMissBenchmarks
{
    private readonly string[] _keys = Fixture.MissKeys;
    private readonly string[] _stored = Fixture.HitKeys;
    private ConcurrentDictionary<string, object> _dictionary = null!;
    private MemoryCache _memoryCache = null!;
    private ConcurrentLru<string, object> _lru = null!;
    private ISyncCache _reference = null!;
    private LocMemCache _referenceConcrete = null!;
    private ISyncCache _copy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionary = Fixture.Dictionary(_stored);
        _memoryCache = Fixture.MemoryCache(_stored);
        _lru = Fixture.Lru(_stored);
        _referenceConcrete = Fixture.LocMem(LocMemStore.Reference, _stored);
        _reference = _referenceConcrete;
        _copy = Fixture.LocMem(LocMemStore.Copy, _stored);
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Fixture.KeyCount, Description = "ConcurrentDictionary")]
    public int Dictionary()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (!_dictionary.TryGetValue(key, out _)) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "MemoryCache")]
    public int MemoryCache()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (!_memoryCache.TryGetValue(key, out _)) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "BitFaster ConcurrentLru")]
    public int Lru()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (!_lru.TryGet(key, out _)) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, ISyncCache.Get")]
    public int ReferenceSync()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (_reference.Get<string>(key).IsNone) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, LocMemCache.Get")]
    public int ReferenceSyncConcrete()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (_referenceConcrete.Get<string>(key).IsNone) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, GetAsync")]
    public async Task<int> ReferenceAsync()
    {
        var misses = 0;
        foreach (var key in _keys)
            if ((await _reference.GetAsync<string>(key).ConfigureAwait(false)).IsNone) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, ISyncCache.Get")]
    public int CopySync()
    {
        var misses = 0;
        foreach (var key in _keys)
            if (_copy.Get<string>(key).IsNone) misses++;
        return misses;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, GetAsync")]
    public async Task<int> CopyAsync()
    {
        var misses = 0;
        foreach (var key in _keys)
            if ((await _copy.GetAsync<string>(key).ConfigureAwait(false)).IsNone) misses++;
        return misses;
    }
}
