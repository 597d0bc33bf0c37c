using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The view decorators on endpoints: <c>app.MapGet("/foo/{n}/", handler).CachePage(TimeSpan.FromMinutes(15)).VaryOnCookie()</c>.
/// Each wraps the endpoint's <see cref="RequestDelegate"/> with the matching <see cref="Decorators"/> function.
/// </summary>
/// <remarks>
/// Order does not matter: <c>CachePage</c> is applied after every other convention, so it always encloses the header
/// decorators and stores what they produce (Django needs <c>@cache_page</c> written outermost; here it is arranged).
/// Header decorators apply in the order they are written, innermost first.
/// </remarks>
public static class CacheEndpointConventionBuilderExtensions
{
    /// <summary>Caches the endpoint's responses for <paramref name="timeout"/>: see <see cref="Decorators.CachePage(TimeSpan)"/>.</summary>
    public static TBuilder CachePage<TBuilder>(this TBuilder builder, TimeSpan timeout) where TBuilder : IEndpointConventionBuilder =>
        builder.CachePage(timeout, CacheMiddlewareOptions.DefaultAlias, "");

    /// <summary>As <see cref="CachePage{TBuilder}(TBuilder, TimeSpan)"/> in the cache <paramref name="cacheAlias"/> with keys prefixed by <paramref name="keyPrefix"/>.</summary>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    public static TBuilder CachePage<TBuilder>(this TBuilder builder, TimeSpan timeout, string cacheAlias, string keyPrefix) where TBuilder : IEndpointConventionBuilder
    {
        Guard.NotNull<object>(builder, nameof(builder));
        var decorator = Decorators.CachePage(timeout, cacheAlias, keyPrefix);
        builder.Finally(endpoint => endpoint.RequestDelegate = decorator(Handler(endpoint)));
        return builder;
    }

    /// <summary>Adds the names to the response's Vary field: see <see cref="Decorators.VaryOnHeaders"/>.</summary>
    public static TBuilder VaryOnHeaders<TBuilder>(this TBuilder builder, params string[] headers) where TBuilder : IEndpointConventionBuilder =>
        builder.Decorate(Decorators.VaryOnHeaders(headers));

    /// <summary>Adds <c>Cookie</c> to the response's Vary field: see <see cref="Decorators.VaryOnCookie"/>.</summary>
    public static TBuilder VaryOnCookie<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Decorate(Decorators.VaryOnCookie());

    /// <summary>Patches the response's Cache-Control: see <see cref="Decorators.CacheControl(CacheControlPatch)"/>.</summary>
    public static TBuilder CacheControl<TBuilder>(this TBuilder builder, CacheControlPatch patch) where TBuilder : IEndpointConventionBuilder =>
        builder.Decorate(Decorators.CacheControl(patch));

    /// <summary>Patches the response's Cache-Control with a patch built from empty: <c>.CacheControl(p =&gt; p.Public().MaxAge(3600))</c>.</summary>
    public static TBuilder CacheControl<TBuilder>(this TBuilder builder, Func<CacheControlPatch, CacheControlPatch> build) where TBuilder : IEndpointConventionBuilder =>
        builder.Decorate(Decorators.CacheControl(build));

    /// <summary>Marks the response as never to be cached: see <see cref="Decorators.NeverCache"/>.</summary>
    public static TBuilder NeverCache<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Decorate(Decorators.NeverCache());

    /// <summary>Wraps the endpoint's handler with any decorator (applied in call order, innermost first).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static TBuilder Decorate<TBuilder>(this TBuilder builder, Func<RequestDelegate, RequestDelegate> decorator) where TBuilder : IEndpointConventionBuilder
    {
        Guard.NotNull<object>(builder, nameof(builder));
        Guard.NotNull(decorator, nameof(decorator));
        builder.Add(endpoint => endpoint.RequestDelegate = decorator(Handler(endpoint)));
        return builder;
    }

    private static RequestDelegate Handler(EndpointBuilder endpoint) =>
        endpoint.RequestDelegate ?? throw new InvalidOperationException($"The endpoint '{endpoint.DisplayName}' has no request delegate to decorate.");
}
