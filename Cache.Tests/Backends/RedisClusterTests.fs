/// The Redis backend on a real three-primary Redis Cluster (Integration.RedisCluster): the laws of FunctionalCache.Laws,
/// multi-key operations over keys that live on every node (each key's node found with CLUSTER KEYSLOT), a clear scoped
/// to the prefix on every primary, counters and touch on every node, and one primary killed mid-run: no exception
/// reaches the caller (unless throw_on_failure), only that node's keys fail, and its keys serve again once it is back.
module Backends.RedisClusterTests

open System
open System.Collections.Concurrent
open System.Diagnostics
open System.Threading
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Redis
open FunctionalCache.FSharp
open FunctionalCache.Laws
open Integration

/// The laws' own cluster: they empty it for every store, so the other tests, which run beside them, use another one.
let private lawsCluster = lazy (let c = RedisCluster.start () in AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> RedisCluster.stop c); c)

/// Empties every primary of the laws' cluster: FLUSHDB (Redis Cluster has only database 0) through one cache kept
/// connected for it, rather than a redis-cli process per node for each of the laws' stores.
let private flusher =
    lazy (new RedisCache((RedisOptions.Parse (lawsCluster.Force()).Seeds).WithCluster(true).WithFlushDatabaseOnClear(true), CachePolicy.Default, CacheContext.Default))

let private flushAll () = flusher.Force() |> Cache.Checked.clear |> run |> Result.defaultWith (fun e -> failwithf "emptying the laws' cluster failed: %A" e)

/// Redis Cluster as a subject of the laws: three primaries, emptied for every store.
let redisCluster =
    Subject.ofStore "redis-cluster" (fun () ->
        let cluster = lawsCluster.Force()
        flushAll ()
        let made = ResizeArray<RedisCache>()
        { Make =
            fun context policy ->
                let c = new RedisCache((RedisOptions.Parse cluster.Seeds).WithCluster true, policy, context)
                lock made (fun () -> made.Add c)
                c :> ICache
          Close = fun () -> (for c in made do c.Dispose()); flushAll () })
    |> Subject.mapCapabilities (fun c -> { c with Clock = OwnClock; Culls = false; Exclusive = true })

// Ten cases a property: the whole law set on a cluster then stays within a few tens of seconds on a shared machine.
let private laws = FunctionalCache.Laws.Expecto.LawTests.ofLawsWith 10 redisCluster (Laws.all redisCluster)

// ---------------------------------------------------------------- helpers

let private logged () =
    let log = RecordingLogger()
    log, CacheContext.Default.WithLogger(log)

/// Options on the shared cluster's seeds, declared a cluster, with short timeouts (a dead node's command costs about both).
let private clusterOptions () =
    (RedisOptions.Parse (RedisCluster.shared.Force()).Seeds)
        .WithCluster(true)
        .WithConnectTimeout(TimeSpan.FromSeconds 0.5)
        .WithSyncTimeout(TimeSpan.FromSeconds 1.0)

/// A cache on the shared cluster under `prefix`.
let private cacheWith (options: RedisOptions) (prefix: string) (context: CacheContext) =
    new RedisCache(options, CachePolicy.Default.WithKeyPrefix prefix, context)

let private newPrefix () = Guid.NewGuid().ToString("N")

/// `count` keys and the node each one lives on (its made key `prefix:1:key` through CLUSTER KEYSLOT), checked to
/// cover all three nodes.
let private spreadKeys (prefix: string) (count: int) =
    let cluster = RedisCluster.shared.Force()
    let keys = [ for i in 1..count -> $"k{i}" ]
    let owners = RedisCluster.ownersOf cluster [ for k in keys -> $"{prefix}:1:{k}" ]
    let ownerOf (key: string) = owners[$"{prefix}:1:{key}"]
    let ports = keys |> List.map (fun k -> (ownerOf k).Port) |> List.distinct
    Expect.equal ports.Length 3 $"the keys spread over the three nodes ({ports})"
    keys, ownerOf

