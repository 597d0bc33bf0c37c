using BenchmarkDotNet.Attributes;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// A read of an absent key, on one thread and on two: 1 000 stored keys, and 1 000 keys of the same
/// shape that are never stored read in turn. Times are wall time per read over all threads.
/// </summary>
/// <remarks>
/// HybridCache has no plain read, and its read-through call would run the factory on a miss. Its row
/// is <c>GetOrCreateAsync</c> with the flags that make it a pure lookup (no factory, no write; see
/// <see cref="Contenders.HybridReadOnly"/>): the closest honest equivalent of a miss elsewhere.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PeersConfig))]
[PeerCase("get-miss")]
public class GetMissBenchmarks : PeerBenchmarks
{
    protected override string[] OperationKeys => Fixture.MissKeys;

    [Benchmark(Baseline = true, OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentDictionary")]
    public int Dictionary() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (!caches.Dictionary.TryGetValue(key, out _)) misses++;
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "MemoryCache")]
    public int MemoryCache() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (!caches.MemoryCache.TryGetValue(key, out _)) misses++;
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentLru")]
    public int Lru() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (!caches.Lru.TryGet(key, out _)) misses++;
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FusionCache")]
    public int Fusion() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (!caches.Fusion.TryGet<string>(key).HasValue) misses++;
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "HybridCache")]
    public int Hybrid() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
        {
            var value = Completed.Result(caches.Hybrid.GetOrCreateAsync(key, caches, static (_, _) => ValueTask.FromResult<string?>(null), caches.HybridReadOnly));
            if (value is null) misses++;
        }
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem reference")]
    public int Reference() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (caches.Reference.Get<string>(key).IsNone) misses++;
        return misses;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem copy")]
    public int Copy() => Run(static (caches, keys) =>
    {
        var misses = 0;
        foreach (var key in keys)
            if (caches.Copy.Get<string>(key).IsNone) misses++;
        return misses;
    });
}
