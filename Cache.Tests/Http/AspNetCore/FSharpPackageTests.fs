/// FunctionalCache.FSharp.AspNetCore beyond the decorators: registering caches and middleware data last
/// (`Services`, `App`), text views, views from task functions, and fragments cached from inside a view.
module Http.AspNetCore.FSharpPackageTests

open System
open System.IO
open System.Text
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Caching.Distributed
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

type private Plan = Free | Team of seats: int
type private Account = { Owner: string; Plan: Plan; Tags: string list }

/// A serializer that tags what it writes, to see which one a cache uses.
type private TaggingSerializer() =
    interface ICacheSerializer with
        member _.Serialize<'T>(value: 'T) = Encoding.UTF8.GetBytes("tagged:" + string (box value))
        member _.Deserialize<'T>(payload: ReadOnlySpan<byte>) = unbox<'T> (box (Encoding.UTF8.GetString payload))

let private fromJson (json: string) : IConfiguration =
    ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes json)).Build() :> IConfiguration

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.FSharpPackageTests" [
        testCase "Services registers caches data last: a URI, an instance, a configuration section, a distributed cache" <| fun () ->
            use byUri = (ServiceCollection() |> Services.addCache "locmem:///?max_entries=5").BuildServiceProvider()
            Expect.equal (byUri.GetRequiredService<ICache>().Policy.MaxEntries) 5 "from the URI"
            let cache = Cache.fromUri "locmem:///"
            use byInstance = (ServiceCollection() |> Services.addCacheInstance cache |> Services.addDistributedCache "default").BuildServiceProvider()
            Expect.isTrue (obj.ReferenceEquals(byInstance.GetRequiredService<ICache>(), cache)) "the instance"
            byInstance.GetRequiredService<IDistributedCache>().SetString("k", "v")
            Expect.equal (byInstance.GetRequiredService<IDistributedCache>().GetString "k") "v" "IDistributedCache over it"
            let section = (fromJson """{ "Caches": { "default": "locmem:///", "pages": "dummy://" } }""").GetSection "Caches"
            use configured = (ServiceCollection() |> Services.addCaches section).BuildServiceProvider()
            Expect.isNotNull (configured.GetRequiredKeyedService<ICache>("pages")) "a keyed cache per alias"
            Expect.throwsT<ArgumentException> (fun () -> ServiceCollection() |> Services.addCache "nope" |> ignore) "a malformed URI"

        testCase "caches registered through Services write F# values: a record with a union round-trips, a stored None is a hit" <| fun () ->
            let account = { Owner = "ada"; Plan = Team 3; Tags = [ "vip" ] }
            use byUri = (ServiceCollection() |> Services.addCache "locmem:///").BuildServiceProvider()
            let section = (fromJson """{ "Caches": { "default": "locmem:///" } }""").GetSection "Caches"
            use configured = (ServiceCollection() |> Services.addCaches section).BuildServiceProvider()
            for provider in [ byUri; configured ] do
                let cache = provider.GetRequiredService<ICache>()
                cache |> Cache.set "account" account |> run
                Expect.equal (cache |> Cache.tryGet<Account> "account" |> run) (Some account) "the record with its union"
                cache |> Cache.set<Plan option> "plan" None |> run
                Expect.equal (cache |> Cache.tryGet<Plan option> "plan" |> run) (Some None) "a stored None is a hit"

        testCase "a serializer registered before Services.addCache is the one its caches use" <| fun () ->
            let services = ServiceCollection()
            services.AddSingleton<ICacheSerializer>(TaggingSerializer()) |> ignore
            use provider = (services |> Services.addCache "locmem:///").BuildServiceProvider()
            let cache = provider.GetRequiredService<ICache>()
            cache |> Cache.set "k" "v" |> run
            Expect.equal (cache |> Cache.tryGet<string> "k" |> run) (Some "tagged:v") "the registered serializer wrote it"

        testCase "App installs conditional GET and the per-site cache; textView, View.ofTask and fragment" <| fun () ->
            let counter = Counter()
            let renders = Counter()
            let page =
                textView (fun ctx ->
                    task {
                        let! sidebar = ctx |> fragment "sidebar" [ "all" ] 60 (fun () -> Task.FromResult(sprintf "sidebar %d" (renders.Next())))
                        return sprintf "page %d, %s" (counter.Next()) sidebar
                    })
            use server =
                start (fun app ->
                    app |> App.useConditionalGet |> App.useCache (fun o -> o.WithSeconds 30L) |> ignore
                    mapGet app "/" page |> ignore
                    mapGet app "/raw" (View.ofTask (fun ctx -> ctx.Response.WriteAsync "raw")) |> ignore
                    mapGet app "/uncached" (neverCache page) |> ignore)
            let first = server.Get("/", [ "Host", "t" ])
            Expect.equal (first.Text, first.XCache) ("page 1, sidebar 1", "MISS") "rendered"
            Expect.equal (first.Header "Content-Type") (Some "text/plain; charset=utf-8") "textView's content type"
            Expect.equal (server.Get("/", [ "Host", "t" ]).XCache) "HIT" "the per-site cache, 30 s"
            Expect.equal (server.Get("/", [ "Host", "t"; "If-None-Match", first.Header("ETag").Value ]).Status) 304 "conditional GET"
            Expect.equal (server.Get("/uncached", [ "Host", "t" ]).Text) "page 2, sidebar 1" "a new page around the cached fragment"
            Expect.equal (server.Get("/raw").Text) "raw" "View.ofTask"
    ]
