/// Atomicity and single flight under real threads, on every storing backend in this process (locmem, file in a
/// temp directory, db on a SQLite file and on the throwaway PostgreSQL cluster): increments lose nothing, get_or_set
/// runs its factory once per key, exactly one of many racing adds wins, and a value read while others overwrite it
/// is always one that was written whole, and one cache's writers never pass MaxEntries. Where a store is shared
/// between instances (file, db) the callers are spread over two caches on it, so the store itself, not only one
/// instance's locks, keeps each promise made for the store.
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

/// Each backend with the share of a full run's operations it gets: locmem does one in well under a microsecond,
/// a file or a database in about a millisecond, more when its callers contend for one lock or row.
let private backends =
    [ locMemCopy, 1; locMemReference, 1; file, 20; sqlite, 20; postgres, 20 ]

/// The callers' caches: the fixture's, and a second instance on the same store where instances share one.
let private cachesOf (backend: FunctionalCache.Laws.Subject) (f: Fixture) =
    if not backend.Capabilities.SharedStore then [| f.Cache |] else [| f.Cache; f.Make f.Cache.Policy |]

/// One case per backend: the body gets the callers' caches (the first is the fixture's) and how many operations
/// a full run of `n` means for it.
let private perBackendWith policy name (body: ICache[] -> (int -> int) -> unit) =
    testList name [
        for backend, divisor in backends ->
            testCase backend.Name (fun () ->
                withFixture backend policy (fun f -> body (cachesOf backend f) (fun n -> max 1 (n / divisor)))) ]

let private perBackend name body = perBackendWith Policy.defaults name body

/// A value that says how it must read in full: its tag, then a run of one letter whose letter and length the tag
/// fixes (tens of kilobytes, so a torn write or read would show as a wrong letter or length).
let private wholeValue (tag: int) = $"{tag}:" + String(char (int 'a' + tag % 26), 40_000 + tag % 997)

let private isWhole (value: string) =
    match value.Split(':', 2) with
    | [| tag; _ |] -> (match Int32.TryParse tag with | true, t -> value = wholeValue t | _ -> false)
    | _ -> false

