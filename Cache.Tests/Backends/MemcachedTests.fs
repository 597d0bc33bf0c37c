/// The memcached backend against real memcached processes: Django's common contract with memcached's
/// capabilities (a shared store, rejected keys; cases that move the fake clock run on the server's real
/// clock instead), Django's memcached cases (reference/django-tests.md section F), protocol robustness,
/// counters, key hashing, libmemcached-compatible ketama, and a 3-server cluster with a server killed
/// mid-run, restarted, and a 4th added.
module Backends.MemcachedTests

open System
open System.Collections.Generic
open System.Net
open System.Net.Sockets
open System.Text
open System.Text.Json
open System.Threading
open System.Threading.Tasks
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Memcached
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks
open Backends.BaseCacheTests
open Integration

let private optionsFor (servers: Memcached.Server list) =
    MemcachedOptions.For(servers |> List.map (fun s -> MemcachedServer.Tcp("127.0.0.1", s.Port)))

let private cacheOn (servers: Memcached.Server list) (context: CacheContext) (policy: CachePolicy) =
    new MemcachedCache(optionsFor servers, policy, context)

let private case name body = testCase name (fun () -> withFixture Subjects.memcached Policy.defaults body)
let private caseWith name policy body = testCase name (fun () -> withFixture Subjects.memcached policy body)
let private mc (f: Fixture) = f.Cache :?> MemcachedCache
/// The TTL memcached reports for a made key (-1: never expires).
let private ttlOf (f: Fixture) (madeKey: string) =
    (mc f).Client.GetAsync(madeKey) |> run |> Option.ofLanguageExt |> Option.map _.Ttl

/// What memcached holds for each kind of timeout: the TTL of the made key. That entries lapse on its clock (set, add,
/// set_many, touch, a fraction, counters) is the contract's "on the server's clock" examples in FunctionalCache.Laws.
let private realClock =
    testList "timeouts on the server's clock" [
        case "touch with the default timeout puts the policy's 300 s on the server" (fun f ->
            f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire2" "very quickly" |> run
            Expect.isTrue (f.Cache |> Cache.touch Expire.byDefault "expire2" |> run) "touched with the default"
            Expect.isTrue (ttlOf f ":1:expire2" |> Option.exists (fun t -> t > 290L && t <= 300L)) "the default timeout (300 s) is on the server")

        case "a timeout over 30 days is sent as an absolute Unix time for set, add and set_many" (fun f ->
            let long = Expire.seconds 2592001.0
            f.Cache |> Cache.setFor long "key1" "eggs" |> run
            Expect.isTrue (f.Cache |> Cache.addFor long "key2" "ham" |> run) "add"
            f.Cache |> Cache.setManyFor long [ "key3", "sausage" ] |> run |> ignore
            for k in [ "key1"; "key2"; "key3" ] do
                let ttl = ttlOf f (":1:" + k) |> Option.get
                Expect.isTrue (ttl >= 2591990L && ttl <= 2592003L) $"{k}: the server counts 30 days and 1 s down, give or take its coarse clock (ttl {ttl})")

        case "Never is sent as 0 (no expiry) for set, add, set_many and touch" (fun f ->
            f.Cache |> Cache.setFor Expire.never "key1" "eggs" |> run
            Expect.isTrue (f.Cache |> Cache.addFor Expire.never "key2" "ham" |> run) "add"
            f.Cache |> Cache.setManyFor Expire.never [ "key3", "sausage" ] |> run |> ignore
            f.Cache |> Cache.setFor (Expire.seconds 1.0) "key5" "belgian fries" |> run
            Expect.isTrue (f.Cache |> Cache.touch Expire.never "key5" |> run) "touch to Never"
            for k in [ "key1"; "key2"; "key3"; "key5" ] do Expect.equal (ttlOf f (":1:" + k)) (Some -1L) $"{k} never expires")

        case "a fractional timeout is rounded up to whole seconds, never down to 0 (which means never)" (fun f ->
            f.Cache |> Cache.setFor (Expire.seconds 0.2) "key1" "spam" |> run
            Expect.equal (ttlOf f ":1:key1") (Some 1L) "1 s on the server")

        testCase "the wire TTL: 0 for Never, seconds rounded up, a Unix time past 30 days" (fun () ->
            let now = DateTimeOffset.FromUnixTimeSeconds 1700000000L
            let at (s: float) = Expiry(now.AddSeconds(s).UtcTicks)
            Expect.equal (MemcachedTtl.Of(Expiry.Never, now, 1700000000L)) 0L "never"
            Expect.equal (MemcachedTtl.Of(at 0.0000001, now, 1700000000L)) 1L "a tick"
            Expect.equal (MemcachedTtl.Of(at 1.0, now, 1700000000L)) 1L "1 s"
            Expect.equal (MemcachedTtl.Of(at 100.2, now, 1700000000L)) 101L "100.2 s"
            Expect.equal (MemcachedTtl.Of(at 2592000.0, now, 1700000000L)) 2592000L "30 days is still relative"
            Expect.equal (MemcachedTtl.Of(at 2592001.0, now, 1800000000L)) (1800000000L + 2592001L) "past 30 days: absolute on the server's clock") ]

/// One entry of reference/django-vectors/backend_timeouts.json (Django's clock pinned to 1700000000).
type private TimeoutVector =
    { Index: int
      Configured: string
      PolicyDefault: CacheTimeout
      Argument: CacheTimeout
      ArgumentText: string
      /// The timeout in force, in seconds (the argument, or the resolved default); None: never expires.
      Effective: float option
      /// Django's `get_backend_timeout`: the exptime it sends.
      DjangoWire: int64 }

let private djangoNow = 1700000000L

let private timeoutVectors =
    use doc = JsonDocument.Parse(IO.File.ReadAllText(vectorFile "backend_timeouts.json"))
    let text (e: JsonElement) = if e.ValueKind = JsonValueKind.Null then "None" else e.GetRawText()
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          let resolved = e.GetProperty "default_timeout_resolved"
          let policyDefault = if resolved.ValueKind = JsonValueKind.Null then None else Some(resolved.GetDouble())
          let argument =
              match e.TryGetProperty "timeout_arg" with
              | false, _ -> Choice1Of3()
              | true, a when a.ValueKind = JsonValueKind.String -> Choice1Of3()
              | true, a when a.ValueKind = JsonValueKind.Null -> Choice2Of3()
              | true, a -> Choice3Of3(a.GetDouble())
          { Index = i
            Configured = text (e.GetProperty "configured_TIMEOUT")
            PolicyDefault = (match policyDefault with Some s -> Expire.seconds s | None -> Expire.never)
            Argument = (match argument with Choice1Of3() -> Expire.byDefault | Choice2Of3() -> Expire.never | Choice3Of3 s -> Expire.seconds s)
            ArgumentText = (match e.TryGetProperty "timeout_arg" with | true, a -> text a | _ -> "omitted")
            Effective = (match argument with Choice1Of3() -> policyDefault | Choice2Of3() -> None | Choice3Of3 s -> Some s)
            DjangoWire = e.GetProperty("memcached_timeout").GetInt64() } ]

/// Where our exptime deliberately differs from Django's, with the README sentence that documents it.
let private nothingStored = "**Zero or negative timeouts store nothing**"
let private roundedUp = "**Fractional timeouts are rounded up to whole seconds on memcached**"

