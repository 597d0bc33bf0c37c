using FunctionalCache.Backends.Tags;
using LanguageExt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The <see cref="IPageCache"/> that <c>AddFunctionalCache</c> registers: it purges in the default cache and in every
/// configured alias (the caches a page cache can use), through the stamps page keys end with (docs/tags.md).
/// </summary>
/// <remarks>
/// A URL purge deletes the URL's stamp; a tag eviction stores a fresh nonce in the tag's stamp. Either is one write per
/// cache, whatever the number of pages; then this node's local page cache (<c>AddLocalPageCache</c>) drops its copies. A failure is logged and answered as <c>Left</c>, never as done. Thread-safe.
/// </remarks>
public sealed class PageCache : IPageCache
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    /// <summary>A page cache purger over the caches of <paramref name="services"/>.</summary>
    public PageCache(IServiceProvider services)
    {
        _services = Guard.NotNull(services, nameof(services));
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(PageCache).FullName!) ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> PurgeAsync(string url, CancellationToken cancellationToken = default)
    {
        var tag = PageStamps.UrlTag(RequestOf(url));
        return ThenLocally(tag, OnEveryCacheAsync($"purge of {url}", cache => Deleted(cache.TryDeleteAsync(TagStamp.KeyOf(tag), null, cancellationToken))));
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> EvictByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        TagStamp.Check(tag, nameof(tag));
        return ThenLocally(tag, OnEveryCacheAsync($"eviction of tag {tag}", cache => TagStamps.EvictAsync(cache, tag, cancellationToken)));
    }

    /// <summary>
    /// Drops this node's local copies of the pages stamped with <paramref name="tag"/> once the backends have been
    /// told, whatever they answered: a lookup that read the backend before the purge then stores no copy after it.
    /// </summary>
    private async Task<Either<CacheError, Unit>> ThenLocally(string tag, Task<Either<CacheError, Unit>> purging)
    {
        try { return await purging.ConfigureAwait(false); }
        finally { _services.GetService<LocalPages>()?.Purge(tag); }
    }

    /// <summary>The request head whose page keys <paramref name="url"/> names (path decoded as Kestrel decodes it).</summary>
    private static RequestHead RequestOf(string url)
    {
        Guard.That(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
            nameof(url), $"A page URL must be absolute (http or https), as clients request it: '{url}'.");
        return RequestHead.Get(uri!.Scheme, uri.Authority, Uri.UnescapeDataString(uri.AbsolutePath), uri.Query.TrimStart('?'));
    }

    private static async Task<Either<CacheError, Unit>> Deleted(Task<Either<CacheError, bool>> deleting) =>
        (await deleting.ConfigureAwait(false)).Map(_ => Unit.Default);

    /// <summary>Runs the purge on every distinct cache; the first failure is the answer, after every cache was tried.</summary>
    private async Task<Either<CacheError, Unit>> OnEveryCacheAsync(string what, Func<ICache, Task<Either<CacheError, Unit>>> purge)
    {
        Either<CacheError, Unit> answer = Unit.Default;
        foreach (var cache in Caches())
        {
            Either<CacheError, Unit> done;
            try { done = await purge(cache).ConfigureAwait(false); }
            catch (CacheBackendException e) { done = CacheError.Failed(CacheError.AllKeys, e); }
            done.IfLeft(error => _logger.LogWarning("Page cache {What} failed: {Message}", what, error.Message));
            if (answer.IsRight && done.IsLeft) answer = done;
        }
        return answer;
    }

    private IEnumerable<ICache> Caches()
    {
        var seen = new System.Collections.Generic.HashSet<ICache>(ReferenceEqualityComparer.Instance);
        if (_services.GetService<ICache>() is { } main && seen.Add(main)) yield return main;
        if (_services.GetService<ICacheProvider>() is not { } provider) yield break;
        foreach (var alias in provider.Aliases)
            if (seen.Add(provider[alias])) yield return provider[alias];
    }
}
