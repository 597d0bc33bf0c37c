namespace FunctionalCache.FSharp.AspNetCore

open Microsoft.AspNetCore.Builder
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.DependencyInjection.Extensions
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Http.Distributed

/// Registering caches, data last: `builder.Services |> Services.addCache "locmem:///" |> ignore`. Every cache these
/// functions register writes F# records, unions, options, lists, maps and sets (`Serialization.serializer`), unless an
/// `ICacheSerializer` was registered before.
[<RequireQualifiedAccess>]
module Services =

    let private fsharpValues (services: IServiceCollection) =
        services.TryAddSingleton<ICacheSerializer>(Serialization.serializer)
        services

    /// Registers the cache `uri` describes (`locmem:///`, `db://…`, `memcached://…`) as the default `ICache`, built on
    /// first use with the application's logger and `TimeProvider`. Raises `ArgumentException` for a malformed URI.
    let addCache (uri: string) (services: IServiceCollection) : IServiceCollection =
        (fsharpValues services).AddFunctionalCache(uri)

    /// Registers `cache` as the default `ICache`.
    let addCacheInstance (cache: ICache) (services: IServiceCollection) : IServiceCollection = services.AddFunctionalCache(cache)

    /// Registers the caches a Django `CACHES`-like configuration section names: one keyed `ICache` per alias, the
    /// `"default"` one as the `ICache`. Raises `ArgumentException` listing every problem of an invalid section.
    let addCaches (configuration: IConfiguration) (services: IServiceCollection) : IServiceCollection =
        (fsharpValues services).AddFunctionalCache(configuration)

    /// Registers an `IDistributedCache` over the cache registered under `alias` (`"default"` for the default one).
    let addDistributedCache (alias: string) (services: IServiceCollection) : IServiceCollection =
        services.AddFunctionalDistributedCache(alias)

    /// Turns on the local page cache with the bounds `configure` makes from the defaults (1 s, 1,000 entries, 64 MiB):
    /// `Services.addLocalPageCache (fun o -> o.WithLifetime(TimeSpan.FromSeconds 5.0))`. Every page cache of the
    /// application then keeps the pages it reads from its backend in process, for at most the lifetime; a purge on
    /// another node reaches them only when it ends (docs/page-cache-local.md).
    let addLocalPageCache (configure: LocalPageOptions -> LocalPageOptions) (services: IServiceCollection) : IServiceCollection =
        services.AddLocalPageCache(System.Func<LocalPageOptions, LocalPageOptions> configure)

/// Installing the page cache and conditional GET in a pipeline, data last: `app |> App.useCache id |> ignore`.
[<RequireQualifiedAccess>]
module App =

    /// The per-site cache (Django's `CacheMiddleware`) with the options `configure` makes from the defaults:
    /// `App.useCache (fun o -> o.WithSeconds 30L)`. Put it outside compression, session and localization.
    let useCache (configure: CacheMiddlewareOptions -> CacheMiddlewareOptions) (app: IApplicationBuilder) : IApplicationBuilder =
        app.UseFunctionalCache(System.Func<CacheMiddlewareOptions, CacheMiddlewareOptions> configure)

    /// Conditional GET for every page (Django's `ConditionalGetMiddleware`); put it before `useCache`.
    let useConditionalGet (app: IApplicationBuilder) : IApplicationBuilder = app.UseConditionalGet()

    /// A decorator as middleware for every request after it: `app |> App.useDecorator (varyOnHeaders [ "Accept-Encoding" ])`.
    let useDecorator (decorator: Decorator) (app: IApplicationBuilder) : IApplicationBuilder =
        app.Use(System.Func<Microsoft.AspNetCore.Http.RequestDelegate, Microsoft.AspNetCore.Http.RequestDelegate> decorator)
