/// The F# face of the C# core's LanguageExt values (FunctionalCache.FSharp's `Option`, `Result`, `BackendUri` and
/// `CacheTimeout` patterns): one example per function, and proof that the same-named modules extend FSharp.Core's
/// and leave the C# `BackendUri` type usable.
module Core.FSharpInteropTests

open System
open Expecto
open FunctionalCache
open FunctionalCache.FSharp

let private timeoutMessage value =
    $"Argument 'timeout' must be a whole number of seconds (-2147483648 to 2147483647), not '{value}'."

[<Tests>]
let tests =
    testList "FSharpInteropTests" [
        testList "Option" [
            testCase "ofLanguageExt keeps Some and None" <| fun () ->
                Expect.equal (Option.ofLanguageExt (LanguageExt.Option<int>.Some 3)) (Some 3) "Some"
                Expect.equal (Option.ofLanguageExt LanguageExt.Option<int>.None) None "None"
            testCase "ofOptionUnsafe keeps a Some that holds null" <| fun () ->
                Expect.equal (Option.ofOptionUnsafe (LanguageExt.OptionUnsafe<string>.Some null)) (Some null) "Some null"
                Expect.equal (Option.ofOptionUnsafe (LanguageExt.OptionUnsafe<string>.Some "x")) (Some "x") "Some"
                Expect.equal (Option.ofOptionUnsafe LanguageExt.OptionUnsafe<string>.None) None "None"
            testCase "toLanguageExt is the inverse of ofLanguageExt" <| fun () ->
                Expect.equal (Option.toLanguageExt (Some 3)) (LanguageExt.Option<int>.Some 3) "Some"
                Expect.equal (Option.toLanguageExt (None: int option)) LanguageExt.Option<int>.None "None"
                Expect.equal (Some 3 |> Option.toLanguageExt |> Option.ofLanguageExt) (Some 3) "round trip"
            testCase "FSharp.Core's Option functions still resolve beside them" <| fun () ->
                let doubled = LanguageExt.Option<int>.Some 4 |> Option.ofLanguageExt |> Option.map ((*) 2)
                Expect.equal doubled (Some 8) "Option.map"
                Expect.equal (Option.defaultValue 0 None) 0 "Option.defaultValue"
            testCase "a C# function's option reads as an F# option" <| fun () ->
                let now = DateTimeOffset.FromUnixTimeSeconds 1700000000L
                let expiry = Expiry.From(Expire.seconds 10.0, Expire.seconds 300.0, now) |> Option.ofLanguageExt
                Expect.isSome expiry "stored"
                Expect.equal (Expiry.From(Expire.seconds 0.0, Expire.seconds 300.0, now) |> Option.ofLanguageExt) None "not stored" ]

        testList "Result" [
            testCase "ofEither: Right is Ok, Left is Error" <| fun () ->
                Expect.equal (Result.ofEither (LanguageExt.Either<string, int>.Right 3)) (Ok 3) "Right"
                Expect.equal (Result.ofEither (LanguageExt.Either<string, int>.Left "no")) (Error "no") "Left"
            testCase "ofValidation: success is Ok, every failure in order is Error" <| fun () ->
                Expect.equal (Result.ofValidation (LanguageExt.Validation<string, int>.Success 3)) (Ok 3) "success"
                let failed = LanguageExt.Validation<string, int>.Fail(LanguageExt.Prelude.toSeq [ "a"; "b" ])
                Expect.equal (Result.ofValidation failed) (Error [ "a"; "b" ]) "failures"
            testCase "ofValidation collects every problem of a C# parse" <| fun () ->
                match BackendUri.TryParse("locmem:///?timeout=x&max_entries=0", true) |> Result.ofValidation with
                | Ok u -> failtestf "expected problems, got %s" (u.Format())
                | Error problems ->
                    Expect.equal (problems |> List.map (fun p -> p.Part)) [ "argument 'timeout'"; "argument 'max_entries'" ] "parts"
            testCase "FSharp.Core's Result functions still resolve beside them" <| fun () ->
                let r = LanguageExt.Either<string, int>.Right 4 |> Result.ofEither |> Result.map ((*) 2)
                Expect.equal r (Ok 8) "Result.map"
                Expect.equal (Result.mapError String.length (Error "abc": Result<int, string>)) (Error 3) "Result.mapError" ]

        testList "BackendUri" [
            testCase "tryParse gives the URI and its F# accessors" <| fun () ->
                match BackendUri.tryParse "memcached:// h1:11211 ;, h2:11212;;/?timeout=30&max_entries=50&cull_percentage=4" with
                | Error problems -> failtestf "expected a URI, got %A" problems
                | Ok u ->
                    Expect.equal (BackendUri.scheme u) "memcached" "scheme"
                    Expect.equal (BackendUri.location u) " h1:11211 ;, h2:11212;;" "location"
                    Expect.equal (BackendUri.locations u) [ "h1:11211"; "h2:11212" ] "locations"
                    Expect.equal (BackendUri.arguments u) (Map [ "cull_frequency", "4"; "max_entries", "50"; "timeout", "30" ]) "arguments"
                    Expect.equal (BackendUri.timeout u) (Some(Expire.seconds 30.0)) "timeout"
                    Expect.equal (BackendUri.maxEntries u) (Some 50) "max_entries"
                    Expect.equal (BackendUri.cullFrequency u) (Some 4) "cull_frequency"
                    Expect.equal (BackendUri.warnings u) [] "no warnings"
            testCase "absent arguments are None" <| fun () ->
                let u = BackendUri.tryParse "locmem:///" |> Result.defaultWith (fun ps -> failtestf "%A" ps)
                Expect.equal (BackendUri.timeout u, BackendUri.maxEntries u, BackendUri.cullFrequency u) (None, None, None) "defaults"
                Expect.equal (BackendUri.arguments u) Map.empty "no arguments"
                Expect.equal (BackendUri.location u) "" "empty location"
            testCase "tryParse leaves bad values out as warnings; tryParseStrict fails with every message" <| fun () ->
                let lenient = BackendUri.tryParse "locmem:///?timeout=x&max_entries=5"
                match lenient with
                | Error problems -> failtestf "expected a URI, got %A" problems
                | Ok u ->
                    Expect.equal (BackendUri.warnings u) [ timeoutMessage "x" ] "warning"
                    Expect.equal (BackendUri.timeout u) None "left out"
                Expect.equal
                    (BackendUri.tryParseStrict "locmem:///?timeout=x&max_entries=0")
                    (Error [ timeoutMessage "x"; "Argument 'max_entries' must be a whole number from 1 to 2147483647, not '0'." ])
                    "strict"
            testCase "a malformed URI is an Error in both modes" <| fun () ->
                let expected = Error [ "Backend URI scheme 'a b' must not contain a space except right after a comma: 'a b:///'" ]
                Expect.equal (BackendUri.tryParse "a b:///") expected "lenient"
                Expect.equal (BackendUri.tryParseStrict "a b:///") expected "strict"
                Expect.equal (BackendUri.tryParse null) (Error [ "Backend URI must not be null." ]) "null"
            testCase "tryParseWith accepts the caller's argument names" <| fun () ->
                let u = BackendUri.tryParseWith true [ "store" ] "locmem:///?store=reference" |> Result.defaultWith (fun ps -> failtestf "%A" ps)
                Expect.equal (BackendUri.arguments u) (Map [ "store", "reference" ]) "accepted"
                Expect.isError (BackendUri.tryParseWith true [] "locmem:///?store=reference") "unknown without it"
            testCase "format gives text that parses to the same URI" <| fun () ->
                let u = BackendUri.tryParseStrict "locmem:///?timeout=30&cull_frequency=2" |> Result.defaultWith (fun ps -> failtestf "%A" ps)
                Expect.equal (BackendUri.format u) (u.Format()) "the C# Format"
                Expect.equal (BackendUri.tryParseStrict (BackendUri.format u)) (Ok u) "round trip"
            testCase "the module and the C# type of the same name are both usable" <| fun () ->
                let parsed: FunctionalCache.BackendUri = BackendUri.Parse "locmem:///?max_entries=7"
                Expect.equal (BackendUri.maxEntries parsed) (Some 7) "C# Parse, F# accessor" ]

        testList "CacheTimeout patterns" [
            testCase "each case matches its pattern" <| fun () ->
                let describe timeout =
                    match timeout with
                    | PolicyDefault -> "default"
                    | NeverExpire -> "never"
                    | ExpireAfter span -> $"{span.TotalSeconds}"
                Expect.equal (List.map describe [ Expire.byDefault; Expire.never; Expire.seconds 1.5 ]) [ "default"; "never"; "1.5" ] "cases" ] ]
