/// The Redis backend against real redis-server processes: the laws of FunctionalCache.Laws (Django's contract and the
/// model machine) on a `Subject` for Redis, the URI and its secrets, Redis-native atomics (SET NX, INCRBY keeping the
/// TTL, PERSIST), a clear scoped to the key prefix (and `flush_db=true` for Django's FLUSHDB), and a dead server: a
/// refused port, a killed process restarted on its port, a frozen one.
module Backends.RedisTests

open System
open System.Text
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Redis
open FunctionalCache.FSharp
open FunctionalCache.Laws
open Integration

/// The database the laws own on the shared server: they flush it, so the other tests keep to database 0.
let private lawsDatabase = 1

let private flushDb (server: Redis.Server) (db: int) = Redis.cli server [ "-n"; string db; "FLUSHDB" ] |> ignore

/// Redis as a subject of the laws: the shared server's database 1, flushed for every store; the server keeps its own
/// clock and evicts by itself.
let redis =
    Subject.ofStore "redis" (fun () ->
        let server = Redis.shared.Force()
        flushDb server lawsDatabase
        let made = ResizeArray<RedisCache>()
        { Make =
            fun context policy ->
                let c = new RedisCache((RedisOptions.Parse server.Location).WithDatabase lawsDatabase, policy, context)
                lock made (fun () -> made.Add c)
                c :> ICache
          Close = fun () -> (for c in made do c.Dispose()); flushDb server lawsDatabase })
    |> Subject.mapCapabilities (fun c -> { c with Clock = OwnClock; Culls = false; Exclusive = true })

let private laws = FunctionalCache.Laws.Expecto.LawTests.forSubject redis

// ---------------------------------------------------------------- helpers

let private logged () =
    let log = RecordingLogger()
    log, CacheContext.Default.WithLogger(log)

/// A cache on the shared server's database 0 under a key prefix of its own (the other tests' keys stay apart).
let private freshWith (change: RedisOptions -> RedisOptions) (context: CacheContext) =
    let server = Redis.shared.Force()
    let prefix = Guid.NewGuid().ToString("N")
    new RedisCache(change (RedisOptions.Parse server.Location), CachePolicy.Default.WithKeyPrefix prefix, context)

let private fresh () = freshWith id CacheContext.Default

/// redis-cli against the shared server's database 0.
let private cli (args: string list) = Redis.cli (Redis.shared.Force()) args

let private sleep (seconds: float) = Thread.Sleep(TimeSpan.FromSeconds seconds)

let private waitUntil (seconds: float) (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds seconds
    while not (condition ()) && DateTime.UtcNow < deadline do Thread.Sleep 50
    if not (condition ()) then failtestf "%s did not happen within %.0f s" what seconds

let private throws<'E when 'E :> exn> (f: unit -> unit) : 'E =
    let caught =
        try
            f ()
            None
        with
        | :? 'E as e -> Some e
        | :? AggregateException as e when (e.InnerException :? 'E) -> Some(e.InnerException :?> 'E)
    match caught with
    | Some e -> e
    | None -> failtestf "expected %s" typeof<'E>.Name

let private options (text: string) = (Caches.FromUri(text, CacheContext.Default.WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)) :?> RedisCache)

let private problemsOf (uri: string) =
    match Cache.tryFromUri true CacheContext.Default uri with
    | Ok c -> (match c with :? IDisposable as d -> d.Dispose() | _ -> ()); []
    | Error problems -> problems

// ---------------------------------------------------------------- the URI

