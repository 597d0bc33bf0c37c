/// The per-site cache middleware and cache_page on a real Kestrel: Django's HEAD cases (section J),
/// CacheMiddlewareTest (section L), the i18n-free parts of K, compression interplay (section Q through
/// ASP.NET Core's ResponseCompression), and the update_cache_middleware vectors under DESIGN.md's rules.
module Http.AspNetCore.MiddlewareTests

open System
open System.IO
open System.IO.Compression
open System.Text
open System.Text.Json
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.AspNetCore.ResponseCompression
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Http
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

/// Django's hello_world_view: "Hello World <n>", n counting the calls.
let private hello (counter: Counter) = handler (fun ctx -> write ctx (sprintf "Hello World %d" (counter.Next())))

let private siteWith (configure: CacheMiddlewareOptions -> CacheMiddlewareOptions) (counter: Counter) (app: WebApplication) =
    app |> App.useCache configure |> ignore
    mapGet app "/view/" (hello counter) |> ignore

let private host = [ "Host", "testserver" ]

let private gunzip (bytes: byte[]) =
    use input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)
    use output = new MemoryStream()
    input.CopyTo output
    Encoding.UTF8.GetString(output.ToArray())

// ---- section J: HEAD ---------------------------------------------------------------------------

let headTests =
    testList "HEAD (Django CacheHEADTest)" [
        testCase "a HEAD response stored by the middleware is returned for the next HEAD" <| fun () ->
            let counter = Counter()
            use server = start (siteWith (fun o -> o.WithSeconds(60L).WithKeyPrefix "test") counter)
            let first = server.Head("/view/", host)
            let second = server.Head("/view/", host)
            Expect.equal (first.XCache, second.XCache) ("MISS", "HIT") "second HEAD is a hit"
            Expect.equal counter.Calls 1 "the view ran once"
            Expect.isEmpty second.Body "a HEAD answer has no body"

        testCase "a cached GET response is returned for a HEAD request" <| fun () ->
            let counter = Counter()
            use server = start (siteWith (fun o -> o.WithSeconds(60L).WithKeyPrefix "test") counter)
            let get = server.Get("/view/", host)
            let head = server.Head("/view/", host)
            Expect.equal get.Text "Hello World 1" "GET rendered"
            Expect.equal head.XCache "HIT" "HEAD served from the cached GET"
            Expect.isEmpty head.Body "no body on HEAD"
            Expect.equal (head.Header "Content-Length") (Some "13") "HEAD keeps the GET's Content-Length"
            Expect.equal counter.Calls 1 "the view ran once"
    ]

// ---- section L: middleware and cache_page --------------------------------------------------------

