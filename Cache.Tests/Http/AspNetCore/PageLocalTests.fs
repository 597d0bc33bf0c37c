/// The local page cache (AddLocalPageCache, docs/page-cache-local.md) on a real Kestrel over db:// SQLite on the site's
/// fake clock: hits it answers read nothing from the backend (counted through an InstrumentedCache's metrics); a copy
/// is served no longer than its lifetime nor past its page's freshness; a URL purge and a tag eviction on this node drop
/// the copies at once; Vary variants stay apart; the entry and byte bounds hold; stale windows still behave; and
/// another node's purge is seen once the lifetime ends (the documented bound).
module Http.AspNetCore.PageLocalTests

open System
open System.Diagnostics.Metrics
open System.Threading
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

/// Every read (a hit or a miss) the backend of `alias` answered, from the InstrumentedCache's metrics.
type private BackendReads(alias: string) =
    let reads = ref 0L
    let listener = new MeterListener()
    do
        listener.InstrumentPublished <- fun instrument l ->
            if instrument.Meter.Name = CacheMetrics.MeterName && (instrument.Name = "functionalcache.hits" || instrument.Name = "functionalcache.misses") then
                l.EnableMeasurementEvents(instrument)
        listener.SetMeasurementEventCallback<int64>(MeasurementCallback<int64>(fun _ value tags _ ->
            let mutable mine = false
            for tag in tags do
                if tag.Key = "cache.alias" && (match tag.Value with :? string as s -> s = alias | _ -> false) then mine <- true
            if mine then Interlocked.Add(&reads.contents, value) |> ignore))
        listener.Start()
    member _.Count = Interlocked.Read(&reads.contents)
    interface IDisposable with
        member _.Dispose() = listener.Dispose()

/// A view that says which path and language it rendered and how many times it ran; `extra` adds response fields.
let private view (counter: Counter) (extra: (string * string) list) =
    handler (fun ctx ->
        for (name, value) in extra do ctx.Response.Headers[name] <- value
        write ctx $"""{ctx.Request.Path} lang={ctx.Request.Headers.AcceptLanguage} #{counter.Next()}""")

/// A SQLite cache table on `clock`, instrumented under a fresh alias, and how to release it.
let private sqliteOn (path: string) (clock: TimeProvider) =
    let location = DatabaseLocation.Sqlite path
    let cache = new DatabaseCache("pages", location, CachePolicy.Default, CacheContext.Default.WithTime(clock))
    let alias = "local-" + Guid.NewGuid().ToString("N")
    new InstrumentedCache(cache, alias) :> ICache, alias, cache

let private newDatabase () =
    let path = Backends.Subjects.tempDatabase ()
    Backends.Subjects.createTable (DatabaseLocation.Sqlite path) "pages"
    path

/// A running site with its backend reads, counter and local page cache.
type private Site =
    { Server: Server
      Reads: BackendReads
      Renders: Counter
      Local: LocalPages }
    member s.Get(path: string, ?headers) = s.Server.Get(path, defaultArg headers [])

/// A site over the SQLite file `path` with local pages bounded by `local`: the per-site cache (60 s, tag "site",
/// varying on Accept-Language) on /page*, CachePage endpoints tagged "articles" and "users".
let private siteOn (path: string) (local: LocalPageOptions -> LocalPageOptions) (extra: (string * string) list) (seconds: int64) (body: Site -> unit) =
    let clock = FakeTimeProvider(defaultStart)
    let cache, alias, database = sqliteOn path clock
    let counter = Counter()
    use reads = new BackendReads(alias)
    try
        use server =
            startWith clock (Some cache) (Services.addLocalPageCache local >> ignore) (fun app ->
                app.UseWhen((fun ctx -> ctx.Request.Path.StartsWithSegments(PathString "/page")), fun site ->
                    site |> App.useCache (fun o -> o.WithSeconds(seconds).WithTags("site")) |> ignore) |> ignore
                app.MapMethods("/page/{n}", [ "GET"; "HEAD" ], view counter extra).VaryOnHeaders("Accept-Language") |> ignore
                app.MapMethods("/articles/{id}", [ "GET"; "HEAD" ], view counter extra).CachePage(TimeSpan.FromMinutes 5.0).Tag("articles") |> ignore
                app.MapMethods("/users/{id}", [ "GET"; "HEAD" ], view counter extra).CachePage(TimeSpan.FromMinutes 5.0).Tag("users") |> ignore)
        body { Server = server; Reads = reads; Renders = counter; Local = server.App.Services.GetRequiredService<LocalPages>() }
    finally
        database.Dispose()

let private site (local: LocalPageOptions -> LocalPageOptions) (extra: (string * string) list) (seconds: int64) (body: Site -> unit) =
    let path = newDatabase ()
    try siteOn path local extra seconds body
    finally Backends.Subjects.deleteDatabase path