let private uriTests =
    testList "the URI" [
        testCase "redis://host:port/db, several servers, rediss:// and the arguments" <| fun () ->
            use one = options "redis://127.0.0.1:6390/3?connect_timeout=2.5&sync_timeout=0.5&throw_on_failure=true&flush_db=true"
            let o = one.Options
            Expect.equal (o.Endpoints |> Seq.map string |> List.ofSeq) [ "127.0.0.1:6390" ] "the server"
            Expect.equal (o.Database, o.ConnectTimeout, o.SyncTimeout, o.ThrowOnFailure, o.FlushDatabaseOnClear, o.UseTls)
                (3, TimeSpan.FromSeconds 2.5, TimeSpan.FromSeconds 0.5, true, true, false) "every argument"
            use two = options "redis://h1:6379;h2:6380/?db=2"
            Expect.equal (two.Options.Endpoints |> Seq.map string |> List.ofSeq) [ "h1:6379"; "h2:6380" ] "a primary and a replica, in order"
            Expect.isTrue two.Options.ReadsFromReplicas "reads go to the replica"
            Expect.equal two.Options.Database 2 "db argument"
            use cluster = options "redis://n1:7000,n2:7001/?cluster=true"
            Expect.isTrue (cluster.Options.Cluster && not cluster.Options.ReadsFromReplicas) "cluster seeds are not replicas"
            use tls = options "rediss://cache.example.com:6380/0"
            Expect.isTrue tls.Options.UseTls "rediss is TLS"
            use plain = options "redis://localhost"
            Expect.equal (string plain.Options.Endpoints.Head, plain.Options.Database) ("localhost:6379", 0) "defaults: port 6379, db 0"

        testCase "credentials from the URI, from arguments (configuration) and from an environment variable" <| fun () ->
            use inUri = options "redis://ada:s3cr%40t@127.0.0.1:6379/0"
            Expect.equal (inUri.Options.User |> Option.ofLanguageExt, inUri.Options.HasPassword) (Some "ada", true) "user and password in the URI (percent-decoded)"
            use passwordOnly = options "redis://:s3cret@127.0.0.1/"
            Expect.equal (passwordOnly.Options.User |> Option.ofLanguageExt, passwordOnly.Options.HasPassword) (None, true) "the default user"
            use fromArgs = options "redis://127.0.0.1/?user=ada&password=s3cret"
            Expect.equal (fromArgs.Options.User |> Option.ofLanguageExt, fromArgs.Options.HasPassword) (Some "ada", true) "user and password arguments"
            let variable = $"FCACHE_TEST_REDIS_PASSWORD_{Guid.NewGuid():N}"
            Environment.SetEnvironmentVariable(variable, "from-env")
            try
                use fromEnv = options $"redis://127.0.0.1/?password_env={variable}"
                Expect.isTrue fromEnv.Options.HasPassword "the password from the environment"
            finally Environment.SetEnvironmentVariable(variable, null)

        testCase "bad parts are named, one line each; a wrong database or credential is an error even in lenient mode" <| fun () ->
            let expectProblem (uri: string) (fragment: string) =
                let problems = problemsOf uri
                Expect.exists problems (fun p -> p.Contains fragment) $"{uri}: a problem containing '{fragment}' in {problems}"
            expectProblem "redis:///" "needs at least one server"
            expectProblem "redis://h:99999/" "port '99999'"
            expectProblem "redis://h:6379/x" "database 'x'"
            expectProblem "redis://h1/1;h2/2" "different databases"
            expectProblem "redis://h/1?db=2" "another database"
            expectProblem "redis://h/?db=1&cluster=true" "only database 0"
            expectProblem "redis://h/?connect_timeout=0" "connect_timeout"
            expectProblem "redis://h/?throw_on_failure=yes" "'throw_on_failure' must be 'true' or 'false'"
            expectProblem "redis://h/?user=ada" "needs a password"
            expectProblem "redis://h/?password_env=FCACHE_SURELY_UNSET_VARIABLE" "FCACHE_SURELY_UNSET_VARIABLE', which is not set"
            // Lenient: a bad timeout is a warning and the default applies; a bad database is still an error.
            let log, context = logged ()
            use lenient = Caches.FromUri("redis://127.0.0.1/?sync_timeout=abc", context) :?> RedisCache
            Expect.equal lenient.Options.SyncTimeout (TimeSpan.FromSeconds 1.0) "the default"
            Expect.exists log.Messages (fun m -> m.Contains "sync_timeout") "the warning"
            Expect.throws (fun () -> Caches.FromUri("redis://127.0.0.1/x", context) |> ignore) "a bad database"

        testCase "a password never appears in the options' text, a URI error, a log line or a connection failure" <| fun () ->
            let secret = "pa55-" + Guid.NewGuid().ToString("N")
            use c = options $"redis://ada:{secret}@127.0.0.1:6379/0"
            Expect.isFalse ((string c.Options).Contains secret) $"ToString: {c.Options}"
            Expect.stringContains (string c.Options) "Password = (set)" "says a password is set"
            let invalid = $"redis://ada:{secret}@127.0.0.1:6379/0?timeout=abc&db=x"
            let e = throws<FormatException> (fun () -> Caches.FromUri(invalid, CacheContext.Default, true) |> ignore)
            Expect.isFalse (e.Message.Contains secret) $"strict URI error: {e.Message}"
            let e2 = throws<FormatException> (fun () -> Caches.FromUri($"redis://ada:{secret}@h:nope/", CacheContext.Default) |> ignore)
            Expect.isFalse (e2.Message.Contains secret) $"bad location error: {e2.Message}"
            Expect.stringContains e2.Message "port 'nope'" "still names the bad part"
            Expect.isFalse ((problemsOf $"redis://ada:{secret}@h/?db=1&cluster=true") |> List.exists (fun p -> p.Contains secret)) "problems as values"
            // A server that wants a password, given the wrong one; and a refused port: the failures name neither password.
            let server = Redis.startWith (freePort ()) [ "--requirepass"; "right-" + secret ]
            try
                for uri in [ $"redis://:{secret}@{server.Location}/?sync_timeout=0.5"; $"redis://ada:{secret}@127.0.0.1:{freePort ()}/" ] do
                    let log, context = logged ()
                    use cache = Caches.FromUri(uri, context) :?> RedisCache
                    match cache |> Cache.Checked.get<string> "k" |> run with
                    | Error(BackendFailure(_, cause)) ->
                        Expect.isFalse (cause.ToString().Contains secret) $"the failure and its causes: {cause}"
                    | other -> failtestf "expected a BackendFailure, got %A" other
                    cache |> Cache.set "k" "v" |> run
                    Expect.isNonEmpty log.Messages "the lenient set logged its failure"
                    for m in log.Messages do Expect.isFalse (m.Contains secret) $"log line: {m}"
                use right = Caches.FromUri($"redis://:right-{secret}@{server.Location}/", CacheContext.Default) :?> RedisCache
                right |> Cache.set "k" "v" |> run
                Expect.equal (right |> Cache.tryGet<string> "k" |> run) (Some "v") "the right password works"
            finally Redis.stop server
    ]

