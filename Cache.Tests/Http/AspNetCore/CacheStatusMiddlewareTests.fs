/// What the page caches say they did, on a real Kestrel: the RFC 9211 Cache-Status member each layer appends (hit
/// with ttl, a stored miss, a response not stored and why, a request let through), after an upstream member, and the
/// counts per layer (per-site and per-view apart; never-cacheable pages are not misses).
module Http.AspNetCore.CacheStatusMiddlewareTests

open System
open System.IO
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Time.Testing
open FunctionalCache.Http
open FunctionalCache.Http.AspNetCore
open Http.AspNetCore.TestServer

let private host = [ "Host", "testserver" ]

let private status (reply: Reply) = reply.Header "Cache-Status" |> Option.defaultValue "(none)"

let private page (counter: Counter) = handler (fun ctx -> write ctx (sprintf "page %d" (counter.Next())))

/// The demo's shape: the per-site cache around everything, a per-view cache on /foo/ and a never-cached page.
let private layered (counter: Counter) (app: WebApplication) =
    app.UseFunctionalCache(fun o -> o.WithSeconds 60L) |> ignore
    mapGet app "/foo/" (page counter) |> fun b -> b.CachePage(TimeSpan.FromMinutes 15.0) |> ignore
    mapGet app "/never/" (page counter) |> fun b -> b.NeverCache() |> ignore
    mapGet app "/plain/" (page counter) |> ignore
    app.MapMethods("/form/", [ "POST" ], page counter) |> ignore

