namespace FunctionalCache.Laws

open System
open FunctionalCache
open FunctionalCache.Backends

/// Whose clock decides expiry.
type ClockControl =
    /// Expiry follows `CacheContext.Time`: the laws hand the cache a fake clock and move it, so time laws run in
    /// microseconds (every backend built on `CacheBase` that reads `context.Time`).
    | FollowsContextClock
    /// A server keeps its own clock (memcached, Redis): the time laws that move a fake clock do not apply, the
    /// model machine writes only spans too long to lapse during a run, and a few real-clock examples sleep instead.
    | OwnClock

/// What the cache under test can do, so the laws run only the cases that apply to it. Start from
/// `Capabilities.storing` and change what differs.
type Capabilities =
    { /// Whose clock decides expiry.
      Clock: ClockControl
      /// The store is bounded by `CachePolicy.MaxEntries` and culls when a new key arrives in a full store.
      Culls: bool
      /// Counters are unsigned, as memcached's are: a decrement of a non-negative counter stops at 0.
      UnsignedCounters: bool
      /// A stored null (F# `None`) is a hit, distinct from a miss. A backend that cannot tell them apart declares
      /// false and the null laws are skipped.
      StoresNull: bool
      /// Values go through the context's serializer (false for an object store such as locmem's reference mode).
      Serializes: bool
      /// Caches opened on one store see each other's entries (a directory, a table, a server), so isolation by
      /// prefix, version and key function between two caches is observable.
      SharedStore: bool
      /// A key that memcached could not take throws `InvalidCacheKeyException` instead of logging a warning.
      RejectsBadKeys: bool
      /// The cache also implements `ISyncCache` and the laws drive both faces.
      SyncApi: bool
      /// Opening a store empties something the whole test process shares (a server's `flush_all`): the laws of
      /// this subject must run one at a time.
      Exclusive: bool }

    /// A storing, culling backend on the context's clock that serializes values and keeps stores apart: what a
    /// `CacheBase` subclass over a private dictionary is.
    static member storing =
        { Clock = FollowsContextClock
          Culls = true
          UnsignedCounters = false
          StoresNull = true
          Serializes = true
          SharedStore = false
          RejectsBadKeys = false
          SyncApi = false
          Exclusive = false }

/// One fresh, empty store: every cache made from it shares it, if the backend can share at all.
type Store =
    { /// A cache over this store, in the given context (clock, logger, serializer) with the given policy.
      Make: CacheContext -> CachePolicy -> ICache
      /// Releases the store (deletes a directory, drops a table, disposes what `Make` made).
      Close: unit -> unit }

/// A cache under test: how to open a fresh store, and what it can do.
type Subject =
    { Name: string
      Open: unit -> Store
      Capabilities: Capabilities }

/// Builds subjects.
[<RequireQualifiedAccess>]
module Subject =

    /// A subject whose every cache owns its store: `make` is the constructor a `CacheBase` backend has
    /// (`fun context policy -> MyCache(policy, context)`). Caches that are `IDisposable` are disposed when the store
    /// closes.
    let create (name: string) (make: CacheContext -> CachePolicy -> ICache) : Subject =
        { Name = name
          Open =
            fun () ->
                let made = Collections.Generic.List<ICache>()
                { Make = fun context policy -> let c = make context policy in made.Add c; c
                  Close = fun () -> for c in made do match c with :? IDisposable as d -> d.Dispose() | _ -> () }
          Capabilities = Capabilities.storing }

    /// A subject over a shared store: `openStore` gives a fresh, empty store each time.
    let ofStore (name: string) (openStore: unit -> Store) : Subject =
        { Name = name; Open = openStore; Capabilities = { Capabilities.storing with SharedStore = true } }

    /// The subject with other capabilities.
    let withCapabilities (capabilities: Capabilities) (subject: Subject) = { subject with Capabilities = capabilities }

    /// The subject with its capabilities changed by `change`.
    let mapCapabilities (change: Capabilities -> Capabilities) (subject: Subject) =
        { subject with Capabilities = change subject.Capabilities }

    /// A wrapper under test: every cache of `inner` wrapped by `wrap` (a fail-safe, a tier, an instrumented cache),
    /// named after both. The wrapper keeps the inner cache's capabilities but the synchronous face (a wrapper is
    /// async-only unless it says otherwise with `mapCapabilities`).
    let wrap (name: string) (wrap: ICache -> ICache) (inner: Subject) : Subject =
        { inner with
            Name = $"{name}({inner.Name})"
            Capabilities = { inner.Capabilities with SyncApi = false }
            Open =
                fun () ->
                    let store = inner.Open()
                    { store with Make = fun context policy -> wrap (store.Make context policy) } }

/// The builders for C#, where the F# module above is the class `SubjectModule` and takes F# functions.
type Subject with

    /// A subject whose every cache owns its store (`Subject.create`): `make` is the backend's constructor,
    /// `(context, policy) => new MyCache(policy, context)`.
    static member Create(name: string, make: Func<CacheContext, CachePolicy, ICache>) =
        Subject.create name (fun context policy -> make.Invoke(context, policy))

    /// The subject with its capabilities changed by `change` (`Subject.mapCapabilities`).
    member subject.WithCapabilities(change: Func<Capabilities, Capabilities>) =
        Subject.mapCapabilities change.Invoke subject