// ---------------------------------------------------------------- Redis-native operations

let private nativeTests =
    testList "Redis-native operations" [
        testCase "values are the serializer's bytes: an integer is its ASCII digits, a string its UTF-8, JSON for the rest" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            c |> Cache.set "n" 42 |> run
            c |> Cache.set "s" "héllo" |> run
            c |> Cache.set "r" {| A = 1 |} |> run
            Expect.equal (cli [ "GET"; $"{p}:1:n" ]) "42" "integer"
            Expect.equal (cli [ "GET"; $"{p}:1:s" ]) "héllo" "string"
            Expect.equal (cli [ "GET"; $"{p}:1:r" ]) """{"A":1}""" "JSON"
            cli [ "SET"; $"{p}:1:foreign"; "written by redis-cli" ] |> ignore
            Expect.equal (c |> Cache.tryGet<string> "foreign" |> run) (Some "written by redis-cli") "another client's value reads as its bytes"

        testCase "keys on the wire are the made keys' UTF-8: a non-ASCII prefix and key, the policy's version and another, a key function of one's own" <| fun () ->
            let location = (Redis.shared.Force()).Location
            let prefix = "café-" + Guid.NewGuid().ToString("N")
            use c = new RedisCache(RedisOptions.Parse location, CachePolicy.Default.WithKeyPrefix(prefix).WithVersion(3), CacheContext.Default)
            let cache = c :> ICache
            cache.SetAsync("clé", "at 3").Wait()
            cache.SetAsync("clé", "at 5", version = Nullable 5).Wait()
            Expect.equal (cli [ "GET"; $"{prefix}:3:clé" ]) "at 3" "the policy's version"
            Expect.equal (cli [ "GET"; $"{prefix}:5:clé" ]) "at 5" "another version"
            Expect.equal (c |> Cache.tryGet<string> "clé" |> run) (Some "at 3") "read back at the policy's version"
            let many = c |> Cache.getMany<string> [ "clé"; "missing" ] |> run
            Expect.equal (many |> Map.toList) [ "clé", "at 3" ] "get_many under the same keys"
            Expect.isTrue (c |> Cache.delete "clé" |> run) "delete finds the key"
            Expect.equal (cli [ "EXISTS"; $"{prefix}:3:clé" ]) "0" "and removes it"
            let custom = Func<string, string, int, string>(fun key keyPrefix version -> $"custom/{keyPrefix}/{version}/{key}")
            use own = new RedisCache(RedisOptions.Parse location, CachePolicy.Default.WithKeyPrefix(prefix).WithKeyFunction(custom), CacheContext.Default)
            own |> Cache.set "clé" "custom" |> run
            Expect.equal (cli [ "GET"; $"custom/{prefix}/1/clé" ]) "custom" "the key function's key"
            Expect.equal (own |> Cache.tryGet<string> "clé" |> run) (Some "custom") "read back through the key function"
            cli [ "DEL"; $"custom/{prefix}/1/clé"; $"{prefix}:5:clé" ] |> ignore

        testCase "a stored null is a hit distinct from a miss, and bytes beginning with 0x00 round-trip" <| fun () ->
            use c = fresh ()
            c |> Cache.set<string option> "none" None |> run
            Expect.equal (c |> Cache.tryGet<string option> "none" |> run) (Some None) "a stored None is Some None"
            Expect.equal (c |> Cache.tryGet<string option> "missing" |> run) None "a miss is None"
            Expect.isTrue (c |> Cache.hasKey "none" |> run) "has_key"
            for value in [ [||]; [| 0uy |]; [| 0uy; 0uy |]; [| 0uy; 65uy |]; [| 255uy; 0uy |] ] do
                c |> Cache.set "bytes" value |> run
                Expect.equal (c |> Cache.tryGet<byte[]> "bytes" |> run) (Some value) $"%A{value}"
            let many = c |> Cache.getMany<string option> [ "none"; "missing" ] |> run
            Expect.equal (many |> Map.toList) [ "none", None ] "get_many keeps the stored null, leaves out the miss"

        testCase "20 concurrent add of one key: exactly one wins, and its value is the one stored" <| fun () ->
            use c = fresh ()
            use start = new ManualResetEventSlim(false)
            let won = Array.zeroCreate 20
            // Threads of their own: 20 pool threads blocked on results would starve the client's completions (which run
            // on the pool) past the command timeout.
            let adders =
                [ for i in 1..20 -> Thread(fun () -> start.Wait(); won[i - 1] <- c |> Cache.add "contested" i |> run) ]
            for t in adders do t.Start()
            start.Set()
            for t in adders do t.Join()
            let won = List.ofArray won
            Expect.equal (won |> List.filter id |> List.length) 1 "one add wins"
            let winner = (won |> List.findIndex id) + 1
            Expect.equal (c |> Cache.tryGet<int> "contested" |> run) (Some winner) "the winner's value"

        testCase "incr is INCRBY: atomic under 16 concurrent callers, and keeps the TTL" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            c |> Cache.setFor (Expire.seconds 100.0) "n" 0 |> run
            let threads = [ for _ in 1..16 -> Thread(fun () -> for _ in 1..50 do c |> Cache.incr "n" |> run |> ignore) ]
            for t in threads do t.Start()
            for t in threads do t.Join()
            Expect.equal (c |> Cache.tryGet<int> "n" |> run) (Some 800) "every increment counted"
            let ttl = int64 (cli [ "PTTL"; $"{p}:1:n" ])
            Expect.isTrue (ttl > 90_000L && ttl <= 100_000L) $"the TTL is kept ({ttl} ms)"
            Expect.equal (c |> Cache.decrBy 1000L "n" |> run) (Ok -200L) "signed: below zero"
            Expect.equal (cli [ "GET"; $"{p}:1:n" ]) "-200" "ASCII"

        testCase "incr errors: a missing key, a non-integer, a stored null, another type, and overflow leaving the value" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            let errorOf r = match r with Error e -> e | Ok v -> failtestf "expected an error, got Ok %A" v
            Expect.isTrue (match c |> Cache.incr "missing" |> run |> errorOf with KeyNotFound "missing" -> true | _ -> false) "missing"
            Expect.isFalse (c |> Cache.hasKey "missing" |> run) "incr does not create the key"
            c |> Cache.set "text" "abc" |> run
            Expect.isTrue (match c |> Cache.incr "text" |> run |> errorOf with NotAnInteger "text" -> true | _ -> false) "text"
            c |> Cache.set<string option> "null" None |> run
            Expect.isTrue (match c |> Cache.incr "null" |> run |> errorOf with NotAnInteger _ -> true | _ -> false) "a stored null"
            cli [ "RPUSH"; $"{p}:1:list"; "x" ] |> ignore
            Expect.isTrue (match c |> Cache.incr "list" |> run |> errorOf with NotAnInteger _ -> true | _ -> false) "a list"
            c |> Cache.set "max" Int64.MaxValue |> run
            Expect.isTrue (match c |> Cache.incr "max" |> run |> errorOf with Overflow "max" -> true | _ -> false) "overflow"
            Expect.equal (c |> Cache.tryGet<int64> "max" |> run) (Some Int64.MaxValue) "the value is as it was"
            cli [ "SET"; $"{p}:1:huge"; "99999999999999999999" ] |> ignore
            Expect.isTrue (match c |> Cache.incr "huge" |> run |> errorOf with Overflow _ -> true | _ -> false) "an integer past 2^63 is Overflow, as on every backend"

        testCase "a decimal with leading zeros, which Redis refuses, counts as on the other backends and keeps its TTL" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            cli [ "SET"; $"{p}:1:z"; "007"; "PX"; "100000" ] |> ignore
            Expect.equal (c |> Cache.incr "z" |> run) (Ok 8L) "007 + 1"
            Expect.equal (cli [ "GET"; $"{p}:1:z" ]) "8" "stored canonically"
            Expect.isTrue (int64 (cli [ "PTTL"; $"{p}:1:z" ]) > 90_000L) "TTL kept"

        testCase "touch is PEXPIRE, and PERSIST for Never, true for a live key even one without expiry" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            c |> Cache.setFor Expire.never "k" "v" |> run
            Expect.equal (cli [ "PTTL"; $"{p}:1:k" ]) "-1" "Never is no expiry"
            Expect.isTrue (c |> Cache.touch Expire.never "k" |> run) "touch Never on a key without expiry is true"
            Expect.isTrue (c |> Cache.touch (Expire.seconds 50.0) "k" |> run) "touch with a timeout"
            let ttl = int64 (cli [ "PTTL"; $"{p}:1:k" ])
            Expect.isTrue (ttl > 45_000L && ttl <= 50_000L) $"PEXPIRE ({ttl} ms)"
            Expect.isTrue (c |> Cache.touch Expire.never "k" |> run) "touch Never"
            Expect.equal (cli [ "PTTL"; $"{p}:1:k" ]) "-1" "PERSIST"
            Expect.isFalse (c |> Cache.touch Expire.never "missing" |> run) "a missing key"
            Expect.isFalse (c |> Cache.touch (Expire.seconds 5.0) "missing" |> run) "a missing key, with a timeout"

        testCase "a 1.5 s timeout is kept to the millisecond and expires on the server's clock" <| fun () ->
            use c = fresh ()
            let p = c.Policy.KeyPrefix
            c |> Cache.setFor (Expire.seconds 1.5) "k" "v" |> run
            let ttl = int64 (cli [ "PTTL"; $"{p}:1:k" ])
            Expect.isTrue (ttl > 1_000L && ttl <= 1_500L) $"PX 1500 ({ttl} ms)"
            waitUntil 5.0 "expiry" (fun () -> c |> Cache.tryGet<string> "k" |> run |> Option.isNone)

        testCase "get_many, set_many and delete_many over 1,000 keys" <| fun () ->
            use c = fresh ()
            let items = [ for i in 1..1000 -> $"k{i}", i ]
            Expect.isEmpty (c |> Cache.setMany items |> run) "nothing refused"
            let got = c |> Cache.getMany<int> ([ for i in 0..1001 -> $"k{i}" ]) |> run
            Expect.equal got (Map.ofList items) "every hit and no miss"
            c |> Cache.deleteMany [ for i in 1..500 -> $"k{i}" ] |> run
            Expect.equal (c |> Cache.getMany<int> ([ for i in 1..1000 -> $"k{i}" ]) |> run).Count 500 "half deleted"

        testCase "one cache, one multiplexer: it connects at construction and dispose closes it, then refuses work" <| fun () ->
            let c = fresh ()
            c |> Cache.set "k" "v" |> run
            Expect.isTrue c.IsConnected "connected"
            c.Dispose()
            throws<ObjectDisposedException> (fun () -> c |> Cache.tryGet<string> "k" |> run |> ignore) |> ignore
    ]

