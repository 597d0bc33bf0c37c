/// Redis under the web layer: ASP.NET Core session state through the IDistributedCache adapter on a real Kestrel server
/// and a real redis-server, and the demo site run as the README says with CACHE_BACKEND=redis://… (MISS then HIT, its
/// entries in Redis; on a dead port every page still served; a bad URI refused without showing its password).
module Http.RedisSiteTests

open System
open System.Threading
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Http.Distributed
open Http.AspNetCore.TestServer
open Http.AspNetCore.SampleSites
open Integration

let private cookieOf (reply: Reply) =
    reply.Header "set-cookie" |> Option.map (fun c -> c.Split(';').[0]) |> Option.defaultWith (fun () -> failwith "no session cookie")

/// Session state over Redis: Redis expires entries on its own clock, so the idle timeout is a real 2 s here (the file
/// and SQLite cases move a fake clock instead).
let private sessionOnRedis () =
    let server = Redis.shared.Force()
    use cache = new Redis.RedisCache(Redis.RedisOptions.Parse server.Location, CachePolicy.Default.WithKeyPrefix(Guid.NewGuid().ToString "N"), CacheContext.Default)
    use site =
        startWith (FakeTimeProvider(DateTimeOffset.UtcNow)) (Some(cache :> ICache))
            (fun s ->
                s.AddSession(fun o -> o.IdleTimeout <- TimeSpan.FromSeconds 2.0) |> ignore
                s.AddFunctionalDistributedCache() |> ignore)
            (fun app ->
                app.UseSession() |> ignore
                app.MapGet("/set", RequestDelegate(fun ctx ->
                    ctx.Session.SetString("name", string ctx.Request.Query.["name"])
                    write ctx "stored")) |> ignore
                app.MapGet("/get", RequestDelegate(fun ctx ->
                    write ctx (match ctx.Session.GetString "name" with null -> "(none)" | v -> v))) |> ignore)
    let set = site.Get "/set?name=ada"
    Expect.equal set.Text "stored" "set"
    let cookie = [ "Cookie", cookieOf set ]
    Expect.equal (site.Get("/get", cookie)).Text "ada" "read back through Redis"
    Expect.equal (cache.CountKeysAsync() |> run) 1L "one session entry in Redis"
    Thread.Sleep 1200
    Expect.equal (site.Get("/get", cookie)).Text "ada" "1.2 s idle: still there, and the read slides it"
    Thread.Sleep 1200
    Expect.equal (site.Get("/get", cookie)).Text "ada" "2.4 s after the write, 1.2 s after the last read"
    Thread.Sleep 3000
    Expect.equal (site.Get("/get", cookie)).Text "(none)" "idle for longer than the idle timeout: gone (Redis expired it)"

