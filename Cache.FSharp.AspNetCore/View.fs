namespace FunctionalCache.FSharp.AspNetCore

open System
open System.Threading.Tasks
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Http.AspNetCore

/// A view: ASP.NET Core's request delegate (what minimal APIs map, and what Giraffe, Falco and Oxpecker run on).
type View = RequestDelegate

/// A decorator: a function from a view to a view (Django's `@decorator`). Decorators compose with `>>` (the right one
/// outermost) or as a list with `View.decorate` (the first one outermost).
type Decorator = View -> View

/// Django's view decorators as F# functions, on any view: `View.decorate [ cachePage 900; varyOnCookie ] inbox`.
/// The cache and clock come from the request's services (`Services.addCache`). Every decorator is thread-safe.
[<AutoOpen>]
module ViewDecorators =

    let private seconds (n: int) = TimeSpan.FromSeconds(float n)

    /// Caches the view's responses for `seconds` in the default cache, keyed by the absolute URL, the method and the
    /// request's values of the fields the response varies on (Django's `cache_page`). The page timeout wins over the
    /// view's own max-age, which it also caps. It must be outside the header decorators to see their fields.
    let cachePage (seconds': int) : Decorator = Decorators.CachePage(seconds seconds').Invoke

    /// As `cachePage`, in the cache registered under `alias` (`"default"`, or a keyed `ICache`), keys prefixed by `prefix`.
    let cachePageIn (alias: string) (prefix: string) (seconds': int) : Decorator =
        Decorators.CachePage(seconds seconds', alias, prefix).Invoke

    /// As `cachePage`, in the given cache (no services needed), keys prefixed by `prefix`.
    let cachePageWith (cache: ICache) (prefix: string) (seconds': int) : Decorator =
        Decorators.CachePage(cache, seconds seconds', prefix).Invoke

    /// Tags the pages that a `cachePage` inside it stores, so `IPageCache.EvictByTagAsync` purges them together:
    /// write it before the `cachePage` it tags, `View.decorate [ tag [ "articles" ]; cachePage 300 ]` (docs/tags.md).
    /// Raises `ArgumentException` for an empty tag or one with whitespace.
    let tag (tags: string list) : Decorator = PageCacheTags.Decorator(Array.ofList tags).Invoke

    /// Adds the names to the response's Vary field, never repeating a listed one (Django's `vary_on_headers`).
    let varyOnHeaders (names: string list) : Decorator = Decorators.VaryOnHeaders(Array.ofList names).Invoke

    /// Adds `Cookie` to the response's Vary field (Django's `vary_on_cookie`).
    let varyOnCookie : Decorator = Decorators.VaryOnCookie().Invoke

    /// Patches the response's Cache-Control with the directives (Django's `cache_control`):
    /// `cacheControl [ Public; MaxAge 3600 ]`. The smallest max-age wins and `public`/`private` replace each other;
    /// an empty list writes an empty Cache-Control, as Django does. Raises `ArgumentException` for a malformed directive.
    let cacheControl (directives: CacheControlDirective list) : Decorator =
        Decorators.CacheControl(CacheControl.toPatch directives).Invoke

    /// Marks the response as never to be cached (Django's `never_cache`): Expires now and
    /// `max-age=0, no-cache, no-store, must-revalidate, private`.
    let neverCache : Decorator = Decorators.NeverCache().Invoke

    /// Conditional GET for one view: an ETag from the body when the response has none, and 304 or 412 answers.
    let conditionalGet : Decorator = Decorators.ConditionalGet().Invoke

    /// A view from a function of the request that returns a task of text, written as `text/plain; charset=utf-8`.
    let textView (render: HttpContext -> Task<string>) : View =
        View(fun context ->
            task {
                let! body = render context
                context.Response.ContentType <- "text/plain; charset=utf-8"
                do! context.Response.WriteAsync body
            })

    /// Template fragment caching inside a view, in the request's default cache: the stored text of the fragment `name`
    /// for `varyOn`, or `render ()`'s, kept for `seconds` (`context |> fragment "sidebar" [ user ] 500 render`).
    let fragment (name: string) (varyOn: string list) (seconds': int) (render: unit -> Task<string>) (context: HttpContext) : Task<string> =
        context.RequestServices.GetRequiredService<ICache>()
        |> Fragment.getOrRender (CacheTimeout.Seconds(float seconds')) name varyOn render

/// Views and their decorators.
[<RequireQualifiedAccess>]
module View =

    /// The view wrapped in the decorators, the first outermost, read top to bottom like Django's decorator stack:
    /// `View.decorate [ cachePage 900; varyOnCookie ] view` is `cachePage 900 (varyOnCookie view)`, so the page cache
    /// sees the Vary field it keys on.
    let decorate (decorators: Decorator list) (view: View) : View = List.foldBack (fun decorator inner -> decorator inner) decorators view

    /// A view from a function of the request that returns a task (F# lambdas as a `RequestDelegate`).
    let ofTask (handle: HttpContext -> Task) : View = View handle
