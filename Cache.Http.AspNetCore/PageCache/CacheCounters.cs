namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Running counts of the page cache's lookups and stores, for a status page; one instance is registered by
/// <c>AddFunctionalCache</c> and shared by every cache middleware and decorator of the application.
/// </summary>
/// <remarks>Thread-safe: every count is updated atomically. Counts only grow.</remarks>
public sealed class CacheCounters
{
    private long _hits;
    private long _misses;
    private long _stores;
    private long _backendFailures;
    private long _fragmentBackendFailures;

    /// <summary>Requests answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Cacheable requests the cache could not answer (the view ran).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Responses written to the cache.</summary>
    public long Stores => Interlocked.Read(ref _stores);

    /// <summary>Backend failures turned into misses or skipped stores, by the page caches and by template fragments.</summary>
    public long BackendFailures => Interlocked.Read(ref _backendFailures) + FragmentBackendFailures;

    /// <summary>Template fragments rendered uncached because their cache failed (reported through <see cref="FragmentCacheFailures"/>).</summary>
    public long FragmentBackendFailures => Interlocked.Read(ref _fragmentBackendFailures);

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void Stored() => Interlocked.Increment(ref _stores);

    internal void BackendFailed() => Interlocked.Increment(ref _backendFailures);

    internal void FragmentBackendFailed() => Interlocked.Increment(ref _fragmentBackendFailures);
}
