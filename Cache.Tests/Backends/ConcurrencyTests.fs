/// Atomicity and single flight under real threads: increments lose nothing, get_or_set runs its
/// factory once per key, and exactly one of many racing adds wins.
module Backends.ConcurrencyTests

open System
open System.Collections.Concurrent
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open Backends.Subjects
open Backends.BaseCacheTests

/// A minimal backend over a dictionary whose misses can be held back, to put a caller exactly
/// between "read a miss" and "join the flight".
type private GatedCache(context: CacheContext) =
    inherit CacheBase(Policy.defaults, context, KeyCheck.Warn)
    let entries = ConcurrentDictionary<CacheKey, obj>()
    member val OnMiss: unit -> Task = (fun () -> Task.CompletedTask) with get, set
    override this.ReadCore(key: CacheKey, _ct: CancellationToken) =
        match entries.TryGetValue key with
        | true, payload -> ValueTask<LanguageExt.Option<obj>>(LanguageExt.Option<obj>.Some payload)
        | _ ->
            let hook = this.OnMiss
            ValueTask<LanguageExt.Option<obj>>(task {
                do! hook ()
                return LanguageExt.Option<obj>.None })
    override _.WriteCore(key, payload, _expiry, _ct) =
        entries[key] <- payload
        ValueTask.CompletedTask
    override _.AddCore(key, payload, _expiry, _ct) = ValueTask<bool>(entries.TryAdd(key, payload))
    override _.TouchCore(key, _expiry, _ct) = ValueTask<bool>(entries.ContainsKey key)
    override _.RemoveCore(key, _ct) = ValueTask<bool>(fst (entries.TryRemove key))
    override _.ContainsCore(key, _ct) = ValueTask<bool>(entries.ContainsKey key)
    override _.IncrementCore(key, _delta, _ct) =
        ValueTask<LanguageExt.Either<CacheError, int64>>(LanguageExt.Either<CacheError, int64>.Left(CacheError.KeyNotFound key.Key))
    override _.ClearCore(_ct) =
        entries.Clear()
        ValueTask.CompletedTask

let private backends = [ locMemCopy; locMemReference ]

let private perBackend name (body: ICache -> unit) =
    testList name [
        for backend in backends ->
            testCase backend.Name (fun () -> withFixture backend Policy.defaults (fun f -> body f.Cache)) ]

