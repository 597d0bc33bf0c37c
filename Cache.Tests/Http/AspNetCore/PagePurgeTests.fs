/// Purging cached pages (IPageCache, docs/tags.md) on real Kestrel servers: a URL purge and a tag eviction remove every
/// variant of a page (Accept-Language and Cookie variants, GET and HEAD), in the per-site cache and in CachePage
/// endpoints; across two app instances sharing one SQLite file or one Redis server; a purge that fails in the backend is
/// reported, never answered as done; and the measure: 10,000 cached pages evicted by one tag, none served after.
module Http.AspNetCore.PagePurgeTests

open System
open System.Diagnostics
open System.IO
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Redis
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

/// A view that says which variant it rendered and how many times it ran.
let private variantView (counter: Counter) =
    handler (fun ctx ->
        let n = counter.Next()
        write ctx $"""{ctx.Request.Path} lang={ctx.Request.Headers.AcceptLanguage} cookie={ctx.Request.Headers.Cookie} #{n}""")

let private variants = [ [ "Accept-Language", "en" ]; [ "Accept-Language", "fr" ]; [ "Accept-Language", "fr"; "Cookie", "s=1" ]; [] ]

let private pageCache (server: Server) = server.App.Services.GetRequiredService<IPageCache>()

let private ok (result: Task<LanguageExt.Either<CacheError, LanguageExt.Unit>>) =
    let r = run result
    Expect.isTrue r.IsRight $"the purge is done: %A{r}"

/// Fetches every variant of `path` (HEAD first: a HEAD is answered from the GET page of its variant) and returns what
/// X-Cache said for each, all sent with `host` as the Host header.
let private fetchAllAs (host: string) (server: Server) (path: string) =
    // X-Cache, or the status and body of an answer without one (a failure), so a broken run says why.
    let said (r: Reply) = match r.Header "X-Cache" with Some x -> x | None -> $"{r.Status} {r.Text}"
    [ said (server.Head(path, [ "Host", host ])) ] @ [ for headers in variants -> said (server.Get(path, ("Host", host) :: headers)) ]

let private host = "example.com"
let private fetchAll (server: Server) (path: string) = fetchAllAs host server path
let private urlOf (path: string) = $"http://{host}{path}"

let private allHits (server: Server) (path: string) = Expect.allEqual (fetchAll server path) "HIT" $"{path}: every variant is cached"
let private allMisses (server: Server) (path: string) = Expect.allEqual (fetchAll server path) "MISS" $"{path}: no variant is served from the cache"

/// A server with the per-site cache on /page (tagged "site") and two CachePage endpoints tagged "articles" and "users".
let private siteAndViews (cache: ICache option) (counter: Counter) =
    startWith (FakeTimeProvider(defaultStart)) cache ignore (fun app ->
        app.UseWhen((fun ctx -> ctx.Request.Path.StartsWithSegments(PathString "/page")), fun site ->
            site.UseFunctionalCache(fun o -> o.WithTags("site").WithKeyPrefix("site")) |> ignore) |> ignore
        app.MapMethods("/page", [ "GET"; "HEAD" ], variantView counter).VaryOnHeaders("Accept-Language").VaryOnCookie() |> ignore
        app.MapMethods("/articles/{id}", [ "GET"; "HEAD" ], variantView counter)
            .CachePage(TimeSpan.FromMinutes 5.0).Tag("articles").VaryOnHeaders("Accept-Language").VaryOnCookie() |> ignore
        app.MapMethods("/users/{id}", [ "GET"; "HEAD" ], variantView counter)
            .CachePage(TimeSpan.FromMinutes 5.0).Tag("users").VaryOnHeaders("Accept-Language").VaryOnCookie() |> ignore)

let private warm (server: Server) (paths: string list) =
    for p in paths do fetchAll server p |> ignore
    for p in paths do allHits server p

/// A SQLite file with the cache table, removed at the end.
let private sqliteFile () =
    let path = Backends.Subjects.tempDatabase ()
    Backends.Subjects.createTable (DatabaseLocation.Sqlite path) "cache_table"
    path

