/// The F# face of the pure HTTP layer (FunctionalCache.FSharp's header modules): one example per function, the
/// pipelines they are written for, and proof that opening FunctionalCache.Http beside FunctionalCache.FSharp leaves
/// both the C# types and the F# modules of the same names usable.
module Http.FSharpHeadersTests

open System
open System.Text
open Expecto
open FunctionalCache.Http
open FunctionalCache.FSharp

/// The vectors' pinned clock: Tue, 14 Nov 2023 22:13:20 GMT.
let private now = DateTimeOffset.FromUnixTimeSeconds 1700000000L

let private refusal (f: unit -> unit) =
    try
        f ()
        failtest "expected an ArgumentException"
    with :? ArgumentException as e -> e.Message

[<Tests>]
let tests =
    testList "Http.FSharpHeadersTests" [
        testCase "with both namespaces open, the C# types and the F# modules of the same names both resolve" <| fun () ->
            // C#: static members and constructors of FunctionalCache.Http.
            let viaCSharp = Vary.PatchVaryHeaders(ResponseHead(200, HeaderMap.Empty), [ "Cookie" ])
            let parsed: CacheControl = CacheControl.Parse "public, max-age=60"
            // F#: the modules of FunctionalCache.FSharp with the same names.
            let viaFSharp = ResponseHead.ofList 200 [] |> Vary.patch [ "Cookie" ]
            Expect.equal viaFSharp viaCSharp "the same head either way"
            Expect.equal (CacheControl.Parsed.maxAge parsed) (Some 60L) "a C# value read by the F# module"
            Expect.equal (HeaderMap.ofList [ "A", "1" ]) (HeaderMap.Of(struct ("A", "1"))) "HeaderMap both ways"
            Expect.equal (RequestHead.ofUrl "GET" "http://h/p?q=1") (FunctionalCache.Http.RequestHead.Get("http", "h", "/p", "q=1")) "RequestHead both ways"
            let body = Encoding.UTF8.GetBytes "x"
            Expect.isTrue (ETag.ForBody(ReadOnlySpan body)).IsSome "ETag: the C# static class"
            Expect.equal (ETag.forBody body) (ResponseHead.header "ETag" (CacheHeaders.SetResponseEtag(ResponseHead.Ok, ReadOnlySpan body))) "ETag: the F# module agrees"

        testCase "two patches in a pipeline: Vary.patch then CacheControl.patch" <| fun () ->
            let head =
                ResponseHead.ofList 200 [ "Content-Type", "text/html"; "Cache-Control", "max-age=60, private" ]
                |> Vary.patch [ "Cookie" ]
                |> CacheControl.patch [ Public; MaxAge 300L ]
            Expect.equal (ResponseHead.headers head) [ "Content-Type", "text/html"; "Cache-Control", "max-age=60, public"; "Vary", "Cookie" ] "fields"
            Expect.equal (CacheControl.maxAge head) (Some 60L) "the smaller max-age wins"
            Expect.isTrue (Vary.has "Cookie" head) "varies on Cookie"
            Expect.equal (CacheControl.directives head) [ MaxAge 60L; Public ] "read back as F# values"

        testCase "HeaderMap: ofList joins repeated names, set replaces, append joins, remove drops; names ignore case" <| fun () ->
            let map = HeaderMap.ofList [ "Vary", "Cookie"; "vary", "Origin"; "Set-Cookie", "a=1"; "Set-Cookie", "b=2" ]
            Expect.equal (HeaderMap.toList map) [ "Vary", "Cookie, Origin"; "Set-Cookie", "a=1\nb=2" ] "joined"
            Expect.equal (HeaderMap.tryFind "VARY" map) (Some "Cookie, Origin") "any case"
            Expect.equal (HeaderMap.tryFind "ETag" map) None "absent"
            Expect.isTrue (HeaderMap.contains "set-cookie" map) "contains"
            let changed = map |> HeaderMap.set "vary" "*" |> HeaderMap.append "X-A" "1" |> HeaderMap.append "x-a" "2" |> HeaderMap.remove "SET-COOKIE"
            Expect.equal (HeaderMap.toList changed) [ "Vary", "*"; "X-A", "1, 2" ] "changed, first spellings kept"
            Expect.equal (HeaderMap.toList HeaderMap.empty) [] "empty"
            Expect.equal (HeaderMap.tryFind "Vary" (HeaderMap.ofList [ "Vary", "" ])) (Some "") "an empty value is present"

        testCase "ResponseHead: built from a list, read and changed without touching the original" <| fun () ->
            let head = ResponseHead.ofList 200 [ "ETag", "\"x\""; "Vary", "Cookie" ]
            Expect.equal (ResponseHead.status head) 200 "status"
            Expect.equal (ResponseHead.header "etag" head) (Some "\"x\"") "header"
            Expect.isTrue (ResponseHead.hasHeader "VARY" head) "hasHeader"
            let changed =
                head
                |> ResponseHead.withStatus 404
                |> ResponseHead.withHeader "Vary" "Origin"
                |> ResponseHead.appendHeader "Vary" "Accept"
                |> ResponseHead.withoutHeader "ETag"
            Expect.equal (ResponseHead.status changed, ResponseHead.headers changed) (404, [ "Vary", "Origin, Accept" ]) "changed"
            Expect.equal (ResponseHead.headers head) [ "ETag", "\"x\""; "Vary", "Cookie" ] "the original is unchanged"
            Expect.equal ResponseHead.ok (ResponseHead.ofList 200 []) "ok"

        testCase "RequestHead: ofUrl keeps the parts as written; create takes every part" <| fun () ->
            let r = RequestHead.ofUrl "HEAD" "https://WWW.Example.com:8443/a%20b/c?x=1&y=?"
            Expect.equal (r.Scheme, r.Host, r.Path, r.QueryString) ("https", "WWW.Example.com:8443", "/a%20b/c", "x=1&y=?") "parts"
            Expect.equal (RequestHead.methodName r) "HEAD" "method"
            Expect.equal ((RequestHead.ofUrl "GET" "http://h").Path, (RequestHead.ofUrl "GET" "http://h?q").QueryString) ("/", "q") "no path"
            let built = RequestHead.create "POST" "http" "h" "/p" "" [ "Cookie", "u=a" ]
            Expect.equal (RequestHead.header "cookie" built) (Some "u=a") "header"
            let changed = built |> RequestHead.withMethod "GET" |> RequestHead.withHeader "Cookie" "u=b" |> RequestHead.withHeaders [ "A", "1"; "B", "2" ]
            Expect.equal (RequestHead.methodName changed, RequestHead.headers changed) ("GET", [ "Cookie", "u=b"; "A", "1"; "B", "2" ]) "changed"
            Expect.stringStarts (refusal (fun () -> RequestHead.ofUrl "GET" "/no/scheme" |> ignore))
                "A request URL must be written scheme://host/path?query, not '/no/scheme'." "message"

        testCase "CacheControl: each directive maps onto the C# patch, in order" <| fun () ->
            let all =
                [ Public; Private; NoCache; NoCacheField "Set-Cookie"; NoStore; NoTransform; MustRevalidate; ProxyRevalidate; Immutable
                  MaxAge 60L; SMaxAge 30L; StaleWhileRevalidate 10L; StaleIfError 86400L; Directive("community", Some "\"UCI\""); Directive("x-flag", None) ]
            Expect.equal (string (CacheControl.toPatch all))
                "public, private, no-cache, no-store, no-transform, must-revalidate, proxy-revalidate, immutable, max-age=60, s-maxage=30, stale-while-revalidate=10, stale-if-error=86400, community=\"UCI\", x-flag"
                "a bare no-cache absorbs the field name, as in the C# builder"
            Expect.equal (CacheControl.toPatch [ Private; MaxAge 10L ]) (CacheControlPatch.Empty.Private().MaxAge 10L) "the same as the fluent builder"
            Expect.stringStarts (refusal (fun () -> CacheControl.toPatch [ NoCacheField "Set-Cookie, Link" ] |> ignore))
                "A Cache-Control directive value must not contain a comma, CR or LF" "the C# guard's message"

        testCase "CacheControl: reading a response's field" <| fun () ->
            let head =
                ResponseHead.ofList 200 [ "Cache-Control", "public, max-age=007, s-maxage=120, stale-while-revalidate=30, stale-if-error=60, no-cache=\"Set-Cookie\", X-Ext=1" ]
            Expect.equal (CacheControl.maxAge head) (Some 7L) "maxAge reads as int() does"
            Expect.equal (CacheControl.sharedMaxAge head, CacheControl.staleWhileRevalidate head, CacheControl.staleIfError head) (Some 120L, Some 30L, Some 60L) "ages"
            Expect.isTrue (CacheControl.has "PUBLIC" head && CacheControl.has "x-ext" head) "has"
            Expect.isFalse (CacheControl.has "private" head) "not private"
            Expect.equal (CacheControl.noCacheFields head) [ "Set-Cookie" ] "no-cache fields, unquoted"
            Expect.equal (CacheControl.directives head)
                [ Public; Directive("max-age", Some "007"); SMaxAge 120L; StaleWhileRevalidate 30L; StaleIfError 60L; NoCacheField "\"Set-Cookie\""; Directive("x-ext", Some "1") ]
                "typed cases for plain decimals and bare flags, text verbatim otherwise"
            Expect.equal (CacheControl.maxAge ResponseHead.ok, CacheControl.directives ResponseHead.ok) (None, []) "absent"

        testCase "CacheControl.Field and CacheControl.Parsed: the same rules on the text and on a parsed value" <| fun () ->
            Expect.equal (CacheControl.Field.patch [ Private ] None) "private" "an absent field"
            Expect.equal (CacheControl.Field.patch [ MaxAge 30L ] (Some "max-age=60, public")) "max-age=30, public" "smaller wins"
            Expect.equal (CacheControl.Field.maxAge (Some "max-age=abc")) None "not a number"
            Expect.equal (CacheControl.Field.directives (Some "no-cache, max-age=1")) [ NoCache; MaxAge 1L ] "directives"
            let parsed = CacheControl.Parsed.ofField (Some "private, max-age=60")
            Expect.equal (parsed |> CacheControl.Parsed.patch [ Public ] |> CacheControl.Parsed.format) "max-age=60, public" "public replaces private"
            Expect.equal (CacheControl.Parsed.tryFind "MAX-AGE" parsed) (Some(MaxAge 60L)) "tryFind"
            Expect.equal (CacheControl.Parsed.tryFind "public" parsed) None "tryFind absent"
            Expect.equal (CacheControl.Parsed.ofHead (ResponseHead.ofList 200 [ "cache-control", "no-store" ])) (CacheControl.Parse "no-store") "ofHead"
            Expect.equal (CacheControl.ofCacheDirective (CacheDirective.WithValue("max-age", "-5"))) (MaxAge -5L) "a negative decimal is typed"
            Expect.equal (CacheControl.ofCacheDirective (CacheDirective.WithValue("max-age", "+5"))) (Directive("max-age", Some "+5")) "a signed one is kept as text"

        testCase "Vary: patch, has and entries on a head and on the field" <| fun () ->
            let head = ResponseHead.ok |> Vary.patch [ "Accept-Encoding"; "Cookie" ] |> Vary.patch [ "cookie"; "Origin" ]
            Expect.equal (ResponseHead.header "Vary" head) (Some "Accept-Encoding, Cookie, Origin") "patched twice"
            Expect.equal (Vary.entries head) [ "Accept-Encoding"; "Cookie"; "Origin" ] "entries"
            Expect.isTrue (Vary.has "COOKIE" head) "has, any case"
            Expect.equal (Vary.Field.patch [ "Cookie" ] None, Vary.Field.patch [ "X" ] (Some "*")) ("Cookie", "*") "on the text"
            Expect.isTrue (Vary.Field.has "cookie" (Some " Cookie ")) "blanks stripped"
            Expect.equal (Vary.Field.entries (Some "a,b")) [ "a"; "b" ] "entries of the text"

        testCase "Vary: patching a then b equals patching a @ b only when b repeats no name of a (Django compares new names with existing entries only)" <| fun () ->
            let twice = ResponseHead.ok |> (Vary.patch [ "Cookie" ] >> Vary.patch [ "cookie" ])
            let once = ResponseHead.ok |> Vary.patch [ "Cookie"; "cookie" ]
            Expect.equal (ResponseHead.header "Vary" twice, ResponseHead.header "Vary" once) (Some "Cookie", Some "Cookie, cookie") "the difference"
            let disjoint = ResponseHead.ok |> (Vary.patch [ "Cookie" ] >> Vary.patch [ "Origin" ])
            Expect.equal disjoint (ResponseHead.ok |> Vary.patch [ "Cookie"; "Origin" ]) "disjoint lists agree"

        testCase "Headers: patchResponse, neverCache, setETag and the default seconds" <| fun () ->
            let cacheable = ResponseHead.ok |> Headers.patchResponse now 600
            Expect.equal (ResponseHead.headers cacheable)
                [ "Expires", "Tue, 14 Nov 2023 22:23:20 GMT"; "Cache-Control", "max-age=600"; "Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT" ] "cacheable"
            let never = ResponseHead.ofList 200 [ "Cache-Control", "public" ] |> Headers.neverCache now
            Expect.equal (ResponseHead.header "Cache-Control" never) (Some "max-age=0, no-cache, no-store, must-revalidate, private") "never"
            Expect.equal (ResponseHead.ok |> Headers.setETag (Encoding.UTF8.GetBytes "hello") |> ResponseHead.header "ETag") (Some "\"5d41402abc4b2a76b9719d911017c592\"") "ETag"
            Expect.equal Headers.defaultSeconds 600 "Django's CACHE_MIDDLEWARE_SECONDS"

        testCase "HttpDate and ETag: parse and format with F# options" <| fun () ->
            Expect.equal (HttpDate.parse now "Sunday, 06-Nov-94 08:49:37 GMT") (Some(DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero))) "RFC 850"
            Expect.equal (HttpDate.parse now "soon") None "not a date"
            Expect.equal (HttpDate.format now) "Tue, 14 Nov 2023 22:13:20 GMT" "format"
            Expect.equal (ETag.parse "W/\"v1\"") (Some(ETag.weak "v1")) "weak"
            Expect.equal (ETag.parse "v1") None "unquoted"
            Expect.equal (ETag.parseList "\"a\", W/\"b\", junk") (Listed [ ETag.strong "a"; ETag.weak "b" ]) "list"
            Expect.equal (ETag.parseList " * ") AnyTag "star"
            Expect.equal (ETag.forBody [||]) None "no tag for an empty body"

        testCase "Conditional: response, get and getTagged answer with an F# union" <| fun () ->
            let request = RequestHead.ofUrl "GET" "http://h/" |> RequestHead.withHeader "If-None-Match" "\"v1\""
            let full = ResponseHead.ofList 200 [ "ETag", "\"v1\""; "Content-Type", "text/plain"; "Vary", "Cookie" ]
            match request |> Conditional.response now (ETag.parse "\"v1\"") None (Some full) with
            | NotModified head -> Expect.equal (ResponseHead.headers head) [ "ETag", "\"v1\""; "Vary", "Cookie" ] "the 304 keeps its fields"
            | other -> failtestf "expected NotModified, got %A" other
            Expect.equal (RequestHead.ofUrl "GET" "http://h/" |> Conditional.response now None None None) (Proceed None) "nothing to compare"
            let put = RequestHead.ofUrl "PUT" "http://h/" |> RequestHead.withHeader "If-Match" "\"v2\""
            Expect.equal (put |> Conditional.response now (ETag.parse "\"v1\"") None (Some full)) (PreconditionFailed(ResponseHead.ofList 412 [])) "412"
            let body = Encoding.UTF8.GetBytes "hello"
            let tagged = ResponseHead.ok |> Conditional.get now (RequestHead.ofUrl "GET" "http://h/") body
            Expect.equal (tagged.Response |> Option.bind (ResponseHead.header "ETag")) (Some "\"5d41402abc4b2a76b9719d911017c592\"") "get adds the body's tag"
            let again = RequestHead.ofUrl "GET" "http://h/" |> RequestHead.withHeader "If-None-Match" "\"5d41402abc4b2a76b9719d911017c592\""
            Expect.isTrue (ResponseHead.ok |> Conditional.get now again body).IsNotModified "then answers 304"
            Expect.equal (ResponseHead.ok |> Conditional.getTagged now request (Some(ETag.strong "v1")) |> fun o -> o.Response |> Option.map ResponseHead.status) (Some 304) "getTagged"

        testCase "PageKey and FragmentKey: Django's anchor keys through the F# face" <| fun () ->
            let request = RequestHead.ofUrl "GET" "http://www.example.com/cache/test/"
            let scope = KeyScope.prefix "settingsprefix"
            let learned = ResponseHead.ofList 200 [ "Vary", "Pony" ] |> PageKey.learn scope request
            Expect.equal learned.HeaderList [ "HTTP_PONY" ] "learned list"
            Expect.equal learned.HeaderKey "views.decorators.cache.cache_header.settingsprefix.18a03f9c9649f7d684af5db3524f5c99" "header key"
            Expect.equal (PageKey.headerKey scope request) learned.HeaderKey "headerKey"
            Expect.equal (request |> PageKey.get scope learned.HeaderList) learned.PageKey "get = learn for a GET"
            Expect.equal (request |> PageKey.getFor "HEAD" scope learned.HeaderList) (learned.PageKey.Replace(".GET.", ".HEAD.")) "getFor HEAD"
            Expect.equal (PageKey.headersDigest [] request) "d41d8cd98f00b204e9800998ecf8427e" "no headers"
            Expect.equal (PageKey.headerList true (Some "Cookie, Accept-Language")) [ "HTTP_COOKIE" ] "Accept-Language dropped with i18n"
            Expect.equal (PageKey.absoluteUri request) "http://www.example.com/cache/test/" "absolute URI"
            Expect.equal ({ KeyScope.none with Language = Some "en" } |> fun s -> ResponseHead.ok |> PageKey.learn s request |> fun l -> l.PageKey.EndsWith ".en") true "a language suffix"
            Expect.equal (FragmentKey.make "sidebar" [ "alice" ]) (FragmentKeys.MakeTemplateFragmentKey("sidebar", [ "alice" ])) "FragmentKey.make"
            Expect.notEqual (FragmentKey.make "x" [ "a:b" ]) (FragmentKey.make "x" [ "a"; "b" ]) "framed values"

        testCase "PageCache: decideUpdate answers Store or Skip with a closed reason; age, encode and decode" <| fun () ->
            let get = RequestHead.ofUrl "GET" "http://h/"
            match ResponseHead.ok |> PageCache.decideUpdate now 600L None false get with
            | Store(head, seconds) ->
                Expect.equal seconds 600L "the middleware's seconds"
                Expect.equal (CacheControl.maxAge head) (Some 600L) "max-age patched in"
            | Skip(_, reason) -> failtestf "expected Store, got Skip %A" reason
            let skipped = ResponseHead.ofList 200 [ "Set-Cookie", "a=1" ] |> PageCache.decideUpdate now 600L None false get
            Expect.equal skipped (Skip(ResponseHead.ofList 200 [ "Set-Cookie", "a=1" ], NotStored.SetsCookie)) "a cookie is never stored"
            Expect.equal NotStored.SetsCookie.Text SkipReason.SetsCookie "the reason in words"
            Expect.equal (ResponseHead.ok |> PageCache.decideUpdate now 600L (Some 5L) true get |> fun d -> d.Response) ResponseHead.ok "Response"
            let reasons =
                [ RequestHead.ofUrl "POST" "http://h/", ResponseHead.ok, false, NotStored.Method
                  get, ResponseHead.ok, true, NotStored.Streaming
                  get, ResponseHead.ofList 404 [], false, NotStored.Status
                  get, ResponseHead.ofList 200 [ "Cache-Control", "Private" ], false, NotStored.NotShareable
                  get, ResponseHead.ofList 200 [ "Vary", "*" ], false, NotStored.VaryStar
                  RequestHead.ofUrl "GET" "http://h/" |> RequestHead.withHeader "Authorization" "x", ResponseHead.ok, false, NotStored.Authorization
                  get, ResponseHead.ofList 200 [ "Cache-Control", "max-age=0" ], false, NotStored.MaxAgeZero
                  get, ResponseHead.ofList 304 [], false, NotStored.NotModified ]
            for request, response, streaming, expected in reasons do
                match response |> PageCache.decideUpdate now 600L None streaming request with
                | Skip(_, reason) -> Expect.equal reason expected (string expected)
                | Store _ -> failtestf "expected Skip %A" expected
            Expect.equal (ResponseHead.ok |> PageCache.decideUpdate now 0L None false get |> function Skip(_, r) -> Some r | Store _ -> None) (Some NotStored.NoTimeout) "no timeout"
            Expect.isTrue (PageCache.isCacheableMethod "head" && not (PageCache.isCacheableMethod "POST")) "isCacheableMethod"
            let stored = ResponseHead.ok |> Headers.patchResponse now 600
            Expect.equal (PageCache.age (now.AddSeconds 100.0) stored) (Some 100L) "age"
            Expect.equal (PageCache.age now ResponseHead.ok) None "no age without max-age and Expires"
            let entry = CachedResponse(200, HeaderMap.ofList [ "Content-Type", "text/plain" ], [| 1uy; 2uy |])
            Expect.equal (PageCache.decode (PageCache.encode entry) |> Option.map (fun e -> e.Status, HeaderMap.toList e.Headers, e.Body))
                (Some(200, [ "Content-Type", "text/plain" ], [| 1uy; 2uy |])) "round trip"
            Expect.equal (PageCache.decode [| 1uy |]) None "not an entry"
    ]
