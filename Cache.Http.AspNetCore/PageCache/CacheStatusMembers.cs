using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The page cache's Cache-Status members (RFC 9211), built by <see cref="CacheStatus"/> and appended to the response:
/// <c>FunctionalCache; hit; ttl=N</c>, <c>FunctionalCache; fwd=uri-miss; stored</c>, and for a response that is not
/// stored <c>stored=?0</c> with the reason in <c>detail</c>.
/// </summary>
/// <remarks>
/// A layer appends its member once the response head is final for it: at once when it holds the response (a hit, a
/// buffered miss), when the response starts otherwise (a request it lets through, a streamed body). Either way the
/// member of an inner layer (a <c>CachePage</c> inside the per-site cache) comes first, as RFC 9211 orders caches from
/// the origin outwards. Thread-safe: the memo holds immutable strings.
/// </remarks>
internal static class CacheStatusMembers
{
    /// <summary>This cache's identifier in the field.</summary>
    public const string CacheName = "FunctionalCache";

    // A hit's member for the freshness most pages have left (under an hour), written once each.
    private static readonly string?[] HitMembers = new string?[3600];

    /// <summary>Appends the member of a hit whose response has <paramref name="ttl"/> seconds of freshness left (None: not known).</summary>
    public static void AppendHit(HttpResponse response, LanguageExt.Option<long> ttl)
    {
        var seconds = ttl.IfNone(-1);
        if (seconds is >= 0 and < 3600 && !response.Headers.ContainsKey(CacheStatus.FieldName))
            response.Headers[CacheStatus.FieldName] = HitMembers[seconds] ??= CacheStatus.Format(CacheStatusEntry.ForHit(CacheName).WithTtl(seconds));
        else
            AppendNow(response, ttl.Match(t => CacheStatusEntry.ForHit(CacheName).WithTtl(t), () => CacheStatusEntry.ForHit(CacheName)));
    }

    /// <summary>The member of a request sent on to the view for <paramref name="forward"/>, stored or not (with why).</summary>
    public static CacheStatusEntry Forwarded(string forward, bool stored, string? detail)
    {
        var entry = CacheStatusEntry.ForForward(CacheName, forward).WithStored(stored);
        return detail is null ? entry : entry.WithDetail(detail);
    }

    /// <summary>The member of a request the layer lets through without looking it up.</summary>
    public static CacheStatusEntry PassedThrough(string forward, string? detail)
    {
        var entry = CacheStatusEntry.ForForward(CacheName, forward);
        return detail is null ? entry : entry.WithDetail(detail);
    }

    /// <summary>Appends <paramref name="entry"/> to the response's Cache-Status field now, after any member already there.</summary>
    public static void AppendNow(HttpResponse response, CacheStatusEntry entry)
    {
        var headers = response.Headers;
        headers[CacheStatus.FieldName] = CacheStatus.Append(headers.TryGetValue(CacheStatus.FieldName, out var existing) ? existing.ToString() : "", entry);
    }

    /// <summary>Appends <paramref name="entry"/> when the response starts.</summary>
    public static void AppendAtStart(HttpResponse response, CacheStatusEntry entry) =>
        response.OnStarting(static state =>
        {
            var (response, entry) = ((HttpResponse, CacheStatusEntry))state;
            AppendNow(response, entry);
            return Task.CompletedTask;
        }, (response, entry));
}
