/// The page cache's serving path under RFC 5861 and request coalescing, on a real Kestrel, each case on locmem and on
/// db:// SQLite (both on the site's fake clock): a page in its stale-while-revalidate window is served at once while
/// ONE background render refreshes it; in its stale-if-error window a throwing or 5xx view is answered with the stale
/// page, and after the window with the error; 50 concurrent cold requests render once; a render that stores nothing
/// releases the waiters to render for themselves.
module Http.AspNetCore.PageStaleTests

open System
open System.Net.Http
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

/// A backend the site stores its pages in, and how to release it.
type private Backend =
    { Name: string
      Make: FakeTimeProvider -> ICache * (unit -> unit) }

let private locmem = { Name = "locmem"; Make = fun clock -> locmemOn clock, ignore }

let private sqlite =
    { Name = "db:// SQLite"
      Make =
        fun clock ->
            let path = Backends.Subjects.tempDatabase ()
            let location = DatabaseLocation.Sqlite path
            Backends.Subjects.createTable location "pages"
            let cache = new DatabaseCache("pages", location, CachePolicy.Default, CacheContext.Default.WithTime(clock))
            cache :> ICache, (fun () -> cache.Dispose(); Backends.Subjects.deleteDatabase path) }

/// What the view does on its next render.
type private Outcome =
    | Page
    | Throws
    | Status of int

/// A view that counts its renders, answers "v<n>" with `cacheControl`, and holds every render from number
/// `HoldFrom` on until `Release` (so a test can see who waits for whom without timing anything).
type private View(cacheControl: string) =
    let mutable renders = 0
    let gate = TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    member val HoldFrom = Int32.MaxValue with get, set
    member val Next = Page with get, set
    /// A field the page is answered with besides Cache-Control (a Set-Cookie, say).
    member val Extra: (string * string) option = None with get, set
    member _.Renders = Volatile.Read(&renders)
    member _.Release() = gate.TrySetResult() |> ignore
    member this.Delegate =
        handler (fun ctx ->
            task {
                let n = Interlocked.Increment(&renders)
                if n >= this.HoldFrom then do! gate.Task
                match this.Next with
                | Throws -> raise (InvalidOperationException "the view broke")
                | Status code ->
                    ctx.Response.StatusCode <- code
                    do! ctx.Response.WriteAsync "down"
                | Page ->
                    ctx.Response.Headers.CacheControl <- cacheControl
                    this.Extra |> Option.iter (fun (name, value) -> ctx.Response.Headers[name] <- value)
                    do! write ctx (sprintf "v%d" n)
            } :> Task)

/// Counts the requests that reached the server (before the cache), to know that all of a burst has arrived.
type private Arrivals() =
    let mutable count = 0
    member _.Count = Volatile.Read(&count)
    member _.Middleware = Func<HttpContext, RequestDelegate, Task>(fun ctx next -> Interlocked.Increment(&count) |> ignore; next.Invoke ctx)

/// A site on `backend` with the per-site cache configured by `configure` in front of `view` at /page.
let private site (backend: Backend) (configure: CacheMiddlewareOptions -> CacheMiddlewareOptions) (view: View) (arrivals: Arrivals) (body: Server -> unit) =
    let clock = FakeTimeProvider(defaultStart)
    let cache, release = backend.Make clock
    try
        use server =
            startWith clock (Some cache) ignore (fun app ->
                app.Use(arrivals.Middleware) |> ignore
                app |> App.useCache configure |> ignore
                mapGet app "/page" view.Delegate |> ignore)
        body server
    finally
        release ()

