/// HEAD behaves as GET without a body, on a real Kestrel, through conditional GET and the page cache: the same status,
/// Content-Length and ETag, a 304 to a matching If-None-Match, and no page without a body left in the cache.
module Http.AspNetCore.HeadTests

open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open FunctionalCache.Http.AspNetCore
open Http.AspNetCore.TestServer

let private host = [ "Host", "testserver" ]

/// Conditional GET outside the per-site cache (the README's order), one page at /page/ counting its renders.
let private site (view: Counter -> RequestDelegate) =
    let counter = Counter()
    let server =
        start (fun app ->
            app.UseConditionalGet() |> ignore
            app.UseFunctionalCache(fun o -> o.WithSeconds 60L) |> ignore
            mapGet app "/page/" (view counter) |> ignore)
    server, counter

let private page (counter: Counter) = handler (fun ctx -> write ctx (sprintf "page %d" (counter.Next())))

/// Same fields a GET and a HEAD must agree on.
let private agree (get: Reply) (head: Reply) (what: string) =
    Expect.equal head.Status get.Status $"{what}: status"
    Expect.isEmpty head.Body $"{what}: HEAD has no body"
    Expect.equal (head.Header "Content-Length") (Some (string get.Body.Length)) $"{what}: HEAD's Content-Length is the GET's"
    Expect.isSome (get.Header "ETag") $"{what}: GET has an ETag"
    Expect.equal (head.Header "ETag") (get.Header "ETag") $"{what}: HEAD has the GET's ETag"

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Head" [
        testCase "HEAD on a page not cached yet answers as its GET: status, Content-Length and ETag" <| fun () ->
            let server, _ = site (fun counter -> handler (fun ctx -> counter.Next() |> ignore; write ctx "the same page"))
            use _ = server
            let head = server.Head("/page/", host)
            Expect.equal head.XCache "MISS" "not cached yet"
            let get = server.Get("/page/", host)
            agree get head "uncached HEAD"

        testCase "HEAD served from the cached GET carries the GET's ETag" <| fun () ->
            let server, counter = site page
            use _ = server
            let get = server.Get("/page/", host)
            let head = server.Head("/page/", host)
            Expect.equal (head.XCache, counter.Calls) ("HIT", 1) "served from the GET's entry"
            agree get head "cached HEAD"

        testCase "a HEAD with a matching If-None-Match gets 304, cached or not" <| fun () ->
            let server, _ = site page
            use _ = server
            let tag = (server.Get("/page/", host).Header "ETag").Value
            let cached = server.Head("/page/", host @ [ "If-None-Match", tag ])
            Expect.equal cached.Status 304 "304 from the cached page"
            let fresh, _ = site page
            use _ = fresh
            let uncached = fresh.Head("/page/", host @ [ "If-None-Match", tag ])
            Expect.equal uncached.Status 304 "304 from the view"
            Expect.equal (fresh.Head("/page/", host @ [ "If-None-Match", "\"other\"" ]).Status) 200 "a tag that does not match: 200"

        testCase "a HEAD miss stores a page a later HEAD replays with its length and ETag; the GET is unaffected" <| fun () ->
            let server, counter = site page
            use _ = server
            let first = server.Head("/page/", host)
            let second = server.Head("/page/", host)
            Expect.equal (first.XCache, second.XCache, counter.Calls) ("MISS", "HIT", 1) "the second HEAD is a hit"
            Expect.equal (second.Header "Content-Length") (Some "6") "the stored page kept its length"
            Expect.equal (second.Header "ETag") (first.Header "ETag") "and its ETag"
            let get = server.Get("/page/", host)
            Expect.equal get.Text "page 2" "a GET never reads the HEAD's entry: it renders its own, whole"

        testCase "a view that writes no body for HEAD leaves nothing in the cache: the next GET gets the whole page" <| fun () ->
            let bodyless (counter: Counter) =
                handler (fun ctx ->
                    let n = counter.Next()
                    if HttpMethods.IsHead ctx.Request.Method then System.Threading.Tasks.Task.CompletedTask else write ctx (sprintf "page %d" n))
            let server, counter = site bodyless
            use _ = server
            server.Head("/page/", host) |> ignore
            let again = server.Head("/page/", host)
            Expect.equal (again.XCache, counter.Calls) ("MISS", 2) "not stored, so the view runs again"
            Expect.equal (server.Get("/page/", host).Text) "page 3" "GET renders the page"
    ]
