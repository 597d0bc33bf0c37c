namespace FunctionalCache.FSharp

open System
open FunctionalCache

/// Timeouts for writes: `Expire.seconds 30.`, `Expire.after (TimeSpan.FromMinutes 5.)`, `Expire.never`, or the
/// policy's default. Zero or negative expires at once: nothing is stored (on every backend).
[<RequireQualifiedAccess>]
module Expire =

    /// The cache policy's default timeout.
    let byDefault : CacheTimeout = CacheTimeout.Default

    /// Never expires.
    let never : CacheTimeout = CacheTimeout.Never

    /// Expires after `span`.
    let after (span: TimeSpan) : CacheTimeout = CacheTimeout.After span

    /// Expires after `seconds` (fractions allowed).
    let seconds (seconds: float) : CacheTimeout = CacheTimeout.Seconds seconds

/// The cases of a timeout, as complete active patterns over `CacheTimeout`:
/// `match t with PolicyDefault -> … | NeverExpire -> … | ExpireAfter span -> …`.
[<AutoOpen>]
module CacheTimeouts =

    /// The cases of a `CacheTimeout`: the policy's default, never, or after a span.
    let (|PolicyDefault|NeverExpire|ExpireAfter|) (timeout: CacheTimeout) =
        match timeout with
        | :? CacheTimeout.AfterCase as after -> ExpireAfter after.Span
        | _ when timeout.IsNever -> NeverExpire
        | _ -> PolicyDefault
