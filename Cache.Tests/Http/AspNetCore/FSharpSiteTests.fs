/// The F# sample site (samples/FSharpSite, on FunctionalCache.FSharp.AspNetCore), started as its own process and
/// driven by curl: the decorators it composes with `View.decorate` cache, vary on the cookie and never cache as they say.
module Http.AspNetCore.FSharpSiteTests

open Expecto
open Http.AspNetCore.SampleSites

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.FSharpSite" [
        testCase "[ cachePage; cacheControl ] caches, [ cachePage; varyOnCookie ] varies, neverCache never stores" <| fun () ->
            let url = sprintf "http://127.0.0.1:%d" (freePort ())
            let site = start (sampleDll "FSharpSite") url "/"
            try
                let articles = [ "/articles/1"; "/articles/1"; "/articles/2" ] |> List.map (fun p -> curl (url + p))
                Expect.equal (articles |> List.map xcache) [ "MISS"; "HIT"; "MISS" ] "per-view cache, keyed by URL"
                Expect.stringContains articles[1] "public" "the composed Cache-Control decorator"
                let ann = curl ("-H \"Cookie: user=ann\" " + url + "/inbox")
                let ann2 = curl ("-H \"Cookie: user=ann\" " + url + "/inbox")
                let bob = curl ("-H \"Cookie: user=bob\" " + url + "/inbox")
                Expect.equal (xcache ann, xcache ann2, xcache bob) ("MISS", "HIT", "MISS") "the inbox varies on Cookie"
                Expect.stringContains bob "inbox of bob" "bob never sees ann's page"
                let never = curl (url + "/never")
                Expect.stringContains (never.ToLowerInvariant()) "no-store" "never cached"
                Expect.equal (xcache (curl (url + "/never"))) "(none)" "and not through the page cache"
                for page in [ "/"; "/articles/3"; "/inbox"; "/never" ] do
                    Expect.equal (status (curl ("-I " + url + page))) 200 $"HEAD {page} answers as its GET, not 405"
            finally
                stop site
    ]