/// Waits (up to 30 s) for something the server does in the background; a condition that never holds fails the test.
let private waitFor (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds 30.0
    while not (condition ()) do
        if DateTime.UtcNow > deadline then failtestf "timed out waiting for %s" what
        Thread.Sleep 10

/// `count` GETs of /page sent at once; their replies once all are answered.
let private burst (server: Server) (count: int) : Task<(int * string)[]> =
    Task.WhenAll(
        [ for _ in 1..count ->
            task {
                use! response = server.Client.GetAsync(Uri(server.BaseUri, "/page"))
                let! text = response.Content.ReadAsStringAsync()
                return int response.StatusCode, text
            } ])

let private cacheStatus (reply: Reply) = reply.Header "Cache-Status" |> Option.defaultValue "(none)"

let private staleTests (backend: Backend) =
    testList backend.Name [
        testCase "stale-while-revalidate: the stale page is served at once, with its Age, while ONE background render refreshes it" <| fun () ->
            let view = View("max-age=60, stale-while-revalidate=30", HoldFrom = 2)
            site backend id view (Arrivals()) (fun server ->
                let first = server.Get "/page"
                Expect.equal (first.Text, first.XCache) ("v1", "MISS") "rendered and stored"
                server.Clock.Advance(TimeSpan.FromSeconds 70.0)
                // The refresh is held in the view: every answer below comes while it runs.
                let stale = [ for _ in 1..10 -> server.Get "/page" ]
                for reply in stale do
                    Expect.equal (reply.Text, reply.XCache) ("v1", "HIT") "the stale page, at once"
                    Expect.equal (reply.Header "Age") (Some "70") "Age counts from when the page was rendered"
                    Expect.equal (cacheStatus reply) "FunctionalCache; hit; ttl=-10; detail=stale-while-revalidate" "RFC 9211: a hit, 10 s stale"
                waitFor "the background render" (fun () -> view.Renders = 2)
                Expect.equal view.Renders 2 "ten stale hits started one render"
                Expect.equal (server.Counters.Site.StaleHits, server.Counters.Site.Revalidations) (10L, 1L) "counted"
                view.Release()
                waitFor "the refreshed page" (fun () -> (server.Get "/page").Text = "v2")
                let fresh = server.Get "/page"
                Expect.equal (fresh.Text, cacheStatus fresh) ("v2", "FunctionalCache; hit; ttl=60") "the refreshed page is fresh again"
                Expect.equal (fresh.Header "Age") (Some "0") "rendered now"
                Expect.equal view.Renders 2 "no other render")

        testCase "stale-while-revalidate from the middleware's default window, and never for must-revalidate" <| fun () ->
            let view = View("max-age=60")
            site backend (fun o -> o.WithStaleWindows(30L, 0L)) view (Arrivals()) (fun server ->
                server.Get "/page" |> ignore
                server.Clock.Advance(TimeSpan.FromSeconds 75.0)
                let stale = server.Get "/page"
                Expect.equal (stale.Text, cacheStatus stale) ("v1", "FunctionalCache; hit; ttl=-15; detail=stale-while-revalidate") "default window"
                waitFor "the refresh" (fun () -> (server.Get "/page").Text = "v2"))
            let strict = View("max-age=60, must-revalidate")
            site backend (fun o -> o.WithStaleWindows(30L, 30L)) strict (Arrivals()) (fun server ->
                server.Get "/page" |> ignore
                server.Clock.Advance(TimeSpan.FromSeconds 61.0)
                strict.Next <- Throws
                let after = server.Get "/page"
                Expect.equal after.Status 500 "must-revalidate: never served stale, not even on error"
                Expect.equal strict.Renders 2 "rendered in the foreground")

        testCase "stale-if-error: a throwing or 5xx view gets the stale page within the window, the error after it" <| fun () ->
            let view = View("max-age=60, stale-if-error=120")
            site backend id view (Arrivals()) (fun server ->
                Expect.equal (server.Get "/page").Text "v1" "stored"
                server.Clock.Advance(TimeSpan.FromSeconds 90.0)
                view.Next <- Throws
                let thrown = server.Get "/page"
                Expect.equal (thrown.Status, thrown.Text, thrown.XCache) (200, "v1", "HIT") "the stale page answers for the exception"
                Expect.equal (thrown.Header "Age") (Some "90") "its Age"
                Expect.equal (cacheStatus thrown) "FunctionalCache; fwd=stale; ttl=-30; detail=\"stale-if-error: view threw InvalidOperationException\"" "RFC 9211: forwarded as stale"
                view.Next <- Status 503
                let unavailable = server.Get "/page"
                Expect.equal (unavailable.Status, unavailable.Text) (200, "v1") "the stale page answers for a 503"
                Expect.equal (cacheStatus unavailable) "FunctionalCache; fwd=stale; fwd-status=503; ttl=-30; detail=stale-if-error" "with the origin's status"
                Expect.equal server.Counters.Site.StaleOnError 2L "counted"
                Expect.equal view.Renders 3 "the view ran each time (no stale-while-revalidate window)"
                server.Clock.Advance(TimeSpan.FromSeconds 90.0)
                let late = server.Get "/page"
                Expect.equal (late.Status, late.Text) (503, "down") "past the window: the error itself"
                view.Next <- Throws
                Expect.equal (server.Get "/page").Status 500 "and the exception's 500"
                Expect.equal server.Counters.Site.StaleOnError 2L "not counted as stale answers")

        testCase "50 concurrent requests for a cold page render it once; the others are served what it stored" <| fun () ->
            let view = View("max-age=60", HoldFrom = 1)
            let arrivals = Arrivals()
            site backend id view arrivals (fun server ->
                let replies = burst server 50
                waitFor "all 50 requests, one of them rendering" (fun () -> arrivals.Count = 50 && view.Renders >= 1)
                view.Release()
                let replies = replies |> run
                Expect.equal view.Renders 1 "one render"
                Expect.allEqual replies (200, "v1") "every request got the one render's page"
                Expect.equal (server.Counters.Site.Misses, server.Counters.Site.Hits) (1L, 49L) "one miss, the rest hits")

        testCase "coalescing off: 50 concurrent cold requests render 50 times (what coalescing saves)" <| fun () ->
            let view = View("max-age=60", HoldFrom = 1)
            site backend (fun o -> o.WithRequestCoalescing false) view (Arrivals()) (fun server ->
                let replies = burst server 50
                waitFor "all 50 renders" (fun () -> view.Renders = 50)
                view.Release()
                let replies = replies |> run
                Expect.equal (replies |> Array.map fst |> Array.distinct) [| 200 |] "all answered"
                Expect.equal view.Renders 50 "every request rendered")

        for why, cacheControl, extra, next in
            [ "private", "private, max-age=60", None, Page
              "a Set-Cookie", "max-age=60", Some("Set-Cookie", "session=1"), Page
              "a 500", "max-age=60", None, Status 500 ] do
            testCase $"coalescing releases the waiters to render for themselves when the render stores nothing ({why})" <| fun () ->
                let view = View(cacheControl, HoldFrom = 1, Extra = extra, Next = next)
                let arrivals = Arrivals()
                site backend id view arrivals (fun server ->
                    let replies = burst server 5
                    waitFor "all 5 requests, one rendering" (fun () -> arrivals.Count = 5 && view.Renders >= 1)
                    Expect.equal view.Renders 1 "the others wait instead of rendering alongside"
                    view.Release()
                    let replies = replies |> run
                    Expect.equal view.Renders 5 "each waiter rendered for itself"
                    match next with
                    | Page -> Expect.equal (replies |> Array.map snd |> Array.sort) [| "v1"; "v2"; "v3"; "v4"; "v5" |] "each got its own render"
                    | _ -> Expect.allEqual replies (500, "down") "each got its own error"
                    Expect.equal server.Counters.Site.NotCacheable 5L "none stored")

        testCase "stale-while-revalidate: a refresh that throws leaves the stale page, logged and counted, until the window ends" <| fun () ->
            let view = View("max-age=60, stale-while-revalidate=30")
            site backend id view (Arrivals()) (fun server ->
                server.Get "/page" |> ignore
                server.Clock.Advance(TimeSpan.FromSeconds 70.0)
                view.Next <- Throws
                Expect.equal (server.Get "/page").Text "v1" "stale"
                waitFor "the failed refresh" (fun () -> server.Counters.Site.RevalidationFailures = 1L)
                let again = server.Get "/page"
                Expect.equal (again.Text, again.XCache) ("v1", "HIT") "still the stale page"
                waitFor "the second failed refresh" (fun () -> server.Counters.Site.RevalidationFailures = 2L)
                Expect.equal view.Renders 3 "one refresh per stale hit once the previous one failed"
                view.Next <- Page
                server.Clock.Advance(TimeSpan.FromSeconds 20.0)
                let expired = server.Get "/page"
                Expect.equal (expired.Text, expired.XCache, cacheStatus expired) ("v4", "MISS", "FunctionalCache; fwd=uri-miss; stored") "past the window the backend has dropped the page (kept max-age + window): rendered in the foreground")
    ]

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.PageStale" [ staleTests locmem; staleTests sqlite ]
