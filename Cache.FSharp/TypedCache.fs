namespace FunctionalCache.FSharp

open System
open FunctionalCache

/// The typed view of a synchronous cache for F# (`let users = cache |> Cache.typed<User>`, then
/// `users |> TypedCache.tryGet "ada"`): the functions of `Cache`'s sync twin, with the value's type fixed by the view,
/// on the calling thread. Same store, keys and semantics as the untyped functions.
[<RequireQualifiedAccess>]
module TypedCache =

    let private noVersion = Nullable<int>()

    /// The live value under `key`, or `None` on a miss. A stored `None` (or unit, or null) is `Some None`.
    let tryGet (key: string) (view: ISyncCache<'T>) : 'T option = Option.ofOptionUnsafe (view.Get(key, noVersion))

    /// Stores `value` for the policy's default timeout.
    let set (key: string) (value: 'T) (view: ISyncCache<'T>) : unit = view.Set(key, value, CacheTimeout.Default, noVersion)

    /// Stores `value` for `timeout`; zero or negative removes the key.
    let setFor (timeout: CacheTimeout) (key: string) (value: 'T) (view: ISyncCache<'T>) : unit = view.Set(key, value, timeout, noVersion)

    /// Stores `value` only if `key` is absent or expired; true when it did.
    let add (key: string) (value: 'T) (view: ISyncCache<'T>) : bool = view.Add(key, value, CacheTimeout.Default, noVersion)

    /// The live value under `key`, or else `factory ()`'s value, stored for the default timeout and returned; callers
    /// of one key share one run of the factory (see `Cache.getOrSetSync`).
    let getOrSet (key: string) (factory: unit -> 'T) (view: ISyncCache<'T>) : 'T =
        view.GetOrSet(key, Func<'T> factory, CacheTimeout.Default, noVersion)

    /// As `getOrSet`, stored for `timeout`.
    let getOrSetFor (timeout: CacheTimeout) (key: string) (factory: unit -> 'T) (view: ISyncCache<'T>) : 'T =
        view.GetOrSet(key, Func<'T> factory, timeout, noVersion)

    /// The untyped cache the view looks at (for `delete`, `hasKey`, counters).
    let untyped (view: ISyncCache<'T>) : ISyncCache = view.Cache