let middlewareTests =
    testList "CacheMiddlewareTest" [
        testCase "the options default to Django's settings: 600 seconds, no prefix, alias default, every visitor, query strings in the key" <| fun () ->
            let o = CacheMiddlewareOptions.Default
            Expect.equal (o.Seconds, o.KeyPrefix, o.CacheAlias, o.AnonymousOnly, o.QueryStrings) (600L, "", "default", false, QueryStringRule.PartOfKey) "defaults"
            let c = o.WithSeconds(60L).WithKeyPrefix("foo").WithCacheAlias("other")
            Expect.equal (c.Seconds, c.KeyPrefix, c.CacheAlias) (60L, "foo", "other") "With… methods"
            Expect.equal o.Seconds 600L "the original is unchanged"

        testCase "first request misses and is stored; the repeat hits; another prefix misses; a shorter timeout with the same prefix hits" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let cache = locmemOn clock
            let counter = Counter()
            let serve configure = startWith clock (Some cache) ignore (siteWith configure counter)
            use a = serve (fun o -> o.WithSeconds(30L).WithKeyPrefix "middlewareprefix")
            Expect.equal (a.Get("/view/", host).Text) "Hello World 1" "miss renders"
            let hit = a.Get("/view/", host)
            Expect.equal (hit.Text, hit.XCache) ("Hello World 1", "HIT") "repeat hits"
            use b = serve (fun o -> o.WithSeconds(30L).WithKeyPrefix "prefix1")
            Expect.equal (b.Get("/view/", host).Text) "Hello World 2" "another prefix misses"
            use c = serve (fun o -> o.WithSeconds(1L).WithKeyPrefix "middlewareprefix")
            Expect.equal (c.Get("/view/", host).Text) "Hello World 1" "same prefix, other timeout: hit"

        testCase "cache_page: calls 2 and 3 hit; prefixes and caches have their own entries; after 2 s the 3-second entries hit and the 1-second ones re-render" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let other = locmemOn clock
            let counter = Counter()
            use server =
                startWith clock None (fun s -> s.AddKeyedSingleton<ICache>("other", other) |> ignore) (fun app ->
                    mapGet app "/default/" (cachePage 3 (hello counter)) |> ignore
                    mapGet app "/explicit/" (hello counter) |> fun b -> b.CachePage(TimeSpan.FromSeconds 3.0, "default", "") |> ignore
                    mapGet app "/prefix1/" (hello counter) |> fun b -> b.CachePage(TimeSpan.FromSeconds 3.0, "default", "prefix1") |> ignore
                    mapGet app "/other/" (hello counter) |> fun b -> b.CachePage(TimeSpan.FromSeconds 1.0, "other", "") |> ignore
                    mapGet app "/other2/" (hello counter) |> fun b -> b.CachePage(TimeSpan.FromSeconds 1.0, "other", "prefix2") |> ignore)
            let text path = server.Get(path, host).Text
            Expect.equal [ text "/default/"; text "/default/"; text "/default/" ] [ "Hello World 1"; "Hello World 1"; "Hello World 1" ] "2 and 3 hit"
            Expect.equal [ text "/prefix1/"; text "/prefix1/" ] [ "Hello World 2"; "Hello World 2" ] "own prefix"
            Expect.equal [ text "/other/"; text "/other/" ] [ "Hello World 3"; "Hello World 3" ] "own cache"
            Expect.equal (text "/other2/") "Hello World 4" "other cache, other prefix"
            Expect.equal (text "/explicit/") "Hello World 5" "an explicit default alias on another URL"
            Expect.equal (other :?> FunctionalCache.Backends.LocMem.LocMemCache).Count 6 "the other cache holds two header lists, two URL stamps (docs/tags.md) and two pages"
            clock.Advance(TimeSpan.FromSeconds 2.0)
            Expect.equal (text "/default/") "Hello World 1" "3-second entry still hits"
            Expect.equal (text "/prefix1/") "Hello World 2" "3-second entry still hits"
            Expect.equal (text "/other/") "Hello World 6" "1-second entry re-renders"
            Expect.equal (text "/other2/") "Hello World 7" "1-second entry re-renders"

        testCase "a page rendered again under the same key is served as its new bytes by a store that copies every read (decodes are reused only for equal bytes)" <| fun () ->
            let counter = Counter()
            use server = start (fun app -> mapGet app "/page/" (cachePage 1 (hello counter)) |> ignore)
            let text () = server.Get("/page/", host).Text
            Expect.equal [ text (); text (); text () ] [ "Hello World 1"; "Hello World 1"; "Hello World 1" ] "stored, then hits"
            server.Clock.Advance(TimeSpan.FromSeconds 2.0)
            Expect.equal [ text (); text (); text () ] [ "Hello World 2"; "Hello World 2"; "Hello World 2" ] "rendered again, then hits of the new page"

        testCase "the page timeout wins over the view's max-age in both directions" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let counter = Counter()
            let view maxAge = cacheControl [ MaxAge(int64 maxAge) ] (hello counter)
            use server =
                startWith clock None ignore (fun app ->
                    mapGet app "/long/" (view 1) |> fun b -> b.CachePage(TimeSpan.FromSeconds 3.0) |> ignore
                    mapGet app "/short/" (view 3) |> fun b -> b.CachePage(TimeSpan.FromSeconds 1.0) |> ignore)
            Expect.equal (server.Get("/long/", host).Text) "Hello World 1" "render"
            Expect.equal (server.Get("/short/", host).Text) "Hello World 2" "render"
            clock.Advance(TimeSpan.FromSeconds 1.0)
            Expect.equal (server.Get("/long/", host).Text) "Hello World 1" "max_age 1 / page_timeout 3: still cached after 1 s"
            Expect.equal (server.Get("/short/", host).Text) "Hello World 3" "max_age 3 / page_timeout 1: re-rendered after 1 s"

        testCase "without a page timeout the view's max-age sets the storage time and max-age=0 is not stored" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let counter = Counter()
            use server =
                startWith clock None ignore (fun app ->
                    app.UseFunctionalCache(fun o -> o.WithSeconds 600L) |> ignore
                    mapGet app "/sixty/" (hello counter) |> fun b -> b.CacheControl(fun p -> p.MaxAge 60L) |> ignore
                    mapGet app "/zero/" (hello counter) |> fun b -> b.CacheControl(fun p -> p.MaxAge 0L) |> ignore)
            let first = server.Get("/sixty/", host)
            Expect.equal (first.Header "Cache-Control") (Some "max-age=60") "view's max-age kept"
            Expect.equal (first.Header "Expires") (Some (HttpDate.Format(defaultStart.AddSeconds 60.0))) "Expires from the view's max-age"
            Expect.equal (first.Header "Last-Modified") (Some (HttpDate.Format defaultStart)) "Last-Modified set"
            clock.Advance(TimeSpan.FromSeconds 59.0)
            Expect.equal (server.Get("/sixty/", host).XCache) "HIT" "hit before 60 s"
            clock.Advance(TimeSpan.FromSeconds 1.0)
            Expect.equal (server.Get("/sixty/", host).XCache) "MISS" "gone at 60 s, not at the middleware's 600"
            server.Get("/zero/", host) |> ignore
            let zero = server.Get("/zero/", host)
            Expect.equal zero.XCache "MISS" "max-age=0 is not stored"
            Expect.isNone (zero.Header "Expires") "max-age=0 leaves the headers untouched"

        testCase "cache_control(private | no_cache | no_store) under cache_page(3) is rendered again" <| fun () ->
            let counter = Counter()
            use server =
                start (fun app ->
                    mapGet app "/private/" (hello counter) |> fun b -> b.CacheControl(fun p -> p.Private()).CachePage(TimeSpan.FromSeconds 3.0) |> ignore
                    mapGet app "/no-cache/" (hello counter) |> fun b -> b.CacheControl(fun p -> p.NoCache()).CachePage(TimeSpan.FromSeconds 3.0) |> ignore
                    mapGet app "/no-store/" (hello counter) |> fun b -> b.CacheControl(fun p -> p.NoStore()).CachePage(TimeSpan.FromSeconds 3.0) |> ignore)
            for path in [ "/private/"; "/no-cache/"; "/no-store/" ] do
                let first = server.Get(path, host).Text
                let second = server.Get(path, host).Text
                Expect.notEqual first second (sprintf "%s re-rendered" path)

        testCase "a cookie-less request whose response sets a cookie and varies on Cookie is not stored" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx ->
                ctx.Response.Cookies.Append("csrftoken", "token")
                write ctx (sprintf "Hello World %d" (counter.Next())))
            use server = start (fun app -> mapGet app "/csrf/" view |> fun b -> b.VaryOnCookie().CachePage(TimeSpan.FromSeconds 3.0) |> ignore)
            server.Get("/csrf/", host) |> ignore
            Expect.equal (server.Get("/csrf/", host).Text) "Hello World 2" "not stored"

        testCase "a 304 from the view gets Cache-Control and Expires but is not stored" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx -> counter.Next() |> ignore; ctx.Response.StatusCode <- 304; Threading.Tasks.Task.CompletedTask)
            use server = start (fun app -> mapGet app "/nm/" view |> fun b -> b.CachePage(TimeSpan.FromSeconds 2.0) |> ignore)
            let first = server.Get("/nm/", host)
            let second = server.Get("/nm/", host)
            Expect.equal (first.Status, second.Status) (304, 304) "304 both times"
            Expect.equal (second.Header "Cache-Control") (Some "max-age=2") "Cache-Control"
            Expect.isSome (second.Header "Expires") "Expires"
            Expect.equal counter.Calls 2 "the view ran twice"

        testCase "cache_page(2) at 17 Jul 2016 10:00:00: Expires +2 s, max-age=2, no Age; one second later the same headers and Age: 1" <| fun () ->
            let clock = FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds 1468749600L)
            let counter = Counter()
            use server = startWith clock None ignore (fun app -> mapGet app "/age/" (hello counter) |> fun b -> b.CachePage(TimeSpan.FromSeconds 2.0) |> ignore)
            let first = server.Get("/age/", host)
            Expect.equal (first.Header "Expires") (Some "Sun, 17 Jul 2016 10:00:02 GMT") "Expires"
            Expect.equal (first.Header "Cache-Control") (Some "max-age=2") "Cache-Control"
            Expect.isNone (first.Header "Age") "no Age on a miss"
            clock.Advance(TimeSpan.FromSeconds 1.0)
            let second = server.Get("/age/", host)
            Expect.equal (second.Header "Expires") (Some "Sun, 17 Jul 2016 10:00:02 GMT") "same Expires"
            Expect.equal (second.Header "Cache-Control") (Some "max-age=2") "same Cache-Control"
            Expect.equal (second.Header "Age") (Some "1") "Age: 1"
            Expect.equal second.XCache "HIT" "hit"

        testCase "404s and POSTs are never stored; a POST never reads the cache" <| fun () ->
            let counter = Counter()
            use server =
                start (fun app ->
                    app.UseFunctionalCache() |> ignore
                    app.MapMethods("/missing/", [ "GET" ], handler (fun ctx -> ctx.Response.StatusCode <- 404; write ctx (string (counter.Next())))) |> ignore
                    app.MapMethods("/form/", [ "GET"; "POST" ], hello counter) |> ignore)
            server.Get("/missing/", host) |> ignore
            Expect.equal (server.Get("/missing/", host).Text) "2" "404 not stored"
            let get = server.Get("/form/", host)
            let post = server.Send("POST", "/form/", host)
            Expect.equal (get.Text, post.Text, post.XCache) ("Hello World 3", "Hello World 4", "(none)") "POST runs the view, untouched"

        testCase "/foo/1/ and /foo/23/ are cached apart, and the query string is part of the key" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx -> write ctx (sprintf "%s %d" (string ctx.Request.RouteValues["n"]) (counter.Next())))
            use server = start (fun app -> app.MapGet("/foo/{n}/", view).CachePage(TimeSpan.FromMinutes 15.0) |> ignore)
            let texts = [ "/foo/1/"; "/foo/23/"; "/foo/1/"; "/foo/23/"; "/foo/1/?foo=bar&other=true"; "/foo/1/?foo=bar&other=true"; "/foo/1/?foo=bar&somethingelse=true" ] |> List.map (fun p -> server.Get(p, host).Text)
            Expect.equal texts [ "1 1"; "23 2"; "1 1"; "23 2"; "1 3"; "1 3"; "1 4" ] "per-URL entries"

        testCase "the seed's query-string rule: pages with a query string are neither looked up nor stored" <| fun () ->
            let counter = Counter()
            use server = start (siteWith (fun o -> o.WithQueryStrings QueryStringRule.NotCached) counter)
            let texts = [ "/view/?a=1"; "/view/?a=1"; "/view/"; "/view/" ] |> List.map (fun p -> server.Get(p, host).Text)
            Expect.equal texts [ "Hello World 1"; "Hello World 2"; "Hello World 3"; "Hello World 3" ] "query pages always render"

        testCase "a streamed body is never stored" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx ->
                task {
                    ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>().DisableBuffering()
                    do! write ctx (sprintf "chunk %d" (counter.Next()))
                    do! ctx.Response.Body.FlushAsync()
                })
            use server = start (fun app -> app.UseFunctionalCache() |> ignore; mapGet app "/stream/" view |> ignore)
            let first = server.Get("/stream/", host)
            let second = server.Get("/stream/", host)
            Expect.equal (first.Text, second.Text) ("chunk 1", "chunk 2") "not stored"
            Expect.isNone (second.Header "Expires") "streamed responses are untouched"

        testCase "a body over the buffer limit is streamed to the client whole and not stored" <| fun () ->
            let counter = Counter()
            let big = String('x', 5000)
            let view = handler (fun ctx -> counter.Next() |> ignore; write ctx big)
            use server = start (fun app -> app.UseFunctionalCache(fun o -> o.WithMaximumBodySize 1000L) |> ignore; mapGet app "/big/" view |> ignore)
            Expect.equal (server.Get("/big/", host).Text) big "whole body"
            Expect.equal (server.Get("/big/", host).Text) big "whole body again"
            Expect.equal counter.Calls 2 "not stored"

        testCase "a failing backend is a logged miss: pages are served, failures counted" <| fun () ->
            let dir = Directory.CreateTempSubdirectory("fc-http-")
            let broken = FunctionalCache.Backends.Caches.FromUri(sprintf "db://no_such_table?database=%s" (Path.Combine(dir.FullName, "c.sqlite")))
            let counter = Counter()
            use server = startWith (FakeTimeProvider(defaultStart)) (Some broken) ignore (siteWith id counter)
            let texts = [ server.Get("/view/", host); server.Get("/view/", host) ] |> List.map (fun r -> r.Status, r.Text, r.XCache)
            Expect.equal texts [ 200, "Hello World 1", "MISS"; 200, "Hello World 2", "MISS" ] "served as misses"
            Expect.isGreaterThanOrEqual server.Counters.BackendFailures 2L "failures counted"
            Expect.equal server.Counters.Hits 0L "no hits"

        testCase "hits, misses and stores are counted" <| fun () ->
            let counter = Counter()
            use server = start (siteWith id counter)
            for _ in 1..3 do server.Get("/view/", host) |> ignore
            Expect.equal (server.Counters.Hits, server.Counters.Misses, server.Counters.Stores) (2L, 1L, 1L) "counts"

        testCase "a cached response survives the binary encoding: status, fields and body" <| fun () ->
            let entry = CachedResponse(200, HeaderMap.ofList [ "Content-Type", "text/plain; charset=utf-8"; "Vary", "Cookie, Accept-Encoding"; "X-É", "ü" ], [| 0uy; 1uy; 255uy |])
            let back = PageCache.decode (PageCache.encode entry)
            Expect.isSome back "decodes"
            Expect.equal back.Value.Status 200 "status"
            Expect.equal back.Value.Headers entry.Headers "fields"
            Expect.equal back.Value.Body entry.Body "body"
            let bytes = PageCache.encode entry
            for cut in [ 0; 3; 10; bytes.Length - 1 ] do
                Expect.isNone (PageCache.decode bytes[.. cut - 1]) (sprintf "a truncated entry (%d bytes) is None" cut)
    ]