let private waitUntil (seconds: float) (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds seconds
    while not (condition ()) && DateTime.UtcNow < deadline do Thread.Sleep 50
    if not (condition ()) then failtestf "%s did not happen within %.0f s" what seconds

let private isBackendFailure (result: Result<'T, CacheError>) =
    match result with
    | Error(BackendFailure _) -> true
    | _ -> false

// ---------------------------------------------------------------- a healthy cluster

let private clusterTests =
    testList "a healthy cluster" [
        testCase "cluster=true discovers the three primaries; one seed without the flag is detected as a cluster" <| fun () ->
            let cluster = RedisCluster.shared.Force()
            use declared = Caches.FromUri($"{cluster.Uri}&connect_timeout=0.5", CacheContext.Default) :?> RedisCache
            let stats = declared.StatsAsync() |> run
            Expect.isTrue stats.IsCluster "a cluster"
            Expect.equal (stats.Primaries |> Seq.map string |> Seq.sort |> List.ofSeq)
                (cluster.Nodes |> List.map (fun n -> n.Location) |> List.sort) "every primary, discovered"
            use detected = Caches.FromUri($"redis://{cluster.Nodes.Head.Location}/", CacheContext.Default) :?> RedisCache
            Expect.isFalse detected.Options.Cluster "not declared"
            Expect.isTrue (detected.StatsAsync() |> run).IsCluster "detected"
            // A key of every node through the single seed: the client follows the cluster's slot map.
            let prefix = newPrefix ()
            use onOneSeed = new RedisCache(detected.Options, CachePolicy.Default.WithKeyPrefix prefix, CacheContext.Default)
            let keys, _ = spreadKeys prefix 30
            Expect.isEmpty (onOneSeed |> Cache.setMany [ for k in keys -> k, k ] |> run) "set_many through one seed"
            Expect.equal (onOneSeed |> Cache.getMany<string> keys |> run) (Map.ofList [ for k in keys -> k, k ]) "get_many through one seed"

        testCase "get_many, set_many and delete_many over 300 keys on all three nodes, each key stored on its slot's node" <| fun () ->
            let prefix = newPrefix ()
            use c = cacheWith (clusterOptions ()) prefix CacheContext.Default
            let keys, ownerOf = spreadKeys prefix 300
            let items = [ for i, k in List.indexed keys -> k, i ]
            Expect.isEmpty (c |> Cache.setMany items |> run) "set_many: nothing refused"
            // redis-cli straight to the owning node (no -c: a key elsewhere would answer MOVED), a few keys of each node.
            for k in keys |> List.groupBy (fun k -> (ownerOf k).Port) |> List.collect (snd >> List.truncate 5) do
                Expect.equal (RedisCluster.cli (ownerOf k) [ "GET"; $"{prefix}:1:{k}" ]) (string (List.findIndex ((=) k) keys)) $"{k} on its node"
            let asked = keys @ [ "absent1"; "absent2" ]
            Expect.equal (c |> Cache.getMany<int> asked |> run) (Map.ofList items) "get_many: every hit, across every slot, and no miss"
            let deleted = keys |> List.filter (fun k -> int (k.Substring 1) % 2 = 0)
            c |> Cache.deleteMany deleted |> run
            let left = c |> Cache.getMany<int> keys |> run
            Expect.equal (left.Count, left |> Map.exists (fun k _ -> List.contains k deleted)) (150, false) "delete_many: half gone"

        testCase "clear removes this prefix's keys from every primary, and only them" <| fun () ->
            let mine, theirs = newPrefix (), newPrefix ()
            use c = cacheWith (clusterOptions ()) mine CacheContext.Default
            use other = cacheWith (clusterOptions ()) theirs CacheContext.Default
            let keys, ownerOf = spreadKeys mine 600
            c |> Cache.setMany [ for k in keys -> k, 1 ] |> run |> ignore
            other |> Cache.setMany [ for k in keys -> k, 2 ] |> run |> ignore
            Expect.equal (c.CountKeysAsync() |> run) 600L "600 keys under the prefix, on every primary"
            c |> Cache.clear |> run
            Expect.equal (c.CountKeysAsync() |> run) 0L "none left"
            for node in RedisCluster.shared.Force().Nodes do
                let onNode = keys |> List.filter (fun k -> (ownerOf k).Port = node.Port)
                Expect.isNonEmpty onNode $"node {node.Port} held keys of the prefix"
                let scan = RedisCluster.cli node [ "--scan"; "--pattern"; $"{mine}:*" ]
                Expect.equal scan "" $"node {node.Port} holds none of them"
            Expect.equal (other |> Cache.getMany<int> keys |> run).Count 600 "another prefix's keys stay"
            other |> Cache.clear |> run

        testCase "incr keeps the TTL, touch is PEXPIRE, add is SET NX, on a key of every node" <| fun () ->
            let prefix = newPrefix ()
            use c = cacheWith (clusterOptions ()) prefix CacheContext.Default
            let keys, ownerOf = spreadKeys prefix 30
            let onEach = keys |> List.groupBy (fun k -> (ownerOf k).Port) |> List.map (snd >> List.head)
            for k in onEach do
                let node = ownerOf k
                let ttl () = int64 (RedisCluster.cli node [ "PTTL"; $"{prefix}:1:{k}" ])
                c |> Cache.setFor (Expire.seconds 100.0) k 41 |> run
                Expect.equal (c |> Cache.incr k |> run) (Ok 42L) $"incr {k}"
                Expect.equal (RedisCluster.cli node [ "GET"; $"{prefix}:1:{k}" ]) "42" "ASCII on its node"
                Expect.isTrue (ttl () > 90_000L) $"the TTL kept ({ttl ()} ms)"
                Expect.isTrue (c |> Cache.touch (Expire.seconds 50.0) k |> run) "touch"
                Expect.isTrue (ttl () <= 50_000L && ttl () > 40_000L) $"PEXPIRE ({ttl ()} ms)"
                Expect.isFalse (c |> Cache.add k 0 |> run) "add on a live key"
                c |> Cache.delete k |> run |> ignore
                Expect.isTrue (c |> Cache.add k 7 |> run) "add on a missing key"
                Expect.equal (c |> Cache.tryGet<int> k |> run) (Some 7) "the added value"
    ]

// ---------------------------------------------------------------- one primary killed

/// Threads (not pool tasks: blocked pool threads would starve the client's completions) that set and get `keys`
/// round and round until stopped; each value is the key's index, so a hit can be checked. Every exception is kept.
type private Workers(cache: ICache, keys: string list, threads: int) =
    let keys = Array.ofList keys
    let stop = new ManualResetEventSlim(false)
    let errors = ConcurrentQueue<exn>()
    let wrongHits = ConcurrentQueue<string>()
    let mutable operations = 0L
    let work (offset: int) () =
        let mutable i = offset
        while not stop.IsSet do
            let index = i % keys.Length
            let key = keys[index]
            try
                if i % 3 = 0 then cache |> Cache.set key index |> run
                else
                    match cache |> Cache.tryGet<int> key |> run with
                    | Some value when value <> index -> wrongHits.Enqueue $"{key} = {value}"
                    | _ -> ()
            with e -> errors.Enqueue e
            Interlocked.Increment &operations |> ignore
            i <- i + 7
    let running = [ for t in 1..threads -> Thread(work (t * 13)) ]
    do for t in running do t.Start()
    member _.Operations = Interlocked.Read &operations
    member _.Errors = List.ofSeq errors
    member _.WrongHits = List.ofSeq wrongHits
    /// Stops the threads and waits for them.
    member _.Stop() =
        stop.Set()
        for t in running do t.Join()

let private faultTests =
    testList "one primary killed" [
        testCase "killed mid-run: nothing throws, only its keys miss and fail, throw_on_failure throws; restarted, its keys serve again" <| fun () ->
            let cluster = RedisCluster.shared.Force()
            let victim = cluster.Nodes[1]
            let prefix = newPrefix ()
            let log, context = logged ()
            use c = cacheWith (clusterOptions ()) prefix context
            use throwing = cacheWith ((clusterOptions ()).WithThrowOnFailure true) prefix CacheContext.Default
            let keys, ownerOf = spreadKeys prefix 300
            let onVictim k = (ownerOf k).Port = victim.Port
            let victimKeys, otherKeys = keys |> List.partition onVictim
            Expect.isEmpty (c |> Cache.setMany [ for i, k in List.indexed keys -> k, i ] |> run) "every key stored"
            Expect.equal (throwing |> Cache.tryGet<int> victimKeys.Head |> run) (Some (List.findIndex ((=) victimKeys.Head) keys)) "the throwing cache is connected"

            let workers = Workers(c, keys, 6)
            Thread.Sleep 500
            let before = workers.Operations
            RedisCluster.kill victim
            // Past the node timeout: the other nodes have marked it failed by the time the workers stop.
            Thread.Sleep(RedisCluster.nodeTimeoutMs * 2)
            workers.Stop()
            Expect.isGreaterThan before 0L "the workers ran before the kill"
            Expect.isGreaterThan workers.Operations before "and after it"
            Expect.isEmpty workers.Errors "no exception reached a caller"
            Expect.isEmpty workers.WrongHits "every hit was the key's own value"

            // Each key by its node: the victim's fail, the others serve. A command for the dead node waits for a connection
            // up to about connect_timeout + sync_timeout before it fails (see docs/redis.md), so a sample of its keys.
            let sampled = set (List.truncate 2 victimKeys)
            for i, k in List.indexed keys do
                if sampled.Contains k then
                    Expect.equal (c |> Cache.tryGet<int> k |> run) None $"{k} (on the dead node) misses"
                    Expect.isTrue (c |> Cache.Checked.get<int> k |> run |> isBackendFailure) $"{k}: the checked read reports the failure"
                    Expect.isTrue (c |> Cache.Checked.set k i |> run |> isBackendFailure) $"{k}: a write reports failure"
                    Expect.throwsT<CacheBackendException> (fun () -> throwing |> Cache.tryGet<int> k |> run |> ignore) $"{k}: throw_on_failure throws"
                elif not (onVictim k) then
                    Expect.equal (c |> Cache.tryGet<int> k |> run) (Some i) $"{k} (on a live node) hits"
                    Expect.equal (c |> Cache.Checked.set k i |> run) (Ok()) $"{k}: a write succeeds"
                    Expect.equal (throwing |> Cache.tryGet<int> k |> run) (Some i) $"{k}: the throwing cache serves it"
            Expect.isTrue (c |> Cache.incr victimKeys.Head |> run |> isBackendFailure) "incr on the dead node is a BackendFailure"
            // A get_many is one MGET per slot; one slot on the dead node fails the whole call (a logged miss for every key).
            Expect.throwsT<CacheBackendException> (fun () -> throwing |> Cache.getMany<int> keys |> run |> ignore) "a get_many over every node throws with throw_on_failure"
            Expect.equal (c |> Cache.getMany<int> otherKeys |> run).Count otherKeys.Length "a get_many of the live nodes' keys hits every one"
            Expect.exists log.Messages (fun m -> m.Contains "redis server") "failures logged, naming the servers"

            // Back on its port with its cluster config: it owns the same slots again, empty (nothing was persisted).
            let watch = Stopwatch.StartNew()
            RedisCluster.restart victim
            waitUntil 30.0 "the dead node's keys to take writes again"
                (fun () -> victimKeys |> List.forall (fun k -> c |> Cache.Checked.set k (List.findIndex ((=) k) keys) |> run = Ok()))
            eprintfn "redis cluster: a killed primary's keys took writes again %.1f s after its restart" watch.Elapsed.TotalSeconds
            Expect.equal (c |> Cache.getMany<int> keys |> run) (Map.ofList [ for i, k in List.indexed keys -> k, i ]) "every key serves again"
            Expect.equal (throwing |> Cache.tryGet<int> victimKeys.Head |> run) (Some (List.findIndex ((=) victimKeys.Head) keys)) "the throwing cache too"
            waitUntil 30.0 "the cluster to agree the node is back" (fun () -> List.forall RedisCluster.isOk cluster.Nodes)
    ]

[<Tests>]
let tests =
    testList "RedisClusterTests" [
        laws
        // One shared cluster: its tests run one at a time, the node-killing one last.
        testSequenced <| testList "backend" [ clusterTests; faultTests ] ]
