namespace FunctionalCache.FSharp

open FunctionalCache

/// Why a counter or version operation produced no value, as complete active patterns over `CacheError`:
/// `match e with KeyNotFound key -> … | NotAnInteger key -> … | Overflow key -> … | BackendFailure (key, cause) -> …`.
[<AutoOpen>]
module CacheErrors =

    /// The cases of a `CacheError`: the key is missing, its value is not an integer, the result overflows, or the
    /// backend failed (with the cause).
    let (|KeyNotFound|NotAnInteger|Overflow|BackendFailure|) (error: CacheError) =
        match error with
        | :? CacheError.KeyNotFound as e -> KeyNotFound e.Key
        | :? CacheError.NotAnInteger as e -> NotAnInteger e.Key
        | :? CacheError.Overflow as e -> Overflow e.Key
        | :? CacheError.BackendFailure as e -> BackendFailure(e.Key, e.Cause)
        | _ -> invalidOp "CacheError is a closed type."
