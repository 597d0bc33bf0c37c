using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using FunctionalCache.Backends.LocMem;
using Microsoft.Extensions.Caching.Memory;

namespace FunctionalCache.Benchmarks.Backends.LocMem;

/// <summary>
/// A write that overwrites a present key: 1 000 pre-populated string keys, each written once per
/// invocation with the policy's (one-hour) timeout, so nothing is culled. Times are per write.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class SetBenchmarks
{
    private readonly string[] _keys = Fixture.HitKeys;
    private readonly object _value = Fixture.Value;
    private readonly string _text = Fixture.Value;
    private readonly MemoryCacheEntryOptions _entryOptions = Fixture.MemoryCacheEntry();
    private ConcurrentDictionary<string, object> _dictionary = null!;
    private MemoryCache _memoryCache = null!;
    private ConcurrentLru<string, object> _lru = null!;
    private ISyncCache _reference = null!;
    private ISyncCache _copy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionary = Fixture.Dictionary(_keys);
        _memoryCache = Fixture.MemoryCache(_keys);
        _lru = Fixture.Lru(_keys);
        _reference = Fixture.LocMem(LocMemStore.Reference, _keys);
        _copy = Fixture.LocMem(LocMemStore.Copy, _keys);
    }

    [GlobalCleanup]
    public void Cleanup() => _memoryCache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Fixture.KeyCount, Description = "ConcurrentDictionary")]
    public void Dictionary()
    {
        foreach (var key in _keys) _dictionary[key] = _value;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "MemoryCache")]
    public void MemoryCache()
    {
        foreach (var key in _keys) _memoryCache.Set(key, _value, _entryOptions);
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "BitFaster ConcurrentLru")]
    public void Lru()
    {
        foreach (var key in _keys) _lru.AddOrUpdate(key, _value);
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, ISyncCache.Set")]
    public void ReferenceSync()
    {
        foreach (var key in _keys) _reference.Set(key, _text);
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem reference, SetAsync")]
    public async Task ReferenceAsync()
    {
        foreach (var key in _keys) await _reference.SetAsync(key, _text).ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, ISyncCache.Set")]
    public void CopySync()
    {
        foreach (var key in _keys) _copy.Set(key, _text);
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "LocMem copy, SetAsync")]
    public async Task CopyAsync()
    {
        foreach (var key in _keys) await _copy.SetAsync(key, _text).ConfigureAwait(false);
    }
}
