/// The tiered cache: an in-process L1 over a shared L2. The laws (Django's contract and the model machine) on
/// tiered(locmem, file), tiered(locmem, SQLite) and tiered(locmem, redis); L1 lifetimes never longer than the L2
/// entry's; writes the L2 refused never in L1; backplanes (in-process, Redis pub/sub, PostgreSQL LISTEN/NOTIFY)
/// across two processes; a killed backplane connection and a frozen L2 under load: no exception, failures counted.
module Backends.TieredTests

open System
open System.Collections.Concurrent
open System.Diagnostics
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging.Abstractions
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Redis
open FunctionalCache.Backends.Tiers
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractValues
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Laws
open Integration

// ---------------------------------------------------------------- subjects

/// A locmem L1 of its own (quiet: the L2 already warns about bad keys) in front of every cache of `inner`; the caches
/// of one store share an in-process backplane, so a write through one drops the others' copies, as on a site.
/// L2 culling is invisible to L1 until its copy lapses (documented), so the tiered subjects do not claim to cull.
let tieredOver (inner: Subject) : Subject =
    { inner with
        Name = $"tiered(locmem, {inner.Name})"
        Capabilities = { inner.Capabilities with SyncApi = false; Culls = false }
        Open =
            fun () ->
                let store = inner.Open()
                let backplane = InProcessBackplane()
                let made = ResizeArray<TieredCache>()
                { Make =
                    fun context policy ->
                        // L1 keeps the L2's time: a server with its own clock (Redis) is on the real one.
                        let l1Context = if inner.Capabilities.Clock = OwnClock then context.WithTime TimeProvider.System else context
                        let l1 = LocMemCache(policy.WithMaxEntries 100_000, l1Context.WithLogger NullLogger.Instance)
                        let tier = new TieredCache(l1, store.Make context policy, TierOptions.Default.WithBackplane backplane, context.Logger)
                        lock made (fun () -> made.Add tier)
                        tier :> ICache
                  Close = fun () -> (for t in made do t.Dispose()); store.Close() } }

let tieredFile = tieredOver Subjects.file
let tieredSqlite = tieredOver Subjects.sqlite
/// Redis on a database of its own (2): RedisTests' laws flush database 1 in a sequenced group of another name, and
/// two subjects flushing one database under each other's feet fail each other's laws.
let private redisOwnDatabase =
    let database = 2
    let flush () = Redis.cli (Redis.shared.Force()) [ "-n"; string database; "FLUSHDB" ] |> ignore
    Subject.ofStore "redis" (fun () ->
        let server = Redis.shared.Force()
        flush ()
        let made = ResizeArray<RedisCache>()
        { Make =
            fun context policy ->
                let c = new RedisCache((RedisOptions.Parse server.Location).WithDatabase database, policy, context)
                lock made (fun () -> made.Add c)
                c :> ICache
          Close = fun () -> (for c in made do c.Dispose()); flush () })
    |> Subject.withCapabilities RedisTests.redis.Capabilities

let tieredRedis = tieredOver redisOwnDatabase

let private laws =
    testList "laws" [
        for subject in [ tieredFile; tieredSqlite; tieredRedis ] ->
            FunctionalCache.Laws.Expecto.LawTests.ofLawsWith 25 subject (Laws.all subject) ]

// ---------------------------------------------------------------- helpers

let private seconds (s: float) = TimeSpan.FromSeconds s

