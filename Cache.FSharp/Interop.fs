namespace FunctionalCache.FSharp

open System

/// LanguageExt options as F# options, for F# code that calls the C# parts of the library:
/// `Expiry.From(timeout, policyDefault, now) |> Option.ofLanguageExt`. Extends FSharp.Core's `Option` module
/// (`Option.map` and the rest still resolve with `open FunctionalCache.FSharp`).
[<RequireQualifiedAccess>]
module Option =

    // IsSome and IfNoneUnsafe rather than Match: Match refuses a null result, and F#'s None is null.

    /// A LanguageExt `Option` as an F# option: `Some` keeps the value, `None` is `None`.
    let ofLanguageExt (option: LanguageExt.Option<'T>) : 'T option =
        if option.IsSome then Some(option.IfNoneUnsafe(Unchecked.defaultof<'T>)) else None

    /// A LanguageExt `OptionUnsafe` (whose `Some` may hold null, as a cached null does) as an F# option.
    let ofOptionUnsafe (option: LanguageExt.OptionUnsafe<'T>) : 'T option =
        if option.IsSome then Some(option.IfNoneUnsafe(Unchecked.defaultof<'T>)) else None

    /// An F# option as a LanguageExt `Option`, for C# calls that take one.
    let toLanguageExt (option: 'T option) : LanguageExt.Option<'T> =
        match option with
        | Some value -> LanguageExt.Option<'T>.Some value
        | None -> LanguageExt.Option<'T>.None

/// LanguageExt `Either` and `Validation` as F# results, for F# code that calls the C# parts of the library:
/// `cache.Increment(key, 1L, Nullable()) |> Result.ofEither`. Extends FSharp.Core's `Result` module.
[<RequireQualifiedAccess>]
module Result =

    // Typed delegates pick the types' own Match (lambdas alone bind to an extension on IEnumerable).

    /// The `Right` of an `Either` as `Ok`, the `Left` as `Error`.
    let ofEither (either: LanguageExt.Either<'L, 'R>) : Result<'R, 'L> =
        either.Match(Func<'R, Result<'R, 'L>>(Ok), Func<'L, Result<'R, 'L>>(Error))

    /// The success of a `Validation` as `Ok`, its failures (every one, in order) as `Error`.
    let ofValidation (validation: LanguageExt.Validation<'F, 'S>) : Result<'S, 'F list> =
        validation.Match(
            Func<'S, Result<'S, 'F list>>(Ok),
            Func<LanguageExt.Seq<'F>, Result<'S, 'F list>>(fun failures -> Error(List.ofSeq failures)))
