namespace FunctionalCache.FSharp

open System
open FunctionalCache

/// Cache policies composed with `|>`: `Policy.defaults |> Policy.timeout 30 |> Policy.prefix "shop"`.
[<RequireQualifiedAccess>]
module Policy =

    /// Django's defaults: 300 s timeout, 300 entries, cull a third, no prefix, version 1, `prefix:version:key`.
    let defaults : CachePolicy = CachePolicy.Default

    /// The default timeout in whole or fractional seconds.
    let timeout (seconds: float) (policy: CachePolicy) = policy.WithDefaultTimeout(CacheTimeout.Seconds seconds)

    /// The default timeout as a `CacheTimeout` (`Expire.never`, `Expire.after span`).
    let expire (timeout: CacheTimeout) (policy: CachePolicy) = policy.WithDefaultTimeout timeout

    /// At most `count` entries (at least 1).
    let maxEntries (count: int) (policy: CachePolicy) = policy.WithMaxEntries count

    /// Cull `1/frequency` of the entries when full; 0 empties the cache.
    let cullFrequency (frequency: int) (policy: CachePolicy) = policy.WithCullFrequency frequency

    /// Put `prefix` in front of every key.
    let prefix (prefix: string) (policy: CachePolicy) = policy.WithKeyPrefix prefix

    /// The version used when a call names none.
    let version (version: int) (policy: CachePolicy) = policy.WithVersion version

    /// Make stored keys with `make key prefix version`.
    let keyFunction (make: string -> string -> int -> string) (policy: CachePolicy) =
        policy.WithKeyFunction(Func<string, string, int, string>(fun key prefix version -> make key prefix version))

    /// The stored key for `key` at the policy's version.
    let makeKey (key: string) (policy: CachePolicy) = policy.MakeKey(key)
