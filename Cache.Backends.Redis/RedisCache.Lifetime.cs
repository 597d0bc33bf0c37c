using FunctionalCache.Backends.Tiers;
using LanguageExt;
using StackExchange.Redis;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

public sealed partial class RedisCache : ICacheEntryLifetime
{
    /// <inheritdoc/>
    public Task<Option<CachedEntry<T>>> GetEntryAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        ReadEntry<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>GET and PTTL in one round trip; the server's remaining time is turned into a deadline on this cache's clock.</remarks>
    protected override async ValueTask<Option<(object Payload, Expiry Expiry)>> ReadEntryCore(CacheKey key, CancellationToken cancellationToken)
    {
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        try
        {
            var found = await database.StringGetWithExpiryAsync(RedisKeyOf(key), _readFlags).ConfigureAwait(false);
            var expiry = found.Expiry is { } left ? new Expiry(NowTicks + Math.Max(0, left.Ticks)) : Expiry.Never;
            return RedisPayload.Read(found.Value).Map(payload => (payload, expiry));
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }
}