// ---------------------------------------------------------------- clear

let private clearTests =
    testList "clear" [
        testCase "clear removes only this cache's prefix: other prefixes and other applications' keys stay" <| fun () ->
            use mine = fresh ()
            use theirs = fresh ()
            let foreign = $"app:{Guid.NewGuid():N}"
            for i in 1..1200 do mine |> Cache.set $"k{i}" i |> run
            theirs |> Cache.set "k1" "theirs" |> run
            cli [ "SET"; foreign; "another application" ] |> ignore
            // A prefix that begins like mine but is not mine followed by ':'.
            use longer = new RedisCache(mine.Options, CachePolicy.Default.WithKeyPrefix(mine.Policy.KeyPrefix + "x"), CacheContext.Default)
            longer |> Cache.set "k1" "longer" |> run
            Expect.equal (mine.CountKeysAsync() |> run) 1200L "1,200 keys under the prefix"
            mine |> Cache.clear |> run
            Expect.equal (mine.CountKeysAsync() |> run) 0L "gone, over several SCAN/UNLINK batches"
            Expect.equal (theirs |> Cache.tryGet<string> "k1" |> run) (Some "theirs") "another prefix's key"
            Expect.equal (longer |> Cache.tryGet<string> "k1" |> run) (Some "longer") "a longer prefix's key"
            Expect.equal (cli [ "GET"; foreign ]) "another application" "a key of another application"
            cli [ "DEL"; foreign ] |> ignore

        testCase "a prefix with glob characters matches only itself" <| fun () ->
            use star = new RedisCache(RedisOptions.Parse (Redis.shared.Force()).Location, CachePolicy.Default.WithKeyPrefix "a*", CacheContext.Default)
            use other = new RedisCache(star.Options, CachePolicy.Default.WithKeyPrefix "abc", CacheContext.Default)
            other |> Cache.set "k" "other" |> run
            star |> Cache.set "k" "star" |> run
            star |> Cache.clear |> run
            Expect.equal (star |> Cache.tryGet<string> "k" |> run) None "cleared"
            Expect.equal (other |> Cache.tryGet<string> "k" |> run) (Some "other") "'a*' did not match 'abc'"
            other |> Cache.clear |> run

        testCase "flush_db=true is Django's FLUSHDB: the whole database, every prefix, other databases untouched" <| fun () ->
            let server = Redis.shared.Force()
            Redis.cli server [ "-n"; "3"; "SET"; "app:key"; "x" ] |> ignore
            cli [ "SET"; "db0:survivor"; "x" ] |> ignore
            use c = Caches.FromUri($"redis://{server.Location}/3?flush_db=true", CacheContext.Default) :?> RedisCache
            c |> Cache.set "k" "v" |> run
            c |> Cache.clear |> run
            Expect.equal (Redis.cli server [ "-n"; "3"; "DBSIZE" ]) "0" "database 3 is empty"
            Expect.equal (cli [ "GET"; "db0:survivor" ]) "x" "database 0 untouched"
            cli [ "DEL"; "db0:survivor" ] |> ignore

        testCase "stats: the server's version, memory and keys in the database and under the prefix" <| fun () ->
            use c = fresh ()
            for i in 1..7 do c |> Cache.set $"k{i}" i |> run
            let stats = c.StatsAsync() |> run
            Expect.equal stats.PrefixKeys 7L "keys under the prefix"
            Expect.isGreaterThanOrEqual stats.DatabaseKeys 7L "DBSIZE"
            Expect.stringStarts stats.ServerVersion "7." "INFO's version"
            Expect.isGreaterThan stats.UsedMemoryBytes 0L "INFO memory"
            Expect.isFalse stats.IsCluster "one server"
            c |> Cache.clear |> run
    ]

