using FunctionalCache.Backends;
using LanguageExt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Registers FunctionalCache's default cache and the page cache's counters with ASP.NET Core's services.</summary>
public static class FunctionalCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cache <paramref name="uri"/> describes (<c>locmem:///</c>, <c>db://table?database=…</c>,
    /// <c>memcached://h1:11211;h2:11212/</c>, …) as the default <see cref="ICache"/>, built on first use with the
    /// application's logger and (when registered) <see cref="TimeProvider"/> and <see cref="ICacheSerializer"/>, plus one
    /// <see cref="CacheCounters"/>. As a configured cache is, it is wrapped in an
    /// <see cref="Backends.Diagnostics.InstrumentedCache"/> tagged with the alias <c>"default"</c>, and disposed with the container.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is malformed or names an unknown scheme; the message lists every problem.</exception>
    /// <remarks>The URI's syntax is checked here; the backend's own arguments when the cache is built, where unknown arguments and bad values are warnings logged through the application's logger, as the seed says. Named caches come with configuration binding.</remarks>
    public static IServiceCollection AddFunctionalCache(this IServiceCollection services, string uri)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(uri, nameof(uri));
        var problems = BackendUri.TryParse(uri)
            .Match(Succ: _ => "", Fail: errors => string.Join(Environment.NewLine, errors.Map(e => e.Message)));
        Guard.That(problems.Length == 0, nameof(uri), $"The cache URI {MessageText.Quoted(BackendUri.Redact(uri))} is not valid:{Environment.NewLine}{problems}");
        // The configuration path's provider with one alias: the same build, instrumentation, logger and disposal.
        services.TryAddSingleton(provider => new CacheProvider(
            Seq1(new CacheSettings(CacheMiddlewareOptions.DefaultAlias, uri, Option<CacheTimeout>.None, Option<string>.None, Option<int>.None)), provider));
        services.TryAddSingleton<ICache>(provider => provider.GetRequiredService<CacheProvider>().Default);
        services.TryAddSingleton<CacheCounters>();
        services.TryAddSingleton<IPageCache, PageCache>();
        return services;
    }

    /// <summary>Registers <paramref name="cache"/> as the default <see cref="ICache"/>, plus one <see cref="CacheCounters"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddFunctionalCache(this IServiceCollection services, ICache cache)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(cache, nameof(cache));
        services.TryAddSingleton(cache);
        services.TryAddSingleton<CacheCounters>();
        services.TryAddSingleton<IPageCache, PageCache>();
        return services;
    }

    /// <summary>
    /// Registers the caches a Django <c>CACHES</c>-like <paramref name="configuration"/> section names (see
    /// <see cref="CacheConfiguration"/>): an <see cref="ICacheProvider"/>, a keyed <see cref="ICache"/> per alias, the
    /// <c>"default"</c> cache as the <see cref="ICache"/> (replacing one registered before), plus one <see cref="CacheCounters"/>.
    /// Each cache is wrapped in an <see cref="Backends.Diagnostics.InstrumentedCache"/> tagged with its alias.
    /// </summary>
    /// <exception cref="ArgumentException">The section is invalid; the message has a header line and one line per problem.</exception>
    /// <remarks>
    /// The section is validated here, at start-up; each cache is built on first use, with the application's logger and
    /// (when registered) <see cref="TimeProvider"/> and <see cref="ICacheSerializer"/>.
    /// </remarks>
    public static IServiceCollection AddFunctionalCache(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(configuration, nameof(configuration));
        var settings = CacheConfiguration.Read(configuration);
        services.AddSingleton<ICacheProvider>(provider => new CacheProvider(settings, provider));
        foreach (var alias in settings.Map(s => s.Alias))
            services.AddKeyedSingleton<ICache>(alias, (provider, _) => provider.GetRequiredService<ICacheProvider>()[alias]);
        services.Replace(ServiceDescriptor.Singleton<ICache>(provider => provider.GetRequiredService<ICacheProvider>().Default));
        services.TryAddSingleton<CacheCounters>();
        services.TryAddSingleton<IPageCache, PageCache>();
        return services;
    }
}
