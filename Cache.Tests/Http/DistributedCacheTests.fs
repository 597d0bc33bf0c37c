/// The IDistributedCache adapter: its laws on locmem under a fake clock (absolute and sliding expiry,
/// refresh, remove, bad options), ASP.NET Core session state round trips through it on the file and
/// SQLite backends on a real Kestrel server, and HybridCache using it as its L2.
module Http.DistributedCacheTests

open System
open System.IO
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Caching.Distributed
open Microsoft.Extensions.Caching.Hybrid
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.Distributed
open Http.AspNetCore.TestServer

let private bytes (text: string) = Text.Encoding.UTF8.GetBytes text
let private text (value: byte[]) = if isNull value then "(null)" else Text.Encoding.UTF8.GetString value

/// A fresh adapter over a fresh locmem cache on a fake clock.
let private fresh () =
    let clock = FakeTimeProvider(defaultStart)
    let cache = LocMemCache(CachePolicy.Default, CacheContext.Default.WithTime(clock)) :> ICache
    FunctionalDistributedCache(cache, clock), cache, clock

let private options (configure: DistributedCacheEntryOptions -> unit) =
    let o = DistributedCacheEntryOptions()
    configure o
    o

let private seconds (s: float) = TimeSpan.FromSeconds s

let private lawTests =
    testList "adapter laws on locmem" [
        testCase "what is set is got back; a missing key is null" <| fun () ->
            let adapter, _, _ = fresh ()
            adapter.SetAsync("k", bytes "value", options ignore) |> runUnit
            Expect.equal (adapter.GetAsync("k") |> run |> text) "value" "async"
            Expect.equal (adapter.Get("k") |> text) "value" "sync"
            Expect.isNull (adapter.GetAsync("missing") |> run) "missing"

        testCase "remove deletes the entry (async and sync)" <| fun () ->
            let adapter, _, _ = fresh ()
            adapter.Set("a", bytes "1", options ignore)
            adapter.Set("b", bytes "2", options ignore)
            adapter.RemoveAsync("a") |> runUnit
            adapter.Remove("b")
            Expect.isNull (adapter.Get "a") "a"
            Expect.isNull (adapter.Get "b") "b"

        testCase "a relative absolute expiration is visible strictly before its deadline and gone from it on" <| fun () ->
            let adapter, _, clock = fresh ()
            adapter.Set("k", bytes "v", options (fun o -> o.AbsoluteExpirationRelativeToNow <- Nullable(seconds 10.0)))
            clock.Advance(seconds 9.999)
            Expect.equal (adapter.Get "k" |> text) "v" "before"
            clock.Advance(TimeSpan.FromMilliseconds 1.0)
            Expect.isNull (adapter.Get "k") "at the deadline"

        testCase "an absolute expiration date is honoured, and reads do not extend it" <| fun () ->
            let adapter, _, clock = fresh ()
            adapter.Set("k", bytes "v", options (fun o -> o.AbsoluteExpiration <- Nullable(defaultStart + seconds 20.0)))
            clock.Advance(seconds 19.0)
            Expect.equal (adapter.Get "k" |> text) "v" "before"
            adapter.Refresh "k"
            clock.Advance(seconds 1.0)
            Expect.isNull (adapter.Get "k") "gone at the date"

        testCase "sliding expiration: each read and each refresh gives the entry one more window" <| fun () ->
            let adapter, _, clock = fresh ()
            adapter.Set("k", bytes "v", options (fun o -> o.SlidingExpiration <- Nullable(seconds 10.0)))
            clock.Advance(seconds 8.0)
            Expect.equal (adapter.Get "k" |> text) "v" "read at 8 s slides"
            clock.Advance(seconds 8.0)
            adapter.RefreshAsync "k" |> runUnit
            clock.Advance(seconds 8.0)
            Expect.equal (adapter.Get "k" |> text) "v" "refresh at 16 s slid it to 26 s"
            clock.Advance(seconds 10.0)
            Expect.isNull (adapter.Get "k") "idle for a whole window: gone"

        testCase "a sliding window never extends past an absolute deadline" <| fun () ->
            let adapter, _, clock = fresh ()
            adapter.Set("k", bytes "v", options (fun o ->
                o.SlidingExpiration <- Nullable(seconds 10.0)
                o.AbsoluteExpirationRelativeToNow <- Nullable(seconds 15.0)))
            clock.Advance(seconds 8.0)
            Expect.equal (adapter.Get "k" |> text) "v" "8 s"
            clock.Advance(seconds 6.0)
            Expect.equal (adapter.Get "k" |> text) "v" "14 s"
            clock.Advance(seconds 1.0)
            Expect.isNull (adapter.Get "k") "15 s: the absolute deadline wins"

        testCase "without options the cache's default timeout applies" <| fun () ->
            let adapter, _, clock = fresh ()
            adapter.Set("k", bytes "v", options ignore)
            clock.Advance(seconds 299.0)
            Expect.equal (adapter.Get "k" |> text) "v" "before 300 s"
            clock.Advance(seconds 1.0)
            Expect.isNull (adapter.Get "k") "gone at the policy's 300 s"

        testCase "bytes another writer stored under the key read as a miss" <| fun () ->
            let adapter, cache, _ = fresh ()
            cache.SetAsync("k", [| 1uy; 2uy |]) |> runUnit
            Expect.isNull (adapter.Get "k") "foreign bytes"

        testCase "an absolute expiration that is not in the future is refused with the rule" <| fun () ->
            let adapter, _, _ = fresh ()
            let refused (configure: DistributedCacheEntryOptions -> unit) =
                (Backends.BaseCacheTests.throws<ArgumentException> (fun () -> adapter.Set("k", bytes "v", options configure))).Message
            Expect.equal (refused (fun o -> o.AbsoluteExpiration <- Nullable(defaultStart - seconds 1.0)))
                "AbsoluteExpiration must be in the future. (Parameter 'options')" "past date"
            Expect.equal (refused (fun o -> o.AbsoluteExpiration <- Nullable(defaultStart)))
                "AbsoluteExpiration must be in the future. (Parameter 'options')" "now is not in the future"
    ]

