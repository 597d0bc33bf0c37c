/// The typed sync view (`ISyncCache<T>`, `Cache.typed`, `TypedCache`) and the sync get-or-set (`ISyncCache.GetOrSet`,
/// `Cache.getOrSetSync`) on locmem: single flight across threads and across the sync and async twins, a factory's
/// exception reaching every waiter, Django's get_or_set cases, and the view agreeing with the untyped calls.
module Backends.TypedSyncTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.ContractFixture

let private locMemIn (context: CacheContext) (store: LocMemStore) = LocMemCache(Policy.defaults, context, store)

let private stores = [ LocMemStore.Copy; LocMemStore.Reference ]

/// A test per store, named after it.
let private perStore (name: string) (body: LocMemStore -> unit) =
    testList name [ for store in stores -> testCase (string store) (fun () -> body store) ]

/// How long a test may wait for a thread to reach a state before it fails (a hang guard, never an assertion on time).
let private patience = TimeSpan.FromSeconds 30.0

/// Spins until `thread` is blocked (it waits for the flight's leader), failing the test if it never gets there.
let private awaitBlocked (thread: Thread) =
    let deadline = DateTime.UtcNow + patience
    while not (thread.ThreadState.HasFlag ThreadState.WaitSleepJoin) do
        if DateTime.UtcNow > deadline then failtest "the waiter never blocked"
        Thread.Yield() |> ignore

