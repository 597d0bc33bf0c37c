using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Remembers, per request URL, the results of the pure key functions that depend on the URL alone: the header key
/// and the GET and HEAD page keys for an empty header list (a page without Vary). Bounded: emptied when it reaches
/// its capacity. The values are exactly what <see cref="PageCacheKeys"/> returns; this only avoids recomputing them.
/// </summary>
/// <remarks>Thread-safe (a concurrent dictionary of immutable values).</remarks>
internal sealed class UrlKeyMemo
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, Keys> _keys = new(StringComparer.Ordinal);
    private readonly string _prefix;

    public UrlKeyMemo(string prefix) => _prefix = prefix;

    /// <summary>The keys of one URL.</summary>
    public sealed record Keys(RequestHead Bare, string HeaderKey, string GetPageKey, string HeadPageKey);

    public Keys For(HttpRequest request)
    {
        // Length-prefixed parts, so that no two different URLs share a memo key (a decoded path may hold '?').
        var scheme = request.Scheme;
        var host = request.Host.Value ?? "";
        var pathBase = request.PathBase.Value ?? "";
        var path = request.Path.Value ?? "";
        var query = request.QueryString.Value ?? "";
        var id = string.Concat(
            [scheme.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", scheme,
             host.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", host,
             pathBase.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", pathBase,
             path.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", path, query]);
        if (_keys.TryGetValue(id, out var known)) return known;
        var bare = HttpHeads.Request(request, []);
        var keys = new Keys(
            bare,
            PageCacheKeys.GenerateCacheHeaderKey(_prefix, bare),
            PageCacheKeys.GetCacheKey(bare, [], _prefix),
            PageCacheKeys.GetCacheKey(bare, [], _prefix, "HEAD"));
        if (_keys.Count >= Capacity) _keys.Clear();
        _keys[id] = keys;
        return keys;
    }
}