[<Tests>]
let tests =
    testSequenced <| testList "Http.RedisSiteTests" [
        testCase "session state through the IDistributedCache adapter on Redis, on Kestrel" sessionOnRedis

        testCase "the demo on CACHE_BACKEND=redis://…: MISS then HIT, its pages stored in Redis, its log without the password" <| fun () ->
            let secret = "pw-" + Guid.NewGuid().ToString("N")
            let server = Redis.startWith (freePort ()) [ "--requirepass"; secret ]
            let url = sprintf "http://127.0.0.1:%d" (freePort ())
            let demo = startCapturing [ "CACHE_BACKEND", $"redis://:{secret}@{server.Location}/4" ] (sampleDll "Cache.Demo") url "/stats"
            try
                let first = curl (url + "/foo/5/")
                let second = curl (url + "/foo/5/")
                Expect.equal (xcache first, xcache second) ("MISS", "HIT") $"MISS then HIT\n{demo.Log}"
                Expect.isGreaterThan (int (Redis.cli server [ "-a"; secret; "--no-auth-warning"; "-n"; "4"; "DBSIZE" ])) 0 "the page cache's entries are in database 4"
                Expect.stringContains demo.Log $"Cache backend: redis://:***@{server.Location}/4" "the backend logged, redacted"
                Expect.isFalse (demo.Log.Contains secret) $"no password in the log:\n{demo.Log}"
                Expect.isFalse (demo.Log.Contains "Exception") $"no exception logged:\n{demo.Log}"
            finally
                stop demo.Process
                Redis.stop server

        testCase "a configured cache takes its Redis password from the environment (options.password), and AddFunctionalCache's error hides it" <| fun () ->
            let secret = "pw-" + Guid.NewGuid().ToString("N")
            let server = Redis.startWith (freePort ()) [ "--requirepass"; secret ]
            let prefix = $"FCTEST_{Guid.NewGuid():N}_"
            let vars = [ prefix + "Caches__default__backend", "redis"
                         prefix + "Caches__default__location", $"{server.Location}/0"
                         prefix + "Caches__default__options__password", secret ]
            try
                for (k, v) in vars do Environment.SetEnvironmentVariable(k, v)
                let config = ConfigurationBuilder().AddEnvironmentVariables(prefix).Build()
                let services = ServiceCollection()
                services.AddLogging().AddFunctionalCache(config.GetSection "Caches") |> ignore
                use provider = services.BuildServiceProvider()
                let cache = provider.GetRequiredService<ICacheProvider>().Default
                Expect.equal (cache |> Cache.Checked.set "k" "v" |> run) (Ok()) "authenticated write"
                Expect.equal (Redis.cli server [ "-a"; secret; "--no-auth-warning"; "GET"; ":1:k" ]) "v" "on the server"
                let e = Expect.throwsC (fun () -> ServiceCollection().AddFunctionalCache($"redis://ada:{secret}@127.0.0.1%%zz:6379/") |> ignore) id
                Expect.stringContains e.Message "redis://ada:***@" "the URI, redacted"
                Expect.isFalse (e.Message.Contains secret) $"no password: {e.Message}"
            finally
                for (k, _) in vars do Environment.SetEnvironmentVariable(k, null)
                Redis.stop server

        testCase "the demo on a dead redis port serves every page (each a miss) and never an error page" <| fun () ->
            let url = sprintf "http://127.0.0.1:%d" (freePort ())
            let demo = startCapturing [ "CACHE_BACKEND", $"redis://127.0.0.1:{freePort ()}/?connect_timeout=0.5" ] (sampleDll "Cache.Demo") url "/stats"
            try
                for _ in 1..2 do
                    let page = curl (url + "/foo/5/")
                    Expect.equal (status page) 200 $"served\n{page}"
                    Expect.equal (xcache page) "MISS" "a miss"
                Expect.isGreaterThan (statsNumber "" "total backend failures" (curl (url + "/stats"))) 0L "failures counted on /stats"
            finally stop demo.Process

        testCase "the demo refuses a redis URI with a bad database in one line that does not show the password" <| fun () ->
            let secret = "pw-" + Guid.NewGuid().ToString("N")
            let info = Diagnostics.ProcessStartInfo("dotnet", sprintf "\"%s\" --urls http://127.0.0.1:%d" (sampleDll "Cache.Demo") (freePort ()),
                                                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
            info.Environment["CACHE_BACKEND"] <- $"redis://ada:{secret}@127.0.0.1:6379/x"
            use demo = Diagnostics.Process.Start info
            let stdout = demo.StandardOutput.ReadToEndAsync()
            let stderr = demo.StandardError.ReadToEndAsync()
            if not (demo.WaitForExit 60_000) then
                demo.Kill true
                failtest "the demo kept running on a bad URI"
            Expect.equal demo.ExitCode 2 "exit 2"
            Expect.stringContains stderr.Result "redis://ada:***@127.0.0.1:6379/x" "the URI, redacted"
            Expect.stringContains stderr.Result "database 'x'" "the problem"
            Expect.isFalse ((stdout.Result + stderr.Result).Contains secret) "no password"
    ]
