using Microsoft.AspNetCore.Http;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Django's view decorators as functions from a <see cref="RequestDelegate"/> to a <see cref="RequestDelegate"/>, for
/// any stack built on ASP.NET Core (minimal APIs, Giraffe, Falco, Oxpecker, plain middleware):
/// <c>Decorators.CachePage(TimeSpan.FromMinutes(15))(Decorators.VaryOnCookie()(view))</c>, or in F#
/// <c>view |&gt; Decorators.VaryOnCookie().Invoke |&gt; Decorators.CachePage(ttl).Invoke</c>.
/// </summary>
/// <remarks>
/// The header decorators add to the response's fields through the pure functions (<see cref="Vary"/>,
/// <see cref="CacheHeaders"/>); they never overwrite what the view set. As in Django, <see cref="CachePage(TimeSpan)"/>
/// must be the outermost of them to see their headers (the endpoint extensions arrange that by themselves).
/// The cache and clock come from the request's services (<c>AddFunctionalCache</c>; a registered
/// <see cref="TimeProvider"/>, else the system clock). Every decorator is thread-safe.
/// </remarks>
public static class Decorators
{
    /// <summary>
    /// Caches the view's responses for <paramref name="timeout"/> in the default cache with no key prefix, keyed by the
    /// absolute URL (so <c>/foo/1/</c> and <c>/foo/23/</c> are cached apart), the method and the request's values of the
    /// fields the response varies on.
    /// </summary>
    /// <param name="timeout">How long a page is kept; it wins over the view's own max-age, which it also caps. Whole seconds count.</param>
    /// <remarks>Django's <c>cache_page(timeout)</c>: the cache middleware with a page timeout, alias <c>"default"</c> and prefix <c>""</c>.</remarks>
    public static Func<RequestDelegate, RequestDelegate> CachePage(TimeSpan timeout) =>
        CachePage(timeout, CacheMiddlewareOptions.DefaultAlias, "");

    /// <summary>As <see cref="CachePage(TimeSpan)"/>, in the cache named <paramref name="cacheAlias"/> with keys prefixed by <paramref name="keyPrefix"/>.</summary>
    /// <param name="timeout">How long a page is kept.</param>
    /// <param name="cacheAlias"><c>"default"</c>, or the name of a keyed <see cref="ICache"/> service.</param>
    /// <param name="keyPrefix">Text put into every key.</param>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    /// <exception cref="ArgumentNullException">The prefix is null.</exception>
    public static Func<RequestDelegate, RequestDelegate> CachePage(TimeSpan timeout, string cacheAlias, string keyPrefix)
    {
        var options = CacheMiddlewareOptions.Default.WithCacheAlias(cacheAlias).WithKeyPrefix(keyPrefix);
        var handler = new PageCacheHandler(options, Some(timeout.Ticks / TimeSpan.TicksPerSecond), None);
        return handler.Wrap;
    }

    /// <summary>As <see cref="CachePage(TimeSpan)"/>, in the given <paramref name="cache"/> (no services needed).</summary>
    /// <exception cref="ArgumentNullException">The cache or the prefix is null.</exception>
    public static Func<RequestDelegate, RequestDelegate> CachePage(ICache cache, TimeSpan timeout, string keyPrefix)
    {
        Guard.NotNull(cache, nameof(cache));
        var options = CacheMiddlewareOptions.Default.WithKeyPrefix(keyPrefix);
        var services = new PageCacheServices(cache, new CacheCounters(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        return new PageCacheHandler(options, Some(timeout.Ticks / TimeSpan.TicksPerSecond), Some(services)).Wrap;
    }

    /// <summary>The per-site cache (Django's <c>CacheMiddleware</c>) as a decorator: what <c>UseFunctionalCache</c> installs.</summary>
    /// <exception cref="ArgumentNullException">The options are null.</exception>
    public static Func<RequestDelegate, RequestDelegate> SiteCache(CacheMiddlewareOptions options) =>
        new PageCacheHandler(Guard.NotNull(options, nameof(options)), None, None).Wrap;

    /// <summary>Adds <paramref name="headers"/> to the response's Vary field (names already listed, in any case, are not repeated).</summary>
    /// <exception cref="ArgumentNullException">The list or a name is null.</exception>
    /// <remarks>Django's <c>vary_on_headers(*headers)</c> through <see cref="Vary.PatchVaryHeaders(ResponseHead, IEnumerable{string})"/>.</remarks>
    public static Func<RequestDelegate, RequestDelegate> VaryOnHeaders(params string[] headers)
    {
        Guard.NotNull(headers, nameof(headers));
        foreach (var header in headers) Guard.NotNull(header, nameof(headers));
        var names = headers.ToArray();
        return HeaderDecorator.Of((head, _) => Vary.PatchVaryHeaders(head, names));
    }

    /// <summary>Adds <c>Cookie</c> to the response's Vary field: Django's <c>vary_on_cookie</c>.</summary>
    public static Func<RequestDelegate, RequestDelegate> VaryOnCookie() => VaryOnHeaders("Cookie");

    /// <summary>
    /// Patches the response's Cache-Control with <paramref name="patch"/>: smallest max-age wins, <c>public</c> and
    /// <c>private</c> replace each other, <c>no-cache</c> collects field names, other directives are kept.
    /// </summary>
    /// <exception cref="ArgumentNullException">The patch is null.</exception>
    /// <remarks>Django's <c>cache_control(**kwargs)</c>; an empty patch writes an empty Cache-Control, as Django does.</remarks>
    public static Func<RequestDelegate, RequestDelegate> CacheControl(CacheControlPatch patch)
    {
        Guard.NotNull(patch, nameof(patch));
        return HeaderDecorator.Of((head, _) => CacheHeaders.PatchCacheControl(head, patch));
    }

    /// <summary>As <see cref="CacheControl(CacheControlPatch)"/>, the patch built from <see cref="CacheControlPatch.Empty"/>: <c>CacheControl(p =&gt; p.Private().MaxAge(3600))</c>.</summary>
    /// <exception cref="ArgumentNullException">The function is null.</exception>
    public static Func<RequestDelegate, RequestDelegate> CacheControl(Func<CacheControlPatch, CacheControlPatch> build) =>
        CacheControl(Guard.NotNull(build, nameof(build))(CacheControlPatch.Empty));

    /// <summary>
    /// Marks the response as never to be cached: <c>Expires</c> now (if absent) and
    /// <c>Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private</c> patched in.
    /// </summary>
    /// <remarks>Django's <c>never_cache</c> through <see cref="CacheHeaders.AddNeverCacheHeaders"/>. Under a page cache the response is then not stored.</remarks>
    public static Func<RequestDelegate, RequestDelegate> NeverCache() =>
        HeaderDecorator.Of((head, context) => CacheHeaders.AddNeverCacheHeaders(head, Now(context)));

    /// <summary>
    /// Conditional GET for one view: an ETag computed from the body when the response has none, and 304 or 412 answers
    /// to If-None-Match, If-Modified-Since, If-Match and If-Unmodified-Since.
    /// </summary>
    /// <remarks>Django's <c>ConditionalGetMiddleware</c>, for GET and (unlike Django) HEAD, answered as its GET; bodies over 64 MiB are streamed untouched.</remarks>
    public static Func<RequestDelegate, RequestDelegate> ConditionalGet() =>
        ConditionalGetHandler.Decorator(CacheMiddlewareOptions.Default.MaximumBodySize);

    private static DateTimeOffset Now(HttpContext context) =>
        (context.RequestServices?.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetUtcNow();
}
