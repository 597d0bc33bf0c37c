/// Laws of the pure expiry maths (`Expiry.From`, `IsExpiredAt`).
module Core.ExpiryProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries

/// Any instant in 1970..2100, with a random UTC offset (the deadline must follow UtcTicks).
let private genNow =
    gen {
        let! seconds = Gen.choose (0, Int32.MaxValue) |> Gen.map int64
        let! extra = Gen.choose (0, 1_000_000_000) |> Gen.map int64
        let! offsetMinutes = Gen.elements [ 0; 60; -300; 330; 840; -720 ]
        let utc = DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(float (seconds % 4_102_444_800L)).AddTicks(extra % TimeSpan.TicksPerSecond)
        return DateTimeOffset(utc).ToOffset(TimeSpan.FromMinutes(float offsetMinutes))
    }

let private arbNow = Arb.fromGen genNow

/// A policy default: Never or a positive span.
let private arbPolicyDefault =
    Gen.oneof [ Gen.constant CacheTimeout.Never; genPositiveSpan |> Gen.map CacheTimeout.After ] |> Arb.fromGen

let private deadline (e: LanguageExt.Option<Expiry>) = Option.ofLanguageExt e

/// An order on results: None (not stored) < any deadline < Never.
let private rank (e: Expiry option) =
    match e with
    | None -> Int64.MinValue
    | Some x -> x.UtcTicks

[<Tests>]
let tests =
    testList "Core.ExpiryProperties" [
        testPropertyWithConfig Config.config "a positive After(span) gives the deadline now + span" <| fun (PositiveSpan span) ->
            Prop.forAll arbNow (fun now ->
                let e = Expiry.From(CacheTimeout.After span, CacheTimeout.Never, now) |> deadline
                e = Some(Expiry(now.UtcTicks + span.Ticks)))

        testPropertyWithConfig Config.config "the deadline is the first expired instant" <| fun (PositiveSpan span) ->
            Prop.forAll arbNow (fun now ->
                let e = (Expiry.From(CacheTimeout.After span, CacheTimeout.Never, now) |> deadline).Value
                let at = now + span
                not (e.IsExpiredAt(at.AddTicks -1L)) && e.IsExpiredAt at && e.IsExpiredAt(at.AddTicks 1L)
                && not (e.IsExpiredAt now) && not (e.IsNever))

        testPropertyWithConfig Config.config "a zero or negative span is never stored" <| fun (NonPositiveSpan span) ->
            Prop.forAll arbPolicyDefault (fun policyDefault ->
                Prop.forAll arbNow (fun now ->
                    Expiry.From(CacheTimeout.After span, policyDefault, now) |> deadline = None))

        testPropertyWithConfig Config.config "Never gives the never-expiring expiry, expired at no instant" <| fun () ->
            Prop.forAll arbPolicyDefault (fun policyDefault ->
                Prop.forAll arbNow (fun now ->
                    let e = Expiry.From(CacheTimeout.Never, policyDefault, now) |> deadline
                    e = Some Expiry.Never && not (e.Value.IsExpiredAt DateTimeOffset.MaxValue)))

        testPropertyWithConfig Config.config "Default resolves to the policy default" <| fun () ->
            Prop.forAll arbPolicyDefault (fun policyDefault ->
                Prop.forAll arbNow (fun now ->
                    let other = if policyDefault.IsNever then CacheTimeout.After(TimeSpan.FromSeconds 7.0) else CacheTimeout.Never
                    let viaDefault = Expiry.From(CacheTimeout.Default, policyDefault, now) |> deadline
                    let direct = Expiry.From(policyDefault, other, now) |> deadline
                    viaDefault = direct && viaDefault.IsSome))

        testPropertyWithConfig Config.config "the deadline is monotone in the timeout" <| fun (a: Timeout) (b: Timeout) ->
            Prop.forAll arbPolicyDefault (fun policyDefault ->
                Prop.forAll arbNow (fun now ->
                    let resolve t = (toCacheTimeout t |> Option.ofObj |> Option.defaultValue CacheTimeout.Default)
                    let length t =
                        match (resolve t).OrDefault(policyDefault) with
                        | :? CacheTimeout.AfterCase as x -> x.Span.Ticks
                        | _ -> Int64.MaxValue
                    let ea = Expiry.From(resolve a, policyDefault, now) |> deadline |> rank
                    let eb = Expiry.From(resolve b, policyDefault, now) |> deadline |> rank
                    (length a <= length b) ==> (ea <= eb)))

        testPropertyWithConfig Config.config "a span past the calendar saturates but is not Never" <| fun (PositiveSpan extra) ->
            Prop.forAll arbNow (fun now ->
                let span = TimeSpan.MaxValue - extra
                let e = (Expiry.From(CacheTimeout.After span, CacheTimeout.Never, now) |> deadline).Value
                not e.IsNever && not (e.IsExpiredAt now))

        testPropertyWithConfig Config.config "every stored deadline is a representable instant at or after now" <| fun (timeout: Timeout) (PositiveSpan extra) (huge: bool) ->
            Prop.forAll arbPolicyDefault (fun policyDefault ->
                Prop.forAll arbNow (fun now ->
                    let timeout = if huge then CacheTimeout.After(TimeSpan.MaxValue - extra) else (toCacheTimeout timeout |> Option.ofObj |> Option.defaultValue CacheTimeout.Default)
                    match Expiry.From(timeout, policyDefault, now) |> deadline with
                    | None -> true
                    | Some e -> e.At >= now && e.ToString() <> ""))
    ]
