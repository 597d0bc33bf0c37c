/// Laws of Cache-Control: the format/parse round trip, case-insensitive names, the merge (idempotent,
/// smallest max-age, public/private exclusion, accumulating no-cache fields), the F# directives read back as written,
/// and, on any text, the readings Django's splitter and int() give and the response-header helpers' promises.
module Http.CacheControlProperties

open System
open System.Globalization
open System.Numerics
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open FsCheck.FSharp.PropOperators
open FunctionalCache.Http
open FunctionalCache.FSharp

let private config = { Config.config with maxTest = 1000 }

let private arb g = Arb.fromGen g

// ---- generators ------------------------------------------------------------------------------

let private knownNames =
    [ "public"; "private"; "no-cache"; "no-store"; "no-transform"; "must-revalidate"; "proxy-revalidate"; "max-age"; "s-maxage"
      "stale-while-revalidate"; "stale-if-error"; "immutable" ]

/// Directive names: the known ones (in any case) and extension tokens.
let private genName =
    let token =
        gen {
            let! n = Gen.choose (1, 8)
            let! cs = Gen.arrayOfLength n (Gen.elements "abcxyzABC019-!#$%&'*+.^_`|~")
            return String cs
        }
    let known =
        gen {
            let! name = Gen.elements knownNames
            let! upper = Gen.elements [ false; false; true ]
            return if upper then name.ToUpperInvariant() else name
        }
    Gen.frequency [ 3, known; 1, token ]

/// Values a caller may write: numbers in every form Python's int() reads or refuses, tokens, quoted field names,
/// inner blanks, and the empty value.
let private genValue =
    Gen.oneof
        [ Gen.choose (-100, 100_000) |> Gen.map string
          Gen.elements [ ""; "0"; "007"; "+7"; "1_000"; "1.5"; "abc"; "\"60\""; "\"Set-Cookie\""; "Set-Cookie"; "X-Foo"; "a b"; "=x"; "\"UCI\"" ] ]

let private genDirective =
    Gen.oneof
        [ genName |> Gen.map CacheDirective.Flag
          Gen.zip genName genValue |> Gen.map (fun (n, v) -> CacheDirective.WithValue(n, v)) ]

/// A directive set as a caller would build it.
let private genCacheControl =
    Gen.listOf genDirective |> Gen.map (fun ds -> CacheControl.Of(Array.ofList ds))

/// A patch as a caller would write it, as F# directives in any order, setting at most one of public and private
/// (a patch that sets both keeps both, as in Django, so the exclusion law is about patches that set one).
let private genPatch =
    let step =
        Gen.oneof
            [ Gen.constant NoCache
              Gen.elements [ "Set-Cookie"; "Link"; "X-Foo"; "\"Set-Cookie\"" ] |> Gen.map NoCacheField
              Gen.elements [ NoStore; MustRevalidate; NoTransform; ProxyRevalidate; Immutable ]
              Gen.choose (-10, 100_000) |> Gen.map (int64 >> MaxAge)
              Gen.choose (0, 1000) |> Gen.map (int64 >> SMaxAge)
              Gen.choose (0, 1000) |> Gen.map (int64 >> StaleWhileRevalidate)
              Gen.choose (0, 1000) |> Gen.map (int64 >> StaleIfError)
              Gen.zip genName genValue
              |> Gen.filter (fun (n, _) -> let l = n.ToLowerInvariant() in l <> "public" && l <> "private")
              |> Gen.map (fun (n, v) -> Directive(n, Some v)) ]
    gen {
        let! steps = Gen.listOf step
        let! visibility = Gen.elements [ None; Some Public; Some Private ]
        let! at = Gen.choose (0, steps.Length)
        return match visibility with Some v -> List.insertAt at v steps | None -> steps
    }

/// The names a patch sets, as the C# patch lower-cases them.
let private namesOf (p: CacheControlDirective list) = [ for d in (CacheControl.toPatch p).Directives -> d.Name ]

