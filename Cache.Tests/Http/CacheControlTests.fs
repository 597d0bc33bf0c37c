/// Cache-Control and the response-header helpers: the examples of reference §4.1–4.5, Django's own cases
/// (django-tests.md I and O) and conformance against the recorded vectors (patch_cache_control.json,
/// get_max_age.json, patch_response_headers.json, add_never_cache_headers.json).
module Http.CacheControlTests

open System
open System.IO
open System.Text
open System.Globalization
open System.Numerics
open System.Text.Json
open System.Text.RegularExpressions
open Expecto
open FunctionalCache.Http
open FunctionalCache.FSharp

// ---------------------------------------------------------------- helpers

/// The C# builder, for the tests of its own surface (call order, guard messages).
let private patch = CacheControlPatch.Empty

/// The tables write an absent field as null.
let private patched (existing: string) (directives: CacheControlDirective list) = CacheControl.Field.patch directives (Option.ofObj existing)

let private maxAge (header: string) = CacheControl.Field.maxAge (Option.ofObj header)

let private header name (response: ResponseHead) = ResponseHead.header name response

let private show (text: string) = if isNull text then "absent" else "'" + text.Replace("\t", "\\t") + "'"

/// The message of the ArgumentException that f throws.
let private refusal (f: unit -> unit) =
    try
        f ()
        failtest "expected an ArgumentException"
    with :? ArgumentException as e -> e.Message

let private parts (value: string) = value.Split(", ") |> Array.sortWith (fun a b -> String.CompareOrdinal(a, b)) |> List.ofArray

/// The vectors' pinned clock: 1700000000 = Tue, 14 Nov 2023 22:13:20 GMT.
let private pinnedNow = DateTimeOffset.FromUnixTimeSeconds 1700000000L

let private response (cacheControl: string) (expires: string) =
    ResponseHead.ofList 200 [ if not (isNull cacheControl) then "Cache-Control", cacheControl
                              if not (isNull expires) then "Expires", expires ]

// ---------------------------------------------------------------- examples (§4.1–4.5)