// ---- section Q: compression ------------------------------------------------------------------

let private check (counter: Counter) (text: string) (zipped1: Reply) (zipped2: Reply) (plain1: Reply) (plain2: Reply) =
    Expect.equal (zipped1.XCache, zipped2.XCache, plain1.XCache, plain2.XCache) ("MISS", "HIT", "MISS", "HIT") "two entries"
    Expect.equal (zipped2.Header "Content-Encoding") (Some "gzip") "gzip variant"
    Expect.equal (gunzip zipped2.Body) text "decompresses to the original"
    Expect.equal (zipped2.Header "Content-Length") (Some (string zipped2.Body.Length)) "Content-Length = compressed length"
    Expect.isNone (plain2.Header "Content-Encoding") "plain variant"
    Expect.equal plain2.Text text "plain body"
    Expect.stringContains (defaultArg (zipped2.Header "Vary") "") "Accept-Encoding" "Vary: Accept-Encoding"
    Expect.equal counter.Calls 2 "one render per variant"

let compressionTests =
    testList "compression interplay" [
        testCase "gzip and plain variants are cached apart through Vary: Accept-Encoding" <| fun () ->
            let counter = Counter()
            let text = String('a', 500)
            use server =
                startWith (FakeTimeProvider(defaultStart)) None (fun s -> s.AddResponseCompression() |> ignore) (fun app ->
                    app.UseFunctionalCache() |> ignore
                    app.UseResponseCompression() |> ignore
                    mapGet app "/a/" (handler (fun ctx -> counter.Next() |> ignore; write ctx text)) |> ignore)
            let gzip = [ "Host", "testserver"; "Accept-Encoding", "gzip, deflate" ]
            let zipped1 = server.Get("/a/", gzip)
            let zipped2 = server.Get("/a/", gzip)
            let plain1 = server.Get("/a/", host)
            let plain2 = server.Get("/a/", host)
            check counter text zipped1 zipped2 plain1 plain2

        testCase "plain first: with Vary: Accept-Encoding said for every response, a gzip client is not given the plain entry" <| fun () ->
            let counter = Counter()
            let text = String('a', 500)
            use server =
                startWith (FakeTimeProvider(defaultStart)) None (fun s -> s.AddResponseCompression() |> ignore) (fun app ->
                    app.UseFunctionalCache() |> ignore
                    app |> App.useDecorator (varyOnHeaders [ "Accept-Encoding" ]) |> ignore
                    app.UseResponseCompression() |> ignore
                    mapGet app "/a/" (handler (fun ctx -> counter.Next() |> ignore; write ctx text)) |> ignore)
            let gzip = [ "Host", "testserver"; "Accept-Encoding", "gzip, deflate" ]
            let plain1 = server.Get("/a/", host)
            let plain2 = server.Get("/a/", host)
            let zipped1 = server.Get("/a/", gzip)
            let zipped2 = server.Get("/a/", gzip)
            check counter text zipped1 zipped2 plain1 plain2
    ]