[<Tests>]
let tests =
    testSequenced <| testList "ConcurrencyTests" [
        perBackend "8 tasks × 1000 increments lose no update" (fun cache ->
            cache |> Cache.set "counter" 0 |> run
            let workers =
                [| for _ in 1..8 ->
                       Task.Run(fun () ->
                           for _ in 1..1000 do
                               match cache |> Cache.incr "counter" |> run with
                               | Ok _ -> ()
                               | Error e -> failtestf "increment failed: %s" e.Message) |]
            Task.WaitAll workers
            Expect.equal (cache |> Cache.tryGet<int> "counter" |> run) (Some 8000) "every increment counted")

        perBackend "increments and decrements from many tasks cancel out" (fun cache ->
            cache |> Cache.set "counter" 100L |> run
            let workers =
                [| for i in 1..8 ->
                       Task.Run(fun () ->
                           for _ in 1..500 do
                               cache |> (if i % 2 = 0 then Cache.incrBy 3L else Cache.decrBy 3L) "counter" |> run |> ignore) |]
            Task.WaitAll workers
            Expect.equal (cache |> Cache.tryGet<int64> "counter" |> run) (Some 100L) "balanced")

        perBackend "50 concurrent get_or_set callers run the factory once and all get its value" (fun cache ->
            let calls = ref 0
            let factory () =
                task {
                    Interlocked.Increment(&calls.contents) |> ignore
                    do! Task.Delay 50
                    return "computed"
                }
            let start = TaskCompletionSource()
            let callers =
                [| for _ in 1..50 ->
                       Task.Run<string>(fun () ->
                           task {
                               do! start.Task
                               return! cache |> Cache.getOrSet "slow" factory
                           }) |]
            start.SetResult()
            let results = Task.WhenAll(callers) |> run
            Expect.equal calls.Value 1 "one factory run"
            Expect.allEqual results "computed" "everyone got the factory's value"
            Expect.equal (cache |> Cache.tryGet<string> "slow" |> run) (Some "computed") "stored")

        perBackend "get_or_set for different keys runs each factory" (fun cache ->
            let calls = ref 0
            let factory key () = Interlocked.Increment(&calls.contents) |> ignore; Task.FromResult key
            let callers = [| for i in 1..20 -> Task.Run(fun () -> cache |> Cache.getOrSet $"k{i}" (factory $"v{i}") |> run) |]
            let results = Task.WhenAll(callers) |> run
            Expect.equal calls.Value 20 "one run per key"
            Expect.equal (List.ofArray results) [ for i in 1..20 -> $"v{i}" ] "each key its own value")

        perBackend "a failing factory's exception reaches every waiting caller and nothing is stored" (fun cache ->
            let gate = TaskCompletionSource()
            let factory () : Task<string> =
                task {
                    do! gate.Task
                    return raise (InvalidOperationException "factory failed")
                }
            let leader = cache |> Cache.getOrSet "boom" factory
            let follower = cache |> Cache.getOrSet "boom" factory
            gate.SetResult()
            for t in [ leader; follower ] do
                let e = throws<InvalidOperationException> (fun () -> t |> run |> ignore)
                Expect.equal e.Message "factory failed" "the factory's exception"
            Expect.isFalse (cache |> Cache.hasKey "boom" |> run) "nothing stored"
            Expect.equal (cache |> Cache.getOrSet "boom" (fun () -> Task.FromResult "fine") |> run) "fine" "the next call runs again")

        testCase "a caller that read a miss just before the leader finished does not run the factory again" <| fun () ->
            let _, _, context = testContext ()
            let cache = GatedCache(context)
            let leaderDone = TaskCompletionSource()
            let hold = ref 0
            // The next miss after `hold` is set (the late caller's first read) waits until the leader has finished.
            cache.OnMiss <- fun () -> if Interlocked.Exchange(&hold.contents, 0) = 1 then leaderDone.Task else Task.CompletedTask
            let calls = ref 0
            let release = TaskCompletionSource()
            let factory (name: string) () =
                task {
                    Interlocked.Increment(&calls.contents) |> ignore
                    do! release.Task
                    return name
                }
            let leader = cache |> Cache.getOrSet "key" (factory "leader")
            Expect.equal calls.Value 1 "the leader is inside its factory"
            hold.Value <- 1
            let late = cache |> Cache.getOrSet "key" (factory "late")
            Expect.equal hold.Value 0 "the late caller has read its miss and is held"
            release.SetResult()
            Expect.equal (leader |> run) "leader" "the leader's value"
            leaderDone.SetResult()
            Expect.equal (late |> run) "leader" "the late caller sees the stored value"
            Expect.equal calls.Value 1 "the factory ran once"

        testCase "locmem: lock-free overwrites racing adds, increments, touches, deletes and culls keep Count exact and bounded" <| fun () ->
            // Overwrites take no lock; every other write does. The count must still equal the keys present, and a
            // full store must never hold more than MaxEntries, whatever interleaving the threads find.
            let policy = Policy.defaults |> Policy.maxEntries 6 |> Policy.cullFrequency 3
            let cache = new FunctionalCache.Backends.LocMem.LocMemCache(policy, CacheContext.Default, FunctionalCache.Backends.LocMem.LocMemStore.Reference)
            let c = cache :> ISyncCache
            let start = new ManualResetEventSlim(false)
            let worker (seed: int) =
                Task.Run(fun () ->
                    let random = Random(seed)
                    start.Wait()
                    for _ in 1..200_000 do
                        let key = $"k{random.Next 8}"
                        match random.Next 6 with
                        | 0 | 1 -> c.Set(key, random.Next 100, Expire.never)
                        | 2 -> c.Add(key, 1, Expire.never) |> ignore
                        | 3 -> c.Increment(key) |> ignore
                        | 4 -> cache |> Cache.touch Expire.never key |> run |> ignore
                        | _ -> c.Delete(key) |> ignore
                        Expect.isLessThanOrEqual cache.Count policy.MaxEntries "never over MaxEntries")
            let workers = [| for seed in 1..4 -> worker seed |]
            start.Set()
            Task.WaitAll workers
            let present = [ for k in 0..7 do if c.HasKey $"k{k}" then yield k ] |> List.length
            Expect.equal cache.Count present "Count is the number of keys present"

        perBackend "of 32 concurrent adds exactly one wins" (fun cache ->
            let start = TaskCompletionSource()
            let adders =
                [| for i in 1..32 ->
                       Task.Run<bool * int>(fun () ->
                           task {
                               do! start.Task
                               let! added = cache |> Cache.add "prize" i
                               return added, i
                           }) |]
            start.SetResult()
            let results = Task.WhenAll(adders) |> run
            let winners = results |> Array.filter fst
            Expect.equal winners.Length 1 "one add returned true"
            Expect.equal (cache |> Cache.tryGet<int> "prize" |> run) (Some(snd winners[0])) "the winner's value is stored")

        perBackend "concurrent writers never push the entry count past MaxEntries" (fun cache ->
            let writers = [| for w in 1..8 -> Task.Run(fun () -> for i in 1..500 do cache |> Cache.set $"w{w}-{i}" i |> run) |]
            Task.WaitAll writers
            let live = [ for w in 1..8 do for i in 1..500 do if cache |> Cache.hasKey $"w{w}-{i}" |> run then yield 1 ] |> List.length
            Expect.isLessThanOrEqual live cache.Policy.MaxEntries "bounded")
    ]
