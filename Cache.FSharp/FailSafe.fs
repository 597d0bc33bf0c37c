namespace FunctionalCache.FSharp

open System
open FunctionalCache.Backends.FailSafe

/// Fail-safe options for F#, data-last: `FailSafe.window (TimeSpan.FromHours 1.) |> FailSafe.softTimeout (TimeSpan.FromSeconds 1.)`,
/// then `cache |> Cache.failSafeWith options`.
[<RequireQualifiedAccess>]
module FailSafe =

    /// Fail-safe with a window of `maxStale` and nothing else on.
    let window (maxStale: TimeSpan) : FailSafeOptions = FailSafeOptions.For maxStale

    /// Answer a get-or-set still waiting after `timeout` from the stale value, if there is one; the factory goes on.
    let softTimeout (timeout: TimeSpan) (options: FailSafeOptions) = options.WithSoftTimeout(Nullable timeout)

    /// Stop waiting after `timeout`: the stale value, else a `TimeoutException`; the factory goes on.
    let hardTimeout (timeout: TimeSpan) (options: FailSafeOptions) = options.WithHardTimeout(Nullable timeout)

    /// Start one background refresh when a hit comes after `threshold` (0 < x < 1) of its value's duration.
    let eagerRefresh (threshold: float) (options: FailSafeOptions) = options.WithEagerRefresh(Nullable threshold)

    /// Add a random 0..`most` to each timeout get-or-set writes.
    let jitter (most: TimeSpan) (options: FailSafeOptions) = options.WithJitter most

    /// Draw jitter from `random` (a seeded one in tests).
    let jitterFrom (random: Random) (options: FailSafeOptions) = options.WithJitterRandom random