let private sqliteCache (path: string) = Caches.FromUri($"db://cache_table?database={path}")

let private redisCache (prefix: string) =
    let server = Integration.Redis.shared.Force()
    new RedisCache(RedisOptions.Parse server.Location, CachePolicy.Default.WithKeyPrefix prefix, CacheContext.Default) :> ICache

/// Two app instances over caches made by `make` (one shared store): a purge in one is seen by the other.
let private acrossInstances (make: unit -> ICache) =
    let counter = Counter()
    use a = siteAndViews (Some(make ())) counter
    use b = siteAndViews (Some(make ())) counter
    warm a [ "/page"; "/articles/1"; "/users/1" ]
    allHits b "/articles/1"
    ok ((pageCache b).PurgeAsync(urlOf "/page"))
    allMisses a "/page"
    ok ((pageCache b).EvictByTagAsync "articles")
    allMisses a "/articles/1"
    allHits a "/users/1"

/// Caches `count` pages (8 requests at a time) and evicts their tag: how long the eviction took, and every page
/// re-requested after it returned is a miss.
let private purgeMeasure (name: string) (cache: ICache) (count: int) =
    let counter = Counter()
    use server =
        startWith (FakeTimeProvider(defaultStart)) (Some cache) ignore (fun app ->
            app.MapMethods("/p/{n}", [ "GET" ], variantView counter).CachePage(TimeSpan.FromMinutes 30.0).Tag("bulk") |> ignore)
    let inParallel (f: int -> string) =
        // Async requests, 8 in flight: blocking pool threads would starve Kestrel on two cores.
        let gate = new Threading.SemaphoreSlim(8)
        let one i =
            task {
                do! gate.WaitAsync()
                try
                    use! response = server.Client.GetAsync(Uri(server.BaseUri, f i))
                    match response.Headers.TryGetValues "X-Cache" with
                    | true, v -> return Seq.head v
                    | _ ->
                        let! body = response.Content.ReadAsStringAsync()
                        return $"{int response.StatusCode} {body}"
                finally gate.Release() |> ignore
            }
        Task.WhenAll [| for i in 0 .. count - 1 -> one i |] |> run
    Expect.allEqual (inParallel (fun i -> $"/p/{i}")) "MISS" "every page rendered once"
    Expect.allEqual (inParallel (fun i -> $"/p/{i}")) "HIT" "every page cached"
    let watch = Stopwatch.StartNew()
    ok ((pageCache server).EvictByTagAsync "bulk")
    watch.Stop()
    let after = inParallel (fun i -> $"/p/{i}")
    Expect.equal (after |> Array.filter ((<>) "MISS") |> Array.length) 0 "none of the pages is served after the eviction returned"
    printfn "page purge by tag, %s: %d cached pages evicted in %.3f ms; 0 of %d served after" name count watch.Elapsed.TotalMilliseconds count