// ---------------------------------------------------------------- a dead server

/// Every operation on `c`, none of which may throw on a lenient cache.
let private everyOperation (c: ICache) =
    c |> Cache.tryGet<string> "k" |> run |> ignore
    c |> Cache.set "k" "v" |> run
    c |> Cache.add "k" "v" |> run |> ignore
    c |> Cache.delete "k" |> run |> ignore
    c |> Cache.hasKey "k" |> run |> ignore
    c |> Cache.touch Expire.byDefault "k" |> run |> ignore
    c |> Cache.incr "k" |> run |> ignore
    c |> Cache.getMany<int> [ "a"; "b" ] |> run |> ignore
    c |> Cache.setMany [ "a", 1 ] |> run |> ignore
    c |> Cache.deleteMany [ "a" ] |> run
    c |> Cache.getOrSet "g" (fun () -> Task.FromResult 1) |> run |> ignore
    c |> Cache.clear |> run

let private faultTests =
    testList "a dead server" [
        testCase "a refused port: reads miss, writes report failure, nothing throws, and each failure is logged" <| fun () ->
            let log, context = logged ()
            let port = freePort ()
            use cache = Caches.FromUri($"redis://127.0.0.1:{port}/?connect_timeout=0.5", context) :?> RedisCache
            let c = cache :> ICache
            Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "get misses"
            c |> Cache.set "k" "v" |> run
            Expect.isFalse (c |> Cache.add "k" "v" |> run) "add reports failure"
            Expect.isFalse (c |> Cache.delete "k" |> run) "delete"
            Expect.isFalse (c |> Cache.touch Expire.byDefault "k" |> run) "touch"
            match c |> Cache.incr "k" |> run with
            | Error(BackendFailure(key, cause)) ->
                Expect.equal key "k" "incr names the key"
                Expect.stringContains cause.Message $"redis server 127.0.0.1:{port} failed" "and the server"
            | other -> failtestf "incr on a refused port: expected a BackendFailure, got %A" other
            Expect.equal (c |> Cache.setMany [ "a", 1; "b", 2 ] |> run |> List.ofSeq) [ "a"; "b" ] "set_many lists every key"
            everyOperation c
            Expect.exists log.Messages (fun m -> m.Contains $"redis server 127.0.0.1:{port} failed") "logged, naming the server"

        testCase "a get and a set on a refused port are each one miss or dropped write, logged and raised once" <| fun () ->
            // Get and set skip the shared lenient wrapper (RedisCache.HotPath.cs): they must answer failures as it does.
            let log, context = logged ()
            use cache = Caches.FromUri($"redis://127.0.0.1:{freePort ()}/?connect_timeout=0.5", context) :?> RedisCache
            let answered = ResizeArray<CacheBackendException>()
            cache.add_FailureAnswered(Action<CacheBackendException> answered.Add)
            let c = cache :> ICache
            Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "get misses"
            Expect.equal answered.Count 1 "the get's failure raised once"
            c |> Cache.set "k" "v" |> run
            Expect.equal answered.Count 2 "the set's failure raised once"
            Expect.equal (log.Messages |> Seq.filter (fun m -> m.Contains "answered as a miss") |> Seq.length) 2 "each logged once"

        testCase "the checked operations report each failure as a BackendFailure value" <| fun () ->
            use cache = Caches.FromUri($"redis://127.0.0.1:{freePort ()}/?connect_timeout=0.5", CacheContext.Default) :?> RedisCache
            let c = cache :> ICache
            let failed name (result: Result<'T, CacheError>) =
                match result with
                | Error(BackendFailure _) -> ()
                | other -> failtestf "%s: expected a BackendFailure, got %A" name other
            c |> Cache.Checked.get<string> "k" |> run |> failed "get"
            c |> Cache.Checked.set "k" "v" |> run |> failed "set"
            c |> Cache.Checked.add "k" "v" |> run |> failed "add"
            c |> Cache.Checked.delete "k" |> run |> failed "delete"
            c |> Cache.Checked.touch Expire.byDefault "k" |> run |> failed "touch"
            c |> Cache.Checked.clear |> run |> failed "clear"

        testCase "with throw_on_failure=true every operation throws CacheBackendException naming the server" <| fun () ->
            let port = freePort ()
            use cache = Caches.FromUri($"redis://127.0.0.1:{port}/?connect_timeout=0.5&throw_on_failure=true", CacheContext.Default) :?> RedisCache
            let c = cache :> ICache
            let ops : (string * (unit -> unit)) list =
                [ "get", (fun () -> c |> Cache.tryGet<string> "k" |> run |> ignore); "set", (fun () -> c |> Cache.set "k" "v" |> run)
                  "add", (fun () -> c |> Cache.add "k" "v" |> run |> ignore); "delete", (fun () -> c |> Cache.delete "k" |> run |> ignore)
                  "has_key", (fun () -> c |> Cache.hasKey "k" |> run |> ignore); "incr", (fun () -> c |> Cache.incr "k" |> run |> ignore)
                  "get_many", (fun () -> c |> Cache.getMany<int> [ "a" ] |> run |> ignore)
                  "set_many", (fun () -> c |> Cache.setMany [ "a", 1 ] |> run |> ignore); "clear", (fun () -> c |> Cache.clear |> run) ]
            for name, op in ops do
                let e = throws<CacheBackendException> op
                Expect.stringContains e.Message $"redis server 127.0.0.1:{port} failed" name

        testCase "a killed server: operations answer misses and failures without throwing; restarted on its port, the cache serves again by itself" <| fun () ->
            let server = Redis.start ()
            let mutable current = server
            try
                let log, context = logged ()
                use c = Caches.FromUri($"{server.Uri}?connect_timeout=0.5&sync_timeout=0.5", context) :?> RedisCache
                c |> Cache.set "k" "before" |> run
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "before") "served"
                Redis.stop server
                waitUntil 10.0 "the failure to show" (fun () -> c |> Cache.Checked.get<string> "k" |> run |> Result.isError)
                everyOperation c
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "a miss while dead"
                Expect.isNonEmpty log.Messages "failures logged"
                current <- Redis.startWith server.Port []
                waitUntil 30.0 "the cache to serve again" (fun () -> c |> Cache.Checked.set "k" "after" |> run = Ok())
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "after") "served again (the restarted server is empty: no persistence)"
            finally Redis.stop current

        testCase "a frozen server (SIGSTOP): each operation gives up after the sync timeout, a miss; resumed (SIGCONT), it serves again" <| fun () ->
            let server = Redis.start ()
            try
                use c = Caches.FromUri($"{server.Uri}?connect_timeout=0.5&sync_timeout=0.5", CacheContext.Default) :?> RedisCache
                c |> Cache.set "k" "v" |> run
                Redis.pause server
                try
                    let watch = Diagnostics.Stopwatch.StartNew()
                    Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "a miss"
                    Expect.isLessThan watch.Elapsed.TotalSeconds 5.0 "given up, not hung"
                    c |> Cache.set "k" "w" |> run
                    Expect.isFalse (c |> Cache.add "other" "w" |> run) "add reports failure"
                finally Redis.resume server
                waitUntil 30.0 "the cache to serve again" (fun () -> c |> Cache.Checked.set "k" "x" |> run = Ok())
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "x") "served again"
            finally Redis.stop server
    ]