let private parseAndFormat =
    testList "parse and format" [
        testCase "directive names are lower-cased and values kept verbatim, quotes included" <| fun () ->
            let cc = CacheControl.Parse "MAX-AGE=60, No-Cache=\"Set-Cookie\", Community=\"UCI\""
            Expect.equal (cc.Format()) "max-age=60, no-cache=\"Set-Cookie\", community=\"UCI\"" "format"
        testCase "a later duplicate takes the value and keeps the first position" <| fun () ->
            Expect.equal (CacheControl.Parse("max-age=10, public, max-age=20").Format()) "max-age=20, public" "format"
        testCase "no-cache collects distinct field names, and a bare no-cache absorbs them" <| fun () ->
            let cc = CacheControl.Parse "no-cache=A, public, no-cache=B, no-cache=A"
            Expect.equal (cc.Format()) "no-cache=A, no-cache=B, public" "fields grouped at the first position"
            Expect.equal (List.ofSeq cc.NoCacheFields) [ "A"; "B" ] "fields"
            Expect.equal (CacheControl.Parse("no-cache=A, no-cache").Format()) "no-cache" "bare wins"
        testCase "empty pieces and blanks at the ends are kept, as Django's splitter keeps them" <| fun () ->
            Expect.equal (CacheControl.Parse("public,,max-age=5").Format()) "public, , max-age=5" "empty piece"
            Expect.equal (CacheControl.Parse("public,").Format()) "public, " "trailing empty piece"
            Expect.isFalse (CacheControl.Parse(" public").Public) "' public' is not public"
        testCase "absent and empty values parse to no directives" <| fun () ->
            Expect.equal (CacheControl.Parse null) CacheControl.Empty "null"
            Expect.equal (CacheControl.Parse "") CacheControl.Empty "empty"
            Expect.equal (CacheControl.Empty.Format()) "" "format"
        testCase "typed accessors" <| fun () ->
            let cc =
                CacheControl.Parse
                    "public, private=\"X-Foo\", no-cache=\"Set-Cookie\", no-store, no-transform, must-revalidate, proxy-revalidate, max-age=60, s-maxage=120, stale-while-revalidate=30, stale-if-error=86400, immutable"
            Expect.isTrue cc.Public "public"
            Expect.isTrue cc.Private "private"
            Expect.isTrue cc.NoCache "no-cache"
            Expect.equal (List.ofSeq cc.NoCacheFields) [ "Set-Cookie" ] "no-cache fields, unquoted"
            Expect.isTrue cc.NoStore "no-store"
            Expect.isTrue cc.NoTransform "no-transform"
            Expect.isTrue cc.MustRevalidate "must-revalidate"
            Expect.isTrue cc.ProxyRevalidate "proxy-revalidate"
            Expect.equal (CacheControl.Parsed.maxAge cc) (Some 60L) "max-age"
            Expect.equal (CacheControl.Parsed.sharedMaxAge cc) (Some 120L) "s-maxage"
            Expect.equal (CacheControl.Parsed.staleWhileRevalidate cc) (Some 30L) "stale-while-revalidate"
            Expect.equal (CacheControl.Parsed.staleIfError cc) (Some 86400L) "stale-if-error"
            Expect.isTrue (CacheControl.Parsed.has "IMMUTABLE" cc) "extension directive, any case"
            Expect.equal (CacheControl.Parsed.tryFind "private" cc) (Some(Directive("private", Some "\"X-Foo\""))) "raw private"
            Expect.equal (CacheControl.Parsed.noCacheFields cc) [ "Set-Cookie" ] "no-cache fields, through the F# face"
            Expect.equal cc.Count 12 "count"
        testCase "an empty directive set answers false and None everywhere" <| fun () ->
            let cc = CacheControl.Empty
            Expect.isFalse (cc.Public || cc.Private || cc.NoCache || cc.NoStore || cc.NoTransform || cc.MustRevalidate || cc.ProxyRevalidate) "flags"
            Expect.isTrue (List.forall Option.isNone [ CacheControl.Parsed.maxAge cc; CacheControl.Parsed.sharedMaxAge cc; CacheControl.Parsed.staleWhileRevalidate cc; CacheControl.Parsed.staleIfError cc ]) "ages"
            Expect.isEmpty (List.ofSeq cc.NoCacheFields) "fields"
        testCase "a bare no-cache has no field names" <| fun () ->
            Expect.isEmpty (List.ofSeq (CacheControl.Parse("no-cache").NoCacheFields)) "fields"
        testCase "Of combines like a parse and equality is structural" <| fun () ->
            let built = CacheControl.Of(CacheDirective.Flag "Public", CacheDirective.WithValue("max-age", "60"), CacheDirective.WithValue("MAX-AGE", "30"))
            Expect.equal built (CacheControl.Parse "public, max-age=30") "equal"
            Expect.equal (built.GetHashCode()) ((CacheControl.Parse "public, max-age=30").GetHashCode()) "hash"
            Expect.notEqual built (CacheControl.Parse "max-age=30, public") "order matters"
        testCase "Of refuses a name that is not a token, with the rule in the message" <| fun () ->
            let message = refusal (fun () -> CacheControl.Of(CacheDirective.Flag "a b") |> ignore)
            Expect.stringStarts message "A Cache-Control directive name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), not 'a b'." "message"
        testCase "a patch refuses a value with a comma, CR or LF, or blanks at its ends" <| fun () ->
            let message = refusal (fun () -> patch.NoCache("Set-Cookie, Link") |> ignore)
            Expect.stringStarts message "A Cache-Control directive value must not contain a comma, CR or LF (the field is split at every comma): 'Set-Cookie, Link'." "message"
            Expect.stringStarts (refusal (fun () -> patch.Directive("x", "a\r\nSet-Cookie: y") |> ignore))
                @"A Cache-Control directive value must not contain a comma, CR or LF (the field is split at every comma): 'a\r\nSet-Cookie: y'." "CR LF, shown escaped"
            Expect.stringStarts (refusal (fun () -> patch.Flag("no\u001B[8mcache") |> ignore))
                @"A Cache-Control directive name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), not 'no\x1B[8mcache'." "ESC in a name, shown escaped"
            let message = refusal (fun () -> patch.Directive("x", " 1") |> ignore)
            Expect.stringStarts message "A Cache-Control directive value must not begin or end with white space: ' 1'." "message"
        testCase "a patch lists its directives in call order, a repeated name replacing in place" <| fun () ->
            let p = patch.Public().MaxAge(60L).NoCache("A").MaxAge(TimeSpan.FromSeconds 30.9).NoCache("B")
            Expect.equal (string p) "public, max-age=30, no-cache=A, no-cache=B" "directives"
            Expect.equal p (CacheControlPatch.Of(CacheDirective.Flag "public", CacheDirective.WithValue("max-age", "30"), CacheDirective.WithValue("no-cache", "A"), CacheDirective.WithValue("no-cache", "B"))) "structural equality"
            Expect.equal (string (patch.SharedMaxAge(TimeSpan.FromMinutes 2.0).StaleWhileRevalidate(30L).StaleIfError(TimeSpan.FromDays 1.0))) "s-maxage=120, stale-while-revalidate=30, stale-if-error=86400" "seconds"
    ]

