using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Django's <c>CacheMiddleware</c>: the fetch half (look the page up, answer from the cache) and the update half
/// (learn the key, store the response, in <c>PageCacheHandler.Update.cs</c>) around the rest of the pipeline. Used by
/// the per-site middleware and by <c>CachePage</c>, which differ only in their settings and in the layer they count in.
/// </summary>
/// <remarks>
/// Every answer says what the cache did twice: <c>X-Cache: HIT</c> or <c>MISS</c> (a debugging aid that a cache in
/// front replays as stored) and a <c>Cache-Status</c> member (RFC 9211, which each cache on the way appends to; see
/// <see cref="CacheStatusMembers"/>). Thread-safe: the services are resolved once; everything per request lives on the stack.
/// </remarks>
internal sealed partial class PageCacheHandler
{
    private const string XCache = "X-Cache";

    // The members of requests the layer lets through without a lookup.
    private static readonly CacheStatusEntry MethodPassed = CacheStatusMembers.PassedThrough(CacheStatusForward.Method, null);
    private static readonly CacheStatusEntry QueryStringPassed = CacheStatusMembers.PassedThrough(CacheStatusForward.Bypass, "query string");
    private static readonly CacheStatusEntry AuthenticatedPassed = CacheStatusMembers.PassedThrough(CacheStatusForward.Bypass, "authenticated user");

    private readonly CacheMiddlewareOptions _options;
    private readonly Option<long> _pageTimeout;
    private readonly Func<IServiceProvider, PageCacheServices> _resolve;
    private readonly UrlKeyMemo _urlKeys;
    private readonly DecodedPages _decoded = new();
    private PageCacheServices? _services;

    public PageCacheHandler(CacheMiddlewareOptions options, Option<long> pageTimeout, Option<PageCacheServices> services)
    {
        _options = options;
        _pageTimeout = pageTimeout;
        _urlKeys = new UrlKeyMemo(options.KeyPrefix);
        _services = services.MatchUnsafe(s => s, () => null);
        _resolve = provider => PageCacheServices.Resolve(provider, options.CacheAlias, typeof(PageCacheHandler).FullName!);
    }

    public RequestDelegate Wrap(RequestDelegate next) => context => InvokeAsync(context, next);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var passed = !PageCacheRules.IsCacheableMethod(request.Method) ? MethodPassed
            : _options.QueryStrings == QueryStringRule.NotCached && request.QueryString.HasValue && request.QueryString.Value!.Length > 1 ? QueryStringPassed
            : _options.AnonymousOnly && context.User.Identity?.IsAuthenticated == true ? AuthenticatedPassed
            : null;
        if (passed is not null)
        {
            CacheStatusMembers.AppendAtStart(context.Response, passed);
            await next(context).ConfigureAwait(false);
            return;
        }

        var services = _services ??= _resolve(context.RequestServices);
        var layer = Layer(services);
        // A request with credentials is never answered from the cache: it may only ever store an explicitly public page.
        var lookup = request.Headers.ContainsKey("Authorization")
            ? new Lookup(null, CacheStatusForward.Bypass, "authorization")
            : await LookupAsync(request, services, layer).ConfigureAwait(false);
        if (lookup.Entry is { } cached)
        {
            // RFC 5861: a stale page is served while one background render refreshes it, or kept for the view's failure.
            switch (cached.FreshnessAt(services.Time.GetUtcNow()))
            {
                case PageFreshness.Fresh:
                    layer.Hit();
                    if (lookup.Local) layer.LocalHit();
                    await ServeAsync(context, cached, services).ConfigureAwait(false);
                    return;
                case PageFreshness.StaleWhileRevalidate:
                    await ServeWhileRevalidatingAsync(context, next, cached, services, layer, lookup).ConfigureAwait(false);
                    return;
                default:
                    lookup = AfterStale(lookup, cached, services);
                    break;
            }
        }

