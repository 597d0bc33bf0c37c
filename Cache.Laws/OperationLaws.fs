/// Laws of single operations: Add never overwrites a live entry, GetMany returns exactly the live keys with their
/// latest values, IncrementVersion moves a value to another version, GetOrSet serves a hit and runs the factory on a
/// miss. On a subject with its own clock the laws write only spans too long to lapse during a case, and do not move
/// the clock.
module FunctionalCache.Laws.OperationLaws

open System
open System.Threading.Tasks
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

/// A timeout that stores: Never, Default or a positive span.
let private storing (t: Timeout) = if stores t then t else NeverExpires

/// The policy's default timeout the laws run with.
let private defaultSpan = TimeSpan.FromSeconds 300.0

/// How long an entry written with a storing timeout lives, in ticks (Int64.MaxValue: for ever).
let private lifetime (t: Timeout) =
    match t with
    | NeverExpires -> Int64.MaxValue
    | After s -> s.Ticks
    | Omitted | DefaultTimeout -> defaultSpan.Ticks

/// The operation laws of the subject.
let laws (subject: Subject) : Law list =
    let caps = subject.Capabilities
    let followsClock = caps.Clock = FollowsContextClock
    let policy = Policy.defaults |> Policy.expire (Expire.after defaultSpan)
    let fresh body = clocked subject policy body
    [ Law.property "Add never overwrites a live entry"
      <| fun (old: int) (value: int) (first: Timeout) (second: Timeout) (share: byte) ->
          fresh (fun cache clock ->
              let first = storing first |> lasting caps
              cache |> ModelMachine.setWith first "k" old |> run
              // somewhere in the entry's life, never at or past its deadline
              let life = lifetime first
              if followsClock then
                  clock.Advance(TimeSpan.FromTicks(if life = Int64.MaxValue then int64 share * TimeSpan.TicksPerDay else (life - 1L) * int64 share / 256L))
              Expect.isFalse (cache |> ModelMachine.addWith (lasting caps second) "k" value |> run) "Add reports it did not add"
              Expect.equal (cache |> Cache.tryGet<int> "k" |> run) (Some old) "the live value is untouched")

      Law.property "GetMany returns exactly the live keys with their latest values"
      <| fun (writes: (SmallKey * int * Timeout) list) (deletes: SmallKey list) (seconds: byte) (wanted: SmallKey list) ->
          fresh (fun cache clock ->
              // on the context's clock each write happens one second after the previous one
              let step = if followsClock then TimeSpan.TicksPerSecond else 0L
              let model =
                  writes
                  |> List.mapi (fun i w -> i, w)
                  |> List.fold (fun model (i, (SmallKey k, n, t)) ->
                      let t = lasting caps t
                      clock.Advance(TimeSpan.FromTicks step)
                      cache |> ModelMachine.setWith t k n |> run
                      let now = int64 (i + 1) * step
                      if stores t then
                          Map.add k (n, (if lifetime t = Int64.MaxValue then Int64.MaxValue else now + lifetime t)) model
                      else Map.remove k model) Map.empty
              let model = deletes |> List.fold (fun m (SmallKey k) -> cache |> Cache.delete k |> run |> ignore; Map.remove k m) model
              let later = if followsClock then 3L * int64 seconds * TimeSpan.TicksPerSecond else 0L
              clock.Advance(TimeSpan.FromTicks later)
              let now = int64 (List.length writes) * step + later
              let keys = wanted |> List.map (fun (SmallKey k) -> k)
              let expected =
                  keys
                  |> List.choose (fun k -> Map.tryFind k model |> Option.filter (fun (_, d) -> d > now) |> Option.map (fun (n, _) -> k, n))
                  |> Map.ofList
              Expect.equal (cache |> Cache.getMany<int> keys |> run) expected "GetMany = the live requested keys with their last written values")

      Law.property "IncrementVersion moves the value to version + delta and the old version is gone"
      <| fun (value: int) (from: byte) (delta: sbyte) ->
          delta <> 0y ==> lazy (
              fresh (fun cache _ ->
                  let from = int from
                  let target = from + int delta
                  let atFrom = cache |> Cache.atVersion from
                  let moved (result: Result<int, CacheError>) = result |> Result.mapError ModelMachine.errorName
                  atFrom |> Cache.setFor Expire.never "k" value |> run
                  Expect.equal (atFrom |> Cache.incrVersionBy (int delta) "k" |> run |> moved) (Ok target) "the new version"
                  Expect.equal (cache |> Cache.atVersion target |> Cache.tryGet<int> "k" |> run) (Some value) "the value is at the new version"
                  Expect.isFalse (atFrom |> Cache.hasKey "k" |> run) "the old version is gone"
                  Expect.equal (atFrom |> Cache.incrVersionBy (int delta) "k" |> run |> moved) (Error "KeyNotFound(k)") "moving it again finds nothing"))

      Law.property "GetOrSet returns the stored value on a hit and the factory's on a miss"
      <| fun (stored: int option) (made: int) (timeout: Timeout) ->
          fresh (fun cache _ ->
              let timeout = lasting caps timeout
              stored |> Option.iter (fun n -> cache |> Cache.setFor Expire.never "k" n |> run)
              let calls = ref 0
              let factory () = calls.Value <- calls.Value + 1; Task.FromResult made
              let got = cache |> ModelMachine.getOrSetWith timeout "k" factory |> run
              match stored with
              | Some n -> Expect.equal (got, calls.Value) (n, 0) "a hit returns the stored value and never runs the factory"
              | None ->
                  Expect.equal (got, calls.Value) (made, 1) "a miss runs the factory once and returns its value"
                  let expected = if stores timeout then Some made else None
                  Expect.equal (cache |> Cache.tryGet<int> "k" |> run) expected "the factory's value is stored unless it expires at once") ]
    |> Law.group "operations"