/// The memcached column: our exptime (the cache's expiry, then `MemcachedTtl.Of` on the same clocks) against
/// Django's. Equal wherever we agree; the two deliberate differences are pinned on both sides.
let private memcachedColumn =
    let now = DateTimeOffset.FromUnixTimeSeconds djangoNow
    let wire (v: TimeoutVector) =
        Expiry.From(v.Argument, v.PolicyDefault, now) |> Option.ofLanguageExt |> Option.map (fun e -> MemcachedTtl.Of(e, now, djangoNow))
    let vectorCase (v: TimeoutVector) =
        let name = $"#{v.Index} TIMEOUT {v.Configured}, timeout {v.ArgumentText}"
        match v.Effective with
        | Some s when s <= 0.0 ->
            testCase $"{name}: nothing stored, where Django sends {v.DjangoWire} (an entry already expired)" <| fun () ->
                Expect.isLessThan v.DjangoWire 0L "Django sends a negative exptime"
                Expect.equal (wire v) None $"no exptime at all: Set deletes the key ({nothingStored})"
        | Some s when s <> Math.Floor s ->
            testCase $"{name}: {Math.Ceiling s} s, where Django truncates to {v.DjangoWire}" <| fun () ->
                Expect.equal v.DjangoWire (if Math.Floor s = 0.0 then -1L else int64 (Math.Floor s)) "Django: int(), and -1 (store nothing) when that is 0"
                Expect.equal (wire v) (Some(int64 (Math.Ceiling s))) $"ours: rounded up ({roundedUp})"
        | _ ->
            testCase $"{name}: {v.DjangoWire}, as Django sends" <| fun () ->
                Expect.equal (wire v) (Some v.DjangoWire) "the same exptime"
    let documented =
        testCase "both differences are listed among the README's deliberate differences" <| fun () ->
            let readme = IO.File.ReadAllText(IO.Path.Combine(Dotnet.repoRoot (), "README.md"))
            let section = readme.Substring(readme.IndexOf "## Deliberate differences from Django")
            let section = section.Substring(0, section.IndexOf("\n## ", 3))
            for sentence in [ nothingStored; roundedUp ] do Expect.stringContains section sentence "documented"
    testList "backend_timeouts.json (memcached column)" ([ for v in timeoutVectors -> vectorCase v ] @ [ documented ])

let private sectionF =
    testList "Django's memcached cases" [
        testCase "a location lists servers separated by ; or , (and a list in code)" (fun () ->
            let expected = [ "server1.tld:11211"; "server2:11211" ]
            for uri in [ "memcached://server1.tld;server2:11211/"; "memcached://server1.tld,server2:11211/" ] do
                use cache = Caches.FromUri uri :?> MemcachedCache
                Expect.equal (cache.Client.Options.Servers |> Seq.map string |> List.ofSeq) expected uri
            let inCode = MemcachedOptions.For [ MemcachedServer.Parse "server1.tld"; MemcachedServer.Parse "server2:11211" ]
            Expect.equal (inCode.Servers |> Seq.map string |> List.ofSeq) expected "in code")

        testCase "server texts: unix: is stripped, hosts and ports as pylibmc reads them, bad ones named" (fun () ->
            let unix = MemcachedServer.Parse "unix:/run/memcached/socket"
            Expect.isTrue unix.IsUnixSocket "a socket"
            Expect.equal unix.Host "/run/memcached/socket" "unix: stripped"
            for text, host, port in [ "localhost", "localhost", 11211; "localhost:11211", "localhost", 11211; "[::1]", "::1", 11211
                                      "[::1]:11211", "::1", 11211; "127.0.0.1", "127.0.0.1", 11211; "127.0.0.1:11212", "127.0.0.1", 11212 ] do
                let s = MemcachedServer.Parse text
                Expect.equal (s.Host, s.Port, s.IsUnixSocket) (host, port, false) text
            for bad in [ "host:0"; "host:port"; ":11211"; "[::1"; "" ] do
                Expect.isTrue (MemcachedServer.TryParse(bad).IsLeft) $"'{bad}' is refused")

        testCase "URI arguments: timeouts, pool size, back-off, throw_on_failure and hash_keys; bad values named" (fun () ->
            use cache =
                Caches.FromUri("memcached://127.0.0.1:1/?connect_timeout=0.25&read_timeout=0.5&write_timeout=2&dead_retry=7&pool_size=3&throw_on_failure=true&hash_keys=true&timeout=60", CacheContext.Default, true)
                :?> MemcachedCache
            let o = cache.Client.Options
            Expect.equal (o.ConnectTimeout, o.ReadTimeout, o.WriteTimeout, o.DeadServerBackOff) (TimeSpan.FromSeconds 0.25, TimeSpan.FromSeconds 0.5, TimeSpan.FromSeconds 2.0, TimeSpan.FromSeconds 7.0) "timeouts"
            Expect.equal (o.PoolSize, o.ThrowOnFailure) (3, true) "pool and strictness"
            Expect.isTrue (Object.ReferenceEquals(cache.Policy.KeyFunction, MemcachedKeys.HashLongOrUnsafe)) "hashing key function"
            Expect.equal cache.Policy.DefaultTimeout (CacheTimeout.After(TimeSpan.FromSeconds 60.0)) "timeout"
            let failed = Caches.TryFromUri("memcached://127.0.0.1:1/?pool_size=0&read_timeout=fast", CacheContext.Default, true)
            let messages = failed.FailToSeq() |> Seq.map _.Message |> List.ofSeq
            Expect.equal messages [ "Argument 'read_timeout' must be a positive number of seconds under a day, not 'fast'."
                                    "Argument 'pool_size' must be a whole number from 1 to 1024, not '0'." ] "every problem, in order"
            Expect.isTrue (Caches.TryFromUri("memcached:///", CacheContext.Default, false).IsFail) "no server at all"
            Expect.isTrue (Caches.TryFromUri("memcached://host:99999/", CacheContext.Default, false).IsFail) "a bad port")

        caseWith "a policy that never expires stores with TTL 0" (Policy.defaults |> Policy.expire Expire.never) (fun f ->
            f.Cache |> Cache.set "infinite_foo" "bar" |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "infinite_foo" |> run) (Some "bar") "readable"
            Expect.equal (ttlOf f ":1:infinite_foo") (Some -1L) "no expiry")

        caseWith "a default timeout of one year goes out as an absolute time and reads back" (Policy.defaults |> Policy.timeout 31536000.0) (fun f ->
            f.Cache |> Cache.set "future_foo" "bar" |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "future_foo" |> run) (Some "bar") "readable")

        case "a decrement that loses digits reads back as the number (memcached pads it with spaces)" (fun f ->
            f.Cache |> Cache.set "c" 17 |> run
            Expect.equal (f.Cache |> Cache.decrBy 14L "c" |> run) (Ok 3L) "decremented"
            Expect.equal (f.Cache |> Cache.tryGet<int> "c" |> run) (Some 3) "as an int"
            Expect.equal (f.Cache |> Cache.tryGet<string> "c" |> run) (Some "3") "as text, without the padding"
            Expect.equal (f.Cache |> Cache.getMany<int> [ "c" ] |> run) (Map [ "c", 3 ]) "through get_many"
            f.Cache |> Cache.set "words" "3 " |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "words" |> run) (Some "3 ") "a stored text that only looks padded keeps its blank"
            Expect.equal (f.Cache |> Cache.incr "c" |> run) (Ok 4L) "still a counter")

        case "a set over the item size limit throws a clear error and deletes the old value" (fun f ->
            f.Cache |> Cache.set "small_value" "a" |> run
            let e = throws<CacheBackendException> (fun () -> f.Cache |> Cache.set "small_value" (Array.create (1024 * 1024 + 1) 120uy) |> run)
            Expect.stringContains e.Message "over the memcached server's item size limit" "says why"
            Expect.stringContains e.Message ":1:small_value" "names the made key"
            Expect.isFalse (f.Cache |> Cache.hasKey "small_value" |> run) "no stale value survives")

        case "set_many returns the original keys the server refused, and deletes their old values" (fun f ->
            f.Cache |> Cache.set "key" "old" |> run
            let refused = f.Cache |> Cache.setMany [ "key", Array.create (2 * 1024 * 1024) 1uy; "other", [| 2uy |] ] |> run
            Expect.equal (List.ofSeq refused) [ "key" ] "the user key, not the made key"
            Expect.isFalse (f.Cache |> Cache.hasKey "key" |> run) "old value gone"
            Expect.equal (f.Cache |> Cache.tryGet<byte[]> "other" |> run) (Some [| 2uy |]) "the rest stored")

        case "invalid keys raise InvalidCacheKeyException naming the made key for every operation, and reach no server" (fun f ->
            f.Cache |> Cache.set "good" "kept" |> run
            for key in [ "key with spaces"; "line\r\nflush_all"; "tab\there"; String('a', 248) ] do
                for name, op in keyedOperations do
                    let e = throws<InvalidCacheKeyException> (fun () -> op f.Cache key)
                    Expect.stringContains e.Message (MessageText.Quoted(":1:" + key)) $"{name}: names the made key, control characters escaped"
                    Expect.equal e.MadeKey (":1:" + key) $"{name}: MadeKey is the key itself"
            Expect.equal (f.Cache |> Cache.tryGet<string> "good" |> run) (Some "kept") "no injected flush_all ran")

        case "a key of 250 characters but more than 250 UTF-8 bytes is rejected before the wire" (fun f ->
            let key = String('é', 200)
            let e = throws<InvalidCacheKeyException> (fun () -> f.Cache |> Cache.set key "v" |> run)
            Expect.stringContains e.Message "longer than 250 bytes in UTF-8" "says bytes")

        testCase "the raw client refuses CR/LF, spaces and empty keys too" (fun () ->
            use client = new MemcachedClient(optionsFor [ Memcached.shared.Force() ])
            for key in [ "a\r\nflush_all"; "a b"; ""; "a\u007f" ] do
                throws<InvalidCacheKeyException> (fun () -> client.GetAsync(key) |> run |> ignore) |> ignore)

        case "dispose closes the connections and the cache refuses work afterwards" (fun f ->
            use cache = f.Make Policy.defaults :?> MemcachedCache
            cache |> Cache.set "k" "v" |> run
            cache.Dispose()
            throws<ObjectDisposedException> (fun () -> cache |> Cache.tryGet<string> "k" |> run |> ignore) |> ignore) ]