// ---- update_cache_middleware vectors -----------------------------------------------------------

type private Vector =
    { Method: string; Cookie: string option; Status: int; CacheControlIn: string option; VaryIn: string option
      SetsCookie: bool; Streaming: bool; PageTimeout: int64 option; CacheTimeout: int64
      Error: bool; Stored: bool; CacheControlOut: string option; ExpiresOut: string option
      HeaderList: string list option; Index: int }

let private vectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "update_cache_middleware.json"))
    let str (e: JsonElement) name = match e.TryGetProperty(name: string) with | true, v when v.ValueKind = JsonValueKind.String -> Some (v.GetString()) | _ -> None
    let num (e: JsonElement) name = match e.TryGetProperty(name: string) with | true, v when v.ValueKind = JsonValueKind.Number -> Some (v.GetInt64()) | _ -> None
    [ for i, e in doc.RootElement.EnumerateArray() |> Seq.indexed ->
        { Method = (str e "method").Value; Cookie = str e "request_cookie_header"; Status = int (num e "status").Value
          CacheControlIn = str e "cache_control_in"; VaryIn = str e "vary_in"
          SetsCookie = e.GetProperty("response_sets_cookie").GetBoolean(); Streaming = e.GetProperty("streaming").GetBoolean()
          PageTimeout = num e "page_timeout"; CacheTimeout = (num e "cache_timeout").Value
          Error = (str e "error").IsSome
          Stored = (match e.TryGetProperty "stored" with | true, v -> v.GetBoolean() | _ -> false)
          CacheControlOut = str e "cache_control_out"; ExpiresOut = str e "expires_out"
          HeaderList = (match e.TryGetProperty "header_list_stored" with
                        | true, v when v.ValueKind = JsonValueKind.Array -> Some [ for x in v.EnumerateArray() -> x.GetString() ]
                        | _ -> None)
          Index = i } ]

