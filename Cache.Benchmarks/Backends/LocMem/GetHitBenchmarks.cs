using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using FunctionalCache.Backends.LocMem;
using Microsoft.Extensions.Caching.Memory;

namespace FunctionalCache.Benchmarks.Backends.LocMem;

/// <summary>
/// A read of a present key: 1 000 pre-populated string keys, each read once per invocation, nothing
/// evicted or expired. Times are per read.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class GetHitBenchmarks
{
    private readonly string[] _keys = Fixture.HitKeys;
    private ConcurrentDictionary<string, object> _dictionary = null!;
    private MemoryCache _memoryCache = null!;
    private ConcurrentLru<string, object> _lru = null!;
    private ISyncCache _reference = null!;
    private LocMemCache _referenceConcrete = null!;
    private ISyncCache _copy = null!;
    private ISyncCache _referenceNever = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionary = Fixture.Dictionary(_keys);
        _memoryCache = Fixture.MemoryCache(_keys);
        _lru = Fixture.Lru(_keys);
        _referenceConcrete = Fixture.LocMem(LocMemStore.Reference, _keys);
        _reference = _referenceConcrete;
        _copy = Fixture.LocMem(LocMemStore.Copy, _keys);
        _referenceNever = Fixture.LocMem(LocMemStore.Reference, _keys, expires: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Fixture.KeyCount, Description = "ConcurrentDictionary")]
    public int Dictionary()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_dictionary.TryGetValue(key, out _)) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "MemoryCache")]
    public int MemoryCache()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_memoryCache.TryGetValue(key, out _)) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "BitFaster ConcurrentLru")]
    public int Lru()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_lru.TryGet(key, out _)) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, ISyncCache.Get")]
    public int ReferenceSync()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_reference.Get<string>(key).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, LocMemCache.Get")]
    public int ReferenceSyncConcrete()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_referenceConcrete.Get<string>(key).IsSome) hits++;
        return hits;
    }

    // The same read of entries stored with no timeout: no deadline to check, so no clock read. Shows
    // what the expiry check costs; the rows above are the realistic case.
    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, Get, no timeout")]
    public int ReferenceSyncNoTimeout()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_referenceNever.Get<string>(key).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, GetAsync")]
    public async Task<int> ReferenceAsync()
    {
        var hits = 0;
        foreach (var key in _keys)
            if ((await _reference.GetAsync<string>(key).ConfigureAwait(false)).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, ISyncCache.Get")]
    public int CopySync()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_copy.Get<string>(key).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, GetAsync")]
    public async Task<int> CopyAsync()
    {
        var hits = 0;
        foreach (var key in _keys)
            if ((await _copy.GetAsync<string>(key).ConfigureAwait(false)).IsSome) hits++;
        return hits;
    }
}