[<Tests>]
let tests =
    testList "Http.AspNetCore.PagePurgeTests" [
        testCase "a URL purge removes every variant and method of the URL in the per-site cache, and only that URL" <| fun () ->
            let counter = Counter()
            use server = siteAndViews None counter
            warm server [ "/page"; "/page?x=1" ]
            ok ((pageCache server).PurgeAsync(urlOf "/page"))
            allMisses server "/page"
            allHits server "/page"
            allHits server "/page?x=1"

        testCase "a URL purge reaches a CachePage endpoint too, every variant" <| fun () ->
            use server = siteAndViews None (Counter())
            warm server [ "/articles/1"; "/articles/2" ]
            ok ((pageCache server).PurgeAsync(urlOf "/articles/1"))
            allMisses server "/articles/1"
            allHits server "/articles/2"

        testCase "evicting a tag removes every variant of every page with it; other tags stay" <| fun () ->
            use server = siteAndViews None (Counter())
            warm server [ "/articles/1"; "/articles/2"; "/users/1" ]
            ok ((pageCache server).EvictByTagAsync "articles")
            allMisses server "/articles/1"
            allMisses server "/articles/2"
            allHits server "/users/1"
            ok ((pageCache server).EvictByTagAsync "site")
            allHits server "/users/1"

        testCase "the per-site cache's tag evicts its pages" <| fun () ->
            use server = siteAndViews None (Counter())
            warm server [ "/page"; "/page?x=1" ]
            ok ((pageCache server).EvictByTagAsync "site")
            allMisses server "/page"
            allMisses server "/page?x=1"

        testCase "an entry of a TaggedCache on the same cache goes with the pages of its tag" <| fun () ->
            use server = siteAndViews None (Counter())
            let data = server.App.Services.GetRequiredService<ICache>() |> Cache.tagged
            data |> Cache.setTagged [ "articles" ] "article:1:title" "Hello" |> run
            warm server [ "/articles/1" ]
            ok ((pageCache server).EvictByTagAsync "articles")
            Expect.equal (data |> Cache.tryGet<string> "article:1:title" |> run) None "the data entry is evicted"
            allMisses server "/articles/1"

        testCase "the F# tag decorator tags the pages of the cachePage inside it" <| fun () ->
            let counter = Counter()
            let tagged = variantView counter |> View.decorate [ ViewDecorators.tag [ "fsharp" ]; ViewDecorators.cachePage 300; ViewDecorators.varyOnHeaders [ "Accept-Language" ]; ViewDecorators.varyOnCookie ]
            use server = start (fun app -> app.MapMethods("/fs", [ "GET"; "HEAD" ], tagged) |> ignore)
            warm server [ "/fs" ]
            ok ((pageCache server).EvictByTagAsync "fsharp")
            allMisses server "/fs"

        testCase "a purge the backend cannot record is reported as a failure, never as done" <| fun () ->
            for lenient in [ false; true ] do
                let failing = new ChaosCache(LocMemCache(), ChaosSchedule.EveryNth(1L).Only(ChaosOperation.Set, ChaosOperation.Delete), lenient = lenient)
                use server = startWith (FakeTimeProvider(defaultStart)) (Some(failing :> ICache)) ignore (fun app -> app.UseFunctionalCache() |> ignore)
                let purged = (pageCache server).PurgeAsync(urlOf "/x") |> run
                Expect.isTrue purged.IsLeft $"lenient={lenient}: the URL purge is a Left"
                let evicted = (pageCache server).EvictByTagAsync "t" |> run
                Expect.isTrue evicted.IsLeft $"lenient={lenient}: the tag eviction is a Left"

        testCase "a bad URL or tag is refused with a message naming it" <| fun () ->
            use server = start (fun app -> app.UseFunctionalCache() |> ignore)
            let message =
                try
                    (pageCache server).PurgeAsync "/relative" |> run |> ignore
                    "nothing thrown"
                with :? ArgumentException as e -> e.Message
            Expect.stringContains message "'/relative'" "names the URL"
            Expect.throwsT<ArgumentException> (fun () -> (pageCache server).EvictByTagAsync "a b" |> run |> ignore) "a tag with a space is refused"

        testSequenced <| testList "across two app instances" [
            testCase "sharing one SQLite file: a purge on one instance is seen by the other" <| fun () ->
                let path = sqliteFile ()
                try acrossInstances (fun () -> sqliteCache path)
                finally Backends.Subjects.deleteDatabase path

            testCase "sharing one Redis server: a purge on one instance is seen by the other" <| fun () ->
                let prefix = Guid.NewGuid().ToString("N")
                acrossInstances (fun () -> redisCache prefix)
        ]

        testSequenced <| testList "measure" [
            testCase "10,000 pages on locmem: evicted by one tag, none served after" <| fun () ->
                let cache = LocMemCache(CachePolicy.Default.WithMaxEntries 100_000, CacheContext.Default) :> ICache
                purgeMeasure "locmem" cache 10_000

            testCase "10,000 pages on SQLite: evicted by one tag, none served after" <| fun () ->
                let path = sqliteFile ()
                try purgeMeasure "SQLite" (Caches.FromUri($"db://cache_table?database={path}&max_entries=100000")) 10_000
                finally Backends.Subjects.deleteDatabase path
        ]
    ]
