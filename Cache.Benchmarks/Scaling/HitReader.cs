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

    /// <summary>
    /// The contenders and the steps of a locmem hit, for the hit profile: each later reader does one step less than the
    /// full hit, so the differences between them are what each step costs (bench/profile-hit.sh); then the get-or-set
    /// hit of ConcurrentDictionary and of locmem, as the in-process suite calls them.
    /// </summary>
    public static IReadOnlyList<HitReader> WithSteps()
    {
        var keys = Fixture.HitKeys;
        return [.. All(), new LocMemNoExpiry(keys), new LocMemHasKey(keys), new DictionaryGetOrAdd(keys), new LocMemGetOrSet(keys)];
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

    // Through the typed view, as the in-process suite reads it.
    private sealed class LocMem(string[] keys) : HitReader("FunctionalCache locmem reference", "ours")
    {
        private readonly ISyncCache<string> _cache = Fixture.LocMem(LocMemStore.Reference, keys).Typed<string>();

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.Get(key).IsSome) hits++;
            return hits;
        }
    }

    // The full hit of entries stored without a timeout: the deadline check is skipped, the rest is the same.
    private sealed class LocMemNoExpiry(string[] keys) : HitReader("locmem hit, no deadline", "ours")
    {
        private readonly ISyncCache<string> _cache = Fixture.LocMem(LocMemStore.Reference, keys, expires: false).Typed<string>();

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.Get(key).IsSome) hits++;
            return hits;
        }
    }

    // HasKey: the lookup, the key verdict and the deadline check of a hit, without its use log and without the value.
    private sealed class LocMemHasKey(string[] keys) : HitReader("locmem has_key (no use log)", "ours")
    {
        private readonly ISyncCache _cache = Fixture.LocMem(LocMemStore.Reference, keys);

        public override int ReadAll(string[] keys)
        {
            var hits = 0;
            foreach (var key in keys)
                if (_cache.HasKey(key)) hits++;
            return hits;
        }
    }

    // GetOrAdd of a present key, with a static factory: the get-or-set suite's baseline.
    private sealed class DictionaryGetOrAdd(string[] keys) : HitReader("ConcurrentDictionary GetOrAdd", "baseline")
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _cache = Fixture.Dictionary(keys);

        public override int ReadAll(string[] keys)
        {
            var length = 0;
            foreach (var key in keys) length += ((string)_cache.GetOrAdd(key, static _ => Fixture.Value)).Length;
            return length / Fixture.Value.Length;
        }
    }

    // The typed view's sync get-or-set of a present key, as the get-or-set suite calls it.
    private sealed class LocMemGetOrSet(string[] keys) : HitReader("locmem get_or_set hit", "ours")
    {
        private readonly ISyncCache<string> _cache = Fixture.LocMem(LocMemStore.Reference, keys).Typed<string>();

        public override int ReadAll(string[] keys)
        {
            var length = 0;
            foreach (var key in keys) length += _cache.GetOrSet(key, static () => Fixture.Value).Length;
            return length / Fixture.Value.Length;
        }
    }
}
