using System.Collections.Concurrent;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BitFaster.Caching.Lru;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;
using Microsoft.Extensions.Caching.Memory;

namespace FunctionalCache.Benchmarks.Backends.LocMem;

/// <summary>
/// What every LocMem benchmark shares: the key sets, the value and one factory per contender, each
/// sized so that nothing is evicted (capacity ten times the key count).
/// </summary>
internal static class Fixture
{
    /// <summary>Keys per set; every benchmark touches each key once per invocation.</summary>
    public const int KeyCount = 1_000;

    /// <summary>Room for ten times the key set: gets never cull, sets only overwrite.</summary>
    public const int Capacity = 10 * KeyCount;

    /// <summary>Keys that are present (shaped like real application keys, 20-odd characters).</summary>
    public static readonly string[] HitKeys = MakeKeys("user:profile:");

    /// <summary>Keys of the same shape that are never stored.</summary>
    public static readonly string[] MissKeys = MakeKeys("user:missing:");

    /// <summary>The one value every contender holds: a short immutable string (the cheapest copy-mode payload, raw UTF-8).</summary>
    public static readonly string Value = "{\"name\":\"Ada Lovelace\",\"id\":1815}";

    /// <summary>An hour: long enough that nothing expires during a run, but a real deadline that every read checks.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(1);

    public static ConcurrentDictionary<string, object> Dictionary(IEnumerable<string> keys)
    {
        var dictionary = new ConcurrentDictionary<string, object>();
        foreach (var key in keys) dictionary[key] = Value;
        return dictionary;
    }

    public static MemoryCache MemoryCache(IEnumerable<string> keys)
    {
        var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Capacity });
        foreach (var key in keys) cache.Set(key, Value, MemoryCacheEntry());
        return cache;
    }

    public static MemoryCacheEntryOptions MemoryCacheEntry() =>
        new() { Size = 1, AbsoluteExpirationRelativeToNow = Timeout };

    public static ConcurrentLru<string, object> Lru(IEnumerable<string> keys)
    {
        var lru = new ConcurrentLru<string, object>(Capacity);
        foreach (var key in keys) lru.AddOrUpdate(key, Value);
        return lru;
    }

    /// <summary>A LocMem cache holding <paramref name="keys"/>, with the one-hour timeout or, when <paramref name="expires"/> is false, none.</summary>
    public static LocMemCache LocMem(LocMemStore store, IEnumerable<string> keys, bool expires = true)
    {
        var policy = CachePolicy.Default
            .WithMaxEntries(Capacity)
            .WithDefaultTimeout(expires ? CacheTimeout.After(Timeout) : CacheTimeout.Never);
        var cache = new LocMemCache(policy, CacheContext.Default, store);
        foreach (var key in keys) cache.Set(key, Value);
        return cache;
    }

    private static string[] MakeKeys(string stem) =>
        Enumerable.Range(0, KeyCount).Select(i => $"{stem}{i:D6}").ToArray();
}

/// <summary>
/// A short job: one launch, three warm-ups, five measured iterations. The whole LocMem set
/// (three classes, seven contenders each) stays within a few minutes on two cores.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithId("Short"));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