let private robustness =
    testList "protocol robustness" [
        case "values with CR LF, every byte value, and empty values round-trip" (fun f ->
            f.Cache |> Cache.set "crlf" "line one\r\nEND\r\nVA 5 f1\r\n\r\n" |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "crlf" |> run) (Some "line one\r\nEND\r\nVA 5 f1\r\n\r\n") "CR LF inside a value"
            let everyByte = Array.init 512 (fun i -> byte (i % 256))
            f.Cache |> Cache.set "binary" everyByte |> run
            Expect.equal (f.Cache |> Cache.tryGet<byte[]> "binary" |> run) (Some everyByte) "binary"
            f.Cache |> Cache.set "empty" "" |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "empty" |> run) (Some "") "an empty string is a hit"
            f.Cache |> Cache.set "nothing" ([||]: byte[]) |> run
            Expect.equal (f.Cache |> Cache.tryGet<byte[]> "nothing" |> run) (Some [||]) "empty bytes are a hit"
            f.Cache |> Cache.set<string> "null" null |> run
            Expect.isTrue (f.Cache |> Cache.hasKey "null" |> run) "a stored null"
            Expect.equal (f.Cache |> Cache.tryGet<string> "null" |> run) (Some null) "is a hit holding the null"
            Expect.isNull (f.Cache |> Cache.getOr "default" "null" |> run) "reads as null, not as the empty string"
            Expect.equal (f.Cache |> Cache.getOr "default" "empty" |> run) "" "and the empty string is not a null")

        case "values at the 1 MB item limit: just under is stored, just over is refused" (fun f ->
            let under = Array.init (1024 * 1024 - 512) (fun i -> byte (i * 7))
            f.Cache |> Cache.set "under" under |> run
            Expect.equal (f.Cache |> Cache.tryGet<byte[]> "under" |> run) (Some under) "1 MiB - 512 bytes round-trips"
            throws<CacheBackendException> (fun () -> f.Cache |> Cache.set "over" (Array.zeroCreate<byte> (1024 * 1024 + 1)) |> run) |> ignore
            Expect.equal (f.Cache |> Cache.tryGet<byte[]> "under" |> run) (Some under) "the connection is still in step afterwards")

        case "64 concurrent callers share the pipelined connection and each gets its own answer, also when others give up" (fun f ->
            let items = [| for i in 0..63 -> $"p{i}", $"value {i} " + String('x', i * 37) |]
            for k, v in items do f.Cache |> Cache.set k v |> run
            let reads =
                [| for round in 0..19 do
                     for i, (k, v) in Array.indexed items ->
                        task {
                            if (round + i) % 5 = 0 then
                                // Written, then abandoned while its answer is in flight: the answer must be read and
                                // dropped, not handed to the next caller. (The Cache module takes no token: the
                                // interface method does.)
                                use gaveUp = new CancellationTokenSource()
                                let abandoned = f.Cache.GetAsync<string>(items[(i + 1) % 64] |> fst, cancellationToken = gaveUp.Token)
                                gaveUp.Cancel()
                                try do! abandoned :> Task with _ -> ()
                            let! got = f.Cache |> Cache.tryGet<string> k
                            return k, v, got } |]
            let answers = Task.WhenAll(reads) |> run
            for k, v, got in answers do Expect.equal got (Some v) $"{k} read its own value"
            Expect.equal (f.Cache |> Cache.tryGet<string> "p0" |> run) (Some (snd items[0])) "the connection is still in step afterwards")

        case "50 get_or_set callers spread over two caches on the same server run the factory once, as ICache promises per process" (fun f ->
            let caches = [| f.Cache; f.Make Policy.defaults |]
            let calls = ref 0
            let factory () =
                task {
                    Interlocked.Increment(&calls.contents) |> ignore
                    do! Task.Delay 50
                    return "computed"
                }
            let start = TaskCompletionSource()
            let callers =
                [| for i in 1..50 ->
                       Task.Run<string>(fun () ->
                           task {
                               do! start.Task
                               return! caches[i % 2] |> Cache.getOrSet "slow" factory
                           }) |]
            start.SetResult()
            let results = Task.WhenAll(callers) |> run
            Expect.equal calls.Value 1 "one factory run over both caches"
            Expect.allEqual results "computed" "everyone got the factory's value")

        testCase "a pipelined get_many of 1,000 keys across 3 servers returns every hit and no miss" (fun () ->
            let servers = [ Memcached.start (); Memcached.start (); Memcached.start () ]
            try
                use cache = cacheOn servers CacheContext.Default Policy.defaults
                let items = [ for i in 0..999 -> $"k{i}", String('v', i % 300) + string i ]
                Expect.isEmpty (cache |> Cache.setMany items |> run) "stored"
                let keys = [ for i in 0..1099 -> $"k{i}" ]
                let got = cache |> Cache.getMany<string> keys |> run
                Expect.equal got.Count 1000 "every stored key, none of the 100 missing ones"
                for k, v in items do Expect.equal (got.TryFind k) (Some v) k
                let perServer = items |> List.countBy (fun (k, _) -> cache.ServerFor k) |> List.length
                Expect.equal perServer 3 "the keys were on all three servers"
                cache |> Cache.deleteMany keys |> run
                Expect.equal (cache |> Cache.getMany<string> keys |> run).Count 0 "delete_many removed them all"
            finally
                servers |> List.iter Memcached.stop) ]