/// Header texts: arbitrary strings and pieces of Cache-Control syntax glued together.
let private genHeaderText =
    let pieces =
        [ ","; ", "; " , "; "\t"; " "; "="; "\""; "max-age"; "MAX-AGE"; "=60"; "=-5"; "=1_000"; "=99999999999999999999"; "=1.5"; "=abc"
          "public"; "private"; "no-cache"; "No-Cache=Set-Cookie"; "no-store"; "_"; "+"; "-"; "\u00e9"; "\u0130"; "\x1c"; "\u0000"; "\u2028"; "\uD800"; "٣" ]
    Gen.oneof
        [ ArbMap.defaults |> ArbMap.generate<string>
          Gen.listOf (Gen.elements pieces) |> Gen.map (fun ps -> String.Join("", ps)) ]

// ---- the field as Django reads it, written out -----------------------------------------------------

/// The pieces of a field value: Django's `cc_delim_re.split` (blanks around each comma go with it).
let private piecesOf (text: string) = if String.IsNullOrEmpty text then [] else List.ofArray (Regex.Split(text, @"\s*,\s*"))

let private nameOf (piece: string) = (match piece.IndexOf '=' with -1 -> piece | i -> piece.Substring(0, i)).ToLowerInvariant()

let private valueOf (piece: string) = match piece.IndexOf '=' with -1 -> None | i -> Some(piece.Substring(i + 1))

/// The value Django's dictionary keeps for `name` (the last piece's): None when absent, Some None when bare.
let private lastValue (name: string) (text: string) = piecesOf text |> List.filter (nameOf >> (=) name) |> List.tryLast |> Option.map valueOf

/// Python's int() on a directive value (a bare directive is True, so 1), within our documented limits: ASCII digits
/// only, saturating at a long.
let private pythonInt (value: string option) =
    match value with
    | None -> Some 1L
    | Some text ->
        let m = Regex.Match(Python.strip text, @"\A([+-]?)([0-9]+(?:_[0-9]+)*)\z")
        if not m.Success then None
        else
            let n = BigInteger.Parse(m.Groups[1].Value + m.Groups[2].Value.Replace("_", ""), CultureInfo.InvariantCulture)
            Some(if n > BigInteger Int64.MaxValue then Int64.MaxValue elif n < BigInteger Int64.MinValue then Int64.MinValue else int64 n)

/// get_max_age and its siblings on the text: the last piece's value read by int().
let private secondsOf (name: string) (text: string) = lastValue name text |> Option.bind pythonInt

/// The no-cache field names of the text: none when a bare no-cache absorbs them, else each distinct value, unquoted.
let private noCacheFieldsOf (text: string) =
    let values = piecesOf text |> List.filter (nameOf >> (=) "no-cache") |> List.map valueOf
    if List.contains None values then []
    else
        values
        |> List.choose id
        |> List.distinct
        |> List.map (fun v -> if v.Length >= 2 && v.StartsWith "\"" && v.EndsWith "\"" then v.Substring(1, v.Length - 2) else v)

