/// Warnings of a cache built without dependency injection reach standard error (CacheContext.Default's logger):
/// "invalid arguments are ignored, yet reported", one escaped line each, each distinct message once.
module Backends.WarningReportTests

open System
open System.IO
open Expecto
open Microsoft.Extensions.Logging
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.FSharp

/// What `f` writes to Console.Error (the test runs sequenced: Console.Error is the process's).
let private standardErrorOf (f: unit -> unit) =
    let captured = new StringWriter()
    let before = Console.Error
    Console.SetError captured
    try f () finally Console.SetError before
    captured.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries) |> List.ofArray

let private accepted = "timeout, max_entries, cull_frequency, cull_percentage, store"

[<Tests>]
let tests =
    testList "Backends.WarningReportTests" [
        testSequenced <| testList "standard error" [
            testCase "Caches.FromUri reports an unknown argument on standard error" <| fun () ->
                let lines = standardErrorOf (fun () -> Caches.FromUri "locmem:///?timeot=30" |> ignore)
                Expect.equal lines [ $"FunctionalCache: warning: Unknown argument 'timeot' ('30'); accepted arguments: {accepted}. It is ignored." ] "seen"

            testCase "F#'s Cache.fromUri reports it too, and a bad key on the cache it built" <| fun () ->
                let lines =
                    standardErrorOf (fun () ->
                        let cache = Cache.fromUri "locmem:///?store=bogus"
                        cache |> Cache.set "a key\u001B[2J" 1 |> run)
                Expect.equal lines
                    [ "FunctionalCache: warning: Argument 'store' must be 'copy' or 'reference', not 'bogus'. The default applies."
                      @"FunctionalCache: warning: Cache key contains characters that will cause errors if used with memcached: ':1:a key\x1B[2J'" ] "seen"

            testCase "a context with another logger writes nothing there" <| fun () ->
                let lines =
                    standardErrorOf (fun () ->
                        Caches.FromUri("locmem:///?timeot=32", CacheContext.Default.WithLogger(Abstractions.NullLogger.Instance)) |> ignore)
                Expect.isEmpty lines "silenced"
        ]

        testCase "the standard-error logger writes warnings and errors once each, on one escaped line" <| fun () ->
            let writer = new StringWriter()
            let logger = StandardErrorLogger(fun () -> writer :> TextWriter) :> ILogger
            logger.LogInformation("not shown")
            logger.LogWarning("{Text}", "line one\nline two")
            logger.LogWarning("{Text}", "line one\nline two")
            logger.LogError(InvalidOperationException "inner", "{Text}", "failed")
            Expect.equal (writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries) |> List.ofArray)
                [ @"FunctionalCache: warning: line one\nline two"; "FunctionalCache: error: failed" ] "each once, no stack trace"
            Expect.isFalse (logger.IsEnabled LogLevel.Information) "below Warning: off"
            Expect.isFalse (logger.IsEnabled LogLevel.None) "None: off"

        testCase "past the remembered messages every message is still written" <| fun () ->
            let writer = new StringWriter()
            let logger = StandardErrorLogger(fun () -> writer :> TextWriter) :> ILogger
            for i in 1 .. StandardErrorLogger.RememberedMessages + 2 do logger.LogWarning("{N}", i)
            logger.LogWarning("{N}", StandardErrorLogger.RememberedMessages + 1)
            let lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            Expect.equal lines.Length (StandardErrorLogger.RememberedMessages + 3) "the first 1024 once; later ones every time"
    ]
