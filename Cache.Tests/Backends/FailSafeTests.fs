/// FailSafeCache: the laws of FunctionalCache.Laws on failSafe(locmem) and failSafe(SQLite); fail-safe as FsCheck properties
/// under a fake clock (a failing factory is answered from the stale value within the window and gets its error outside
/// it; a deleted value never comes back); soft and hard timeouts; eager refresh (one factory run for many late hits);
/// seeded jitter; and a failing wrapped cache (chaos://, a frozen redis-server): nothing throws, failures logged and counted.
module Backends.FailSafeTests

open System
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.FailSafe
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Redis
open FunctionalCache.FSharp
open FunctionalCache.Laws
open Integration

let private hour = TimeSpan.FromHours 1.0
let private seconds (s: float) = TimeSpan.FromSeconds s
let private run (work: Task<'T>) = work.GetAwaiter().GetResult()

/// Fail-safe over locmem, as a subject of the laws. A stale copy takes a slot of its own, so a bounded store culls
/// earlier than the model expects: the subject does not claim culling (docs/fail-safe.md, known limits).
let failSafeLocMem =
    Subjects.locMemCopy |> Subject.wrap "failSafe" (Cache.failSafe hour) |> Subject.mapCapabilities (fun c -> { c with Culls = false })

/// Fail-safe over a db:// table in SQLite, as a subject of the laws.
let failSafeSqlite =
    Subjects.sqlite |> Subject.wrap "failSafe" (Cache.failSafe hour) |> Subject.mapCapabilities (fun c -> { c with Culls = false })

let private lawTests =
    testList "laws" [
        for subject, cases in [ failSafeLocMem, 25; failSafeSqlite, 10 ] ->
            FunctionalCache.Laws.Expecto.LawTests.ofLawsWith cases subject (Laws.all subject) ]

// ---------------------------------------------------------------- a fail-safe cache on a fake clock

type private World =
    { Clock: FakeTimeProvider
      Log: RecordingLogger
      Inner: ICache
      FailSafe: FailSafeCache }
    member w.Cache = w.FailSafe :> ICache
    member w.Advance(span: TimeSpan) = w.Clock.Advance span

let private worldOver (wrapInner: CacheContext -> ICache -> ICache) (options: FailSafeOptions) =
    let clock = FakeTimeProvider(DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    let log = RecordingLogger()
    let context = CacheContext.Default.WithTime(clock).WithLogger(log)
    let inner = wrapInner context (new LocMemCache(CachePolicy.Default, context))
    { Clock = clock; Log = log; Inner = inner; FailSafe = new FailSafeCache(inner, options) }

let private world options = worldOver (fun _ c -> c) options

exception private SourceDown of string

let private failing () : Task<int> = Task.FromException<int>(SourceDown "the source is down")

let private valueOf (v: int) () = Task.FromResult v

/// The factory's exception, or None when get-or-set answered.
let private outcome (work: unit -> Task<int>) =
    try Ok(run (work ())) with
    | SourceDown text -> Error text
    | :? AggregateException as e when (e.InnerException :? SourceDown) -> Error "the source is down"

let private config = { FsCheckConfig.defaultConfig with maxTest = 60 }

/// A duration of 1..1000 s from any positive int.
let private span (n: FsCheck.PositiveInt) = float (n.Get % 1000 + 1)

let private failSafeLaws =
    testList "fail-safe" [
        testPropertyWithConfig config "within the window, a failing factory is answered with the last good value, never an error" <| fun (value: int) (d: FsCheck.PositiveInt) (m: FsCheck.PositiveInt) (into: FsCheck.NonNegativeInt) (viaSet: bool) ->
            let duration, window = span d, span m
            let w = world (FailSafeOptions.For(seconds window))
            if viaSet then w.Cache |> Cache.setFor (Expire.seconds duration) "k" value |> run
            else w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" (valueOf value) |> run |> ignore
            w.Advance(seconds (duration + float (into.Get % int window)))
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) None "the value itself has expired"
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" failing)) (Ok value) "the stale value"
            Expect.equal w.FailSafe.StaleServed 1L "counted"
            Expect.equal w.FailSafe.FactoryFailures 1L "the factory's failure counted"
            Expect.exists w.Log.Messages (fun m -> m.Contains "answered with the value written") "logged"

        testPropertyWithConfig config "outside the window, the factory's error reaches the caller" <| fun (value: int) (d: FsCheck.PositiveInt) (m: FsCheck.PositiveInt) (beyond: FsCheck.NonNegativeInt) ->
            let duration, window = span d, span m
            let w = world (FailSafeOptions.For(seconds window))
            w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" (valueOf value) |> run |> ignore
            w.Advance(seconds (duration + window + float (beyond.Get % 10_000)))
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" failing)) (Error "the source is down") "the error"
            Expect.equal w.FailSafe.StaleServed 0L "nothing stale served"

        testPropertyWithConfig config "a deleted value never comes back as stale (delete, delete_many, a version move, clear)" <| fun (value: int) (d: FsCheck.PositiveInt) (later: FsCheck.NonNegativeInt) (how: FsCheck.NonNegativeInt) ->
            let duration = span d
            let w = world (FailSafeOptions.For hour)
            w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" (valueOf value) |> run |> ignore
            match how.Get % 4 with
            | 0 -> w.Cache |> Cache.delete "k" |> run |> ignore
            | 1 -> w.Cache |> Cache.deleteMany [ "k"; "other" ] |> run
            | 2 -> Expect.equal (w.Cache |> Cache.incrVersion "k" |> run) (Ok 2) "moved to version 2"
            | _ -> w.Cache |> Cache.clear |> run
            w.Advance(seconds (float (later.Get % int (duration + 3600.0))))
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" failing)) (Error "the source is down") "no stale value"
            Expect.equal (w.FailSafe.GetStaleAsync<int>("k") |> run).IsNone true "no stale copy"

        testCase "a key memcached could not take keeps its fail-safe and logs its one warning, not a second for the stale copy" <| fun () ->
            let w = world (FailSafeOptions.For hour)
            w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "key with spaces" (valueOf 1) |> run |> ignore
            Expect.equal w.Log.Messages.Length 1 $"one warning: {w.Log.Messages}"
            w.Advance(seconds 11.0)
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "key with spaces" failing)) (Ok 1) "the stale value"

        testCase "with a throttle, a stale answer is stored for the throttle: the next calls are hits, then the factory is asked again" <| fun () ->
            let w = world (FailSafeOptions.For(hour).WithThrottle(seconds 5.0))
            w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" (valueOf 1) |> run |> ignore
            w.Advance(seconds 11.0)
            let runs = ref 0
            let counted () = runs.Value <- runs.Value + 1; failing ()
            for _ in 1..3 do
                Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" counted)) (Ok 1) "the stale value"
            Expect.equal runs.Value 1 "the factory was asked once in the throttle"
            w.Advance(seconds 5.0)
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" counted)) (Ok 1) "the stale value"
            Expect.equal runs.Value 2 "asked again after it"

        testCase "a value set again is the one fail-safe keeps; a zero timeout keeps no stale copy" <| fun () ->
            let w = world (FailSafeOptions.For hour)
            w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" (valueOf 1) |> run |> ignore
            w.Cache |> Cache.setFor (Expire.seconds 10.0) "k" 2 |> run
            w.Advance(seconds 20.0)
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSet "k" failing)) (Ok 2) "the value set last"
            w.Cache |> Cache.getOrSetFor (Expire.seconds 0.0) "zero" (valueOf 3) |> run |> ignore
            Expect.isTrue (w.FailSafe.GetStaleAsync<int>("zero") |> run).IsNone "nothing stored, nothing kept"
    ]

