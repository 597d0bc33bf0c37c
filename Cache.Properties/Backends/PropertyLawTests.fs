/// FunctionalCache.Laws' property laws (expiry, operations, counters, culling, key warnings, the F# round trip) on
/// every backend and wrapper of ours, each law where the subject's capabilities say it applies; the key-warning law on
/// the dummy backend too (it stores nothing, so the other laws are not for it); and the counter rule the laws compute
/// their expectations with, pinned on its edges.
module Backends.PropertyLawTests

open System
open Expecto
open FunctionalCache
open FunctionalCache.Backends.Dummy
open FunctionalCache.Laws
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.Expecto

/// The dummy backend as a subject of the key-warning law.
let private dummy = Subject.create "dummy" (fun context policy -> DummyCache(policy, context) :> ICache)

let private counterRule =
    testCase "the counter rule: Overflow outside int64, an unsigned decrement stops at 0" <| fun () ->
        let rule = CounterLaws.expectedCounter
        Expect.equal (rule false "k" (StoredInt64 Int64.MaxValue) 1L) (Error "Overflow(k)") "past the top"
        Expect.equal (rule false "k" (StoredInt64 Int64.MinValue) -1L) (Error "Overflow(k)") "past the bottom"
        Expect.equal (rule false "k" (StoredText "18446744073709551615") -1L) (Error "Overflow(k)") "a stored 2^64 - 1"
        Expect.equal (rule false "k" (StoredText "-9223372036854775808") 1L) (Ok(Int64.MinValue + 1L)) "a text inside the range"
        Expect.equal (rule false "k" (StoredInt64 5L) -7L) (Ok -2L) "signed: below zero"
        Expect.equal (rule true "k" (StoredInt64 5L) Int64.MinValue) (Ok 0L) "unsigned: stops at 0"
        Expect.equal (rule true "k" (StoredInt64 -5L) Int64.MinValue) (Error "Overflow(k)") "unsigned: a negative counter is signed"

[<Tests>]
let tests =
    testList "Backends.PropertyLaws" [
        for subject in Backends.Subjects.all do
            LawTests.ofLaws subject (PropertyLaws.laws subject |> LawBudget.forSubject subject)
        LawTests.ofLaws dummy (KeyWarningLaws.laws dummy)
        counterRule
    ]
