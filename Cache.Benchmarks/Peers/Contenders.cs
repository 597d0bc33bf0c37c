using System.Collections.Concurrent;
using BitFaster.Caching.Lru;
using FunctionalCache.Backends.LocMem;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// The seven caches compared, each holding the same keys with <see cref="Fixture.Value"/>, a one-hour
/// expiry wherever the cache has one, and room for ten times the key set so nothing is evicted.
/// </summary>
/// <remarks>
/// FusionCache and HybridCache are memory-only: no distributed cache, backplane or serializer is
/// configured. Both sit on an unbounded <see cref="MemoryCache"/> of their own, as they do by default.
/// Thread-safe for the calls the benchmarks make (every contender is a concurrent cache).
/// </remarks>
internal sealed class Contenders : IDisposable
{
    private readonly ServiceProvider _hybridServices;

    private Contenders(IReadOnlyCollection<string> keys)
    {
        Dictionary = Fixture.Dictionary(keys);
        MemoryCache = Fixture.MemoryCache(keys);
        Lru = Fixture.Lru(keys);

        FusionEntry = new FusionCacheEntryOptions { Duration = Fixture.Timeout };
        Fusion = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = FusionEntry });
        foreach (var key in keys) Fusion.Set(key, Fixture.Value, FusionEntry);

        HybridEntry = new HybridCacheEntryOptions { Expiration = Fixture.Timeout, LocalCacheExpiration = Fixture.Timeout };
        var services = new ServiceCollection();
        services.AddHybridCache(options => options.DefaultEntryOptions = HybridEntry);
        _hybridServices = services.BuildServiceProvider();
        Hybrid = _hybridServices.GetRequiredService<HybridCache>();
        foreach (var key in keys) Completed.Wait(Hybrid.SetAsync(key, Fixture.Value, HybridEntry));

        Reference = Fixture.LocMem(LocMemStore.Reference, keys);
        Copy = Fixture.LocMem(LocMemStore.Copy, keys);
        ReferenceStrings = Reference.Typed<string>();
        CopyStrings = Copy.Typed<string>();
        CopyProfiles = Fixture.LocMem(LocMemStore.Copy, []).Typed<Profile>();
        foreach (var key in keys) CopyProfiles.Set(key, Profile.Sample());
    }

    public ConcurrentDictionary<string, object> Dictionary { get; }

    public MemoryCache MemoryCache { get; }

    public MemoryCacheEntryOptions MemoryCacheEntry { get; } = Fixture.MemoryCacheEntry();

    public ConcurrentLru<string, object> Lru { get; }

    public FusionCache Fusion { get; }

    public FusionCacheEntryOptions FusionEntry { get; }

    public HybridCache Hybrid { get; }

    public HybridCacheEntryOptions HybridEntry { get; }

    /// <summary>
    /// HybridCache's nearest thing to a plain read: look in the caches, never call the factory, never
    /// write (the "get or default" that dotnet/extensions#5688 discusses, as Duende's token management
    /// does it). A miss returns the type's default.
    /// </summary>
    public HybridCacheEntryOptions HybridReadOnly { get; } = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCache | HybridCacheEntryFlags.DisableUnderlyingData,
    };

    public ISyncCache Reference { get; }

    public ISyncCache Copy { get; }

    /// <summary>The typed view of <see cref="Reference"/> a user of locmem holds for string values (non-generic calls).</summary>
    public ISyncCache<string> ReferenceStrings { get; }

    /// <summary>The typed view of <see cref="Copy"/>.</summary>
    public ISyncCache<string> CopyStrings { get; }

    /// <summary>A copy-mode locmem holding a <see cref="Profile"/> (mutable, so copied) under each key, seen by type.</summary>
    public ISyncCache<Profile> CopyProfiles { get; }

    /// <summary>Every contender, each holding <paramref name="keys"/>.</summary>
    public static Contenders Holding(IReadOnlyCollection<string> keys) => new(keys);

    public void Dispose()
    {
        MemoryCache.Dispose();
        Fusion.Dispose();
        _hybridServices.Dispose();
    }
}
