/// A thin F# face over FunctionalCache.Http: Django's view decorators as curried functions from a view to a view,
/// composed like Giraffe handlers (`cachePage 900 >=> varyOnCookie`, outermost first, read top to bottom like
/// Django's decorator stack), and the fragment cache as a data-last function.
module FunctionalCache.FSharp

open System
open System.Threading.Tasks
open Microsoft.AspNetCore.Http
open FunctionalCache
open FunctionalCache.Http
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Http.Fragments

/// A view: ASP.NET Core's request delegate.
type View = RequestDelegate

/// A decorator: a function from a view to a view (Django's `@decorator`).
type Decorator = View -> View

/// Composes two decorators, the left one outermost: `cachePage 900 >=> varyOnCookie` is Django's
/// `@cache_page(900)` above `@vary_on_cookie`, so the page cache sees the Vary header it must key on.
/// (`>>` composes the other way round: `varyOnCookie >> cachePage 900` is the same decorator.)
let (>=>) (outer: Decorator) (inner: Decorator) : Decorator = fun view -> outer (inner view)

/// Caches the view's responses for `seconds` in the default cache (Django's `cache_page`).
let cachePage (seconds: int) : Decorator = Decorators.CachePage(TimeSpan.FromSeconds(float seconds)).Invoke

/// Caches the view's responses for `seconds` in the cache registered as `alias`, keys prefixed by `prefix`.
let cachePageIn (alias: string) (prefix: string) (seconds: int) : Decorator =
    Decorators.CachePage(TimeSpan.FromSeconds(float seconds), alias, prefix).Invoke

/// Adds `Cookie` to the response's Vary field (Django's `vary_on_cookie`).
let varyOnCookie : Decorator = Decorators.VaryOnCookie().Invoke

/// Adds the names to the response's Vary field (Django's `vary_on_headers`).
let varyOnHeaders (names: string list) : Decorator = Decorators.VaryOnHeaders(Array.ofList names).Invoke

/// Patches the response's Cache-Control (Django's `cache_control`): `cacheControl (fun p -> p.Public().MaxAge 3600)`.
let cacheControl (build: CacheControlPatch -> CacheControlPatch) : Decorator =
    Decorators.CacheControl(Func<CacheControlPatch, CacheControlPatch> build).Invoke

/// Marks the response as never to be cached (Django's `never_cache`).
let neverCache : Decorator = Decorators.NeverCache().Invoke

/// Conditional GET for one view: ETag from the body, 304 and 412 answers.
let conditionalGet : Decorator = Decorators.ConditionalGet().Invoke

/// A view from a function of the request that returns a Task of text, written as `text/plain`.
let textView (render: HttpContext -> Task<string>) : View =
    View(fun context ->
        task {
            let! body = render context
            context.Response.ContentType <- "text/plain; charset=utf-8"
            do! context.Response.WriteAsync body
        })

/// Template fragment caching, data last: `fragment cache "sidebar" [ user ] 500 render`.
let fragment (cache: ICache) (name: string) (varyOn: string list) (seconds: int) (render: unit -> Task<string>) : Task<string> =
    FragmentCache.GetOrRenderAsync(cache, name, varyOn, CacheTimeout.Seconds(float seconds), Func<_, _>(fun _ -> render ()))
