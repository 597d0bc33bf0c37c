namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Running counts of the page caches' lookups and stores and of fragment cache failures, for a status page; one
/// instance is registered by <c>AddFunctionalCache</c> and shared by every cache middleware and decorator of the
/// application. Read them per layer: <see cref="Site"/> (the per-site middleware) and <see cref="View"/> (the per-view
/// <c>CachePage</c> decorators).
/// </summary>
/// <remarks>
/// The totals (<see cref="Hits"/>, <see cref="Misses"/>, …) add the layers up, so a page that passes through the
/// per-site cache and a per-view cache inside it counts in both; the layers say what each one did.
/// Thread-safe: every count is updated atomically. Counts only grow.
/// </remarks>
public sealed class CacheCounters
{
    private long _fragmentBackendFailures;

    /// <summary>The per-site cache's counts (<c>UseFunctionalCache</c>, <c>Decorators.SiteCache</c>).</summary>
    public CacheLayerCounters Site { get; } = new();

    /// <summary>The per-view caches' counts (every <c>CachePage</c> of the application together).</summary>
    public CacheLayerCounters View { get; } = new();

    /// <summary>Requests answered from a cache, both layers added up.</summary>
    public long Hits => Site.Hits + View.Hits;

    /// <summary>Hits answered from the local page cache with no backend read, both layers added up (counted in <see cref="Hits"/> too).</summary>
    public long LocalHits => Site.LocalHits + View.LocalHits;

    /// <summary>Cacheable requests a cache could not answer (the view ran, its response was stored), both layers added up.</summary>
    public long Misses => Site.Misses + View.Misses;

    /// <summary>Requests whose response may not be stored, both layers added up.</summary>
    public long NotCacheable => Site.NotCacheable + View.NotCacheable;

    /// <summary>Responses written to a cache, both layers added up.</summary>
    public long Stores => Site.Stores + View.Stores;

    /// <summary>Backend failures turned into misses or skipped stores, by the page caches and by template fragments.</summary>
    public long BackendFailures => Site.BackendFailures + View.BackendFailures + FragmentBackendFailures;

    /// <summary>Template fragments rendered uncached because their cache failed (reported through <see cref="FragmentCacheFailures"/>).</summary>
    public long FragmentBackendFailures => Interlocked.Read(ref _fragmentBackendFailures);

    internal void FragmentBackendFailed() => Interlocked.Increment(ref _fragmentBackendFailures);
}
