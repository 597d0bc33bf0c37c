/// Laws of single operations on locmem (both stores): Add never overwrites, counter arithmetic and
/// its errors, GetMany, IncrementVersion, key warnings (also on dummy) and GetOrSet.
module Backends.OperationLaws

open System
open System.Threading.Tasks
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Dummy
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open Backends.BackendMachine

/// A logger that keeps every (level, message).
type RecordingLogger() =
    let records = Collections.Concurrent.ConcurrentQueue<LogLevel * string>()
    member _.Records = List.ofSeq records
    interface ILogger with
        member _.Log<'TState>(level: LogLevel, _: EventId, state: 'TState, error: exn, formatter: Func<'TState, exn, string>) =
            records.Enqueue(level, formatter.Invoke(state, error))
        member _.IsEnabled _ = true
        member _.BeginScope<'TState>(_: 'TState) : IDisposable = { new IDisposable with member _.Dispose() = () }

let private fresh store =
    let clock = FakeTimeProvider()
    LocMemCache(Policy.defaults, CacheContext.Default.WithTime clock, store) :> ICache, clock

let private counter (result: Result<'a, CacheError>) = result |> Result.mapError errorName

/// A timeout that stores: Never, Default or a positive span.
let private storing (t: Timeout) = match t with After s when s <= TimeSpan.Zero -> NeverExpires | t -> t

/// The deadline of a storing timeout under the default policy (300 s), in ticks after the write.
let private lifetime (t: Timeout) =
    match t with
    | NeverExpires -> Int64.MaxValue
    | After s -> s.Ticks
    | Omitted | DefaultTimeout -> TimeSpan.FromSeconds(300.0).Ticks

let private lawsFor store =
    testList (sprintf "%A" store) [
        testPropertyWithConfig Config.config "Add never overwrites a live entry"
        <| fun (old: int) (value: int) (first: Timeout) (second: Timeout) (share: byte) ->
            let cache, clock = fresh store
            let first = storing first
            cache |> Cache.setFor (toExpire first) "k" old |> run
            // somewhere in the entry's life, never at or past its deadline
            let life = lifetime first
            clock.Advance(TimeSpan.FromTicks(if life = Int64.MaxValue then int64 share * TimeSpan.TicksPerDay else (life - 1L) * int64 share / 256L))
            Expect.isFalse (cache |> addWith second "k" value |> run) "Add reports it did not add"
            Expect.equal (cache |> Cache.tryGet<int> "k" |> run) (Some old) "the live value is untouched"

        testPropertyWithConfig Config.config "Increment and Decrement give n + a - b" <| fun (n: int) (a: int) (b: int) ->
            let cache, _ = fresh store
            let n, a, b = int64 n, int64 a, int64 b
            cache |> Cache.setFor Expire.never "k" n |> run
            Expect.equal (cache |> Cache.incrBy a "k" |> run |> counter) (Ok(n + a)) "Increment returns n + a"
            Expect.equal (cache |> Cache.decrBy b "k" |> run |> counter) (Ok(n + a - b)) "Decrement returns n + a - b"
            Expect.equal (cache |> Cache.tryGet<int64> "k" |> run) (Some(n + a - b)) "Get sees n + a - b"
            Expect.equal (cache |> Cache.incr "k" |> run |> counter) (Ok(n + a - b + 1L)) "the default delta is 1"

        testPropertyWithConfig Config.config "Increment past long.MaxValue is Overflow and changes nothing" <| fun (gap: byte) (over: byte) ->
            let cache, _ = fresh store
            let n = Int64.MaxValue - int64 gap
            cache |> Cache.setFor Expire.never "k" n |> run
            Expect.equal (cache |> Cache.incrBy (int64 gap + 1L + int64 over) "k" |> run |> counter) (Error "Overflow(k)") "Overflow"
            Expect.equal (cache |> Cache.decr "m" |> run |> counter) (Error "KeyNotFound(m)") "a missing key is still KeyNotFound"
            Expect.equal (cache |> Cache.tryGet<int64> "k" |> run) (Some n) "the stored value is unchanged"

        testPropertyWithConfig Config.config "Increment and Decrement of a missing key are KeyNotFound with the caller's key"
        <| fun (SmallKey key) (delta: int) (version: byte) ->
            let cache, _ = fresh store
            let cache = cache |> Cache.atVersion (int version)
            Expect.equal (cache |> Cache.incrBy (int64 delta) key |> run |> counter) (Error(sprintf "KeyNotFound(%s)" key)) "Increment"
            Expect.equal (cache |> Cache.decrBy (int64 (abs delta)) key |> run |> counter) (Error(sprintf "KeyNotFound(%s)" key)) "Decrement"
            Expect.isFalse (cache |> Cache.hasKey key |> run) "and the key is still absent"

        testPropertyWithConfig Config.config "GetMany returns exactly the live keys with their latest values"
        <| fun (writes: (SmallKey * int * Timeout) list) (deletes: SmallKey list) (seconds: byte) (wanted: SmallKey list) ->
            let cache, clock = fresh store
            // each write happens one second after the previous one
            let model =
                writes
                |> List.mapi (fun i w -> i, w)
                |> List.fold (fun model (i, (SmallKey k, n, t)) ->
                    clock.Advance(TimeSpan.FromSeconds 1.0)
                    cache |> setWith t k n |> run
                    let now = int64 (i + 1) * TimeSpan.TicksPerSecond
                    match t with
                    | After s when s <= TimeSpan.Zero -> Map.remove k model
                    | _ -> Map.add k (n, (if lifetime t = Int64.MaxValue then Int64.MaxValue else now + lifetime t)) model) Map.empty
            let model = deletes |> List.fold (fun m (SmallKey k) -> cache |> Cache.delete k |> run |> ignore; Map.remove k m) model
            clock.Advance(TimeSpan.FromSeconds(3.0 * float seconds))
            let now = int64 (List.length writes) * TimeSpan.TicksPerSecond + 3L * int64 seconds * TimeSpan.TicksPerSecond
            let keys = wanted |> List.map (fun (SmallKey k) -> k)
            let expected =
                keys |> List.choose (fun k -> Map.tryFind k model |> Option.filter (fun (_, d) -> d > now) |> Option.map (fun (n, _) -> k, n)) |> Map.ofList
            let got = cache |> Cache.getMany<int> keys |> run
            Expect.equal got expected "GetMany = the live requested keys with their last written values"

        testPropertyWithConfig Config.config "IncrementVersion moves the value to version + delta and the old version is gone"
        <| fun (value: int) (from: byte) (delta: sbyte) ->
            delta <> 0y ==> lazy (
                let cache, _ = fresh store
                let from = int from
                let target = from + int delta
                let atFrom = cache |> Cache.atVersion from
                atFrom |> Cache.setFor Expire.never "k" value |> run
                Expect.equal (atFrom |> Cache.incrVersionBy (int delta) "k" |> run |> counter) (Ok target) "the new version"
                Expect.equal (cache |> Cache.atVersion target |> Cache.tryGet<int> "k" |> run) (Some value) "the value is at the new version"
                Expect.isFalse (atFrom |> Cache.hasKey "k" |> run) "the old version is gone"
                Expect.equal (atFrom |> Cache.incrVersionBy (int delta) "k" |> run |> counter) (Error "KeyNotFound(k)") "moving it again finds nothing")

        testPropertyWithConfig Config.config "GetOrSet returns the stored value on a hit and the factory's on a miss"
        <| fun (stored: int option) (fresh': int) (timeout: Timeout) ->
            let cache, _ = fresh store
            stored |> Option.iter (fun n -> cache |> Cache.setFor Expire.never "k" n |> run)
            let calls = ref 0
            let factory () = calls.Value <- calls.Value + 1; Task.FromResult fresh'
            let got = cache |> getOrSetWith timeout "k" factory |> run
            match stored with
            | Some n -> Expect.equal (got, calls.Value) (n, 0) "a hit returns the stored value and never runs the factory"
            | None ->
                Expect.equal (got, calls.Value) (fresh', 1) "a miss runs the factory once and returns its value"
                let kept = match timeout with After s -> s > TimeSpan.Zero | _ -> true
                Expect.equal (cache |> Cache.tryGet<int> "k" |> run) (if kept then Some fresh' else None) "the factory's value is stored unless it expires at once"
    ]

/// The backends whose key warnings are checked.
let private keyBackends : (string * (CachePolicy -> CacheContext -> ICache)) list =
    [ "locmem (Copy)", (fun p c -> LocMemCache(p, c, LocMemStore.Copy) :> ICache)
      "locmem (Reference)", (fun p c -> LocMemCache(p, c, LocMemStore.Reference) :> ICache)
      "dummy", (fun p c -> DummyCache(p, c) :> ICache) ]

/// Not the default function, so the backend must build and check the made key itself.
let private customKeyFunction key prefix (version: int) = prefix + "|" + string version + "|" + key

[<Tests>]
let tests =
    testList "Backends.OperationLaws" [
        lawsFor LocMemStore.Copy
        lawsFor LocMemStore.Reference
        for name, make in keyBackends do
            testPropertyWithConfig Config.config $"{name}: a key warning is logged iff KeyRules.Validate(made key) is non-empty"
            <| fun (AnyKey key) (AnyPrefix prefix) (AnyVersion version) (custom: bool) (explicitVersion: bool) ->
                let logger = RecordingLogger()
                let policy =
                    Policy.defaults
                    |> Policy.prefix prefix
                    |> (if explicitVersion then id else Policy.version version)
                    |> (if custom then Policy.keyFunction customKeyFunction else id)
                let cache = make policy (CacheContext.Default.WithLogger(logger).WithTime(FakeTimeProvider()))
                let cache = if explicitVersion then cache |> Cache.atVersion version else cache
                cache |> Cache.setFor Expire.never key 1 |> run
                let made = policy |> Policy.version version |> Policy.makeKey key
                let expected = KeyRules.Validate made |> List.ofSeq |> List.map (fun text -> LogLevel.Warning, text)
                Expect.equal logger.Records expected "the warnings logged are exactly the rules the made key breaks"
    ]
