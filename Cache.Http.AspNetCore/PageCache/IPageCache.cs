using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Purges cached pages: every variant of one URL, or every page of a tag. Registered by <c>AddFunctionalCache</c>;
/// resolve it from the services (<c>app.Services.GetRequiredService&lt;IPageCache&gt;()</c>).
/// </summary>
/// <remarks>
/// Both act on the default cache and every configured cache alias, and are exact: once the task answers
/// <c>Right</c>, no page they purged is served, on this node or on any other sharing the cache (see docs/tags.md).
/// A <c>Left</c> means the backend could not record the purge: it may not have happened. Thread-safe.
/// </remarks>
public interface IPageCache
{
    /// <summary>
    /// Purges every stored page of <paramref name="url"/>: all its variants (the values of the headers it varies on, its
    /// languages), its GET and HEAD pages, in the per-site cache and in every <c>CachePage</c> endpoint.
    /// </summary>
    /// <param name="url">The absolute URL as clients request it, e.g. <c>https://example.com/articles/1?page=2</c>.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns><c>Right</c> when done; <c>Left(BackendFailure)</c> when a cache could not record it.</returns>
    /// <exception cref="ArgumentException">The URL is not absolute.</exception>
    Task<Either<CacheError, Unit>> PurgeAsync(string url, CancellationToken cancellationToken = default);

    /// <summary>Purges every stored page tagged <paramref name="tag"/> (<c>.Tag("articles")</c> or the per-site cache's tags), and every cache entry of that tag written through a <c>TaggedCache</c> on the same cache.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the eviction.</param>
    /// <returns><c>Right</c> when done; <c>Left(BackendFailure)</c> when a cache could not record it.</returns>
    /// <exception cref="ArgumentException">The tag is empty or holds whitespace or a control character.</exception>
    Task<Either<CacheError, Unit>> EvictByTagAsync(string tag, CancellationToken cancellationToken = default);
}
