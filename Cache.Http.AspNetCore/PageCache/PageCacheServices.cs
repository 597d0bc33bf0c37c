using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>What a page cache or decorator takes from the application's services: the cache, the counters, a logger, the clock and the local page cache.</summary>
internal sealed record PageCacheServices(ICache Cache, CacheCounters Counters, ILogger Logger, TimeProvider Time)
{
    /// <summary>The application's local page cache (<c>AddLocalPageCache</c>), or null when it has none.</summary>
    public LocalPages? Local { get; init; }

    /// <summary>
    /// Resolves the services: the cache named <paramref name="alias"/> (<c>"default"</c>: the registered <see cref="ICache"/>;
    /// otherwise the keyed <see cref="ICache"/> of that name), the shared counters, a logger and the registered
    /// <see cref="TimeProvider"/> or the system clock.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such cache is registered; the message says how to register it.</exception>
    public static PageCacheServices Resolve(IServiceProvider services, string alias, string category)
    {
        // A configured alias resolves through the provider, so the page cache and ICacheProvider agree.
        var cache = services.GetService<ICacheProvider>() is { } configured && configured.Aliases.Contains(alias) ? configured[alias]
            : alias == CacheMiddlewareOptions.DefaultAlias ? services.GetService<ICache>()
            : services.GetKeyedService<ICache>(alias);
        if (cache is null)
            throw new InvalidOperationException(alias == CacheMiddlewareOptions.DefaultAlias
                ? "No cache is registered: call services.AddFunctionalCache(uri) before using the page cache."
                : $"No cache named '{alias}' is registered: register a keyed ICache service under '{alias}' (services.AddKeyedSingleton<ICache>(\"{alias}\", ...)).");
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;
        return new PageCacheServices(
            cache,
            services.GetService<CacheCounters>() ?? new CacheCounters(),
            logger,
            services.GetService<TimeProvider>() ?? TimeProvider.System)
        {
            Local = services.GetService<LocalPages>(),
        };
    }
}
