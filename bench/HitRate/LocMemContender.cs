using FunctionalCache;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;

namespace HitRate;

/// <summary>FunctionalCache's locmem (reference store), <c>max_entries</c> = capacity, with the given <c>cull_frequency</c>.</summary>
internal sealed class LocMemContender(int capacity, int cullFrequency, string series) : Contender
{
    private readonly LocMemCache _cache = new(
        CachePolicy.Default.WithMaxEntries(capacity).WithCullFrequency(cullFrequency).WithDefaultTimeout(CacheTimeout.After(Expiry)),
        CacheContext.Default,
        LocMemStore.Reference);

    public override string Series => series;

    public override bool Lookup(string key)
    {
        if (_cache.Get<string>(key).IsSome) return true;
        _cache.Set(key, key);
        return false;
    }
}