let private overflow key : Result<int64, CacheError> = Error(CacheError.Overflow key :> CacheError)

let private counters =
    testList "counters" [
        case "decrement stops at 0, as memcached's counters are unsigned (documented)" (fun f ->
            f.Cache |> Cache.set "n" 5 |> run
            Expect.equal (f.Cache |> Cache.decrBy 7L "n" |> run) (Ok 0L) "5 - 7 = 0 on memcached"
            Expect.equal (f.Cache |> Cache.incrBy (-3L) "n" |> run) (Ok 0L) "a negative increment is a decrement"
            Expect.equal (f.Cache |> Cache.tryGet<int> "n" |> run) (Some 0) "stored 0")

        case "a stored negative integer is counted exactly (compare-and-swap) and keeps its TTL" (fun f ->
            f.Cache |> Cache.setFor (Expire.seconds 100.0) "neg" (-5) |> run
            Expect.equal (f.Cache |> Cache.incrBy 2L "neg" |> run) (Ok -3L) "-5 + 2"
            Expect.equal (f.Cache |> Cache.decrBy 10L "neg" |> run) (Ok -13L) "-3 - 10"
            Expect.equal (f.Cache |> Cache.incrBy 20L "neg" |> run) (Ok 7L) "-13 + 20"
            Expect.equal (f.Cache |> Cache.tryGet<int> "neg" |> run) (Some 7) "stored"
            Expect.isTrue (ttlOf f ":1:neg" |> Option.exists (fun t -> t > 90L && t <= 100L)) "the TTL stayed")

        case "incr keeps the TTL and the native path is atomic under 20 concurrent callers" (fun f ->
            f.Cache |> Cache.setFor (Expire.seconds 100.0) "hits" 0 |> run
            let bump () = task { for _ in 1..50 do do! (f.Cache |> Cache.incr "hits") :> Task }
            Task.WhenAll([| for _ in 1..20 -> bump () |]) |> runUnit
            Expect.equal (f.Cache |> Cache.tryGet<int64> "hits" |> run) (Some 1000L) "no lost update"
            Expect.isTrue (ttlOf f ":1:hits" |> Option.exists (fun t -> t > 90L && t <= 100L)) "the TTL stayed")

        case "counters are signed 64-bit: memcached's 2^64 - 1 and 2^63 are Overflow, not a wrap to 0, and stay as they were" (fun f ->
            f.Cache |> Cache.set "max" "18446744073709551615" |> run
            Expect.equal (f.Cache |> Cache.incr "max" |> run) (overflow "max") "incr would wrap to 0 on memcached"
            Expect.equal (f.Cache |> Cache.decr "max" |> run) (overflow "max") "decr of a number past long's range"
            Expect.equal (f.Cache |> Cache.tryGet<string> "max" |> run) (Some "18446744073709551615") "left as it was"
            f.Cache |> Cache.set "big" "9223372036854775808" |> run
            Expect.equal (f.Cache |> Cache.decr "big" |> run) (overflow "big") "2^63 - 1 would fit, but 2^63 was never a counter"
            Expect.equal (f.Cache |> Cache.tryGet<string> "big" |> run) (Some "9223372036854775808") "left as it was"
            f.Cache |> Cache.set "top" Int64.MaxValue |> run
            Expect.equal (f.Cache |> Cache.incrBy Int64.MaxValue "top" |> run) (overflow "top") "past long.MaxValue"
            Expect.equal (f.Cache |> Cache.tryGet<int64> "top" |> run) (Some Int64.MaxValue) "left as it was"
            f.Cache |> Cache.set "five" 5 |> run
            Expect.equal (f.Cache |> Cache.incrBy Int64.MinValue "five" |> run) (Ok 0L) "a change by long.MinValue stops at 0 too")

        case "known limit: memcached's server counts texts that C's strtoull reads as numbers, where the other backends refuse them" (fun f ->
            f.Cache |> Cache.set "neg" "-10000000000000000000" |> run
            Expect.equal (f.Cache |> Cache.incr "neg" |> run) (Ok 8446744073709551617L) "read as 2^64 minus it (elsewhere: Overflow)"
            f.Cache |> Cache.set "plus" "+5" |> run
            Expect.equal (f.Cache |> Cache.incr "plus" |> run) (Ok 6L) "a leading '+' (elsewhere: NotAnInteger)"
            f.Cache |> Cache.set "blank" " 5" |> run
            Expect.equal (f.Cache |> Cache.incr "blank" |> run) (Ok 6L) "a leading blank (elsewhere: NotAnInteger)")

        case "the compare-and-swap path is atomic under concurrent callers too" (fun f ->
            f.Cache |> Cache.set "cold" (-1000) |> run
            let bump () = task { for _ in 1..25 do do! (f.Cache |> Cache.incr "cold") :> Task }
            Task.WhenAll([| for _ in 1..8 -> bump () |]) |> runUnit
            // memcached cannot count a negative value: every one of these goes through the CAS loop.
            Expect.equal (f.Cache |> Cache.tryGet<int64> "cold" |> run) (Some -800L) "no lost update") ]

let private keyHashing =
    testList "the hashing key function" [
        caseWith "long and unsafe keys are hashed to a safe key; safe keys are kept" (Policy.defaults |> Policy.keyFunction (fun key prefix version -> MemcachedKeys.HashLongOrUnsafe.Invoke(key, prefix, version))) (fun f ->
            let long = String('x', 400)
            for key in [ long; "key with spaces"; "line\r\nbreak"; String('é', 200) ] do
                f.Cache |> Cache.set key ("value of " + key) |> run
                Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some("value of " + key)) "round-trips"
            Expect.equal (MemcachedKeys.HashLongOrUnsafe.Invoke("plain", "", 1)) ":1:plain" "a safe key is Django's made key"
            let hashed = MemcachedKeys.HashLongOrUnsafe.Invoke(long, "", 1)
            Expect.stringStarts hashed "sha256:" "hashed"
            Expect.equal hashed.Length 71 "sha256: and 64 hex digits"
            Expect.isTrue (MemcachedKeys.IsSafe hashed) "safe"
            Expect.notEqual (MemcachedKeys.HashLongOrUnsafe.Invoke(long, "", 2)) hashed "the version is part of the hash") ]