/// Runs `call` on a thread of its own; the thread and what it returned or threw (once joined).
let private onThread (call: unit -> 'T) =
    let outcome = ref (Error(exn "not run") : Result<'T, exn>)
    let thread = Thread(fun () -> outcome.Value <- (try Ok(call ()) with e -> Error e))
    thread.IsBackground <- true
    thread.Start()
    thread, (fun () ->
        if not (thread.Join patience) then failtest "the caller never finished"
        outcome.Value)

/// A factory that counts its runs and, until `gate` is set, holds its caller inside it.
type private GatedFactory<'T>(value: unit -> 'T) =
    let gate = new ManualResetEventSlim(false)
    let entered = new ManualResetEventSlim(false)
    let mutable runs = 0
    member _.Runs = Volatile.Read &runs
    member _.Release() = gate.Set()
    member _.AwaitEntered() = if not (entered.Wait patience) then failtest "the factory never ran"
    member _.Run() : 'T =
        Interlocked.Increment &runs |> ignore
        entered.Set()
        if not (gate.Wait patience) then failtest "the factory was never released"
        value ()

/// One operation of the agreement property: what a caller does with a key, at the policy's or another version.
type private Op =
    | Set of key: string * value: string * version: int option
    | Add of key: string * value: string * version: int option
    | Get of key: string * version: int option
    | TryGet of key: string * version: int option
    | GetOrSet of key: string * value: string * version: int option
    | GetOrSetState of key: string * value: string * version: int option
    | Delete of key: string

/// A random op for the property: a few good keys and one with a space (a key warning on every call, under every face),
/// values with a null among them (a stored null is a hit), the policy's version or another.
let private randomOp (random: Random) : Op =
    let pick (choices: 'a[]) = choices[random.Next choices.Length]
    let k = pick [| "a"; "b"; "c"; "bad key" |]
    let v = pick [| "x"; "y"; ""; null |]
    let n = pick [| None; None; Some 2 |]
    match random.Next 7 with
    | 0 -> Set(k, v, n)
    | 1 -> Add(k, v, n)
    | 2 -> Get(k, n)
    | 3 -> TryGet(k, n)
    | 4 -> GetOrSet(k, v, n)
    | 5 -> GetOrSetState(k, v, n)
    | _ -> Delete k

let private nullable (version: int option) = Option.toNullable version

/// What the untyped sync API answers to `op`, as text to compare.
let private untyped (cache: ISyncCache) (op: Op) : string =
    match op with
    | Set(k, v, n) -> cache.Set<string>(k, v, CacheTimeout.Default, nullable n); "set"
    | Add(k, v, n) -> string (cache.Add<string>(k, v, CacheTimeout.Default, nullable n))
    | Get(k, n)
    | TryGet(k, n) -> sprintf "%A" (Option.ofOptionUnsafe (cache.Get<string>(k, nullable n)))
    | GetOrSet(k, v, n)
    | GetOrSetState(k, v, n) -> sprintf "%A" (cache.GetOrSet<string>(k, Func<string>(fun () -> v), CacheTimeout.Default, nullable n))
    | Delete k -> string (cache.Delete k)

/// What the typed view answers to `op`, as text to compare.
let private typed (view: ISyncCache<string>) (op: Op) : string =
    match op with
    | Set(k, v, n) -> view.Set(k, v, CacheTimeout.Default, nullable n); "set"
    | Add(k, v, n) -> string (view.Add(k, v, CacheTimeout.Default, nullable n))
    | Get(k, n) -> sprintf "%A" (Option.ofOptionUnsafe (view.Get(k, nullable n)))
    | TryGet(k, n) ->
        let mutable value = null
        let found = view.TryGet(k, &value, nullable n)
        sprintf "%A" (if found then Some value else None)
    | GetOrSet(k, v, n) -> sprintf "%A" (view.GetOrSet(k, Func<string>(fun () -> v), CacheTimeout.Default, nullable n))
    | GetOrSetState(k, v, n) -> sprintf "%A" (view.GetOrSet(k, v, Func<string, string>(fun s -> s), CacheTimeout.Default, nullable n))
    | Delete k -> string (view.Cache.Delete k)

[<Tests>]
let tests =
    testList "TypedSyncTests" [
        perStore "N threads meeting at a barrier on a cold key run the sync factory once and all get its value" (fun store ->
            let _, _, context = testContext ()
            let cache = locMemIn context store
            let threads = 8
            for round in 1..20 do
                let key = $"cold:{round}"
                let runs = ref 0
                let barrier = new Barrier(threads)
                let callers =
                    [| for _ in 1..threads ->
                           Task.Factory.StartNew(Func<string>(fun () ->
                               barrier.SignalAndWait() |> ignore
                               cache.GetOrSet(key, Func<string>(fun () ->
                                   Interlocked.Increment &runs.contents |> ignore
                                   // Long enough that the other callers usually arrive while it runs; the count holds either way.
                                   Thread.Sleep 20
                                   $"value {round}"), CacheTimeout.Default, Nullable())), TaskCreationOptions.LongRunning) |]
                let values = Task.WhenAll(callers) |> run
                Expect.equal runs.Value 1 $"round {round}: the factory ran once"
                Expect.allEqual values $"value {round}" "every caller got the factory's value"
                Expect.equal (cache.Get<string> key |> Option.ofOptionUnsafe) (Some $"value {round}") "and it is stored")

        perStore "callers that block on a running sync factory get its value; the factory runs once" (fun store ->
            let _, _, context = testContext ()
            let cache = locMemIn context store
            let factory = GatedFactory(fun () -> [| 1; 2; 3 |])
            let view = cache.Typed<int[]>()
            let _, leader = onThread (fun () -> view.GetOrSet("k", Func<int[]>(factory.Run)))
            factory.AwaitEntered()
            let waiters = [ for _ in 1..3 -> onThread (fun () -> cache.GetOrSet<int[]>("k", Func<int[]>(fun () -> failtest "a waiter ran the factory"))) ]
            for thread, _ in waiters do awaitBlocked thread
            factory.Release()
            let led = leader () |> Result.defaultWith raise
            let got = [ for _, outcome in waiters -> outcome () |> Result.defaultWith raise ]
            Expect.equal factory.Runs 1 "one run"
            for value in got do Expect.equal value [| 1; 2; 3 |] "the leader's value"
            // A copying store hands each caller a copy of its own, as a read does; a reference store the one object.
            let shared = got |> List.filter (fun value -> Object.ReferenceEquals(value, led)) |> List.length
            Expect.equal shared (if store = LocMemStore.Reference then 3 else 0) "copies on a copying store, the object on a reference store")

        perStore "a sync factory's exception reaches every waiting caller, and nothing is stored" (fun store ->
            let _, _, context = testContext ()
            let cache = locMemIn context store
            let failure = InvalidOperationException "the origin is down"
            let factory = GatedFactory(fun () -> raise failure)
            let _, leader = onThread (fun () -> cache.GetOrSet<string>("k", Func<string>(factory.Run)))
            factory.AwaitEntered()
            let waiters = [ for _ in 1..3 -> onThread (fun () -> cache.GetOrSet<string>("k", Func<string>(fun () -> "a waiter ran the factory"))) ]
            for thread, _ in waiters do awaitBlocked thread
            factory.Release()
            for outcome in leader :: List.map snd waiters do
                match outcome () with
                | Error e -> Expect.isTrue (Object.ReferenceEquals(e, failure)) "the factory's own exception"
                | Ok value -> failtestf "a caller got %A instead of the exception" value
            Expect.equal factory.Runs 1 "one run"
            Expect.isFalse (cache.HasKey "k") "nothing stored"
            Expect.equal (cache.GetOrSet<string>("k", Func<string>(fun () -> "later"))) "later" "the next caller runs a factory again")

        testCase "sync and async callers of one key share one flight, whichever leads" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMemIn context LocMemStore.Reference
            // An async leader, a sync waiter.
            let factory = GatedFactory(fun () -> "async leader")
            let leader = Task.Run<string>(fun () -> cache.GetOrSetAsync<string>("k1", Func<CancellationToken, Task<string>>(fun _ -> Task.FromResult(factory.Run()))))
            factory.AwaitEntered()
            let waiter, outcome = onThread (fun () -> cache.GetOrSet<string>("k1", Func<string>(fun () -> "sync waiter ran")))
            awaitBlocked waiter
            factory.Release()
            Expect.equal (leader |> run) "async leader" "the leader's value"
            Expect.equal (outcome ()) (Ok "async leader") "the sync waiter shares it"
            Expect.equal factory.Runs 1 "one run"
            // A sync leader, an async waiter.
            let factory = GatedFactory(fun () -> "sync leader")
            let _, leader = onThread (fun () -> cache.GetOrSet<string>("k2", Func<string>(factory.Run)))
            factory.AwaitEntered()
            let waiter = cache.GetOrSetAsync<string>("k2", Func<CancellationToken, Task<string>>(fun _ -> Task.FromResult "async waiter ran"))
            Expect.isFalse waiter.IsCompleted "the async caller waits for the running factory"
            factory.Release()
            Expect.equal (leader ()) (Ok "sync leader") "the leader's value"
            Expect.equal (waiter |> run) "sync leader" "the async waiter shares it"
            Expect.equal factory.Runs 1 "one run"

        perStore "sync get_or_set keeps Django's cases: a miss stores, a hit skips the factory, a stored null is a hit, a racing writer wins, versions are apart" (fun store ->
            let _, _, context = testContext ()
            let cache = locMemIn context store
            let calls = ref 0
            let counting (value: string) = Func<string>(fun () -> calls.Value <- calls.Value + 1; value)
            Expect.equal (cache.GetOrSet("mykey", counting "value")) "value" "a miss runs the factory"
            Expect.equal (cache.GetOrSet("mykey", counting "other")) "value" "a hit serves the stored value"
            Expect.equal calls.Value 1 "the factory ran once"
            Expect.isNull (cache.GetOrSet("null", counting null)) "a null is returned"
            Expect.isNull (cache.GetOrSet("null", counting "other")) "and stored: a stored null is a hit"
            Expect.equal calls.Value 2 "the second factory did not run"
            let racing = Func<string>(fun () -> cache.Set("race", "writer"); "default")
            Expect.equal (cache.GetOrSet("race", racing)) "writer" "a writer that got there first wins"
            Expect.equal (cache.GetOrSet("brian", counting "v2", CacheTimeout.Default, Nullable 2)) "v2" "v2"
            Expect.equal (cache.GetOrSet("brian", counting "v1")) "v1" "v1 apart from v2"
            Expect.equal (cache.Get<string>("brian", Nullable 2) |> Option.ofOptionUnsafe) (Some "v2") "v2 kept"
            Expect.equal (cache.GetOrSet("zero", counting "now", CacheTimeout.Seconds 0.0)) "now" "a zero timeout returns the value"
            Expect.isFalse (cache.HasKey "zero") "and stores nothing"
            Expect.equal (cache.GetOrSet("stateful", 21, Func<int, int>(fun n -> n * 2))) 42 "the state reaches the factory"
            Expect.throwsT<ArgumentNullException> (fun () -> cache.GetOrSet<string>("k", (null: Func<string>)) |> ignore) "a null factory")

        testCase "a key breaking a rule warns once per sync get-or-set, hit or miss, as a get does" <| fun () ->
            let _, log, context = testContext ()
            let cache = locMemIn context LocMemStore.Reference
            let view = cache.Typed<string>()
            let warnings () = log.Messages.Length
            cache.Get<string> "bad key" |> ignore
            let perGet = warnings ()
            Expect.isGreaterThan perGet 0 "a get warns"
            for call in [ (fun () -> view.GetOrSet("bad key", Func<string>(fun () -> "v")) |> ignore)   // miss
                          (fun () -> view.GetOrSet("bad key", Func<string>(fun () -> "v")) |> ignore)   // hit
                          (fun () -> view.Get "bad key" |> ignore) ] do
                log.Clear()
                call ()
                Expect.equal (warnings ()) perGet "as many warnings as a get"

        testCase "hits through the typed view and the sync get-or-set allocate nothing (reference store)" <| fun () ->
            let cache = LocMemCache(Policy.defaults, CacheContext.Default, LocMemStore.Reference)
            let view = cache.Typed<string>()
            view.Set("k", "v")
            let factory = Func<string>(fun () -> "other")
            let unfold = Func<int, string>(fun _ -> "other")
            let hits () =
                for _ in 1..1000 do
                    view.Get "k" |> ignore
                    view.GetOrSet("k", factory) |> ignore
                    view.GetOrSet("k", 0, unfold) |> ignore
                    (cache :> ISyncCache).GetOrSet("k", factory) |> ignore
            hits ()
            let before = GC.GetAllocatedBytesForCurrentThread()
            hits ()
            Expect.equal (GC.GetAllocatedBytesForCurrentThread() - before) 0L "no bytes"

        testCase "the typed view shares the untyped cache's store, versions and copies" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMemIn context LocMemStore.Copy
            let view = cache.Typed<int[]>()
            cache.Set("k", [| 1 |])
            Expect.equal (view.Get "k" |> Option.ofOptionUnsafe) (Some [| 1 |]) "the untyped write, through the view"
            view.Set("k", [| 2 |], CacheTimeout.Default, Nullable 3)
            Expect.equal (cache.Get<int[]>("k", Nullable 3) |> Option.ofOptionUnsafe) (Some [| 2 |]) "the view's write, untyped"
            let read = view.GetOrSet("k", Func<int[]>(fun () -> [| 9 |]))
            read[0] <- 100
            Expect.equal (view.Get "k" |> Option.ofOptionUnsafe) (Some [| 1 |]) "a copying store still copies"
            Expect.isTrue (Object.ReferenceEquals(view.Cache, cache)) "the view's cache is the cache"

        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 200 } "the typed view (locmem's and the default one) answers every op as the untyped calls do, with the same warnings" <| fun (seed: int) ->
            let random = Random(seed)
            let ops = List.init 40 (fun _ -> randomOp random)
            for store in stores do
                let _, untypedLog, untypedContext = testContext ()
                let _, typedLog, typedContext = testContext ()
                let reference = locMemIn untypedContext store :> ISyncCache
                let viewed = locMemIn typedContext store :> ISyncCache
                // Every other op goes through the default view (of a versioned wrapper, which has no view of its own).
                let views = [| viewed.Typed<string>(); (Cache.atVersionSync 1 viewed).Typed<string>() |]
                ops |> List.iteri (fun i op ->
                    Expect.equal (typed views[i % 2] op) (untyped reference op) $"op {i}: {op}")
                Expect.equal typedLog.Messages untypedLog.Messages "the same key warnings"

        testCase "F#: Cache.typed with the TypedCache functions, and Cache.getOrSetSync" <| fun () ->
            let cache = Cache.fromUri "locmem:///" :?> ISyncCache
            let users = cache |> Cache.typed<{| Name: string; Age: int |}>
            users |> TypedCache.set "ada" {| Name = "Ada"; Age = 36 |}
            Expect.equal (users |> TypedCache.tryGet "ada") (Some {| Name = "Ada"; Age = 36 |}) "a hit"
            Expect.equal (users |> TypedCache.tryGet "bob") None "a miss"
            Expect.isFalse (users |> TypedCache.add "ada" {| Name = "other"; Age = 0 |}) "add keeps the live entry"
            Expect.equal (users |> TypedCache.getOrSet "alan" (fun () -> {| Name = "Alan"; Age = 41 |})).Name "Alan" "get-or-set on a miss"
            users |> TypedCache.setFor (Expire.seconds 0.0) "alan" {| Name = "gone"; Age = 0 |}
            Expect.equal (users |> TypedCache.tryGet "alan") None "a zero timeout removes"
            Expect.equal (users |> TypedCache.getOrSetFor Expire.never "grace" (fun () -> {| Name = "Grace"; Age = 85 |})).Age 85 "for a timeout"
            Expect.isTrue ((users |> TypedCache.untyped).HasKey "grace") "the untyped cache sees it"
            let nickname = cache |> Cache.getOrSetSync<string option> "nick" (fun () -> None)
            Expect.equal nickname None "a factory's None"
            Expect.equal (cache |> Cache.getOrSetSync<string option> "nick" (fun () -> Some "x")) None "is stored and served"
            Expect.equal (cache |> Cache.getOrSetSyncFor<int> (Expire.seconds 60.0) "n" (fun () -> 7)) 7 "for a timeout"
            Expect.equal (cache |> Cache.atVersionSync 2 |> Cache.getOrSetSync<int> "n" (fun () -> 8)) 8 "at another version"
            Expect.equal (cache |> Cache.tryGetSync<int> "n") (Some 7) "the policy's version kept"
    ]
