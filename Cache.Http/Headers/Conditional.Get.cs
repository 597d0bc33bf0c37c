using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

public static partial class Conditional
{
    /// <summary>
    /// The pure half of a conditional-GET middleware for a GET or HEAD whose whole body is known: adds an ETag computed
    /// from <paramref name="body"/> when the response has none, then evaluates the request's preconditions.
    /// </summary>
    /// <param name="request">The request; anything but GET or HEAD proceeds with <paramref name="response"/> untouched.</param>
    /// <param name="response">The response about to be served.</param>
    /// <param name="body">The response body (for a HEAD, the body a GET would get). Empty: no ETag is added.</param>
    /// <param name="now">The current time, used only to read two-digit years in RFC 850 dates.</param>
    /// <returns>Proceed with the response (with its added ETag, if any), a 304 or a 412, as
    /// <see cref="GetConditionalResponse"/> decides.</returns>
    /// <remarks>
    /// Django's <c>ConditionalGetMiddleware.process_response</c>. The ETag is <see cref="ETag.ForBody"/>
    /// (Django's <c>set_response_etag</c>: <c>"&lt;MD5 hex of the body&gt;"</c>), added only when no comma-separated piece of Cache-Control is
    /// <c>no-store</c> (any case). Unsafe methods are left alone: it is too late to refuse an unsafe request. A response
    /// ETag that is not a well-formed tag matches only <c>*</c>.
    /// Deliberate difference: Django leaves HEAD alone; here a HEAD is answered as its GET (RFC 9110 §9.3.2: the same
    /// header fields, so the same ETag, and a 304 to a matching If-None-Match).
    /// </remarks>
    public static ConditionalOutcome ConditionalGet(RequestHead request, ResponseHead response, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(response, nameof(response));
        if (!IsMethod(request, "GET") && !IsMethod(request, "HEAD")) return ConditionalOutcome.Proceed(response);
        var tagged = NeedsETag(response)
            ? ETag.ForBody(body).Match(tag => response.WithHeader("ETag", tag), () => response)
            : response;
        return Decide(request, tagged, now);
    }

    /// <summary>
    /// The pure half of a conditional-GET middleware when the body is streamed or its tag was computed elsewhere:
    /// adds <paramref name="bodyTag"/> as the ETag when the response has none, then evaluates the request's
    /// preconditions.
    /// </summary>
    /// <param name="request">The request; anything but GET or HEAD proceeds with <paramref name="response"/> untouched.</param>
    /// <param name="response">The response about to be served.</param>
    /// <param name="bodyTag">The body's tag, or None (a streamed body: no ETag is added, as in Django).</param>
    /// <param name="now">The current time, used only to read two-digit years in RFC 850 dates.</param>
    /// <returns>As <see cref="ConditionalGet(RequestHead, ResponseHead, ReadOnlySpan{byte}, DateTimeOffset)"/>.</returns>
    /// <remarks>Django's <c>ConditionalGetMiddleware.process_response</c>; the ETag is added under the same no-store rule.</remarks>
    public static ConditionalOutcome ConditionalGet(RequestHead request, ResponseHead response, Option<EntityTag> bodyTag, DateTimeOffset now)
    {
        Guard.NotNull(request, nameof(request));
        Guard.NotNull(response, nameof(response));
        if (!IsMethod(request, "GET") && !IsMethod(request, "HEAD")) return ConditionalOutcome.Proceed(response);
        var tagged = NeedsETag(response)
            ? bodyTag.Match(tag => response.WithHeader("ETag", tag.ToString()), () => response)
            : response;
        return Decide(request, tagged, now);
    }

    private static ConditionalOutcome Decide(RequestHead request, ResponseHead response, DateTimeOffset now)
    {
        // An empty ETag or Last-Modified is no validator (Python's falsy ""); an unreadable ETag still is one.
        var etagText = response.Headers.Get("ETag").Filter(t => t.Length > 0);
        var lastModified = response.Headers.Get("Last-Modified").Bind(t => HttpDate.Parse(t, now));
        if (etagText.IsNone && lastModified.IsNone) return ConditionalOutcome.Proceed(response);
        var current = etagText.Match(
            text => EntityTag.Parse(text).Match(CurrentTag.Of, () => CurrentTag.Malformed),
            () => CurrentTag.None);
        return Evaluate(request, current, lastModified, response, now);
    }

    // An existing ETag is kept; Cache-Control: no-store (a whole piece, any case) asks for no tag at all.
    private static bool NeedsETag(ResponseHead response) =>
        !response.Headers.Contains("ETag") &&
        !response.Headers.Get("Cache-Control").Exists(cc =>
            HeaderText.SplitList(cc).Any(piece => piece.ToLowerInvariant() == "no-store"));
}
