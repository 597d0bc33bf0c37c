/// A backend that answers failures leniently (memcached by default: a logged miss, a dropped write) is still counted
/// by the page cache and the fragment tag, which read and write through the Try… operations: memcached pointed at a
/// port nothing listens on, in process on Kestrel and in the built demo.
module Http.AspNetCore.LenientBackendTests

open System
open System.Collections.Concurrent
open Expecto
open Fluid
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Http.Fragments
open Http.AspNetCore.TestServer
open Http.AspNetCore.SampleSites

/// memcached on a loopback port nothing listens on, with its default (lenient) failure handling.
let private deadMemcached () = sprintf "memcached://127.0.0.1:%d/" (freePort ())

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.LenientBackend" [
        testCase "memcached down: the lenient cache answers misses, and the page cache counts every failed lookup and dropped store" <| fun () ->
            let cache = Cache.fromUri (deadMemcached ())
            Expect.isNone (cache |> Cache.tryGet<string> "probe" |> run) "lenient: a plain get is a miss, not an error"
            let counter = Counter()
            use server =
                startWith (FakeTimeProvider(defaultStart)) (Some cache) ignore (fun app ->
                    app.UseFunctionalCache() |> ignore
                    mapGet app "/page/" (handler (fun ctx -> write ctx (sprintf "page %d" (counter.Next())))) |> ignore)
            let replies = [ for _ in 1..3 -> server.Get("/page/", [ "Host", "testserver" ]) ]
            Expect.equal (replies |> List.map (fun r -> r.Status, r.Text)) [ 200, "page 1"; 200, "page 2"; 200, "page 3" ] "served, uncached"
            // Each request: a failed lookup, then a failed store.
            Expect.equal server.Counters.BackendFailures 6L "three lookups and three stores failed"
            Expect.equal (server.Counters.Stores, server.Counters.Hits) (0L, 0L) "nothing reported as stored"

        testCase "memcached down: the fragment tag renders and reports the failure" <| fun () ->
            let cache = Cache.fromUri (deadMemcached ())
            let failures = ConcurrentQueue<exn>()
            let parser = FragmentCacheParser(cache, FluidParserOptions(), Action<exn> failures.Enqueue)
            let template = parser.Parse("""{% cache 500 "sidebar" %}<aside>sidebar</aside>{% endcache %}""")
            Expect.equal (template.RenderAsync(TemplateContext()).AsTask() |> run) "<aside>sidebar</aside>" "rendered uncached"
            Expect.equal failures.Count 1 "the failed read is reported once (no store is tried on a failing backend)"
            Expect.all failures (fun e -> e :? CacheBackendException) "as a backend failure"

        testCase "the demo on memcached that is down: pages answer and /stats counts the failures the log shows" <| fun () ->
            let url = sprintf "http://127.0.0.1:%d" (freePort ())
            let demo = startCapturing [ "CACHE_BACKEND", deadMemcached () ] (sampleDll "Cache.Demo") url "/stats"
            try
                for page in [ "/"; "/foo/1/"; "/foo/1/" ] do
                    Expect.equal (status (curl (url + page))) 200 $"{page} answers"
                let stats = curl (url + "/stats")
                Expect.isGreaterThanOrEqual (statsNumber "" "total backend failures" stats) 3L (sprintf "/stats counts the failures:\n%s" stats)
            finally
                stop demo.Process
    ]
