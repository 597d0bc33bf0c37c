/// Counter laws: Increment and Decrement are signed 64-bit arithmetic on the stored integer. A stored integer outside
/// int64's range (2^63, memcached's 2^64 - 1, thirty digits) is `Overflow`, and so is a result past `Int64.MaxValue`
/// or `Int64.MinValue`; either way the stored value is left as it was. A missing key is `KeyNotFound` with the caller's
/// key. On a subject with `UnsignedCounters` (memcached) a decrement of a counter at or above 0 stops at 0, and a text
/// "-n" with 2^63 < n < 2^64, which such a server reads as 2^64 - n (C's `strtoull`), is left out.
module FunctionalCache.Laws.CounterLaws

open System
open System.Numerics
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

let private fitsInt64 (n: BigInteger) = n >= BigInteger Int64.MinValue && n <= BigInteger Int64.MaxValue

let private textOf start =
    match start with
    | StoredInt64 n -> string n
    | StoredText t -> t

/// The rule: the outcome of incrementing `start` by `delta` under `key`, as the new value or the error's name
/// (`Overflow(k)`); `unsigned` for a subject whose counters stop at 0.
let expectedCounter (unsigned: bool) (key: string) (start: CounterStart) (delta: int64) : Result<int64, string> =
    let stored = BigInteger.Parse(textOf start)
    let sum = stored + BigInteger delta
    if not (fitsInt64 stored) then Error $"Overflow({key})"
    elif unsigned && stored.Sign >= 0 && sum.Sign < 0 then Ok 0L
    elif fitsInt64 sum then Ok(int64 sum)
    else Error $"Overflow({key})"