/// Which of three servers libmemcached 1.0.18 (pylibmc 1.6.3, behaviors ketama_weighted + md5) put each
/// key on, recorded against 127.0.0.1:11211, 127.0.0.1:21212 and 127.0.0.1:21213.
let private libmemcachedEqual =
    [ ":1:key0", 1; ":1:key1", 0; ":1:key2", 1; ":1:key3", 0; ":1:key4", 2; ":1:key5", 2; ":1:key6", 2; ":1:key7", 0
      ":1:key8", 2; ":1:key9", 2; ":1:key10", 2; ":1:key11", 1; ":1:key12", 2; ":1:key13", 2; ":1:key14", 1; ":1:key15", 1
      ":1:key16", 2; ":1:key17", 2; ":1:key18", 0; ":1:key19", 2; ":1:key20", 0; ":1:key21", 0; ":1:key22", 0; ":1:key23", 1
      ":1:key24", 1; ":1:key25", 1; ":1:key26", 1; ":1:key27", 2; ":1:key28", 0; ":1:key29", 1
      ":1:Iñtërnâtiônàlizætiøn", 2; "site1:2:answer", 2; "a", 0; ":1:" + String('x', 200), 1 ]

/// The same keys with weights 1, 2 and 3.
let private libmemcachedWeighted =
    [ 1; 2; 2; 0; 2; 2; 2; 0; 2; 2; 2; 1; 2; 2; 1; 1; 2; 2; 2; 2; 2; 1; 1; 1; 1; 1; 1; 2; 0; 1; 2; 2; 0; 1 ]

/// Keys whose MD5 falls after the last point of both continuums below (found by a search over `:1:tail{i}`) and
/// before their first point (`:1:head{i}`), with the server libmemcached 1.0.18 (pylibmc 1.6.3, behaviors
/// ketama_weighted + md5) put each on, for weights 1, 1, 1 and for 1, 2, 3: always the owner of the first point,
/// 127.0.0.1:21212, where the last point belongs to another server. Recorded the same way as the keys above (whose
/// recording this method reproduced): set through pylibmc, then found on the one server that holds it.
let private libmemcachedWrapping =
    [ ":1:tail34", 1; ":1:tail3891", 1; ":1:tail4915", 1; ":1:tail4993", 1; ":1:tail12239", 1; ":1:tail12508", 1 ]

let private libmemcachedBeforeFirst = [ ":1:head906", 1; ":1:head6776", 1 ]

/// libmemcached's continuum rebuilt here from its definition, independently of KetamaContinuum: per server
/// floor(weight / total × 40 × servers) × 4 points in single precision, four per MD5 digest of "host-i"
/// ("host:port-i" off port 11211), sorted by value.
let private modelPoints (servers: MemcachedServer list) : (uint32 * int)[] =
    let total = servers |> List.sumBy (fun s -> int64 s.Weight)
    let word (digest: byte[]) at = Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlySpan(digest, at, 4))
    [| for i, s in List.indexed servers do
         let name = if s.Port = 11211 then s.Host else $"{s.Host}:{s.Port}"
         let share = float32 s.Weight / float32 total
         let perServer = int (floor (float (float32 (float (share * 160.0f / 4.0f * float32 servers.Length) + 0.0000000001)))) * 4
         for p in 0 .. perServer / 4 - 1 do
             let digest = Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes $"{name}-{p}")
             for x in 0..3 -> word digest (x * 4), i |]
    |> Array.sortBy fst

/// libmemcached's MD5 key hash: the digest's first four bytes, little-endian.
let private modelHash (key: string) =
    Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlySpan(Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes key)))

/// The servers that may hold `key`: the owners of the first point at or after its hash, or of the first point when
/// the hash is past the last (more than one only if two servers' points share that value).
let private modelOwners (points: (uint32 * int)[]) (key: string) =
    let hash = modelHash key
    let chosen = points |> Array.tryFind (fun (value, _) -> value >= hash) |> Option.defaultValue points[0] |> fst
    points |> Array.filter (fun (value, _) -> value = chosen) |> Array.map snd |> Set.ofArray

/// A key `prefix:{i}` (the first i that works, within a bounded search) whose hash satisfies `wanted`.
let private searchKey (prefix: string) (wanted: uint32 -> bool) =
    seq { 0..1_000_000 } |> Seq.map (fun i -> $"{prefix}:{i}") |> Seq.tryFind (modelHash >> wanted) |> Option.defaultValue prefix

/// A list of 2 to 6 distinct servers with weights 1 to 4, and a key: half the time one past the continuum's last
/// point, a quarter before its first, a quarter any text.
let private serversAndKey =
    gen {
        let! count = Gen.choose (2, 6)
        let! servers =
            [ for i in 1..count ->
                  gen {
                      let! port = Gen.frequency [ 2, Gen.constant 11211; 1, Gen.choose (1024, 65535) ]
                      let! host = Gen.elements [ $"10.0.0.{i}"; $"cache{i}.example" ]
                      let! weight = Gen.choose (1, 4)
                      return MemcachedServer.Tcp(host, port).WithWeight weight } ]
            |> Gen.sequenceToList
        let points = modelPoints servers
        let! prefix = ArbMap.defaults |> ArbMap.generate<Guid> |> Gen.map string
        let! key =
            Gen.frequency
                [ 2, Gen.constant (searchKey prefix (fun h -> h > fst points[points.Length - 1]))
                  1, Gen.constant (searchKey prefix (fun h -> h < fst points[0]))
                  1, ArbMap.defaults |> ArbMap.generate<NonNull<string>> |> Gen.map _.Get ]
        return servers, key
    }