let private patchExamples =
    testList "patch_cache_control (§4.1)" [
        let cases =
            [ null, [ Private ], "private"
              "", [ NoCacheField "Set-Cookie" ], "no-cache=Set-Cookie"
              "no-cache=Set-Cookie", [ NoCache ], "no-cache"
              "must-revalidate,max-age=60,private", [ Public ], "must-revalidate, max-age=60, public"
              "max-age=60", [ MaxAge 30L ], "max-age=30"
              "max-age=30", [ MaxAge 60L ], "max-age=30"
              "max-age=10, max-age=20", [ MaxAge 15L ], "max-age=15"
              "max-age=abc", [ Public ], "max-age=abc, public"
              "public,,max-age=5", [], "public, , max-age=5"
              "public,", [], "public, "
              " public", [ Private ], " public, private"
              "PUBLIC", [ Private ], "private"
              null, [ MaxAge 123L; Private; Public; Directive("custom", Some "456") ], "max-age=123, private, public, custom=456"
              null, [], ""
              "max-age= 60", [ MaxAge 100L ], "max-age=60"
              "max-age=1_000", [ MaxAge 5000L ], "max-age=1000"
              "max-age=007", [ MaxAge 60L ], "max-age=7" ]
        for existing, p, expected in cases ->
            testCase $"{show existing} patched with [{CacheControl.toPatch p}] gives '{expected}'" <| fun () -> Expect.equal (patched existing p) expected "Cache-Control"
        yield testCase "no-cache field names accumulate (any order)" <| fun () ->
            Expect.equal (parts (patched "no-cache=Set-Cookie" ([ NoCacheField "Link" ]))) [ "no-cache=Link"; "no-cache=Set-Cookie" ] "fields"
        yield testCase "a quoted and an unquoted field name are different field names, as in Django" <| fun () ->
            Expect.equal (parts (patched "no-cache=\"Set-Cookie\"" ([ NoCacheField "Set-Cookie" ]))) [ "no-cache=\"Set-Cookie\""; "no-cache=Set-Cookie" ] "fields"
        yield testCase "deliberate difference: a non-numeric max-age is replaced by the patch's, where Django raises ValueError" <| fun () ->
            Expect.equal (patched "max-age=abc" ([ MaxAge 30L ])) "max-age=30" "abc"
            Expect.equal (patched "public, max-age=1.5, x" ([ MaxAge 30L ])) "public, max-age=30, x" "a float, replaced in place"
            Expect.equal (patched "max-age=" ([ MaxAge 30L ])) "max-age=30" "empty"
        yield testCase "a bare existing max-age counts as 1 in the min rule (Django's int(True))" <| fun () ->
            Expect.equal (patched "max-age" ([ MaxAge 30L ])) "max-age=1" "bare"
        yield testCase "a non-numeric max-age set through Directive replaces the existing one instead of failing" <| fun () ->
            Expect.equal (patched "max-age=60" ([ Directive("max-age", Some "soon") ])) "max-age=soon" "replaced"
        yield testCase "a numeric patch max-age is written as a plain decimal, so a second application changes nothing (regression)" <| fun () ->
            let p = [ Directive("max-age", Some "007") ]
            let once = patched "max-age=\"Set-Cookie\"" p
            Expect.equal once "max-age=7" "once"
            Expect.equal (patched once p) once "twice"
            Expect.equal (patched null p) "max-age=7" "on an absent field"
        yield testCase "a patch on a response head writes the field, even empty" <| fun () ->
            let r = ResponseHead.ok |> CacheControl.patch []
            Expect.equal (header "Cache-Control" r) (Some "") "empty field written"
            let r = ResponseHead.ofList 200 [ "cache-control", "public" ] |> CacheControl.patch [ MaxAge 60L ]
            Expect.equal (header "Cache-Control" r) (Some "public, max-age=60") "patched"
        yield testCase "the value form: Patch on a CacheControl equals the string function" <| fun () ->
            let p = [ Private; MaxAge 10L ]
            Expect.equal (CacheControl.Parse "public, max-age=60" |> CacheControl.Parsed.patch p |> CacheControl.Parsed.format) (patched "public, max-age=60" p) "same"
    ]

let private maxAgeExamples =
    testList "get_max_age (§4.2)" [
        let cases =
            [ null, None
              "", None
              "max-age=60", Some 60L
              "MAX-AGE=60", Some 60L
              "max-age=10, max-age=20", Some 20L
              "max-age=-5", Some -5L
              "max-age", Some 1L
              "max-age=", None
              "max-age=1.5", None
              "max-age=\"60\"", None
              "max-age =60", None
              " max-age=60", None
              "max-age= 60", Some 60L
              "max-age=60 ", Some 60L
              "max-age=+7", Some 7L
              "max-age=007", Some 7L
              "max-age=1_000", Some 1000L
              "max-age=1__000", None
              "max-age=_1", None
              "max-age=1_", None
              "max-age=-", None
              "max-age=٣", None
              "private,max-age=5,public", Some 5L ]
        for text, expected in cases ->
            testCase $"{show text} gives {expected}" <| fun () -> Expect.equal (maxAge text) expected "max-age"
        yield testCase "deliberate difference: an integer beyond a long saturates (RFC 9111 §1.2.2)" <| fun () ->
            Expect.equal (maxAge "max-age=99999999999999999999") (Some Int64.MaxValue) "positive"
            Expect.equal (maxAge "max-age=-99999999999999999999") (Some Int64.MinValue) "negative"
            Expect.equal (maxAge "max-age=9223372036854775807") (Some Int64.MaxValue) "the largest long"
            Expect.equal (maxAge "max-age=-9223372036854775808") (Some Int64.MinValue) "the smallest long"
            Expect.equal (maxAge "max-age=9223372036854775808") (Some Int64.MaxValue) "one more"
        yield testCase "CacheControl.maxAge on a response head reads its Cache-Control" <| fun () ->
            Expect.equal (ResponseHead.ofList 200 [ "Cache-Control", "max-age=5" ] |> CacheControl.maxAge) (Some 5L) "present"
            Expect.equal (CacheControl.maxAge ResponseHead.ok) None "absent"
    ]

