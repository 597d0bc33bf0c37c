namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// What one layer of page caching did: the per-site cache (<c>UseFunctionalCache</c>) or the per-view caches
/// (<c>CachePage</c>). A request that passes through both layers is counted once in each: a page the per-site cache
/// misses and a per-view cache answers is a site miss and a view hit.
/// </summary>
/// <remarks>
/// Every request the layer handles is exactly one of <see cref="Hits"/>, <see cref="Misses"/> and
/// <see cref="NotCacheable"/>; requests it lets through untouched (methods other than GET and HEAD, a query string
/// under <c>QueryStringRule.NotCached</c>, an authenticated user under <c>AnonymousOnly</c>) are not counted.
/// Thread-safe: every count is updated atomically. Counts only grow.
/// </remarks>
public sealed class CacheLayerCounters
{
    private long _hits;
    private long _misses;
    private long _notCacheable;
    private long _stores;
    private long _backendFailures;

    internal CacheLayerCounters()
    {
    }

    /// <summary>Requests answered from the cache: the view did not run.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests the cache could not answer whose response could be stored: the view ran and its response was stored (or the store failed).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Requests whose response may not be stored (never-cache, private, a cookie set, an error status, streamed…): the view ran, nothing was kept.</summary>
    public long NotCacheable => Interlocked.Read(ref _notCacheable);

    /// <summary>Responses written to the cache.</summary>
    public long Stores => Interlocked.Read(ref _stores);

    /// <summary>Lookups and stores the backend failed; each lookup was served as a miss, each store skipped.</summary>
    public long BackendFailures => Interlocked.Read(ref _backendFailures);

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void NotCacheableResponse() => Interlocked.Increment(ref _notCacheable);

    internal void Stored() => Interlocked.Increment(ref _stores);

    internal void BackendFailed() => Interlocked.Increment(ref _backendFailures);

    // RFC 5861 and request coalescing (docs/page-cache-stale.md).
    private long _staleHits;
    private long _staleOnError;
    private long _revalidations;
    private long _revalidationFailures;
    private long _collapsed;

    /// <summary>Hits that served a stale page within its <c>stale-while-revalidate</c> window (counted in <see cref="Hits"/> too).</summary>
    public long StaleHits => Interlocked.Read(ref _staleHits);

    /// <summary>Requests whose view threw or answered 5xx and that were answered with the stale page within its <c>stale-if-error</c> window (counted in <see cref="Hits"/>).</summary>
    public long StaleOnError => Interlocked.Read(ref _staleOnError);

    /// <summary>Background renders started to refresh a stale page (at most one at a time per page); not requests, so in none of the request counts.</summary>
    public long Revalidations => Interlocked.Read(ref _revalidations);

    /// <summary>Background renders that threw, or whose response could not be stored (the stale page stays until its windows end).</summary>
    public long RevalidationFailures => Interlocked.Read(ref _revalidationFailures);

    /// <summary>Requests that waited for another request's render of the same cold page and were served what it stored (counted in <see cref="Hits"/>).</summary>
    public long Collapsed => Interlocked.Read(ref _collapsed);

    internal void StaleHit() => Interlocked.Increment(ref _staleHits);

    internal void ServedStaleOnError() => Interlocked.Increment(ref _staleOnError);

    internal void Revalidating() => Interlocked.Increment(ref _revalidations);

    internal void RevalidationFailed() => Interlocked.Increment(ref _revalidationFailures);

    internal void CollapsedHit() => Interlocked.Increment(ref _collapsed);

    // The local page cache (docs/page-cache-local.md).
    private long _localHits;

    /// <summary>Hits answered from the local page cache (<c>AddLocalPageCache</c>), with no backend read (counted in <see cref="Hits"/> too).</summary>
    public long LocalHits => Interlocked.Read(ref _localHits);

    internal void LocalHit() => Interlocked.Increment(ref _localHits);
}
