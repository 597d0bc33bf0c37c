namespace FunctionalCache.FSharp

open System
open System.Collections.Generic
open System.Threading
open System.Threading.Tasks
open FunctionalCache
open FunctionalCache.Backends

/// Django's low-level cache API for F#: data-last and curried (`cache |> Cache.tryGet<int> "answer"`), a miss is
/// `None`, a stored `None`/unit/null is a hit (`Some None`), many-key reads give a `Map`, counters give a `Result`.
/// Every function returns a `Task`, for `task { }`; none throws for a miss.
[<RequireQualifiedAccess>]
module Cache =

    let private noVersion = Nullable<int>()
    let private none = CancellationToken.None

    // ---- building ---------------------------------------------------------------------------

    /// The cache a Django-style URI describes (`"locmem:///?max_entries=500"`), writing F# values with
    /// `Serialization.serializer`; unknown arguments and bad values are ignored.
    /// Raises `FormatException` for a malformed URI or an unknown scheme.
    let fromUri (uri: string) : ICache = Caches.FromUri(uri, Serialization.context)

    /// As `fromUri`, with the URI's policy passed through `policy` (`Policy.prefix "shop" >> Policy.version 2`).
    let fromUriWith (policy: CachePolicy -> CachePolicy) (uri: string) : ICache =
        CacheRegistry.Builtin.FromUri(uri, Serialization.context, Func<CachePolicy, CachePolicy> policy)

    /// As `fromUri`, in `context` (another clock, logger or serializer).
    let fromUriIn (context: CacheContext) (uri: string) : ICache = Caches.FromUri(uri, context)

    /// The cache a URI describes, or every problem with it (`strict`: unknown arguments and bad values are problems too).
    let tryFromUri (strict: bool) (context: CacheContext) (uri: string) : Result<ICache, string list> =
        Caches.TryFromUri(uri, context, strict)
        |> Result.ofValidation
        |> Result.mapError (List.map (fun problem -> problem.Message))

    /// The same cache, whose calls use `version` (Django's `version=` argument on every call).
    let atVersion (version: int) (cache: ICache) : ICache = VersionedCache(cache, version) :> ICache

    /// The policy the cache applies.
    let policy (cache: ICache) : CachePolicy = cache.Policy

    // ---- reading ----------------------------------------------------------------------------

    /// The live value under `key`, or `None` on a miss. A stored `None` (or unit, or null) is `Some None`.
    let tryGet<'T> (key: string) (cache: ICache) : Task<'T option> =
        task {
            let! found = cache.GetAsync<'T>(key, noVersion, none)
            return Option.ofOptionUnsafe found
        }

    /// The live value under `key`, or `fallback` on a miss (Django's `get(key, default)`).
    let getOr<'T> (fallback: 'T) (key: string) (cache: ICache) : Task<'T> = cache.GetOrDefaultAsync<'T>(key, fallback, noVersion, none)

    /// The live entries among `keys`; misses are left out, stored `None`s kept.
    let getMany<'T> (keys: string seq) (cache: ICache) : Task<Map<string, 'T>> =
        task {
            let! found = cache.GetManyAsync<'T>(keys, noVersion, none)
            return found |> Seq.fold (fun (map: Map<string, 'T>) (KeyValue(k, v)) -> map.Add(k, v)) Map.empty
        }

    /// True when `key` holds a live entry (a stored `None` counts).
    let hasKey (key: string) (cache: ICache) : Task<bool> = cache.HasKeyAsync(key, noVersion, none)

    // ---- writing ----------------------------------------------------------------------------

    /// Stores `value` for the policy's default timeout.
    let set<'T> (key: string) (value: 'T) (cache: ICache) : Task<unit> =
        task { do! cache.SetAsync<'T>(key, value, CacheTimeout.Default, noVersion, none) }

    /// Stores `value` for `timeout` (`Expire.seconds 30.`, `Expire.never`); zero or negative removes the key.
    let setFor<'T> (timeout: CacheTimeout) (key: string) (value: 'T) (cache: ICache) : Task<unit> =
        task { do! cache.SetAsync<'T>(key, value, timeout, noVersion, none) }

    /// Stores `value` only if `key` is absent or expired; true when it did.
    let add<'T> (key: string) (value: 'T) (cache: ICache) : Task<bool> = cache.AddAsync<'T>(key, value, CacheTimeout.Default, noVersion, none)

    /// As `add`, for `timeout`.
    let addFor<'T> (timeout: CacheTimeout) (key: string) (value: 'T) (cache: ICache) : Task<bool> =
        cache.AddAsync<'T>(key, value, timeout, noVersion, none)

    /// Stores every pair for the default timeout; the keys the backend refused (empty on success).
    let setMany<'T> (items: (string * 'T) seq) (cache: ICache) : Task<string list> =
        task {
            let! refused = cache.SetManyAsync<'T>(items |> Seq.map KeyValuePair, CacheTimeout.Default, noVersion, none)
            return List.ofSeq refused
        }

    /// As `setMany`, for `timeout`.
    let setManyFor<'T> (timeout: CacheTimeout) (items: (string * 'T) seq) (cache: ICache) : Task<string list> =
        task {
            let! refused = cache.SetManyAsync<'T>(items |> Seq.map KeyValuePair, timeout, noVersion, none)
            return List.ofSeq refused
        }

    /// Removes `key`; true when a live entry was removed.
    let delete (key: string) (cache: ICache) : Task<bool> = cache.DeleteAsync(key, noVersion, none)

    /// Removes every key.
    let deleteMany (keys: string seq) (cache: ICache) : Task<unit> = task { do! cache.DeleteManyAsync(keys, noVersion, none) }

    /// Gives a live entry a new timeout; true when the key was live.
    let touch (timeout: CacheTimeout) (key: string) (cache: ICache) : Task<bool> = cache.TouchAsync(key, timeout, noVersion, none)

    /// Removes everything in the backend's storage.
    let clear (cache: ICache) : Task<unit> = task { do! cache.ClearAsync(none) }

    // ---- counters and versions --------------------------------------------------------------

    /// Atomically adds `delta` to the integer under `key`, keeping its expiry: the new value, or why not.
    let incrBy (delta: int64) (key: string) (cache: ICache) : Task<Result<int64, CacheError>> =
        task {
            let! result = cache.IncrementAsync(key, delta, noVersion, none)
            return Result.ofEither result
        }

    /// Atomically adds 1 (Django's `incr`).
    let incr (key: string) (cache: ICache) = incrBy 1L key cache

    /// Atomically subtracts `delta`.
    let decrBy (delta: int64) (key: string) (cache: ICache) : Task<Result<int64, CacheError>> =
        task {
            let! result = cache.DecrementAsync(key, delta, noVersion, none)
            return Result.ofEither result
        }

    /// Atomically subtracts 1 (Django's `decr`).
    let decr (key: string) (cache: ICache) = decrBy 1L key cache

    /// Moves the entry to version + `delta`: the new version, or why not.
    let incrVersionBy (delta: int) (key: string) (cache: ICache) : Task<Result<int, CacheError>> =
        task {
            let! result = cache.IncrementVersionAsync(key, delta, noVersion, none)
            return Result.ofEither result
        }

    /// Moves the entry to the next version (Django's `incr_version`).
    let incrVersion (key: string) (cache: ICache) = incrVersionBy 1 key cache

    /// Moves the entry to version − `delta`.
    let decrVersionBy (delta: int) (key: string) (cache: ICache) : Task<Result<int, CacheError>> =
        task {
            let! result = cache.DecrementVersionAsync(key, delta, noVersion, none)
            return Result.ofEither result
        }

    /// Moves the entry to the previous version (Django's `decr_version`).
    let decrVersion (key: string) (cache: ICache) = decrVersionBy 1 key cache

    // ---- get-or-set -------------------------------------------------------------------------

    /// The live value under `key`, or else `factory ()`'s value, stored for the default timeout and returned.
    /// Concurrent callers for one key in one process run the factory once; a factory's `None` is stored and served.
    let getOrSet<'T> (key: string) (factory: unit -> Task<'T>) (cache: ICache) : Task<'T> =
        cache.GetOrSetAsync<'T>(key, Func<CancellationToken, Task<'T>>(fun _ -> factory ()), CacheTimeout.Default, noVersion, none)

    /// As `getOrSet`, stored for `timeout`.
    let getOrSetFor<'T> (timeout: CacheTimeout) (key: string) (factory: unit -> Task<'T>) (cache: ICache) : Task<'T> =
        cache.GetOrSetAsync<'T>(key, Func<CancellationToken, Task<'T>>(fun _ -> factory ()), timeout, noVersion, none)

    /// As `getOrSet`, with an `Async` factory, as an `Async` (the workflow's cancellation token reaches the factory).
    let getOrSetAsync<'T> (key: string) (factory: Async<'T>) (cache: ICache) : Async<'T> =
        async {
            let! token = Async.CancellationToken
            return!
                cache.GetOrSetAsync<'T>(key, Func<CancellationToken, Task<'T>>(fun ct -> Async.StartAsTask(factory, cancellationToken = ct)), CacheTimeout.Default, noVersion, token)
                |> Async.AwaitTask
        }

    // ---- the synchronous twin (in-process backends: locmem) ---------------------------------

    /// As `atVersion`, keeping the synchronous twin (`ISyncCache`).
    let atVersionSync (version: int) (cache: ISyncCache) : ISyncCache = VersionedSyncCache(cache, version) :> ISyncCache

    /// As `tryGet`, on the calling thread. `Set`, `Add`, `Delete` and `HasKey` of `ISyncCache` already answer in
    /// F# types; this and `incrBySync` are the two whose answers need translating.
    let tryGetSync<'T> (key: string) (cache: ISyncCache) : 'T option = Option.ofOptionUnsafe (cache.Get<'T>(key, noVersion))

    /// As `incrBy`, on the calling thread (a negative `delta` decrements).
    let incrBySync (delta: int64) (key: string) (cache: ISyncCache) : Result<int64, CacheError> = Result.ofEither (cache.Increment(key, delta, noVersion))

    /// As `getOrSet`, on the calling thread, with a plain factory: callers of one key share one run of it, sync and
    /// async alike, and a factory's exception reaches every one of them (nothing is stored then).
    let getOrSetSync<'T> (key: string) (factory: unit -> 'T) (cache: ISyncCache) : 'T =
        cache.GetOrSet<'T>(key, Func<'T> factory, CacheTimeout.Default, noVersion)

    /// As `getOrSetSync`, stored for `timeout`.
    let getOrSetSyncFor<'T> (timeout: CacheTimeout) (key: string) (factory: unit -> 'T) (cache: ISyncCache) : 'T =
        cache.GetOrSet<'T>(key, Func<'T> factory, timeout, noVersion)

    /// The cache's view for values of one type (`ISyncCache<'T>`), whose calls dispatch without a generic lookup; use
    /// it with the `TypedCache` functions. Get it once and keep it.
    let typed<'T> (cache: ISyncCache) : ISyncCache<'T> = cache.Typed<'T>()

    // ---- tags (TaggedCache, docs/tags.md) ---------------------------------------------------

    /// `cache` with tags, writing F# values with `Serialization.serializer`: `setTagged`, `getOrSetTagged` and
    /// `removeByTag` work on it, and every other function as before. A tagged cache is returned as it is.
    let tagged (cache: ICache) : Tags.ITaggedCache = Tags.TaggedCacheExtensions.WithTags(cache, Serialization.serializer)

    /// Stores `value` under `key` with `tags`, for the default timeout. Raises `ArgumentException` for an empty tag
    /// or one with whitespace.
    let setTagged<'T> (tags: string seq) (key: string) (value: 'T) (cache: Tags.ITaggedCache) : Task<unit> =
        task { do! cache.SetAsync<'T>(key, value, tags, CacheTimeout.Default, noVersion, none) }

    /// As `setTagged`, stored for `timeout`.
    let setTaggedFor<'T> (timeout: CacheTimeout) (tags: string seq) (key: string) (value: 'T) (cache: Tags.ITaggedCache) : Task<unit> =
        task { do! cache.SetAsync<'T>(key, value, tags, timeout, noVersion, none) }

    /// As `getOrSet`, the factory's value stored with `tags`.
    let getOrSetTagged<'T> (tags: string seq) (key: string) (factory: unit -> Task<'T>) (cache: Tags.ITaggedCache) : Task<'T> =
        cache.GetOrSetAsync<'T>(key, Func<CancellationToken, Task<'T>>(fun _ -> factory ()), tags, CacheTimeout.Default, noVersion, none)

    /// Evicts every entry tagged `tag`: when the task ends, none reads as a hit. Raises `CacheBackendException` when
    /// the backend could not record the eviction (see `tryRemoveByTag`).
    let removeByTag (tag: string) (cache: Tags.ITaggedCache) : Task<unit> = task { do! cache.RemoveByTagAsync(tag, none) }

    /// As `removeByTag`, with a backend failure as `Error (BackendFailure …)`: `Ok ()` only when the eviction was recorded.
    let tryRemoveByTag (tag: string) (cache: Tags.ITaggedCache) : Task<Result<unit, CacheError>> =
        task {
            let! result = cache.TryRemoveByTagAsync(tag, none)
            return Result.ofEither result |> Result.map ignore
        }

    // ---- tiers: an in-process L1 over a shared L2, kept coherent by a backplane (FunctionalCache.Backends.Tiers) ----

    /// `l1 |> Cache.tiered l2`: the in-process `l1` in front of the shared `l2`, with `TierOptions.Default` (L1 copies
    /// live at most 5 minutes and never longer than their L2 entry; no backplane).
    let tiered (l2: ICache) (l1: ICache) : ICache = new Tiers.TieredCache(l1, l2, Tiers.TierOptions.Default) :> ICache

    /// As `tiered`, with `options` (`TierOptions.Default.WithBackplane backplane`, other L1 lifetimes).
    let tieredWith (options: Tiers.TierOptions) (l2: ICache) (l1: ICache) : ICache = new Tiers.TieredCache(l1, l2, options) :> ICache

    // ---- fail-safe: a stale value when the factory or the cache fails (FailSafeCache) ---------

    /// The cache, keeping get-or-set's values `maxStale` past their expiry to answer a failing factory or cache with.
    let failSafe (maxStale: TimeSpan) (cache: ICache) : ICache =
        new FunctionalCache.Backends.FailSafe.FailSafeCache(cache, FunctionalCache.Backends.FailSafe.FailSafeOptions.For maxStale) :> ICache

    /// As `failSafe`, with the soft and hard timeouts, eager refresh and jitter of `options` (see the `FailSafe` module).
    let failSafeWith (options: FunctionalCache.Backends.FailSafe.FailSafeOptions) (cache: ICache) : ICache =
        new FunctionalCache.Backends.FailSafe.FailSafeCache(cache, options) :> ICache

    /// The reads and writes with a backend failure as a value: `Error (BackendFailure …)` when the backend could
    /// not do it, where the plain functions answer a lenient backend's failure (memcached) as a miss, `false` or a
    /// write that did not happen. `cache |> Cache.Checked.set "k" v` is `Ok ()` only when the value was stored.
    [<RequireQualifiedAccess>]
    module Checked =

        let private ofTask (work: Task<LanguageExt.Either<CacheError, 'T>>) : Task<Result<'T, CacheError>> =
            task {
                let! result = work
                return Result.ofEither result
            }

        // LanguageExt's Unit as F#'s.
        let private ofUnitTask (work: Task<LanguageExt.Either<CacheError, LanguageExt.Unit>>) : Task<Result<unit, CacheError>> =
            task {
                let! result = work
                return Result.ofEither result |> Result.map ignore
            }

        /// As `Cache.tryGet`: `Ok (Some value)`, `Ok None` for a miss, `Error` when the backend failed.
        let get<'T> (key: string) (cache: ICache) : Task<Result<'T option, CacheError>> =
            task {
                let! result = cache.TryGetAsync<'T>(key, noVersion, none)
                return Result.ofEither result |> Result.map Option.ofOptionUnsafe
            }

        /// As `Cache.set`: `Ok ()` only when the backend stored the value.
        let set<'T> (key: string) (value: 'T) (cache: ICache) : Task<Result<unit, CacheError>> =
            cache.TrySetAsync<'T>(key, value, CacheTimeout.Default, noVersion, none) |> ofUnitTask

        /// As `Cache.setFor`: `Ok ()` only when the backend stored the value (or removed the key, for a zero timeout).
        let setFor<'T> (timeout: CacheTimeout) (key: string) (value: 'T) (cache: ICache) : Task<Result<unit, CacheError>> =
            cache.TrySetAsync<'T>(key, value, timeout, noVersion, none) |> ofUnitTask

        /// As `Cache.add`: `Ok true` when stored, `Ok false` when the key was live, `Error` when the backend failed.
        let add<'T> (key: string) (value: 'T) (cache: ICache) : Task<Result<bool, CacheError>> =
            cache.TryAddAsync<'T>(key, value, CacheTimeout.Default, noVersion, none) |> ofTask

        /// As `Cache.addFor`, with the failure as a value.
        let addFor<'T> (timeout: CacheTimeout) (key: string) (value: 'T) (cache: ICache) : Task<Result<bool, CacheError>> =
            cache.TryAddAsync<'T>(key, value, timeout, noVersion, none) |> ofTask

        /// As `Cache.delete`: `Ok true` when a live entry was removed, `Error` when the backend failed.
        let delete (key: string) (cache: ICache) : Task<Result<bool, CacheError>> = cache.TryDeleteAsync(key, noVersion, none) |> ofTask

        /// As `Cache.touch`, with the failure as a value.
        let touch (timeout: CacheTimeout) (key: string) (cache: ICache) : Task<Result<bool, CacheError>> =
            cache.TryTouchAsync(key, timeout, noVersion, none) |> ofTask

        /// As `Cache.clear`: `Ok ()` only when every part of the storage was emptied.
        let clear (cache: ICache) : Task<Result<unit, CacheError>> = cache.TryClearAsync(none) |> ofUnitTask
