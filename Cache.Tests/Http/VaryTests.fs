/// Vary patching and lookup: the reference's §4.6 examples, Django's cases (sections I, O, S) and conformance
/// against reference/django-vectors/patch_vary_headers.json and has_vary_header.json.
module Http.VaryTests

open System.IO
open System.Text.Json
open Expecto
open FunctionalCache.Http

let private text (e: JsonElement) = if e.ValueKind = JsonValueKind.Null then null else e.GetString()

let private show (s: string) = if isNull s then "absent" else $"'{s}'"

type private PatchVector = { Index: int; Existing: string; New: string list; Result: string }

let private patchVectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "patch_vary_headers.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          { Index = i
            Existing = text (e.GetProperty "existing")
            New = [ for n in e.GetProperty("new").EnumerateArray() -> n.GetString() ]
            Result = e.GetProperty("result").GetString() } ]

type private HasVector = { Index: int; Existing: string; Query: string; Result: bool }

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
    /// Not checked: the reason.
    | Skipped of reason: string

/// The deliberate difference: an empty Vary value lists nothing, so Django's leading ", " piece is not there.
let private emptyValueListsNothing = "an empty existing Vary value lists nothing (Django: ', Cookie')"

/// Under our rule an empty value patches exactly like an absent field (whose results are checked exactly).
let private classify (v: PatchVector) =
    if v.Existing = "" && not v.New.IsEmpty then
        Deliberate(emptyValueListsNothing, Vary.PatchVaryHeaders((null: string), v.New))
    else Exact v.Result

let private deliberateReasons = set [ emptyValueListsNothing ]

let private describe (v: PatchVector) = $"#{v.Index} {show v.Existing} + %A{v.New}"

let private patchConformance =
    let checks = patchVectors |> List.map (fun v -> v, classify v)
    testList "patch_vary_headers.json" [
        for v, check in checks do
            match check with
            | Exact expected ->
                yield testCase (describe v) <| fun () ->
                    Expect.equal (Vary.PatchVaryHeaders(v.Existing, v.New)) expected "Django's result"
            | Deliberate(reason, expected) ->
                yield testCase $"{describe v} (deliberate: {reason})" <| fun () ->
                    Expect.equal (Vary.PatchVaryHeaders(v.Existing, v.New)) expected "our rule's result"
                    Expect.notEqual expected v.Result "the difference is real"
            | Skipped _ -> ()

        yield testCase "entries by reason: 122 exact, 4 an empty existing value lists nothing, 0 skipped" <| fun () ->
            let count f = checks |> List.filter (snd >> f) |> List.length
            Expect.equal (count (function Exact _ -> true | _ -> false)) 122 "exact"
            Expect.equal (count (function Deliberate(r, _) -> r = emptyValueListsNothing | _ -> false)) 4 "empty value"
            Expect.equal (count (function Skipped _ -> true | _ -> false)) 0 "skipped"

        yield testCase "fewer than 2% of entries are skipped outside deliberate differences" <| fun () ->
            let outside =
                checks |> List.filter (fun (_, c) ->
                    match c with
                    | Skipped _ -> true
                    | Deliberate(r, _) -> not (deliberateReasons.Contains r)
                    | Exact _ -> false)
            Expect.isLessThan (float outside.Length / float checks.Length) 0.02 $"%A{outside}"
    ]

let private hasConformance =
    testList "has_vary_header.json" [
        for v in hasVectors do
            yield testCase $"#{v.Index} {show v.Existing} has '{v.Query}'" <| fun () ->
                Expect.equal (Vary.HasVaryHeader((v.Existing: string), v.Query)) v.Result "Django's (2026-fixed) answer"
        yield testCase "all 72 entries agree with Django exactly, none skipped" <| fun () ->
            let agreeing = hasVectors |> List.filter (fun v -> Vary.HasVaryHeader((v.Existing: string), v.Query) = v.Result)
            Expect.equal agreeing.Length 72 "agreeing entries"
    ]

let private patch existing (names: string list) = Vary.PatchVaryHeaders((existing: string), names)

