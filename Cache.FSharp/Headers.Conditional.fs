namespace FunctionalCache.FSharp

open System
open FunctionalCache.Http

/// HTTP dates (RFC 9110 §5.6.7): written as IMF-fixdate, read in all three historic formats.
[<RequireQualifiedAccess>]
module HttpDate =

    /// The IMF-fixdate text of `instant`, seconds truncated: `Tue, 14 Nov 2023 22:13:20 GMT`.
    let format (instant: DateTimeOffset) : string = FunctionalCache.Http.HttpDate.Format instant

    /// The instant written in `text` (IMF-fixdate, RFC 850 or asctime; blanks around it ignored), or `None` for
    /// anything else; `now` only resolves RFC 850's two-digit years (Django's `parse_http_date_safe`). Never throws.
    let parse (now: DateTimeOffset) (text: string) : DateTimeOffset option =
        Option.ofLanguageExt (FunctionalCache.Http.HttpDate.Parse(text, now))

/// The entity tags listed in an `If-Match` or `If-None-Match` field.
type ETagList =
    /// `*`: any current representation.
    | AnyTag
    /// The well-formed tags, in order; none when the field is absent or lists only malformed tags.
    | Listed of EntityTag list

/// Entity tags (RFC 9110 §8.8.3): `ETag.parse "W/\"x\""`, `ETag.forBody bytes`.
[<RequireQualifiedAccess>]
module ETag =

    /// The strong tag `"opaque"`. Raises `ArgumentException` when the text contains a double quote.
    let strong (opaque: string) : EntityTag = EntityTag.Strong opaque

    /// The weak tag `W/"opaque"`. Raises `ArgumentException` when the text contains a double quote.
    let weak (opaque: string) : EntityTag = EntityTag.Weak opaque

    /// The tag written in `text` exactly, or `None` when it is not a well-formed tag (Django's `ETAG_MATCH`). Never throws.
    let parse (text: string) : EntityTag option = Option.ofLanguageExt (EntityTag.Parse text)

    /// The tags of an `If-Match`/`If-None-Match` value (Django's `parse_etags`): `AnyTag` for `*`, otherwise each
    /// comma-separated entry that is a well-formed tag once trimmed. Never throws.
    let parseList (text: string) : ETagList =
        let list = EntityTag.ParseList text
        if list.IsAny then AnyTag else Listed(List.ofSeq list.Tags)

    /// The strong tag `"<md5 hex>"` of `body`, as header text, or `None` for an empty body (Django's `set_response_etag`).
    let forBody (body: byte[]) : string option = Option.ofLanguageExt (FunctionalCache.Http.ETag.ForBody(ReadOnlySpan body))

/// What a conditional request comes to (RFC 9110 §13): serve the response, answer 304, or answer 412.
type ConditionalResponse =
    /// No precondition fired: serve this response (`None` when none was given).
    | Proceed of ResponseHead option
    /// Answer with this 304, which keeps only the validator and caching fields and the cookies of the full response.
    | NotModified of ResponseHead
    /// Answer with this empty 412.
    | PreconditionFailed of ResponseHead

    /// The response to send: the one to serve, the 304 or the 412 (`None` only when proceeding without a response).
    member this.Response : ResponseHead option =
        match this with
        | Proceed response -> response
        | NotModified response
        | PreconditionFailed response -> Some response

/// Conditional GET as pipeable functions: `Conditional.response now etag lastModified (Some head) request` (Django's
/// `get_conditional_response`) and `head |> Conditional.get now request body` (its `ConditionalGetMiddleware`).
/// Pure; never throws on any header text.
[<RequireQualifiedAccess>]
module Conditional =

    let internal ofOutcome (outcome: ConditionalOutcome) : ConditionalResponse =
        match outcome with
        | :? ConditionalOutcome.ProceedCase as c -> Proceed(Option.ofLanguageExt c.Served)
        | :? ConditionalOutcome.NotModifiedCase as c -> NotModified c.NotModifiedResponse
        | :? ConditionalOutcome.PreconditionFailedCase as c -> PreconditionFailed c.FailedResponse
        | _ -> invalidOp "ConditionalOutcome is a closed type."

    /// The request's preconditions evaluated in RFC 9110 §13.2.2's order against the current `etag` and `lastModified`
    /// time (compared in whole seconds): a non-2xx `response` proceeds unchanged; a failed If-Match or
    /// If-Unmodified-Since is 412; a matching If-None-Match is 304 for GET and HEAD and 412 otherwise; a satisfied
    /// If-Modified-Since on GET or HEAD is 304; otherwise proceed. `now` only reads RFC 850 years.
    let response (now: DateTimeOffset) (etag: EntityTag option) (lastModified: DateTimeOffset option) (response: ResponseHead option) (request: RequestHead) : ConditionalResponse =
        FunctionalCache.Http.Conditional.GetConditionalResponse(request, Option.toLanguageExt etag, Option.toLanguageExt lastModified, Option.toLanguageExt response, now)
        |> ofOutcome

    /// The conditional-GET step for a GET whose whole body is known: the body's ETag added when the response has none
    /// (and no `no-store`), then the preconditions evaluated. Anything but GET proceeds untouched.
    let get (now: DateTimeOffset) (request: RequestHead) (body: byte[]) (response: ResponseHead) : ConditionalResponse =
        FunctionalCache.Http.Conditional.ConditionalGet(request, response, ReadOnlySpan body, now) |> ofOutcome

    /// As `get`, when the body is streamed or tagged elsewhere: `bodyTag` is added as the ETag (`None`: no ETag is added).
    let getTagged (now: DateTimeOffset) (request: RequestHead) (bodyTag: EntityTag option) (response: ResponseHead) : ConditionalResponse =
        FunctionalCache.Http.Conditional.ConditionalGet(request, response, Option.toLanguageExt bodyTag, now) |> ofOutcome
