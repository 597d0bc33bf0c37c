/// Counters at the edge of int64, the same rule on every storing backend (locmem, file, db on SQLite and
/// PostgreSQL, memcached): counters are signed 64-bit. A stored integer outside int64's range (2^63, memcached's
/// 2^64 - 1, thirty digits) is Overflow, and so is a result past Int64.MaxValue or Int64.MinValue; either way the
/// stored value is left as it was. memcached's documented differences: a decrement of a counter at or above 0
/// stops at 0, and a text "-n" with 2^63 < n < 2^64 is read by the server as 2^64 - n (C's strtoull) and counted;
/// such starts are left out there, and MemcachedTests pins what happens to them.
module Backends.CounterLaws

open System
open System.Numerics
open Expecto
open FsCheck
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open Backends.BackendMachine

let private fitsInt64 (n: BigInteger) = n >= BigInteger Int64.MinValue && n <= BigInteger Int64.MaxValue

let private textOf start =
    match start with
    | StoredInt64 n -> string n
    | StoredText t -> t

/// The outcome the rule gives for incrementing `start` by `delta` under `key`: the new value, or the error's name.
let expectedCounter (unsigned: bool) (key: string) (start: CounterStart) (delta: int64) : Result<int64, string> =
    let stored = BigInteger.Parse(textOf start)
    let sum = stored + BigInteger delta
    if not (fitsInt64 stored) then Error $"Overflow({key})"
    elif unsigned && stored.Sign >= 0 && sum.Sign < 0 then Ok 0L
    elif fitsInt64 sum then Ok(int64 sum)
    else Error $"Overflow({key})"

let private store (cache: ICache) key start =
    match start with
    | StoredInt64 n -> cache |> Cache.setFor Expire.never key n |> run
    | StoredText t -> cache |> Cache.setFor Expire.never key t |> run

/// What the key holds, read as the type it was written as, in decimal.
let private readBack (cache: ICache) key start =
    match start with
    | StoredInt64 _ -> cache |> Cache.tryGet<int64> key |> run |> Option.map string
    | StoredText _ -> cache |> Cache.tryGet<string> key |> run

/// Increments `key` by `delta`, or decrements it by -delta when `viaDecrement` (Decrement refuses Int64.MinValue's
/// negation, so that delta always goes through Increment).
let private change (cache: ICache) key (delta: int64) viaDecrement =
    if viaDecrement && delta < 0L && delta <> Int64.MinValue then cache |> Cache.decrBy -delta key |> run
    else cache |> Cache.incrBy delta key |> run

/// A start memcached's server misreads: "-n" with 2^63 < n < 2^64, which strtoull reads as 2^64 - n.
let private misreadByMemcached start =
    match start with
    | StoredText t when t.StartsWith '-' ->
        let n = BigInteger.Parse(t.Substring 1)
        n > BigInteger Int64.MaxValue + BigInteger.One && n < (BigInteger.One <<< 64)
    | _ -> false

/// Stores `start` under `key`, changes it by `delta`, and checks the outcome and what the key then holds. On
/// memcached (the backend whose server does the arithmetic: `UnsignedCounters`) a start it misreads is skipped.
let private checkCounter (b: BackendUnderTest) (cache: ICache) key start delta viaDecrement =
    if not (b.UnsignedCounters && misreadByMemcached start) then
        store cache key start
        let outcome = change cache key delta viaDecrement |> Result.mapError errorName
        let expected = expectedCounter b.UnsignedCounters key start delta
        let how = if viaDecrement && delta < 0L && delta <> Int64.MinValue then $"decremented by {-delta}" else $"incremented by {delta}"
        let step = $"{b.Name}: {textOf start} {how}"
        Expect.equal outcome expected step
        match expected with
        | Ok value -> Expect.equal (readBack cache key start) (Some(string value)) $"{step}: the new value is stored"
        | Error _ -> Expect.equal (readBack cache key start) (Some(textOf start)) $"{step}: the stored value is left as it was"

let private edgeStarts = (int64Edges |> List.map StoredInt64) @ (counterTexts |> List.map StoredText)

let private lawsFor (b: BackendUnderTest) =
    testList b.Name [
        testCase "every edge start changed by every edge delta gives the rule's outcome and leaves the rule's value" <| fun () ->
            let cache = b.Make FunctionalCache.Backends.CacheContext.Default Policy.defaults
            try
                let mutable i = 0
                for start in edgeStarts do
                    for delta in int64Edges do
                        for viaDecrement in [ false; true ] do
                            i <- i + 1
                            checkCounter b cache $"k{i}" start delta viaDecrement
            finally
                b.Release cache

        testPropertyWithConfig { Config.config with maxTest = 50 } "starts and deltas near the edges give the rule's outcome"
        <| fun (steps: (CounterStart * CounterDelta * bool) list) ->
            let cache = b.Make FunctionalCache.Backends.CacheContext.Default Policy.defaults
            try
                for i, (start, CounterDelta delta, viaDecrement) in List.indexed (List.truncate 8 steps) do
                    checkCounter b cache $"k{i}" start delta viaDecrement
            finally
                b.Release cache ]
    |> sequencedIfShared b

let private rule =
    testCase "the rule itself: Overflow outside int64, memcached's decrement stops at 0" <| fun () ->
        Expect.equal (expectedCounter false "k" (StoredInt64 Int64.MaxValue) 1L) (Error "Overflow(k)") "past the top"
        Expect.equal (expectedCounter false "k" (StoredInt64 Int64.MinValue) -1L) (Error "Overflow(k)") "past the bottom"
        Expect.equal (expectedCounter false "k" (StoredText "18446744073709551615") -1L) (Error "Overflow(k)") "a stored 2^64 - 1"
        Expect.equal (expectedCounter false "k" (StoredText "-9223372036854775808") 1L) (Ok(Int64.MinValue + 1L)) "a text inside the range"
        Expect.equal (expectedCounter true "k" (StoredInt64 5L) Int64.MinValue) (Ok 0L) "unsigned: stops at 0"
        Expect.equal (expectedCounter true "k" (StoredInt64 -5L) Int64.MinValue) (Error "Overflow(k)") "unsigned: a negative counter is signed"

[<Tests>]
let tests = testList "Backends.CounterLaws" (rule :: [ for b in storingBackends -> lawsFor b ])
