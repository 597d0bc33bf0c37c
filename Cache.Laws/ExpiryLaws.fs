/// Expiry laws under a fake clock, for subjects that follow the context's clock: an entry written with After(t) is
/// visible strictly before its deadline and gone from it on, Never never expires, a zero or negative timeout stores
/// nothing (and a Set or Touch with one removes the entry), Touch moves the deadline and Increment keeps it.
module FunctionalCache.Laws.ExpiryLaws

open System
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

/// What a reader sees under "k": the value by Get and the answer of HasKey.
let private seen (cache: ICache) = cache |> Cache.tryGet<int64> "k" |> run, cache |> Cache.hasKey "k" |> run

let private advanceTo (clock: FakeTimeProvider) (start: DateTimeOffset) (ticks: int64) =
    clock.Advance(start.AddTicks(ticks) - clock.GetUtcNow())

/// An instant strictly before a deadline `span` after the start: `share`/256 of the way to its last tick.
let private before (span: TimeSpan) (share: byte) = (span.Ticks - 1L) * int64 share / 256L

/// The expiry laws of the subject (none for a subject with its own clock: the fake clock cannot move it).
let laws (subject: Subject) : Law list =
    let caps = subject.Capabilities
    let fresh body = clocked subject Policy.defaults body
    if caps.Clock <> FollowsContextClock then []
    else
        [ Law.property "After(t) is visible at every instant before t and gone from t on"
          <| fun (PositiveSpan t) (share: byte) (PositiveSpan extra) (value: int64) ->
              fresh (fun cache clock ->
                  let start = clock.GetUtcNow()
                  cache |> Cache.setFor (Expire.after t) "k" value |> run
                  advanceTo clock start (before t share)
                  Expect.equal (seen cache) (Some value, true) "visible strictly before the deadline"
                  advanceTo clock start (t.Ticks - 1L)
                  Expect.equal (seen cache) (Some value, true) "visible one tick before the deadline"
                  advanceTo clock start t.Ticks
                  Expect.equal (seen cache) (None, false) "gone at the deadline"
                  Expect.isTrue (cache |> Cache.addFor Expire.never "k" (value + 1L) |> run) "Add sees the key as free at the deadline"
                  cache |> Cache.delete "k" |> run |> ignore
                  cache |> Cache.setFor (Expire.after t) "k" value |> run
                  advanceTo clock start (t.Ticks + t.Ticks + extra.Ticks)
                  Expect.equal (seen cache) (None, false) "gone after the deadline")

          Law.property "Never never expires" <| fun (years: byte) (value: int64) ->
              fresh (fun cache clock ->
                  cache |> Cache.setFor Expire.never "k" value |> run
                  cache |> Cache.addFor Expire.never "n" value |> run |> ignore
                  clock.Advance(TimeSpan.FromDays(365.25 * float (int years + 1)))
                  Expect.equal (seen cache) (Some value, true) "a Set with Never survives the years"
                  Expect.equal (cache |> Cache.tryGet<int64> "n" |> run) (Some value) "an Add with Never survives the years")

          Law.property "a zero or negative Set removes the existing value"
          <| fun (NonPositiveSpan t) (old: int64) (value: int64) (existing: Timeout) ->
              fresh (fun cache _ ->
                  cache |> Cache.setFor (toExpire existing) "k" old |> run
                  cache |> Cache.setFor (Expire.after t) "k" value |> run
                  Expect.equal (seen cache) (None, false) "nothing is visible after a Set that expires at once")

          Law.property "a zero or negative Add is true iff no live value, and stores nothing"
          <| fun (NonPositiveSpan t) (present: bool) (old: int64) (value: int64) ->
              fresh (fun cache _ ->
                  if present then cache |> Cache.setFor Expire.never "k" old |> run
                  let added = cache |> Cache.addFor (Expire.after t) "k" value |> run
                  Expect.equal added (not present) "Add reports whether it would have added"
                  let expected = if present then (Some old, true) else (None, false)
                  Expect.equal (seen cache) expected "the old value stays, the new one is not stored")

          Law.property "Touch moves the deadline to now + the new timeout"
          <| fun (PositiveSpan t1) (share: byte) (PositiveSpan t2) (value: int64) ->
              fresh (fun cache clock ->
                  let start = clock.GetUtcNow()
                  cache |> Cache.setFor (Expire.after t1) "k" value |> run
                  let touchedAt = before t1 share
                  advanceTo clock start touchedAt
                  Expect.isTrue (cache |> Cache.touch (Expire.after t2) "k" |> run) "Touch finds the live key"
                  let deadline = touchedAt + t2.Ticks
                  advanceTo clock start (deadline - 1L)
                  Expect.equal (seen cache) (Some value, true) "visible one tick before the new deadline"
                  advanceTo clock start deadline
                  Expect.equal (seen cache) (None, false) "gone at the new deadline"
                  Expect.isFalse (cache |> Cache.touch Expire.never "k" |> run) "Touch does not revive an expired key")

          Law.property "Touch with a zero or negative timeout removes a live key"
          <| fun (NonPositiveSpan t) (present: bool) (value: int64) ->
              fresh (fun cache _ ->
                  if present then cache |> Cache.setFor Expire.never "k" value |> run
                  Expect.equal (cache |> Cache.touch (Expire.after t) "k" |> run) present "Touch reports whether the key was live"
                  Expect.equal (seen cache) (None, false) "nothing is visible afterwards")

          Law.property "Increment keeps the deadline"
          <| fun (PositiveSpan t) (share: byte) (value: int) (delta: int) ->
              fresh (fun cache clock ->
                  let start = clock.GetUtcNow()
                  cache |> Cache.setFor (Expire.after t) "k" (int64 value) |> run
                  advanceTo clock start (before t share)
                  let sum = CounterLaws.expectedCounter caps.UnsignedCounters "k" (StoredInt64(int64 value)) (int64 delta)
                  Expect.equal (cache |> Cache.incrBy (int64 delta) "k" |> run |> Result.mapError ModelMachine.errorName) sum "the increment succeeds"
                  advanceTo clock start (t.Ticks - 1L)
                  Expect.equal (seen cache |> fst |> Option.map Ok) (Some sum) "the new value is visible until the old deadline"
                  advanceTo clock start t.Ticks
                  Expect.equal (seen cache) (None, false) "and gone at the old deadline") ]
        |> Law.group "expiry"
