/// Laws of the Cache-Status field (RFC 9211 over RFC 8941 lists): a written list reads back as itself, appending a
/// member keeps the members already there and puts it last, writing gives printable ASCII only, and reading never
/// throws, whatever the text.
module Http.CacheStatusProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache.Http

let private config = { Config.config with maxTest = 500 }

let private arb g = Arb.fromGen g

// ---- generators ------------------------------------------------------------------------------

/// Printable ASCII text of up to `n` characters, quotes and backslashes included.
let private genPrintable n =
    gen {
        let! length = Gen.choose (0, n)
        let! chars = Gen.arrayOfLength length (Gen.choose (0x20, 0x7E) |> Gen.map char)
        return String chars
    }

/// Identifiers: tokens (written bare) and other printable text (written quoted), never empty.
let private genIdentifier =
    Gen.oneof [ Gen.elements [ "FunctionalCache"; "nginx"; "Varnish/7.1"; "*edge"; "cdn.example:443" ]
                genPrintable 12 |> Gen.filter (fun s -> s.Length > 0) ]

let private genReason =
    Gen.elements [ CacheStatusForward.Bypass; CacheStatusForward.Method; CacheStatusForward.UriMiss; CacheStatusForward.VaryMiss
                   CacheStatusForward.Miss; CacheStatusForward.Request; CacheStatusForward.Stale; CacheStatusForward.Partial ]

let private maybe (g: Gen<'a>) = Gen.oneof [ Gen.constant None; g |> Gen.map Some ]

/// Any member the builder can make: a hit, a forward or neither, with any of the parameters set.
let private genEntry =
    gen {
        let! cache = genIdentifier
        let! kind = Gen.choose (0, 2)
        let! reason = genReason
        let start =
            match kind with
            | 0 -> CacheStatusEntry.ForHit cache
            | 1 -> CacheStatusEntry.ForForward(cache, reason)
            | _ -> CacheStatusEntry.Of cache
        let! ttl = maybe (Gen.choose (-100000, 100000) |> Gen.map int64)
        let! status = maybe (Gen.choose (100, 999))
        let! stored = maybe (Gen.elements [ true; false ])
        let! collapsed = Gen.elements [ true; false ]
        let! key = maybe (genPrintable 10)
        let! detail = maybe (genPrintable 20)
        let apply (f: CacheStatusEntry -> 'v -> CacheStatusEntry) (value: 'v option) (e: CacheStatusEntry) =
            match value with Some v -> f e v | None -> e
        return
            start
            |> apply (fun e t -> e.WithTtl t) ttl
            |> apply (fun e s -> e.WithForwardStatus s) status
            |> apply (fun e s -> e.WithStored s) stored
            |> (fun e -> if collapsed then e.WithCollapsed() else e)
            |> apply (fun e k -> e.WithKey k) key
            |> apply (fun e d -> e.WithDetail d) detail
    }

/// Text near the grammar (its punctuation, tokens, numbers) and any text at all.
let private genFieldText =
    let pieces = Gen.elements [ "A"; "\"x y\""; ";"; "; "; ","; ", "; "="; "hit"; "fwd"; "ttl"; "?0"; "?1"; "12"; "-3"; "1.5"
                                "("; ")"; ":aGk=:"; "\\"; "\""; " "; "\t"; "é"; "\r\n"; "*" ]
    Gen.oneof [ Gen.listOf pieces |> Gen.map (String.concat ""); ArbMap.defaults |> ArbMap.generate<string> |> Gen.map (fun s -> if isNull s then "" else s) ]

let private entries (parsed: LanguageExt.Option<LanguageExt.Seq<CacheStatusEntry>>) = parsed.Map(fun s -> List.ofSeq s)

// ---- properties ------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.CacheStatusProperties" [
        testPropertyWithConfig config "TryParse(Format xs) is xs" <| fun () ->
            Prop.forAll (arb (Gen.listOf genEntry)) (fun xs ->
                entries (CacheStatus.TryParse(CacheStatus.Format xs)) = LanguageExt.Option<CacheStatusEntry list>.Some xs)

        testPropertyWithConfig config "appending keeps the members already there and puts the new one last" <| fun () ->
            Prop.forAll (arb (Gen.zip (Gen.listOf genEntry) genEntry)) (fun (xs, x) ->
                entries (CacheStatus.TryParse(CacheStatus.Append(CacheStatus.Format xs, x))) = LanguageExt.Option<CacheStatusEntry list>.Some (xs @ [ x ]))

        testPropertyWithConfig config "a written field is printable ASCII, one line" <| fun () ->
            Prop.forAll (arb (Gen.listOf genEntry)) (fun xs ->
                CacheStatus.Format xs |> Seq.forall (fun c -> c >= ' ' && c <= '~'))

        testPropertyWithConfig config "reading never throws, and what it reads writes back to a value that reads the same" <| fun () ->
            Prop.forAll (arb genFieldText) (fun text ->
                let first = entries (CacheStatus.TryParse text)
                first.IsNone || entries (CacheStatus.TryParse(CacheStatus.Format(first.IfNone []))) = first)
    ]
