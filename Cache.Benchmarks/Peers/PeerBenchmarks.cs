using BenchmarkDotNet.Attributes;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// What every peer comparison shares: the contenders holding the 1 000 stored keys, one or two threads, and the
/// keys each operation walks (the stored ones unless a class says otherwise).
/// </summary>
public abstract class PeerBenchmarks
{
    private Contenders _caches = null!;
    private Workers _workers = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The keys one pass of an operation walks.</summary>
    protected virtual string[] OperationKeys => Fixture.HitKeys;

    [GlobalSetup]
    public void Setup()
    {
        _caches = Contenders.Holding(Fixture.HitKeys);
        _workers = new Workers(Threads, OperationKeys);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        _caches.Dispose();
    }

    /// <summary>Runs <paramref name="pass"/> (one operation per key) on every thread's share of the keys.</summary>
    private protected int Run(Func<Contenders, string[], int> pass) => _workers.Run(_caches, pass);
}
