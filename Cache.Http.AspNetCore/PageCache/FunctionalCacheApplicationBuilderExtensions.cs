using Microsoft.AspNetCore.Builder;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Installs the per-site cache and the conditional-GET middleware in an ASP.NET Core pipeline.</summary>
/// <remarks>
/// Placement, as in Django's MIDDLEWARE list: <c>UseConditionalGet()</c> first (so cached pages get 304s too), then
/// <c>UseFunctionalCache(...)</c>, then compression, session and localization (so the cache sees their Vary), then the
/// application. With <see cref="CacheMiddlewareOptions.AnonymousOnly"/>, authentication must come before the cache.
/// </remarks>
public static class FunctionalCacheApplicationBuilderExtensions
{
    /// <summary>The per-site cache with the default options (600 seconds, no prefix, every visitor, the default cache).</summary>
    /// <exception cref="InvalidOperationException">No cache is registered under the alias.</exception>
    public static IApplicationBuilder UseFunctionalCache(this IApplicationBuilder app) => app.UseFunctionalCache(o => o);

    /// <summary>
    /// The per-site cache (Django's <c>CacheMiddleware</c>: its fetch and update halves in one middleware) with the options
    /// <paramref name="configure"/> makes from the defaults: <c>app.UseFunctionalCache(o =&gt; o.WithSeconds(30))</c>.
    /// </summary>
    /// <remarks>
    /// GET and HEAD requests are looked up and their responses stored under DESIGN.md's rules
    /// (<see cref="PageCacheRules.DecideUpdate"/>); answers carry a <c>Cache-Status</c> member (<c>FunctionalCache; hit; ttl=N</c>,
    /// <c>FunctionalCache; fwd=uri-miss; stored</c>, …) and <c>X-Cache: HIT</c> (with <c>Age</c>) or <c>X-Cache: MISS</c>;
    /// the counts go to <see cref="CacheCounters.Site"/>.
    /// Requests with Authorization are never answered from the cache. A backend failure is logged and served as a miss.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="configure"/> returns null.</exception>
    /// <exception cref="InvalidOperationException">No cache is registered under the alias.</exception>
    public static IApplicationBuilder UseFunctionalCache(this IApplicationBuilder app, Func<CacheMiddlewareOptions, CacheMiddlewareOptions> configure)
    {
        Guard.NotNull(app, nameof(app));
        Guard.NotNull(configure, nameof(configure));
        var options = Guard.NotNull(configure(CacheMiddlewareOptions.Default), nameof(configure));
        var services = PageCacheServices.Resolve(app.ApplicationServices, options.CacheAlias, typeof(PageCacheHandler).FullName!);
        var handler = new PageCacheHandler(options, None, Some(services));
        return app.Use(handler.Wrap);
    }

    /// <summary>Conditional GET for every page (Django's <c>ConditionalGetMiddleware</c>): see <see cref="Decorators.ConditionalGet"/>.</summary>
    /// <exception cref="ArgumentNullException">The builder is null.</exception>
    public static IApplicationBuilder UseConditionalGet(this IApplicationBuilder app) =>
        Guard.NotNull(app, nameof(app)).Use(Decorators.ConditionalGet());
}
