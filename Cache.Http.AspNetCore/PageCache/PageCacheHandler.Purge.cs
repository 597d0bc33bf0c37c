using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

// The stamps a page is keyed by (PageStamps): its URL's, so IPageCache.PurgeAsync reaches every variant, and its tags'.
internal sealed partial class PageCacheHandler
{
    /// <summary>The stamp tags of this request's page: the URL's first, then the page's tags in order.</summary>
    /// <remarks>The URL's stamp tag is an MD5 of the URL, remembered with its other keys rather than hashed per request.</remarks>
    private IReadOnlyList<string> StampTags(HttpContext context) =>
        [_urlKeys.For(context.Request).UrlTag, .. PageCacheTags.Of(context, _options.Tags, viewLayer: _pageTimeout.IsSome)];

    /// <summary>The stamp tags of this request's page, kept for the store of this request, so a decorator that runs later cannot make the two differ.</summary>
    /// <remarks>A lookup reads their stamps (PageStamps.ReadSuffixAsync): a stamp that is missing (purged, expired or never stored) is a miss.</remarks>
    private IReadOnlyList<string> LookupTags(HttpContext context)
    {
        var tags = StampTags(context);
        context.Items[this] = tags;
        return tags;
    }

    /// <summary>The page key suffix to store under, creating missing stamps; the URL's lasts as long as this page.</summary>
    private ValueTask<string> StoreSuffixAsync(HttpContext context, ICache cache, CacheTimeout timeout) =>
        PageStamps.SuffixForWriteAsync(cache, context.Items.TryGetValue(this, out var looked) && looked is IReadOnlyList<string> tags ? tags : StampTags(context), timeout);
}
