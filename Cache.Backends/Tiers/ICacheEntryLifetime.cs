using LanguageExt;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// A cache that can tell how long a live entry has left, in the same read that fetches it: what a tiered cache
/// needs so that an in-process copy never outlives the entry it copies.
/// </summary>
/// <remarks>
/// Implemented where it is cheap: locmem and file (the expiry is in the entry), db (the <c>expires</c> column) and
/// Redis (<c>GET</c> with <c>PTTL</c>). Memcached cannot tell, so a tier over it falls back to
/// <see cref="TierOptions.UnknownLifetimeL1Timeout"/>. Implementations are thread-safe.
/// </remarks>
public interface ICacheEntryLifetime
{
    /// <summary>The live value under <paramref name="key"/> with the time it has left, or None.</summary>
    /// <exception cref="CacheBackendException">The backend could not answer (as <see cref="ICache.GetAsync{T}"/> would throw).</exception>
    Task<Option<CachedEntry<T>>> GetEntryAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default);
}
