/// `services.AddFunctionalCache(uri)`, the documented path: the cache it registers is instrumented as a configured
/// one is (measurements on the FunctionalCache meter, alias "default"), logs URI warnings through the application's
/// logger, and is disposed with the container.
module Http.AspNetCore.ServiceCollectionTests

open System
open System.IO
open Expecto
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Diagnostics.Metrics.Testing
open Microsoft.Extensions.Logging
open FunctionalCache
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp

/// A logger provider that keeps every (category, message).
type private Recording() =
    let records = Collections.Concurrent.ConcurrentQueue<string * string>()
    member _.Records = List.ofSeq records
    interface ILoggerProvider with
        member this.CreateLogger(category) =
            { new ILogger with
                member _.BeginScope<'TState>(_: 'TState) : IDisposable = null
                member _.IsEnabled _ = true
                member _.Log<'TState>(_: LogLevel, _: EventId, state: 'TState, error: exn, formatter: Func<'TState, exn, string>) =
                    records.Enqueue(category, formatter.Invoke(state, error)) }
        member _.Dispose() = ()

/// The sum of the measurements tagged with the alias "default".
let private totalForDefault (collector: MetricCollector<int64>) =
    collector.GetMeasurementSnapshot()
    |> Seq.filter (fun m -> m.Tags.["cache.alias"] = box "default")
    |> Seq.sumBy (fun m -> m.Value)

[<Tests>]
let tests =
    testList "Http.AspNetCore.ServiceCollectionTests" [
        // Sequenced: "default" is the alias every configured default cache reports under, so only this test may count it.
        testSequenced (testCase "AddFunctionalCache(uri) reports hits, misses and sets on the FunctionalCache meter" <| fun () ->
            use hits = new MetricCollector<int64>(CacheMetrics.Meter, "functionalcache.hits")
            use misses = new MetricCollector<int64>(CacheMetrics.Meter, "functionalcache.misses")
            use sets = new MetricCollector<int64>(CacheMetrics.Meter, "functionalcache.sets")
            use services = ServiceCollection().AddFunctionalCache("locmem:///").BuildServiceProvider()
            let cache = services.GetRequiredService<ICache>()
            Expect.equal (cache |> Cache.tryGet<int> "k" |> run) None "a miss"
            cache |> Cache.set "k" 1 |> run
            Expect.equal (cache |> Cache.tryGet<int> "k" |> run) (Some 1) "a hit"
            Expect.equal (totalForDefault misses, totalForDefault hits, totalForDefault sets) (1L, 1L, 1L) "one of each, alias default"
            Expect.equal (sets.LastMeasurement.Tags.["cache.backend"]) (box "locmem") "backend tag"
            match cache with
            | :? InstrumentedCache as instrumented ->
                Expect.equal instrumented.Alias "default" "alias"
                Expect.isTrue (instrumented.Inner :? LocMemCache) "the URI's backend inside"
            | other -> failtestf "expected an InstrumentedCache, got %s" (other.GetType().Name))

        testCase "AddFunctionalCache(uri) logs URI warnings through the application's logger" <| fun () ->
            let recording = new Recording()
            use services =
                ServiceCollection()
                    .AddLogging(fun logging -> logging.AddProvider(recording) |> ignore)
                    .AddFunctionalCache("locmem:///?timeot=30")
                    .BuildServiceProvider()
            services.GetRequiredService<ICache>() |> ignore
            Expect.equal recording.Records
                [ "FunctionalCache", "Unknown argument 'timeot' ('30'); accepted arguments: timeout, max_entries, cull_frequency, cull_percentage, store. It is ignored." ]
                "the warning, category FunctionalCache"

        testCase "AddFunctionalCache(uri) disposes the backend with the container" <| fun () ->
            let path = Backends.Subjects.tempDatabase ()
            try
                let services = ServiceCollection().AddFunctionalCache($"db://t?database={path}").BuildServiceProvider()
                let inner = (services.GetRequiredService<ICache>() :?> InstrumentedCache).Inner
                services.Dispose()
                let failure =
                    try
                        inner |> Cache.tryGet<int> "k" |> run |> ignore
                        None
                    with e -> Some e
                let disposed (e: exn) = e :? ObjectDisposedException || e.InnerException :? ObjectDisposedException
                Expect.isTrue (failure |> Option.exists disposed) $"the inner cache is disposed: {failure}"
            finally Backends.Subjects.deleteDatabase path

        testCase "AddFunctionalCache(uri) keeps a cache registered before it, and a second URI adds nothing" <| fun () ->
            let first = LocMemCache() :> ICache
            use services = ServiceCollection().AddFunctionalCache(first).AddFunctionalCache("dummy:///").BuildServiceProvider()
            Expect.isTrue (obj.ReferenceEquals(services.GetRequiredService<ICache>(), first)) "the first registration wins"
            use twice = ServiceCollection().AddFunctionalCache("locmem:///").AddFunctionalCache("dummy:///").BuildServiceProvider()
            Expect.isTrue ((twice.GetRequiredService<ICache>() :?> InstrumentedCache).Inner :? LocMemCache) "the first URI wins"
    ]