// ---------------------------------------------------------------- a primary and a replica

let private replicaTests =
    testList "a primary and a replica" [
        testCase "writes go to the primary and reads to the replica: with the primary frozen, reads still hit and writes fail" <| fun () ->
            let primary = Redis.start ()
            let replica = Redis.startWith (freePort ()) [ "--replicaof"; "127.0.0.1"; string primary.Port ]
            try
                use c = Caches.FromUri($"redis://{primary.Location};{replica.Location}/?connect_timeout=0.5&sync_timeout=0.5", CacheContext.Default) :?> RedisCache
                Expect.isTrue c.Options.ReadsFromReplicas "reads prefer the replica"
                waitUntil 10.0 "the replica to sync" (fun () -> Redis.cli replica [ "INFO"; "replication" ] |> fun i -> i.Contains "master_link_status:up")
                c |> Cache.set "k" "v" |> run
                Expect.equal (Redis.cli primary [ "GET"; ":1:k" ]) "v" "written on the primary"
                // Replication is asynchronous: the replica has it soon after, not at once (the documented staleness).
                waitUntil 10.0 "the replica to have the write" (fun () -> Redis.cli replica [ "GET"; ":1:k" ] = "v")
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "v") "read"
                Expect.equal (c.StatsAsync() |> run).Primaries.Count 1 "stats count the primary only"
                Redis.pause primary
                try
                    Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "v") "a read served by the replica"
                    Expect.isTrue (c |> Cache.Checked.set "k" "w" |> run |> Result.isError) "a write needs the primary"
                finally Redis.resume primary
            finally
                Redis.stop replica
                Redis.stop primary

        testCase "the staleness a reader sees: while the replica lags, a read after a write answers the old value or a miss; caught up, the new one" <| fun () ->
            let primary = Redis.start ()
            let replica = Redis.startWith (freePort ()) [ "--replicaof"; "127.0.0.1"; string primary.Port ]
            let password = "link-cut-" + Guid.NewGuid().ToString("N")
            let linkUp () = (Redis.cli replica [ "INFO"; "replication" ]).Contains "master_link_status:up"
            try
                use c = Caches.FromUri($"redis://{primary.Location};{replica.Location}/?connect_timeout=0.5", CacheContext.Default) :?> RedisCache
                waitUntil 10.0 "the replica to sync" linkUp
                c |> Cache.set "k" "old" |> run
                waitUntil 10.0 "the replica to have the first write" (fun () -> Redis.cli replica [ "GET"; ":1:k" ] = "old")
                // A lagging replica, made to lag for as long as the test needs: the primary asks for a password the replica
                // does not have and drops the replica's link, so the replica keeps serving what it had. The cache's own
                // connection to the primary, authenticated before, stays up.
                Redis.cli primary [ "CONFIG"; "SET"; "requirepass"; password ] |> ignore
                Redis.cli primary [ "-a"; password; "--no-auth-warning"; "CLIENT"; "KILL"; "TYPE"; "replica" ] |> ignore
                waitUntil 10.0 "the replication link to go down" (linkUp >> not)
                Expect.equal (c |> Cache.Checked.set "k" "new" |> run) (Ok()) "the write is done, on the primary"
                Expect.equal (c |> Cache.Checked.set "fresh" "v" |> run) (Ok()) "a write of a new key"
                Expect.equal (Redis.cli primary [ "-a"; password; "--no-auth-warning"; "GET"; ":1:k" ]) "new" "the primary has it"
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "old") "read after write: the value before it"
                Expect.equal (c |> Cache.tryGet<string> "fresh" |> run) None "read after write of a new key: a miss"
                // The link back: the replica resynchronises by itself and the same reads see the writes.
                Redis.cli primary [ "-a"; password; "--no-auth-warning"; "CONFIG"; "SET"; "requirepass"; "" ] |> ignore
                waitUntil 30.0 "the replica to catch up" (fun () -> c |> Cache.tryGet<string> "k" |> run = Some "new")
                Expect.equal (c |> Cache.tryGet<string> "fresh" |> run) (Some "v") "the new key too"
            finally
                Redis.stop replica
                Redis.stop primary
    ]

