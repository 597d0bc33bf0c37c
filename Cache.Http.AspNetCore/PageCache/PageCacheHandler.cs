using LanguageExt;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Django's <c>CacheMiddleware</c>: the fetch half (look the page up, answer from the cache) and the update half
/// (learn the key, store the response) around the rest of the pipeline. Used by the per-site middleware and by
/// <c>CachePage</c>, which differ only in their settings.
/// </summary>
/// <remarks>Thread-safe: the services are resolved once; everything per request lives on the stack.</remarks>
internal sealed class PageCacheHandler
{
    private const string XCache = "X-Cache";

    // Fields that describe one transmission, not the page: never stored, never replayed.
    private static readonly string[] NotStored = ["X-Cache", "Age", "Date", "Connection", "Keep-Alive", "Transfer-Encoding", "Set-Cookie"];

    private readonly CacheMiddlewareOptions _options;
    private readonly Option<long> _pageTimeout;
    private readonly Func<IServiceProvider, PageCacheServices> _resolve;
    private readonly UrlKeyMemo _urlKeys;
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
        if (!PageCacheRules.IsCacheableMethod(request.Method) ||
            (_options.QueryStrings == QueryStringRule.NotCached && request.QueryString.HasValue && request.QueryString.Value!.Length > 1) ||
            (_options.AnonymousOnly && context.User.Identity?.IsAuthenticated == true))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var services = _services ??= _resolve(context.RequestServices);
        // A request with credentials is never answered from the cache: it may only ever store an explicitly public page.
        if (!request.Headers.ContainsKey("Authorization") && await TryServeAsync(context, services).ConfigureAwait(false))
        {
            services.Counters.Hit();
            return;
        }

        services.Counters.Miss();
        context.Response.Headers[XCache] = "MISS";
        await RunAndUpdateAsync(context, next, services).ConfigureAwait(false);
    }

    private async ValueTask<bool> TryServeAsync(HttpContext context, PageCacheServices services)
    {
        var found = await LookupAsync(context.Request, services).ConfigureAwait(false);
        if (found.IsNone) return false;
        var cached = (ServedEntry)found;
        var response = context.Response;
        response.StatusCode = cached.Status;
        var headers = response.Headers;
        foreach (var (name, value) in cached.Fields) headers[name] = value;
        if (cached.TryAgeAt(services.Time.GetUtcNow(), out var age)) headers.Age = age;
        headers[XCache] = "HIT";
        // A HEAD is answered as its GET, body included: the server sends none, and a conditional GET around the cache
        // still tags the body, so HEAD and GET carry the same ETag.
        if (cached.Body.Length > 0)
        {
            response.ContentLength = cached.Body.Length;
            await response.Body.WriteAsync(cached.Body, context.RequestAborted).ConfigureAwait(false);
        }
        return true;
    }

    private async ValueTask<Option<ServedEntry>> LookupAsync(HttpRequest request, PageCacheServices services)
    {
        var prefix = _options.KeyPrefix;
        try
        {
            var url = _urlKeys.For(request);
            var headerList = await GetAsync<string[]>(services.Cache, url.HeaderKey).ConfigureAwait(false);
            if (headerList.IsNone) return None;
            var list = (string[])headerList;
            var keyed = list.Length == 0 ? url.Bare : HttpHeads.Request(request, list);
            var getKey = list.Length == 0 ? url.GetPageKey : PageCacheKeys.GetCacheKey(keyed, list, prefix);
            var entry = await GetAsync<byte[]>(services.Cache, getKey).ConfigureAwait(false);
            if (entry.IsNone && HttpMethods.IsHead(request.Method))
                entry = await GetAsync<byte[]>(services.Cache, list.Length == 0 ? url.HeadPageKey : PageCacheKeys.GetCacheKey(keyed, list, prefix, "HEAD")).ConfigureAwait(false);
            return entry.Bind(ServedEntry.Of);
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            services.Counters.BackendFailed();
            services.Logger.LogWarning(e, "Page cache lookup failed; serving a miss: {Message}", e.Message);
            return None;
        }
    }

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

    private async Task RunAndUpdateAsync(HttpContext context, RequestDelegate next, PageCacheServices services)
    {
        var buffer = await ResponseBuffer.CaptureAsync(context, next, _options.MaximumBodySize).ConfigureAwait(false);
        if (buffer.Streaming) return;

        var response = context.Response;
        var before = HttpHeads.Response(response);
        var request = HttpHeads.Request(context.Request);
        var decision = PageCacheRules.DecideUpdate(request, before, streaming: false, _pageTimeout, _options.Seconds, services.Time.GetUtcNow());
        HttpHeads.Apply(response, before, decision.Response);
        var body = buffer.Body;
        // A view that wrote nothing for a HEAD must not leave a page without a body (or its length) behind.
        if (decision is StoreDecision.StoreCase store && !(body.IsEmpty && HttpMethods.IsHead(request.Method)))
            await StoreAsync(request, store, body, services).ConfigureAwait(false);
        else FunctionalCache.Backends.Diagnostics.CacheMetrics.RecordBypass(_options.CacheAlias, services.Cache);
        if (response.StatusCode is 204 or 304 || body.IsEmpty) return;
        if (!response.Headers.ContainsKey("Transfer-Encoding")) response.ContentLength = body.Length;
        await buffer.Inner.Stream.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task StoreAsync(RequestHead request, StoreDecision.StoreCase store, ReadOnlyMemory<byte> body, PageCacheServices services)
    {
        // A HEAD's response is stored under the HEAD key (Django's rule: its view may differ from the GET's), with the body
        // its view wrote, so a HEAD served from it has the GET's Content-Length and ETag.
        var learned = PageCacheKeys.LearnCacheKey(request, store.Response, _options.KeyPrefix);
        var fields = NotStored.Aggregate(store.Response.Headers, (map, name) => map.Remove(name));
        if (!fields.Contains("Transfer-Encoding")) fields = fields.Set("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var entry = new CachedResponse(store.Response.Status, fields, body.ToArray());
        var timeout = CacheTimeout.Seconds(store.Seconds);
        try
        {
            // Through TrySetAsync, so that a write a lenient backend (memcached) dropped is counted, not taken as stored.
            var written = await services.Cache.TrySetAsync(learned.HeaderKey, learned.HeaderList.ToArray(), timeout).ConfigureAwait(false);
            if (written.IsRight) written = await services.Cache.TrySetAsync(learned.PageKey, entry.Encode(), timeout).ConfigureAwait(false);
            if (written.IsLeft) throw FailureOf(written);
            services.Counters.Stored();
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            services.Counters.BackendFailed();
            services.Logger.LogWarning(e, "Page cache store failed; the response is sent uncached: {Message}", e.Message);
        }
    }
}
