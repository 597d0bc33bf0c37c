using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Turns on the local page cache: an in-process copy of decoded pages in front of the page cache's backend.</summary>
public static class LocalPageCacheServiceCollectionExtensions
{
    /// <summary>The local page cache with the default bounds (<see cref="LocalPageOptions.Default"/>: 1 s, 1,000 entries, 64 MiB).</summary>
    /// <exception cref="ArgumentNullException">The services are null.</exception>
    public static IServiceCollection AddLocalPageCache(this IServiceCollection services) => services.AddLocalPageCache(o => o);

    /// <summary>
    /// The local page cache with the bounds <paramref name="configure"/> makes from the defaults:
    /// <c>services.AddLocalPageCache(o =&gt; o.WithLifetime(TimeSpan.FromSeconds(5)))</c>. Every per-site cache and
    /// <c>CachePage</c> of the application keeps the pages it reads from its backend there, for at most the lifetime.
    /// </summary>
    /// <remarks>
    /// Off unless called: a purge on another node reaches this node's copies only when their lifetime ends, which
    /// weakens <see cref="IPageCache"/>'s guarantee across nodes from "at once" to "within the lifetime" (docs/page-cache-local.md).
    /// A purge through <see cref="IPageCache"/> on this node drops them at once. Calling it again replaces the bounds.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="configure"/> returns null.</exception>
    public static IServiceCollection AddLocalPageCache(this IServiceCollection services, Func<LocalPageOptions, LocalPageOptions> configure)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(configure, nameof(configure));
        var options = Guard.NotNull(configure(LocalPageOptions.Default), nameof(configure));
        services.Replace(ServiceDescriptor.Singleton(new LocalPages(options)));
        return services;
    }
}
