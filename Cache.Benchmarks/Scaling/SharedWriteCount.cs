using FunctionalCache.Backends.LocMem;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// The contention counter: of every 1 000 hits, how many write memory that other cores read (and so, on many cores,
/// take a cache line away from them). It counts writes, not time, so it does not depend on the core count.
/// </summary>
/// <remarks>
/// locmem's figure is measured: its use log counts the hits that wrote an entry (<see cref="LocMemUseLog.EntryWrites"/>),
/// on this one thread, over a cache just filled with every key (so the first read of each key, which marks it used,
/// counts too). The two other designs are replayed on the same stream by their rule: a shared clock (locmem before
/// issue 17) is written by every hit of a key that is not the most recent one; an access bit (ConcurrentLru's "was
/// accessed", with no evictions) by the first hit of each key.
/// </remarks>
internal static class SharedWriteCount
{
    public const string SharedClock = "shared clock (locmem before)";
    public const string AccessBit = "access bit";
    public const string Ours = "FunctionalCache locmem reference";

    /// <summary>Writes per 1 000 hits of each design over <paramref name="stream"/> (indexes into the fixture's keys).</summary>
    public static IEnumerable<(string Series, double PerThousand)> Of(int[] stream)
    {
        var keys = Fixture.HitKeys;
        var cache = Fixture.LocMem(LocMemStore.Reference, keys);
        var before = LocMemUseLog.Current.EntryWrites;
        foreach (var index in stream)
            if (cache.Get<string>(keys[index]).IsNone) throw new InvalidOperationException("A stored key missed.");
        var ours = LocMemUseLog.Current.EntryWrites - before;

        // The shared clock: the fill wrote the last key last, so it starts as the most recent.
        var clockTicks = 0;
        var latest = keys.Length - 1;
        foreach (var index in stream)
        {
            if (index != latest) clockTicks++;
            latest = index;
        }
        var bitWrites = stream.Distinct().Count();

        double PerThousand(long writes) => 1000.0 * writes / stream.Length;
        yield return (SharedClock, PerThousand(clockTicks));
        yield return (AccessBit, PerThousand(bitWrites));
        yield return (Ours, PerThousand(ours));
    }
}
