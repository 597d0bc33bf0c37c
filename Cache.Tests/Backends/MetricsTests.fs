/// The "FunctionalCache" meter: hit, miss, set, eviction, backend-error and duration measurements of an
/// InstrumentedCache after a scripted sequence, and the page cache's bypasses, read with MetricCollector.
/// Each test tags its caches with its own alias, so tests running in parallel do not see each other.
module Backends.MetricsTests

open System
open System.IO
open System.Text
open Expecto
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.Diagnostics.Metrics.Testing
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp
open Http.AspNetCore.TestServer
open Backends.BaseCacheTests

let private collect<'T when 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType> (name: string) =
    new MetricCollector<'T>(CacheMetrics.Meter, name)

/// The sum of the measurements tagged with `alias`.
let private total (alias: string) (collector: MetricCollector<int64>) =
    collector.GetMeasurementSnapshot()
    |> Seq.filter (fun m -> m.Tags.["cache.alias"] = box alias)
    |> Seq.sumBy (fun m -> m.Value)

let private uniqueAlias () = $"metrics-{Guid.NewGuid():N}"

[<Tests>]
let tests =
    testList "Backends.MetricsTests" [
        testCase "a scripted sequence on locmem gives exact hit, miss, set, eviction and duration measurements" <| fun () ->
            use hits = collect<int64> "functionalcache.hits"
            use misses = collect<int64> "functionalcache.misses"
            use sets = collect<int64> "functionalcache.sets"
            use evictions = collect<int64> "functionalcache.evictions"
            use durations = collect<double> "functionalcache.operation.duration"
            let alias = uniqueAlias ()
            let policy = Policy.defaults |> Policy.maxEntries 3 |> Policy.cullFrequency 3
            let cache = InstrumentedCache(LocMemCache(policy, CacheContext.Default), alias) :> ICache
            Expect.equal (cache |> Cache.tryGet<int> "a" |> run) None "get a: miss"
            for key in [ "a"; "b"; "c" ] do cache |> Cache.set key 1 |> run
            Expect.equal (cache |> Cache.tryGet<int> "a" |> run) (Some 1) "get a: hit (b is now least recently used)"
            cache |> Cache.set "d" 1 |> run
            Expect.equal (cache |> Cache.getMany<int> [ "a"; "b"; "zz" ] |> run).Count 1 "b was culled: one hit, two misses"
            Expect.isFalse (cache |> Cache.add "a" 2 |> run) "add of a live key stores nothing"
            Expect.isTrue (cache |> Cache.add "e" 2 |> run) "add of a new key into a full cache culls one"
            Expect.equal (cache |> Cache.getOrSet "a" (fun () -> failwith "a is live") |> run) 1 "get_or_set of a live key: hit"
            Expect.equal (cache |> Cache.getOrSet "f" (fun () -> Threading.Tasks.Task.FromResult 7) |> run) 7 "get_or_set of a new key: miss, set, cull"
            Expect.equal (total alias hits) 3L "hits"
            Expect.equal (total alias misses) 4L "misses"
            Expect.equal (total alias sets) 6L "sets"
            Expect.equal (total alias evictions) 3L "evictions (one per cull at MaxEntries 3, CullFrequency 3)"
            let ops =
                durations.GetMeasurementSnapshot()
                |> Seq.filter (fun m -> m.Tags.["cache.alias"] = box alias)
                |> Seq.map (fun m -> string m.Tags.["cache.operation"], m.Value)
                |> List.ofSeq
            Expect.equal (ops |> List.map fst |> List.countBy id |> Map.ofList)
                (Map.ofList [ "get", 2; "set", 4; "get_many", 1; "add", 2; "get_or_set", 2 ]) "one duration per operation"
            Expect.isTrue (ops |> List.forall (fun (_, s) -> s >= 0.0)) "durations are non-negative seconds"
            let tags = (hits.LastMeasurement).Tags
            Expect.equal (tags.["cache.backend"]) (box "locmem") "backend tag"

        testCase "a backend failure is counted, logged and rethrown unchanged" <| fun () ->
            use errors = collect<int64> "functionalcache.backend_errors"
            let alias = uniqueAlias ()
            let path = Backends.Subjects.tempDatabase ()
            try
                // No table was created: every operation is a backend failure.
                let db = Caches.FromUri($"db://missing_table?database={path}")
                let cache = InstrumentedCache(db, alias) :> ICache
                throws<CacheBackendException> (fun () -> cache |> Cache.tryGet<int> "k" |> run |> ignore) |> ignore
                throws<CacheBackendException> (fun () -> cache |> Cache.set "k" 1 |> run) |> ignore
                Expect.equal (total alias errors) 2L "two backend errors"
                Expect.equal (errors.LastMeasurement.Tags.["cache.backend"]) (box "db") "backend tag"
                match db with :? IDisposable as d -> d.Dispose() | _ -> ()
            finally Backends.Subjects.deleteDatabase path

        testCase "a failure a lenient backend answers as a miss, and one a checked operation returns, are each counted once" <| fun () ->
            use errors = collect<int64> "functionalcache.backend_errors"
            use sets = collect<int64> "functionalcache.sets"
            let alias = uniqueAlias ()
            // memcached on a port nobody listens on: the plain operations answer misses, the checked ones Left.
            use memcached = Caches.FromUri($"memcached://127.0.0.1:{Support.freePort ()}/?connect_timeout=0.3&dead_retry=0.5") :?> IDisposable
            let cache = InstrumentedCache(memcached :?> ICache, alias) :> ICache
            Expect.equal (cache |> Cache.tryGet<int> "k" |> run) None "the plain get misses"
            cache |> Cache.set "k" 1 |> run
            Expect.isError (cache |> Cache.Checked.set "k" 1 |> run) "the checked set reports the failure"
            Expect.isError (cache |> Cache.Checked.get<int> "k" |> run) "the checked get reports the failure"
            Expect.equal (total alias errors) 4L "four failures, each counted once"
            Expect.equal (total alias sets) 0L "no set counted: nothing was stored"

        testCase "the page cache counts each response it decides never to store as a bypass" <| fun () ->
            use bypasses = collect<int64> "functionalcache.bypasses"
            use sets = collect<int64> "functionalcache.sets"
            let alias = uniqueAlias ()
            let json = $$"""{ "Caches": { "default": "locmem:///", "{{alias}}": "locmem:///" } }"""
            let config = ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes json)).Build()
            use server =
                startWith (FakeTimeProvider(defaultStart)) None (fun s -> s.AddFunctionalCache(config.GetSection "Caches") |> ignore) (fun app ->
                    (mapGet app "/private" (handler (fun ctx ->
                        ctx.Response.Headers.CacheControl <- "private"
                        write ctx "mine"))).CachePage(TimeSpan.FromSeconds 60.0, alias, "") |> ignore
                    (mapGet app "/public" (handler (fun ctx -> write ctx "ours"))).CachePage(TimeSpan.FromSeconds 60.0, alias, "") |> ignore)
            for _ in 1..2 do server.Get "/private" |> ignore
            server.Get "/public" |> ignore
            Expect.equal (total alias bypasses) 2L "two private responses bypassed the cache"
            Expect.equal (total alias sets) 3L "the public page stored its header list, its URL stamp (docs/tags.md) and its body"
            Expect.equal (bypasses.LastMeasurement.Tags.["cache.backend"]) (box "locmem") "backend tag"
    ]
