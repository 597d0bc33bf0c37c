/// ASP.NET Core health checks over the configured caches (`AddHealthChecks().AddFunctionalCache()`), on a real Kestrel
/// with `MapHealthChecks("/health")`: live backends (locmem, memcached) are Healthy; a dead memcached, a db:// table that
/// does not exist and a lenient chaos cache are Unhealthy, each result naming its alias and the failure.
module Http.HealthCheckTests

open System
open System.IO
open System.Text
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Diagnostics.HealthChecks
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.DependencyInjection.Extensions
open Microsoft.Extensions.Diagnostics.HealthChecks
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.AspNetCore
open Http.AspNetCore.TestServer

// Fields and data pairs are parted by the ASCII record and unit separators, which no message contains.
let private field, pair = "\u001E", "\u001F"

/// One line per check, sorted by name: name, status, description and data (`alias=…`, `backend=…`, `step=…`,
/// `error=…`), after a first line with the overall status; what a real application would write as JSON.
let private writeReport (context: HttpContext) (report: HealthReport) : Task =
    let data (entry: HealthReportEntry) =
        String.Join(pair, entry.Data |> Seq.sortBy (fun kv -> kv.Key) |> Seq.map (fun kv -> $"{kv.Key}={kv.Value}"))
    let lines =
        [ yield string report.Status
          for KeyValue(name, entry) in report.Entries |> Seq.sortBy (fun kv -> kv.Key) do
              yield String.Join(field, [ name; string entry.Status; entry.Description; data entry ]) ]
    context.Response.ContentType <- "text/plain"
    context.Response.WriteAsync(String.Join("\n", lines))

/// A check's line: its status, description and data.
type private Check = { Status: string; Description: string; Data: Map<string, string> }

let private checksOf (reply: Reply) : string * Map<string, Check> =
    match reply.Text.Split('\n') |> List.ofArray with
    | overall :: lines ->
        overall,
        lines
        |> List.map (fun line ->
            match line.Split(field) with
            | [| name; status; description; data |] ->
                let pairs =
                    data.Split(pair, StringSplitOptions.RemoveEmptyEntries)
                    |> Array.map (fun pair -> let i = pair.IndexOf '=' in pair.Substring(0, i), pair.Substring(i + 1))
                name, { Status = status; Description = description; Data = Map.ofArray pairs }
            | _ -> failwithf "not a check line: %s" line)
        |> Map.ofList
    | [] -> failwith "an empty health report"

let private configurationOf (caches: (string * string) list) : IConfiguration =
    ConfigurationBuilder().AddInMemoryCollection(caches |> List.map (fun (alias, uri) -> Collections.Generic.KeyValuePair("Caches:" + alias, uri))).Build()
        .GetSection("Caches")

/// A Kestrel site with the `caches` (alias, URI) configured, `addChecks` adding the checks, and `/health` mapped with
/// `options`; on the system clock, as in production.
let private siteWith (caches: (string * string) list) (addChecks: IHealthChecksBuilder -> unit) (options: HealthCheckOptions) : Server =
    startWith (FakeTimeProvider(defaultStart)) None
        (fun services ->
            services.RemoveAll<TimeProvider>() |> ignore
            if not caches.IsEmpty then services.AddFunctionalCache(configurationOf caches) |> ignore
            addChecks (services.AddHealthChecks()))
        (fun app -> app.MapHealthChecks("/health", options) |> ignore)

let private reportOptions () = HealthCheckOptions(ResponseWriter = Func<HttpContext, HealthReport, Task>(writeReport))

let private site (caches: (string * string) list) =
    siteWith caches (fun checks -> checks.AddFunctionalCache() |> ignore) (reportOptions ())

let private expectCheck (checks: Map<string, Check>) (alias: string) (status: string) (fragments: string list) =
    match checks |> Map.tryFind (CacheHealthCheck.NameFor alias) with
    | None -> failtestf "no check named %s among %A" (CacheHealthCheck.NameFor alias) (checks |> Map.keys |> List.ofSeq)
    | Some check ->
        Expect.equal check.Status status $"{alias}: status ({check.Description})"
        Expect.equal (check.Data.TryFind "alias") (Some alias) $"{alias}: the data names the alias"
        for fragment in fragments do Expect.stringContains check.Description fragment $"{alias}: the description"

let private withDatabase (body: string -> unit) =
    let path = Backends.Subjects.tempDatabase ()
    try
        // The file exists and holds another table, so the failure is the missing table, not a missing file.
        Backends.Subjects.createTable (DatabaseLocation.Sqlite path) "present"
        body path
    finally Backends.Subjects.deleteDatabase path