let private counter (result: Result<'a, CacheError>) = result |> Result.mapError ModelMachine.errorName

let private store (cache: ICache) key start =
    match start with
    | StoredInt64 n -> cache |> Cache.setFor Expire.never key n |> run
    | StoredText t -> cache |> Cache.setFor Expire.never key t |> run

/// What the key holds, read as the type it was written as, in decimal.
let private readBack (cache: ICache) key start =
    match start with
    | StoredInt64 _ -> cache |> Cache.tryGet<int64> key |> run |> Option.map string
    | StoredText _ -> cache |> Cache.tryGet<string> key |> run

/// Decrement refuses Int64.MinValue's negation, so that delta always goes through Increment.
let private viaDecrementOf (delta: int64) viaDecrement = viaDecrement && delta < 0L && delta <> Int64.MinValue

/// Increments `key` by `delta`, or decrements it by -delta when asked and possible.
let private change (cache: ICache) key (delta: int64) viaDecrement =
    if viaDecrementOf delta viaDecrement then cache |> Cache.decrBy -delta key |> run
    else cache |> Cache.incrBy delta key |> run

/// A start an unsigned-counter server misreads: "-n" with 2^63 < n < 2^64, which strtoull reads as 2^64 - n.
let private misreadUnsigned start =
    match start with
    | StoredText t when t.StartsWith '-' ->
        let n = BigInteger.Parse(t.Substring 1)
        n > BigInteger Int64.MaxValue + BigInteger.One && n < (BigInteger.One <<< 64)
    | _ -> false

/// Stores `start` under `key`, changes it by `delta`, and checks the outcome and what the key then holds.
let private checkCounter (capabilities: Capabilities) (cache: ICache) key start delta viaDecrement =
    let unsigned = capabilities.UnsignedCounters
    if not (unsigned && misreadUnsigned start) then
        store cache key start
        let outcome = change cache key delta viaDecrement |> counter
        let expected = expectedCounter unsigned key start delta
        let how = if viaDecrementOf delta viaDecrement then $"decremented by {-delta}" else $"incremented by {delta}"
        let step = $"{textOf start} {how}"
        Expect.equal outcome expected step
        match expected with
        | Ok value -> Expect.equal (readBack cache key start) (Some(string value)) $"{step}: the new value is stored"
        | Error _ -> Expect.equal (readBack cache key start) (Some(textOf start)) $"{step}: the stored value is left as it was"

let private edgeStarts = (int64Edges |> List.map StoredInt64) @ (counterTexts |> List.map StoredText)

/// The counter laws of the subject.
let laws (subject: Subject) : Law list =
    let caps = subject.Capabilities
    let rule = expectedCounter caps.UnsignedCounters "k"
    [ Law.example "every edge start changed by every edge delta gives the rule's outcome and leaves the rule's value" (fun () ->
          within subject FunctionalCache.Backends.CacheContext.Default Policy.defaults (fun cache ->
              let mutable i = 0
              for start in edgeStarts do
                  for delta in int64Edges do
                      for viaDecrement in [ false; true ] do
                          i <- i + 1
                          checkCounter caps cache $"k{i}" start delta viaDecrement))

      Law.propertyWith 50 "starts and deltas near the edges give the rule's outcome" (fun (steps: (CounterStart * CounterDelta * bool) list) ->
          within subject FunctionalCache.Backends.CacheContext.Default Policy.defaults (fun cache ->
              for i, (start, CounterDelta delta, viaDecrement) in List.indexed (List.truncate 8 steps) do
                  checkCounter caps cache $"k{i}" start delta viaDecrement))

      Law.property "Increment and Decrement give n + a - b" (fun (n: int) (a: int) (b: int) ->
          clocked subject Policy.defaults (fun cache _ ->
              let afterIncrement = rule (StoredInt64(int64 n)) (int64 a)
              let afterDecrement = afterIncrement |> Result.bind (fun sum -> rule (StoredInt64 sum) -(int64 b))
              let afterOne = afterDecrement |> Result.bind (fun sum -> rule (StoredInt64 sum) 1L)
              cache |> Cache.setFor Expire.never "k" (int64 n) |> run
              Expect.equal (cache |> Cache.incrBy (int64 a) "k" |> run |> counter) afterIncrement "Increment returns n + a"
              Expect.equal (cache |> Cache.decrBy (int64 b) "k" |> run |> counter) afterDecrement "Decrement returns n + a - b"
              Expect.equal (cache |> Cache.tryGet<int64> "k" |> run |> Option.map Ok) (Some afterDecrement) "Get sees n + a - b"
              Expect.equal (cache |> Cache.incr "k" |> run |> counter) afterOne "the default delta is 1"))

      Law.property "Increment past Int64.MaxValue is Overflow and changes nothing" (fun (gap: byte) (over: byte) ->
          clocked subject Policy.defaults (fun cache _ ->
              let n = Int64.MaxValue - int64 gap
              cache |> Cache.setFor Expire.never "k" n |> run
              Expect.equal (cache |> Cache.incrBy (int64 gap + 1L + int64 over) "k" |> run |> counter) (Error "Overflow(k)") "Overflow"
              Expect.equal (cache |> Cache.decr "m" |> run |> counter) (Error "KeyNotFound(m)") "a missing key is still KeyNotFound"
              Expect.equal (cache |> Cache.tryGet<int64> "k" |> run) (Some n) "the stored value is unchanged"))

      Law.property "Increment and Decrement of a missing key are KeyNotFound with the caller's key" (fun (SmallKey key) (delta: int) (version: byte) ->
          clocked subject Policy.defaults (fun cache _ ->
              let cache = cache |> Cache.atVersion (int version)
              let expected = Error $"KeyNotFound({key})"
              Expect.equal (cache |> Cache.incrBy (int64 delta) key |> run |> counter) expected "Increment"
              Expect.equal (cache |> Cache.decrBy (abs (int64 delta)) key |> run |> counter) expected "Decrement"
              Expect.isFalse (cache |> Cache.hasKey key |> run) "and the key is still absent")) ]
    |> Law.group "counters"