let private responseHeaderExamples =
    testList "patch_response_headers and add_never_cache_headers (§4.3, §4.4)" [
        testCase "a fresh response gets Expires = now + seconds, Last-Modified = now and max-age" <| fun () ->
            let r = Headers.patchResponse pinnedNow 600 ResponseHead.ok
            Expect.equal (header "Expires" r) (Some "Tue, 14 Nov 2023 22:23:20 GMT") "Expires"
            Expect.equal (header "Last-Modified" r) (Some "Tue, 14 Nov 2023 22:13:20 GMT") "Last-Modified (deliberate: Django ≥ 1.11 leaves it out)"
            Expect.equal (header "Cache-Control" r) (Some "max-age=600") "Cache-Control"
            Expect.equal (header "ETag" r) None "no ETag"
        testCase "a negative timeout counts as 0" <| fun () ->
            let r = Headers.patchResponse pinnedNow (-1) ResponseHead.ok
            Expect.equal (header "Expires" r) (Some "Tue, 14 Nov 2023 22:13:20 GMT") "Expires"
            Expect.equal (header "Cache-Control" r) (Some "max-age=0") "Cache-Control"
        testCase "an existing Expires, even empty, and an existing Last-Modified are kept" <| fun () ->
            let r = Headers.patchResponse pinnedNow 60 (response null "tomorrow" |> ResponseHead.withHeader "Last-Modified" "yesterday")
            Expect.equal (header "Expires" r) (Some "tomorrow") "Expires"
            Expect.equal (header "Last-Modified" r) (Some "yesterday") "Last-Modified"
            Expect.equal (header "Expires" (Headers.patchResponse pinnedNow 60 (response null ""))) (Some "") "empty Expires"
        testCase "an existing smaller max-age survives, even a negative one" <| fun () ->
            Expect.equal (header "Cache-Control" (Headers.patchResponse pinnedNow 1 (response "max-age=-5" null))) (Some "max-age=-5") "min rule"
            Expect.equal (header "Cache-Control" (Headers.patchResponse pinnedNow 60 (response "private" null))) (Some "private, max-age=60") "appended"
        testCase "deliberate difference: an existing non-numeric max-age is replaced (Django: ValueError)" <| fun () ->
            Expect.equal (header "Cache-Control" (Headers.patchResponse pinnedNow 60 (response "max-age=abc, public" null))) (Some "max-age=60, public") "replaced"
        testCase "a year-long timeout" <| fun () ->
            Expect.equal (header "Expires" (Headers.patchResponse pinnedNow 31536000 ResponseHead.ok)) (Some "Wed, 13 Nov 2024 22:13:20 GMT") "Expires"
        testCase "an Expires past year 9999 is written as the last representable second" <| fun () ->
            let late = DateTimeOffset(9999, 12, 31, 23, 0, 0, TimeSpan.Zero)
            Expect.equal (header "Expires" (Headers.patchResponse late Int32.MaxValue ResponseHead.ok)) (Some "Fri, 31 Dec 9999 23:59:59 GMT") "saturated"
        testCase "never-cache on a fresh response" <| fun () ->
            let r = Headers.neverCache pinnedNow ResponseHead.ok
            Expect.equal (header "Cache-Control" r) (Some "max-age=0, no-cache, no-store, must-revalidate, private") "exact order"
            Expect.equal (header "Expires" r) (Some "Tue, 14 Nov 2023 22:13:20 GMT") "Expires now"
            Expect.equal (header "Last-Modified" r) None "no Last-Modified"
        testCase "never-cache removes public and appends private; an existing private keeps its place" <| fun () ->
            Expect.equal (header "Cache-Control" (Headers.neverCache pinnedNow (response "public" null))) (Some "max-age=0, no-cache, no-store, must-revalidate, private") "public"
            Expect.equal (header "Cache-Control" (Headers.neverCache pinnedNow (response "private" null))) (Some "private, max-age=0, no-cache, no-store, must-revalidate") "private"
        testCase "never-cache keeps a smaller (negative) max-age, like Django" <| fun () ->
            Expect.equal (header "Cache-Control" (Headers.neverCache pinnedNow (response "max-age=-5" null))) (Some "max-age=-5, no-cache, no-store, must-revalidate, private") "min rule"
        testCase "ETag.forBody is the quoted MD5 hex of the body, None for an empty body (§4.5)" <| fun () ->
            Expect.equal (ETag.forBody (Encoding.UTF8.GetBytes "hello")) (Some "\"5d41402abc4b2a76b9719d911017c592\"") "hello"
            Expect.equal (ETag.forBody [||]) None "empty"
        testCase "setETag sets the body's tag and leaves an empty body alone" <| fun () ->
            let r = ResponseHead.ok |> Headers.setETag (Encoding.UTF8.GetBytes "hello")
            Expect.equal (header "ETag" r) (Some "\"5d41402abc4b2a76b9719d911017c592\"") "ETag"
            Expect.equal (ResponseHead.ok |> Headers.setETag [||]) ResponseHead.ok "unchanged"
    ]

// ---------------------------------------------------------------- Django's own cases (django-tests.md I and O)

