using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// The hit path of get-or-set, on one thread and on two: 1 000 stored string keys asked for in turn
/// through each cache's read-through call, so the factory never runs. Times are wall time per call
/// over all threads.
/// </summary>
/// <remarks>
/// Each contender's own read-through call: <c>GetOrAdd</c> (dictionary, LRU), <c>GetOrCreate</c>
/// (MemoryCache), <c>GetOrSet</c> (FusionCache), <c>GetOrCreateAsync</c> (HybridCache) and
/// the sync <c>GetOrSet</c> of locmem's typed view (FunctionalCache: what a locmem user calls on the calling
/// thread; until issue 17 these rows measured <c>GetOrSetAsync</c>). Factories are static lambdas, so no call
/// allocates a closure. There is no miss variant: a miss has to find the key
/// absent every time, which needs a delete (or an ever-growing key set) in the measured loop.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PeersConfig))]
[PeerCase("get-or-set")]
public class GetOrSetBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentDictionary")]
    public int Dictionary() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys) length += ((string)caches.Dictionary.GetOrAdd(key, static _ => Fixture.Value)).Length;
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "MemoryCache")]
    public int MemoryCache() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys)
        {
            length += caches.MemoryCache.GetOrCreate(key, static entry =>
            {
                entry.Size = 1;
                entry.AbsoluteExpirationRelativeToNow = Fixture.Timeout;
                return Fixture.Value;
            })!.Length;
        }
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentLru")]
    public int Lru() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys) length += ((string)caches.Lru.GetOrAdd(key, static _ => Fixture.Value)).Length;
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FusionCache")]
    public int Fusion() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys) length += caches.Fusion.GetOrSet<string>(key, static (_, _) => Fixture.Value, default, caches.FusionEntry).Length;
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "HybridCache")]
    public int Hybrid() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys)
            length += Completed.Result(caches.Hybrid.GetOrCreateAsync(key, caches, static (_, _) => ValueTask.FromResult(Fixture.Value))).Length;
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem reference")]
    public int Reference() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys) length += caches.ReferenceStrings.GetOrSet(key, static () => Fixture.Value).Length;
        return length;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem copy")]
    public int Copy() => Run(static (caches, keys) =>
    {
        var length = 0;
        foreach (var key in keys) length += caches.CopyStrings.GetOrSet(key, static () => Fixture.Value).Length;
        return length;
    });
}
