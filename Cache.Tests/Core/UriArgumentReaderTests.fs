/// The reader backend factories use for their own URI arguments: typed values, and one problem per bad value.
module Core.UriArgumentReaderTests

open Expecto
open FunctionalCache

let private readerOf (query: string) =
    UriArgumentReader(BackendUri.Parse($"custom:///?{query}", [ "wait"; "on"; "size" ]))

let private some (o: LanguageExt.Option<'T>) = if o.IsSome then Some(o.IfNone(Unchecked.defaultof<'T>)) else None

[<Tests>]
let tests =
    testList "UriArgumentReader" [
        testCase "good values read as typed values, absent ones as none, and no problem is recorded" <| fun () ->
            let r = readerOf "wait=0.25&on=1&size=12"
            Expect.equal (some (r.Seconds "wait")) (Some(System.TimeSpan.FromSeconds 0.25)) "seconds"
            Expect.equal (some (r.Flag "on")) (Some true) "flag"
            Expect.equal (some (r.WholeNumber("size", 1, 100))) (Some 12) "whole number"
            Expect.equal (some (r.Flag "absent")) None "absent"
            Expect.isTrue r.Problems.IsEmpty "no problem"

        testCase "every bad value is one problem naming the argument, the rule and the value, in the order read" <| fun () ->
            let r = readerOf "wait=-1&on=maybe&size=0"
            Expect.equal (some (r.Seconds "wait")) None "bad seconds read as none"
            Expect.equal (some (r.Flag "on")) None "bad flag read as none"
            Expect.equal (some (r.WholeNumber("size", 1, 1024))) None "out of range"
            Expect.equal [ for p in r.Problems -> p.Part, p.Message ]
                [ "argument 'wait'", "Argument 'wait' must be a positive number of seconds under a day, not '-1'."
                  "argument 'on'", "Argument 'on' must be 'true' or 'false', not 'maybe'."
                  "argument 'size'", "Argument 'size' must be a whole number from 1 to 1024, not '0'." ] "problems"

        testCase "a bad value holding a control character is quoted with an escape, so the problem stays one line" <| fun () ->
            let r = readerOf "on=ye%0As"
            r.Flag "on" |> ignore
            let message = r.Problems.Head.Message
            Expect.isFalse (message.Contains '\n') $"one line: {message}"
            Expect.stringContains message "must be 'true' or 'false'" "the rule"
    ]
