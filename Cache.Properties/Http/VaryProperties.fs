/// Laws of Vary patching: idempotent, order-preserving, case-insensitive, `*` absorbing, patching A then B is
/// patching A ∪ B (and, for disjoint A and B, `Vary.patch A >> Vary.patch B` is `Vary.patch (A @ B)`), every patched
/// name is then listed, and on any text the result and the lookup are Django's. Everything goes through the F# face (FunctionalCache.FSharp).
module Http.VaryProperties

open System
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open FsCheck.FSharp.PropOperators
open FunctionalCache.FSharp

let private config = { Config.config with maxTest = 1000 }

let private arb g = Arb.fromGen g

// ---- generators ------------------------------------------------------------------------------

/// A name in a random case: each letter upper or lower.
let private recase (name: string) =
    gen {
        let! flips = Gen.arrayOfLength name.Length (Gen.elements [ false; true ])
        return String(Array.map2 (fun (c: char) up -> if up then Char.ToUpperInvariant c else Char.ToLowerInvariant c) (name.ToCharArray()) flips)
    }

/// Field names (RFC 9110 tokens): common ones in any case, short random tokens, and now and then `*`.
let private genName =
    let common = Gen.elements [ "Cookie"; "Accept-Encoding"; "Accept-Language"; "Origin"; "User-Agent"; "X-Requested-With" ] |> Gen.bind recase
    let token =
        gen {
            let! n = Gen.choose (1, 6)
            let! cs = Gen.arrayOfLength n (Gen.elements "abcXYZ09-!#$%&'+.^_`|~")
            return String cs
        }
    Gen.frequency [ 6, common; 3, token; 1, Gen.constant "*" ]

let private genNames = Gen.choose (0, 5) |> Gen.bind (fun n -> Gen.listOfLength n genName)

/// Names with no two equal ignoring case (a set, as a caller's "A" in A ∪ B).
let private genNameSet = genNames |> Gen.map (List.distinctBy (fun n -> n.ToLowerInvariant()))

/// An existing Vary value as received: absent (`None`), or names joined by commas with blanks around them, sometimes
/// with empty pieces. RFC 9110 §5.5: a received field value has no blanks at its start or end.
let private genExisting =
    let separator = Gen.elements [ ","; ", "; " ,"; "  ,  "; ",\t"; ", , " ]
    let present =
        gen {
            let! names = genNames
            let! seps = Gen.listOfLength names.Length separator
            let joined = List.map2 (fun (s: string) n -> s + n) seps names |> String.concat ""
            let value = if joined.Length > 0 then joined.Substring 1 else joined
            return value.Trim()
        }
    Gen.frequency [ 1, Gen.constant None; 4, present |> Gen.map Some ]

let private patch (existing: string option) (names: string list) = Vary.Field.patch names existing

let private entries (value: string option) = Vary.Field.entries value

let private listed (names: string list) (name: string) =
    names |> List.exists (fun n -> String.Equals(n, name, StringComparison.OrdinalIgnoreCase))

/// Python's str.strip() blanks: .NET's white space plus U+001C–U+001F.
let private pythonBlanks = [| for c in '\u0000' .. '\uffff' do if Char.IsWhiteSpace c || (c >= '\u001c' && c <= '\u001f') then c |]

let private hasStar (existing: string option) names = List.contains "*" (entries existing) || List.contains "*" names

