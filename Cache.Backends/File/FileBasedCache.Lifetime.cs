using FunctionalCache.Backends.Tiers;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.File;

public sealed partial class FileBasedCache : ICacheEntryLifetime
{
    /// <inheritdoc/>
    public Task<Option<CachedEntry<T>>> GetEntryAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        ReadEntry<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The expiry is in the file's header, read with the payload.</remarks>
    protected override ValueTask<Option<(object Payload, Expiry Expiry)>> ReadEntryCore(CacheKey key, CancellationToken cancellationToken)
    {
        var live = TryReadLive(SlotOf(key), out var entry, out var file);
        return ValueTask.FromResult(live ? Some((entry.Payload(file), entry.Expiry)) : None);
    }
}
