/// Django's ConditionalGetMiddlewareTest (section P) and the ETag/compression case of section Q,
/// through UseConditionalGet on a real Kestrel.
module Http.AspNetCore.ConditionalGetTests

open System
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.AspNetCore.ResponseCompression
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache.Http
open FunctionalCache.Http.AspNetCore
open Http.AspNetCore.TestServer

/// A view with the given status, fields and body.
let private view status (fields: (string * string) list) (body: string) =
    handler (fun ctx ->
        ctx.Response.StatusCode <- status
        for (n, v) in fields do ctx.Response.Headers.Append(n, v)
        if body = "" then Threading.Tasks.Task.CompletedTask else write ctx body)

/// A server with UseConditionalGet and one GET/HEAD/PUT endpoint at "/".
let private serving (v: RequestDelegate) =
    start (fun app ->
        app.UseConditionalGet() |> ignore
        app.MapMethods("/", [ "GET"; "HEAD"; "PUT" ], v) |> ignore)

let private lm = "Sat, 12 Feb 2011 17:38:44 GMT"

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.ConditionalGet" [
        testCase "calculates an ETag for a 200 with a body" <| fun () ->
            use s = serving (view 200 [] "content")
            Expect.equal (s.Get("/").Header "ETag") (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "MD5 of the body"
        testCase "won't overwrite the view's ETag" <| fun () ->
            use s = serving (view 200 [ "ETag", "eggs" ] "content")
            Expect.equal (s.Get("/").Header "ETag") (Some "eggs") "kept"
        testCase "no ETag for a streamed body" <| fun () ->
            let v = handler (fun ctx ->
                task {
                    ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>().DisableBuffering()
                    do! write ctx "streamed"
                })
            use s = serving v
            Expect.isNone (s.Get("/").Header "ETag") "none"
        testCase "no ETag for an empty body" <| fun () ->
            use s = serving (view 200 [] "")
            Expect.isNone (s.Get("/").Header "ETag") "none"
        testCase "no ETag when Cache-Control says No-Store in any case" <| fun () ->
            use s = serving (view 200 [ "Cache-Control", "No-Cache, No-Store, Max-age=0" ] "content")
            Expect.isNone (s.Get("/").Header "ETag") "none"
        testCase "an extension directive mentioning no-store does not stop the ETag" <| fun () ->
            use s = serving (view 200 [ "Cache-Control", "my-directive=\"my-no-store\"" ] "content")
            Expect.isSome (s.Get("/").Header "ETag") "added"
        testCase "If-None-Match spam against a computed ETag: 200" <| fun () ->
            use s = serving (view 200 [] "content")
            Expect.equal (s.Get("/", [ "If-None-Match", "spam" ]).Status) 200 "200"
        testCase "an ETag without If-None-Match: 200" <| fun () ->
            use s = serving (view 200 [ "ETag", "eggs" ] "content")
            Expect.equal (s.Get("/").Status) 200 "200"
        testCase "If-None-Match equal to the ETag: 304" <| fun () ->
            use s = serving (view 200 [ "ETag", "\"spam\"" ] "content")
            let reply = s.Get("/", [ "If-None-Match", "\"spam\"" ])
            Expect.equal (reply.Status, reply.Body.Length) (304, 0) "304, no body"
        testCase "If-None-Match different from the ETag: 200" <| fun () ->
            use s = serving (view 200 [ "ETag", "\"eggs\"" ] "content")
            Expect.equal (s.Get("/", [ "If-None-Match", "\"spam\"" ]).Status) 200 "200"
        testCase "a matching tag on a redirect or a client error keeps the status" <| fun () ->
            for status in [ 301; 400 ] do
                use s = serving (view status [ "ETag", "\"spam\"" ] "content")
                Expect.equal (s.Get("/", [ "If-None-Match", "\"spam\"" ]).Status) status "unchanged"
        testCase "If-Modified-Since without Last-Modified (and no computed tag match): 200" <| fun () ->
            use s = serving (view 200 [] "content")
            Expect.equal (s.Get("/", [ "If-Modified-Since", lm ]).Status) 200 "200"
        testCase "Last-Modified without If-Modified-Since: 200" <| fun () ->
            use s = serving (view 200 [ "Last-Modified", lm ] "content")
            Expect.equal (s.Get("/").Status) 200 "200"
        testCase "If-Modified-Since equal to, or later than, Last-Modified: 304; earlier: 200" <| fun () ->
            for lastModified, expected in [ lm, 304; "Sat, 12 Feb 2011 17:35:44 GMT", 304; "Sat, 12 Feb 2011 17:41:44 GMT", 200 ] do
                use s = serving (view 200 [ "Last-Modified", lastModified ] "content")
                Expect.equal (s.Get("/", [ "If-Modified-Since", lm ]).Status) expected lastModified
        testCase "If-Modified-Since on a redirect or a client error keeps the status" <| fun () ->
            for status in [ 301; 400 ] do
                use s = serving (view status [ "Last-Modified", lm ] "content")
                Expect.equal (s.Get("/", [ "If-Modified-Since", lm ]).Status) status "unchanged"
        testCase "the 304 carries Cache-Control, Content-Location, ETag, Expires, Last-Modified, Vary and cookies, not Content-Language" <| fun () ->
            let fields =
                [ "Cache-Control", "public"; "Content-Location", "/alt"; "ETag", "\"spam\""; "Expires", "Sun, 13 Feb 2011 17:35:44 GMT"
                  "Last-Modified", lm; "Vary", "Cookie"; "Set-Cookie", "key=value"; "Content-Language", "en" ]
            use s = serving (view 200 fields "content")
            let reply = s.Get("/", [ "If-None-Match", "\"spam\"" ])
            Expect.equal reply.Status 304 "304"
            for (n, v) in fields |> List.filter (fun (n, _) -> n <> "Content-Language") do
                Expect.equal (reply.Header n) (Some v) n
            Expect.isNone (reply.Header "Content-Language") "Content-Language dropped"
            Expect.isSome (reply.Header "Date") "Date"
        testCase "PUT with If-Match equal to the page's ETag passes through (never 412 from the middleware)" <| fun () ->
            use s = serving (view 200 [ "ETag", "\"spam\"" ] "content")
            Expect.equal (s.Send("PUT", "/", [ "If-Match", "\"spam\"" ]).Status) 200 "200"
        testCase "HEAD gets the ETag its GET gets (a deliberate difference: Django tags only GET)" <| fun () ->
            use s = serving (view 200 [] "content")
            Expect.equal (s.Head("/").Header "ETag") (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "MD5 of the GET's body"
            Expect.equal (s.Head("/", [ "If-None-Match", "\"9a0364b9e99bb480dd25e1f0284c8555\"" ]).Status) 304 "and a matching If-None-Match is 304"
        testCase "a cached page (conditional GET outside the cache) answers 304 to its own ETag" <| fun () ->
            let counter = Counter()
            use s =
                start (fun app ->
                    app.UseConditionalGet() |> ignore
                    app.UseFunctionalCache() |> ignore
                    mapGet app "/" (handler (fun ctx -> write ctx (sprintf "page %d" (counter.Next())))) |> ignore)
            let first = s.Get("/", [ "Host", "testserver" ])
            let tag = first.Header "ETag" |> Option.get
            let second = s.Get("/", [ "Host", "testserver"; "If-None-Match", tag ])
            Expect.equal (second.Status, counter.Calls) (304, 1) "304 from the cached page"
        testCase "an ETag produced over a compressed body matches when sent back: 304" <| fun () ->
            use s =
                startWith (FakeTimeProvider(defaultStart)) None (fun sv -> sv.AddResponseCompression() |> ignore) (fun app ->
                    app.UseConditionalGet() |> ignore
                    app.UseResponseCompression() |> ignore
                    mapGet app "/" (view 200 [] (String('a', 500))) |> ignore)
            let gzip = [ "Accept-Encoding", "gzip, deflate" ]
            let first = s.Get("/", gzip)
            Expect.equal (first.Header "Content-Encoding") (Some "gzip") "compressed"
            let second = s.Get("/", gzip @ [ "If-None-Match", (first.Header "ETag").Value ])
            Expect.equal second.Status 304 "304"
    ]