[<Tests>]
let tests =
    testList "Http.VaryProperties" [
        testPropertyWithConfig config "vary patching is idempotent" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                let once = patch existing names
                patch (Some once) names = once)

        testPropertyWithConfig config "existing entries keep their order and spelling, new names follow in order" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                hasStar existing names
                || (let before = entries existing
                    let added = names |> List.filter (fun n -> not (listed before n))
                    entries (Some(patch existing names)) = before @ added))

        testPropertyWithConfig config "a name already listed in any case adds nothing" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                let once = patch existing names
                let shout = entries (Some once) |> List.map (fun n -> n.ToUpperInvariant())
                let whisper = entries (Some once) |> List.map (fun n -> n.ToLowerInvariant())
                patch (Some once) shout = patch (Some once) [] && patch (Some once) whisper = patch (Some once) [])

        testPropertyWithConfig config "patching again with the same names in any other case changes nothing" <| fun () ->
            let g = gen {
                let! existing = genExisting
                let! names = genNames
                let! variants = Gen.collectToList recase names
                return existing, names, variants }
            Prop.forAll (arb g) (fun (existing, names, variants) ->
                let once = patch existing names
                patch (Some once) variants = once)

        testPropertyWithConfig config "a * entry absorbs everything, before or after" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                (patch existing (names @ [ "*" ]) = "*") && (patch (Some "*") names = "*")
                && (hasStar existing names = (patch existing names = "*")))

        testPropertyWithConfig config "patching A then B equals patching A ∪ B" <| fun () ->
            Prop.forAll (arb (Gen.zip3 genExisting genNameSet genNameSet)) (fun (existing, a, b) ->
                let union = a @ (b |> List.filter (fun n -> not (listed a n)))
                patch (Some(patch existing a)) b = patch existing union)

        testPropertyWithConfig config "on a response head, Vary.patch a >> Vary.patch b = Vary.patch (a @ b) when no name of b is in a" <| fun () ->
            // Django compares new names with the existing entries only, not with each other: with b = ["cookie"] after
            // a = ["Cookie"], patching twice gives "Cookie" and patching once "Cookie, cookie" (the example test pins it).
            let disjoint = Gen.zip3 genExisting genNames genNames |> Gen.filter (fun (_, a, b) -> b |> List.forall (fun n -> not (listed a n)))
            Prop.forAll (arb disjoint) (fun (existing, a, b) ->
                let head = match existing with Some v -> ResponseHead.ofList 200 [ "Vary", v ] | None -> ResponseHead.ok
                (head |> (Vary.patch a >> Vary.patch b)) = (head |> Vary.patch (a @ b)))

        testPropertyWithConfig config "after patching, every patched and existing name is listed (or the value is *)" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                let result = Some(patch existing names)
                if result = Some "*" then Vary.Field.has "*" result
                else names @ entries existing |> List.forall (fun n -> Vary.Field.has n result))

        testPropertyWithConfig config "the functions on a response head agree with the ones on the field" <| fun () ->
            Prop.forAll (arb (Gen.zip genExisting genNames)) (fun (existing, names) ->
                let response = match existing with Some v -> ResponseHead.ofList 200 [ "Vary", v ] | None -> ResponseHead.ok
                let patched = response |> Vary.patch names
                ResponseHead.header "Vary" patched = Some(patch existing names)
                && (names |> List.forall (fun n -> Vary.has n patched = Vary.Field.has n (Some(patch existing names))))
                && Vary.entries patched = entries (Some(patch existing names)))

        testPropertyWithConfig config "on any header text, patching and lookup give what Django's rules give" <| fun (existing: string, names: NonNull<string> list, query: NonNull<string>) ->
            let names = names |> List.map (fun n -> n.Get)
            let existing = Option.ofObj existing
            // Django's cc_delim_re.split; an empty value lists nothing when patched (our documented difference), but is
            // one empty entry to has_vary_header, as in Django. Names compare ignoring case, as Django's lower() does.
            let split (value: string) = List.ofArray (Regex.Split(value, @"\s*,\s*"))
            let before = match existing with None | Some "" -> [] | Some v -> split v
            let listed (entries: string list) (name: string) = entries |> List.exists (fun e -> String.Equals(e, name, StringComparison.OrdinalIgnoreCase))
            let all = before @ (names |> List.filter (fun n -> not (listed before n)))
            let expected = if List.contains "*" all then "*" else String.Join(", ", all)
            let result = Vary.Field.patch names existing
            // has_vary_header after CVE-2026-48587: the entries and the query stripped as Python strips.
            let strip (s: string) = s.Trim pythonBlanks
            let has (value: string option) = value |> Option.exists (fun v -> listed (split v |> List.map strip) (strip query.Get))
            (Prop.label "patch_vary_headers" (result = expected))
            .&. (Prop.label "entries" (Vary.Field.entries existing = before))
            .&. (Prop.label "has_vary_header on the value" (Vary.Field.has query.Get existing = has existing))
            .&. (Prop.label "has_vary_header on the patched value" (Vary.Field.has query.Get (Some result) = has (Some result)))
    ]
