/// Vary patching and lookup: the reference's §4.6 examples, Django's cases (sections I, O, S) and conformance
/// against reference/django-vectors/patch_vary_headers.json and has_vary_header.json.
module Http.VaryTests

open System.IO
open System.Text.Json
open Expecto
open FunctionalCache.FSharp

let private text (e: JsonElement) = if e.ValueKind = JsonValueKind.Null then None else Some(e.GetString())

let private show (s: string option) = match s with None -> "absent" | Some s -> $"'{s}'"

type private PatchVector = { Index: int; Existing: string option; New: string list; Result: string }

let private patchVectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "patch_vary_headers.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          { Index = i
            Existing = text (e.GetProperty "existing")
            New = [ for n in e.GetProperty("new").EnumerateArray() -> n.GetString() ]
            Result = e.GetProperty("result").GetString() } ]

type private HasVector = { Index: int; Existing: string option; Query: string; Result: bool }

let private hasVectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "has_vary_header.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          { Index = i
            Existing = text (e.GetProperty "existing")
            Query = e.GetProperty("query").GetString()
            Result = e.GetProperty("result").GetBoolean() } ]

/// How one patch vector is checked.
type private Check =
    /// Django's recorded result, exactly.
    | Exact of string
    /// A deliberate difference (DESIGN.md): the reason, and the result our rule gives instead.
    | Deliberate of reason: string * expected: string

/// The deliberate difference: an empty Vary value lists nothing, so Django's leading ", " piece is not there.
let private emptyValueListsNothing = "an empty existing Vary value lists nothing (Django: ', Cookie')"

/// Under our rule an empty value patches exactly like an absent field (whose results are checked exactly).
let private classify (v: PatchVector) =
    if v.Existing = Some "" && not v.New.IsEmpty then
        Deliberate(emptyValueListsNothing, Vary.Field.patch v.New None)
    else Exact v.Result

let private describe (v: PatchVector) = $"#{v.Index} {show v.Existing} + %A{v.New}"

/// The names a Vary value lists, its empty pieces left out.
let private named (value: string) = value.Split(", ") |> Array.filter ((<>) "") |> List.ofArray

let private patchConformance =
    let checks = patchVectors |> List.map (fun v -> v, classify v)
    testList "patch_vary_headers.json" [
        for v, check in checks do
            match check with
            | Exact expected ->
                yield testCase (describe v) <| fun () ->
                    Expect.equal (Vary.Field.patch v.New v.Existing) expected "Django's result"
            | Deliberate(reason, expected) ->
                yield testCase $"{describe v} (deliberate: {reason})" <| fun () ->
                    let actual = Vary.Field.patch v.New v.Existing
                    Expect.equal actual expected "our rule's result: the empty value patched as an absent field"
                    Expect.equal (named actual) (named v.Result) "the names Django lists, without its empty piece"
                    Expect.notEqual actual v.Result "the difference is real"

        yield testCase "every entry is checked: 122 exactly, 4 under 'an empty existing value lists nothing'" <| fun () ->
            let count f = checks |> List.filter (snd >> f) |> List.length
            Expect.equal (count (function Exact _ -> true | _ -> false)) 122 "exact"
            Expect.equal (count (function Deliberate(r, _) -> r = emptyValueListsNothing | _ -> false)) 4 "empty value"
            Expect.equal checks.Length 126 "entries in the file"
    ]

let private hasConformance =
    testList "has_vary_header.json" [
        for v in hasVectors do
            yield testCase $"#{v.Index} {show v.Existing} has '{v.Query}'" <| fun () ->
                Expect.equal (Vary.Field.has v.Query v.Existing) v.Result "Django's (2026-fixed) answer"
        yield testCase "all 72 entries agree with Django exactly, none skipped" <| fun () ->
            let agreeing = hasVectors |> List.filter (fun v -> Vary.Field.has v.Query v.Existing = v.Result)
            Expect.equal agreeing.Length 72 "agreeing entries"
    ]

let private patch existing (names: string list) = Vary.Field.patch names existing

