namespace FunctionalCache.FSharp

open System
open FunctionalCache.Http

/// Django's response-header helpers as pipeable functions over a response head: `head |> Headers.patchResponse now 600`,
/// `head |> Headers.neverCache now`. "Now" is a parameter; nothing reads the clock. Cache-Control and Vary have their
/// own modules (`CacheControl`, `Vary`).
[<RequireQualifiedAccess>]
module Headers =

    /// Django's `CACHE_MIDDLEWARE_SECONDS` default, 600 seconds.
    let defaultSeconds : int = CacheHeaders.DefaultSeconds

    /// The response made cacheable for `seconds` (negative counts as 0): Expires = now + seconds and Last-Modified = now,
    /// each only if absent, then `max-age=seconds` by the smallest-max-age rule (Django's `patch_response_headers`).
    let patchResponse (now: DateTimeOffset) (seconds: int) (head: ResponseHead) : ResponseHead =
        CacheHeaders.PatchResponseHeaders(head, now, seconds)

    /// The response marked as never to be cached (Django's `add_never_cache_headers`): Expires = now if absent, then
    /// `max-age=0, no-cache, no-store, must-revalidate, private` patched in.
    let neverCache (now: DateTimeOffset) (head: ResponseHead) : ResponseHead = CacheHeaders.AddNeverCacheHeaders(head, now)

    /// The response with `ETag` set to the body's tag (Django's `set_response_etag`); unchanged for an empty body.
    let setETag (body: byte[]) (head: ResponseHead) : ResponseHead = CacheHeaders.SetResponseEtag(head, ReadOnlySpan body)
