using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Remembers, per request URL, the results of the pure key functions that depend on the URL alone: the header key
/// the GET and HEAD page keys for an empty header list (a page without Vary), and the tag of the URL's page stamp. Bounded: emptied when it reaches
/// its capacity. The values are exactly what <see cref="PageCacheKeys"/> returns; this only avoids recomputing them.
/// </summary>
/// <remarks>Thread-safe (a concurrent dictionary of immutable values).</remarks>
internal sealed class UrlKeyMemo
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<Url, Keys> _keys = new();
    private readonly string _prefix;

    public UrlKeyMemo(string prefix) => _prefix = prefix;

    /// <summary>The keys of one URL.</summary>
    public sealed record Keys(RequestHead Bare, string HeaderKey, string GetPageKey, string HeadPageKey, string UrlTag);

    // The parts as Kestrel already holds them: a hit allocates nothing (no concatenated id), and parts compared one by
    // one never let two different URLs share an entry (a decoded path may hold '?').
    private readonly record struct Url(string Scheme, string Host, string PathBase, string Path, string Query);

    public Keys For(HttpRequest request)
    {
        var id = new Url(request.Scheme, request.Host.Value ?? "", request.PathBase.Value ?? "", request.Path.Value ?? "", request.QueryString.Value ?? "");
        if (_keys.TryGetValue(id, out var known)) return known;
        var bare = HttpHeads.Request(request, []);
        var keys = new Keys(
            bare,
            PageCacheKeys.GenerateCacheHeaderKey(_prefix, bare),
            PageCacheKeys.GetCacheKey(bare, [], _prefix),
            PageCacheKeys.GetCacheKey(bare, [], _prefix, "HEAD"),
            PageStamps.UrlTag(bare));
        if (_keys.Count >= Capacity) _keys.Clear();
        _keys[id] = keys;
        return keys;
    }
}