let private djangoCases =
    testList "Django's tests" [
        let table =
            [ null, [ Private ], [ "private" ]
              "", [ Private ], [ "private" ]
              "", [ NoCacheField "Set-Cookie" ], [ "no-cache=Set-Cookie" ]
              "no-cache=Set-Cookie", [ NoCache ], [ "no-cache" ]
              "no-cache=Set-Cookie,no-cache=Link", [ NoCache ], [ "no-cache" ]
              "no-cache=Set-Cookie", [ NoCacheField "Link" ], [ "no-cache=Link"; "no-cache=Set-Cookie" ]
              "no-cache=Set-Cookie,no-cache=Link", [ NoCacheField "Custom" ], [ "no-cache=Custom"; "no-cache=Link"; "no-cache=Set-Cookie" ]
              "private", [ Private ], [ "private" ]
              "private", [ Public ], [ "public" ]
              "public", [ Public ], [ "public" ]
              "public", [ Private ], [ "private" ]
              "must-revalidate,max-age=60,private", [ Public ], [ "max-age=60"; "must-revalidate"; "public" ]
              "must-revalidate,max-age=60,public", [ Private ], [ "max-age=60"; "must-revalidate"; "private" ]
              "must-revalidate,max-age=60", [ Public ], [ "max-age=60"; "must-revalidate"; "public" ] ]
        for existing, p, expected in table ->
            testCase $"test_patch_cache_control: {show existing} + [{CacheControl.toPatch p}] gives {expected}" <| fun () ->
                Expect.equal (parts (patched existing p)) expected "parts"
        yield testCase "test_cache_control_empty_decorator: the header is present and empty" <| fun () ->
            Expect.equal (header "Cache-Control" (ResponseHead.ok |> CacheControl.patch [])) (Some "") "empty"
        yield testCase "test_cache_control_full_decorator: max_age=123, private, public, custom=456" <| fun () ->
            let p = [ MaxAge 123L; Private; Public; Directive("custom", Some "456") ]
            Expect.equal (parts (patched null p)) [ "custom=456"; "max-age=123"; "private"; "public" ] "parts"
        yield testCase "test_never_cache_decorator_headers: exact Expires and Cache-Control at 1167616461" <| fun () ->
            let r = Headers.neverCache (DateTimeOffset.FromUnixTimeSeconds 1167616461L) ResponseHead.ok
            Expect.equal (header "Expires" r) (Some "Mon, 01 Jan 2007 01:54:21 GMT") "Expires"
            Expect.equal (header "Cache-Control" r) (Some "max-age=0, no-cache, no-store, must-revalidate, private") "Cache-Control"
        yield testCase "test_never_cache_decorator_expires_not_overridden: the view's Expires is kept" <| fun () ->
            let r = Headers.neverCache (DateTimeOffset.FromUnixTimeSeconds 1167616461L) (response null "tomorrow")
            Expect.equal (header "Expires" r) (Some "tomorrow") "Expires"
    ]

// ---------------------------------------------------------------- Django's rule, written out

/// A directive's value in Django's dictionary: bare (Python's True) or text.
type private RuleValue =
    | Bare
    | Text of string

/// Python's int() on a directive value, within our two documented limits: ASCII digits only, and a number too big
/// for a long saturates.
let private pythonInt (text: string) : int64 option =
    let m = Regex.Match(text, @"\A\s*([+-]?)([0-9]+(?:_[0-9]+)*)\s*\z")
    if not m.Success then None
    else
        let n = BigInteger.Parse(m.Groups[1].Value + m.Groups[2].Value.Replace("_", ""), CultureInfo.InvariantCulture)
        Some(if n > BigInteger Int64.MaxValue then Int64.MaxValue elif n < BigInteger Int64.MinValue then Int64.MinValue else int64 n)

/// What Django's dictionary holds for a typed directive (names lower-cased, as ours are).
let private ruleOf (d: CacheControlDirective) : string * RuleValue =
    match d with
    | Public -> "public", Bare
    | Private -> "private", Bare
    | NoCache -> "no-cache", Bare
    | NoCacheField field -> "no-cache", Text field
    | NoStore -> "no-store", Bare
    | NoTransform -> "no-transform", Bare
    | MustRevalidate -> "must-revalidate", Bare
    | ProxyRevalidate -> "proxy-revalidate", Bare
    | Immutable -> "immutable", Bare
    | MaxAge n -> "max-age", Text(string n)
    | SMaxAge n -> "s-maxage", Text(string n)
    | StaleWhileRevalidate n -> "stale-while-revalidate", Text(string n)
    | StaleIfError n -> "stale-if-error", Text(string n)
    | Directive(name, None) -> name.ToLowerInvariant(), Bare
    | Directive(name, Some value) -> name.ToLowerInvariant(), Text value