// ---------------------------------------------------------------- session state on Kestrel

let private cookieOf (reply: Reply) =
    reply.Header "set-cookie" |> Option.map (fun c -> c.Split(';').[0]) |> Option.defaultWith (fun () -> failwith "no session cookie")

/// Session state through the adapter over `cache` (built on the server's clock): set, read back with
/// the cookie, stay alive while used (sliding idle timeout), expire after a whole idle timeout.
let private sessionRoundTrip (makeCache: FakeTimeProvider -> ICache) () =
    let clock = FakeTimeProvider(defaultStart)
    let cache = makeCache clock
    use server =
        startWith clock (Some cache)
            (fun s ->
                s.AddSession(fun o -> o.IdleTimeout <- TimeSpan.FromMinutes 20.0) |> ignore
                s.AddFunctionalDistributedCache() |> ignore)
            (fun app ->
                app.UseSession() |> ignore
                app.MapGet("/set", RequestDelegate(fun ctx ->
                    ctx.Session.SetString("name", string ctx.Request.Query.["name"])
                    write ctx "stored")) |> ignore
                app.MapGet("/get", RequestDelegate(fun ctx ->
                    write ctx (match ctx.Session.GetString "name" with null -> "(none)" | v -> v))) |> ignore)
    let set = server.Get "/set?name=ada"
    Expect.equal set.Text "stored" "set"
    let cookie = [ "Cookie", cookieOf set ]
    Expect.equal (server.Get("/get", cookie)).Text "ada" "read back through the backend"
    clock.Advance(TimeSpan.FromMinutes 15.0)
    Expect.equal (server.Get("/get", cookie)).Text "ada" "15 min idle: still there, and the read slides it"
    clock.Advance(TimeSpan.FromMinutes 15.0)
    Expect.equal (server.Get("/get", cookie)).Text "ada" "30 min after the write, 15 after the last read"
    clock.Advance(TimeSpan.FromMinutes 21.0)
    Expect.equal (server.Get("/get", cookie)).Text "(none)" "idle for longer than the idle timeout: gone"

let private sessionTests =
    testSequenced <| testList "session state through the adapter on Kestrel" [
        testCase "on the file backend" <| fun () ->
            let dir = Path.Combine(Path.GetTempPath(), $"fcache-session-{Guid.NewGuid():N}")
            try sessionRoundTrip (fun clock -> Caches.FromUri($"file://{dir}", CacheContext.Default.WithTime(clock))) ()
            finally try Directory.Delete(dir, true) with _ -> ()

        testCase "on the SQLite database backend" <| fun () ->
            let path = Backends.Subjects.tempDatabase ()
            try
                Backends.Subjects.createTable (DatabaseLocation.Sqlite path) "sessions"
                let mutable made : ICache option = None
                try
                    sessionRoundTrip (fun clock ->
                        let c = Caches.FromUri($"db://sessions?database={path}", CacheContext.Default.WithTime(clock))
                        made <- Some c
                        c) ()
                finally
                    match made with
                    | Some (:? IDisposable as d) -> d.Dispose()
                    | _ -> ()
            finally Backends.Subjects.deleteDatabase path
    ]

// ---------------------------------------------------------------- HybridCache L2

let private hybridOver (l2: ICache) : ServiceProvider =
    let services = ServiceCollection()
    services.AddSingleton<IDistributedCache>(FunctionalDistributedCache(l2)) |> ignore
    services.AddHybridCache() |> ignore
    services.BuildServiceProvider()

let private eventually (what: string) (check: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not (check ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
    Expect.isTrue (check ()) what

let private hybridTests =
    testList "HybridCache with the adapter as its L2" [
        testCase "a value created through one HybridCache is served from our backend to another" <| fun () ->
            let l2 = LocMemCache() :> ICache
            let key = $"answer-{Guid.NewGuid():N}"
            use first = hybridOver l2
            let h1 = first.GetRequiredService<HybridCache>()
            let created = h1.GetOrCreateAsync(key, Func<CancellationToken, ValueTask<int>>(fun _ -> ValueTask<int>(42))).AsTask() |> run
            Expect.equal created 42 "created by the factory"
            eventually "the value reached the L2" (fun () -> l2.HasKeyAsync(key) |> run)
            use second = hybridOver l2
            let h2 = second.GetRequiredService<HybridCache>()
            let served = h2.GetOrCreateAsync(key, Func<CancellationToken, ValueTask<int>>(fun _ -> failwith "the factory must not run")).AsTask() |> run
            Expect.equal served 42 "a fresh L1 reads the L2"
            h2.RemoveAsync(key).AsTask() |> runUnit
            Expect.isFalse (l2.HasKeyAsync(key) |> run) "remove reaches the L2"
    ]

[<Tests>]
let tests = testList "Http.DistributedCacheTests" [ lawTests; sessionTests; hybridTests ]