// ---- properties ------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.CacheControlProperties" [
        testPropertyWithConfig config "Parse(Format x) = x" <| fun () ->
            Prop.forAll (arb genCacheControl) (fun x -> CacheControl.Parse(x.Format()) = x)

        testPropertyWithConfig config "directive names are case-insensitive" <| fun () ->
            Prop.forAll (arb genCacheControl) (fun x ->
                let shouted = x.Directives |> Seq.map (fun d -> CacheDirective(d.Name.ToUpperInvariant(), d.Value).Format()) |> String.concat ", "
                CacheControl.Parse shouted = x)

        testPropertyWithConfig config "patching twice with the same patch is patching once" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl genPatch)) (fun (x, p) ->
                let once = CacheControl.Field.patch p (Some(x.Format()))
                CacheControl.Field.patch p (Some once) = once)

        testPropertyWithConfig config "merging max-age gives the minimum" <| fun () ->
            let existingAge = Gen.oneof [ Gen.constant None; Gen.choose (-10, 100_000) |> Gen.map Some ]
            Prop.forAll (arb (Gen.zip3 genCacheControl existingAge (Gen.choose (-10, 100_000)))) (fun (x, age, patchAge) ->
                let others = CacheControl.Of(x.Directives |> Seq.filter (fun d -> d.Name <> "max-age") |> Array.ofSeq)
                let existing =
                    match age with
                    | Some a -> others |> CacheControl.Parsed.patch [ MaxAge(int64 a) ]
                    | None -> others
                let result = CacheControl.Field.patch [ MaxAge(int64 patchAge) ] (Some(existing.Format()))
                let expected = match age with Some a -> min a patchAge | None -> patchAge
                CacheControl.Field.maxAge (Some result) = Some(int64 expected))

        testPropertyWithConfig config "a numeric max-age never grows, and a non-numeric one is replaced" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl (Gen.choose (-10, 100_000)))) (fun (x, n) ->
                let result = CacheControl.Parsed.ofField (Some(CacheControl.Field.patch [ MaxAge(int64 n) ] (Some(x.Format()))))
                match CacheControl.Parsed.maxAge x with
                | Some before -> CacheControl.Parsed.maxAge result = Some(min before (int64 n))
                | None -> CacheControl.Parsed.maxAge result = Some(int64 n))

        testPropertyWithConfig config "never both public and private after a patch that sets one" <| fun () ->
            let setsOne = genPatch |> Gen.filter (fun p -> List.contains Public p || List.contains Private p)
            Prop.forAll (arb (Gen.zip3 genCacheControl genHeaderText setsOne)) (fun (x, text, p) ->
                let viaText = CacheControl.Parsed.ofField (Some(CacheControl.Field.patch p (Some(x.Format()))))
                let viaValue = CacheControl.Parsed.ofField (Option.ofObj text) |> CacheControl.Parsed.patch p
                let exclusive (cc: CacheControl) = not (cc.Public && cc.Private)
                let setPublic = List.contains Public p
                exclusive viaText && exclusive viaValue && viaText.Public = setPublic && viaText.Private = not setPublic)

        testPropertyWithConfig config "no-cache fields accumulate, and a bare no-cache absorbs them" <| fun () ->
            let fields = Gen.listOf (Gen.elements [ "Set-Cookie"; "Link"; "X-Foo"; "Vary"; "\"Link\"" ])
            Prop.forAll (arb (Gen.zip3 genCacheControl fields (Gen.zip fields (Gen.elements [ false; false; true ])))) (fun (x, before, (added, bare)) ->
                let existing = x |> CacheControl.Parsed.patch (List.map NoCacheField before)
                let patch = List.map NoCacheField added @ (if bare then [ NoCache ] else [])
                let result = CacheControl.Parsed.ofField (Some(CacheControl.Field.patch patch (Some(existing.Format()))))
                let isBare (cc: CacheControl) = cc.NoCache && List.isEmpty (CacheControl.Parsed.noCacheFields cc)
                if bare || isBare existing then isBare result
                else
                    let unquote (f: string) = if f.Length >= 2 && f.StartsWith "\"" && f.EndsWith "\"" then f.[1 .. f.Length - 2] else f
                    let rawFields (cc: CacheControl) = cc.Directives |> Seq.filter (fun d -> d.Name = "no-cache") |> List.ofSeq
                    set (CacheControl.Parsed.noCacheFields result) = set (CacheControl.Parsed.noCacheFields existing @ List.map unquote added)
                    && List.length (rawFields result) = List.length (List.distinct (rawFields result)))

        testPropertyWithConfig config "directives the patch does not mention are kept" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl genPatch)) (fun (x, p) ->
                let touched = set (namesOf p) + set [ "public"; "private"; "no-cache" ]
                let result = CacheControl.Parsed.ofField (Some(CacheControl.Field.patch p (Some(x.Format()))))
                x.Directives |> Seq.filter (fun d -> not (touched.Contains d.Name)) |> Seq.forall (fun d -> result.Directives |> Seq.contains d))

        testPropertyWithConfig config "GetMaxAge reads back every long" <| fun () ->
            Prop.forAll (arb (ArbMap.defaults |> ArbMap.generate<int64>)) (fun n ->
                CacheControl.Field.maxAge (Some $"public, max-age={n}") = Some n)

        testPropertyWithConfig config "typed directives, one per name, read back exactly as written" <| fun () ->
            let typed =
                genPatch
                |> Gen.map (List.filter (function Directive _ -> false | _ -> true) >> List.distinctBy (fun d -> namesOf [ d ]))
            Prop.forAll (arb typed) (fun p -> CacheControl.Field.directives (Some(CacheControl.Field.patch p None)) = p)

        testPropertyWithConfig config "reading a patched field and patching the reading in again writes the same field" <| fun () ->
            // Reading keeps the text of anything that is not a bare flag or a plain decimal, so nothing is lost.
            Prop.forAll (arb genPatch) (fun p ->
                let written = CacheControl.Field.patch p None
                CacheControl.Field.patch (CacheControl.Field.directives (Some written)) None = written)

        testPropertyWithConfig config "on any header text, reading gives what Django reads and patching what its rules give" <| fun () ->
            Prop.forAll (arb (Gen.zip genHeaderText genPatch)) (fun (text, p) ->
                let field = Option.ofObj text
                let text = if isNull text then "" else text
                let parsed = CacheControl.Parsed.ofField field
                let patched = CacheControl.Field.patch p field
                // Patched as received: a received value has no blanks at its ends (RFC 9110 §5.5). With a blank after the
                // last directive, Django's patch keeps that directive apart from the one it sets ("MAX-AGE " becomes
                // "max-age " beside "max-age=0"), and its reader, which eats blanks next to commas, then finds the bare
                // one last: add_never_cache_headers reads back max-age 1 there, in Django 3.2 as here.
                let response = ResponseHead.ok |> ResponseHead.withHeader "Cache-Control" (text.Trim())
                let now = DateTimeOffset.FromUnixTimeSeconds 1700000000L
                let refreshed = Headers.patchResponse now 60 response
                let never = Headers.neverCache now response
                let existingAge = secondsOf "max-age" text
                let smallest cap = Some(match secondsOf "max-age" (text.Trim()) with Some a -> min a cap | None -> cap)
                let neverControl = CacheControl.Parsed.ofHead never
                // Writing a reading of a received value reads back the same (the one exception: only empty pieces, which
                // write as nothing). A received value has no blanks at its ends (RFC 9110 §5.5): with one, a repeated
                // directive moved to its first position takes its blank next to a comma, where Django's splitter eats it.
                let received = CacheControl.Parse(text.Trim())
                let receivedText = received.Format()
                (Prop.label "Parse(Format x) = x" (CacheControl.Parse receivedText = (if receivedText = "" then CacheControl.Empty else received)))
                .&. (Prop.label "one F# directive per directive" (List.length (CacheControl.Parsed.directives parsed) = parsed.Count))
                .&. (Prop.label "no-cache fields" (CacheControl.Parsed.noCacheFields parsed = noCacheFieldsOf text))
                .&. (Prop.label "max-age" (CacheControl.Parsed.maxAge parsed = existingAge && CacheControl.Field.maxAge field = existingAge))
                .&. (Prop.label "s-maxage" (CacheControl.Parsed.sharedMaxAge parsed = secondsOf "s-maxage" text))
                .&. (Prop.label "stale-while-revalidate" (CacheControl.Parsed.staleWhileRevalidate parsed = secondsOf "stale-while-revalidate" text))
                .&. (Prop.label "stale-if-error" (CacheControl.Parsed.staleIfError parsed = secondsOf "stale-if-error" text))
                // Likewise a patch appends after the value's last piece, putting a comma next to a blank at its end.
                .&. (Prop.label "patching a received value is idempotent"
                        (let once = CacheControl.Field.patch p (Some(text.Trim())) in CacheControl.Field.patch p (Some once) = once))
                .&. (Prop.label "every patched name is there" (namesOf p |> List.forall (fun n -> CacheControl.Parse(patched).Contains n)))
                .&. (Prop.label "patch_response_headers: the smaller max-age, Expires and Last-Modified"
                        (CacheControl.maxAge refreshed = smallest 60L
                         && ResponseHead.header "Expires" refreshed = Some(HttpDate.format (now.AddSeconds 60.0))
                         && ResponseHead.header "Last-Modified" refreshed = Some(HttpDate.format now)))
                .&. (Prop.label "add_never_cache_headers: max-age 0 or less, the four flags, no public, Expires now"
                        (CacheControl.maxAge never = smallest 0L
                         && neverControl.NoCache && neverControl.NoStore && neverControl.MustRevalidate && neverControl.Private
                         && not neverControl.Public
                         && ResponseHead.header "Expires" never = Some(HttpDate.format now))))
    ]