// ---------------------------------------------------------------- timeouts, eager refresh, jitter

/// A factory that waits for `release` and counts its runs.
type private Gate() =
    let released = TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)
    let mutable runs = 0
    member _.Runs = runs
    member _.Factory() : Task<int> = Threading.Interlocked.Increment(&runs) |> ignore; released.Task
    member _.Release(value: int) = released.SetResult value

/// Moves the fake clock by `step` until `work` completes (a bounded number of times): timers on a fake clock fire only
/// when it moves, and the call may not have started its timer yet when the test first moves it.
let private advanceUntilDone (w: World) (step: TimeSpan) (work: Task) =
    let mutable tries = 0
    while not work.IsCompleted && tries < 200 do
        w.Advance step
        // A faulted call throws from Wait; the caller looks at how it ended.
        (try work.Wait(TimeSpan.FromMilliseconds 20.0) with _ -> true) |> ignore
        tries <- tries + 1
    Expect.isTrue work.IsCompleted "the call completed as the clock moved"

let private timeoutTests =
    testList "timeouts and refresh" [
        testCase "soft timeout: a slow factory is answered from the stale value, and its own value lands in the background" <| fun () ->
            let w = world (FailSafeOptions.For(hour).WithSoftTimeout(Nullable(seconds 1.0)))
            w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" (valueOf 1) |> run |> ignore
            w.Advance(seconds 11.0)
            let gate = Gate()
            let answer = w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" gate.Factory
            advanceUntilDone w (seconds 1.0) answer
            Expect.equal answer.Result 1 "the stale value, at the soft timeout"
            Expect.equal w.FailSafe.SoftTimeouts 1L "counted"
            gate.Release 2
            w.FailSafe.WaitForBackgroundWorkAsync() |> Task.WaitAll
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) (Some 2) "the factory's value was stored"
            Expect.equal gate.Runs 1 "one run"

        testCase "soft timeout without a stale value waits for the factory" <| fun () ->
            let w = world (FailSafeOptions.For(hour).WithSoftTimeout(Nullable(seconds 1.0)))
            let gate = Gate()
            let answer = w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" gate.Factory
            w.Advance(seconds 5.0)
            Expect.isFalse (answer.Wait(TimeSpan.FromMilliseconds 50.0)) "still waiting"
            gate.Release 7
            Expect.equal (run answer) 7 "the factory's value"

        testCase "hard timeout without a stale value: TimeoutException, and the factory's value still lands" <| fun () ->
            let w = world (FailSafeOptions.For(hour).WithHardTimeout(Nullable(seconds 2.0)))
            let gate = Gate()
            let answer = w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" gate.Factory
            advanceUntilDone w (seconds 1.0) answer
            Expect.isTrue answer.IsFaulted "failed"
            Expect.isTrue (answer.Exception.InnerException :? TimeoutException) $"a TimeoutException: {answer.Exception.InnerException}"
            Expect.stringContains answer.Exception.InnerException.Message "'k'" "names the key"
            gate.Release 3
            w.FailSafe.WaitForBackgroundWorkAsync() |> Task.WaitAll
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) (Some 3) "stored"

        testCase "eager refresh: twenty late hits are answered at once and run the factory once; an early hit runs nothing" <| fun () ->
            let w = world (FailSafeOptions.For(hour).WithEagerRefresh(Nullable 0.8))
            w.Cache |> Cache.getOrSetFor (Expire.seconds 100.0) "k" (valueOf 1) |> run |> ignore
            w.Advance(seconds 50.0)
            let early = Gate()
            Expect.equal (w.Cache |> Cache.getOrSetFor (Expire.seconds 100.0) "k" early.Factory |> run) 1 "a hit"
            Expect.equal w.FailSafe.RefreshesStarted 0L "before the threshold: no refresh"
            w.Advance(seconds 35.0)
            let gate = Gate()
            let answers = Task.WhenAll [ for _ in 1..20 -> w.Cache |> Cache.getOrSetFor (Expire.seconds 100.0) "k" gate.Factory ] |> run
            Expect.allEqual answers 1 "every late hit is served the current value"
            gate.Release 2
            w.FailSafe.WaitForBackgroundWorkAsync() |> Task.WaitAll
            Expect.equal gate.Runs 1 "one refresh"
            Expect.equal w.FailSafe.RefreshesStarted 1L "counted"
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) (Some 2) "the refreshed value"
            w.Advance(seconds 81.0)
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) (Some 2) "with a fresh timeout"

        testPropertyWithConfig config "jitter: a get-or-set entry lives its timeout plus the seeded draw, and a set entry exactly its timeout" <| fun (seed: int) (d: FsCheck.PositiveInt) ->
            let duration = span d
            let most = seconds 60.0
            let drawn = TimeSpan.FromTicks(int64 (float most.Ticks * Random(seed).NextDouble()))
            let w = world (FailSafeOptions.For(hour).WithJitter(most).WithJitterRandom(Random seed))
            w.Cache |> Cache.getOrSetFor (Expire.seconds duration) "k" (valueOf 1) |> run |> ignore
            w.Cache |> Cache.setFor (Expire.seconds duration) "set" 1 |> run
            w.Advance(seconds duration + TimeSpan.FromMilliseconds 1.0)
            Expect.equal (w.Cache |> Cache.tryGet<int> "set" |> run) None "a set entry is not jittered"
            if drawn > TimeSpan.FromMilliseconds 2.0 then
                Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) (Some 1) "live until the jittered expiry"
            w.Advance(drawn)
            Expect.equal (w.Cache |> Cache.tryGet<int> "k" |> run) None "expired after it"
    ]

