using FunctionalCache.Backends.Tiers;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

// The read a backend that knows its entries' expiry offers to a tiered cache (ICacheEntryLifetime): one primitive,
// overridden only by such a backend, and the derived read that answers the interface.
public abstract partial class CacheBase
{
    /// <summary>The payload of the live entry and its expiry, or None; only a backend that implements <see cref="ICacheEntryLifetime"/> overrides it.</summary>
    /// <exception cref="NotSupportedException">The backend cannot tell an entry's expiry.</exception>
    protected virtual ValueTask<Option<(object Payload, Expiry Expiry)>> ReadEntryCore(CacheKey key, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The {BackendName} backend cannot tell an entry's expiry.");

    /// <summary>
    /// The live value under <paramref name="key"/> with the time it has left by this backend's clock, or None: the body
    /// of <see cref="ICacheEntryLifetime.GetEntryAsync{T}"/> for a backend that overrides <see cref="ReadEntryCore"/>.
    /// </summary>
    /// <exception cref="CacheBackendException">The backend failed and does not answer failures as misses.</exception>
    protected async Task<Option<CachedEntry<T>>> ReadEntry<T>(string key, int? version, CancellationToken cancellationToken)
    {
        var cacheKey = Key(key, version);
        Option<(object Payload, Expiry Expiry)> found;
        try
        {
            found = await ReadEntryCore(cacheKey, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e) when (FailuresAreMisses && !e.IsRefusal)
        {
            ReportFailure(e);
            return None;
        }
        if (found.IsNone) return None;
        var (payload, expiry) = found.IfNone(default((object, Expiry)));
        // Measured after the read, so the span is never longer than what the backend had left when it answered.
        var remaining = expiry.IsNever ? CacheTimeout.Never : CacheTimeout.After(TimeSpan.FromTicks(Math.Max(0, expiry.UtcTicks - NowTicks)));
        return Some(new CachedEntry<T>(Decode<T>(payload), remaining));
    }
}
