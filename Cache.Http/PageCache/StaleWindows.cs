using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>
/// How long past its freshness a stored page may still be used (RFC 5861): <see cref="Revalidate"/> seconds served
/// at once while it is refreshed in the background, <see cref="IfError"/> seconds served when the view fails.
/// </summary>
/// <param name="Revalidate">The <c>stale-while-revalidate</c> window in seconds (0: none).</param>
/// <param name="IfError">The <c>stale-if-error</c> window in seconds (0: none).</param>
/// <remarks>Immutable and thread-safe. Negative windows are read as 0 by <see cref="Of(CacheControl, StaleWindows)"/>.</remarks>
public sealed record StaleWindows(long Revalidate, long IfError)
{
    /// <summary>No stale windows: a page is used while fresh only (the page cache's behaviour before RFC 5861).</summary>
    public static StaleWindows None { get; } = new(0, 0);

    /// <summary>The longer of the two windows: how long past its freshness a page is kept at all.</summary>
    public long Longest => Math.Max(Math.Max(Revalidate, IfError), 0);

    /// <summary>
    /// The windows of a response whose Cache-Control is <paramref name="cacheControl"/>: its own
    /// <c>stale-while-revalidate</c> and <c>stale-if-error</c> (each read like max-age), else
    /// <paramref name="defaults"/>' window; none at all when it says <c>must-revalidate</c> or <c>proxy-revalidate</c>
    /// (RFC 9111 §5.2.2.2: such a response must never be served stale). Negative values count as 0.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static StaleWindows Of(CacheControl cacheControl, StaleWindows defaults)
    {
        Guard.NotNull(cacheControl, nameof(cacheControl));
        Guard.NotNull(defaults, nameof(defaults));
        if (cacheControl.MustRevalidate || cacheControl.ProxyRevalidate) return None;
        var revalidate = cacheControl.StaleWhileRevalidate.IfNone(defaults.Revalidate);
        var ifError = cacheControl.StaleIfError.IfNone(defaults.IfError);
        return new StaleWindows(Math.Max(0, revalidate), Math.Max(0, ifError));
    }

    /// <summary>The windows of <paramref name="response"/>'s Cache-Control field (see <see cref="Of(CacheControl, StaleWindows)"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static StaleWindows Of(ResponseHead response, StaleWindows defaults)
    {
        Guard.NotNull(response, nameof(response));
        return Of(CacheControl.Parse(response.Headers.Get("Cache-Control").MatchUnsafe(v => v, () => null)), defaults);
    }
}
