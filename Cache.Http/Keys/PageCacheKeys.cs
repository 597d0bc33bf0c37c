using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// Request cache keys in Django's format: a header key per URL, where the learned Vary header list is stored, and a
/// page key per URL × method × values of those headers, where the response is stored.
/// </summary>
/// <remarks>
/// <para>Django's <c>learn_cache_key</c>, <c>get_cache_key</c>, <c>_generate_cache_key</c> and <c>_generate_cache_header_key</c>
/// (<c>django/utils/cache.py</c>). Formats: <c>views.decorators.cache.cache_header.&lt;prefix&gt;.&lt;md5(uri)&gt;</c> and
/// <c>views.decorators.cache.cache_page.&lt;prefix&gt;.&lt;METHOD&gt;.&lt;md5(uri)&gt;.&lt;md5(header values)&gt;</c>, where the URI is
/// <see cref="AbsoluteUri.Build"/>. With a <c>language</c> the key gains <c>.&lt;language&gt;</c> (Django with USE_I18N: the request's
/// LANGUAGE_CODE or the active language), then with a <c>timeZone</c> <c>.&lt;time-zone name&gt;</c> (USE_TZ); both keys get both.</para>
/// <para>Deliberate difference in the header-values digest: each listed header feeds <c>-,</c> when the request lacks it
/// (Django's CVE-2026-113593 marker) and the netstring <c>&lt;UTF-8 length&gt;:&lt;UTF-8 bytes&gt;,</c> when present. Django 3.2–6.0
/// fed the raw values with no separator, so <c>a="xy", b=""</c> collided with <c>a="x", b="y"</c>, and the marker alone still lets a
/// present value <c>-,</c> collide with an absent header; the framing is injective. Keys therefore match Django's whenever no
/// listed header is present, and the vectors' <c>netstring_inferred</c> digest otherwise.</para>
/// <para>Thread-safe: pure. Nothing here throws on any header text.</para>
/// </remarks>
public static class PageCacheKeys
{
    private const string PagePrefix = "views.decorators.cache.cache_page.";
    private const string HeaderPrefix = "views.decorators.cache.cache_header.";

    /// <summary>The header key for the request's URL: where the learned header list is stored.</summary>
    /// <param name="keyPrefix">The middleware's key prefix (may be empty).</param>
    /// <param name="request">The request.</param>
    /// <param name="language">The request's language when i18n is on (Django's USE_I18N); null for none.</param>
    /// <param name="timeZone">The current time-zone name when time zones are on (Django's USE_TZ); null for none.</param>
    /// <returns><c>views.decorators.cache.cache_header.&lt;prefix&gt;.&lt;md5(uri)&gt;</c> and the suffixes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyPrefix"/> or <paramref name="request"/> is null.</exception>
    public static string GenerateCacheHeaderKey(string keyPrefix, RequestHead request, string? language = null, string? timeZone = null)
    {
        Guard.NotNull(keyPrefix, nameof(keyPrefix));
        Guard.NotNull(request, nameof(request));
        Span<byte> uri = stackalloc byte[Md5Text.HashBytes];
        Md5Text.HashUtf8(AbsoluteUri.Build(request), uri);
        return Key(HeaderPrefix, keyPrefix, null, uri, default, language, timeZone);
    }

