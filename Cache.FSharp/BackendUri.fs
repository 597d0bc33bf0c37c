namespace FunctionalCache.FSharp

open FunctionalCache

/// Django-style backend URIs (`"locmem:///?max_entries=500"`) with F# types: parsing returns a `Result` with the
/// message of every problem, and the accessors return F# options, lists and maps.
[<RequireQualifiedAccess>]
module BackendUri =

    let private messages (problems: UriProblem seq) : string list = [ for p in problems -> p.Message ]

    /// The URI, or the message of every problem; `strict`: warnings (unknown arguments, bad values) are problems too;
    /// `accepted`: extra argument names the caller's backend reads, besides the known ones.
    let tryParseWith (strict: bool) (accepted: string list) (text: string) : Result<FunctionalCache.BackendUri, string list> =
        FunctionalCache.BackendUri.TryParse(text, accepted, strict)
        |> Result.ofValidation
        |> Result.mapError messages

    /// The URI, or the message of every problem; unknown arguments and bad values are left out, as `warnings`.
    let tryParse (text: string) : Result<FunctionalCache.BackendUri, string list> = tryParseWith false [] text

    /// The URI, or the message of every problem, unknown arguments and bad values included.
    let tryParseStrict (text: string) : Result<FunctionalCache.BackendUri, string list> = tryParseWith true [] text

    /// The URI as text, arguments sorted: parsing it again gives the same URI.
    let format (uri: FunctionalCache.BackendUri) : string = uri.Format()

    /// The scheme as written: `locmem`, `file`, `db`, `memcached`, `dummy`, or a custom type name.
    let scheme (uri: FunctionalCache.BackendUri) : string = uri.Scheme

    /// Django's "host", percent-decoded: the text between `//` and the first `?`, minus one trailing `/`; may be empty.
    let location (uri: FunctionalCache.BackendUri) : string = uri.Location

    /// The location split on `;` and `,`, trimmed, empty parts dropped, each part percent-decoded: memcached's server list.
    let locations (uri: FunctionalCache.BackendUri) : string list = List.ofSeq uri.Locations

    /// The accepted arguments, decoded, last one wins (`cull_percentage` is stored as `cull_frequency`).
    let arguments (uri: FunctionalCache.BackendUri) : Map<string, string> =
        uri.Arguments |> Seq.map (fun (struct (name, value)) -> name, value) |> Map.ofSeq

    /// The `timeout` argument as `CacheTimeout.After`; `None`: the policy default.
    let timeout (uri: FunctionalCache.BackendUri) : CacheTimeout option = Option.ofLanguageExt uri.Timeout

    /// The `max_entries` argument (at least 1); `None`: the policy default.
    let maxEntries (uri: FunctionalCache.BackendUri) : int option = Option.ofLanguageExt uri.MaxEntries

    /// The `cull_frequency` (or `cull_percentage`) argument (0 empties the cache when full); `None`: the policy default.
    let cullFrequency (uri: FunctionalCache.BackendUri) : int option = Option.ofLanguageExt uri.CullFrequency

    /// What lenient parsing left out and why (always empty after a strict parse).
    let warnings (uri: FunctionalCache.BackendUri) : string list = messages uri.Warnings