// ---------------------------------------------------------------- several processes

/// The `redis-incrementer` child role (Integration.Roles): THREADS threads in this process each increment KEY COUNT times
/// on the server at LOCATION under key prefix PREFIX; prints how many increments reported a failure. Exit code 0, 1 on
/// an exception, 2 on bad arguments.
let redisIncrementer (args: string list) : int =
    match args with
    | [ location; prefix; key; threads; count ] ->
        try
            // A generous command timeout: on a loaded machine a slow answer must not become a reported failure.
            let options = (RedisOptions.Parse location).WithSyncTimeout(TimeSpan.FromSeconds 10.0)
            use c = new RedisCache(options, CachePolicy.Default.WithKeyPrefix prefix, CacheContext.Default)
            let failures = ref 0
            let incrementers =
                [ for _ in 1 .. int threads ->
                      Thread(fun () ->
                          for _ in 1 .. int count do
                              match c |> Cache.incr key |> run with
                              | Ok _ -> ()
                              | Error _ -> Interlocked.Increment &failures.contents |> ignore) ]
            for t in incrementers do t.Start()
            for t in incrementers do t.Join()
            printfn "%d" failures.Value
            0
        with e ->
            eprintfn "%O" e
            1
    | _ ->
        eprintfn "usage: redis-incrementer LOCATION PREFIX KEY THREADS COUNT"
        2

let private processTests =
    testList "several processes" [
        testCase "2 processes × 4 threads × 250 increments of one key: exactly 2,000, and no increment reported failure" <| fun () ->
            use c = fresh ()
            c |> Cache.setFor Expire.never "shared-counter" 0 |> run
            let location = (Redis.shared.Force()).Location
            let children = [ for _ in 1..2 -> Child.start "redis-incrementer" [ location; c.Policy.KeyPrefix; "shared-counter"; "4"; "250" ] ]
            let outputs = [ for p in children -> p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync() ]
            for p, (out, err) in List.zip children outputs do
                if not (p.WaitForExit 120_000) then
                    p.Kill true
                    failtest "a redis-incrementer did not finish within 120 s"
                Expect.equal p.ExitCode 0 $"redis-incrementer failed:\n{err.Result}"
                Expect.equal (out.Result.Trim()) "0" "no increment reported failure"
            Expect.equal (c |> Cache.tryGet<int64> "shared-counter" |> run) (Some 2000L) "2 × 4 × 250, each counted once"
    ]

[<Tests>]
let tests =
    testList "RedisTests" [
        laws
        testSequenced <| testList "backend" [ uriTests; nativeTests; clearTests; faultTests; replicaTests; processTests ] ]
