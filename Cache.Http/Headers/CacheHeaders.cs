using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>
/// Django's <c>django.utils.cache</c> helpers for Cache-Control, Expires and Last-Modified, as pure functions: each
/// takes a header value or a <see cref="ResponseHead"/> and returns a new one. No clock is read; <c>now</c> is a parameter.
/// </summary>
/// <remarks>The maths lives in <see cref="CacheControl"/> and <see cref="CacheControlPatch"/>; these are the Django-named entry points.</remarks>
public static class CacheHeaders
{
    /// <summary>
    /// The Cache-Control value <paramref name="existing"/> (null when the field is absent) with
    /// <paramref name="patch"/> applied. Always a value, the empty string when nothing is set; never throws on any
    /// existing text.
    /// </summary>
    /// <remarks>
    /// Django's <c>patch_cache_control(response, **kwargs)</c>: see <see cref="CacheControl.Parse"/> for the reading
    /// and <see cref="CacheControl.Patch"/> for the rules (smallest max-age wins; public and private replace each other;
    /// no-cache collects field names; unknown directives kept). Deliberate difference: an existing max-age that is not
    /// a number is replaced by the patch's, where Django raises ValueError.
    /// </remarks>
    public static string PatchCacheControl(string? existing, CacheControlPatch patch) =>
        CacheControl.Parse(existing).Patch(patch).Format();

    /// <summary><paramref name="response"/> with its Cache-Control patched; the field is always written, even empty, as Django does.</summary>
    public static ResponseHead PatchCacheControl(ResponseHead response, CacheControlPatch patch)
    {
        Guard.NotNull(response, nameof(response));
        return response.WithHeader(CacheControlField, PatchCacheControl(response.Headers.Get(CacheControlField).MatchUnsafe(v => v, () => null), patch));
    }

    /// <summary>
    /// The max-age in seconds of a Cache-Control value, or None when the field is absent or empty, has no max-age, or
    /// its (last) max-age is not a number. Never throws.
    /// </summary>
    /// <remarks>
    /// Django's <c>get_max_age</c>: a later max-age wins; the text is read as Python's <c>int()</c> reads it
    /// (<c>" 60"</c>, <c>"+7"</c>, <c>"007"</c>, <c>"1_000"</c>; not <c>"1.5"</c>, <c>"\"60\""</c>, <c>""</c>).
    /// A bare <c>max-age</c> gives 1 as in Django (<c>int(True)</c>), which errs towards not caching. Deliberate
    /// difference: a number beyond <see cref="long"/> saturates to <see cref="long.MaxValue"/> or
    /// <see cref="long.MinValue"/> (RFC 9111 §1.2.2) where Python keeps every digit.
    /// </remarks>
    public static Option<long> GetMaxAge(string? cacheControl) => CacheControl.Parse(cacheControl).MaxAge;

    /// <summary>The max-age of <paramref name="response"/>'s Cache-Control, as <see cref="GetMaxAge(string?)"/>.</summary>
    public static Option<long> GetMaxAge(ResponseHead response)
    {
        Guard.NotNull(response, nameof(response));
        return GetMaxAge(response.Headers.Get(CacheControlField).MatchUnsafe(v => v, () => null));
    }

    /// <summary>
    /// <paramref name="response"/> made cacheable for <paramref name="seconds"/> (negative counts as 0):
    /// Expires = now + seconds and Last-Modified = now, each only if absent (an empty field counts as present), then
    /// <c>max-age=seconds</c> by the smallest-max-age rule.
    /// </summary>
    /// <remarks>
    /// Django's <c>patch_response_headers(response, cache_timeout)</c>; Django's default timeout is
    /// <see cref="DefaultSeconds"/>. Deliberate difference: Last-Modified is set as in Django up to 1.10 and as our
    /// design asks; Django 1.11 and later no longer set it. ETag is not set (Django 2.1 dropped it; see
    /// <see cref="SetResponseEtag"/>). An existing max-age that is not a number is replaced, where Django raises
    /// ValueError. An Expires beyond year 9999 is written as the last representable second.
    /// </remarks>
    public static ResponseHead PatchResponseHeaders(ResponseHead response, DateTimeOffset now, int seconds)
    {
        Guard.NotNull(response, nameof(response));
        var patched = WithExpiresAndMaxAge(response, now, seconds);
        return patched.Headers.Contains(LastModifiedField) ? patched : patched.WithHeader(LastModifiedField, HttpDate.Format(now));
    }

    /// <summary>
    /// <paramref name="response"/> marked as never to be cached: Expires = now if absent, then
    /// <c>max-age=0, no-cache, no-store, must-revalidate, private</c> patched in (an existing smaller max-age stays,
    /// an existing <c>public</c> is removed).
    /// </summary>
    /// <remarks>
    /// Django's <c>add_never_cache_headers</c> (<c>patch_response_headers(response, -1)</c>, then
    /// <c>patch_cache_control(no_cache=True, no_store=True, must_revalidate=True, private=True)</c>). Last-Modified is
    /// not added: a response that must not be cached has no use for one.
    /// </remarks>
    public static ResponseHead AddNeverCacheHeaders(ResponseHead response, DateTimeOffset now)
    {
        Guard.NotNull(response, nameof(response));
        return PatchCacheControl(WithExpiresAndMaxAge(response, now, 0), NeverCache);
    }

    /// <summary><paramref name="response"/> with <c>ETag</c> set to <see cref="ETag.ForBody"/> of <paramref name="body"/>; unchanged for an empty body.</summary>
    /// <remarks>Django's <c>set_response_etag</c> (the caller decides that the body is not streamed).</remarks>
    public static ResponseHead SetResponseEtag(ResponseHead response, ReadOnlySpan<byte> body)
    {
        Guard.NotNull(response, nameof(response));
        var tag = ETag.ForBody(body);
        return tag.IsSome ? response.WithHeader(ETagField, (string)tag) : response;
    }

    /// <summary>Django's <c>CACHE_MIDDLEWARE_SECONDS</c> default, the timeout <c>patch_response_headers</c> uses when given none.</summary>
    /// <value>600 seconds.</value>
    public const int DefaultSeconds = 600;

    private const string CacheControlField = "Cache-Control";
    private const string ExpiresField = "Expires";
    private const string LastModifiedField = "Last-Modified";
    private const string ETagField = "ETag";

    private static readonly CacheControlPatch NeverCache = CacheControlPatch.Empty.NoCache().NoStore().MustRevalidate().Private();

    private static ResponseHead WithExpiresAndMaxAge(ResponseHead response, DateTimeOffset now, int seconds)
    {
        var timeout = Math.Max(0, seconds);
        var withExpires = response.Headers.Contains(ExpiresField)
            ? response
            : response.WithHeader(ExpiresField, HttpDate.Format(Later(now, timeout)));
        return PatchCacheControl(withExpires, CacheControlPatch.Empty.MaxAge(timeout));
    }

    private static DateTimeOffset Later(DateTimeOffset now, int seconds) =>
        DateTimeOffset.MaxValue - now < TimeSpan.FromSeconds(seconds) ? DateTimeOffset.MaxValue : now.AddSeconds(seconds);
}
