using FunctionalCache.Backends.Tiers;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Database;

public sealed partial class DatabaseCache : ICacheEntryLifetime
{
    /// <inheritdoc/>
    public Task<Option<CachedEntry<T>>> GetEntryAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        ReadEntry<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The <c>expires</c> column comes with the row; an expired row is left for the next read or cull to remove.</remarks>
    protected override async ValueTask<Option<(object Payload, Expiry Expiry)>> ReadEntryCore(CacheKey key, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var made = Made(key);
        return await Run(async (c, ct) =>
        {
            var row = await ReadRow(c, made, ct).ConfigureAwait(false);
            return row is not null && row.IsLiveAt(now) ? Some((row.Payload, new Expiry(row.Expires))) : None;
        }, cancellationToken).ConfigureAwait(false);
    }
}
