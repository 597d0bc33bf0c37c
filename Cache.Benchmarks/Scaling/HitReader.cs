using FunctionalCache.Backends.LocMem;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// One contender of the scaling suite: a cache holding <see cref="Fixture.HitKeys"/> and the loop that reads keys from
/// it, one virtual call per pass so that the call itself weighs the same for every contender.
/// </summary>
/// <remarks>Thread-safe: every contender is a concurrent cache, and a pass keeps its count in a local.</remarks>
internal abstract class HitReader(string series, string role)
{
    /// <summary>The series name, as the in-process suite spells it.</summary>
    public string Series { get; } = series;

    /// <summary><c>baseline</c>, <c>peer</c> or <c>ours</c>.</summary>
    public string Role { get; } = role;

    /// <summary>Reads every key once; returns the hits.</summary>
    public abstract int ReadAll(string[] keys);

    /// <summary>The four contenders of the scaling suite, each holding the fixture's keys.</summary>
    public static IReadOnlyList<HitReader> All()
    {
        var keys = Fixture.HitKeys;
        return [new Dictionary(keys), new Lru(keys), new Memory(keys), new LocMem(keys)];
    }

    private sealed class Dictionary(string[] keys) : HitReader("ConcurrentDictionary", "baseline")
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _cache = Fixture.Dictionary(keys);

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.TryGetValue(key, out _)) hits++;
            return hits;
        }
    }

    private sealed class Lru(string[] keys) : HitReader("ConcurrentLru", "peer")
    {
        private readonly BitFaster.Caching.Lru.ConcurrentLru<string, object> _cache = Fixture.Lru(keys);

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.TryGet(key, out _)) hits++;
            return hits;
        }
    }

    private sealed class Memory(string[] keys) : HitReader("MemoryCache", "peer")
    {
        private readonly Microsoft.Extensions.Caching.Memory.MemoryCache _cache = Fixture.MemoryCache(keys);

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.TryGetValue(key, out _)) hits++;
            return hits;
        }
    }

    // Through ISyncCache, as the in-process suite reads it.
    private sealed class LocMem(string[] keys) : HitReader("FunctionalCache locmem reference", "ours")
    {
        private readonly ISyncCache _cache = Fixture.LocMem(LocMemStore.Reference, keys);

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.Get<string>(key).IsSome) hits++;
            return hits;
        }
    }
}