let private ketama =
    let three weights =
        [ MemcachedServer.Tcp("127.0.0.1"); MemcachedServer.Tcp("127.0.0.1", 21212); MemcachedServer.Tcp("127.0.0.1", 21213) ]
        |> List.mapi (fun i s -> s.WithWeight(List.item i weights))
    testList "ketama" [
        testCase "equal weights: 160 points per server and libmemcached's server for every recorded key" (fun () ->
            let continuum = KetamaContinuum(three [ 1; 1; 1 ])
            Expect.equal continuum.Count 480 "160 points each"
            for key, server in libmemcachedEqual do Expect.equal (continuum.ServerFor key) server key)

        testCase "weights 1, 2, 3: libmemcached's server for every recorded key" (fun () ->
            let continuum = KetamaContinuum(three [ 1; 2; 3 ])
            Expect.equal continuum.Count (80 + 160 + 240) "points scaled by weight"
            for (key, _), server in List.zip libmemcachedEqual libmemcachedWeighted do Expect.equal (continuum.ServerFor key) server key)

        testCase "3 servers share 30,000 keys within 20% of even, and a 4th takes about a quarter, all from the others" (fun () ->
            let servers n = [ for i in 0 .. n - 1 -> MemcachedServer.Tcp("10.0.0." + string (i + 1), 11211) ]
            let keys = [ for i in 0..29_999 -> $":1:user:{i}" ]
            let c3, c4 = KetamaContinuum(servers 3), KetamaContinuum(servers 4)
            let counts = keys |> List.countBy c3.ServerFor |> List.map snd
            for n in counts do Expect.isTrue (abs (float n - 10_000.0) <= 2_000.0) $"{n} keys on one server"
            let moved = keys |> List.filter (fun k -> c3.ServerFor k <> c4.ServerFor k)
            let share = float moved.Length / 30_000.0
            Expect.isTrue (share > 0.17 && share < 0.33) $"{share * 100.0:F1} percent moved"
            Expect.isTrue (moved |> List.forall (fun k -> c4.ServerFor k = 3)) "every moved key went to the new server")

        testCase "keys hashing past the last point wrap to the first point's server, and keys before the first point go there too, as libmemcached puts them" (fun () ->
            let equal = modelPoints (three [ 1; 1; 1 ])
            for key, server in libmemcachedEqual do Expect.contains (modelOwners equal key) server $"the model puts {key} where libmemcached does"
            for weights in [ [ 1; 1; 1 ]; [ 1; 2; 3 ] ] do
                let servers = three weights
                let points = modelPoints servers
                let continuum = KetamaContinuum(servers)
                Expect.equal continuum.Count points.Length $"{weights}: the model has the continuum's points"
                let first, last = points[0], points[points.Length - 1]
                Expect.equal (snd first) 1 $"{weights}: the first point is 127.0.0.1:21212's"
                Expect.notEqual (snd last) 1 $"{weights}: the last point is another server's, so stopping at it would be wrong"
                for key, server in libmemcachedWrapping do
                    Expect.isGreaterThan (modelHash key) (fst last) $"{weights}: {key} hashes past the last point"
                    Expect.equal (continuum.ServerFor key) server $"{weights}: {key} on libmemcached's server"
                for key, server in libmemcachedBeforeFirst do
                    Expect.isLessThan (modelHash key) (fst first) $"{weights}: {key} hashes before the first point"
                    Expect.equal (continuum.ServerFor key) server $"{weights}: {key} on libmemcached's server")

        testProperty "for any servers and key, the key's server owns the first point at or after its hash, wrapping to the first point" (
            Prop.forAll (Arb.fromGen serversAndKey) (fun (servers, key) ->
                let owners = modelOwners (modelPoints servers) key
                let chosen = KetamaContinuum(servers).ServerFor key
                let described = servers |> List.map (fun s -> string s + " weight " + string s.Weight) |> String.concat ", "
                owners.Contains chosen
                |> Prop.label $"servers [{described}], key {key} (hash {modelHash key}): chose {chosen}, the model {Set.toList owners}")) ]

/// Short read timeouts and back-offs, so that a frozen server is found out fast. The connect timeout stays long: a
/// refused connection fails at once and a frozen server's kernel still accepts, so it never decides a test's fault,
/// while a loaded machine (CI, other builds) has taken more than 250 ms to connect on the loopback.
let private quickOptions (ports: int list) =
    MemcachedOptions.For(ports |> List.map (fun p -> MemcachedServer.Tcp("127.0.0.1", p)))
        .WithConnectTimeout(TimeSpan.FromSeconds 5.0)
        .WithReadTimeout(TimeSpan.FromMilliseconds 300.0)
        .WithDeadServerBackOff(TimeSpan.FromMilliseconds 500.0)

