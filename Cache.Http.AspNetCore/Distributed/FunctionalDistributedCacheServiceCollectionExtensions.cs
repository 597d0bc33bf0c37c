using FunctionalCache.Http.AspNetCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionalCache.Http.Distributed;

/// <summary>Registers <see cref="FunctionalDistributedCache"/> as the application's <see cref="IDistributedCache"/>.</summary>
public static class FunctionalDistributedCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IDistributedCache"/> over the cache named <paramref name="alias"/> (the configured alias, or
    /// the default <see cref="ICache"/> for <c>"default"</c>), replacing any registered before (such as the in-memory one
    /// <c>AddSession</c> or <c>AddDistributedMemoryCache</c> may add); the clock is the registered <see cref="TimeProvider"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    public static IServiceCollection AddFunctionalDistributedCache(this IServiceCollection services, string alias = CacheMiddlewareOptions.DefaultAlias)
    {
        Guard.NotNull(services, nameof(services));
        Guard.That(!string.IsNullOrEmpty(alias), nameof(alias), "A cache alias must not be empty.");
        services.Replace(ServiceDescriptor.Singleton<IDistributedCache>(provider =>
        {
            var cache = provider.GetService<ICacheProvider>() is { } configured && configured.Aliases.Contains(alias) ? configured[alias]
                : alias == CacheMiddlewareOptions.DefaultAlias ? provider.GetRequiredService<ICache>()
                : provider.GetRequiredKeyedService<ICache>(alias);
            return new FunctionalDistributedCache(cache, provider.GetService<TimeProvider>());
        }));
        return services;
    }
}
