using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// Conditional requests (RFC 9110 §13): the preconditions If-Match, If-Unmodified-Since, If-None-Match and
/// If-Modified-Since, evaluated in the RFC's order against the current ETag and last-modified time.
/// </summary>
/// <remarks>Pure: no I/O, and "now" is a parameter. Never throws on any header text. Thread-safe.</remarks>
public static partial class Conditional
{
    /// <summary>The headers a 304 copies from the full response (RFC 9110 §15.4.5, plus Last-Modified), and the cookies.</summary>
    private static readonly string[] NotModifiedHeaders =
        ["Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Last-Modified", "Vary", "Set-Cookie"];

    /// <summary>
    /// Evaluates the request's preconditions (RFC 9110 §13.2.2) against the current <paramref name="etag"/> and
    /// <paramref name="lastModified"/> time:
    /// <list type="number">
    /// <item>a given <paramref name="response"/> that is not 2xx is served unchanged;</item>
    /// <item>If-Match: 412 unless it is <c>*</c> with a current tag, or lists the current tag by strong comparison;</item>
    /// <item>only without If-Match, If-Unmodified-Since (a valid date): 412 unless the last-modified time is known and not later;</item>
    /// <item>If-None-Match: when it is <c>*</c> with a current tag, or lists the current tag by weak comparison,
    /// 304 for GET and HEAD, 412 for any other method;</item>
    /// <item>only without If-None-Match, If-Modified-Since (a valid date), GET or HEAD: 304 when the last-modified
    /// time is known and not later;</item>
    /// <item>otherwise proceed with <paramref name="response"/>.</item>
    /// </list>
    /// A tag field holding no well-formed tag, and a date field that is not an HTTP date, count as absent.
    /// </summary>
    /// <param name="request">The request, whose conditional header fields are read.</param>
    /// <param name="etag">The current representation's entity tag, if any.</param>
    /// <param name="lastModified">The current representation's last-modified time, if known; compared in whole seconds.</param>
    /// <param name="response">The response about to be served, if there is one; its headers feed a 304.</param>
    /// <param name="now">The current time, used only to read two-digit years in RFC 850 dates.</param>
    /// <returns>Proceed with <paramref name="response"/>, a 304 carrying only Cache-Control, Content-Location, Date,
    /// ETag, Expires, Last-Modified, Vary and Set-Cookie from <paramref name="response"/>, or an empty 412.</returns>
    /// <remarks>
    /// Django's <c>get_conditional_response(request, etag, last_modified, response)</c>. Methods compare
    /// case-insensitively, since Django upper-cases them. Unlike Django, an HTTP date or a last-modified time at the
    /// Unix epoch (1970-01-01T00:00:00Z) is a date like any other, not "absent" (Python's falsy 0).
    /// </remarks>
    public static ConditionalOutcome GetConditionalResponse(
        RequestHead request, Option<EntityTag> etag, Option<DateTimeOffset> lastModified, Option<ResponseHead> response, DateTimeOffset now)
    {
        Guard.NotNull(request, nameof(request));
        return Evaluate(request, etag.Match(CurrentTag.Of, () => CurrentTag.None), lastModified, response, now);
    }

    /// <summary>The current tag as the evaluation sees it: none, a well-formed tag, or a malformed one that matches only <c>*</c>.</summary>
    private readonly record struct CurrentTag(bool Exists, Option<EntityTag> Tag)
    {
        public static CurrentTag None => new(false, Option<EntityTag>.None);
        public static CurrentTag Malformed => new(true, Option<EntityTag>.None);
        public static CurrentTag Of(EntityTag tag) => new(true, tag);
    }

    private static ConditionalOutcome Evaluate(
        RequestHead request, CurrentTag current, Option<DateTimeOffset> lastModified, Option<ResponseHead> response, DateTimeOffset now)
    {
        if (response.Exists(r => r.Status is < 200 or > 299)) return ConditionalOutcome.Proceed(response);

        var headers = request.Headers;
        var ifMatch = EntityTag.ParseList(headers.Get("If-Match").IfNoneUnsafe((string?)null));
        var ifNoneMatch = EntityTag.ParseList(headers.Get("If-None-Match").IfNoneUnsafe((string?)null));
        var ifUnmodifiedSince = headers.Get("If-Unmodified-Since").Bind(t => HttpDate.Parse(t, now));
        var ifModifiedSince = headers.Get("If-Modified-Since").Bind(t => HttpDate.Parse(t, now));
        var modified = lastModified.Map(t => t.ToUnixTimeSeconds());
        var safe = IsMethod(request, "GET") || IsMethod(request, "HEAD");

        if (!ifMatch.IsEmpty && !IfMatchPasses(current, ifMatch))
            return Failed();

        if (ifMatch.IsEmpty && ifUnmodifiedSince.Exists(date => !modified.Exists(m => m <= date.ToUnixTimeSeconds())))
            return Failed();

        if (!ifNoneMatch.IsEmpty && !IfNoneMatchPasses(current, ifNoneMatch))
            return safe ? NotModified(response) : Failed();

        if (ifNoneMatch.IsEmpty && safe && ifModifiedSince.Exists(date => modified.Exists(m => m <= date.ToUnixTimeSeconds())))
            return NotModified(response);

        return ConditionalOutcome.Proceed(response);
    }

    // RFC 9110 §13.1.1: "*" needs a current representation; otherwise strong comparison, so a weak current tag never passes.
    private static bool IfMatchPasses(CurrentTag current, EntityTagList tags) =>
        current.Exists && (tags.IsAny || current.Tag.Exists(tags.MatchesStrong));

    // RFC 9110 §13.1.2: weak comparison; "*" fails whenever a current representation exists.
    private static bool IfNoneMatchPasses(CurrentTag current, EntityTagList tags) =>
        !current.Exists || (!tags.IsAny && !current.Tag.Exists(tags.MatchesWeak));

    private static ConditionalOutcome Failed() =>
        ConditionalOutcome.PreconditionFailed(new ResponseHead(412, HeaderMap.Empty));

    private static ConditionalOutcome NotModified(Option<ResponseHead> response)
    {
        var kept = response.Match(
            full => NotModifiedHeaders.Aggregate(HeaderMap.Empty, (map, name) =>
                full.Headers.Get(name).Match(value => map.Set(name, value), () => map)),
            () => HeaderMap.Empty);
        return ConditionalOutcome.NotModified(new ResponseHead(304, kept));
    }

    private static bool IsMethod(RequestHead request, string method) =>
        string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase);
}