let private faults =
    testList "faults" [
        testCase "a refusing server: reads miss, writes report failure, nothing throws, and a warning is logged" (fun () ->
            let _, log, context = testContext ()
            use cache = new MemcachedCache(quickOptions [ freePort () ], Policy.defaults, context)
            let c = cache :> ICache
            Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "get misses"
            c |> Cache.set "k" "v" |> run
            Expect.isFalse (c |> Cache.add "k" "v" |> run) "add reports failure"
            Expect.isFalse (c |> Cache.delete "k" |> run) "delete"
            Expect.isFalse (c |> Cache.hasKey "k" |> run) "has_key"
            Expect.isFalse (c |> Cache.touch Expire.byDefault "k" |> run) "touch"
            match c |> Cache.incr "k" |> run with
            | Error(BackendFailure(key, cause)) ->
                Expect.equal key "k" "incr is a BackendFailure naming the key"
                Expect.isNotNull cause "with the cause"
            | other -> failtestf "incr on a refusing server: expected a BackendFailure, got %A" other
            Expect.equal (c |> Cache.setMany [ "a", 1; "b", 2 ] |> run |> List.ofSeq) [ "a"; "b" ] "set_many lists every key"
            Expect.equal (c |> Cache.getMany<int> [ "a"; "b" ] |> run).Count 0 "get_many misses"
            c |> Cache.deleteMany [ "a" ] |> run
            c |> Cache.clear |> run
            Expect.isTrue (cache.Client.IsMarkedDead(cache.Client.Options.Servers.Head)) "marked dead"
            Expect.isTrue (log.Messages |> List.exists (fun m -> m.Contains "memcached server 127.0.0.1:")) "logged")

        testCase "a refusing server: the checked operations report every failure as a BackendFailure value, and metrics count the lenient ones" (fun () ->
            use cache = new MemcachedCache(quickOptions [ freePort () ], Policy.defaults, CacheContext.Default)
            let answered = ResizeArray<CacheBackendException>()
            (cache :> Diagnostics.ICacheFailureSource).add_FailureAnswered(fun e -> answered.Add e)
            let c = cache :> ICache
            let failed name (result: Result<'T, CacheError>) =
                match result with
                | Error(BackendFailure(_, cause)) -> Expect.stringContains cause.Message "memcached server 127.0.0.1:" name
                | other -> failtestf "%s on a refusing server: expected a BackendFailure, got %A" name other
            c |> Cache.Checked.get<string> "k" |> run |> failed "get"
            c |> Cache.Checked.set "k" "v" |> run |> failed "set"
            c |> Cache.Checked.setFor (Expire.seconds 0.0) "k" "v" |> run |> failed "set with a zero timeout (a delete)"
            c |> Cache.Checked.add "k" "v" |> run |> failed "add"
            c |> Cache.Checked.delete "k" |> run |> failed "delete"
            c |> Cache.Checked.touch Expire.byDefault "k" |> run |> failed "touch"
            c |> Cache.Checked.clear |> run |> failed "clear"
            c |> Cache.atVersion 3 |> Cache.Checked.set "k" "v" |> run |> failed "set through a versioned view"
            Expect.isEmpty answered "the checked operations answer nothing leniently"
            c |> Cache.set "k" "v" |> run
            c |> Cache.clear |> run
            Expect.equal answered.Count 2 "the plain set and clear answered their failures leniently, and said so")

        testCase "a live server: the checked operations give the plain answers as Ok" (fun () ->
            use cache = new MemcachedCache(optionsFor [ Memcached.shared.Force() ], Policy.defaults.WithKeyPrefix(string (Guid.NewGuid())), CacheContext.Default)
            let c = cache :> ICache
            Expect.equal (c |> Cache.Checked.set "k" "v" |> run) (Ok()) "set"
            Expect.equal (c |> Cache.Checked.get<string> "k" |> run) (Ok(Some "v")) "get"
            Expect.equal (c |> Cache.Checked.add "k" "w" |> run) (Ok false) "add on a live key"
            Expect.equal (c |> Cache.Checked.touch Expire.never "k" |> run) (Ok true) "touch"
            Expect.equal (c |> Cache.Checked.delete "k" |> run) (Ok true) "delete"
            Expect.equal (c |> Cache.Checked.get<string> "k" |> run) (Ok None) "a miss is Ok None"
            Expect.equal (c |> Cache.Checked.delete "k" |> run) (Ok false) "delete of an absent key")

        testCase "with ThrowOnFailure every operation throws CacheBackendException" (fun () ->
            use cache = new MemcachedCache((quickOptions [ freePort () ]).WithThrowOnFailure true, Policy.defaults, CacheContext.Default)
            let c = cache :> ICache
            let ops : (string * (unit -> unit)) list =
                [ "get", (fun () -> c |> Cache.tryGet<string> "k" |> run |> ignore); "set", (fun () -> c |> Cache.set "k" "v" |> run)
                  "add", (fun () -> c |> Cache.add "k" "v" |> run |> ignore); "delete", (fun () -> c |> Cache.delete "k" |> run |> ignore)
                  "has_key", (fun () -> c |> Cache.hasKey "k" |> run |> ignore); "incr", (fun () -> c |> Cache.incr "k" |> run |> ignore)
                  "get_many", (fun () -> c |> Cache.getMany<int> [ "a" ] |> run |> ignore)
                  "set_many", (fun () -> c |> Cache.setMany [ "a", 1 ] |> run |> ignore); "clear", (fun () -> c |> Cache.clear |> run) ]
            for name, op in ops do
                let e = throws<CacheBackendException> op
                Expect.stringContains e.Message "memcached server 127.0.0.1:" name)

        testCase "a server that accepts but never answers times out within the read timeout, then is skipped without waiting" (fun () ->
            let listener = new TcpListener(IPAddress.Loopback, 0)
            listener.Start()
            try
                let port = (listener.LocalEndpoint :?> IPEndPoint).Port
                let accepted = listener.AcceptSocketAsync()
                use cache = new MemcachedCache(quickOptions [ port ], Policy.defaults, CacheContext.Default)
                let watch = Diagnostics.Stopwatch.StartNew()
                Expect.equal (cache |> Cache.tryGet<string> "k" |> run) None "a miss"
                Expect.isTrue (watch.ElapsedMilliseconds >= 250L && watch.ElapsedMilliseconds < 2000L) $"after the 300 ms read timeout ({watch.ElapsedMilliseconds} ms)"
                watch.Restart()
                Expect.equal (cache |> Cache.tryGet<string> "k" |> run) None "a miss while dead"
                Expect.isLessThan watch.ElapsedMilliseconds 100L "no wait while the server is marked dead"
                accepted.Result.Dispose()
            finally
                listener.Stop()) ]

/// Polls `condition` every 20 ms until it holds; fails naming `what` if it does not within `seconds`.
let private waitUntil (seconds: float) (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds seconds
    while not (condition ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
    if not (condition ()) then failtestf "%s did not happen within %.0f s" what seconds

let private isDead (cache: MemcachedCache) = cache.Client.IsMarkedDead(cache.Options.Servers.Head)

/// A frozen server (SIGSTOP) is marked dead by the writes and reads that time out on it; while it is skipped,
/// writes return normally but reach nothing, so after the back-off it still holds what it held before. The back-off
/// is long enough (3 s) that the checks made during it cannot miss it on a loaded machine.
let private deadPeriods =
    testList "dead periods" [
        testCase "a write dropped while the server was marked dead leaves no older value readable after the back-off" (fun () ->
            let server = Memcached.start ()
            try
                use cache = new MemcachedCache((quickOptions [ server.Port ]).WithDeadServerBackOff(TimeSpan.FromSeconds 3.0), Policy.defaults, CacheContext.Default)
                let c = cache :> ICache
                c |> Cache.set "k" "old" |> run
                Memcached.pause server
                try
                    Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "a read of the frozen server times out: a miss"
                finally
                    Memcached.resume server
                Expect.isTrue (isDead cache) "the server is marked dead"
                c |> Cache.set "k" "new" |> run
                Expect.isTrue (isDead cache) "the write came during the back-off (it returned normally and reached nothing)"
                waitUntil 10.0 "the end of the back-off" (fun () -> not (isDead cache))
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "not 'old': the value the dropped write replaced is gone"
                c |> Cache.set "k" "newer" |> run
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "newer") "the revived server caches again"
            finally
                Memcached.stop server)

        testCase "a write that timed out (it may or may not have reached the server) leaves no older value readable either" (fun () ->
            let server = Memcached.start ()
            try
                use cache = new MemcachedCache((quickOptions [ server.Port ]).WithDeadServerBackOff(TimeSpan.FromSeconds 3.0), Policy.defaults, CacheContext.Default)
                let c = cache :> ICache
                c |> Cache.set "k" "old" |> run
                c |> Cache.set "other" "kept?" |> run
                Memcached.pause server
                try
                    c |> Cache.set "k" "new" |> run
                finally
                    Memcached.resume server
                Expect.isTrue (isDead cache) "the timed-out write marked the server dead"
                waitUntil 10.0 "the end of the back-off" (fun () -> not (isDead cache))
                Expect.notEqual (c |> Cache.tryGet<string> "k" |> run) (Some "old") "never the value the timed-out write replaced"
                Expect.equal (c |> Cache.tryGet<string> "other" |> run) None "the server was flushed before serving again"
            finally
                Memcached.stop server)

        testCase "a dead period in which only reads failed (mayWrite = false) loses no write, so the server is not flushed" (fun () ->
            let server = Memcached.start ()
            try
                let options = (quickOptions [ server.Port ]).WithDeadServerBackOff(TimeSpan.FromSeconds 3.0)
                use cache = new MemcachedCache(options, Policy.defaults, CacheContext.Default)
                cache |> Cache.set "k" "old" |> run
                use node = new MemcachedNode(options.Servers.Head, options)
                let read () =
                    node.RequestAsync<int, bool>(0, (fun w _ -> w.Bytes("mg :1:k v"B).EndLine() |> ignore),
                                                 (fun answer _ -> answer.Line.Reply = MemcachedReply.Value), CancellationToken.None, mayWrite = false).AsTask() |> run
                Memcached.pause server
                try
                    throws<CacheBackendException> (read >> ignore) |> ignore
                finally
                    Memcached.resume server
                Expect.isTrue node.IsDead "the read that timed out marked the server dead"
                throws<CacheBackendException> (read >> ignore) |> ignore
                waitUntil 10.0 "the end of the back-off" (fun () -> not node.IsDead)
                Expect.isTrue (read ()) "the entry is still there"
            finally
                Memcached.stop server)

        testCase "with flush_on_revival=false a revived server keeps its entries (the stale value is the documented risk)" (fun () ->
            let server = Memcached.start ()
            try
                use cache = Caches.FromUri($"memcached://{server.Location}/?read_timeout=0.3&dead_retry=0.5&flush_on_revival=false", CacheContext.Default, true) :?> MemcachedCache
                Expect.isFalse cache.Options.FlushOnRevival "the URI argument turned it off"
                let c = cache :> ICache
                c |> Cache.set "k" "old" |> run
                Memcached.pause server
                try
                    Expect.equal (c |> Cache.tryGet<string> "k" |> run) None "a miss while frozen"
                finally
                    Memcached.resume server
                waitUntil 10.0 "the end of the back-off" (fun () -> not (isDead cache))
                Expect.equal (c |> Cache.tryGet<string> "k" |> run) (Some "old") "kept, as it was before the dead period"
            finally
                Memcached.stop server)

        testCase "8 tasks writing and reading through a SIGSTOP/SIGCONT dead period (default options) never read a value older than their last write" (fun () ->
            let server = Memcached.start ()
            try
                use cache = new MemcachedCache(MemcachedOptions.For [ MemcachedServer.Tcp("127.0.0.1", server.Port) ], Policy.defaults, CacheContext.Default)
                let c = cache :> ICache
                use stop = new CancellationTokenSource()
                let stale = Collections.Concurrent.ConcurrentQueue<string>()
                let revived = ref false
                let hitsAfterRevival = ref 0
                // Each task owns its keys, so its own last write is the newest value each may hold.
                let worker (t: int) : Task =
                    task {
                        let keys = [| for j in 0..3 -> $"t{t}:k{j}" |]
                        let last = Array.zeroCreate<int64> keys.Length
                        let mutable n = 0L
                        while not stop.IsCancellationRequested do
                            // A caller of a real site yields between requests. Without this, a dead server answers
                            // at once and 8 loops hold the thread pool, starving the timers and socket completions
                            // the revival needs: the flush then times out on a loaded machine and the server is
                            // marked dead again, back-off after back-off.
                            do! Task.Yield()
                            n <- n + 1L
                            let j = int (n % int64 keys.Length)
                            do! c |> Cache.set keys[j] n
                            last[j] <- n
                            for i in 0 .. keys.Length - 1 do
                                let! got = c |> Cache.tryGet<int64> keys[i]
                                match got with
                                | Some v when v < last[i] -> stale.Enqueue $"{keys[i]} read {v} after writing {last[i]}"
                                | Some _ when revived.Value -> Interlocked.Increment(&hitsAfterRevival.contents) |> ignore
                                | _ -> ()
                    }
                let workers = [| for t in 0..7 -> Task.Run(fun () -> worker t) |]
                Thread.Sleep 500
                Memcached.pause server
                try
                    waitUntil 15.0 "marking the frozen server dead" (fun () -> isDead cache)
                finally
                    Memcached.resume server
                // Revived means a write gets through again (after the back-off and the revival flush); a moment of
                // "not marked dead" alone can be followed by a late failure of a request sent before the pause.
                let lastRefusal = ref "none"
                let probe () =
                    match c |> Cache.Checked.set "probe" 0L |> run with
                    | Ok () -> true
                    | Error e -> lastRefusal.Value <- $"{e}"; false
                let deadline = DateTime.UtcNow.AddSeconds 40.0
                while not (probe ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
                if not (probe ()) then
                    failtestf "no write reached the revived server within 40 s; still marked dead: %b; the last refusal: %s" (isDead cache) lastRefusal.Value
                revived.Value <- true
                Thread.Sleep 2000
                stop.Cancel()
                Task.WaitAll workers
                let seen = List.ofSeq stale
                Expect.equal seen.Length 0 $"no key read back a value older than the last write to it (first: {List.truncate 5 seen})"
                Expect.isGreaterThan hitsAfterRevival.Value 0 "the revived server serves hits again"
            finally
                Memcached.stop server) ]

let private cluster =
    testCase "cluster of 3: even spread; one killed mid-run costs only its keys and no exception; restarted it caches again; a 4th moves about a quarter" (fun () ->
        let servers = [| Memcached.start (); Memcached.start (); Memcached.start () |]
        let mutable fourth = None
        try
            let ports = servers |> Array.map _.Port |> List.ofArray
            use cache = new MemcachedCache(quickOptions ports, Policy.defaults, CacheContext.Default)
            let c = cache :> ICache
            let keys = [ for i in 0..2999 -> $"user:{i}" ]
            let owner = keys |> List.map (fun k -> k, (cache.ServerFor k).Port) |> Map.ofList
            // The servers' names include their free ports, which change every run, and with 160 points each a
            // server's share varies by several percent: 1,216 of 3,000 was seen. The exact split for fixed names is
            // pinned by the libmemcached cases above; this only checks that no server is starved or swamped.
            for n in keys |> List.countBy (fun k -> owner[k]) |> List.map snd do
                Expect.isTrue (abs (float n - 1000.0) <= 350.0) $"{n} of 3000 keys on one server (within 35 percent of even)"
            Expect.isEmpty (c |> Cache.setMany [ for k in keys -> k, k ] |> run) "all stored"

            // Traffic runs while the server dies; any exception reaching a caller fails the test.
            let victim = servers[1]
            use stopTraffic = new CancellationTokenSource()
            let traffic =
                Task.Run(fun () ->
                    task {
                        let mutable i = 0
                        while not stopTraffic.IsCancellationRequested do
                            let k = keys[i % keys.Length]
                            let! _ = c |> Cache.tryGet<string> k
                            do! c |> Cache.set k k
                            let! _ = c |> Cache.getMany<string> [ keys[(i + 1) % 3000]; keys[(i + 2) % 3000]; keys[(i + 3) % 3000] ]
                            i <- i + 1
                    } :> Task)
            Thread.Sleep 300
            Memcached.stop victim
            Thread.Sleep 700
            stopTraffic.Cancel()
            traffic.Wait()

            let hits = c |> Cache.getMany<string> keys |> run
            for k in keys do
                let expected = owner[k] <> victim.Port
                Expect.equal (hits.ContainsKey k) expected $"{k}: only keys on the killed server miss"
            Expect.equal (c |> Cache.tryGet<string> (keys |> List.find (fun k -> owner[k] = victim.Port)) |> run) None "a single get misses too"

            servers[1] <- Memcached.restart victim
            let onVictim = keys |> List.filter (fun k -> owner[k] = victim.Port)
            // Past the 500 ms back-off, once the new process answers: a loaded machine can make its first request time
            // out, which starts another back-off in which every write is skipped.
            waitUntil 10.0 "the restarted server serving" (fun () ->
                c |> Cache.set onVictim.Head "probe" |> run
                c |> Cache.tryGet<string> onVictim.Head |> run = Some "probe")
            for k in onVictim do c |> Cache.set k k |> run
            Expect.equal (c |> Cache.getMany<string> onVictim |> run).Count onVictim.Length "cached again after the restart"

            let added = Memcached.start ()
            fourth <- Some added
            use four = new MemcachedCache(quickOptions (ports @ [ added.Port ]), Policy.defaults, CacheContext.Default)
            let stillHit = (four |> Cache.getMany<string> keys |> run).Count
            let moved = float (keys.Length - stillHit) / float keys.Length
            Expect.isTrue (moved > 0.15 && moved < 0.35) $"{moved * 100.0:F1} percent of the keys moved to the 4th server"
            let movedKeys = keys |> List.filter (fun k -> (four.ServerFor k).Port = added.Port)
            Expect.equal (float movedKeys.Length / float keys.Length) moved "exactly the keys the 4th server now owns miss"
        finally
            servers |> Array.iter Memcached.stop
            fourth |> Option.iter Memcached.stop)

[<Tests>]
let tests =
    testSequenced
    <| testList "MemcachedTests" [ contractFor Subjects.memcached; realClock; memcachedColumn; sectionF; robustness; counters; keyHashing; ketama; faults; deadPeriods; cluster ]
