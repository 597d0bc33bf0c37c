/// Django's decorator tests (section O) on a real Kestrel: cache_control, never_cache,
/// vary_on_headers, vary_on_cookie and cache_page, as F# decorators (FunctionalCache.FSharp.AspNetCore)
/// and as the C# endpoint conventions, and their composition.
module Http.AspNetCore.DecoratorTests

open System
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Time.Testing
open FunctionalCache.Http
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

let private host = [ "Host", "testserver" ]
let private plain text = handler (fun ctx -> write ctx text)
let private parts (value: string option) = value |> Option.defaultValue "(absent)" |> fun v -> v.Split(", ") |> Set.ofArray

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Decorators" [
        testCase "cache_control() with nothing writes an empty Cache-Control" <| fun () ->
            use server = start (fun app -> mapGet app "/" (cacheControl [] (plain "x")) |> ignore)
            Expect.equal (server.Get("/").Header "Cache-Control") (Some "") "present and empty"

        testCase "cache_control(max_age=123, private, public, custom=456) sets every part" <| fun () ->
            use server =
                start (fun app ->
                    mapGet app "/" (plain "x") |> fun b -> b.CacheControl(fun p -> p.MaxAge(123L).Private().Public().Directive("custom", "456")) |> ignore)
            Expect.equal (parts (server.Get("/").Header "Cache-Control")) (set [ "max-age=123"; "private"; "public"; "custom=456" ]) "parts"

        testCase "cache_control covers every directive of the seed's list" <| fun () ->
            use server =
                start (fun app ->
                    mapGet app "/" (plain "x")
                    |> fun b -> b.CacheControl(fun p -> p.Public().NoCache().NoTransform().MustRevalidate().ProxyRevalidate().MaxAge(60L).SharedMaxAge(30L)) |> ignore)
            Expect.equal (server.Get("/").Header "Cache-Control") (Some "public, no-cache, no-transform, must-revalidate, proxy-revalidate, max-age=60, s-maxage=30") "in call order"

        testCase "cache_control adds to what the view set: smallest max-age wins, private replaces public" <| fun () ->
            let view = handler (fun ctx -> ctx.Response.Headers.CacheControl <- "public, max-age=30, community=\"UCI\""; write ctx "x")
            use server = start (fun app -> mapGet app "/" view |> fun b -> b.CacheControl(fun p -> p.Private().MaxAge 3600L) |> ignore)
            Expect.equal (server.Get("/").Header "Cache-Control") (Some "max-age=30, community=\"UCI\", private") "merged"

        testCase "never_cache at 1167616461: Expires Mon, 01 Jan 2007 01:54:21 GMT and the exact Cache-Control" <| fun () ->
            use server =
                startWith (FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds 1167616461L)) None ignore (fun app ->
                    mapGet app "/" (plain "x") |> fun b -> b.NeverCache() |> ignore)
            let reply = server.Get("/")
            Expect.equal (reply.Header "Expires") (Some "Mon, 01 Jan 2007 01:54:21 GMT") "Expires"
            Expect.equal (reply.Header "Cache-Control") (Some "max-age=0, no-cache, no-store, must-revalidate, private") "Cache-Control"

        testCase "never_cache keeps the view's Expires" <| fun () ->
            let view = handler (fun ctx -> ctx.Response.Headers.Expires <- "tomorrow"; write ctx "x")
            use server = start (fun app -> mapGet app "/" (neverCache view) |> ignore)
            Expect.equal (server.Get("/").Header "Expires") (Some "tomorrow") "kept"

        testCase "vary_on_headers(Header, Another-header) gives Vary: Header, Another-header" <| fun () ->
            use server = start (fun app -> mapGet app "/" (plain "x") |> fun b -> b.VaryOnHeaders("Header", "Another-header") |> ignore)
            Expect.equal (server.Get("/").Header "Vary") (Some "Header, Another-header") "Vary"

        testCase "vary_on_cookie gives Vary: Cookie, and adds to the view's Vary without repeating a name" <| fun () ->
            let view = handler (fun ctx -> ctx.Response.Headers.Vary <- "accept-encoding, COOKIE"; write ctx "x")
            use server =
                start (fun app ->
                    mapGet app "/a" (plain "x") |> fun b -> b.VaryOnCookie() |> ignore
                    mapGet app "/b" view |> fun b -> b.VaryOnCookie().VaryOnHeaders("Accept-Language") |> ignore)
            Expect.equal (server.Get("/a").Header "Vary") (Some "Cookie") "Vary: Cookie"
            Expect.equal (server.Get("/b").Header "Vary") (Some "accept-encoding, COOKIE, Accept-Language") "added, not repeated"

        testCase "cache_page(123) and cache_page(123, key_prefix=test) pass a plain view's text through" <| fun () ->
            use server =
                start (fun app ->
                    mapGet app "/a" (cachePage 123 (plain "text")) |> ignore
                    mapGet app "/b" (cachePageIn "default" "test" 123 (plain "text")) |> ignore)
            Expect.equal (server.Get("/a").Text, server.Get("/b").Text) ("text", "text") "passed through"

        testCase "on endpoints the order of CachePage and VaryOnCookie does not matter: the cache always sees Vary: Cookie" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx -> write ctx (sprintf "%s %d" (string ctx.Request.Headers.Cookie) (counter.Next())))
            use server =
                start (fun app ->
                    mapGet app "/before" view |> fun b -> b.CachePage(TimeSpan.FromMinutes 1.0).VaryOnCookie() |> ignore
                    mapGet app "/after" view |> fun b -> b.VaryOnCookie().CachePage(TimeSpan.FromMinutes 1.0) |> ignore)
            for path in [ "/before"; "/after" ] do
                let a = server.Get(path, [ "Host", "testserver"; "Cookie", "u=a" ])
                let b = server.Get(path, [ "Host", "testserver"; "Cookie", "u=b" ])
                let a2 = server.Get(path, [ "Host", "testserver"; "Cookie", "u=a" ])
                Expect.stringStarts b.Text "u=b" (sprintf "%s: B gets B's page" path)
                Expect.equal a2.Text a.Text (sprintf "%s: A's page is cached for A" path)
                Expect.equal a2.XCache "HIT" (sprintf "%s: hit" path)

        testCase "NeverCache composes with CachePage: the page is never stored" <| fun () ->
            let counter = Counter()
            use server = start (fun app -> mapGet app "/" (handler (fun ctx -> write ctx (string (counter.Next())))) |> fun b -> b.CachePage(TimeSpan.FromMinutes 1.0).NeverCache() |> ignore)
            Expect.equal [ server.Get("/").Text; server.Get("/").Text ] [ "1"; "2" ] "rendered each time"

        testCase "decorators compose as plain functions (F# >>, the last outermost) and as a list (View.decorate, the first outermost)" <| fun () ->
            let counter = Counter()
            let composed = varyOnHeaders [ "X-Lang" ] >> cacheControl [ Public ] >> cachePage 60
            let listed = View.decorate [ cachePage 60; cacheControl [ Public ]; varyOnHeaders [ "X-Lang" ] ]
            let view = handler (fun ctx -> write ctx (sprintf "%s %d" (string ctx.Request.Headers["X-Lang"]) (counter.Next())))
            use server = start (fun app -> mapGet app "/composed" (composed view) |> ignore; mapGet app "/listed" (listed view) |> ignore)
            for path, first, second in [ "/composed", 1, 2; "/listed", 3, 4 ] do
                let en = server.Get(path, [ "Host", "testserver"; "X-Lang", "en" ])
                let fr = server.Get(path, [ "Host", "testserver"; "X-Lang", "fr" ])
                let en2 = server.Get(path, [ "Host", "testserver"; "X-Lang", "en" ])
                Expect.equal (en.Text, fr.Text, en2.Text, en2.XCache) ($"en {first}", $"fr {second}", $"en {first}", "HIT") $"{path} varies on X-Lang"
                Expect.equal (en2.Header "Cache-Control") (Some "public, max-age=60") $"{path}: public plus the page's max-age"

        testCase "cachePageWith caches in the given cache, conditionalGet answers 304" <| fun () ->
            let counter = Counter()
            let own = locmemOn (Microsoft.Extensions.Time.Testing.FakeTimeProvider(defaultStart))
            use server =
                start (fun app ->
                    mapGet app "/own" (handler (fun ctx -> write ctx (string (counter.Next()))) |> cachePageWith own "mine" 60) |> ignore
                    mapGet app "/tagged" (View.decorate [ conditionalGet ] (plain "tagged")) |> ignore)
            Expect.equal [ server.Get("/own").Text; server.Get("/own").Text ] [ "1"; "1" ] "stored"
            Expect.isGreaterThan ((own :?> FunctionalCache.Backends.LocMem.LocMemCache).Count) 0 "in the given cache"
            let etag = (server.Get("/tagged").Header "ETag").Value
            Expect.equal (server.Get("/tagged", [ "If-None-Match", etag ]).Status) 304 "304 for the same tag"

        testCase "a header decorator still applies when the view streams its body" <| fun () ->
            let view = handler (fun ctx ->
                task {
                    do! ctx.Response.StartAsync()
                    do! ctx.Response.WriteAsync "streamed"
                })
            use server = start (fun app -> mapGet app "/" view |> fun b -> b.VaryOnCookie() |> ignore)
            let reply = server.Get("/")
            Expect.equal (reply.Text, reply.Header "Vary") ("streamed", Some "Cookie") "patched before the start"
    ]
