using BenchmarkDotNet.Attributes;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// A read of a present key, on one thread and on two: 1 000 stored string keys read in turn, nothing
/// evicted or expired. Times are wall time per read over all threads (see <see cref="Workers"/>).
/// </summary>
/// <remarks>
/// HybridCache has no plain read: its row is <c>GetOrCreateAsync</c> with a factory that a hit never
/// runs, the call an application makes (so it matches its get-or-set row). FunctionalCache's rows read through
/// locmem's typed view (<c>ISyncCache&lt;string&gt;.Get</c>), a non-generic interface call. The copy store holds an
/// immutable string as it is, so its row reads no copy; the mutable-record row is what a copy-mode hit costs when
/// there is something to copy (a JSON decode into a new object), and has no peer row because the peers hold references.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PeersConfig))]
[PeerCase("get-hit")]
public class GetHitBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentDictionary")]
    public int Dictionary() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.Dictionary.TryGetValue(key, out _)) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "MemoryCache")]
    public int MemoryCache() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.MemoryCache.TryGetValue(key, out _)) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "ConcurrentLru")]
    public int Lru() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.Lru.TryGet(key, out _)) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FusionCache")]
    public int Fusion() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.Fusion.TryGet<string>(key).HasValue) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "HybridCache")]
    public int Hybrid() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (Completed.Result(caches.Hybrid.GetOrCreateAsync(key, caches, static (_, _) => ValueTask.FromResult(Fixture.Value))) is not null) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem reference")]
    public int Reference() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.ReferenceStrings.Get(key).IsSome) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem copy")]
    public int Copy() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.CopyStrings.Get(key).IsSome) hits++;
        return hits;
    });

    [Benchmark(OperationsPerInvoke = Workers.OperationsPerInvoke, Description = "FunctionalCache locmem copy (mutable record)")]
    public int CopyRecord() => Run(static (caches, keys) =>
    {
        var hits = 0;
        foreach (var key in keys)
            if (caches.CopyProfiles.Get(key).IsSome) hits++;
        return hits;
    });
}
