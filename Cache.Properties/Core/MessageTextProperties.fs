/// Log forging through keys and header values: whatever text a caller passes as a key (or a Cache-Control
/// value), every message that quotes it — key warnings (returned and logged), InvalidCacheKeyException, CacheError
/// texts, memcached's wire-key errors, header guard errors — holds no control character beyond its own layout.
module Core.MessageTextProperties

open System
open System.Threading.Tasks
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.Extensions.Logging
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http
open FunctionalCache.FSharp

/// A character that could forge or hide a line: C0, DEL, C1, U+2028/2029 and the bidirectional controls.
let private forging (c: char) =
    Char.IsControl c || c = '\u2028' || c = '\u2029' || c = '\u061C' || c = '\u200E' || c = '\u200F'
    || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')

/// True when no line of `text` (split at the layout's own line breaks `breaks`) holds a forging character.
let private clean (breaks: string list) (text: string) =
    let lines = if breaks.IsEmpty then [| text |] else text.Split(Array.ofList breaks, StringSplitOptions.None)
    lines |> Array.forall (fun line -> not (String.exists forging line))

/// Keys built from the characters an attacker would use, and keys of any characters at all.
let private hostileKey =
    let pieces =
        [ "a"; "k"; ":"; " "; "\u001B[31m"; "\u001B]0;x\u0007"; "\u0007"; "\r"; "\n"; "\r\n"; "\t"; "\u0000"; "\u007F"
          "\u0085"; "\u009B"; "\u2028"; "\u2029"; "\u202E"; "\u2066"; "\uD800"; "\uDC00"; "😀"; "é"; "\\"; "'"; "%0A" ]
    Gen.oneof [
        Gen.listOf (Gen.elements pieces) |> Gen.map (String.concat "")
        ArbMap.defaults |> ArbMap.generate<string> |> Gen.map (fun s -> if isNull s then "" else s) ]
    |> Arb.fromGen

/// A logger that keeps every formatted message.
type private Recorder() =
    let messages = Collections.Concurrent.ConcurrentQueue<string>()
    member _.Messages = List.ofSeq messages
    interface ILogger with
        member _.Log<'TState>(_: LogLevel, _: EventId, state: 'TState, error: exn, formatter: Func<'TState, exn, string>) =
            messages.Enqueue(formatter.Invoke(state, error))
        member _.IsEnabled _ = true
        member _.BeginScope<'TState>(_: 'TState) : IDisposable = null

/// The message of what `f` throws, or None.
let private thrown (f: unit -> unit) =
    try
        f ()
        None
    with
    | :? AggregateException as e -> Some e.InnerException.Message
    | e -> Some e.Message

// memcached rejects a bad key before any network I/O: no server is needed (only bad keys are sent to port 1).
let private memcached = lazy (Caches.FromUri("memcached://127.0.0.1:1/", CacheContext.Default.WithLogger(Abstractions.NullLogger.Instance)))

[<Tests>]
let tests =
    testList "MessageText laws" [
        testPropertyWithConfig Config.config "escaping leaves text without a forging character unchanged" <| fun (text: string) ->
            let text = if isNull text then "" else text
            let safe = not (String.exists forging text) && not (Seq.exists Char.IsSurrogate text)
            (not safe || MessageText.Escaped text = text) && not (String.exists forging (MessageText.Escaped text))

        testPropertyWithConfig Config.config "key rule warnings, returned or logged, are one line each whatever the key" <|
            Prop.forAll hostileKey (fun key ->
                let log = Recorder()
                let cache = LocMemCache(Policy.defaults, CacheContext.Default.WithLogger(log)) :> ICache
                cache.SetAsync(key, 1).GetAwaiter().GetResult()
                let made = Policy.defaults.MakeKey key
                (KeyRules.Validate made |> Seq.forall (clean []))
                && (log.Messages |> List.forall (clean []))
                && log.Messages.Length = (KeyRules.Validate made).Count)

        testPropertyWithConfig Config.config "CacheError messages are one line whatever the key" <|
            Prop.forAll hostileKey (fun key ->
                [ CacheError.KeyNotFound key :> CacheError
                  CacheError.NotAnInteger key
                  CacheError.Overflow key
                  CacheError.BackendFailure(key, CacheBackendException($"lost {key}\nagain")) ]
                |> List.forall (fun e -> clean [] e.Message && clean [] (string e)))

        testPropertyWithConfig Config.config "memcached's InvalidCacheKeyException has one line per broken rule" <|
            Prop.forAll hostileKey (fun key ->
                let rules = (KeyRules.Validate(Policy.defaults.MakeKey key)).Count
                if rules = 0 then true |> Prop.label "a good key (not sent: no server listens)"
                else
                    match thrown (fun () -> memcached.Value.GetAsync<int>(key).Wait()) with
                    | Some message ->
                        (clean [ Environment.NewLine ] message && message.Split(Environment.NewLine).Length = rules)
                        |> Prop.label message
                    | None -> false |> Prop.label "a bad key was not refused")

        testPropertyWithConfig Config.config "memcached's wire-key errors are one line whatever the key" <|
            Prop.forAll hostileKey (fun key ->
                match thrown (fun () -> FunctionalCache.Backends.Memcached.MemcachedWireKey.Encode key |> ignore) with
                | Some message -> clean [] message |> Prop.label message
                | None -> true |> Prop.label "a sendable key")

        testPropertyWithConfig Config.config "Cache-Control guard errors are one line whatever the name or value" <|
            Prop.forAll hostileKey (fun text ->
                let attempts =
                    [ fun () -> CacheControlPatch.Empty.Flag(text) |> ignore
                      fun () -> CacheControlPatch.Empty.Directive("x", text) |> ignore ]
                attempts |> List.forall (fun attempt -> thrown attempt |> Option.forall (clean [])))
    ]
