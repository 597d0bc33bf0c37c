namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The per-site cache's settings, Django's <c>CACHE_MIDDLEWARE_*</c>: an immutable value changed with its
/// <c>With…</c> methods, as in <c>app.UseFunctionalCache(o =&gt; o.WithSeconds(30).WithKeyPrefix("site1"))</c>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial record CacheMiddlewareOptions
{
    /// <summary>The defaults: 600 seconds, no prefix, every visitor, the default cache, query strings in the key.</summary>
    public static CacheMiddlewareOptions Default { get; } = new();

    /// <summary>How long a page is cached when the view sets no max-age of its own (Django's <c>CACHE_MIDDLEWARE_SECONDS</c>).</summary>
    /// <value>600 seconds. Zero or negative: pages get <c>max-age=0</c> and are not stored.</value>
    public long Seconds { get; init; } = CacheHeaders.DefaultSeconds;

    /// <summary>Text put into every key, so that sites sharing one cache do not collide (Django's <c>CACHE_MIDDLEWARE_KEY_PREFIX</c>).</summary>
    /// <value>The empty string.</value>
    public string KeyPrefix { get; init; } = "";

    /// <summary>
    /// When true, requests from an authenticated user (<c>HttpContext.User.Identity.IsAuthenticated</c>) are neither
    /// looked up nor stored (Django 1.0's <c>CACHE_MIDDLEWARE_ANONYMOUS_ONLY</c>). Authentication must then run before the cache.
    /// </summary>
    /// <value>False.</value>
    public bool AnonymousOnly { get; init; }

    /// <summary>
    /// Which cache to use (Django's <c>CACHE_MIDDLEWARE_ALIAS</c>): <c>"default"</c> is the <see cref="ICache"/> registered by
    /// <c>AddFunctionalCache</c>; any other name is a keyed <see cref="ICache"/> service registered under that name.
    /// </summary>
    /// <value><c>"default"</c>.</value>
    public string CacheAlias { get; init; } = DefaultAlias;

    /// <summary>How requests with a query string are treated.</summary>
    /// <value><see cref="QueryStringRule.PartOfKey"/>.</value>
    public QueryStringRule QueryStrings { get; init; } = QueryStringRule.PartOfKey;

    /// <summary>The largest body the cache buffers; a longer response is streamed to the client and not stored.</summary>
    /// <value>64 MiB (ASP.NET Core Output Caching's default).</value>
    public long MaximumBodySize { get; init; } = 64L * 1024 * 1024;

    /// <summary>The name of the default cache.</summary>
    public const string DefaultAlias = "default";

    /// <summary>A copy with another <see cref="Seconds"/>.</summary>
    public CacheMiddlewareOptions WithSeconds(long seconds) => this with { Seconds = seconds };

    /// <summary>A copy with another <see cref="KeyPrefix"/>.</summary>
    /// <exception cref="ArgumentNullException">The prefix is null.</exception>
    public CacheMiddlewareOptions WithKeyPrefix(string keyPrefix) => this with { KeyPrefix = Guard.NotNull(keyPrefix, nameof(keyPrefix)) };

    /// <summary>A copy with another <see cref="AnonymousOnly"/>.</summary>
    public CacheMiddlewareOptions WithAnonymousOnly(bool anonymousOnly = true) => this with { AnonymousOnly = anonymousOnly };

    /// <summary>A copy with another <see cref="CacheAlias"/>.</summary>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    public CacheMiddlewareOptions WithCacheAlias(string cacheAlias)
    {
        Guard.That(!string.IsNullOrEmpty(cacheAlias), nameof(cacheAlias), "A cache alias must not be empty.");
        return this with { CacheAlias = cacheAlias };
    }

    /// <summary>A copy with another <see cref="QueryStrings"/> rule.</summary>
    public CacheMiddlewareOptions WithQueryStrings(QueryStringRule rule) => this with { QueryStrings = rule };

    /// <summary>A copy with another <see cref="MaximumBodySize"/>.</summary>
    /// <exception cref="ArgumentException">The size is not positive.</exception>
    public CacheMiddlewareOptions WithMaximumBodySize(long bytes)
    {
        Guard.That(bytes > 0, nameof(bytes), "The maximum body size must be greater than 0.");
        return this with { MaximumBodySize = bytes };
    }

    /// <summary>Tags for every page this cache stores, so that <see cref="IPageCache.EvictByTagAsync"/> purges them together.</summary>
    /// <value>None.</value>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A copy whose pages carry <paramref name="tags"/> (added to the endpoint's <c>.Tag(…)</c> tags in a <c>CachePage</c>).</summary>
    /// <exception cref="ArgumentException">A tag is empty or holds whitespace or a control character.</exception>
    public CacheMiddlewareOptions WithTags(params string[] tags) =>
        this with { Tags = FunctionalCache.Backends.Tags.TagStamp.CheckAll(tags, nameof(tags)) };
}
