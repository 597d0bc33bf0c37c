namespace FunctionalCache.FSharp

open System
open System.Globalization
open FunctionalCache.Http

/// A Cache-Control directive (RFC 9111 §5.2, RFC 5861) as an F# value: what a patch sets (Django's keyword arguments
/// to `patch_cache_control`) and what a field is read back as. `Directive (name, value)` is any other directive, bare
/// (`None`) or with its text written verbatim.
type CacheControlDirective =
    /// `public`: any cache may store the response (removes an existing `private` when patched in).
    | Public
    /// `private`: only the user's own cache may store it (removes an existing `public` when patched in).
    | Private
    /// A bare `no-cache`, which absorbs any field names.
    | NoCache
    /// `no-cache=<field>`: the named field must not be served from a cache without revalidation.
    | NoCacheField of field: string
    /// `no-store`.
    | NoStore
    /// `no-transform`.
    | NoTransform
    /// `must-revalidate`.
    | MustRevalidate
    /// `proxy-revalidate`.
    | ProxyRevalidate
    /// `immutable` (RFC 8246).
    | Immutable
    /// `max-age=<seconds>`; when patched, an existing smaller numeric max-age wins.
    | MaxAge of seconds: int64
    /// `s-maxage=<seconds>`.
    | SMaxAge of seconds: int64
    /// `stale-while-revalidate=<seconds>` (RFC 5861 §3).
    | StaleWhileRevalidate of seconds: int64
    /// `stale-if-error=<seconds>` (RFC 5861 §4).
    | StaleIfError of seconds: int64
    /// Any directive by name: bare (`None`) or with a value written verbatim (`Directive ("community", Some "\"UCI\"")`).
    | Directive of name: string * value: string option