[<Tests>]
let tests =
    testList "Http.VaryTests" [
        testList "Django's test_patch_vary_headers (section I)" [
            for existing, names, expected in
                [ None, [ "Accept-Encoding" ], "Accept-Encoding"
                  Some "Accept-Encoding", [ "accept-encoding" ], "Accept-Encoding"
                  Some "Accept-Encoding", [ "ACCEPT-ENCODING" ], "Accept-Encoding"
                  Some "Cookie", [ "Accept-Encoding" ], "Cookie, Accept-Encoding"
                  Some "Cookie, Accept-Encoding", [ "Accept-Encoding" ], "Cookie, Accept-Encoding"
                  Some "Cookie, Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  None, [ "Accept-Encoding"; "COOKIE" ], "Accept-Encoding, COOKIE"
                  Some "Cookie,     Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  Some "Cookie    ,     Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  Some "*", [ "Accept-Language"; "Cookie" ], "*"
                  Some "Accept-Language, Cookie", [ "*" ], "*" ] ->
                testCase $"{show existing} + %A{names} = '{expected}'" <| fun () ->
                    Expect.equal (patch existing names) expected "patched" ]

        testCase "new names are compared with existing entries only, not with each other (§4.6)" <| fun () ->
            Expect.equal (patch None [ "Cookie"; "cookie" ]) "Cookie, cookie" "both kept"
            Expect.equal (patch (Some "Cookie, cookie") [ "COOKIE" ]) "Cookie, cookie" "existing duplicates kept"

        testCase "patching an absent Vary with nothing creates an empty value (§4.6)" <| fun () ->
            Expect.equal (patch None []) "" "empty"
            let response = ResponseHead.ok |> Vary.patch []
            Expect.equal (ResponseHead.header "Vary" response) (Some "") "the field exists, empty"

        testCase "empty pieces inside a value are kept, as in Django (§4.6)" <| fun () ->
            Expect.equal (patch (Some "Cookie,") [ "Origin" ]) "Cookie, , Origin" "Django's quirk"

        testCase "deliberate: an empty existing value lists nothing, so patching it gives just the new names" <| fun () ->
            Expect.equal (patch (Some "") [ "Cookie" ]) "Cookie" "Django gives ', Cookie'"
            Expect.equal (patch (Some(patch None [])) [ "Cookie" ]) (patch None [ "Cookie" ]) "patching nothing first changes nothing"
            Expect.isEmpty (Vary.Field.entries (Some "")) "no entries"

        testCase "only an entry exactly '*' is a star; ' *' is not (§4.6)" <| fun () ->
            Expect.equal (patch (Some "Cookie, *") []) "*" "star"
            Expect.equal (patch (Some " *") [ "Cookie" ]) " *, Cookie" "a blank before the star"

        testCase "existing entries keep their spelling and the blank at the start of the value" <| fun () ->
            Expect.equal (patch (Some " Cookie") [ "COOKIE"; "Origin" ]) " Cookie, COOKIE, Origin" "' Cookie' is not 'cookie'"
            Expect.equal (patch (Some "aCCept-ENCODING") [ "Accept-Encoding" ]) "aCCept-ENCODING" "first spelling"

        testCase "patching a response head writes the patched value and keeps other fields" <| fun () ->
            let response = ResponseHead.ofList 200 [ "Content-Type", "text/html"; "vary", "Cookie" ]
            let patched = response |> Vary.patch [ "Accept-Encoding" ]
            Expect.equal (ResponseHead.header "Vary" patched) (Some "Cookie, Accept-Encoding") "patched"
            Expect.equal (ResponseHead.header "Content-Type" patched) (Some "text/html") "kept"
            Expect.equal (ResponseHead.header "Vary" response) (Some "Cookie") "the input is unchanged"

        testCase "Django's vary_on_headers and vary_on_cookie decorators (section O)" <| fun () ->
            Expect.equal (patch None [ "Header"; "Another-header" ]) "Header, Another-header" "vary_on_headers"
            Expect.equal (patch None [ "Cookie" ]) "Cookie" "vary_on_cookie"

        testCase "has_vary_header: absent is false, membership ignores case" <| fun () ->
            Expect.isFalse (Vary.Field.has "Cookie" None) "absent"
            Expect.isTrue (Vary.Field.has "cookie" (Some "Accept-Encoding, COOKIE")) "case"
            Expect.isFalse (Vary.Field.has "Cookie" (Some "Accept-Encoding")) "not listed"
            Expect.isFalse (Vary.Field.has "Cookie" (Some "*")) "a star is only found by asking for it"
            Expect.isTrue (Vary.Field.has "*" (Some "*")) "star"

        testCase "has_vary_header strips blanks around entries and the name (CVE-2026-48587, section S)" <| fun () ->
            Expect.isTrue (Vary.Field.has "cookie" (Some " Cookie")) "leading blank in the value"
            Expect.isTrue (Vary.Field.has "*" (Some "* ")) "trailing blank after the star"
            Expect.isTrue (Vary.Field.has " Cookie " (Some "Cookie")) "blanks around the name"
            Expect.isTrue (Vary.Field.has "origin" (Some "Cookie,\u001FOrigin\u001C")) "Python's str.strip also strips U+001C..U+001F"

        testCase "Vary.has over a response head reads its Vary field" <| fun () ->
            Expect.isTrue (ResponseHead.ofList 200 [ "VARY", "Cookie" ] |> Vary.has "cookie") "present"
            Expect.isFalse (ResponseHead.ok |> Vary.has "cookie") "absent"

        testCase "entries are split with Django's splitter and kept verbatim" <| fun () ->
            Expect.equal (Vary.Field.entries (Some "Cookie ,Accept-Encoding")) [ "Cookie"; "Accept-Encoding" ] "split"
            Expect.equal (Vary.Field.entries (Some " Cookie,,x")) [ " Cookie"; ""; "x" ] "verbatim"
            Expect.isEmpty (Vary.Field.entries None) "absent"
            Expect.equal (ResponseHead.ofList 200 [ "Vary", "Cookie, Origin" ] |> Vary.entries) [ "Cookie"; "Origin" ] "a response's entries"

        testCase "a null name is a caller mistake" <| fun () ->
            Expect.throwsT<System.ArgumentNullException> (fun () -> Vary.Field.patch [ null ] (Some "Cookie") |> ignore) "null name"
            Expect.throwsT<System.ArgumentNullException> (fun () -> Vary.Field.has null (Some "Cookie") |> ignore) "null query"

        patchConformance
        hasConformance
    ]
