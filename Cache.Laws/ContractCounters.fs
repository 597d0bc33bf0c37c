/// The contract's counter group: Django's incr and decr cases, the errors they return, and that a counter keeps the
/// expiry of the entry it changes (on the context's clock, or on a server's own clock by waiting).
module internal FunctionalCache.Laws.ContractCounters

open System
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks

/// Counters set to expire: one to count up, one down, and a negative one (memcached counts those by compare-and-swap,
/// not with its own incr).
let private setCounters (f: Fixture) (expire: CacheTimeout) =
    f.Cache |> Cache.setFor expire "up" 1L |> run
    f.Cache |> Cache.setFor expire "down" 10L |> run
    f.Cache |> Cache.setFor expire "negative" -5L |> run

/// Changes the counters of `setCounters`, and gives the values they must hold now.
let private changeCounters (f: Fixture) =
    Expect.equal (f.Cache |> Cache.incr "up" |> run) (Ok 2L) "incr"
    Expect.equal (f.Cache |> Cache.decr "down" |> run) (Ok 9L) "decr"
    Expect.equal (f.Cache |> Cache.incr "negative" |> run) (Ok -4L) "incr of a negative counter"
    [ "up", 2L; "down", 9L; "negative", -4L ]

let private expectCounters (f: Fixture) (counters: (string * int64) list) (what: string) =
    for key, value in counters do
        Expect.equal (f.Cache |> Cache.tryGet<int64> key |> run) (Some value) $"{key}: {what}"

let private expectLapsed (f: Fixture) (counters: (string * int64) list) (what: string) =
    for key, _ in counters do
        Expect.isFalse (f.Cache |> Cache.hasKey key |> run) $"{key}: {what}"

/// Django's incr and decr cases, and the expiry a counter keeps.
let counters (subject: Subject) =
    let case = example subject
    let storesNull = subject.Capabilities.StoresNull
    [ case "incr adds to a stored integer and returns the new value" (fun f ->
          f.Cache |> Cache.set "answer" 41 |> run
          Expect.equal (f.Cache |> Cache.incr "answer" |> run) (Ok 42L) "incr"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
          Expect.equal (f.Cache |> Cache.incrBy 10L "answer" |> run) (Ok 52L) "incr 10"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 52) "stored"
          Expect.equal (f.Cache |> Cache.incrBy (-10L) "answer" |> run) (Ok 42L) "incr -10"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored")

      case "incr on a missing key is KeyNotFound with Django's message" (fun f ->
          expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incr "does_not_exist" |> run)
          expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incrBy (-1L) "does_not_exist" |> run))

      case "incr on a stored null or a non-integer is NotAnInteger" (fun f ->
          if storesNull then
              f.Cache |> Cache.set<string> "null" null |> run
              expectNotAnInteger (f.Cache |> Cache.incr "null" |> run)
          f.Cache |> Cache.set "text" "abc" |> run
          expectNotAnInteger (f.Cache |> Cache.incr "text" |> run)
          Expect.equal (f.Cache |> Cache.tryGet<string> "text" |> run) (Some "abc") "the value is untouched")

      case "incr past Int64.MaxValue is Overflow and leaves the value" (fun f ->
          f.Cache |> Cache.set "big" Int64.MaxValue |> run
          expectOverflow (f.Cache |> Cache.incr "big" |> run)
          Expect.equal (errorOf (f.Cache |> Cache.incr "big" |> run)).Message "Incrementing key 'big' overflows its integer type" "message"
          Expect.equal (f.Cache |> Cache.tryGet<int64> "big" |> run) (Some Int64.MaxValue) "unchanged"
          f.Cache |> Cache.set "small" Int64.MinValue |> run
          expectOverflow (f.Cache |> Cache.decr "small" |> run))

      case "decr subtracts from a stored integer" (fun f ->
          f.Cache |> Cache.set "answer" 43 |> run
          Expect.equal (f.Cache |> Cache.decr "answer" |> run) (Ok 42L) "decr"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
          Expect.equal (f.Cache |> Cache.decrBy 10L "answer" |> run) (Ok 32L) "decr 10"
          Expect.equal (f.Cache |> Cache.decrBy (-10L) "answer" |> run) (Ok 42L) "decr -10"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
          expectKeyNotFound "does_not_exist" (f.Cache |> Cache.decr "does_not_exist" |> run)
          if storesNull then
              f.Cache |> Cache.set<string> "null" null |> run
              expectNotAnInteger (f.Cache |> Cache.decr "null" |> run))

      match subject.Capabilities.Clock with
      | FollowsContextClock ->
          // A counter that rewrote its entry with the default timeout, with none, or with its timeout counted again
          // from the increment would outlive the deadline set by the write.
          case "incr and decr keep the expiry: a counter set for 10 s and changed after 5 s is gone at 10 s" (fun f ->
              setCounters f (Expire.seconds 10.0)
              advance f.Clock 5.0
              let counters = changeCounters f
              expectCounters f counters "changed"
              f.Clock.Advance(TimeSpan.FromSeconds 5.0 - TimeSpan.FromTicks 1L)
              expectCounters f counters "there one tick before the deadline of the write"
              f.Clock.Advance(TimeSpan.FromTicks 1L)
              expectLapsed f counters "gone at the deadline of the write")
      | OwnClock ->
          case "on the server's clock: incr and decr keep the expiry, a counter set for 2 s is gone after 2.6 s" (fun f ->
              setCounters f ServerClock.short
              let counters = changeCounters f
              expectCounters f counters "changed"
              ServerClock.waitPastShort ()
              expectLapsed f counters "lapsed with the timeout of the write") ]
