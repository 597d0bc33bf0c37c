namespace FunctionalCache.FSharp

open System
open System.Threading
open System.Threading.Tasks
open FunctionalCache
open FunctionalCache.Http.Fragments

/// Template fragment caching for any engine, data last: `cache |> Fragment.getOrRender (Expire.seconds 500.) "sidebar" [ user ] render`.
[<RequireQualifiedAccess>]
module Fragment =

    /// The stored text of the fragment `name` for the values `varyOn` (key: `FragmentKey.make name varyOn`), or on a
    /// miss `render ()`'s text, stored for `timeout` (zero or negative: rendered every time, never stored). Concurrent
    /// callers for one fragment in one process render once (Django's `{% cache %}` node).
    let getOrRender (timeout: CacheTimeout) (name: string) (varyOn: string list) (render: unit -> Task<string>) (cache: ICache) : Task<string> =
        FragmentCache.GetOrRenderAsync(cache, name, varyOn, timeout, Func<CancellationToken, Task<string>>(fun _ -> render ()))
