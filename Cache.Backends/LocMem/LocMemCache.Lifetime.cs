using FunctionalCache.Backends.Tiers;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

public sealed partial class LocMemCache : ICacheEntryLifetime
{
    /// <inheritdoc/>
    public Task<Option<CachedEntry<T>>> GetEntryAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        ReadEntry<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask<Option<(object Payload, Expiry Expiry)>> ReadEntryCore(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryLive(Slot(key), touchStamp: true, out var entry) ? Some((entry.Payload, entry.Expiry)) : None);
}
