/// The demo site, started as the README says (the built samples/Cache.Demo on a free port, its
/// embedded db:// default), driven by curl: MISS then HIT, per-view pages apart, the cookie inbox,
/// the never-cached page and /stats.
module Http.AspNetCore.DemoTests

open System
open System.Diagnostics
open System.IO
open Expecto

open Http.AspNetCore.SampleSites

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Demo" [
        testCase "the demo starts on its db:// default and a scripted curl run shows MISS then HIT" <| fun () ->
            let port = freePort ()
            let url = sprintf "http://127.0.0.1:%d" port
            let dir = Directory.CreateTempSubdirectory("fc-demo-")
            let dll = sampleDll "Cache.Demo"
            // A copy, so the SQLite file lands in a fresh directory of its own.
            for f in Directory.GetFiles(Path.GetDirectoryName dll) do File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName f))
            for d in Directory.GetDirectories(Path.GetDirectoryName dll) do
                let target = Path.Combine(dir.FullName, Path.GetFileName d)
                Directory.CreateDirectory target |> ignore
                for f in Directory.GetFiles(d, "*", SearchOption.AllDirectories) do
                    let t = Path.Combine(target, Path.GetRelativePath(d, f))
                    Directory.CreateDirectory(Path.GetDirectoryName t) |> ignore
                    File.Copy(f, t)
            let demo = start (Path.Combine(dir.FullName, "Cache.Demo.dll")) url "/stats"
            try
                let first = curl (url + "/")
                let second = curl (url + "/")
                Expect.equal (xcache first, xcache second) ("MISS", "HIT") "MISS then HIT"
                Expect.stringContains second "primes below" "the expensive page"
                Expect.isTrue (File.Exists(Path.Combine(dir.FullName, "demo.sqlite"))) "the db:// default in a SQLite file beside the app"
                let foo = [ "/foo/1/"; "/foo/23/"; "/foo/1/" ] |> List.map (fun p -> curl (url + p))
                Expect.equal (foo |> List.map xcache) [ "MISS"; "MISS"; "HIT" ] "per-view pages cached apart"
                let login = curl (url + "/login?user=bob")
                Expect.stringContains login "Set-Cookie: user=bob" "the login page sets a cookie"
                Expect.equal (xcache (curl (url + "/login?user=bob"))) "MISS" "and is never stored"
                let bob = curl ("-H \"Cookie: user=bob\" " + url + "/inbox")
                let bob2 = curl ("-H \"Cookie: user=bob\" " + url + "/inbox")
                let eve = curl ("-H \"Cookie: user=eve\" " + url + "/inbox")
                Expect.equal (xcache bob, xcache bob2, xcache eve) ("MISS", "HIT", "MISS") "the inbox varies on Cookie"
                Expect.stringContains eve "inbox of eve" "eve's inbox"
                Expect.equal [ xcache (curl (url + "/never")); xcache (curl (url + "/never")) ] [ "MISS"; "MISS" ] "never cached"
                Expect.stringStarts (defaultArg (header "Cache-Status" (curl (url + "/foo/23/"))) "") "FunctionalCache; hit; ttl=" "Cache-Status on a hit"
                let stats = curl (url + "/stats")
                Expect.stringContains stats "FunctionalCache demo: cache statistics" "a title"
                let site = statsNumber "per-site cache"
                let view = statsNumber "per-view cache"
                // /, /foo/1/, /foo/23/ and two inboxes were stored by the per-site cache; /, /foo/1/, bob's inbox and
                // now /foo/23/ were its hits; /login twice, /never twice and /stats (at least once, while starting) were
                // not cacheable. Only the two /foo/N/ pages reached the per-view cache, once each.
                Expect.equal [ site "hits" stats; site "misses" stats; site "stores" stats ] [ 4L; 5L; 5L ] "the per-site cache"
                Expect.isGreaterThanOrEqual (site "not cacheable" stats) 5L "logins, /never and /stats are not misses"
                Expect.equal [ view "hits" stats; view "misses" stats; view "not cacheable" stats; view "stores" stats ] [ 0L; 2L; 0L; 2L ] "the per-view cache"
                for line in stats.Split('\n') |> Array.filter (fun l -> l.StartsWith "  ") do
                    Expect.isGreaterThan (line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length) 4 (sprintf "every number is explained: %s" line)
            finally
                stop demo
                try dir.Delete true with _ -> ()

        testCase "every demo page answers HEAD as its GET: never 405, the GET's ETag, and 304 to a matching If-None-Match" <| fun () ->
            let url = sprintf "http://127.0.0.1:%d" (freePort ())
            let demo = startCapturing [ "CACHE_BACKEND", "locmem:///" ] (sampleDll "Cache.Demo") url "/stats"
            try
                for page in [ "/"; "/foo/7/"; "/inbox"; "/login?user=bob"; "/never"; "/stats" ] do
                    let firstHead = curl ("-I " + url + page)
                    let get = curl (url + page)
                    let head = curl ("-I " + url + page)
                    Expect.equal (status firstHead) (status get) (sprintf "HEAD %s before any GET answers as the GET (%d):\n%s" page (status get) firstHead)
                    Expect.equal (status head) (status get) $"HEAD {page} after the GET"
                    Expect.equal (header "Content-Length" head) (header "Content-Length" get) $"HEAD {page}: the GET's Content-Length"
                    match header "ETag" get with
                    | Some tag ->
                        Expect.isSome (header "ETag" firstHead) $"HEAD {page} has an ETag before any GET"
                        Expect.equal (header "ETag" head) (Some tag) $"HEAD {page}: the GET's ETag"
                        Expect.equal (status (curl (sprintf "-I -H \"If-None-Match: %s\" %s%s" (tag.Replace("\"", "\\\"")) url page))) 304 $"HEAD {page} with a matching If-None-Match"
                    | None ->
                        Expect.stringContains (defaultArg (header "Cache-Control" get) "") "no-store" $"only a no-store page ({page}) has no ETag"
                        Expect.isNone (header "ETag" head) $"HEAD {page}: no ETag, as the GET"
            finally
                stop demo.Process
    ]