[<Tests>]
let tests =
    testSequenced <| testList "Http.HealthCheckTests" [
        testCase "live locmem and memcached caches are Healthy: 200, one check per alias, and the probe key is gone" <| fun () ->
            let memcached = Integration.Memcached.shared.Value
            use server = site [ "default", "locmem:///"; "mc", $"memcached://{memcached.Location}/" ]
            let reply = server.Get "/health"
            Expect.equal reply.Status 200 reply.Text
            let overall, checks = checksOf reply
            Expect.equal overall "Healthy" "overall"
            Expect.equal (checks |> Map.keys |> List.ofSeq) [ "functionalcache:default"; "functionalcache:mc" ] "one check per configured alias"
            expectCheck checks "default" "Healthy" [ "Cache 'default' (locmem): a probe key was set, read back and deleted." ]
            expectCheck checks "mc" "Healthy" [ "Cache 'mc' (memcached)" ]
            Expect.equal checks.["functionalcache:mc"].Data.["step"] "done" "every step done"
            let provider = server.App.Services.GetRequiredService<ICacheProvider>()
            let locmem = (provider.["default"] :?> InstrumentedCache).Inner :?> LocMemCache
            Expect.equal locmem.Count 0 "the probe deleted its key"

        testCase "a dead memcached and a db:// table that does not exist are Unhealthy: 503, each result naming its alias and the failure" <| fun () ->
            withDatabase (fun path ->
                let deadPort = freePort ()
                use server = site [ "default", "locmem:///"; "deadmc", $"memcached://127.0.0.1:{deadPort}/"; "nodb", $"db://nosuch?database={path}" ]
                let reply = server.Get "/health"
                Expect.equal reply.Status 503 reply.Text
                let overall, checks = checksOf reply
                Expect.equal overall "Unhealthy" "overall"
                expectCheck checks "default" "Healthy" []
                // memcached answers a dead server leniently (a miss); the probe asks through TrySetAsync, so it hears of it.
                expectCheck checks "deadmc" "Unhealthy" [ "Cache 'deadmc' (memcached) failed to set the probe key: "; $"memcached server 127.0.0.1:{deadPort}" ]
                expectCheck checks "nodb" "Unhealthy" [ "Cache 'nodb' (db) failed to set the probe key: "; "Cache table 'nosuch'" ]
                Expect.equal checks.["functionalcache:nodb"].Data.["step"] "set" "the failed step"
                Expect.stringContains checks.["functionalcache:deadmc"].Data.["error"] $"127.0.0.1:{deadPort}" "the error in the data")

        testCase "a lenient chaos cache that fails is Unhealthy; a cache that keeps nothing (dummy://) is Degraded" <| fun () ->
            use server = site [ "default", "dummy:///"; "chaos", "chaos://?inner=locmem:///&fail_every=1&lenient=true" ]
            let reply = server.Get "/health"
            Expect.equal reply.Status 503 reply.Text
            let _, checks = checksOf reply
            expectCheck checks "chaos" "Unhealthy" [ "Cache 'chaos' (ChaosCache) failed to set the probe key: Chaos: call 1 (set) failed, as scheduled (every call: Fail)." ]
            expectCheck checks "default" "Degraded" [ "Cache 'default' (dummy) stored the probe key but did not give it back" ]

        testCase "only the chosen aliases are checked; a chosen alias that names no cache is Unhealthy, naming the configured ones" <| fun () ->
            use server = siteWith [ "default", "locmem:///"; "other", "locmem:///" ] (fun checks -> checks.AddFunctionalCache("default", "missing") |> ignore) (reportOptions ())
            let _, checks = checksOf (server.Get "/health")
            Expect.equal (checks |> Map.keys |> List.ofSeq) [ "functionalcache:default"; "functionalcache:missing" ] "the chosen two"
            expectCheck checks "missing" "Unhealthy" [ "Cache 'missing' could not be opened: No cache is configured under the alias 'missing'; the configured aliases are default, other." ]

        testCase "without configuration the cache of AddFunctionalCache(uri or instance) is checked as default" <| fun () ->
            use server = site []
            let reply = server.Get "/health"
            Expect.equal reply.Status 200 reply.Text
            let _, checks = checksOf reply
            expectCheck checks "default" "Healthy" [ "Cache 'default' (locmem)" ]

        testCase "the checks carry the functionalcache tag, the options' tags and failure status, so a site can select and grade them" <| fun () ->
            let options = CacheHealthCheckOptions.Default.WithTags("ready").WithFailureStatus(HealthStatus.Degraded)
            let onlyReady = reportOptions ()
            onlyReady.Predicate <- Func<HealthCheckRegistration, bool>(fun r -> r.Tags.Contains "ready" && r.Tags.Contains CacheHealthCheck.Tag)
            use server =
                siteWith [ "default", "chaos://?inner=locmem:///&fail_every=1" ]
                    (fun checks -> checks.AddFunctionalCache(options).AddCheck("other", fun () -> HealthCheckResult.Unhealthy "not a cache") |> ignore) onlyReady
            let reply = server.Get "/health"
            Expect.equal reply.Status 200 "Degraded answers 200"
            let overall, checks = checksOf reply
            Expect.equal overall "Degraded" "the options' failure status"
            Expect.equal (checks |> Map.keys |> List.ofSeq) [ "functionalcache:default" ] "the other check is not selected"

        testCase "a check used directly reports a failure from the Try operations, never an exception" <| fun () ->
            let chaos = new ChaosCache(LocMemCache(), ChaosSchedule.Window(2L, 2L), lenient = true)
            let check = CacheHealthCheck("direct", chaos)
            let result = check.CheckHealthAsync(HealthCheckContext()) |> run
            Expect.equal result.Status HealthStatus.Unhealthy "the get failed"
            Expect.equal result.Description "Cache 'direct' (ChaosCache) failed to get the probe key: Chaos: call 2 (get) failed, as scheduled (calls 2-2: Fail)." "description"
            Expect.equal result.Data.["step"] (box "get") "step"
            Expect.isTrue (result.Exception :? CacheBackendException) "the cause"
            Expect.equal (check.CheckHealthAsync(HealthCheckContext()) |> run).Status HealthStatus.Healthy "the next probe passes"
    ]