// ---------------------------------------------------------------- a failing wrapped cache

let private failingInnerTests =
    testList "a failing wrapped cache" [
        testCase "chaos: get-or-set of the wrapped cache fails: a working factory answers, a failing one gets the stale value; counted and logged" <| fun () ->
            let down = ref false
            let schedule = ChaosSchedule.From("get-or-set down on demand", fun _ op -> if down.Value && op = ChaosOperation.GetOrSet then ChaosFault.Fail else ChaosFault.Pass)
            let w = worldOver (fun context inner -> new ChaosCache(inner, schedule, context) :> ICache) (FailSafeOptions.For hour)
            w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" (valueOf 1) |> run |> ignore
            w.Advance(seconds 11.0)
            down.Value <- true
            Expect.equal (w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "fresh" (valueOf 5) |> run) 5 "the factory answers"
            Expect.equal (outcome (fun () -> w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) "k" failing)) (Ok 1) "the stale value"
            Expect.equal w.FailSafe.InnerFailures 2L "both wrapped-cache failures counted"
            Expect.exists w.Log.Messages (fun m -> m.Contains "wrapped cache failed") "logged"

        testCase "chaos: every call of a lenient wrapped cache fails: nothing throws, the factory answers, failures are logged" <| fun () ->
            let w = worldOver (fun context inner -> new ChaosCache(inner, ChaosSchedule.Always ChaosFault.Fail, context, lenient = true) :> ICache) (FailSafeOptions.For hour)
            for i in 1..20 do
                Expect.equal (w.Cache |> Cache.getOrSetFor (Expire.seconds 10.0) $"k{i % 3}" (valueOf i) |> run) i "the factory's value"
                w.Cache |> Cache.set $"s{i}" i |> run
            Expect.isGreaterThan w.FailSafe.InnerFailures 0L "stale copies that could not be written, counted"
            Expect.isNonEmpty w.Log.Messages "logged"

        testCase "a frozen redis-server (SIGSTOP): nothing throws, the factory answers, failures are logged; resumed, the stale copies serve again" <| fun () ->
            let server = Redis.start ()
            try
                let log = RecordingLogger()
                let context = CacheContext.Default.WithLogger log
                let redis = Caches.FromUri($"{server.Uri}?connect_timeout=0.5&sync_timeout=0.5", context)
                use failSafe = new FailSafeCache(redis, FailSafeOptions.For hour, context)
                let cache = failSafe :> ICache
                Expect.equal (cache |> Cache.getOrSetFor (Expire.seconds 1.0) "k" (valueOf 1) |> run) 1 "stored"
                Redis.pause server
                try
                    for i in 1..3 do
                        Expect.equal (cache |> Cache.getOrSetFor (Expire.seconds 1.0) $"other{i}" (valueOf i) |> run) i "the factory answers"
                    Expect.isNonEmpty log.Messages "failures logged"
                    Expect.isGreaterThan failSafe.InnerFailures 0L "counted"
                finally Redis.resume server
                // The client reconnects on its own schedule: wait until it serves, then until the value has expired.
                let deadline = DateTime.UtcNow.AddSeconds 30.0
                while (redis |> Cache.Checked.set "probe" 1 |> run) <> Ok() && DateTime.UtcNow < deadline do
                    Threading.Thread.Sleep 200
                Threading.Thread.Sleep(TimeSpan.FromSeconds 1.5)
                log.Clear()
                Expect.equal (outcome (fun () -> cache |> Cache.getOrSetFor (Expire.seconds 1.0) "k" failing)) (Ok 1) $"the stale value, once the value expired: {log.Messages}"
            finally Redis.stop server
    ]

