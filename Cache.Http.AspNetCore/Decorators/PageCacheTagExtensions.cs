using FunctionalCache.Backends.Tags;
using Microsoft.AspNetCore.Builder;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Tags an endpoint's cached pages: <c>app.MapGet("/articles/{id}", …).CachePage(TimeSpan.FromMinutes(5)).Tag("articles")</c>.</summary>
public static class PageCacheTagExtensions
{
    /// <summary>
    /// Tags the pages that the endpoint's <c>CachePage</c> stores, so that <see cref="IPageCache.EvictByTagAsync"/> purges
    /// them. Order does not matter: the tags are endpoint metadata, read by <c>CachePage</c> on every request.
    /// </summary>
    /// <param name="builder">The endpoint.</param>
    /// <param name="tags">The tags.</param>
    /// <exception cref="ArgumentException">A tag is empty or holds whitespace or a control character.</exception>
    public static TBuilder Tag<TBuilder>(this TBuilder builder, params string[] tags) where TBuilder : IEndpointConventionBuilder
    {
        Guard.NotNull<object>(builder, nameof(builder));
        var metadata = new PageCacheTags.Metadata(TagStamp.CheckAll(tags, nameof(tags)));
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