/// Cache-Control as pipeable functions: `head |> CacheControl.patch [ Public; MaxAge 300 ]`, `CacheControl.maxAge head`.
/// The functions over a response head read and write its Cache-Control field; `CacheControl.Field` works on the field's
/// text (`None` when absent) and `CacheControl.Parsed` on a parsed `FunctionalCache.Http.CacheControl`. None throws on
/// any header text.
[<RequireQualifiedAccess>]
module CacheControl =

    let private fieldName = "Cache-Control"

    let private add (patch: CacheControlPatch) (directive: CacheControlDirective) =
        match directive with
        | Public -> patch.Public()
        | Private -> patch.Private()
        | NoCache -> patch.NoCache()
        | NoCacheField field -> patch.NoCache field
        | NoStore -> patch.NoStore()
        | NoTransform -> patch.NoTransform()
        | MustRevalidate -> patch.MustRevalidate()
        | ProxyRevalidate -> patch.ProxyRevalidate()
        | Immutable -> patch.Flag "immutable"
        | MaxAge seconds -> patch.MaxAge(seconds: int64)
        | SMaxAge seconds -> patch.SharedMaxAge(seconds: int64)
        | StaleWhileRevalidate seconds -> patch.StaleWhileRevalidate(seconds: int64)
        | StaleIfError seconds -> patch.StaleIfError(seconds: int64)
        | Directive(name, None) -> patch.Flag name
        | Directive(name, Some value) -> patch.Directive(name, value)

    /// The C# patch that sets `directives` in order (a repeated name keeps its first position and the later value).
    /// Raises `ArgumentException` for a name that is not an HTTP token, or a value with a comma, CR or LF or blanks at its ends.
    let toPatch (directives: CacheControlDirective list) : CacheControlPatch =
        directives |> List.fold add CacheControlPatch.Empty

    // A number in exactly the form a patch writes it, so that reading a field and patching it back is the identity.
    let private seconds (text: string) =
        match Int64.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) with
        | true, n when n.ToString(CultureInfo.InvariantCulture) = text -> Some n
        | _ -> None

    /// The directive as an F# value: a known name bare, or with a plain decimal number, is its own case; anything else
    /// (`max-age=007`, `private="Set-Cookie"`, extensions) is a `Directive` with the text verbatim.
    let ofCacheDirective (directive: CacheDirective) : CacheControlDirective =
        let value = Option.ofLanguageExt directive.Value
        let timed make = match value |> Option.bind seconds with Some n -> make n | None -> Directive(directive.Name, value)
        match directive.Name, value with
        | "public", None -> Public
        | "private", None -> Private
        | "no-cache", None -> NoCache
        | "no-cache", Some field -> NoCacheField field
        | "no-store", None -> NoStore
        | "no-transform", None -> NoTransform
        | "must-revalidate", None -> MustRevalidate
        | "proxy-revalidate", None -> ProxyRevalidate
        | "immutable", None -> Immutable
        | "max-age", Some _ -> timed MaxAge
        | "s-maxage", Some _ -> timed SMaxAge
        | "stale-while-revalidate", Some _ -> timed StaleWhileRevalidate
        | "stale-if-error", Some _ -> timed StaleIfError
        | name, value -> Directive(name, value)

    /// A parsed Cache-Control value (`FunctionalCache.Http.CacheControl`) read with F# options and lists.
    [<RequireQualifiedAccess>]
    module Parsed =

        /// The directives of a field value; `None` (absent) and `Some ""` give no directives. Never throws.
        let ofField (value: string option) : CacheControl = FunctionalCache.Http.CacheControl.Parse(Interop.orNull value)

        /// The directives of the response's Cache-Control field.
        let ofHead (head: ResponseHead) : CacheControl = ofField (ResponseHead.header fieldName head)

        /// The directives in order, as F# values.
        let directives (cacheControl: CacheControl) : CacheControlDirective list =
            [ for d in cacheControl.Directives -> ofCacheDirective d ]

        /// The directives with `directives` patched in: Django's `patch_cache_control` as a value (smallest max-age
        /// wins, `public` and `private` replace each other, `no-cache` collects field names, the rest is kept).
        /// Raises `ArgumentException` for a malformed directive (see `toPatch`).
        let patch (directives: CacheControlDirective list) (cacheControl: CacheControl) : CacheControl =
            cacheControl.Patch(toPatch directives)

        /// The field value: the directives joined with `", "`.
        let format (cacheControl: CacheControl) : string = cacheControl.Format()

        /// True when a directive named `name` (any case) is present, bare or with a value.
        let has (name: string) (cacheControl: CacheControl) : bool = cacheControl.Contains name

        /// The first directive named `name` (any case), as an F# value.
        let tryFind (name: string) (cacheControl: CacheControl) : CacheControlDirective option =
            Option.ofLanguageExt (cacheControl.Find name) |> Option.map ofCacheDirective

        /// The `max-age` in seconds, read as Python's `int()` reads it (`None` when absent or not a number; a bare one is 1).
        let maxAge (cacheControl: CacheControl) : int64 option = Option.ofLanguageExt cacheControl.MaxAge

        /// The `s-maxage` in seconds, read as `maxAge`.
        let sharedMaxAge (cacheControl: CacheControl) : int64 option = Option.ofLanguageExt cacheControl.SharedMaxAge

        /// The `stale-while-revalidate` window in seconds, read as `maxAge`.
        let staleWhileRevalidate (cacheControl: CacheControl) : int64 option = Option.ofLanguageExt cacheControl.StaleWhileRevalidate

        /// The `stale-if-error` window in seconds, read as `maxAge`.
        let staleIfError (cacheControl: CacheControl) : int64 option = Option.ofLanguageExt cacheControl.StaleIfError

        /// The field names of a qualified `no-cache`, quotes removed, in order; empty when `no-cache` is absent or bare.
        let noCacheFields (cacheControl: CacheControl) : string list = List.ofSeq cacheControl.NoCacheFields

    /// A Cache-Control field value as text: `None` when the field is absent.
    [<RequireQualifiedAccess>]
    module Field =

        /// The field value with `directives` patched in (Django's `patch_cache_control` on the text); `""` when nothing
        /// is set. Never throws on the existing text; an existing max-age that is not a number is replaced. Raises
        /// `ArgumentException` for a malformed directive (see `toPatch`).
        let patch (directives: CacheControlDirective list) (value: string option) : string =
            CacheHeaders.PatchCacheControl(Interop.orNull value, toPatch directives)

        /// The max-age in seconds (Django's `get_max_age`): `None` when absent, empty, or not a number.
        let maxAge (value: string option) : int64 option = Option.ofLanguageExt (CacheHeaders.GetMaxAge(Interop.orNull value))

        /// The directives of the field value, as F# values.
        let directives (value: string option) : CacheControlDirective list = Parsed.directives (Parsed.ofField value)

    /// The response with `directives` patched into its Cache-Control (Django's `patch_cache_control`); the field is
    /// always written, even empty, as Django does. Raises `ArgumentException` for a malformed directive (see `toPatch`).
    let patch (directives: CacheControlDirective list) (head: ResponseHead) : ResponseHead =
        CacheHeaders.PatchCacheControl(head, toPatch directives)

    /// The max-age of the response's Cache-Control (Django's `get_max_age`): `None` when absent or not a number.
    let maxAge (head: ResponseHead) : int64 option = Option.ofLanguageExt (CacheHeaders.GetMaxAge head)

    /// The `s-maxage` of the response's Cache-Control.
    let sharedMaxAge (head: ResponseHead) : int64 option = Parsed.sharedMaxAge (Parsed.ofHead head)

    /// The `stale-while-revalidate` of the response's Cache-Control.
    let staleWhileRevalidate (head: ResponseHead) : int64 option = Parsed.staleWhileRevalidate (Parsed.ofHead head)

    /// The `stale-if-error` of the response's Cache-Control.
    let staleIfError (head: ResponseHead) : int64 option = Parsed.staleIfError (Parsed.ofHead head)

    /// True when the response's Cache-Control has a directive named `name` (any case).
    let has (name: string) (head: ResponseHead) : bool = Parsed.has name (Parsed.ofHead head)

    /// The directives of the response's Cache-Control, as F# values.
    let directives (head: ResponseHead) : CacheControlDirective list = Parsed.directives (Parsed.ofHead head)

    /// The field names of the response's qualified `no-cache`, unquoted.
    let noCacheFields (head: ResponseHead) : string list = Parsed.noCacheFields (Parsed.ofHead head)
