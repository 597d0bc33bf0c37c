namespace FunctionalCache.Http;

/// <summary>
/// Where a stored page stands at some instant (RFC 5861): the four states partition its timeline in this order, each
/// state starting where the previous one ends (see <see cref="PageLifetime.At"/>).
/// </summary>
public enum PageFreshness
{
    /// <summary>Within its freshness lifetime: served as it is.</summary>
    Fresh = 0,

    /// <summary>Stale, within <c>stale-while-revalidate</c>: served at once while one background render refreshes it.</summary>
    StaleWhileRevalidate = 1,

    /// <summary>Stale, past <c>stale-while-revalidate</c> but within <c>stale-if-error</c>: the view runs, and the stale page answers only when it fails.</summary>
    StaleIfError = 2,

    /// <summary>Past every window: never served; the view runs as on a miss.</summary>
    Expired = 3,
}
