using FunctionalCache.Backends.Tags;
using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Tags for cached pages, so that <see cref="IPageCache.EvictByTagAsync"/> purges them together: on an endpoint
/// (<c>.CachePage(…).Tag("articles")</c>), as a decorator around a cached view (<see cref="Decorator"/>), or for the
/// whole per-site cache (<see cref="CacheMiddlewareOptions.WithTags"/>).
/// </summary>
/// <remarks>Thread-safe: immutable values.</remarks>
public static class PageCacheTags
{
    private static readonly object ItemKey = new();

    /// <summary>The endpoint metadata that <c>.Tag(…)</c> adds.</summary>
    internal sealed record Metadata(IReadOnlyList<string> Tags);

    /// <summary>
    /// A decorator that tags the pages cached inside it: <c>Decorators.CachePage(…)</c> written inside it (F#:
    /// <c>View.decorate [ tag [ "articles" ]; cachePage 60 ]</c>) stores and looks pages up with these tags.
    /// </summary>
    /// <param name="tags">The tags.</param>
    /// <exception cref="ArgumentException">A tag is empty or holds whitespace or a control character.</exception>
    public static Func<RequestDelegate, RequestDelegate> Decorator(params string[] tags)
    {
        var checkedTags = TagStamp.CheckAll(tags, nameof(tags));
        return next => context =>
        {
            var current = context.Items.TryGetValue(ItemKey, out var known) && known is string[] outer ? outer.Concat(checkedTags).ToArray() : checkedTags;
            context.Items[ItemKey] = current;
            return next(context);
        };
    }

    /// <summary>The tags that apply to this request's page in a layer: the layer's own, and in a view layer the endpoint's and the enclosing decorators'.</summary>
    internal static IReadOnlyList<string> Of(HttpContext context, IReadOnlyList<string> layerTags, bool viewLayer)
    {
        // The per-site layer takes its own tags only: routing and decorators run inside it, after its lookup.
        if (!viewLayer) return layerTags;
        IEnumerable<string> tags = layerTags;
        if (context.GetEndpoint()?.Metadata.GetMetadata<Metadata>() is { } endpoint) tags = tags.Concat(endpoint.Tags);
        if (context.Items.TryGetValue(ItemKey, out var items) && items is string[] decorated) tags = tags.Concat(decorated);
        return tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}