/// Django's patch_cache_control (django/utils/cache.py, 3.2 to main) transcribed over an ordered dictionary, with our
/// documented differences (README "HTTP helpers"): a non-numeric existing max-age is replaced instead of raising
/// ValueError, a numeric max-age is written as a plain decimal, and a name set twice by one patch keeps its first
/// position and the later value. The oracle for the entries whose keyword arguments a typed patch cannot write.
let private djangoRule (existing: string) (patch: CacheControlDirective list) : string =
    let entries = ResizeArray<string * RuleValue list>()
    let indexOf name = entries.FindIndex(fun (n, _) -> n = name)
    let put (name: string, value: RuleValue) =
        match indexOf name with
        | -1 -> entries.Add((name, [ value ]))
        | i when name = "no-cache" -> let vs = snd entries[i] in if not (List.contains value vs) then entries[i] <- (name, vs @ [ value ])
        | i -> entries[i] <- (name, [ value ])
    if not (String.IsNullOrEmpty existing) then
        for piece in Regex.Split(existing, @"\s*,\s*") do
            match piece.IndexOf '=' with
            | -1 -> put (piece.ToLowerInvariant(), Bare)
            | eq -> put (piece.Substring(0, eq).ToLowerInvariant(), Text(piece.Substring(eq + 1)))
    let settings =
        (([]: (string * RuleValue) list), List.map ruleOf patch)
        ||> List.fold (fun acc (name, value) ->
            match List.tryFindIndex (fst >> (=) name) acc with
            | Some _ when name = "no-cache" -> acc @ [ name, value ]
            | Some i -> List.updateAt i (name, value) acc
            | None -> acc @ [ name, value ])
    let existingAge =
        match indexOf "max-age" with
        | -1 -> None
        | i -> match List.head (snd entries[i]) with Bare -> Some 1L | Text t -> pythonInt t
    let smaller (value: RuleValue) =
        match value, existingAge with
        | Bare, Some old when old < 1L -> Text(string old)
        | Bare, _ -> Bare
        | Text t, _ ->
            match pythonInt t, existingAge with
            | Some n, Some old -> Text(string (min old n))
            | Some n, None -> Text(string n)
            | None, _ -> value
    let names = List.map fst settings
    if indexOf "private" >= 0 && List.contains "public" names then entries.RemoveAt(indexOf "private")
    elif indexOf "public" >= 0 && List.contains "private" names then entries.RemoveAt(indexOf "public")
    for name, value in settings do put (name, (if name = "max-age" then smaller value else value))
    [ for name, values in entries do
          if name = "no-cache" && List.contains Bare values then yield name
          else for v in values -> match v with Bare -> name | Text t -> $"{name}={t}" ]
    |> String.concat ", "

// ---------------------------------------------------------------- conformance

/// How an entry is compared: with Django's recorded result, or (a deliberate difference listed in README's "HTTP
/// helpers") with what our documented rule gives instead.
type private Kind =
    | Exact
    | Deliberate of reason: string

let private falseOrNone = "Python kwargs quirk: False or None rendered as text (public=False); a typed patch leaves the directive out"
let private floatValue = "Python kwargs quirk: a float value (max_age as a fraction of seconds); a typed patch takes whole seconds, the fraction truncated"
let private capitalised = "Python kwargs quirk: a capitalised keyword is a separate directive (Max_Age); our names are case-insensitive"
let private hyphenKeyword = "Python kwargs quirk: a keyword spelled max-age bypasses the min rule; ours applies it"
let private valueError = "Django raises ValueError on a non-numeric max-age; ours replaces it"
let private fractionalTimeout = "a fractional timeout: ours takes whole seconds (Python's int() of it), so max-age loses the fraction"

let private str (e: JsonElement) = if e.ValueKind = JsonValueKind.Null then null else e.GetString()

let private prop (name: string) (e: JsonElement) =
    match e.TryGetProperty name with
    | true, v -> Some v
    | _ -> None

/// The typed patch a caller writes for Django's keyword arguments, and the quirks the keywords had that a typed
/// patch cannot repeat (empty when Django's result is comparable as it stands).
let private toPatch (existing: string) (kwargs: (string * JsonElement) list) : CacheControlDirective list * string list =
    let existingHasMaxAge = CacheControl.Parse(existing).Contains "max-age"
    let translate (name: string, value: JsonElement) =
        let directive = name.Replace('_', '-')
        let quirks =
            [ match value.ValueKind with
              | JsonValueKind.False | JsonValueKind.Null -> falseOrNone
              | JsonValueKind.Number when not (fst (value.TryGetInt64())) -> floatValue
              | _ -> ()
              if directive <> directive.ToLowerInvariant() then capitalised
              if name = "max-age" && existingHasMaxAge then hyphenKeyword ]
        let typed =
            match directive.ToLowerInvariant(), value.ValueKind with
            | _, (JsonValueKind.False | JsonValueKind.Null) -> []
            // 1 == True in Python, so no_cache=1 joins the set as the bare flag: our NoCache.
            | "no-cache", JsonValueKind.Number when value.GetRawText() = "1" -> [ NoCache ]
            | ("max-age" | "s-maxage" | "stale-while-revalidate" | "stale-if-error"), JsonValueKind.Number when not (fst (value.TryGetInt64())) ->
                // A fraction of a second goes through the TimeSpan overloads, whose documented rule truncates it.
                let span = TimeSpan.FromSeconds(value.GetDouble())
                let empty = CacheControlPatch.Empty
                let builder =
                    match directive.ToLowerInvariant() with
                    | "max-age" -> empty.MaxAge span
                    | "s-maxage" -> empty.SharedMaxAge span
                    | "stale-while-revalidate" -> empty.StaleWhileRevalidate span
                    | _ -> empty.StaleIfError span
                [ for d in builder.Directives -> CacheControl.ofCacheDirective d ]
            | lower, JsonValueKind.True when directive = lower ->
                match lower with
                | "public" -> [ Public ]
                | "private" -> [ Private ]
                | "no-cache" -> [ NoCache ]
                | "no-store" -> [ NoStore ]
                | "no-transform" -> [ NoTransform ]
                | "must-revalidate" -> [ MustRevalidate ]
                | "proxy-revalidate" -> [ ProxyRevalidate ]
                | other -> [ Directive(other, None) ]
            | lower, JsonValueKind.Number when directive = lower ->
                let n = value.GetInt64()
                match lower with
                | "max-age" -> [ MaxAge n ]
                | "s-maxage" -> [ SMaxAge n ]
                | "stale-while-revalidate" -> [ StaleWhileRevalidate n ]
                | "stale-if-error" -> [ StaleIfError n ]
                | "no-cache" -> [ NoCacheField(string n) ]
                | other -> [ Directive(other, Some(string n)) ]
            | "no-cache", JsonValueKind.String when directive = "no-cache" -> [ NoCacheField(value.GetString()) ]
            | _, JsonValueKind.True -> [ Directive(directive, None) ]
            | _, JsonValueKind.Number -> [ Directive(directive, Some(value.GetRawText())) ]
            | _, JsonValueKind.String -> [ Directive(directive, Some(value.GetString())) ]
            | _, kind -> failwith $"unexpected kwarg kind {kind} in patch_cache_control.json"
        typed, quirks
    let parts = List.map translate kwargs
    List.collect fst parts, List.collect snd parts |> List.distinct