    /// <summary>The page key for the request's URL, <paramref name="method"/> and the request's values of the listed headers.</summary>
    /// <param name="request">The request.</param>
    /// <param name="method">The method the key is for, verbatim (<c>GET</c> or <c>HEAD</c>).</param>
    /// <param name="headerList">Header names in Django's <c>HTTP_NAME</c> form, in the stored order (see <see cref="HeaderList"/>).</param>
    /// <param name="keyPrefix">The middleware's key prefix (may be empty).</param>
    /// <param name="language">The request's language when i18n is on; null for none.</param>
    /// <param name="timeZone">The current time-zone name when time zones are on; null for none.</param>
    /// <returns><c>views.decorators.cache.cache_page.&lt;prefix&gt;.&lt;method&gt;.&lt;md5(uri)&gt;.&lt;digest&gt;</c> and the suffixes.</returns>
    /// <exception cref="ArgumentNullException">An argument other than the optional ones, or a listed name, is null.</exception>
    public static string GenerateCacheKey(RequestHead request, string method, IEnumerable<string> headerList, string keyPrefix,
        string? language = null, string? timeZone = null)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(method, nameof(method));
        Guard.NotNull(keyPrefix, nameof(keyPrefix));
        Guard.NotNull(headerList, nameof(headerList));
        Span<byte> uri = stackalloc byte[Md5Text.HashBytes];
        Md5Text.HashUtf8(AbsoluteUri.Build(request), uri);
        Span<byte> headers = stackalloc byte[Md5Text.HashBytes];
        HashHeaders(request, headerList, headers);
        return Key(PagePrefix, keyPrefix, method, uri, headers, language, timeZone);
    }

    /// <summary>
    /// The MD5 of the request's values of <paramref name="headerList"/>, in order: <c>-,</c> for a header the request
    /// lacks, <c>&lt;UTF-8 length&gt;:&lt;UTF-8 bytes&gt;,</c> for one it sends (even empty).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="headerList">Names in <c>HTTP_NAME</c> form; <c>HTTP_ACCEPT_ENCODING</c> reads <c>Accept-Encoding</c> (any case). A name without the <c>HTTP_</c> prefix reads as absent.</param>
    /// <returns>Lower-case hex; <c>d41d8cd98f00b204e9800998ecf8427e</c> for an empty list.</returns>
    /// <exception cref="ArgumentNullException">An argument or a listed name is null.</exception>
    public static string HeadersDigest(RequestHead request, IEnumerable<string> headerList)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(headerList, nameof(headerList));
        Span<byte> hash = stackalloc byte[Md5Text.HashBytes];
        HashHeaders(request, headerList, hash);
        return Convert.ToHexStringLower(hash);
    }

    // The netstrings go to one pooled buffer, hashed at once; a request's listed values fit in the first rent.
    private static void HashHeaders(RequestHead request, IEnumerable<string> headerList, Span<byte> hash)
    {
        var buffer = new PooledBytes(1024);
        try
        {
            foreach (var name in headerList)
            {
                Guard.NotNull(name, nameof(headerList));
                if (FieldName(name) is { } field && request.Headers.Get(field).Case is string value) buffer.WriteNetstring(value);
                else buffer.Write("-,"u8);
            }
            MD5.HashData(buffer.Written, hash);
        }
        finally
        {
            buffer.Return();
        }
    }

    // Django's HTTP_ACCEPT_ENCODING names the Accept-Encoding field (compared ignoring case); a name without the prefix
    // names none. A site varies on a handful of fields, so each name is converted once and remembered; past the
    // bound (a response varying on ever new names) names are converted every time instead.
    private static string? FieldName(string name)
    {
        if (!name.StartsWith("HTTP_", StringComparison.Ordinal)) return null;
        if (FieldNames.TryGetValue(name, out var field)) return field;
        field = name.Substring(5).Replace('_', '-');
        if (FieldNames.Count < FieldNamesBound) FieldNames.TryAdd(name, field);
        return field;
    }

    private const int FieldNamesBound = 256;
    private static readonly ConcurrentDictionary<string, string> FieldNames = new(StringComparer.Ordinal);

    /// <summary>
    /// The header list learned from a Vary value: each entry upper-cased with <c>-</c> turned into <c>_</c> and prefixed
    /// <c>HTTP_</c>, <c>Accept-Language</c> left out when <paramref name="dropAcceptLanguage"/>, sorted ordinally.
    /// </summary>
    /// <param name="vary">The response's Vary value; null when absent (then the list is empty).</param>
    /// <param name="dropAcceptLanguage">True when keys carry a language suffix, which already separates languages (Django with USE_I18N).</param>
    /// <returns>The sorted list; duplicates are kept, as in Django.</returns>
    /// <remarks>
    /// Entries are not trimmed (Django keeps the blank of <c>" Cookie"</c> as <c>HTTP_ COOKIE</c>). <c>*</c> becomes <c>HTTP_*</c>,
    /// a header no request sends, so the star adds nothing to the key, as in Django; the middleware refuses to store
    /// <c>Vary: *</c> responses anyway. Upper-casing is invariant (.NET) rather than Python's, which differs only outside ASCII.
    /// </remarks>
    public static Seq<string> HeaderList(string? vary, bool dropAcceptLanguage)
    {
        var names = new List<string>();
        foreach (var entry in Vary.Parse(vary))
        {
            var name = entry.ToUpperInvariant().Replace('-', '_');
            if (name != "ACCEPT_LANGUAGE" || !dropAcceptLanguage) names.Add("HTTP_" + name);
        }
        names.Sort(StringComparer.Ordinal);
        return toSeq(names);
    }

    /// <summary>
    /// Learns which request headers <paramref name="response"/> varies on and returns what the middleware stores:
    /// the header key, the header list, and the page key for the request's own method.
    /// </summary>
    /// <param name="request">The request the response answers.</param>
    /// <param name="response">The response; only its Vary field is read.</param>
    /// <param name="keyPrefix">The middleware's key prefix (may be empty).</param>
    /// <param name="language">The request's language when i18n is on (then <c>Accept-Language</c> is not listed); null for none.</param>
    /// <param name="timeZone">The current time-zone name when time zones are on; null for none.</param>
    /// <returns>The keys and the list; no Vary gives an empty list.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <remarks>Django's <c>learn_cache_key</c> without its <c>cache.set</c>: storing the list is the caller's effect.</remarks>
    public static LearnedCacheKey LearnCacheKey(RequestHead request, ResponseHead response, string keyPrefix,
        string? language = null, string? timeZone = null)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(response, nameof(response));
        var vary = response.Headers.Get("Vary").MatchUnsafe(v => v, () => (string?)null);
        var list = HeaderList(vary, language is not null);
        return new LearnedCacheKey(
            GenerateCacheHeaderKey(keyPrefix, request, language, timeZone),
            list,
            GenerateCacheKey(request, request.Method, list, keyPrefix, language, timeZone));
    }

    /// <summary>The page key to look up for <paramref name="request"/>, given the header list stored under its header key.</summary>
    /// <param name="request">The request.</param>
    /// <param name="storedHeaderList">The list found under <see cref="GenerateCacheHeaderKey"/>; when none was stored there is no page to look up (Django's None).</param>
    /// <param name="keyPrefix">The middleware's key prefix (may be empty).</param>
    /// <param name="method">The method of the cached response to look for: <c>GET</c> by default, so HEAD is served from a cached GET.</param>
    /// <param name="language">The request's language when i18n is on; null for none.</param>
    /// <param name="timeZone">The current time-zone name when time zones are on; null for none.</param>
    /// <returns>The page key.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <remarks>Django's <c>get_cache_key</c> after its <c>cache.get</c>.</remarks>
    public static string GetCacheKey(RequestHead request, IEnumerable<string> storedHeaderList, string keyPrefix, string method = "GET",
        string? language = null, string? timeZone = null) =>
        GenerateCacheKey(request, method, storedHeaderList, keyPrefix, language, timeZone);

    // <prefix><keyPrefix>[.<method>].<md5(uri)>[.<md5(headers)>][.<language>][.<timeZone>], written once into a
    // stack buffer: these keys are computed on every request through the page cache.
    private static string Key(string prefix, string keyPrefix, string? method, ReadOnlySpan<byte> uri, ReadOnlySpan<byte> headers,
        string? language, string? timeZone)
    {
        var key = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        key.AppendLiteral(prefix);
        key.AppendFormatted(keyPrefix);
        if (method is not null) AppendPart(ref key, method);
        Span<char> hex = stackalloc char[Md5Text.HexChars];
        Convert.TryToHexStringLower(uri, hex, out _);
        AppendPart(ref key, hex);
        if (!headers.IsEmpty)
        {
            Convert.TryToHexStringLower(headers, hex, out _);
            AppendPart(ref key, hex);
        }
        if (language is not null) AppendPart(ref key, language);
        if (timeZone is not null) AppendPart(ref key, timeZone);
        return key.ToStringAndClear();
    }

    private static void AppendPart(ref DefaultInterpolatedStringHandler key, scoped ReadOnlySpan<char> part)
    {
        key.AppendLiteral(".");
        key.AppendFormatted(part);
    }
}