/// Why DESIGN.md decides differently from the recorded Django 3.2 (Debian) build, or None when it agrees.
let private designDifference (v: Vector) =
    let cc = (defaultArg v.CacheControlIn "").Split(',') |> Array.map (fun d -> d.Trim().Split('=').[0].ToLowerInvariant())
    let shareable = v.Status = 200 || v.Status = 304
    if v.Error then Some "Django raises ValueError on max-age=abc; DESIGN: a non-numeric max-age is handled"
    elif v.Streaming || not shareable then None
    elif (defaultArg v.CacheControlIn "").Contains "x-private-ext" && not v.SetsCookie && v.CacheControlOut = v.CacheControlIn then
        Some "x-private-ext is no private directive (names, CVE-2026-8404): this build refuses the substring 'private'"
    elif v.SetsCookie && v.Stored then Some "response sets a cookie: DESIGN never stores it (Django stores it when Vary lacks Cookie)"
    elif (cc |> Array.exists (fun d -> d = "private" || d = "no-cache" || d = "no-store")) && (v.Stored || v.CacheControlOut <> v.CacheControlIn) then
        Some "Cache-Control private/no-cache/no-store by directive name in any case (CVE-2026-8404): this build refuses only a case-sensitive 'private'"
    elif v.VaryIn |> Option.exists (fun x -> x.Trim() = "*") && (v.Stored || v.CacheControlOut <> v.CacheControlIn) then
        Some "Vary: * is never stored (CVE-2026-6907); this build stores it"
    else None

