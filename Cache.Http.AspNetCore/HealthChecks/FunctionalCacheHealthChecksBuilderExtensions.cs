using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Adds FunctionalCache's caches to ASP.NET Core's health checks: <c>services.AddHealthChecks().AddFunctionalCache()</c>.</summary>
public static class FunctionalCacheHealthChecksBuilderExtensions
{
    /// <summary>
    /// One <see cref="CacheHealthCheck"/> per cache alias, named <c>functionalcache:alias</c> and tagged
    /// <see cref="CacheHealthCheck.Tag"/>: the given <paramref name="aliases"/>, or, when none is given, every alias the
    /// <see cref="ICacheProvider"/> of <c>AddFunctionalCache(configuration)</c> knows (just <c>default</c> after
    /// <c>AddFunctionalCache(uri)</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An alias is empty.</exception>
    public static IHealthChecksBuilder AddFunctionalCache(this IHealthChecksBuilder builder, params string[] aliases) =>
        builder.AddFunctionalCache(CacheHealthCheckOptions.Default.WithAliases(aliases));

    /// <summary>As <see cref="AddFunctionalCache(IHealthChecksBuilder, string[])"/>, with every option.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// The aliases are read when the health check service first runs, so this may come before or after
    /// <c>AddFunctionalCache(configuration)</c>. An alias that names no cache is reported as failing, with the configured ones.
    /// </remarks>
    public static IHealthChecksBuilder AddFunctionalCache(this IHealthChecksBuilder builder, CacheHealthCheckOptions options)
    {
        Guard.NotNull(builder, nameof(builder));
        Guard.NotNull(options, nameof(options));
        var tags = options.Tags.Add(CacheHealthCheck.Tag).Distinct().ToArray();
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(services =>
            new ConfigureOptions<HealthCheckServiceOptions>(health =>
            {
                foreach (var alias in AliasesToCheck(services, options))
                    health.Registrations.Add(new HealthCheckRegistration(CacheHealthCheck.NameFor(alias),
                        scoped => new CacheHealthCheck(alias, () => CacheOf(scoped, alias), options), options.FailureStatus, tags));
            }));
        return builder;
    }

    private static IEnumerable<string> AliasesToCheck(IServiceProvider services, CacheHealthCheckOptions options)
    {
        if (!options.Aliases.IsEmpty) return options.Aliases.Distinct();
        if (services.GetService<ICacheProvider>() is { } provider) return provider.Aliases;
        return new[] { CacheMiddlewareOptions.DefaultAlias };
    }

    // As the page cache resolves an alias: a configured one through the provider, else the default or a keyed ICache.
    private static ICache CacheOf(IServiceProvider services, string alias)
    {
        var provider = services.GetService<ICacheProvider>();
        if (provider is not null && provider.Aliases.Exists(a => a == alias)) return provider[alias];
        var cache = alias == CacheMiddlewareOptions.DefaultAlias ? services.GetService<ICache>() : services.GetKeyedService<ICache>(alias);
        if (cache is not null) return cache;
        if (provider is not null) return provider[alias];
        throw new InvalidOperationException(alias == CacheMiddlewareOptions.DefaultAlias
            ? "No cache is registered: call services.AddFunctionalCache(uri) or AddFunctionalCache(configuration)."
            : $"No cache is registered under the alias '{alias}': configure it with AddFunctionalCache(configuration) or register a keyed ICache.");
    }
}
