using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// The page cache's decisions as pure functions over the request and response heads: which requests are looked up,
/// whether a response is stored and with which headers, and the <c>Age</c> of a cached response.
/// </summary>
/// <remarks>
/// Django's <c>FetchFromCacheMiddleware.process_request</c> and <c>UpdateCacheMiddleware.process_response</c>
/// (<c>django/middleware/cache.py</c>) under DESIGN.md's rules: the upstream 2026 security fixes apply
/// (private/no-cache/no-store by directive name in any case, <c>Vary: *</c>, Authorization), and a response that
/// sets a cookie is never stored. The middleware reads the heads, calls these, and writes the result back.
/// Pure and thread-safe; "now" is a parameter.
/// </remarks>
public static class PageCacheRules
{
    private static readonly string[] NotShareableDirectives = ["private", "no-cache", "no-store"];

    /// <summary>True for the methods the cache looks up and stores: GET and HEAD (any case).</summary>
    public static bool IsCacheableMethod(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What the update half does with <paramref name="response"/>, checked in Django's order:
    /// <list type="number">
    /// <item>a method other than GET or HEAD, a streamed body, or a status other than 200 and 304: sent untouched;</item>
    /// <item>a response that sets a cookie: sent untouched;</item>
    /// <item>Cache-Control <c>private</c>, <c>no-cache</c> or <c>no-store</c> (directive names in any case): sent untouched;</item>
    /// <item><c>Vary: *</c>: sent untouched;</item>
    /// <item>a request with Authorization and a response that is not <c>public</c>: <c>Vary: Authorization</c> added, not stored;</item>
    /// <item>the timeout is <paramref name="pageTimeout"/> when given (it wins over everything), else the response's own
    /// max-age (<c>max-age=0</c>: sent untouched), else <paramref name="seconds"/>;</item>
    /// <item>Expires and Last-Modified (each only if absent) and <c>max-age</c> (smallest wins) are patched in;</item>
    /// <item>a 200 with a positive timeout is stored for that long; anything else is sent with the patched headers.</item>
    /// </list>
    /// </summary>
    /// <param name="request">The request (its method and whether it has Authorization are read).</param>
    /// <param name="response">The response the view produced.</param>
    /// <param name="streaming">True when the body was streamed rather than held whole.</param>
    /// <param name="pageTimeout">The per-view timeout of <c>CachePage</c>, or None for the per-site middleware.</param>
    /// <param name="seconds">The middleware's seconds (Django's <c>CACHE_MIDDLEWARE_SECONDS</c>).</param>
    /// <param name="now">The current time, for Expires and Last-Modified.</param>
    /// <returns>The decision, with the response to send.</returns>
    /// <exception cref="ArgumentNullException">A head is null.</exception>
    /// <remarks>
    /// Deliberate differences from Django: responses with Set-Cookie are never stored (Django stores them unless they
    /// vary on Cookie); Authorization requests get <c>Vary: Authorization</c> but are not stored (upstream 6.0.6 stores them
    /// keyed by the credentials); a non-numeric max-age counts as absent where Django raises ValueError; a negative
    /// timeout stores nothing (Django stores an already-expired entry).
    /// </remarks>
    public static StoreDecision DecideUpdate(RequestHead request, ResponseHead response, bool streaming, Option<long> pageTimeout, long seconds, DateTimeOffset now)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(response, nameof(response));
        if (!IsCacheableMethod(request.Method)) return StoreDecision.Skip(response, SkipReason.Method);
        if (streaming) return StoreDecision.Skip(response, SkipReason.Streaming);
        if (response.Status is not (200 or 304)) return StoreDecision.Skip(response, SkipReason.Status);
        if (response.Headers.Contains("Set-Cookie")) return StoreDecision.Skip(response, SkipReason.SetsCookie);
        var cacheControl = Http.CacheControl.Parse(response.Headers.Get("Cache-Control").MatchUnsafe(v => v, () => null));
        if (NotShareableDirectives.Any(cacheControl.Contains)) return StoreDecision.Skip(response, SkipReason.NotShareable);
        if (Vary.HasVaryHeader(response, "*")) return StoreDecision.Skip(response, SkipReason.VaryStar);
        if (request.Headers.Contains("Authorization") && !cacheControl.Public)
            return StoreDecision.Skip(Vary.PatchVaryHeaders(response, ["Authorization"]), SkipReason.Authorization);

        var maxAge = cacheControl.MaxAge;
        if (pageTimeout.IsNone && maxAge.Exists(age => age == 0)) return StoreDecision.Skip(response, SkipReason.MaxAgeZero);
        var timeout = pageTimeout.IfNone(() => maxAge.IfNone(seconds));
        var patched = CacheHeaders.PatchResponseHeaders(response, now, (int)Math.Clamp(timeout, int.MinValue, int.MaxValue));
        if (timeout <= 0) return StoreDecision.Skip(patched, SkipReason.NoTimeout);
        return response.Status == 200 ? StoreDecision.Store(patched, timeout) : StoreDecision.Skip(patched, SkipReason.NotModified);
    }

    /// <summary>
    /// The <c>Age</c> of a cached response served at <paramref name="now"/>: its max-age less the whole seconds until its
    /// Expires, never below 0; None when it lacks a numeric max-age or a readable Expires.
    /// </summary>
    /// <remarks>Django 5.1's <c>FetchFromCacheMiddleware</c>: <c>max(0, max_age - (expires - int(now)))</c>.</remarks>
    public static Option<long> Age(ResponseHead cached, DateTimeOffset now)
    {
        Guard.NotNull(cached, nameof(cached));
        var maxAge = CacheHeaders.GetMaxAge(cached);
        var expires = cached.Headers.Get("Expires").Bind(text => HttpDate.Parse(text, now));
        return from age in maxAge
               from at in expires
               select Math.Max(0, age - (at.ToUnixTimeSeconds() - now.ToUnixTimeSeconds()));
    }
}