let private optionTests =
    testList "options" [
        testCase "every problem with the options is named in one message" <| fun () ->
            let message = try FailSafeOptions.For(TimeSpan.Zero) |> ignore; "" with :? ArgumentException as e -> e.Message
            Expect.stringContains message "max_stale must be positive." "the window, named"
            let problems = FailSafeOptions.Validate(hour, Nullable(seconds 5.0), Nullable(seconds 1.0), Nullable 1.5, seconds -1.0)
            Expect.equal (List.ofSeq problems)
                [ "hard_timeout must not be shorter than soft_timeout."
                  "eager_refresh must be a share of the duration between 0 and 1, both excluded."
                  "jitter must not be negative." ] "each problem, one line"

        testCase "F#: Cache.failSafeWith and the FailSafe options read left to right" <| fun () ->
            let options = FailSafe.window hour |> FailSafe.softTimeout (seconds 1.0) |> FailSafe.hardTimeout (seconds 5.0) |> FailSafe.eagerRefresh 0.8 |> FailSafe.jitter (seconds 3.0)
            let cache = Cache.fromUri "locmem:///" |> Cache.failSafeWith options
            Expect.equal (cache |> Cache.getOrSet "k" (valueOf 4) |> run) 4 "works"
            let made = cache :?> FailSafeCache
            Expect.equal made.Options.SoftTimeout (Nullable(seconds 1.0)) "soft"
            Expect.equal made.Options.EagerRefresh (Nullable 0.8) "eager"
    ]