type private Outcome =
    { Name: string
      Kind: Kind
      Check: unit -> unit }

let private kindOf (quirks: string list) (error: JsonElement option) =
    match quirks, error with
    | first :: _, _ -> Deliberate first
    | [], Some _ -> Deliberate valueError
    | [], None -> Exact

let private load file = (JsonDocument.Parse(File.ReadAllText(vectorFile file))).RootElement.EnumerateArray() |> List.ofSeq

type private PatchEntry =
    { Index: int
      Existing: string
      Kwargs: (string * JsonElement) list
      Entry: JsonElement }

let private patchEntries =
    [ for i, e in List.indexed (load "patch_cache_control.json") ->
          { Index = i
            Existing = str (e.GetProperty "existing")
            Kwargs = [ for kv in e.GetProperty("kwargs").EnumerateArray() -> kv[0].GetString(), kv[1] ]
            Entry = e } ]

let private describePatch (p: PatchEntry) =
    let kwText = p.Kwargs |> List.map (fun (k, v) -> $"{k}={v.GetRawText()}") |> String.concat ", "
    $"#{p.Index} {show p.Existing} + ({kwText})"

/// Django's recorded result: exact, or as a multiset where Django wrote several no-cache fields in set order.
let private expectDjangoPatch (p: PatchEntry) (actual: string) =
    match prop "unordered" p.Entry with
    | Some u when u.GetBoolean() ->
        let expected = [ for x in p.Entry.GetProperty("result_parts_sorted").EnumerateArray() -> x.GetString() ]
        Expect.equal (parts actual) expected "parts (a multiset)"
    | _ -> Expect.equal actual (p.Entry.GetProperty("result").GetString()) "Cache-Control"

let private patchCacheControlOutcomes =
    [ for p in patchEntries ->
          let typed, quirks = toPatch p.Existing p.Kwargs
          let kind = kindOf quirks (prop "error" p.Entry)
          { Name = describePatch p
            Kind = kind
            Check =
              fun () ->
                  let result = patched p.Existing typed
                  match kind with
                  | Exact -> expectDjangoPatch p result
                  | Deliberate reason ->
                      Expect.equal result (djangoRule p.Existing typed) $"{reason}: Django's rule on the typed patch [{CacheControl.toPatch typed}]" } ]

let private getMaxAgeOutcomes =
    [ for i, e in List.indexed (load "get_max_age.json") ->
          let text = str (e.GetProperty "cache_control")
          let expected = match e.GetProperty "result" with r when r.ValueKind = JsonValueKind.Null -> None | r -> Some(r.GetInt64())
          { Name = $"#{i} {show text} gives {expected}"
            Kind = Exact
            Check = fun () -> Expect.equal (maxAge text) expected "max-age" } ]

/// Django writes a no-cache set in Python's set order: with two or more field names, compare as a multiset.
let private expectCacheControl (actual: string option) (expected: string) =
    let fields = expected.Split(", ") |> Array.filter (fun p -> p.StartsWith "no-cache=") |> Array.length
    if fields > 1 then Expect.equal (actual |> Option.map parts) (Some(parts expected)) "Cache-Control parts (a multiset)"
    else Expect.equal actual (Some expected) "Cache-Control"

/// Our Expires: an existing one (even empty) is kept, otherwise now + the timeout (never below 0).
let private expectedExpires (existing: string) (seconds: int) =
    if isNull existing then HttpDate.Format(pinnedNow.AddSeconds(float (max 0 seconds))) else existing

