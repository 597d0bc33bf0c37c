namespace FunctionalCache.FSharp

open System
open FunctionalCache

/// A view of a cache whose calls that name no version use `version` (see `Cache.atVersion`).
type internal VersionedCache(inner: ICache, version: int) =
    let at (v: Nullable<int>) = if v.HasValue then v else Nullable version
    interface ICache with
        member _.Policy = inner.Policy.WithVersion version
        member _.GetAsync<'T>(key, v, ct) = inner.GetAsync<'T>(key, at v, ct)
        member _.GetOrDefaultAsync<'T>(key, d: 'T, v, ct) = inner.GetOrDefaultAsync<'T>(key, d, at v, ct)
        member _.SetAsync<'T>(key, value: 'T, timeout, v, ct) = inner.SetAsync<'T>(key, value, timeout, at v, ct)
        member _.AddAsync<'T>(key, value: 'T, timeout, v, ct) = inner.AddAsync<'T>(key, value, timeout, at v, ct)
        member _.GetManyAsync<'T>(keys, v, ct) = inner.GetManyAsync<'T>(keys, at v, ct)
        member _.SetManyAsync<'T>(items, timeout, v, ct) = inner.SetManyAsync<'T>(items, timeout, at v, ct)
        member _.DeleteAsync(key, v, ct) = inner.DeleteAsync(key, at v, ct)
        member _.DeleteManyAsync(keys, v, ct) = inner.DeleteManyAsync(keys, at v, ct)
        member _.HasKeyAsync(key, v, ct) = inner.HasKeyAsync(key, at v, ct)
        member _.TouchAsync(key, timeout, v, ct) = inner.TouchAsync(key, timeout, at v, ct)
        member _.IncrementAsync(key, delta, v, ct) = inner.IncrementAsync(key, delta, at v, ct)
        member _.DecrementAsync(key, delta, v, ct) = inner.DecrementAsync(key, delta, at v, ct)
        member _.IncrementVersionAsync(key, delta, v, ct) = inner.IncrementVersionAsync(key, delta, at v, ct)
        member _.DecrementVersionAsync(key, delta, v, ct) = inner.DecrementVersionAsync(key, delta, at v, ct)
        member _.GetOrSetAsync<'T>(key, factory, timeout, v, ct) = inner.GetOrSetAsync<'T>(key, factory, timeout, at v, ct)
        member _.ClearAsync(ct) = inner.ClearAsync(ct)
        member _.TryGetAsync<'T>(key, v, ct) = inner.TryGetAsync<'T>(key, at v, ct)
        member _.TrySetAsync<'T>(key, value: 'T, timeout, v, ct) = inner.TrySetAsync<'T>(key, value, timeout, at v, ct)
        member _.TryAddAsync<'T>(key, value: 'T, timeout, v, ct) = inner.TryAddAsync<'T>(key, value, timeout, at v, ct)
        member _.TryDeleteAsync(key, v, ct) = inner.TryDeleteAsync(key, at v, ct)
        member _.TryTouchAsync(key, timeout, v, ct) = inner.TryTouchAsync(key, timeout, at v, ct)
        member _.TryClearAsync(ct) = inner.TryClearAsync(ct)

/// As `VersionedCache`, for a cache with the synchronous twin (see `Cache.atVersionSync`).
type internal VersionedSyncCache(inner: ISyncCache, version: int) =
    inherit VersionedCache(inner, version)
    let at (v: Nullable<int>) = if v.HasValue then v else Nullable version
    interface ISyncCache with
        member _.Get<'T>(key, v) = inner.Get<'T>(key, at v)
        member _.Set<'T>(key, value: 'T, timeout, v) = inner.Set<'T>(key, value, timeout, at v)
        member _.Add<'T>(key, value: 'T, timeout, v) = inner.Add<'T>(key, value, timeout, at v)
        member _.Delete(key, v) = inner.Delete(key, at v)
        member _.HasKey(key, v) = inner.HasKey(key, at v)
        member _.Increment(key, delta, v) = inner.Increment(key, delta, at v)
        member _.GetOrSet<'T>(key, factory: Func<'T>, timeout, v) = inner.GetOrSet<'T>(key, factory, timeout, at v)
        member _.GetOrSet<'S, 'T>(key, state: 'S, factory: Func<'S, 'T>, timeout, v) = inner.GetOrSet<'S, 'T>(key, state, factory, timeout, at v)