let private waitUntil (limit: float) (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds limit
    while not (condition ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
    if not (condition ()) then failtestf "%s did not happen within %.0f s" what limit

/// A fake clock, and a quiet locmem cache on it.
let private clocked () =
    let clock = FakeTimeProvider(DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    let context = CacheContext.Default.WithTime(clock).WithLogger(NullLogger.Instance)
    clock, context, (fun () -> LocMemCache(CachePolicy.Default.WithMaxEntries 10_000, context) :> ICache)

let private l1Has (tier: TieredCache) (key: string) = tier.L1.HasKeyAsync(key) |> run

let private failuresOf (tier: TieredCache) =
    let count = ref 0
    tier.add_FailureAnswered(fun _ -> Interlocked.Increment &count.contents |> ignore)
    count

// ---------------------------------------------------------------- lifetimes and refused writes

let private lifetimeTests =
    testList "L1 lifetimes" [
        testCase "a copy filled from L2 lives no longer than the L2 entry has left" <| fun () ->
            let clock, _, locmem = clocked ()
            let l2 = locmem ()
            use tier = locmem () |> fun l1 -> l1.Tiered(l2)
            l2 |> Cache.setFor (Expire.after (seconds 10.)) "k" "v" |> run
            clock.Advance(seconds 4.)
            Expect.equal (tier |> Cache.tryGet<string> "k" |> run) (Some "v") "read through L2"
            Expect.isTrue (l1Has tier "k") "copied into L1"
            // The copy's lifetime is the L2 entry's, less the time the read took (real microseconds here).
            clock.Advance(seconds 5.)
            Expect.isTrue (l1Has tier "k") "still there a second before the L2 entry lapses"
            clock.Advance(seconds 1.)
            Expect.isFalse (l1Has tier "k") "gone with the L2 entry"

        testCase "a copy from an L2 that cannot tell lifetimes lives UnknownLifetimeL1Timeout" <| fun () ->
            let clock, _, locmem = clocked ()
            let inner = locmem ()
            // An instrumented cache does not pass on the entry lifetime capability: the tier cannot know.
            let l2 = InstrumentedCache(inner, "l2") :> ICache
            use tier = (locmem ()).Tiered(l2, TierOptions.Default.WithUnknownLifetimeL1Timeout(seconds 2.))
            inner |> Cache.setFor (Expire.after (TimeSpan.FromHours 1.)) "k" "v" |> run
            Expect.equal (tier |> Cache.tryGet<string> "k" |> run) (Some "v") "read through L2"
            Expect.isTrue (l1Has tier "k") "copied"
            clock.Advance(seconds 2.)
            Expect.isFalse (l1Has tier "k") "lapsed after the fallback timeout"

        testCase "a write's copy lives the write's timeout, capped by L1MaxDuration" <| fun () ->
            let clock, _, locmem = clocked ()
            use tier = (locmem ()).Tiered(locmem (), TierOptions.Default.WithL1MaxDuration(seconds 60.))
            // Each copy lives its lifetime less the write's own duration (real microseconds), so check past each bound.
            tier |> Cache.setFor (Expire.after (seconds 30.)) "short" 1 |> run
            tier |> Cache.setFor Expire.never "long" 2 |> run
            clock.Advance(seconds 30.)
            Expect.isFalse (l1Has tier "short") "the write's timeout"
            Expect.isTrue (l1Has tier "long") "capped, not yet"
            clock.Advance(seconds 30.)
            Expect.isFalse (l1Has tier "long") "capped at 60 s"
            Expect.equal (tier |> Cache.tryGet<int> "long" |> run) (Some 2) "read again from L2"

        testCase "a write L2 refused is not in L1: logged, counted, Left from Try…, thrown by a strict tier" <| fun () ->
            let dead = freePort ()
            use l2 = Caches.FromUri($"redis://127.0.0.1:{dead}/?connect_timeout=0.2&sync_timeout=0.2", CacheContext.Default.WithLogger NullLogger.Instance) :?> RedisCache
            use tier = (LocMemCache() :> ICache).Tiered(l2)
            let failures = failuresOf tier
            tier |> Cache.set "k" "v" |> run
            Expect.isFalse (l1Has tier "k") "the refused write is not in L1"
            Expect.isGreaterThan failures.Value 0 "counted"
            Expect.isTrue (tier.TrySetAsync("k", "v") |> run).IsLeft "Try… answers Left"
            Expect.isFalse (l1Has tier "k") "still not in L1"
            use strict = (LocMemCache() :> ICache).Tiered(l2, TierOptions.Default.WithFailuresAreMisses false)
            Expect.throwsT<CacheBackendException> (fun () -> strict |> Cache.set "k" "v" |> run) "a strict tier throws"
            Expect.isFalse (l1Has strict "k") "and keeps nothing in L1"
    ]

// ---------------------------------------------------------------- in-process backplane

/// L1 hits of a string on `tier` whose L1 hands out the instance it holds: the same completed task each time, no byte
/// allocated by 1,000 hits, a new value answered after a write (not the remembered task), and the earlier answer
/// still holding what it answered.
let private expectRememberedStringHits (tier: TieredCache) =
    tier |> Cache.set "k" "v1" |> run
    let first = tier.GetAsync<string>("k")
    Expect.isTrue (obj.ReferenceEquals(first, tier.GetAsync<string>("k"))) "the same task"
    for _ in 1 .. 100 do tier.GetAsync<string>("k") |> ignore
    let before = GC.GetAllocatedBytesForCurrentThread()
    for _ in 1 .. 1000 do tier.GetAsync<string>("k") |> ignore
    Expect.equal (GC.GetAllocatedBytesForCurrentThread() - before) 0L "no byte allocated by 1,000 hits"
    tier |> Cache.set "k" "v2" |> run
    Expect.equal (tier |> Cache.tryGet<string> "k" |> run) (Some "v2") "a new value is answered, not the remembered task"
    Expect.equal (first.Result.IfNoneUnsafe "") "v1" "the earlier answer still holds what it answered"

let private inProcessTests =
    testList "in-process backplane" [
        testCase "another node's write drops this node's copy; a node's own message does not" <| fun () ->
            let _, _, locmem = clocked ()
            let l2 = locmem ()
            let backplane = InProcessBackplane()
            let options = TierOptions.Default.WithBackplane backplane
            use a = (locmem ()).Tiered(l2, options)
            use b = (locmem ()).Tiered(l2, options)
            a |> Cache.set "k" "v1" |> run
            Expect.equal (b |> Cache.tryGet<string> "k" |> run) (Some "v1") "b copies v1"
            a |> Cache.set "k" "v2" |> run
            Expect.isFalse (l1Has b "k") "b's copy dropped"
            Expect.isTrue (l1Has a "k") "a keeps its own write"
            Expect.equal (b |> Cache.tryGet<string> "k" |> run) (Some "v2") "b reads v2"
            a |> Cache.delete "k" |> run |> ignore
            Expect.equal (b |> Cache.tryGet<string> "k" |> run) None "b sees the delete"
            b |> Cache.set "j" 1 |> run
            Expect.equal (a |> Cache.tryGet<int> "j" |> run) (Some 1) "a copies j"
            b |> Cache.clear |> run
            Expect.isFalse (l1Has a "j") "a's L1 emptied by b's clear"

        testCase "while the backplane is down new copies live BackplaneDownL1Timeout; when it is back L1 is emptied" <| fun () ->
            let clock, _, locmem = clocked ()
            let backplane = InProcessBackplane()
            use tier = (locmem ()).Tiered(locmem (), TierOptions.Default.WithBackplane(backplane).WithBackplaneDownL1Timeout(seconds 3.))
            backplane.SetConnected false
            Expect.isTrue tier.BackplaneDown "down"
            tier |> Cache.set "k" "v" |> run
            Expect.isTrue (l1Has tier "k") "copied"
            clock.Advance(seconds 3.)
            Expect.isFalse (l1Has tier "k") "lapsed after the short timeout"
            Expect.equal (tier |> Cache.tryGet<string> "k" |> run) (Some "v") "L2 still has it; no exception while down"
            backplane.SetConnected true
            Expect.isFalse tier.BackplaneDown "up"
            Expect.isFalse (l1Has tier "k") "L1 emptied on reconnect: messages were missed"
            tier |> Cache.set "k" "w" |> run
            clock.Advance(seconds 3.)
            Expect.isTrue (l1Has tier "k") "the normal lifetime resumed"

        testCase "get-or-set runs one factory for 40 concurrent callers over two tiers on one L2" <| fun () ->
            let l2 = LocMemCache() :> ICache
            use a = (LocMemCache() :> ICache).Tiered(l2)
            use b = (LocMemCache() :> ICache).Tiered(l2)
            let runs = ref 0
            let factory = Func<CancellationToken, Task<int>>(fun _ -> task {
                Interlocked.Increment &runs.contents |> ignore
                do! Task.Delay 100
                return 42 })
            let calls = [| for i in 1 .. 40 -> Task.Run<int>(Func<Task<int>>(fun () -> (if i % 2 = 0 then a else b).GetOrSetAsync("k", factory))) |]
            let results = Task.WhenAll(calls) |> run
            Expect.equal runs.Value 1 "one factory run"
            Expect.allEqual results 42 "every caller got its value"

        testCase "another node's tag eviction drops only the tag's stamp: untagged copies stay, tagged ones read as misses" <| fun () ->
            let _, _, locmem = clocked ()
            let l2 = locmem ()
            let backplane = InProcessBackplane()
            use tier = (locmem ()).Tiered(l2, TierOptions.Default.WithBackplane backplane)
            let tagged = tier |> Cache.tagged
            tagged |> Cache.setTagged [ "articles" ] "a" "A" |> run
            tier |> Cache.set "u" "U" |> run
            Expect.isTrue (l1Has tier "a" && l1Has tier "u") "both copied"
            // Another node's eviction: the stamp renewed in L2, then the message it publishes.
            (l2 |> Cache.tagged) |> Cache.removeByTag "articles" |> run
            backplane.PublishAsync(BackplaneMessage.TagEvicted("another-node", "articles")) |> runUnit
            Expect.isTrue (l1Has tier "u") "the untagged copy stays"
            Expect.equal (tier |> Cache.tryGet<string> "u" |> run) (Some "U") "and answers"
            Expect.equal (tagged |> Cache.tryGet<string> "a" |> run) None "the tagged copy reads as a miss"

        testCase "an L1 hit on a reference locmem answers with the same completed task and allocates nothing" <| fun () ->
            let l1 = LocMemCache(CachePolicy.Default, CacheContext.Default, LocMemStore.Reference)
            use tier = (l1 :> ICache).Tiered(LocMemCache() :> ICache)
            expectRememberedStringHits tier

        testCase "an L1 hit on the default copying locmem answers a held string with the same completed task and allocates nothing; a record stays a copy of its own" <| fun () ->
            use tier = (LocMemCache() :> ICache).Tiered(LocMemCache() :> ICache)
            expectRememberedStringHits tier
            let person = { Name = "Ada"; Age = 36; Tags = [ "a" ] }
            tier |> Cache.set "p" person |> run
            let one, two = tier.GetAsync<Person>("p"), tier.GetAsync<Person>("p")
            let valueOf (answer: Task<LanguageExt.OptionUnsafe<Person>>) = answer.Result.IfNoneUnsafe(Unchecked.defaultof<Person>)
            Expect.isFalse (obj.ReferenceEquals(one, two)) "a copied value gets a task of its own"
            Expect.isFalse (obj.ReferenceEquals(valueOf one, valueOf two)) "and a copy of its own"
            Expect.equal (valueOf two) person "equal to what was set"

        testCase "an L1 hit on a copying locmem with a custom serializer copies every value: no remembered answer" <| fun () ->
            let custom = LocMemHeldValuesTests.Copying(JsonCacheSerializer.Instance)
            let l1 = LocMemCache(CachePolicy.Default, CacheContext.Default.WithSerializer custom, LocMemStore.Copy)
            use tier = (l1 :> ICache).Tiered(LocMemCache() :> ICache)
            tier |> Cache.set "k" "v1" |> run
            let one, two = tier.GetAsync<string>("k"), tier.GetAsync<string>("k")
            Expect.isFalse (obj.ReferenceEquals(one, two)) "a task per hit"
            Expect.isFalse (obj.ReferenceEquals(one.Result.IfNoneUnsafe "", two.Result.IfNoneUnsafe "")) "a string per hit: the serializer's copy"

        testProperty "a backplane message reads back as itself, whatever the key" <| fun (kind: int) (key: string) (version: int) ->
            let key = if isNull key then "" else key
            let message = BackplaneMessage(enum<BackplaneMessageKind> (abs (kind % 3)), "node1", key, version)
            BackplaneMessage.Parse(message.Format()) = LanguageExt.Prelude.Some message

        testCase "a stranger's text on the channel is no message" <| fun () ->
            for text in [ ""; "hello"; "9|n|1|k"; "0||1|k"; "0|n|x|k"; "0|n|1" ] do
                Expect.isTrue (BackplaneMessage.Parse text).IsNone text
    ]

// ---------------------------------------------------------------- two processes

/// One node: a tier over `kind` (redis or postgres) with its backplane, L1 copies living 10 minutes, so that only the
/// backplane can make another node's change visible here within the test's deadline.
let private node (kind: string) (location: string) (name: string) =
    let context = CacheContext.Default.WithLogger NullLogger.Instance
    let l2, backplane, close =
        match kind with
        | "redis" ->
            let redis = new RedisCache(RedisOptions.Parse location, CachePolicy.Default.WithKeyPrefix name, context)
            let backplane = new RedisBackplane(redis)
            redis :> ICache, backplane :> IBackplane, (fun () -> backplane.Dispose(); redis.Dispose())
        | _ ->
            let db = new DatabaseCache(name, DatabaseLocation.Postgres location, CachePolicy.Default, context)
            let backplane = PostgresBackplane.For db
            db :> ICache, backplane :> IBackplane, (fun () -> backplane.Dispose(); db.Dispose())
    let options = TierOptions.Default.WithBackplane(backplane).WithL1MaxDuration(TimeSpan.FromMinutes 10.)
    let tier = (LocMemCache(CachePolicy.Default.WithMaxEntries 10_000, context) :> ICache).Tiered(l2, options)
    tier, backplane, (fun () -> tier.Dispose(); close ())

/// The child role: a node that answers `get KEY`, `l1 KEY`, `set KEY VALUE`, `delete KEY`, `clear`, and through its
/// tagged face `tset KEY TAG VALUE`, `tget KEY`, `evict TAG`, one line each.
let tierNode (args: string list) : int =
    match args with
    | [ kind; location; name ] ->
        let tier, backplane, close = node kind location name
        let tagged = tier |> Cache.tagged
        try
            let deadline = DateTime.UtcNow.AddSeconds 20.
            while not backplane.IsConnected && DateTime.UtcNow < deadline do Thread.Sleep 20
            printfn "%s" (if backplane.IsConnected then "ready" else "backplane never connected")
            let mutable line = Console.ReadLine()
            while not (isNull line) && line <> "quit" do
                let answer =
                    match line.Split(' ', 4) |> List.ofArray with
                    | [ "get"; k ] -> tier |> Cache.tryGet<string> k |> run |> Option.defaultValue "miss"
                    | [ "l1"; k ] -> tier.L1 |> Cache.tryGet<string> k |> run |> Option.defaultValue "miss"
                    | [ "set"; k; v ] -> tier |> Cache.set k v |> run; "ok"
                    | [ "delete"; k ] -> tier |> Cache.delete k |> run |> ignore; "ok"
                    | [ "clear" ] -> tier |> Cache.clear |> run; "ok"
                    | [ "tset"; k; tag; v ] -> tagged |> Cache.setTagged [ tag ] k v |> run; "ok"
                    | [ "tget"; k ] -> tagged |> Cache.tryGet<string> k |> run |> Option.defaultValue "miss"
                    | [ "evict"; tag ] -> tagged |> Cache.removeByTag tag |> run; "ok"
                    | _ -> "unknown command"
                printfn "%s" answer
                line <- Console.ReadLine()
            0
        finally close ()
    | _ ->
        eprintfn "usage: tier-node redis|postgres LOCATION PREFIX-OR-TABLE"
        2

let private ask (child: Process) (command: string) =
    child.StandardInput.WriteLine command
    child.StandardInput.Flush()
    match child.StandardOutput.ReadLine() with
    | null -> failtestf "the child node exited: %s" (child.StandardError.ReadToEnd())
    | answer -> answer.Trim()

/// The coherence bound the docs state: another node's change is visible within this, in practice milliseconds.
let private coherenceBound = 5.0

let private coherence (kind: string) (location: string) (name: string) =
    let here, _, close = node kind location name
    let child = Child.startInteractive "tier-node" [ kind; location; name ]
    try
        Expect.equal (child.StandardOutput.ReadLine().Trim()) "ready" "the child node is listening"
        waitUntil 20.0 "this node's backplane to connect" (fun () -> not here.BackplaneDown)
        here |> Cache.set "k" "v1" |> run
        // The copy stands once this node's own notification of v1 has reached the child (an earlier copy is dropped
        // by it, as a fill overtaken by a change must be), so poll until it holds.
        waitUntil coherenceBound "the child to read v1 and keep it in its L1" (fun () -> ask child "get k" = "v1" && ask child "l1 k" = "v1")
        here |> Cache.set "k" "v2" |> run
        waitUntil coherenceBound "the child to see v2" (fun () -> ask child "get k" = "v2")
        here |> Cache.delete "k" |> run |> ignore
        waitUntil coherenceBound "the child to see the delete" (fun () -> ask child "get k" = "miss")
        here |> Cache.set "k" "v3" |> run
        waitUntil coherenceBound "the child to see v3" (fun () -> ask child "get k" = "v3")
        here |> Cache.clear |> run
        waitUntil coherenceBound "the child to see the clear" (fun () -> ask child "l1 k" = "miss")
        Expect.equal (ask child "set j w1") "ok" "the child writes"
        Expect.equal (here |> Cache.tryGet<string> "j" |> run) (Some "w1") "this node copies w1"
        Expect.equal (ask child "set j w2") "ok" "the child writes again"
        waitUntil coherenceBound "this node to see w2" (fun () -> here |> Cache.tryGet<string> "j" |> run = Some "w2")
        child.StandardInput.WriteLine "quit"
        child.StandardInput.Flush()
    finally
        if not (child.WaitForExit 10_000) then child.Kill true
        close ()

/// A tag eviction in the child reaches this node through the backplane: this node's own copy of the tag's stamp is
/// dropped, so its tagged copies (its own and the child's) read as misses, and its untagged copy stays in its L1.
let private tagCoherence (kind: string) (location: string) (name: string) =
    let here, _, close = node kind location name
    let tagged = here |> Cache.tagged
    let child = Child.startInteractive "tier-node" [ kind; location; name ]
    try
        Expect.equal (child.StandardOutput.ReadLine().Trim()) "ready" "the child node is listening"
        waitUntil 20.0 "this node's backplane to connect" (fun () -> not here.BackplaneDown)
        // Written here first, so the stamp is created here and copied into this node's L1: without the backplane this
        // node would keep the old stamp for the L1's 10 minutes and its tagged copies would go on reading as hits.
        tagged |> Cache.setTagged [ "articles" ] "h" "H" |> run
        Expect.isTrue (l1Has here "fc:tag:articles") "this node holds the stamp in its L1"
        here |> Cache.set "m" "M1" |> run
        Expect.equal (ask child "tset a articles A") "ok" "the child writes a tagged entry"
        Expect.equal (ask child "set u U") "ok" "and an untagged one"
        Expect.equal (ask child "set m M2") "ok" "and a marker, last"
        // One publisher's messages arrive in order: once the marker's has dropped this node's copy of m, the messages
        // of the child's earlier writes have arrived too, and none can drop the copies read below.
        waitUntil coherenceBound "the child's messages to arrive" (fun () -> not (l1Has here "m"))
        waitUntil coherenceBound "this node to copy both into its L1" (fun () ->
            tagged |> Cache.tryGet<string> "a" |> run = Some "A" && here |> Cache.tryGet<string> "u" |> run = Some "U"
            && l1Has here "a" && l1Has here "u")
        Expect.equal (ask child "evict articles") "ok" "the child evicts the tag"
        waitUntil coherenceBound "this node to see the eviction" (fun () -> not (l1Has here "fc:tag:articles"))
        Expect.equal (tagged |> Cache.tryGet<string> "a" |> run) None "the child's tagged entry reads as a miss here"
        Expect.equal (tagged |> Cache.tryGet<string> "h" |> run) None "so does this node's own"
        Expect.isTrue (l1Has here "u") "the untagged copy stayed in this node's L1"
        Expect.equal (here |> Cache.tryGet<string> "u" |> run) (Some "U") "and answers"
        Expect.equal (ask child "tget a") "miss" "the child reads the eviction too"
        child.StandardInput.WriteLine "quit"
        child.StandardInput.Flush()
    finally
        if not (child.WaitForExit 10_000) then child.Kill true
        close ()

let private redisName () = "tiers" + Guid.NewGuid().ToString("N").Substring(0, 8)

let private pgTable () =
    let table = "tiers_" + Guid.NewGuid().ToString("N").Substring(0, 8)
    Subjects.createTable (DatabaseLocation.Postgres Postgres.shared.Value.ConnectionString) table
    table

/// Records a backplane's connection changes.
let private changesOf (backplane: IBackplane) =
    let changes = ConcurrentQueue<bool>()
    backplane.Subscribe(Action<BackplaneMessage> ignore, Action<bool> changes.Enqueue) |> ignore
    changes

/// Kills the backplane's connection with `kill`; the tier notices, stays usable, empties L1 when it is back.
let private killedConnection (kind: string) (location: string) (name: string) (kill: unit -> unit) =
    let tier, backplane, close = node kind location name
    try
        waitUntil 20.0 "the backplane to connect" (fun () -> backplane.IsConnected)
        let changes = changesOf backplane
        tier |> Cache.set "k" "v" |> run
        Expect.isTrue (l1Has tier "k") "copied before the kill"
        kill ()
        waitUntil 15.0 "the tier to notice the lost connection" (fun () -> Seq.contains false changes)
        // Whatever the state, no call throws.
        for i in 1 .. 20 do
            tier |> Cache.set $"x{i}" i |> run
            tier |> Cache.tryGet<int> $"x{i}" |> run |> ignore
        waitUntil 45.0 "the backplane to come back" (fun () -> backplane.IsConnected && not tier.BackplaneDown)
        Expect.equal (List.ofSeq changes |> List.filter id |> List.length |> min 1) 1 "the return was announced"
        Expect.isFalse (l1Has tier "k") "L1 was emptied on reconnect: messages may have been missed"
        Expect.equal (tier |> Cache.tryGet<string> "k" |> run) (Some "v") "read again from L2"
    finally close ()

let private twoProcessTests =
    testList "two processes" [
        testCase "redis: a set, delete and clear in one process reach the other's L1 through pub/sub" <| fun () ->
            coherence "redis" (Redis.shared.Force().Location) (redisName ())

        testCase "postgres: a set, delete and clear in one process reach the other's L1 through LISTEN/NOTIFY" <| fun () ->
            coherence "postgres" Postgres.shared.Value.ConnectionString (pgTable ())

        testCase "redis: a tag eviction in one process drops the other's tagged copies and keeps its untagged ones" <| fun () ->
            tagCoherence "redis" (Redis.shared.Force().Location) (redisName ())

        testCase "postgres: a tag eviction in one process drops the other's tagged copies and keeps its untagged ones" <| fun () ->
            tagCoherence "postgres" Postgres.shared.Value.ConnectionString (pgTable ())

        testCase "redis: CLIENT KILL of the subscription: no exception, L1 emptied when it is back" <| fun () ->
            let server = Redis.shared.Force()
            killedConnection "redis" server.Location (redisName ()) (fun () -> Redis.cli server [ "CLIENT"; "KILL"; "TYPE"; "pubsub" ] |> ignore)

        testCase "postgres: pg_terminate_backend of the listener: no exception, L1 emptied when it is back" <| fun () ->
            let cs = Postgres.shared.Value.ConnectionString
            killedConnection "postgres" cs (pgTable ()) (fun () ->
                use connection = new Npgsql.NpgsqlConnection(cs)
                connection.Open()
                use command = new Npgsql.NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresBackplane.ApplicationName}'", connection)
                command.ExecuteScalar() |> ignore)
    ]

// ---------------------------------------------------------------- a frozen L2 under load

let private frozenL2Tests =
    testList "a frozen L2" [
        testCase "SIGSTOP redis under load: answers come from L1 or miss, nothing throws, failures counted" <| fun () ->
            let server = Redis.start ()
            try
                use l2 = Caches.FromUri($"{server.Uri}?connect_timeout=0.3&sync_timeout=0.3", CacheContext.Default.WithLogger NullLogger.Instance) :?> RedisCache
                use tier = (LocMemCache(CachePolicy.Default.WithMaxEntries 10_000, CacheContext.Default) :> ICache).Tiered(l2)
                let failures = failuresOf tier
                for i in 1 .. 20 do tier |> Cache.set $"warm{i}" i |> run
                Redis.pause server
                let thrown = ref 0
                let wrong = ref 0
                let stop = DateTime.UtcNow.AddSeconds 2.
                let worker (n: int) = Task.Run(fun () ->
                    let mutable i = 0
                    while DateTime.UtcNow < stop do
                        i <- i + 1
                        try
                            match tier |> Cache.tryGet<int> $"warm{1 + i % 20}" |> run with
                            | Some v when v = 1 + i % 20 -> ()
                            | _ -> Interlocked.Increment &wrong.contents |> ignore
                            tier |> Cache.tryGet<int> $"cold{n}-{i}" |> run |> ignore
                            tier |> Cache.set $"new{n}-{i}" i |> run
                        with _ -> Interlocked.Increment &thrown.contents |> ignore)
                Task.WaitAll([| for n in 1 .. 4 -> worker n |])
                Redis.resume server
                Expect.equal thrown.Value 0 "nothing threw"
                Expect.equal wrong.Value 0 "every warm key answered from L1 with its value"
                Expect.isGreaterThan failures.Value 0 "the L2's failures were counted"
            finally
                (try Redis.resume server with _ -> ())
                Redis.stop server
    ]


// ---------------------------------------------------------------- configuration

let private fromJson (json: string) : IConfiguration =
    ConfigurationBuilder().AddJsonStream(new IO.MemoryStream(Text.Encoding.UTF8.GetBytes json)).Build() :> IConfiguration

let private configured (json: string) =
    ServiceCollection().AddFunctionalCache((fromJson json).GetSection "Caches")

let private configurationTests =
    testList "configuration" [
        testCase "tiers and a redis backplane build a tier with a locmem L1 over the configured redis" <| fun () ->
            let server = Redis.shared.Force()
            let json = $"""{{ "Caches": {{ "default": {{ "backend": "redis", "location": "{server.Location}", "key_prefix": "{redisName ()}",
                "tiers": {{ "l1": "locmem:///?max_entries=1000", "l1_max_duration": 60, "backplane_down_timeout": 2 }}, "backplane": "redis" }} }} }}"""
            use services = (configured json).BuildServiceProvider()
            let provider = services.GetRequiredService<ICacheProvider>()
            match provider.Default with
            | :? InstrumentedCache as i ->
                match i.Inner with
                | :? TieredCache as tier ->
                    Expect.isTrue (tier.L1 :? LocMemCache) "a locmem L1"
                    Expect.isTrue (tier.L2 :? RedisCache) "the configured L2"
                    Expect.equal tier.Options.L1MaxDuration (seconds 60.) "l1_max_duration"
                    Expect.equal tier.Options.BackplaneDownL1Timeout (seconds 2.) "backplane_down_timeout"
                    Expect.isTrue tier.Options.Backplane.IsSome "a backplane"
                    waitUntil 20.0 "the backplane to connect" (fun () -> not tier.BackplaneDown)
                    provider.Default |> Cache.set "k" "v" |> run
                    Expect.equal (provider.Default |> Cache.tryGet<string> "k" |> run) (Some "v") "works"
                | other -> failtestf "not a tier: %s" (other.GetType().Name)
            | other -> failtestf "not instrumented: %s" (other.GetType().Name)

        testCase "every problem of a tiers section is reported, one line each" <| fun () ->
            let json = """{ "Caches": {
                "default": { "backend": "file", "location": "/tmp/x", "tiers": { "l1": "file:///tmp/y", "l1_max_duration": "-1", "speed": 3 }, "backplane": "redis" },
                "b": { "backend": "locmem", "backplane": "postgres" },
                "c": { "backend": "db", "location": "t", "tiers": true, "backplane": "carrier-pigeon" } } }"""
            let e = BaseCacheTests.throws<ArgumentException> (fun () -> configured json |> ignore)
            Expect.equal e.Message
                ("Invalid cache configuration 'Caches':\n"
                 + "- 'b': 'backplane' needs 'tiers' (the in-process level a backplane keeps coherent).\n"
                 + "- 'c': backplane 'carrier-pigeon' is not one of none, redis, postgres.\n"
                 + "- 'default': unknown tiers setting 'speed'; the tiers settings are l1, l1_max_duration, unknown_lifetime_timeout, backplane_down_timeout.\n"
                 + "- 'default': tiers l1 'file:///tmp/y' must be a locmem:// URI (the level in this process).\n"
                 + "- 'default': backplane 'redis' needs backend redis or rediss, not 'file'.\n"
                 + "- 'default': tiers l1_max_duration '-1' is not a positive number of seconds.")
                "the whole message"
    ]

[<Tests>]
let tests =
    testList "TieredTests" [
        laws
        lifetimeTests
        inProcessTests
        testSequenced <| testList "servers" [ configurationTests; twoProcessTests; frozenL2Tests ] ]