let private pinned = DateTimeOffset.FromUnixTimeSeconds 1700000000L

let private decide (v: Vector) =
    let request =
        RequestHead.ofUrl v.Method "http://testserver/" |> RequestHead.withHeaders [ match v.Cookie with Some c -> "Cookie", c | None -> () ]
    let response =
        ResponseHead.ofList v.Status
            [ match v.CacheControlIn with Some cc -> "Cache-Control", cc | None -> ()
              match v.VaryIn with Some vary -> "Vary", vary | None -> ()
              if v.SetsCookie then "Set-Cookie", "c=1" ]
    request, response |> PageCache.decideUpdate pinned v.CacheTimeout v.PageTimeout v.Streaming request

let vectorTests =
    testList "update_cache_middleware vectors" [
        for v in vectors do
            let name = sprintf "#%d %s %d cc=%A vary=%A cookie=%b page=%A seconds=%d" v.Index v.Method v.Status v.CacheControlIn v.VaryIn v.SetsCookie v.PageTimeout v.CacheTimeout
            match designDifference v with
            | Some reason ->
                testCase (sprintf "%s: not stored, by DESIGN (%s)" name reason) <| fun () ->
                    let _, decision = decide v
                    if v.Error then
                        Expect.isTrue decision.IsStore "a garbage max-age counts as absent: the page is stored for the middleware's seconds"
                        Expect.equal (ResponseHead.header "Cache-Control" decision.Response) (Some (sprintf "max-age=%d" v.CacheTimeout)) "max-age replaced"
                    elif reason.StartsWith "x-private-ext" then
                        let timeout = defaultArg v.PageTimeout v.CacheTimeout
                        Expect.equal (decision.IsStore) (v.Status = 200 && timeout > 0L) "stored like any shareable response"
                        Expect.equal (ResponseHead.header "Cache-Control" decision.Response) (Some (sprintf "x-private-ext, max-age=%d" (max 0L timeout))) "patched like any shareable response"
                    else
                        Expect.isFalse decision.IsStore "not stored"
                        Expect.equal (ResponseHead.header "Cache-Control" decision.Response) v.CacheControlIn "sent untouched"
            | None ->
                testCase (sprintf "%s: as Django (stored=%b)" name v.Stored) <| fun () ->
                    let request, decision = decide v
                    Expect.equal decision.IsStore v.Stored "store decision"
                    Expect.equal (ResponseHead.header "Cache-Control" decision.Response) v.CacheControlOut "Cache-Control"
                    Expect.equal (ResponseHead.header "Expires" decision.Response) v.ExpiresOut "Expires"
                    if v.Stored then
                        let learned = decision.Response |> PageKey.learn KeyScope.none request
                        Expect.equal learned.HeaderList v.HeaderList.Value "header list stored"
    ]

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Middleware" [ headTests; middlewareTests; compressionTests; vectorTests ]