/// Requests `path` until it is a hit read from the backend (MISS, then HIT), so that the local cache holds it.
let private warm (s: Site) (path: string) (headers: (string * string) list) =
    Expect.equal (s.Get(path, headers)).XCache "MISS" $"{path}: rendered and stored"
    Expect.equal (s.Get(path, headers)).XCache "HIT" $"{path}: read from the backend"

/// The backend reads `f` made.
let private readsOf (s: Site) (f: unit -> unit) =
    let before = s.Reads.Count
    f ()
    s.Reads.Count - before

let private ok (result: Threading.Tasks.Task<LanguageExt.Either<CacheError, LanguageExt.Unit>>) =
    Expect.isTrue (run result).IsRight "the purge is done"

let private pageCache (s: Site) = s.Server.App.Services.GetRequiredService<IPageCache>()

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.PageLocalTests" [
        testCase "hits answered from the local page cache read nothing from the backend, in both layers, and are counted" <| fun () ->
            site id [] 60L (fun s ->
                warm s "/page/1" []
                warm s "/articles/1" []
                let reads =
                    readsOf s (fun () ->
                        for _ in 1..5 do
                            for path in [ "/page/1"; "/articles/1" ] do
                                let reply = s.Get path
                                Expect.equal (reply.XCache, reply.Header "Age") ("HIT", Some "0") $"{path}: a hit with its Age")
                Expect.equal reads 0L "no backend read for ten hits"
                Expect.equal (s.Server.Counters.Site.LocalHits, s.Server.Counters.View.LocalHits) (5L, 5L) "counted per layer"
                Expect.equal s.Server.Counters.LocalHits 10L "and in total"
                Expect.equal s.Renders.Calls 2 "each page rendered once")

        testCase "a copy is served no longer than its lifetime: then the backend is read again" <| fun () ->
            site (fun o -> o.WithLifetime(TimeSpan.FromSeconds 2.0)) [] 60L (fun s ->
                warm s "/page/1" []
                Expect.equal (readsOf s (fun () -> s.Get "/page/1" |> ignore)) 0L "within the lifetime: the copy"
                s.Server.Clock.Advance(TimeSpan.FromSeconds 2.0)
                Expect.isGreaterThan (readsOf s (fun () -> Expect.equal (s.Get "/page/1").XCache "HIT" "still cached")) 0L "past the lifetime: the backend"
                Expect.equal (readsOf s (fun () -> s.Get "/page/1" |> ignore)) 0L "and copied again")

        testCase "a copy is never served past its page's freshness, even when the view sent a later Expires" <| fun () ->
            let later = defaultStart.AddHours(1.0).ToString("R")
            for extra in [ []; [ "Expires", later ] ] do
                site (fun o -> o.WithLifetime(TimeSpan.FromMinutes 10.0)) extra 5L (fun s ->
                    warm s "/page/1" []
                    s.Server.Clock.Advance(TimeSpan.FromSeconds 4.0)
                    Expect.equal (s.Get "/page/1").XCache "HIT" $"%A{extra}: fresh for 5 s"
                    s.Server.Clock.Advance(TimeSpan.FromSeconds 1.0)
                    Expect.equal (s.Get "/page/1").XCache "MISS" $"%A{extra}: expired after 5 s"
                    Expect.equal s.Renders.Calls 2 $"%A{extra}: rendered again")

        testCase "a URL purge on this node drops the local copies of every variant at once, and only that URL's" <| fun () ->
            site id [] 60L (fun s ->
                for lang in [ "en"; "fr" ] do warm s "/page/1" [ "Accept-Language", lang ]
                warm s "/page/2" []
                warm s "/articles/1" []
                ok ((pageCache s).PurgeAsync($"{s.Server.BaseUri}page/1"))
                for lang in [ "en"; "fr" ] do Expect.equal (s.Get("/page/1", [ "Accept-Language", lang ])).XCache "MISS" $"{lang}: purged"
                ok ((pageCache s).PurgeAsync($"{s.Server.BaseUri}articles/1"))
                Expect.equal (s.Get "/articles/1").XCache "MISS" "a CachePage copy is purged too"
                Expect.equal (readsOf s (fun () -> Expect.equal (s.Get "/page/2").XCache "HIT" "another URL stays")) 0L "from its copy")

        testCase "a tag eviction on this node drops the local copies of its pages at once; other tags stay" <| fun () ->
            site id [] 60L (fun s ->
                for path in [ "/articles/1"; "/articles/2"; "/users/1"; "/page/1" ] do warm s path []
                ok ((pageCache s).EvictByTagAsync "articles")
                Expect.equal (s.Get "/articles/1").XCache "MISS" "evicted"
                Expect.equal (s.Get "/articles/2").XCache "MISS" "evicted"
                Expect.equal (readsOf s (fun () -> Expect.equal (s.Get "/users/1").XCache "HIT" "another tag stays")) 0L "from its copy"
                ok ((pageCache s).EvictByTagAsync "site")
                Expect.equal (s.Get "/page/1").XCache "MISS" "the per-site cache's tag")

        testCase "Vary variants are kept apart in the local page cache" <| fun () ->
            site id [] 60L (fun s ->
                let langs = [ "en"; "fr"; "de" ]
                for lang in langs do warm s "/page/1" [ "Accept-Language", lang ]
                let reads =
                    readsOf s (fun () ->
                        for _ in 1..3 do
                            for lang in langs do
                                let reply = s.Get("/page/1", [ "Accept-Language", lang ])
                                Expect.equal reply.XCache "HIT" $"{lang}: a hit"
                                Expect.stringContains reply.Text $"lang={lang} " $"{lang}: its own variant")
                Expect.equal reads 0L "every variant from its copy"
                Expect.equal s.Renders.Calls 3 "one render per variant")

        testCase "the entry bound holds: the oldest copies go first" <| fun () ->
            // A URL takes two entries: its header list and its page.
            site (fun o -> o.WithMaxEntries 4) [] 60L (fun s ->
                for n in 1..3 do warm s $"/page/{n}" []
                Expect.isLessThanOrEqual s.Local.Count 4 "never more than the bound"
                Expect.equal (readsOf s (fun () -> s.Get "/page/3" |> ignore)) 0L "the newest is kept"
                Expect.isGreaterThan (readsOf s (fun () -> Expect.equal (s.Get "/page/1").XCache "HIT" "still in the backend")) 0L "the oldest went"
                Expect.isLessThanOrEqual s.Local.Count 4 "never more than the bound")

        testCase "the byte bound holds, and a page larger than it is never kept" <| fun () ->
            let big = String('x', 3000)
            site (fun o -> o.WithMaxBytes 2500L) [ "X-Padding", big ] 60L (fun s ->
                warm s "/page/1" []
                Expect.isLessThanOrEqual s.Local.Bytes 2500L "within the bytes"
                Expect.isGreaterThan (readsOf s (fun () -> Expect.equal (s.Get "/page/1").XCache "HIT" "served")) 0L "from the backend every time")
            site (fun o -> o.WithMaxBytes 3000L) [] 60L (fun s ->
                for n in 1..20 do warm s $"/page/{n}" []
                Expect.isLessThanOrEqual s.Local.Bytes 3000L "within the bytes after 20 pages"
                Expect.isGreaterThan s.Local.Count 0 "some are kept")

        testCase "stale windows still behave: a stale page is served while one render refreshes it, never from a copy" <| fun () ->
            site id [ "Cache-Control", "max-age=10, stale-while-revalidate=60" ] 60L (fun s ->
                warm s "/page/1" []
                s.Server.Clock.Advance(TimeSpan.FromSeconds 11.0)
                let stale = s.Get "/page/1"
                Expect.equal stale.XCache "HIT" "served stale"
                Expect.stringContains (stale.Header "Cache-Status" |> Option.defaultValue "") "detail=stale-while-revalidate" "as stale-while-revalidate"
                let deadline = DateTime.UtcNow.AddSeconds 30.0
                while (s.Get "/page/1").Text.EndsWith "#1" do
                    if DateTime.UtcNow > deadline then failtest "the refreshed page never came"
                    Thread.Sleep 10
                Expect.equal s.Renders.Calls 2 "one background render")

        testCase "another node's purge reaches this node's copies when their lifetime ends (the documented bound)" <| fun () ->
            let path = newDatabase ()
            try
                siteOn path (fun o -> o.WithLifetime(TimeSpan.FromSeconds 3.0)) [] 60L (fun a ->
                    siteOn path id [] 60L (fun b ->
                        warm a "/articles/1" []
                        ok ((pageCache b).EvictByTagAsync "articles")
                        Expect.equal (a.Get "/articles/1").XCache "HIT" "a's copy is within its lifetime"
                        a.Server.Clock.Advance(TimeSpan.FromSeconds 3.0)
                        Expect.equal (a.Get "/articles/1").XCache "MISS" "after the lifetime, the purge is seen"))
            finally Backends.Subjects.deleteDatabase path

        testCase "bad bounds are refused with a message stating the rule" <| fun () ->
            let message (f: unit -> LocalPageOptions) = try f () |> ignore; "nothing thrown" with :? ArgumentException as e -> e.Message
            Expect.stringContains (message (fun () -> LocalPageOptions.Default.WithLifetime TimeSpan.Zero)) "lifetime must be greater than 0" "lifetime"
            Expect.stringContains (message (fun () -> LocalPageOptions.Default.WithMaxEntries 0)) "maximum entries must be greater than 0" "entries"
            Expect.stringContains (message (fun () -> LocalPageOptions.Default.WithMaxBytes 0L)) "maximum bytes must be greater than 0" "bytes"
    ]