let private section (json: string) : IConfiguration =
    ConfigurationBuilder().AddJsonStream(new IO.MemoryStream(Text.Encoding.UTF8.GetBytes json)).Build().GetSection "Caches" :> IConfiguration

let private configured (json: string) = FunctionalCache.Http.AspNetCore.CacheConfiguration.TryRead(section json)

let private configurationTests =
    testList "configuration" [
        testCase "fail_safe in a cache's object form wraps the built cache with those options" <| fun () ->
            let json = """{ "Caches": { "default": { "backend": "locmem",
                "fail_safe": { "max_stale": 3600, "soft_timeout": 0.25, "hard_timeout": 2, "eager_refresh": 0.8, "jitter": 30, "throttle": 1 } } } }"""
            use provider = FunctionalCache.Http.AspNetCore.FunctionalCacheServiceCollectionExtensions.AddFunctionalCache(ServiceCollection(), section json).BuildServiceProvider()
            let cache = provider.GetRequiredService<ICache>()
            let failSafe =
                match cache with
                | :? Diagnostics.InstrumentedCache as i -> i.Inner
                | other -> other
            match failSafe with
            | :? FailSafeCache as f ->
                Expect.equal f.Options.MaxStale hour "max_stale"
                Expect.equal f.Options.SoftTimeout (Nullable(TimeSpan.FromMilliseconds 250.0)) "soft_timeout"
                Expect.equal f.Options.HardTimeout (Nullable(seconds 2.0)) "hard_timeout"
                Expect.equal f.Options.EagerRefresh (Nullable 0.8) "eager_refresh"
                Expect.equal f.Options.Jitter (seconds 30.0) "jitter"
                Expect.equal f.Options.Throttle (seconds 1.0) "throttle"
                Expect.isTrue (f.Inner :? LocMemCache) "over locmem"
            | other -> failtestf "not a fail-safe cache: %s" (other.GetType().Name)

        testCase "every problem of a fail_safe object is named, with its alias" <| fun () ->
            let json = """{ "Caches": {
                "default": { "backend": "locmem", "fail_safe": { "soft_timeout": "soon", "max_age": 3 } },
                "other": { "backend": "locmem", "fail_safe": { "max_stale": 0, "soft_timeout": 5, "hard_timeout": 1, "eager_refresh": 1 } },
                "flat": { "backend": "locmem", "fail_safe": "yes" } } }"""
            let problems = (configured json).Match((fun _ -> []), (fun problems -> List.ofSeq problems))
            Expect.equal problems
                [ "'default': fail_safe: unknown setting 'max_age'; the settings are max_stale, soft_timeout, hard_timeout, eager_refresh, jitter, throttle."
                  "'default': fail_safe.max_stale is required (seconds)."
                  "'default': fail_safe.soft_timeout 'soon' is not a number."
                  "'flat': fail_safe must be an object with max_stale, soft_timeout, hard_timeout, eager_refresh, jitter, throttle."
                  "'other': fail_safe.max_stale must be positive."
                  "'other': fail_safe.hard_timeout must not be shorter than soft_timeout."
                  "'other': fail_safe.eager_refresh must be a share of the duration between 0 and 1, both excluded." ]
                "each problem, one line"
    ]

[<Tests>]
let tests =
    testList "fail-safe cache" [ lawTests; failSafeLaws; timeoutTests; failingInnerTests; optionTests; configurationTests ]
