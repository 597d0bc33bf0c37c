namespace FunctionalCache.Http.AspNetCore;

// RFC 5861's stale windows and request coalescing: the serving path's settings, apart from Django's CACHE_MIDDLEWARE_*.
public sealed partial record CacheMiddlewareOptions
{
    /// <summary>
    /// The <c>stale-while-revalidate</c> and <c>stale-if-error</c> windows a page gets when its view's Cache-Control
    /// names none (a directive the view sets wins; <c>must-revalidate</c> turns both off). See docs/page-cache-stale.md.
    /// </summary>
    /// <value><see cref="StaleWindows.None"/>: pages are served while fresh only, unless the view asks for more.</value>
    public StaleWindows DefaultStaleWindows { get; init; } = StaleWindows.None;

    /// <summary>
    /// When true, concurrent requests for one page that is not in the cache render it once: the first renders, the
    /// others wait and are served what it stored, or render themselves when it stored nothing (private, Set-Cookie,
    /// an error status…), as ASP.NET Core Output Caching's locking does.
    /// </summary>
    /// <value>True.</value>
    public bool CoalesceRequests { get; init; } = true;

    /// <summary>A copy whose pages get these stale windows by default (seconds; 0 turns one off).</summary>
    /// <param name="staleWhileRevalidate">Seconds a stale page is served at once while one background render refreshes it.</param>
    /// <param name="staleIfError">Seconds a stale page answers for a view that throws or answers 5xx.</param>
    /// <exception cref="ArgumentException">A window is negative.</exception>
    public CacheMiddlewareOptions WithStaleWindows(long staleWhileRevalidate, long staleIfError)
    {
        Guard.That(staleWhileRevalidate >= 0, nameof(staleWhileRevalidate), "The stale-while-revalidate window must be 0 or more seconds.");
        Guard.That(staleIfError >= 0, nameof(staleIfError), "The stale-if-error window must be 0 or more seconds.");
        return this with { DefaultStaleWindows = new StaleWindows(staleWhileRevalidate, staleIfError) };
    }

    /// <summary>A copy with another <see cref="CoalesceRequests"/>.</summary>
    public CacheMiddlewareOptions WithRequestCoalescing(bool coalesce = true) => this with { CoalesceRequests = coalesce };
}