[<Tests>]
let tests =
    testSequenced <| testList "ConcurrencyTests" [
        perBackend "8 tasks' increments lose no update" (fun caches share ->
            let rounds = share 1000
            caches[0] |> Cache.set "counter" 0 |> run
            let workers =
                [| for w in 1..8 ->
                       Task.Run(fun () ->
                           for _ in 1..rounds do
                               match caches[w % caches.Length] |> Cache.incr "counter" |> run with
                               | Ok _ -> ()
                               | Error e -> failtestf "increment failed: %s" e.Message) |]
            Task.WaitAll workers
            Expect.equal (caches[0] |> Cache.tryGet<int> "counter" |> run) (Some(8 * rounds)) "every increment counted")

        perBackend "increments and decrements from many tasks cancel out" (fun caches share ->
            caches[0] |> Cache.set "counter" 100L |> run
            let workers =
                [| for w in 1..8 ->
                       Task.Run(fun () ->
                           for _ in 1 .. share 500 do
                               caches[w % caches.Length] |> (if w % 2 = 0 then Cache.incrBy 3L else Cache.decrBy 3L) "counter" |> run |> ignore) |]
            Task.WaitAll workers
            Expect.equal (caches[0] |> Cache.tryGet<int64> "counter" |> run) (Some 100L) "balanced")

        perBackend "50 concurrent get_or_set callers spread over the caches on one store run the factory once" (fun caches _ ->
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
                               return! caches[i % caches.Length] |> Cache.getOrSet "slow" factory
                           }) |]
            start.SetResult()
            let results = Task.WhenAll(callers) |> run
            Expect.equal calls.Value 1 $"one factory run in this process, over {caches.Length} cache(s)"
            Expect.allEqual results "computed" "everyone got the factory's value"
            for cache in caches do Expect.equal (cache |> Cache.tryGet<string> "slow" |> run) (Some "computed") "stored")

        perBackend "get_or_set for different keys runs each factory" (fun caches _ ->
            let calls = ref 0
            let factory key () = Interlocked.Increment(&calls.contents) |> ignore; Task.FromResult key
            let callers = [| for i in 1..20 -> Task.Run(fun () -> caches[i % caches.Length] |> Cache.getOrSet $"k{i}" (factory $"v{i}") |> run) |]
            let results = Task.WhenAll(callers) |> run
            Expect.equal calls.Value 20 "one run per key"
            Expect.equal (List.ofArray results) [ for i in 1..20 -> $"v{i}" ] "each key its own value")

        perBackend "a failing factory's exception reaches every waiting caller and nothing is stored" (fun caches _ ->
            let cache = caches[0]
            let gate = TaskCompletionSource()
            let factory () : Task<string> =
                task {
                    do! gate.Task
                    return raise (InvalidOperationException "factory failed")
                }
            let leader = cache |> Cache.getOrSet "boom" factory
            let follower = caches[caches.Length - 1] |> Cache.getOrSet "boom" factory
            gate.SetResult()
            for t in [ leader; follower ] do
                let e = throws<InvalidOperationException> (fun () -> t |> run |> ignore)
                Expect.equal e.Message "factory failed" "the factory's exception"
            Expect.isFalse (caches |> Array.exists (fun c -> c |> Cache.hasKey "boom" |> run)) "nothing stored"
            Expect.equal (cache |> Cache.getOrSet "boom" (fun () -> Task.FromResult "fine") |> run) "fine" "the next call runs again")

        // Found by the typed view's work: the sync get-or-set gave each waiter a copy while the async one handed every
        // waiter the leader's object, so on a copying store one caller's mutation showed in another's value.
        testList "waiters of one get_or_set flight each get a value of their own where the store copies" [
            for backend, _ in backends ->
                testCase backend.Name (fun () ->
                    withFixture backend Policy.defaults (fun f ->
                        let caches = cachesOf backend f
                        let release = TaskCompletionSource()
                        let factory () =
                            task {
                                do! release.Task
                                return ResizeArray [ 1; 2; 3 ]
                            }
                        let callers = [| for i in 0..3 -> caches[i % caches.Length] |> Cache.getOrSet "shared" factory |]
                        release.SetResult()
                        let values = Task.WhenAll(callers) |> run
                        Expect.all values (fun v -> List.ofSeq v = [ 1; 2; 3 ]) "every caller got the value"
                        let distinct = values |> Array.map (fun v -> Runtime.CompilerServices.RuntimeHelpers.GetHashCode v) |> Array.distinct
                        if backend.Name = locMemReference.Name then
                            Expect.equal distinct.Length 1 "a reference store shares its one object"
                        else
                            Expect.equal distinct.Length values.Length "a copying store gives every caller its own object"
                            values[0].Add 4
                            Expect.equal (List.ofSeq values[1]) [ 1; 2; 3 ] "one caller's change does not show in another's value")) ]

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

        perBackend "of 32 concurrent adds exactly one wins" (fun caches _ ->
            let start = TaskCompletionSource()
            let adders =
                [| for i in 1..32 ->
                       Task.Run<bool * int>(fun () ->
                           task {
                               do! start.Task
                               let! added = caches[i % caches.Length] |> Cache.add "prize" i
                               return added, i
                           }) |]
            start.SetResult()
            let results = Task.WhenAll(adders) |> run
            let winners = results |> Array.filter fst
            Expect.equal winners.Length 1 "one add returned true"
            for cache in caches do
                Expect.equal (cache |> Cache.tryGet<int> "prize" |> run) (Some(snd winners[0])) "the winner's value is stored")

        // One instance: the file and db backends document the bound as exact for one writer and approximate across
        // instances and processes (each keeps its own count).
        perBackendWith (Policy.defaults |> Policy.maxEntries 50) "8 tasks writing new keys through one cache never push the entry count past MaxEntries" (fun caches share ->
            let cache = caches[0]
            let perWriter = share 500
            let writers = [| for w in 1..8 -> Task.Run(fun () -> for i in 1..perWriter do cache |> Cache.set $"w{w}-{i}" i |> run) |]
            Task.WaitAll writers
            let live = [ for w in 1..8 do for i in 1..perWriter do if cache |> Cache.hasKey $"w{w}-{i}" |> run then yield 1 ] |> List.length
            Expect.isGreaterThan (8 * perWriter) 50 "enough keys to fill the store"
            Expect.isLessThanOrEqual live 50 "bounded")

        perBackendWith (Policy.defaults |> Policy.maxEntries 10) "8 tasks setting a new key each at once, through one cache on a store one short of MaxEntries, leave it at most full" (fun caches _ ->
            let cache = caches[0]
            for round in 1..8 do
                for i in 1..9 do cache |> Cache.set $"r{round}-fill{i}" i |> run
                let start = new ManualResetEventSlim(false)
                let writers = [| for w in 1..8 -> Task.Run(fun () -> start.Wait(); cache |> Cache.set $"r{round}-new{w}" w |> run) |]
                start.Set()
                Task.WaitAll writers
                let keys = [ for i in 1..9 -> $"r{round}-fill{i}" ] @ [ for w in 1..8 -> $"r{round}-new{w}" ]
                let live = keys |> List.filter (fun k -> cache |> Cache.hasKey k |> run) |> List.length
                Expect.isLessThanOrEqual live 10 $"round {round}: bounded"
                cache |> Cache.clear |> run)

        perBackend "a value read while 4 tasks overwrite it is always one that was written whole" (fun caches share ->
            let writes = share 400
            caches[0] |> Cache.set "shared" (wholeValue 0) |> run
            let writing = ref 4
            let torn = ConcurrentQueue<string>()
            let reads = ref 0
            let writers =
                [| for w in 1..4 ->
                       Task.Run(fun () ->
                           for n in 1..writes do caches[w % caches.Length] |> Cache.set "shared" (wholeValue (w * 100_000 + n)) |> run
                           Interlocked.Decrement(&writing.contents) |> ignore) |]
            let readers =
                [| for r in 1..4 ->
                       Task.Run(fun () ->
                           while Volatile.Read(&writing.contents) > 0 do
                               match caches[r % caches.Length] |> Cache.tryGet<string> "shared" |> run with
                               | Some value when not (isWhole value) -> torn.Enqueue(value.Substring(0, min 40 value.Length) + $"… ({value.Length} chars)")
                               | Some _ -> Interlocked.Increment(&reads.contents) |> ignore
                               | None -> torn.Enqueue "a miss, though the key was never deleted") |]
            Task.WaitAll(Array.append writers readers)
            Expect.isEmpty (List.ofSeq torn) "every read was a whole value some writer wrote"
            Expect.isGreaterThan reads.Value 0 "the readers read while the writers wrote")
    ]
