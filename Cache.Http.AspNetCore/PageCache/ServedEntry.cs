using System.Globalization;
using LanguageExt;
using Microsoft.Extensions.Primitives;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// A stored page ready to replay: its fields as ASP.NET Core values, its body, and the instant its <c>Age</c> counts
/// from. A page cache decodes a page's bytes once and replays the decode while it reads the same bytes
/// (<see cref="DecodedPages"/>).
/// </summary>
/// <remarks>Immutable, so thread-safe.</remarks>
internal sealed class ServedEntry
{
    private ServedEntry(int status, KeyValuePair<string, StringValues>[] fields, byte[] body, Option<long> ageOrigin, Option<long> expiresAt, PageLifetime? lifetime)
    {
        Lifetime = lifetime;
        Status = status;
        Fields = fields;
        Body = body;
        AgeOrigin = ageOrigin;
        ExpiresAt = expiresAt;
        long size = body.Length;
        foreach (var (name, value) in fields) size += 2L * (name.Length + value.ToString().Length) + 48;
        Size = size;
    }

    public int Status { get; }

    public KeyValuePair<string, StringValues>[] Fields { get; }

    public byte[] Body { get; }

    /// <summary>The bytes the page holds in memory, estimated: its body and its fields' characters (the local page cache's bound).</summary>
    public long Size { get; }

    /// <summary>The page's freshness deadline and stale windows (RFC 5861), or null for a page stored without: fresh while kept.</summary>
    public PageLifetime? Lifetime { get; }

    /// <summary>Where the page stands at <paramref name="now"/>; a page without a lifetime is fresh while the backend keeps it.</summary>
    public PageFreshness FreshnessAt(DateTimeOffset now) => Lifetime?.At(now) ?? PageFreshness.Fresh;

    /// <summary>Expires less max-age, in Unix seconds: <c>Age = max(0, now - origin)</c> (see <see cref="PageCacheRules.Age"/>).</summary>
    public Option<long> AgeOrigin { get; }

    /// <summary>The page's Expires, in Unix seconds, when readable.</summary>
    public Option<long> ExpiresAt { get; }

    /// <summary>The freshness the page has left at <paramref name="now"/> (Cache-Status <c>ttl</c>): Expires less now, in seconds.</summary>
    public Option<long> TtlAt(DateTimeOffset now) => ExpiresAt.Map(expires => expires - now.ToUnixTimeSeconds());

    /// <summary>The <c>Age</c> value at <paramref name="now"/>; false when the page has no numeric max-age or readable Expires.</summary>
    /// <remarks>On every hit, so it allocates nothing for the ages a page usually has (under an hour).</remarks>
    public bool TryAgeAt(DateTimeOffset now, out string age)
    {
        age = "";
        if (AgeOrigin.IsNone) return false;
        var seconds = Math.Max(0, now.ToUnixTimeSeconds() - AgeOrigin.IfNone(0));
        age = seconds < SmallAges.Length ? SmallAges[seconds] : seconds.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static readonly string[] SmallAges =
        Enumerable.Range(0, 3600).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The entry stored as <paramref name="bytes"/>, or None when they are no valid encoding.</summary>
    public static Option<ServedEntry> Decode(byte[] bytes) => CachedResponse.Decode(bytes).Map(FromResponse);

    private static ServedEntry FromResponse(CachedResponse response)
    {
        var head = new ResponseHead(response.Status, response.Headers);
        var fields = response.Headers.Select(f => new KeyValuePair<string, StringValues>(f.Key, f.Value)).ToArray();
        var expires = head.Headers.Get("Expires").Bind(text => HttpDate.Parse(text, DateTimeOffset.UtcNow)).Map(at => at.ToUnixTimeSeconds());
        return new ServedEntry(response.Status, fields, response.Body, Origin(head, expires), expires, response.Lifetime.MatchUnsafe(l => l, () => null));
    }

    // Age = max-age - (Expires - now) = now - (Expires - max-age): the origin does not depend on now. The clock only
    // resolves two-digit years, which an Expires we wrote (IMF-fixdate) never has.
    private static Option<long> Origin(ResponseHead head, Option<long> expires)
    {
        var maxAge = CacheHeaders.GetMaxAge(head);
        return from age in maxAge
               from at in expires
               select at - age;
    }
}