        context.Response.Headers[XCache] = "MISS";
        await RenderOnceAsync(context, next, services, layer, lookup).ConfigureAwait(false);
    }

    // The per-view decorators (a page timeout) count apart from the per-site middleware.
    private CacheLayerCounters Layer(PageCacheServices services) => _pageTimeout.IsSome ? services.Counters.View : services.Counters.Site;

    /// <summary>
    /// What the fetch half found: a page to serve, or why not (a <c>fwd</c> reason, and a detail); the key that
    /// renders of this request coalesce on (null: none), and a stale page to answer with if the view fails.
    /// </summary>
    /// <paramref name="Local"/>: the page came from the local page cache, not the backend.
    private readonly record struct Lookup(ServedEntry? Entry, string Forward, string? Detail, string? Key = null, ServedEntry? Stale = null, bool Local = false);

    /// <summary>
    /// Serves a stored page; <paramref name="member"/> replaces the plain hit's Cache-Status member when given, written
    /// by <paramref name="write"/> when given (a miss's writer, which must know the member is written).
    /// </summary>
    private static async Task ServeAsync(HttpContext context, ServedEntry cached, PageCacheServices services, CacheStatusEntry? member = null, Action<CacheStatusEntry>? write = null)
    {
        var response = context.Response;
        response.StatusCode = cached.Status;
        var headers = response.Headers;
        foreach (var (name, value) in cached.Fields) headers[name] = value;
        var now = services.Time.GetUtcNow();
        if (cached.TryAgeAt(now, out var age)) headers.Age = age;
        headers[XCache] = "HIT";
        if (member is null) CacheStatusMembers.AppendHit(response, cached.TtlAt(now));
        else if (write is null) CacheStatusMembers.AppendNow(response, member);
        else write(member);
        // A HEAD is answered as its GET, body included: the server sends none, and a conditional GET around the cache
        // still tags the body, so HEAD and GET carry the same ETag.
        if (cached.Body.Length > 0)
        {
            response.ContentLength = cached.Body.Length;
            await response.Body.WriteAsync(cached.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async ValueTask<Lookup> LookupAsync(HttpRequest request, PageCacheServices services, CacheLayerCounters layer)
    {
        var prefix = _options.KeyPrefix;
        try
        {
            var url = _urlKeys.For(request);
            var tags = LookupTags(request.HttpContext);
            // The local page cache first (PageCacheHandler.Local.cs); what the backend answers next is kept there.
            var local = services.Local;
            var now = services.Time.GetUtcNow();
            var generation = 0L;
            if (local is not null)
            {
                if (LookupLocally(local, request, url, tags, now) is { } kept) return kept;
                generation = local.Generation;
            }
            // Page keys end with the URL's and the tags' stamps (PageCacheHandler.Purge.cs): none means purged.
            var stamps = await PageStamps.ReadSuffixAsync(services.Cache, tags).ConfigureAwait(false);
            if (stamps is null) return new Lookup(null, CacheStatusForward.UriMiss, null, url.HeaderKey);
            var headerList = await GetAsync<string[]>(services.Cache, url.HeaderKey).ConfigureAwait(false);
            if (headerList.IsNone) return new Lookup(null, CacheStatusForward.UriMiss, null, url.HeaderKey);
            var list = (string[])headerList;
            if (local is not null) RememberHeaderList(local, url.HeaderKey, list, tags, now, generation);
            var keyed = list.Length == 0 ? url.Bare : HttpHeads.Request(request, list);
            var unstamped = list.Length == 0 ? url.GetPageKey : PageCacheKeys.GetCacheKey(keyed, list, prefix);
            var getKey = unstamped + stamps;
            var entry = await GetAsync<byte[]>(services.Cache, getKey).ConfigureAwait(false);
            var served = Served(unstamped, entry);
            // Only a GET page is kept: a HEAD is answered from it while it exists, from its own page otherwise.
            if (local is not null) served.IfSome(page => RememberPage(local, unstamped, getKey, page, tags, now, generation));
            if (entry.IsNone && HttpMethods.IsHead(request.Method))
            {
                var headKey = list.Length == 0 ? url.HeadPageKey : PageCacheKeys.GetCacheKey(keyed, list, prefix, "HEAD");
                entry = await GetAsync<byte[]>(services.Cache, headKey + stamps).ConfigureAwait(false);
                served = Served(headKey, entry);
            }
            // The URL has pages stored for other values of the fields it varies on, but not for this request's.
            var forward = list.Length == 0 ? CacheStatusForward.UriMiss : CacheStatusForward.VaryMiss;
            return new Lookup(served.MatchUnsafe(s => s, () => null), forward, null, getKey);
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            layer.BackendFailed();
            services.Logger.LogWarning(e, "Page cache lookup failed; serving a miss: {Message}", e.Message);
            return new Lookup(null, CacheStatusForward.Miss, "lookup failed");
        }
    }

    // The page stored as the bytes read under its key, decoded once while they stay the same (no delegate per hit).
    private Option<ServedEntry> Served(string key, Option<byte[]> entry) => entry.Case is byte[] bytes ? _decoded.Of(key, bytes) : None;

    // A backend that answers in memory (locmem) is read through its sync API: a hit then completes without a Task or a
    // state machine. Page entries are never null, so a null under a page key (someone else's write) reads as a miss.
    private static ValueTask<Option<T>> GetAsync<T>(ICache cache, string key) where T : class =>
        cache is ISyncCache sync ? new(Present(sync.Get<T?>(key))) : ReadAsync<T>(cache, key);

    // Through TryGetAsync, so that a backend that answers failures as misses (memcached) still has them counted.
    private static async ValueTask<Option<T>> ReadAsync<T>(ICache cache, string key) where T : class
    {
        var read = await cache.TryGetAsync<T?>(key).ConfigureAwait(false);
        return read.IsRight ? Present(read.IfLeft(OptionUnsafe<T?>.None)) : throw FailureOf(read);
    }

    // The failure of a Try operation as the exception the page cache's catch turns into a counted miss.
    private static CacheBackendException FailureOf<T>(Either<CacheError, T> failed) =>
        failed.Match(
            Left: error => error is CacheError.BackendFailure { Cause: CacheBackendException cause } ? cause : new CacheBackendException(error.Message),
            Right: _ => new CacheBackendException("The cache operation did not fail."));

    private static Option<T> Present<T>(OptionUnsafe<T?> hit) where T : class => Optional(hit.IfNoneUnsafe(default(T)));
}