let private patchResponseHeadersOutcomes =
    [ for i, e in List.indexed (load "patch_response_headers.json") ->
          let cc = str (e.GetProperty "existing_cache_control")
          let expires = str (e.GetProperty "existing_expires")
          let timeout = e.GetProperty "cache_timeout"
          let name = $"#{i} Cache-Control {show cc}, Expires {show expires}, timeout {timeout.GetRawText()}"
          let seconds, fractional =
              match timeout.ValueKind with
              | JsonValueKind.Null -> Headers.defaultSeconds, false
              | JsonValueKind.String when timeout.GetString() = "omitted" -> Headers.defaultSeconds, false
              | JsonValueKind.Number ->
                  match timeout.TryGetInt32() with
                  | true, n -> n, false
                  | _ -> int (Math.Truncate(timeout.GetDouble())), true
              | kind -> failwith $"unexpected cache_timeout kind {kind} in patch_response_headers.json"
          let kind =
              if fractional then Deliberate fractionalTimeout
              elif (prop "error" e).IsSome then Deliberate valueError
              else Exact
          { Name = name
            Kind = kind
            Check =
              fun () ->
                  let r = Headers.patchResponse pinnedNow seconds (response cc expires)
                  match prop "error" e with
                  | Some _ ->
                      // Django crashed: the documented rule is the max-age patch with the non-numeric age replaced.
                      Expect.equal (header "Cache-Control" r) (Some(djangoRule cc [ MaxAge(int64 (max 0 seconds)) ])) "the timeout replaces the non-numeric max-age"
                      Expect.equal (header "Expires" r) (Some(expectedExpires expires seconds)) "Expires"
                  | None ->
                      // A fractional timeout: Django's headers, with max-age written as the whole seconds ours took.
                      let djangoControl = e.GetProperty("cache_control").GetString()
                      let expectedControl = if fractional then Regex.Replace(djangoControl, @"max-age=(-?[0-9]+)\.[0-9]+", "max-age=$1") else djangoControl
                      expectCacheControl (header "Cache-Control" r) expectedControl
                      Expect.equal (header "Expires" r) (Some(e.GetProperty("expires").GetString())) "Expires"
                      Expect.equal (header "ETag" r |> Option.isSome) (e.GetProperty("has_etag").GetBoolean()) "ETag"
                      Expect.isFalse (e.GetProperty("has_last_modified").GetBoolean()) "the vector has no Last-Modified"
                  // Deliberate difference: Last-Modified = now when absent (Django ≥ 1.11 no longer sets it).
                  Expect.equal (header "Last-Modified" r) (Some(HttpDate.Format pinnedNow)) "our Last-Modified" } ]

let private addNeverCacheOutcomes =
    [ for i, e in List.indexed (load "add_never_cache_headers.json") ->
          let cc = str (e.GetProperty "existing_cache_control")
          let expires = str (e.GetProperty "existing_expires")
          let crashed = (prop "error" e).IsSome
          { Name = $"#{i} Cache-Control {show cc}, Expires {show expires}"
            Kind = if crashed then Deliberate valueError else Exact
            Check =
              fun () ->
                  let r = Headers.neverCache pinnedNow (response cc expires)
                  if crashed then
                      // Django's two patches (max_age=0, then the never-cache flags) with the non-numeric age replaced.
                      let expected = djangoRule (djangoRule cc [ MaxAge 0L ]) [ NoCache; NoStore; MustRevalidate; Private ]
                      Expect.equal (header "Cache-Control" r) (Some expected) "max-age=0 replaces the non-numeric max-age"
                      Expect.equal (header "Expires" r) (Some(expectedExpires expires 0)) "Expires"
                  else
                      Expect.equal (header "Cache-Control" r) (Some(e.GetProperty("cache_control").GetString())) "Cache-Control"
                      Expect.equal (header "Expires" r) (Some(e.GetProperty("expires").GetString())) "Expires" } ]

let private files =
    [ "patch_cache_control.json", patchCacheControlOutcomes
      "get_max_age.json", getMaxAgeOutcomes
      "patch_response_headers.json", patchResponseHeadersOutcomes
      "add_never_cache_headers.json", addNeverCacheOutcomes ]

/// How many entries of each file are compared with Django and how many follow each deliberate difference; a change in
/// the vectors or in our rules shows up here.
let private expectedCounts =
    Map [ ("patch_cache_control.json", "Django's result"), 112
          ("patch_cache_control.json", falseOrNone), 23
          ("patch_cache_control.json", floatValue), 4
          ("patch_cache_control.json", capitalised), 8
          ("patch_cache_control.json", hyphenKeyword), 1
          ("patch_cache_control.json", valueError), 6
          ("get_max_age.json", "Django's result"), 124
          ("patch_response_headers.json", "Django's result"), 72
          ("patch_response_headers.json", fractionalTimeout), 16
          ("patch_response_headers.json", valueError), 19
          ("add_never_cache_headers.json", "Django's result"), 55
          ("add_never_cache_headers.json", valueError), 10 ]

let private describeKind kind = match kind with Exact -> "Django's result" | Deliberate reason -> reason

let private conformance =
    testList "conformance" [
        for file, outcomes in files do
            for kind, group in outcomes |> List.groupBy (fun o -> o.Kind) do
                let label = match kind with Exact -> $"{group.Length} entries compared with Django" | Deliberate r -> $"{group.Length} entries: {r}"
                yield testList $"{file}: {label}" [ for o in group -> testCase o.Name o.Check ]
        yield testCase "every entry is checked, and the counts per comparison are pinned" <| fun () ->
            let counts =
                files
                |> List.collect (fun (file, outcomes) -> outcomes |> List.countBy (fun o -> file, describeKind o.Kind))
                |> Map.ofList
            Expect.equal counts expectedCounts "entries per file and comparison"
        yield testCase "the transcribed rule gives Django's recorded result on every entry compared with Django" <| fun () ->
            // The oracle of the deliberate entries is only as good as its agreement with Django where both apply.
            for p in patchEntries do
                let typed, quirks = toPatch p.Existing p.Kwargs
                if kindOf quirks (prop "error" p.Entry) = Exact then expectDjangoPatch p (djangoRule p.Existing typed)
    ]

[<Tests>]
let tests =
    testList "Http.CacheControlTests" [ parseAndFormat; patchExamples; maxAgeExamples; responseHeaderExamples; djangoCases; conformance ]
