/// The custom backend of samples/CustomBackend under FunctionalCache.Laws: every law holds for `DictionaryCache` (run
/// through FunctionalCache.Laws.Expecto, one test per law), and the laws catch `BrokenDictionaryCache`'s off-by-one
/// expiry three times, by the contract's deadline example, the expiry property law and the model machine, the last two
/// with FsCheck's shrunk counterexample, so the sample and docs/writing-a-backend.md cannot silently stop showing a
/// caught bug.
module Laws.SampleBackendTests

open System.Text.RegularExpressions
open Expecto
open FunctionalCache
open FunctionalCache.Laws
open FunctionalCache.Laws.Expecto
open Samples.CustomBackend

/// The sample backend as its author declares it: a CacheBase subclass over a private dictionary.
let dictionary = Subject.create "dict" (fun context policy -> DictionaryCache(policy, context) :> ICache)

/// The same backend with its deadline compared by `>` instead of `>=`.
let broken = Subject.create "broken dict" (fun context policy -> BrokenDictionaryCache(policy, context) :> ICache)

/// The law that must catch the broken variant: the machine moves its fake clock exactly onto deadlines.
let private machineLaw = "model machine / agrees with the map model"

/// The contract's example that must catch it too: Django's expiry case, checked exactly at the deadline.
let private deadlineExample = "contract / timeouts / entries expire at their deadline: visible just before, gone from it on"

/// And the property law of expiry, whose counterexample shrinks to a timeout of one tick.
let private expiryLaw = "laws / expiry / After(t) is visible at every instant before t and gone from t on"

let private onlyMachine = { LawConfig.defaults with Only = (=) machineLaw }

/// FsCheck's seed and gamma in a failure's first line: "Falsifiable, after 15 tests (8 shrinks) (seed,gamma)."
let private seedOf (text: string) =
    let m = Regex.Match(text, @"Falsifiable, after \d+ tests? \(\d+ shrinks?\) \((\d+),(\d+)\)")
    if m.Success then Some(uint64 m.Groups[1].Value, uint64 m.Groups[2].Value) else None

/// What the report says of a broken law, if it broke.
let private brokenText (law: string) (report: LawReport) =
    report.Results
    |> List.tryPick (fun r -> match r.Outcome with Broken text when r.Law = law -> Some text | _ -> None)

[<Tests>]
let tests =
    testList "Laws.SampleBackend" [
        LawTests.forSubject dictionary

        testCase "the laws break for the broken dictionary: the machine's law with a shrunk counterexample that moves the clock onto a deadline, the expiry law shrunk to one tick, and the contract's deadline example with its message" <| fun () ->
            let report = Laws.check LawConfig.defaults broken
            Expect.isFalse report.Passed "the broken dictionary does not pass"
            Expect.stringContains (string report) ("BROKEN  " + machineLaw) "the report names the broken law"
            match brokenText machineLaw report with
            | None -> failtestf "the machine's law held for the broken dictionary:\n%O" report
            | Some text ->
                Expect.stringContains text "Falsifiable" "FsCheck's verdict"
                Expect.stringContains text "Shrunk:" "the counterexample was shrunk"
                Expect.stringContains text "HasKey disagrees with the model" "the failing check: an entry the model says is gone is still there"
                let shrunk = text.Substring(text.IndexOf "Shrunk:")
                Expect.stringContains shrunk "AdvanceClock" "the shrunk steps move the clock"
                Expect.isSome (seedOf text) "the report gives the seed to replay it"
            match brokenText deadlineExample report with
            | None -> failtestf "the contract's deadline example held for the broken dictionary:\n%O" report
            | Some text -> Expect.stringContains text "at the deadline" "the example says where it looked"
            match brokenText expiryLaw report with
            | None -> failtestf "the expiry law held for the broken dictionary:\n%O" report
            | Some text ->
                Expect.stringContains text "gone at the deadline" "the law's failing check"
                let shrunk = text.Substring(text.IndexOf "Shrunk:")
                Expect.stringContains shrunk "PositiveSpan 00:00:00.0000001" "shrunk to a timeout of one tick"

        testCase "LawConfig.Replay with the seed of a failure replays it exactly, and Only runs just the named law" <| fun () ->
            let first = Laws.check onlyMachine broken
            Expect.equal [ for r in first.Results -> r.Law ] [ machineLaw ] "Only ran the one law"
            let text = brokenText machineLaw first |> Option.defaultWith (fun () -> failtestf "the law held:\n%O" first)
            let again = Laws.check { onlyMachine with Replay = seedOf text } broken
            Expect.equal (brokenText machineLaw again) (Some text) "the same failure, the same counterexample"
    ]
