using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// A write that overwrites a present key, on one thread and on two: 1 000 stored string keys written in
/// turn with a one-hour expiry (none for the dictionary and the LRU, which have no such thing), so
/// nothing is evicted. Times are wall time per write over all threads.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PeersConfig))]
[PeerCase("set")]
public class SetBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentDictionary")]
    public int Dictionary() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.Dictionary[key] = Fixture.Value;
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "MemoryCache")]
    public int MemoryCache() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.MemoryCache.Set<object>(key, Fixture.Value, caches.MemoryCacheEntry);
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentLru")]
    public int Lru() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.Lru.AddOrUpdate(key, Fixture.Value);
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FusionCache")]
    public int Fusion() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.Fusion.Set(key, Fixture.Value, caches.FusionEntry);
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "HybridCache")]
    public int Hybrid() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) Completed.Wait(caches.Hybrid.SetAsync(key, Fixture.Value, caches.HybridEntry));
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem reference")]
    public int Reference() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.Reference.Set(key, Fixture.Value);
        return keys.Length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem copy")]
    public int Copy() => Run(static (caches, keys) =>
    {
        foreach (var key in keys) caches.Copy.Set(key, Fixture.Value);
        return keys.Length;
    });
}