[<Tests>]
let tests =
    testList "Http.VaryTests" [
        testList "Django's test_patch_vary_headers (section I)" [
            for existing, names, expected in
                [ null, [ "Accept-Encoding" ], "Accept-Encoding"
                  "Accept-Encoding", [ "accept-encoding" ], "Accept-Encoding"
                  "Accept-Encoding", [ "ACCEPT-ENCODING" ], "Accept-Encoding"
                  "Cookie", [ "Accept-Encoding" ], "Cookie, Accept-Encoding"
                  "Cookie, Accept-Encoding", [ "Accept-Encoding" ], "Cookie, Accept-Encoding"
                  "Cookie, Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  null, [ "Accept-Encoding"; "COOKIE" ], "Accept-Encoding, COOKIE"
                  "Cookie,     Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  "Cookie    ,     Accept-Encoding", [ "Accept-Encoding"; "cookie" ], "Cookie, Accept-Encoding"
                  "*", [ "Accept-Language"; "Cookie" ], "*"
                  "Accept-Language, Cookie", [ "*" ], "*" ] ->
                testCase $"{show existing} + %A{names} = '{expected}'" <| fun () ->
                    Expect.equal (patch existing names) expected "patched" ]

        testCase "new names are compared with existing entries only, not with each other (§4.6)" <| fun () ->
            Expect.equal (patch null [ "Cookie"; "cookie" ]) "Cookie, cookie" "both kept"
            Expect.equal (patch "Cookie, cookie" [ "COOKIE" ]) "Cookie, cookie" "existing duplicates kept"

        testCase "patching an absent Vary with nothing creates an empty value (§4.6)" <| fun () ->
            Expect.equal (patch null []) "" "empty"
            let response = Vary.PatchVaryHeaders(ResponseHead.Ok, [])
            Expect.equal (response.Headers.Get "Vary" |> toOption) (Some "") "the field exists, empty"

        testCase "empty pieces inside a value are kept, as in Django (§4.6)" <| fun () ->
            Expect.equal (patch "Cookie," [ "Origin" ]) "Cookie, , Origin" "Django's quirk"

        testCase "deliberate: an empty existing value lists nothing, so patching it gives just the new names" <| fun () ->
            Expect.equal (patch "" [ "Cookie" ]) "Cookie" "Django gives ', Cookie'"
            Expect.equal (patch (patch null []) [ "Cookie" ]) (patch null [ "Cookie" ]) "patching nothing first changes nothing"
            Expect.isEmpty (Vary.Parse "") "no entries"

        testCase "only an entry exactly '*' is a star; ' *' is not (§4.6)" <| fun () ->
            Expect.equal (patch "Cookie, *" []) "*" "star"
            Expect.equal (patch " *" [ "Cookie" ]) " *, Cookie" "a blank before the star"

        testCase "existing entries keep their spelling and the blank at the start of the value" <| fun () ->
            Expect.equal (patch " Cookie" [ "COOKIE"; "Origin" ]) " Cookie, COOKIE, Origin" "' Cookie' is not 'cookie'"
            Expect.equal (patch "aCCept-ENCODING" [ "Accept-Encoding" ]) "aCCept-ENCODING" "first spelling"

        testCase "the ResponseHead overload writes the patched value and keeps other fields" <| fun () ->
            let response = ResponseHead.Ok.WithHeader("Content-Type", "text/html").WithHeader("vary", "Cookie")
            let patched = Vary.PatchVaryHeaders(response, [ "Accept-Encoding" ])
            Expect.equal (patched.Headers.Get "Vary" |> toOption) (Some "Cookie, Accept-Encoding") "patched"
            Expect.equal (patched.Headers.Get "Content-Type" |> toOption) (Some "text/html") "kept"
            Expect.equal (response.Headers.Get "Vary" |> toOption) (Some "Cookie") "the input is unchanged"

        testCase "Django's vary_on_headers and vary_on_cookie decorators (section O)" <| fun () ->
            Expect.equal (patch null [ "Header"; "Another-header" ]) "Header, Another-header" "vary_on_headers"
            Expect.equal (patch null [ "Cookie" ]) "Cookie" "vary_on_cookie"

        testCase "has_vary_header: absent is false, membership ignores case" <| fun () ->
            Expect.isFalse (Vary.HasVaryHeader((null: string), "Cookie")) "absent"
            Expect.isTrue (Vary.HasVaryHeader("Accept-Encoding, COOKIE", "cookie")) "case"
            Expect.isFalse (Vary.HasVaryHeader("Accept-Encoding", "Cookie")) "not listed"
            Expect.isFalse (Vary.HasVaryHeader("*", "Cookie")) "a star is only found by asking for it"
            Expect.isTrue (Vary.HasVaryHeader("*", "*")) "star"

        testCase "has_vary_header strips blanks around entries and the name (CVE-2026-48587, section S)" <| fun () ->
            Expect.isTrue (Vary.HasVaryHeader(" Cookie", "cookie")) "leading blank in the value"
            Expect.isTrue (Vary.HasVaryHeader("* ", "*")) "trailing blank after the star"
            Expect.isTrue (Vary.HasVaryHeader("Cookie", " Cookie ")) "blanks around the name"
            Expect.isTrue (Vary.HasVaryHeader("Cookie,\u001FOrigin\u001C", "origin")) "Python's str.strip also strips U+001C..U+001F"

        testCase "HasVaryHeader over a ResponseHead reads its Vary field" <| fun () ->
            Expect.isTrue (Vary.HasVaryHeader(ResponseHead.Ok.WithHeader("VARY", "Cookie"), "cookie")) "present"
            Expect.isFalse (Vary.HasVaryHeader(ResponseHead.Ok, "cookie")) "absent"

        testCase "Parse splits with Django's splitter and keeps entries verbatim" <| fun () ->
            Expect.equal (Vary.Parse "Cookie ,Accept-Encoding" |> List.ofSeq) [ "Cookie"; "Accept-Encoding" ] "split"
            Expect.equal (Vary.Parse " Cookie,,x" |> List.ofSeq) [ " Cookie"; ""; "x" ] "verbatim"
            Expect.isEmpty (Vary.Parse (null: string)) "absent"

        testCase "a null name is a caller mistake" <| fun () ->
            Expect.throwsT<System.ArgumentNullException> (fun () -> Vary.PatchVaryHeaders("Cookie", [ null ]) |> ignore) "null name"
            Expect.throwsT<System.ArgumentNullException> (fun () -> Vary.HasVaryHeader("Cookie", null) |> ignore) "null query"

        patchConformance
        hasConformance
    ]