let private counts (layer: CacheLayerCounters) = layer.Hits, layer.Misses, layer.NotCacheable, layer.Stores, layer.BackendFailures

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.CacheStatus" [
        testCase "a stored miss says fwd=uri-miss; stored, a hit says hit; ttl=N counting down" <| fun () ->
            let counter = Counter()
            use server = start (layered counter)
            let first = server.Get("/plain/", host)
            Expect.equal (status first) "FunctionalCache; fwd=uri-miss; stored" "stored miss"
            server.Clock.Advance(TimeSpan.FromSeconds 10.0)
            let second = server.Get("/plain/", host)
            Expect.equal (status second) "FunctionalCache; hit; ttl=50" "hit, 50 s of 60 left"
            Expect.equal (second.XCache, first.XCache) ("HIT", "MISS") "X-Cache is still sent"

        testCase "nested layers each add their member, the one nearest the view first, and count apart: one miss and one store each" <| fun () ->
            let counter = Counter()
            use server = start (layered counter)
            let first = server.Get("/foo/", host)
            Expect.equal (status first) "FunctionalCache; fwd=uri-miss; stored, FunctionalCache; fwd=uri-miss; stored" "the per-view member, then the per-site one"
            Expect.equal (counts server.Counters.Site, counts server.Counters.View) ((0L, 1L, 0L, 1L, 0L), (0L, 1L, 0L, 1L, 0L)) "one miss and one store in each layer"
            let second = server.Get("/foo/", host)
            Expect.equal (status second) "FunctionalCache; hit; ttl=900" "the per-site cache answers (the page's max-age is the view's 900 s)"
            Expect.equal (counts server.Counters.Site, counts server.Counters.View) ((1L, 1L, 0L, 1L, 0L), (0L, 1L, 0L, 1L, 0L)) "a site hit; the view layer never saw it"
            Expect.equal counter.Calls 1 "the view ran once"

        testCase "a never-cached page is not a miss: not cacheable, and its Cache-Status says it was not stored and why" <| fun () ->
            let counter = Counter()
            use server = start (layered counter)
            let reply = server.Get("/never/", host)
            Expect.equal (status reply) "FunctionalCache; fwd=uri-miss; stored=?0; detail=\"Cache-Control private, no-cache or no-store\"" "not stored, with the reason"
            server.Get("/never/", host) |> ignore
            Expect.equal (counts server.Counters.Site) (0L, 0L, 2L, 0L, 0L) "two not-cacheable requests, no miss"
            Expect.equal (server.Counters.Misses, server.Counters.NotCacheable) (0L, 2L) "the totals agree"

        testCase "a request the cache lets through says so and is not counted; Authorization is a bypass that may still store" <| fun () ->
            let counter = Counter()
            use server = start (layered counter)
            let post = server.Send("POST", "/form/", host)
            Expect.equal (status post) "FunctionalCache; fwd=method" "POST is forwarded for its method"
            let auth = server.Get("/plain/", host @ [ "Authorization", "Basic eDp5" ])
            Expect.equal (status auth) "FunctionalCache; fwd=bypass; stored=?0; detail=\"authorization; request has Authorization and the response is not public\"" "never answered from the cache"
            Expect.equal (counts server.Counters.Site) (0L, 0L, 1L, 0L, 0L) "the POST is not counted; the credentialed GET is not cacheable"

        testCase "vary-miss when the URL has pages stored for other values of the fields it varies on" <| fun () ->
            let counter = Counter()
            use server = start (fun app -> app.UseFunctionalCache() |> ignore; mapGet app "/inbox/" (page counter) |> fun b -> b.VaryOnCookie() |> ignore)
            Expect.equal (status (server.Get("/inbox/", host @ [ "Cookie", "user=ann" ]))) "FunctionalCache; fwd=uri-miss; stored" "first visit"
            Expect.equal (status (server.Get("/inbox/", host @ [ "Cookie", "user=bob" ]))) "FunctionalCache; fwd=vary-miss; stored" "another cookie"
            Expect.stringStarts (status (server.Get("/inbox/", host @ [ "Cookie", "user=ann" ]))) "FunctionalCache; hit" "ann's page"

        testCase "an upstream Cache-Status is kept and ours appended; a streamed body says it was not stored" <| fun () ->
            let counter = Counter()
            let upstream = handler (fun ctx -> ctx.Response.Headers["Cache-Status"] <- "Origin; fwd=uri-miss"; write ctx (sprintf "page %d" (counter.Next())))
            let streamed = handler (fun ctx ->
                task {
                    ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>().DisableBuffering()
                    do! write ctx "streamed"
                })
            use server =
                start (fun app ->
                    app.UseFunctionalCache() |> ignore
                    mapGet app "/up/" upstream |> ignore
                    mapGet app "/stream/" streamed |> ignore)
            Expect.equal (status (server.Get("/up/", host))) "Origin; fwd=uri-miss, FunctionalCache; fwd=uri-miss; stored" "appended after the view's member"
            Expect.equal (status (server.Get("/up/", host))) "FunctionalCache; hit; ttl=600" "the stored page does not replay the old member"
            Expect.equal (status (server.Get("/stream/", host))) "FunctionalCache; fwd=uri-miss; stored=?0; detail=\"streaming body\"" "streamed"
            Expect.equal server.Counters.Site.NotCacheable 1L "a streamed response is not cacheable"

        testCase "a failing backend: the lookup and the store failures are in the member and the layer's count" <| fun () ->
            let dir = Directory.CreateTempSubdirectory("fc-status-")
            try
                let broken = FunctionalCache.Backends.Caches.FromUri(sprintf "db://no_such_table?database=%s" (Path.Combine(dir.FullName, "c.sqlite")))
                let counter = Counter()
                use server = startWith (FakeTimeProvider(defaultStart)) (Some broken) ignore (fun app -> app.UseFunctionalCache() |> ignore; mapGet app "/p/" (page counter) |> ignore)
                Expect.equal (status (server.Get("/p/", host))) "FunctionalCache; fwd=miss; stored=?0; detail=\"lookup failed; store failed\"" "both failures said"
                Expect.equal (counts server.Counters.Site) (0L, 1L, 0L, 0L, 2L) "a miss (cacheable), no store, two backend failures"
            finally
                dir.Delete true
    ]
