/// The chaos backend: its schedules' laws (a pure function of the call's number and operation), ChaosCache's laws
/// (Try… gives Left exactly when the schedule fails the call; plain operations throw, or, lenient, answer as memcached;
/// a calm chaos cache keeps Django's contract), the chaos:// URI, and one test per public surface run over it: the page
/// cache, the Fluid fragment tag and session state on a real Kestrel, get-or-set, and fcache. Under chaos: no 500, no
/// unhandled exception, every failure logged and counted.
module Backends.ChaosTests

open System
open System.IO
open System.Threading.Tasks
open Expecto
open Fluid
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.Diagnostics.Metrics.Testing
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.AspNetCore
open FunctionalCache.Http.Distributed
open FunctionalCache.Http.Fragments
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open FunctionalCache.Laws
open FunctionalCache.Laws.ContractFixture
open Backends.BaseCacheTests
open Http.AspNetCore.TestServer

let private operations = Enum.GetValues<ChaosOperation>() |> List.ofArray

let private seconds (s: float) = TimeSpan.FromSeconds s

// ---------------------------------------------------------------- schedules

let private scheduleTests =
    testList "schedules" [
        testProperty "a schedule gives the same fault for the same call, however often and in whatever order it is asked" <| fun (n: FsCheck.PositiveInt) (seed: int) (calls: FsCheck.PositiveInt list) ->
            let rate = float (n.Get % 101) / 100.0
            let make () =
                [ ChaosSchedule.EveryNth(int64 n.Get)
                  ChaosSchedule.AtRate(rate, seed)
                  ChaosSchedule.Window(int64 n.Get, int64 n.Get + 10L, ChaosFault.Delay(TimeSpan.FromMilliseconds 5.0))
                  ChaosSchedule.AtRate(rate, seed, ChaosFault.Corrupt).Or(ChaosSchedule.EveryNth 3L).Only(ChaosOperation.Get, ChaosOperation.Set) ]
            let ask (schedules: ChaosSchedule list) (order: int64 list) =
                [ for s in schedules -> Map.ofList [ for c in order do for op in operations -> (c, op), s.Decide(c, op) ] ]
            let order = calls |> List.map (fun c -> int64 c.Get)
            ask (make ()) order = ask (make ()) (List.rev order)

        testProperty "every Nth call fails exactly the multiples of N, whatever the operation" <| fun (n: FsCheck.PositiveInt) (call: FsCheck.PositiveInt) ->
            let schedule = ChaosSchedule.EveryNth(int64 n.Get)
            operations |> List.forall (fun op -> (schedule.Decide(int64 call.Get, op) = ChaosFault.Fail) = (call.Get % n.Get = 0))

        testProperty "a window gives its fault to exactly its calls" <| fun (first: FsCheck.PositiveInt) (length: FsCheck.NonNegativeInt) (call: FsCheck.PositiveInt) ->
            let last = first.Get + length.Get
            let schedule = ChaosSchedule.Window(int64 first.Get, int64 last, ChaosFault.Corrupt)
            (schedule.Decide(int64 call.Get, ChaosOperation.Get) = ChaosFault.Corrupt) = (call.Get >= first.Get && call.Get <= last)

        testCase "a seeded rate fails its share of calls (within a point over 100 000 calls), another seed other calls" <| fun () ->
            for rate in [ 0.0; 0.05; 0.3; 1.0 ] do
                for seed in [ 0; 1; 42 ] do
                    let schedule = ChaosSchedule.AtRate(rate, seed)
                    let failed = Seq.init 100_000 (fun i -> schedule.Decide(int64 i + 1L, ChaosOperation.Get)) |> Seq.filter ((=) ChaosFault.Fail) |> Seq.length
                    Expect.isLessThanOrEqual (abs (float failed / 100_000.0 - rate)) 0.01 $"rate {rate}, seed {seed}: {failed} failures"
            let picks seed = [ for c in 1L .. 200L do if (ChaosSchedule.AtRate(0.5, seed)).Decide(c, ChaosOperation.Set) = ChaosFault.Fail then c ]
            Expect.notEqual (picks 1) (picks 2) "seeds 1 and 2 pick other calls"
            let fail, corrupt = ChaosSchedule.AtRate(0.5, 7), ChaosSchedule.AtRate(0.5, 7, ChaosFault.Corrupt)
            let same = [ 1L .. 200L ] |> List.filter (fun c -> (fail.Decide(c, ChaosOperation.Get) = ChaosFault.Fail) = (corrupt.Decide(c, ChaosOperation.Get) = ChaosFault.Corrupt))
            Expect.isLessThan same.Length 150 "one seed, two faults: independent draws, so Or can combine them"

        testCase "Or takes the first schedule's fault where it has one; Only leaves other operations passing" <| fun () ->
            let schedule = ChaosSchedule.EveryNth(2L).Or(ChaosSchedule.EveryNth(3L, ChaosFault.Corrupt))
            Expect.equal [ for c in 1L .. 6L -> schedule.Decide(c, ChaosOperation.Get) ]
                [ ChaosFault.Pass; ChaosFault.Fail; ChaosFault.Corrupt; ChaosFault.Fail; ChaosFault.Pass; ChaosFault.Fail ] "calls 1-6"
            let writes = ChaosSchedule.Always(ChaosFault.Fail).Only(ChaosOperation.Set, ChaosOperation.SetMany)
            for op in operations do
                Expect.equal (writes.Decide(1L, op)) (if op = ChaosOperation.Set || op = ChaosOperation.SetMany then ChaosFault.Fail else ChaosFault.Pass) (string op)

        testCase "FailsWithin: Fail always fails; a delay fails only when a timeout is given and the delay reaches it" <| fun () ->
            let timeout = Nullable(seconds 1.0)
            Expect.equal [ for f in [ ChaosFault.Pass; ChaosFault.Fail; ChaosFault.Corrupt; ChaosFault.Delay(seconds 1.0); ChaosFault.Delay(seconds 0.5) ] -> f.FailsWithin timeout ]
                [ false; true; false; true; false ] "with a 1 s timeout"
            Expect.isFalse (ChaosFault.Delay(seconds 60.0).FailsWithin(Nullable())) "without a timeout a delay goes on"

        testCase "a schedule says what it does; failure messages quote it" <| fun () ->
            Expect.equal (ChaosSchedule.EveryNth(3L).Description) "every 3rd call: Fail" "every 3rd"
            Expect.equal (ChaosSchedule.EveryNth(1L).Description) "every call: Fail" "every call"
            Expect.equal (ChaosSchedule.EveryNth(12L, ChaosFault.Corrupt).Description) "every 12th call: Corrupt" "12th"
            Expect.equal (ChaosSchedule.AtRate(0.2, 42).Description) "20% of calls (seed 42): Fail" "rate"
            Expect.equal (ChaosSchedule.Window(10L, 19L, ChaosFault.Delay(seconds 2.0)).Description) "calls 10-19: Delay(2000 ms)" "window"
            Expect.equal (ChaosSchedule.Calm.Or(ChaosSchedule.EveryNth 2L).Only(ChaosOperation.Get).Description)
                "calm; else every 2nd call: Fail, on Get only" "combined"

        testCase "bad schedule arguments are refused with the rule" <| fun () ->
            let message (f: unit -> 'a) = (throws<ArgumentException> (fun () -> f () |> ignore)).Message
            Expect.equal (message (fun () -> ChaosSchedule.EveryNth 0L)) "A chaos schedule's 'every Nth call' needs N of at least 1. (Parameter 'n')" "N = 0"
            Expect.equal (message (fun () -> ChaosSchedule.AtRate(1.5, 0))) "A chaos rate must be between 0 and 1. (Parameter 'rate')" "rate 1.5"
            Expect.equal (message (fun () -> ChaosSchedule.AtRate(nan, 0))) "A chaos rate must be between 0 and 1. (Parameter 'rate')" "rate NaN"
            Expect.equal (message (fun () -> ChaosSchedule.Window(5L, 4L))) "A chaos window must not end before it starts. (Parameter 'last')" "window 5-4"
            Expect.equal (message (fun () -> ChaosSchedule.Window(0L, 4L))) "A chaos window starts at call 1 or later. (Parameter 'first')" "window 0-4"
            Expect.equal (message (fun () -> ChaosFault.Delay(seconds -1.0))) "A chaos delay must not be negative. (Parameter 'span')" "negative delay"
            Expect.equal (message (fun () -> ChaosSchedule.Calm.Decide(0L, ChaosOperation.Get))) "Chaos call numbers start at 1. (Parameter 'call')" "call 0"
            Expect.equal (message (fun () -> new ChaosCache(LocMemCache(), ChaosSchedule.Calm, timeout = Nullable TimeSpan.Zero)))
                "A chaos timeout must be positive. (Parameter 'timeout')" "zero timeout"
    ]

// ---------------------------------------------------------------- ChaosCache laws

/// One Try… operation, by code, through the F# face's Checked functions: the operation and whether it answered Error.
let private checkedOp (cache: ICache) (code: int) : ChaosOperation * bool =
    let isError (t: Task<Result<'a, CacheError>>) = Result.isError (run t)
    match abs code % 6 with
    | 0 -> ChaosOperation.Get, isError (cache |> Cache.Checked.get<byte[]> "k")
    | 1 -> ChaosOperation.Set, isError (cache |> Cache.Checked.set "k" [| 1uy |])
    | 2 -> ChaosOperation.Add, isError (cache |> Cache.Checked.add "a" [| 2uy |])
    | 3 -> ChaosOperation.Delete, isError (cache |> Cache.Checked.delete "a")
    | 4 -> ChaosOperation.Touch, isError (cache |> Cache.Checked.touch (Expire.seconds 60.0) "k")
    | _ -> ChaosOperation.Clear, isError (cache |> Cache.Checked.clear)

/// One plain operation, by code: the operation and the function that runs it.
let private plainOp (cache: ICache) (code: int) : ChaosOperation * (unit -> unit) =
    match abs code % 13 with
    | 0 -> ChaosOperation.Get, fun () -> cache |> Cache.tryGet<int> "k" |> run |> ignore
    | 1 -> ChaosOperation.GetOrDefault, fun () -> cache |> Cache.getOr 0 "k" |> run |> ignore
    | 2 -> ChaosOperation.Set, fun () -> cache |> Cache.set "k" 1 |> run
    | 3 -> ChaosOperation.Add, fun () -> cache |> Cache.add "a" 2 |> run |> ignore
    | 4 -> ChaosOperation.GetMany, fun () -> cache |> Cache.getMany<int> [ "k"; "a" ] |> run |> ignore
    | 5 -> ChaosOperation.SetMany, fun () -> cache |> Cache.setMany [ "m", 3 ] |> run |> ignore
    | 6 -> ChaosOperation.Delete, fun () -> cache |> Cache.delete "a" |> run |> ignore
    | 7 -> ChaosOperation.DeleteMany, fun () -> cache |> Cache.deleteMany [ "m" ] |> run
    | 8 -> ChaosOperation.HasKey, fun () -> cache |> Cache.hasKey "k" |> run |> ignore
    | 9 -> ChaosOperation.Touch, fun () -> cache |> Cache.touch (Expire.seconds 60.0) "k" |> run |> ignore
    | 10 -> ChaosOperation.Increment, fun () -> cache |> Cache.incr "k" |> run |> ignore
    | 11 -> ChaosOperation.GetOrSet, fun () -> cache |> Cache.getOrSet "g" (fun () -> Task.FromResult 5) |> run |> ignore
    | _ -> ChaosOperation.Clear, fun () -> cache |> Cache.clear |> run

let private throwsBackendFailure (act: unit -> unit) =
    try
        act ()
        false
    with :? CacheBackendException -> true

let private lawTests =
    testList "ChaosCache laws" [
        testProperty "every Try operation answers Left exactly when the schedule fails its call" <| fun (seed: int) (percent: FsCheck.NonNegativeInt) (codes: int list) ->
            let schedule = ChaosSchedule.AtRate(float (percent.Get % 101) / 100.0, seed).Or(ChaosSchedule.AtRate(0.3, seed, ChaosFault.Corrupt))
            let chaos = new ChaosCache(LocMemCache(), schedule)
            codes |> List.mapi (fun i code ->
                let op, isLeft = checkedOp chaos code
                isLeft = (schedule.Decide(int64 i + 1L, op) = ChaosFault.Fail))
            |> List.forall id
            && chaos.Calls = int64 codes.Length

        testProperty "lenient or not, the Try operations answer alike; a strict plain operation throws exactly when its call fails" <| fun (seed: int) (codes: int list) ->
            let schedule = ChaosSchedule.AtRate(0.4, seed)
            let strict = new ChaosCache(LocMemCache(), schedule)
            let lenient = new ChaosCache(LocMemCache(), schedule, lenient = true)
            let tries = codes |> List.map (fun code -> snd (checkedOp strict code) = snd (checkedOp lenient code)) |> List.forall id
            let plain = new ChaosCache(LocMemCache(), schedule)
            let thrown =
                codes |> List.mapi (fun i code ->
                    let op, act = plainOp plain code
                    throwsBackendFailure act = (schedule.Decide(int64 i + 1L, op) = ChaosFault.Fail))
                |> List.forall id
            tries && thrown

        testProperty "a lenient chaos cache never throws; each failure is logged and raised once, and counted" <| fun (seed: int) (codes: int list) ->
            let log = RecordingLogger()
            let schedule = ChaosSchedule.AtRate(0.5, seed)
            let chaos = new ChaosCache(LocMemCache(), schedule, CacheContext.Default.WithLogger log, lenient = true)
            let raised = ref 0
            chaos.add_FailureAnswered(Action<CacheBackendException>(fun _ -> raised.Value <- raised.Value + 1))
            let scheduled =
                codes |> List.mapi (fun i code ->
                    let op, act = plainOp chaos code
                    act ()
                    schedule.Decide(int64 i + 1L, op) = ChaosFault.Fail)
                |> List.filter id |> List.length
            raised.Value = scheduled && chaos.InjectedFailures = int64 scheduled && log.Messages.Length = scheduled
            && log.Messages |> List.forall (fun m -> m.StartsWith "Cache backend chaos failed; answered as a miss: Chaos: call ")

        testCase "a lenient chaos cache answers a failure as memcached does: a miss, the default, false, every key refused, a Left counter" <| fun () ->
            let inner = LocMemCache() :> ICache
            inner |> Cache.set "k" 1 |> run
            let chaos = new ChaosCache(inner, ChaosSchedule.Always ChaosFault.Fail, lenient = true) :> ICache
            Expect.equal (chaos |> Cache.tryGet<int> "k" |> run) None "get: a miss"
            Expect.equal (chaos |> Cache.getOr 7 "k" |> run) 7 "get_or_default: the default"
            Expect.isFalse (chaos |> Cache.add "n" 1 |> run) "add: false"
            Expect.equal (chaos |> Cache.getMany<int> [ "k" ] |> run) Map.empty "get_many: nothing"
            Expect.equal (chaos |> Cache.setMany [ "x", 1; "y", 2 ] |> run) [ "x"; "y" ] "set_many: every key refused"
            Expect.isFalse (chaos |> Cache.hasKey "k" |> run) "has_key: false"
            Expect.isFalse (chaos |> Cache.delete "k" |> run) "delete: false"
            match chaos |> Cache.incr "k" |> run with
            | Error (BackendFailure (key, cause)) ->
                Expect.equal key "k" "names the key"
                Expect.stringStarts cause.Message "Chaos: call 8 (incr) failed, as scheduled (every call: Fail)." "the cause says which call and why"
            | other -> failtestf "incr: expected a backend failure, got %A" other
            Expect.equal (inner |> Cache.tryGet<int> "k" |> run) (Some 1) "nothing reached the wrapped cache"

        // With a calm schedule a chaos cache is the cache it wraps: Django's whole contract holds through it.
        contractFor Subjects.calmChaos

        testCase "a delayed call waits on the context's clock, then reaches the wrapped cache" <| fun () ->
            let clock, _, context = testContext ()
            let inner = LocMemCache(CachePolicy.Default, context)
            let chaos = new ChaosCache(inner, ChaosSchedule.Always(ChaosFault.Delay(seconds 2.0)), context)
            let pending = chaos |> Cache.set "k" "v"
            Expect.isFalse pending.IsCompleted "waits while the clock stands still"
            clock.Advance(seconds 1.0)
            Expect.isFalse pending.IsCompleted "still waiting after 1 s of 2"
            clock.Advance(seconds 1.0)
            run pending
            Expect.equal (inner |> Cache.tryGet<string> "k" |> run) (Some "v") "stored after the delay"
            Expect.equal (chaos.InjectedDelays, chaos.InjectedFailures) (1L, 0L) "one delay, no failure"

        testCase "a delay as long as the timeout fails after the timeout: Error from Checked, CacheBackendException from the plain operation, a TimeoutException inside" <| fun () ->
            let clock, _, context = testContext ()
            let inner = LocMemCache(CachePolicy.Default, context)
            let chaos = new ChaosCache(inner, ChaosSchedule.Always(ChaosFault.Delay(seconds 5.0)), context, timeout = Nullable(seconds 1.0))
            let checkedSet = chaos |> Cache.Checked.set "k" "v"
            Expect.isFalse checkedSet.IsCompleted "waits for the timeout"
            clock.Advance(seconds 1.0)
            match run checkedSet with
            | Error (BackendFailure (_, cause)) ->
                Expect.equal cause.Message "Chaos: call 1 (set) timed out after 1000 ms, as scheduled (every call: Delay(5000 ms))." "the message"
                Expect.isTrue (cause.InnerException :? TimeoutException) "a TimeoutException inside"
            | other -> failtestf "expected a backend failure, got %A" other
            let plainSet = chaos |> Cache.set "k" "v"
            clock.Advance(seconds 1.0)
            throws<CacheBackendException> (fun () -> run plainSet) |> ignore
            Expect.isFalse (inner |> Cache.hasKey "k" |> run) "nothing was stored"
            Expect.equal (chaos.InjectedDelays, chaos.InjectedFailures) (2L, 2L) "two delays, both failed"

        testCase "a corrupted read is the serializer's CacheSerializationException for a typed reader, CorruptBytes for a byte[] reader; the entry is untouched" <| fun () ->
            let inner = LocMemCache() :> ICache
            inner |> Cache.set "k" "stored text" |> run
            let chaos = new ChaosCache(inner, ChaosSchedule.EveryNth(1L, ChaosFault.Corrupt))
            let e = throws<CacheSerializationException> (fun () -> chaos |> Cache.tryGet<string> "k" |> run |> ignore)
            Expect.equal e.Message "The stored bytes are not a String." "the serializer's own message"
            throws<CacheSerializationException> (fun () -> chaos |> Cache.Checked.get<int> "k" |> run |> ignore) |> ignore
            throws<CacheSerializationException> (fun () -> chaos |> Cache.getOrSet "k" (fun () -> Task.FromResult "never") |> run |> ignore) |> ignore
            Expect.equal (chaos |> Cache.tryGet<byte[]> "k" |> run) (Some [| 0xFFuy; 0xFEuy; 0xFDuy |]) "a byte[] reader gets the bytes"
            Expect.equal (chaos |> Cache.getMany<byte[]> [ "k"; "absent" ] |> run |> Map.count) 2 "every asked key is corrupt"
            Expect.isTrue (chaos |> Cache.Checked.set "k2" "written" |> run |> Result.isOk) "a write passes"
            Expect.equal (inner |> Cache.tryGet<string> "k" |> run) (Some "stored text") "the entry itself is untouched"
            Expect.equal (chaos.Calls, chaos.InjectedCorruptions) (6L, 5L) "six calls, five corrupted reads"

        testCase "it reports what it did, forwards the wrapped cache's culls and disposes it" <| fun () ->
            let inner = LocMemCache(CachePolicy.Default.WithMaxEntries(2).WithCullFrequency(2), CacheContext.Default)
            let chaos = new ChaosCache(inner, ChaosSchedule.Window(2L, 3L))
            let culled = ref 0
            chaos.add_Evicted(Action<int>(fun n -> culled.Value <- culled.Value + n))
            for key in [ "a"; "b"; "c"; "d"; "e" ] do chaos :> ICache |> Cache.Checked.set key 1 |> run |> ignore
            Expect.equal (chaos.Calls, chaos.InjectedFailures) (5L, 2L) "calls 2 and 3 failed"
            Expect.isGreaterThan culled.Value 0 "the inner cache's culls reach the chaos cache's listeners"
            Expect.equal (chaos.Inner :?> LocMemCache) inner "the wrapped cache"
            Expect.isFalse chaos.FailuresAreMisses "strict over a strict cache"
            (chaos :> IDisposable).Dispose()
            (chaos :> IDisposable).Dispose()
    ]

// ---------------------------------------------------------------- the chaos:// URI

let private uriContext () =
    let log = RecordingLogger()
    log, CacheContext.Default.WithLogger log

let private problems (uri: string) =
    match Caches.TryFromUri(uri, CacheContext.Default, true) |> Result.ofValidation with
    | Ok cache -> failtestf "%s built %s; expected problems" uri (cache.GetType().Name)
    | Error ps -> ps |> List.map (fun (p: UriProblem) -> p.Message)

let private uriTests =
    testList "chaos:// URIs" [
        testCase "chaos://?inner=<percent-encoded URI>&fail_every=3 wraps the inner URI's cache, failing every third call" <| fun () ->
            let cache = Caches.FromUri("chaos://?inner=locmem%3A%2F%2F%2F%3Fmax_entries%3D7&fail_every=3")
            let chaos = cache :?> ChaosCache
            Expect.isTrue (chaos.Inner :? LocMemCache) "a locmem cache inside"
            Expect.equal chaos.Policy.MaxEntries 7 "the inner URI's own arguments reach it"
            Expect.equal chaos.Schedule.Description "every 3rd call: Fail" "the schedule"
            Expect.equal ([ for _ in 1 .. 6 -> cache |> Cache.Checked.set "k" 1 |> run |> Result.isError ]) [ false; false; true; false; false; true ] "calls 3 and 6 fail"
            let plain = Caches.FromUri("chaos://?inner=locmem:///&fail_every=2") :?> ChaosCache
            Expect.isTrue (plain.Inner :? LocMemCache) "an inner URI without & ; + % needs no encoding"

        testCase "every argument: rates with a seed, windows, corruption, delays with a timeout, leniency and operations" <| fun () ->
            let chaos =
                Caches.FromUri("chaos://?inner=dummy%3A%2F%2F%2F&fail_rate=0.25&seed=9&fail_window=10-19&corrupt_every=4&delay_ms=250&delay_every=5&timeout_ms=100&lenient=true&operations=get,set")
                :?> ChaosCache
            Expect.equal chaos.Schedule.Description
                "25% of calls (seed 9): Fail; else calls 10-19: Fail; else every 4th call: Corrupt; else every 5th call: Delay(250 ms), on Get, Set only" "schedule"
            Expect.isTrue chaos.Lenient "lenient"
            Expect.isTrue chaos.FailuresAreMisses "answers failures as misses"
            Expect.equal chaos.Timeout (Nullable(TimeSpan.FromMilliseconds 100.0)) "timeout"
            let delayed = Caches.FromUri("chaos://?inner=dummy%3A%2F%2F%2F&delay_ms=1.5") :?> ChaosCache
            Expect.equal delayed.Schedule.Description "every call: Delay(1.5 ms)" "delay_ms alone delays every call"
            Expect.isFalse delayed.Lenient "strict by default"

        testCase "strict: each bad argument is one problem naming it and its value" <| fun () ->
            Expect.equal (problems "chaos://?fail_every=3")
                [ "The chaos backend needs the URI of the cache it wraps, as in 'chaos://?inner=locmem%3A%2F%2F%2F&fail_every=3'." ] "no inner"
            Expect.equal (problems "chaos://?inner=nosuch%3A%2F%2F&fail_every=3")
                [ "Argument 'inner' ('nosuch://'): Unknown cache backend scheme 'nosuch': it is not one of chaos, db, dummy, file, locmem, memcached, redis, rediss, and no type of that name is loaded." ] "bad inner"
            Expect.equal (problems "chaos://host?inner=locmem:///&timeout=30&fail_every=0&fail_rate=2&fail_window=5-4&corrupt_rate=x&delay_every=2&seed=s&lenient=maybe&operations=get,frob&timeout_ms=0")
                [ "A chaos URI takes no location (it wraps the cache named by 'inner'), not 'host'."
                  "Argument 'timeout' has no effect on a chaos URI: give it in the inner URI, whose cache it configures."
                  "Argument 'seed' must be a whole number, not 's'."
                  "Argument 'timeout_ms' must be a positive number of milliseconds up to a day, not '0'."
                  "Argument 'lenient' must be 'true' or 'false', not 'maybe'."
                  "Argument 'fail_every' must be a whole number from 1 (every Nth call), not '0'."
                  "Argument 'fail_rate' must be a number from 0 to 1 (the share of calls), not '2'."
                  "Argument 'fail_window' must be two call numbers 'first-last' (from 1, last not before first), as in '10-19', not '5-4'."
                  "Argument 'corrupt_rate' must be a number from 0 to 1 (the share of calls), not 'x'."
                  "Argument 'delay_every' needs 'delay_ms', the length of the delay."
                  "Argument 'operations' must list operations from get, get_or_default, set, add, get_many, set_many, delete, delete_many, has_key, touch, incr, decr, incr_version, decr_version, get_or_set, clear, not 'get,frob' (unknown: 'frob')."
                  "A chaos URI schedules no fault, so every call passes: give fail_every, fail_rate, fail_window, corrupt_every, corrupt_rate, corrupt_window or delay_ms." ]
                "every problem at once"

        testCase "lenient: a bad argument is a logged warning and left out; the good ones apply" <| fun () ->
            let log, context = uriContext ()
            let chaos = Caches.FromUri("chaos://?inner=locmem:///&fail_every=zero&corrupt_every=2", context) :?> ChaosCache
            Expect.equal chaos.Schedule.Description "every 2nd call: Corrupt" "the good argument applies"
            Expect.equal log.Messages [ "Argument 'fail_every' must be a whole number from 1 (every Nth call), not 'zero'. The default applies." ] "one warning"
            let missing = Caches.TryFromUri("chaos://?fail_every=2", context) |> Result.ofValidation
            Expect.isError missing "a missing inner URI is an error in both modes"

        testCase "a chaos cache from configuration: an object with backend chaos and the inner URI in options" <| fun () ->
            let json = """{ "Caches": { "default": { "backend": "chaos", "options": { "inner": "locmem:///", "fail_every": "2" } } } }"""
            let configuration = ConfigurationBuilder().AddJsonStream(new MemoryStream(Text.Encoding.UTF8.GetBytes json)).Build()
            use services = ServiceCollection().AddFunctionalCache(configuration.GetSection "Caches").BuildServiceProvider()
            let cache = services.GetRequiredService<ICache>() :?> InstrumentedCache
            Expect.isTrue (cache.Inner :? ChaosCache) "the configured alias is a chaos cache, instrumented"
            Expect.equal ((cache.Inner :?> ChaosCache).Schedule.Description) "every 2nd call: Fail" "its schedule"
    ]

// ---------------------------------------------------------------- every public surface over chaos

let private collect (name: string) = new MetricCollector<int64>(CacheMetrics.Meter, name)

let private total (alias: string) (collector: MetricCollector<int64>) =
    collector.GetMeasurementSnapshot() |> Seq.filter (fun m -> m.Tags.["cache.alias"] = box alias) |> Seq.sumBy (fun m -> m.Value)

let private uniqueAlias () = $"chaos-{Guid.NewGuid():N}"

/// The warnings the application logged under `category`.
let private warningsIn (server: Server) (category: string) =
    server.App.Services.GetFakeLogCollector().GetSnapshot()
    |> Seq.filter (fun r -> r.Level = LogLevel.Warning && r.Category = category)
    |> List.ofSeq

let private pageCacheCategory = "FunctionalCache.Http.AspNetCore.PageCacheHandler"

let private pageSite (counter: Counter) (app: WebApplication) =
    app |> App.useCache (fun o -> o.WithSeconds 60L) |> ignore
    mapGet app "/page" (handler (fun ctx -> write ctx (sprintf "page %d" (counter.Next())))) |> ignore

let private surfaceTests =
    testSequenced <| testList "public surfaces over chaos" [
        testCase "the page cache over a cache failing 30% of calls: every response 200, each failure counted in BackendFailures and logged" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let chaos = new ChaosCache(locmemOn clock, ChaosSchedule.AtRate(0.3, 13))
            let counter = Counter()
            use server = startWith clock (Some (chaos :> ICache)) (fun s -> s.AddFakeLogging() |> ignore) (pageSite counter)
            for i in 1 .. 30 do
                let reply = server.Get "/page"
                Expect.equal reply.Status 200 $"request {i}"
                Expect.stringStarts reply.Text "page " $"request {i}: the page"
            Expect.isGreaterThan chaos.InjectedFailures 0L "the schedule failed some calls"
            Expect.equal server.Counters.BackendFailures chaos.InjectedFailures "each injected failure is one counted backend failure"
            Expect.equal (server.Counters.Hits + server.Counters.Misses) 30L "every request was a hit or a miss"
            Expect.equal (int64 (warningsIn server pageCacheCategory).Length) chaos.InjectedFailures "each failure logged once"

        testCase "the page cache over a cache whose every read is corrupt: every response 200, each lookup counted and logged as failed" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let chaos = new ChaosCache(locmemOn clock, ChaosSchedule.Always ChaosFault.Corrupt)
            let counter = Counter()
            use server = startWith clock (Some (chaos :> ICache)) (fun s -> s.AddFakeLogging() |> ignore) (pageSite counter)
            for i in 1 .. 5 do Expect.equal (server.Get "/page").Text $"page {i}" "the view ran: the corrupt entry was not served"
            Expect.equal server.Counters.BackendFailures 5L "five lookups failed to decode"
            // Each lookup's first read (the URL stamp, docs/tags.md) is corrupt; the stores read the stamps too, and a
            // corrupt stamp there only keys the page where no lookup finds it.
            Expect.isGreaterThanOrEqual chaos.InjectedCorruptions 5L "at least the five lookups' reads were corrupted"
            let warnings = warningsIn server pageCacheCategory
            Expect.equal warnings.Length 5 "each logged"
            Expect.stringContains warnings.Head.Message "is not 8 bytes" "says what was unreadable"

        // Issue 13 item 1: before the tag handled its cache's failures this page answered 500.
        testCase "the Fluid {% cache %} tag over a failing cache renders the block: 200, each failure logged and counted" <| fun () ->
            use errors = collect "functionalcache.backend_errors"
            let alias = uniqueAlias ()
            let log = RecordingLogger()
            let chaos = new ChaosCache(LocMemCache(), ChaosSchedule.Always ChaosFault.Fail)
            let parser = FragmentCacheParser(InstrumentedCache(chaos, alias, log))
            let template =
                let mutable t = Unchecked.defaultof<IFluidTemplate>
                let mutable error = ""
                if not (parser.TryParse("""<aside>{% cache 500 "sidebar" %}sidebar for {{ user }}{% endcache %}</aside>""", &t, &error)) then failwith error
                t
            use server =
                start (fun app ->
                    mapGet app "/page" (handler (fun ctx ->
                        task {
                            let context = TemplateContext()
                            context.SetValue("user", "ada") |> ignore
                            let! html = template.RenderAsync(context)
                            do! write ctx html
                        } :> Task)) |> ignore)
            for i in 1 .. 3 do
                let reply = server.Get "/page"
                Expect.equal reply.Status 200 $"request {i}: no error page"
                Expect.equal reply.Text "<aside>sidebar for ada</aside>" $"request {i}: the block rendered uncached"
            Expect.equal chaos.InjectedFailures 3L "three failed fragment lookups"
            Expect.equal (total alias errors) 3L "each counted as a backend error"
            Expect.equal (log.Messages |> List.filter (fun m -> m.Contains "(ChaosCache) failed in ")).Length 3 "each logged"

        testCase "session state over a failing cache: no 500, the session is unavailable (LoadAsync hands the typed failure to the app), each failure logged and counted" <| fun () ->
            use errors = collect "functionalcache.backend_errors"
            let alias = uniqueAlias ()
            let log = RecordingLogger()
            let clock = FakeTimeProvider(defaultStart)
            let chaos = new ChaosCache(locmemOn clock, ChaosSchedule.Always ChaosFault.Fail)
            use server =
                startWith clock (Some (InstrumentedCache(chaos, alias, log) :> ICache))
                    (fun s ->
                        s.AddSession() |> ignore
                        s.AddFunctionalDistributedCache() |> ignore)
                    (fun app ->
                        app.UseSession() |> ignore
                        app.MapGet("/set", RequestDelegate(fun ctx ->
                            ctx.Session.SetString("name", "ada")
                            write ctx "stored")) |> ignore
                        app.MapGet("/get", RequestDelegate(fun ctx ->
                            write ctx (match ctx.Session.GetString "name" with null -> "(none)" | v -> v))) |> ignore
                        // ASP.NET Core's LoadAsync hands a store's failure to the caller to handle; it arrives typed.
                        app.MapGet("/load", RequestDelegate(fun ctx ->
                            task {
                                try
                                    do! ctx.Session.LoadAsync()
                                    do! write ctx "loaded"
                                with :? CacheBackendException as e -> do! write ctx ("unavailable: " + e.Message)
                            })) |> ignore)
            let set = server.Get "/set"
            Expect.equal (set.Status, set.Text) (200, "stored") "set: no error page"
            let cookie = set.Header "set-cookie" |> Option.map (fun c -> [ "Cookie", c.Split(';').[0] ]) |> Option.defaultValue []
            let get = server.Get("/get", cookie)
            Expect.equal (get.Status, get.Text) (200, "(none)") "get: the session is unavailable, not an error"
            let load = server.Get("/load", cookie)
            Expect.equal load.Status 200 "LoadAsync: no error page"
            Expect.stringStarts load.Text "unavailable: Chaos: call " "LoadAsync: the failure reaches the application as a CacheBackendException"
            Expect.stringEnds load.Text " (get) failed, as scheduled (every call: Fail)." "the session's read"
            Expect.isGreaterThan chaos.InjectedFailures 0L "the session's reads failed"
            Expect.equal (total alias errors) chaos.InjectedFailures "each failure counted"
            Expect.equal (int64 (log.Messages |> List.filter (fun m -> m.Contains "failed in")).Length) chaos.InjectedFailures "each failure logged"

        testCase "get-or-set over a failing lenient cache serves the factory's value every time; each failure logged and counted" <| fun () ->
            use errors = collect "functionalcache.backend_errors"
            let alias = uniqueAlias ()
            let chaosLog = RecordingLogger()
            let chaos = new ChaosCache(LocMemCache(), ChaosSchedule.Always ChaosFault.Fail, CacheContext.Default.WithLogger chaosLog, lenient = true)
            let cache = InstrumentedCache(chaos, alias, RecordingLogger()) :> ICache
            let runs = ref 0
            let factory () = runs.Value <- runs.Value + 1; Task.FromResult 42
            Expect.equal (cache |> Cache.getOrSet "answer" factory |> run) 42 "the factory's value"
            Expect.equal (cache |> Cache.getOrSet "answer" factory |> run) 42 "again: nothing was stored, so the factory runs again"
            Expect.equal runs.Value 2 "two runs"
            Expect.equal (total alias errors) 2L "two backend errors counted"
            Expect.equal chaosLog.Messages.Length 2 "two logged"

        testCase "get-or-set over a failing strict cache throws CacheBackendException (the file and db contract), logged and counted" <| fun () ->
            use errors = collect "functionalcache.backend_errors"
            let alias = uniqueAlias ()
            let log = RecordingLogger()
            let cache = InstrumentedCache(new ChaosCache(LocMemCache(), ChaosSchedule.Always ChaosFault.Fail), alias, log) :> ICache
            let e = throws<CacheBackendException> (fun () -> cache |> Cache.getOrSet "answer" (fun () -> Task.FromResult 42) |> run |> ignore)
            Expect.equal e.Message "Chaos: call 1 (get_or_set) failed, as scheduled (every call: Fail)." "the message"
            Expect.equal (total alias errors) 1L "counted"
            Expect.equal log.Messages.Length 1 "logged"

        testCase "fcache get and set over chaos:// exit 3 with one line naming the injected failure, never a stack trace" <| fun () ->
            let dir = Path.Combine(Path.GetTempPath(), $"fcache-chaos-{Guid.NewGuid():N}")
            Directory.CreateDirectory dir |> ignore
            try
                let inner = Uri.EscapeDataString($"file://{dir}/cache")
                let expectOneLine (o: Cli.FcacheTests.Outcome) (code: int) (line: string) what =
                    Expect.equal (o.Code, o.Err) (code, line + "\n") what
                    Expect.isFalse (o.Err.Contains "   at ") $"{what}: no stack trace"
                let fcache = Cli.FcacheTests.fcacheIn dir None
                let failing = $"chaos://?inner={inner}&fail_every=1"
                expectOneLine (fcache [ "set"; "k"; "v"; "--backend"; failing ]) 3
                    "fcache: backend failure: Chaos: call 1 (set) failed, as scheduled (every call: Fail)." "set"
                expectOneLine (fcache [ "get"; "k"; "--backend"; failing ]) 3
                    "fcache: backend failure: Chaos: call 1 (get) failed, as scheduled (every call: Fail)." "get"
                Expect.equal (fcache [ "set"; "k"; "v"; "--backend"; $"file://{dir}/cache" ]).Code 0 "stored without chaos"
                expectOneLine (fcache [ "get"; "k"; "--backend"; $"chaos://?inner={inner}&corrupt_every=1" ]) 4
                    "fcache: the value under 'k' is not UTF-8 text (3 bytes); fcache reads and writes text only" "a corrupt read"
                let second = fcache [ "get"; "k"; "--backend"; $"chaos://?inner={inner}&fail_every=2" ]
                Expect.equal (second.Code, second.Out) (0, "v\n") "each run counts its own calls from 1: call 1 of every 2nd passes"
            finally
                try Directory.Delete(dir, true) with _ -> ()
    ]

[<Tests>]
let tests = testList "Backends.ChaosTests" [ scheduleTests; lawTests; uriTests; surfaceTests ]
