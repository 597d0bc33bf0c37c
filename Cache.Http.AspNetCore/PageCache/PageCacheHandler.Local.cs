using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

// The local page cache (LocalPages, docs/page-cache-local.md) on the lookup path: a lookup it answers reads nothing
// from the backend. It keeps what a backend lookup found, the URL's header list and the variant's decoded GET page,
// each with the stamp tags it was found under, so a request with other tags (another endpoint's) never uses it.
internal sealed partial class PageCacheHandler
{
    // What an entry costs besides its strings and body: the dictionary node, the list node, the entry object.
    private const long EntryOverhead = 160;

    /// <summary>The lookup answered from the local copies: a fresh page of this variant under the same tags; null otherwise.</summary>
    private Lookup? LookupLocally(LocalPages local, HttpRequest request, UrlKeyMemo.Keys url, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        if (local.Find(new LocalPageKey(this, url.HeaderKey), now) is not { Value: string[] list } headers || !headers.SameTags(tags)) return null;
        var key = list.Length == 0 ? url.GetPageKey : PageCacheKeys.GetCacheKey(HttpHeads.Request(request, list), list, _options.KeyPrefix);
        if (local.Find(new LocalPageKey(this, key), now) is not { Value: ServedEntry page } found || !found.SameTags(tags)) return null;
        if (page.FreshnessAt(now) != PageFreshness.Fresh) return null;
        return new Lookup(page, list.Length == 0 ? CacheStatusForward.UriMiss : CacheStatusForward.VaryMiss, null, found.StoredKey, Local: true);
    }

    /// <summary>Keeps the header list a backend lookup read for the URL.</summary>
    private void RememberHeaderList(LocalPages local, string headerKey, string[] list, IReadOnlyList<string> tags, DateTimeOffset now, long generation)
    {
        var size = EntryOverhead + 2L * headerKey.Length;
        foreach (var name in list) size += 2L * name.Length + 24;
        local.Remember(new LocalPageKey(this, headerKey), list, tags, headerKey, size, now, DateTimeOffset.MaxValue, generation);
    }

    /// <summary>Keeps a fresh page a backend lookup read, until its freshness ends at the latest.</summary>
    /// <remarks>
    /// The end of freshness is the page's lifetime, which a node with local pages always stores (StoredForm), so it is
    /// the backend's own deadline; a page stored without one (by a node without local pages) ends at its Expires, which
    /// the page cache sets to the backend's deadline unless the view set its own.
    /// </remarks>
    private void RememberPage(LocalPages local, string key, string storedKey, ServedEntry page, IReadOnlyList<string> tags, DateTimeOffset now, long generation)
    {
        if (page.FreshnessAt(now) != PageFreshness.Fresh) return;
        var freshUntil = page.Lifetime?.FreshUntil
            ?? page.ExpiresAt.Match(at => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(at, 0, 253402300799)), () => DateTimeOffset.MaxValue);
        local.Remember(new LocalPageKey(this, key), page, tags, storedKey, EntryOverhead + 2L * (key.Length + storedKey.Length) + page.Size, now, freshUntil, generation);
    }
}
