namespace FunctionalCache.FSharp

open System
open FunctionalCache.Http

/// Why the page cache sends a response without storing it (DESIGN.md's never-store list).
[<RequireQualifiedAccess>]
type NotStored =
    /// The request method is not GET or HEAD.
    | Method
    /// The body was streamed, so it was never held whole.
    | Streaming
    /// The status is neither 200 nor 304.
    | Status
    /// The response sets a cookie (CVE-2014-0473, CVE-2026-48588).
    | SetsCookie
    /// Cache-Control has `private`, `no-cache` or `no-store` (CVE-2026-8404).
    | NotShareable
    /// Vary lists `*` (CVE-2026-6907).
    | VaryStar
    /// The request carried Authorization and the response is not `public` (CVE-2026-35193).
    | Authorization
    /// The view's own `max-age=0`, without a page timeout.
    | MaxAgeZero
    /// The timeout came to zero or less.
    | NoTimeout
    /// A 304 gets the caching headers but has no body to store.
    | NotModified

    /// The reason in words, as the middleware logs it.
    member this.Text : string =
        match this with
        | NotStored.Method -> SkipReason.Method
        | NotStored.Streaming -> SkipReason.Streaming
        | NotStored.Status -> SkipReason.Status
        | NotStored.SetsCookie -> SkipReason.SetsCookie
        | NotStored.NotShareable -> SkipReason.NotShareable
        | NotStored.VaryStar -> SkipReason.VaryStar
        | NotStored.Authorization -> SkipReason.Authorization
        | NotStored.MaxAgeZero -> SkipReason.MaxAgeZero
        | NotStored.NoTimeout -> SkipReason.NoTimeout
        | NotStored.NotModified -> SkipReason.NotModified

/// What the page cache's update half does with a response.
type PageDecision =
    /// Store the response (with its patched headers) for `seconds` (always positive), and send it.
    | Store of response: ResponseHead * seconds: int64
    /// Send the response (perhaps with patched headers) without storing it.
    | Skip of response: ResponseHead * reason: NotStored

    /// The response to send, stored or not.
    member this.Response : ResponseHead =
        match this with
        | Store(response, _)
        | Skip(response, _) -> response

/// The page cache's rules as pure functions (Django's `UpdateCacheMiddleware` and `FetchFromCacheMiddleware` under
/// DESIGN.md's rules): `PageCache.decideUpdate now 600L None false request response`.
[<RequireQualifiedAccess>]
module PageCache =

    let private reasons =
        dict
            [ SkipReason.Method, NotStored.Method
              SkipReason.Streaming, NotStored.Streaming
              SkipReason.Status, NotStored.Status
              SkipReason.SetsCookie, NotStored.SetsCookie
              SkipReason.NotShareable, NotStored.NotShareable
              SkipReason.VaryStar, NotStored.VaryStar
              SkipReason.Authorization, NotStored.Authorization
              SkipReason.MaxAgeZero, NotStored.MaxAgeZero
              SkipReason.NoTimeout, NotStored.NoTimeout
              SkipReason.NotModified, NotStored.NotModified ]

    let internal ofDecision (decision: StoreDecision) : PageDecision =
        match decision with
        | :? StoreDecision.StoreCase as s -> Store(s.Response, s.Seconds)
        | :? StoreDecision.SkipCase as s ->
            match reasons.TryGetValue s.Reason with
            | true, reason -> Skip(s.Response, reason)
            | _ -> invalidOp $"The page cache gave a reason this package does not know: '{s.Reason}'."
        | _ -> invalidOp "StoreDecision is a closed type."

    /// True for the methods the page cache looks up and stores: GET and HEAD, in any case.
    let isCacheableMethod (methodName: string) : bool = PageCacheRules.IsCacheableMethod methodName

    /// What the update half does with `response`, in Django's order: skip other methods, streamed bodies, statuses
    /// other than 200 and 304, cookies, `private`/`no-cache`/`no-store`, `Vary: *`, and Authorization without `public`
    /// (which gets `Vary: Authorization`); the timeout is `pageTimeout` when given, else the response's own max-age
    /// (`max-age=0`: skip), else `seconds`; Expires, Last-Modified and max-age are patched in; a 200 with a positive
    /// timeout is stored.
    let decideUpdate (now: DateTimeOffset) (seconds: int64) (pageTimeout: int64 option) (streaming: bool) (request: RequestHead) (response: ResponseHead) : PageDecision =
        PageCacheRules.DecideUpdate(request, response, streaming, Option.toLanguageExt pageTimeout, seconds, now) |> ofDecision

    /// The `Age` of a cached response served at `now`: its max-age less the seconds until its Expires, at least 0;
    /// `None` without a numeric max-age or a readable Expires.
    let age (now: DateTimeOffset) (cached: ResponseHead) : int64 option = Option.ofLanguageExt (PageCacheRules.Age(cached, now))

    /// The stored form of a response (status, fields, body).
    let encode (entry: CachedResponse) : byte[] = entry.Encode()

    /// The response stored in `bytes`, or `None` when they are not a stored response (another version, a truncated entry).
    let decode (bytes: byte[]) : CachedResponse option = Option.ofLanguageExt (CachedResponse.Decode(ReadOnlySpan bytes))
