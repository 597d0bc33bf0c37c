/// Conditional requests: entity tags, HTTP dates, `GetConditionalResponse` (the §4.7 table), the
/// conditional-GET step (Django's ConditionalGetMiddlewareTest) and conformance against
/// reference/django-vectors (get_conditional_response, its grid, conditional_get_middleware).
module Http.ConditionalTests

open System
open System.IO
open System.Text
open System.Text.Json
open Expecto
open FunctionalCache.Http

// ---- helpers ---------------------------------------------------------------------------------

/// The vectors' pinned clock: Tue, 14 Nov 2023 22:13:20 GMT.
let private now = DateTimeOffset.FromUnixTimeSeconds 1700000000L

let private some (x: 'a) = LanguageExt.Option<'a>.Some x
let private none<'a> = LanguageExt.Option<'a>.None
let private ofOption (o: 'a option) = match o with Some x -> some x | None -> none

let private tag (text: string) = (EntityTag.Parse text |> toOption).Value
let private date (text: string) = (HttpDate.Parse(text, now) |> toOption).Value

let private request (methodName: string) (headers: (string * string) list) =
    headers |> List.fold (fun (r: RequestHead) (n, v) -> r.WithHeader(n, v)) ((RequestHead.Get("http", "testserver", "/")).WithMethod methodName)

/// A response with the given fields; a repeated name is appended (Set-Cookie keeps one value a line).
let private responseWith status (headers: (string * string) list) =
    ResponseHead(status, headers |> List.fold (fun (m: HeaderMap) (n, v) -> m.Append(n, v)) HeaderMap.Empty)

/// The status the client sees: the response's, the 304's or the 412's; None when proceeding without a response.
let private statusOf (o: ConditionalOutcome) = o.Response |> toOption |> Option.map (fun r -> r.Status)

let private header name (r: ResponseHead) = r.Headers.Get name |> toOption

let private conditional methodName headers (etag: string option) (lastModified: string option) (status: int option) =
    Conditional.GetConditionalResponse(
        request methodName headers,
        etag |> Option.map tag |> ofOption,
        lastModified |> Option.map date |> ofOption,
        status |> Option.map (fun s -> responseWith s []) |> ofOption,
        now)

let private middleware methodName headers (body: string) (response: ResponseHead) =
    Conditional.ConditionalGet(request methodName headers, response, ReadOnlySpan<byte>(Encoding.UTF8.GetBytes body), now)

let private lm = "Sat, 12 Feb 2011 17:38:44 GMT"
let private before = "Sat, 12 Feb 2011 17:35:44 GMT"
let private after = "Sat, 12 Feb 2011 17:41:44 GMT"

// ---- vectors ---------------------------------------------------------------------------------

let private str (e: JsonElement) (name: string) =
    match e.GetProperty name with
    | v when v.ValueKind = JsonValueKind.Null -> None
    | v -> Some(v.GetString())

let private int (e: JsonElement) (name: string) =
    match e.GetProperty name with
    | v when v.ValueKind = JsonValueKind.Null -> None
    | v -> Some(v.GetInt64())

let private load name =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile name))
    [ for e in doc.RootElement.EnumerateArray() -> e.Clone() ]

/// A vector entry's result, or the reason it is not run.
type private Verdict =
    | Ran of failures: string list
    | Skipped of reason: string

/// Reasons that follow a deliberate difference (DESIGN.md or the documented remarks); anything else counts against the 2%.
let private deliberate =
    set [ "a date or last-modified time at the Unix epoch: Django reads 0 as absent, we read a date"
          "the current ETag is not a well-formed tag: our API takes an EntityTag" ]

let private epochReason = "a date or last-modified time at the Unix epoch: Django reads 0 as absent, we read a date"

let private atEpoch (texts: string option list) (epoch: int64 option) =
    epoch = Some 0L
    || texts |> List.exists (fun t -> t |> Option.bind (fun t -> HttpDate.Parse(t, now) |> toOption) |> Option.exists (fun d -> d.ToUnixTimeSeconds() = 0L))

/// get_conditional_response.json and the grid: both describe a request, the current validators and a response.
let private runConditional (e: JsonElement) (names: string * string * string * string) (grid: bool) =
    let im, inm, ims, ius = names
    let headers =
        [ "If-Match", str e im; "If-None-Match", str e inm; "If-Modified-Since", str e ims; "If-Unmodified-Since", str e ius ]
        |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
    let etag = str e "etag"
    let epoch = int e "last_modified_epoch"
    if atEpoch [ str e ims; str e ius ] epoch then Skipped epochReason
    elif etag |> Option.exists (fun t -> (EntityTag.Parse t).IsNone) then Skipped "the current ETag is not a well-formed tag: our API takes an EntityTag"
    else
        let full =
            int e "response_status"
            |> Option.map (fun s ->
                let extra = [ "Cache-Control", "max-age=60"; "Vary", "Cookie"; "Content-Language", "en"; "Content-Type", "text/html"; "Set-Cookie", "k=v" ]
                responseWith (Operators.int s) (extra @ (etag |> Option.map (fun t -> [ "ETag", t ]) |> Option.defaultValue [])))
        let outcome =
            Conditional.GetConditionalResponse(
                request (e.GetProperty("method").GetString()) headers,
                etag |> Option.map tag |> ofOption,
                epoch |> Option.map DateTimeOffset.FromUnixTimeSeconds |> ofOption,
                ofOption full,
                now)
        let expectedStatus = int e "status" |> Option.map Operators.int
        let original = e.TryGetProperty "is_original_response" |> function | true, v -> v.GetBoolean() | _ -> false
        [ if statusOf outcome <> expectedStatus then sprintf "status %A, expected %A" (statusOf outcome) expectedStatus
          if original && not (outcome.IsProceed && toOption outcome.Response = full) then "expected the original response back"
          if expectedStatus = Some 304 && not outcome.IsNotModified then "expected NotModified"
          if expectedStatus = Some 412 && not outcome.IsPreconditionFailed then "expected PreconditionFailed"
          if grid then
              match e.TryGetProperty "headers_304" with
              | true, names when expectedStatus = Some 304 ->
                  let expected = [ for n in names.EnumerateArray() -> n.GetString() ] |> List.sort
                  let r = (toOption outcome.Response).Value
                  let got = [ for kv in r.Headers -> kv.Key ] |> List.filter ((<>) "Set-Cookie") |> List.sort
                  if got <> expected then sprintf "304 headers %A, expected %A" got expected
                  let cookies = [ for c in e.GetProperty("cookies_304").EnumerateArray() -> c.GetString() ]
                  if (header "Set-Cookie" r = Some "k=v") <> (cookies = [ "k" ]) then sprintf "304 cookies %A, expected %A" (header "Set-Cookie" r) cookies
              | _ -> () ]
        |> Ran

let private runMiddleware (e: JsonElement) =
    let headers =
        [ "If-None-Match", str e "if_none_match"; "If-Modified-Since", str e "if_modified_since" ]
        |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
    if atEpoch [ str e "if_modified_since"; str e "last_modified_in" ] None then Skipped epochReason
    else
        let response =
            [ "ETag", str e "etag_in"; "Last-Modified", str e "last_modified_in"; "Cache-Control", str e "cache_control_in" ]
            |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
            |> responseWith (e.GetProperty("status_in").GetInt32())
        let outcome = middleware (e.GetProperty("method").GetString()) headers (e.GetProperty("content").GetString()) response
        let out = (toOption outcome.Response).Value
        let expectedStatus = e.GetProperty("status_out").GetInt32()
        [ if out.Status <> expectedStatus then sprintf "status %d, expected %d" out.Status expectedStatus
          if header "ETag" out <> str e "etag_out" then sprintf "ETag %A, expected %A" (header "ETag" out) (str e "etag_out") ]
        |> Ran

let private conformance (file: string) (runOne: JsonElement -> Verdict) =
    let entries = load file
    let verdicts = entries |> List.map runOne
    entries.Length, verdicts

let private conformanceTests (file: string) (expectedCount: int) (runOne: JsonElement -> Verdict) =
    let count, verdicts = conformance file runOne
    let skipped = verdicts |> List.choose (function Skipped r -> Some r | Ran _ -> None)
    let byReason = skipped |> List.countBy id
    let undeliberate = skipped |> List.filter (fun r -> not (deliberate.Contains r)) |> List.length
    testList file [
        test "every entry is read" {
            Expect.equal count expectedCount "the file holds this many entries"
        }
        test "every entry that runs matches Django" {
            let failures =
                verdicts
                |> List.indexed
                |> List.collect (fun (i, v) -> match v with Ran fs -> fs |> List.map (sprintf "entry %d: %s" i) | Skipped _ -> [])
            let ran = verdicts |> List.filter (function Ran _ -> true | _ -> false) |> List.length
            printfn "%s: %d run, %d skipped %A" file ran skipped.Length byReason
            Expect.isEmpty failures "entries that differ from Django"
            Expect.isGreaterThan ran 0 "some entries run"
        }
        test "fewer than 2% are skipped outside deliberate differences" {
            Expect.isLessThan (float undeliberate / float count) 0.02 (sprintf "skipped for undeliberate reasons: %A" byReason)
        }
    ]

// ---- tests -----------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Conditional" [
        testList "EntityTag" [
            test "a strong and a weak tag parse with their text" {
                Expect.equal (EntityTag.Parse "\"spam\"" |> toOption) (Some(EntityTag.Strong "spam")) "strong"
                Expect.equal (EntityTag.Parse "W/\"spam\"" |> toOption) (Some(EntityTag.Weak "spam")) "weak"
                Expect.equal (EntityTag.Parse "\"\"" |> toOption) (Some(EntityTag.Strong "")) "empty text"
            }
            test "malformed tags do not parse" {
                for text in [ "spam"; "\"spam"; "spam\""; "\"a\"b\""; "w/\"a\""; "W/spam"; "*"; ""; " \"a\""; "\""; "W/\"" ] do
                    Expect.equal (EntityTag.Parse text |> toOption) None text
            }
            test "a tag formats as it is written" {
                Expect.equal (string (EntityTag.Weak "x")) "W/\"x\"" "weak"
                Expect.equal (string (EntityTag.Strong "x")) "\"x\"" "strong"
            }
            test "a text with a quote is refused with the rule" {
                let message =
                    try
                        EntityTag.Strong "a\"b" |> ignore
                        ""
                    with :? ArgumentException as ex -> ex.Message
                Expect.stringStarts message "An entity tag's text must not contain a double quote." "message"
            }
            test "a list keeps well-formed entries and drops the rest" {
                let l = EntityTag.ParseList " \"a\" , W/\"b\",spam,\"c\"d\", \"\" "
                Expect.equal (List.ofSeq l.Tags) [ EntityTag.Strong "a"; EntityTag.Weak "b"; EntityTag.Strong "" ] "tags"
                Expect.isFalse l.IsAny "not *"
            }
            test "star with blanks is any; star in a list is dropped" {
                Expect.isTrue (EntityTag.ParseList " * ").IsAny "star"
                let mixed = EntityTag.ParseList "\"a\", *"
                Expect.equal (List.ofSeq mixed.Tags) [ EntityTag.Strong "a" ] "one tag"
                Expect.isFalse mixed.IsAny "not any"
            }
            test "a list of only malformed entries is empty, like an absent field" {
                for text in [ "spam, eggs"; ""; "\"a,b\"" ] do
                    let l = EntityTag.ParseList text
                    Expect.isTrue l.IsEmpty (sprintf "%s (a comma splits even a quoted tag, as in Django)" text)
            }
            test "strong comparison needs two strong tags, weak comparison ignores weakness" {
                let s, w = EntityTag.Strong "1", EntityTag.Weak "1"
                Expect.isTrue (s.StrongEquals s) "strong = strong"
                Expect.isFalse (s.StrongEquals w) "strong vs weak"
                Expect.isFalse (w.StrongEquals w) "weak vs weak"
                Expect.isTrue (w.WeakEquals s && s.WeakEquals w && w.WeakEquals w) "weak comparison"
                Expect.isFalse (s.WeakEquals(EntityTag.Strong "2")) "different text"
            }
        ]

        testList "HttpDate" [
            let expected = DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero)
            test "the three formats of RFC 9110's example read as the same instant" {
                for text in [ "Sun, 06 Nov 1994 08:49:37 GMT"; "Sunday, 06-Nov-94 08:49:37 GMT"; "Sun Nov  6 08:49:37 1994"; "Sun Nov 06 08:49:37 1994" ] do
                    Expect.equal (HttpDate.Parse(text, now) |> toOption) (Some expected) text
            }
            test "format writes IMF-fixdate and truncates to the second" {
                Expect.equal (HttpDate.Format(expected.AddMilliseconds 999.0)) "Sun, 06 Nov 1994 08:49:37 GMT" "truncated"
                Expect.equal (HttpDate.Format now) "Tue, 14 Nov 2023 22:13:20 GMT" "the pinned clock"
                Expect.equal (HttpDate.Format(DateTimeOffset(2011, 2, 12, 18, 38, 44, TimeSpan.FromHours 1.0))) lm "converted to GMT"
            }
            test "an RFC 850 year more than 50 years ahead of now is in the past century" {
                Expect.equal ((date "Thursday, 31-Dec-73 00:00:00 GMT").Year) 2073 "2073 is 50 years ahead of 2023"
                Expect.equal ((date "Monday, 01-Jan-74 00:00:00 GMT").Year) 1974 "2074 is 51 years ahead"
                Expect.equal ((date "Saturday, 12-Feb-11 17:38:44 GMT").Year) 2011 "this century"
                Expect.equal ((date "Saturday, 01-Jan-00 00:00:00 GMT").Year) 2000 "00 in 2023"
                let in2080 = DateTimeOffset(2080, 6, 1, 0, 0, 0, TimeSpan.Zero)
                Expect.equal ((HttpDate.Parse("Monday, 01-Jan-29 00:00:00 GMT", in2080) |> toOption).Value.Year) 2129 "2029 is 51 years before 2080"
                Expect.equal ((HttpDate.Parse("Monday, 01-Jan-31 00:00:00 GMT", in2080) |> toOption).Value.Year) 2031 "2031 is 49 years before 2080"
            }
            test "month names are read in any case, as Django does" {
                Expect.equal (HttpDate.Parse("Sun, 06 nov 1994 08:49:37 GMT", now) |> toOption) (Some expected) "lower case"
            }
            test "invalid dates are None" {
                for text in
                    [ "garbage"; ""; "Sat, 12 Feb 2011 17:38:44 +0000"; "Sat, 31 Feb 2011 17:38:44 GMT"; "Sat, 12 Feb 2011 24:00:00 GMT"
                      "Sat, 12 Feb 2011 23:59:60 GMT"; "Sat, 12 Foo 2011 17:38:44 GMT"; "Sat, 12-Feb-2011 17:38:44 GMT"; "Sat, 00 Feb 2011 17:38:44 GMT"
                      "Sat, 12 Feb 0000 17:38:44 GMT"; "Sat, 12 Feb 2011 17:38:44 UTC"; "Sat, 1 Feb 2011 17:38:44 GMT"; "Sa, 12 Feb 2011 17:38:44 GMT"
                      "Sat, 12 Feb 2011 17:38 GMT"; "Sat,  12 Feb 2011 17:38:44 GMT"; "Sat., 12-Feb-11 17:38:44 GMT"; "Sat Feb 12 17:38:44 11"
                      "Sat Feb 1 17:38:44 2011"; "12 Feb 2011 17:38:44 GMT"; "Sat, 12 Feb 2011 17:38:44 GMT junk" ] do
                    Expect.equal (HttpDate.Parse(text, now) |> toOption) None text
                Expect.equal (HttpDate.Parse(null, now) |> toOption) None "null"
            }
            test "blanks around a date are ignored" {
                Expect.equal (HttpDate.Parse("  Sun, 06 Nov 1994 08:49:37 GMT ", now) |> toOption) (Some expected) "trimmed"
            }
            test "the first and last representable seconds round-trip" {
                for d in [ DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero); DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) ] do
                    Expect.equal (HttpDate.Parse(HttpDate.Format d, now) |> toOption) (Some d) (HttpDate.Format d)
            }
        ]

        testList "GetConditionalResponse (§4.7 table)" (
            let lm3844 = Some "Sat, 12 Feb 2011 17:38:44 GMT"
            let cases =
                [ "GET", Some "\"spam\"", None, [ "If-None-Match", "W/\"spam\"" ], Some 304
                  "GET", Some "W/\"spam\"", None, [ "If-None-Match", "\"spam\"" ], Some 304
                  "GET", None, None, [ "If-None-Match", "*" ], Some 200
                  "GET", Some "\"spam\"", None, [ "If-None-Match", "spam" ], Some 200
                  "PUT", Some "\"spam\"", None, [ "If-Match", "W/\"spam\"" ], Some 412
                  "PUT", Some "W/\"spam\"", None, [ "If-Match", "*" ], Some 200
                  "PUT", None, None, [ "If-Match", "*" ], Some 412
                  "PUT", None, lm3844, [ "If-Unmodified-Since", before ], Some 412
                  "POST", Some "\"spam\"", None, [ "If-None-Match", "\"spam\"" ], Some 412
                  "GET", Some "\"spam\"", lm3844, [ "If-Modified-Since", after ], Some 304 ]
            [ for methodName, etag, lastModified, headers, expected in cases ->
                test (sprintf "%s, ETag %A, %A gives %A" methodName etag headers expected) {
                    Expect.equal (statusOf (conditional methodName headers etag lastModified (Some 200))) expected "status"
                } ] @ [
            test "If-Match fails on a weak current tag even when the texts agree" {
                Expect.equal (statusOf (conditional "PUT" [ "If-Match", "W/\"spam\"" ] (Some "W/\"spam\"") None (Some 200))) (Some 412) "weak"
                Expect.equal (statusOf (conditional "PUT" [ "If-Match", "\"eggs\", \"spam\"" ] (Some "\"spam\"") None (Some 200))) (Some 200) "listed"
            }
            test "If-Unmodified-Since is ignored when If-Match is present" {
                Expect.equal (statusOf (conditional "PUT" [ "If-Match", "\"spam\""; "If-Unmodified-Since", before ] (Some "\"spam\"") lm3844 (Some 200))) (Some 200) "ignored"
                Expect.equal (statusOf (conditional "PUT" [ "If-Unmodified-Since", lm ] None lm3844 (Some 200))) (Some 200) "same second passes"
                Expect.equal (statusOf (conditional "PUT" [ "If-Unmodified-Since", after ] None None (Some 200))) (Some 412) "unknown last-modified fails"
            }
            test "If-Modified-Since is ignored when If-None-Match is present, and for unsafe methods" {
                Expect.equal (statusOf (conditional "GET" [ "If-None-Match", "\"eggs\""; "If-Modified-Since", after ] (Some "\"spam\"") lm3844 (Some 200))) (Some 200) "ignored"
                Expect.equal (statusOf (conditional "POST" [ "If-Modified-Since", after ] None lm3844 (Some 200))) (Some 200) "POST"
                Expect.equal (statusOf (conditional "HEAD" [ "If-Modified-Since", lm ] None lm3844 (Some 200))) (Some 304) "HEAD, same second"
                Expect.equal (statusOf (conditional "GET" [ "If-Modified-Since", before ] None lm3844 (Some 200))) (Some 200) "modified since"
                Expect.equal (statusOf (conditional "GET" [ "If-Modified-Since", after ] None None (Some 200))) (Some 200) "unknown last-modified"
            }
            test "last-modified is compared in whole seconds" {
                let outcome =
                    Conditional.GetConditionalResponse(
                        request "GET" [ "If-Modified-Since", lm ], none, some ((date lm).AddMilliseconds 900.0), some ResponseHead.Ok, now)
                Expect.isTrue outcome.IsNotModified "17:38:44.9 is not after 17:38:44"
            }
            test "a date that is not an HTTP date counts as absent" {
                Expect.equal (statusOf (conditional "PUT" [ "If-Unmodified-Since", "garbage" ] None None (Some 200))) (Some 200) "If-Unmodified-Since"
                Expect.equal (statusOf (conditional "GET" [ "If-Modified-Since", "Sat, 12 Feb 2011 17:38:44 +0000" ] None lm3844 (Some 200))) (Some 200) "If-Modified-Since"
            }
            test "with no response, proceeding gives None and a 304 carries no headers" {
                let proceed = conditional "GET" [] (Some "\"spam\"") None None
                Expect.isTrue (proceed.IsProceed && proceed.Response.IsNone) "None"
                let nm = conditional "GET" [ "If-None-Match", "*" ] (Some "\"spam\"") None None
                Expect.equal (toOption nm.Response) (Some(ResponseHead(304, HeaderMap.Empty))) "bare 304"
            }
            test "a non-2xx response is returned unchanged whatever the preconditions" {
                for status in [ 301; 404; 500 ] do
                    let r = responseWith status [ "ETag", "\"spam\"" ]
                    let o = Conditional.GetConditionalResponse(request "PUT" [ "If-Match", "\"eggs\"" ], some (tag "\"spam\""), none, some r, now)
                    Expect.equal (o.Match((fun p -> toOption p), (fun _ -> None), (fun _ -> None))) (Some r) (string status)
            }
            test "a 304 keeps only its headers and the cookies, in a fixed order" {
                let full =
                    responseWith 200
                        [ "Content-Language", "de"; "Vary", "Cookie"; "Set-Cookie", "a=1"; "Set-Cookie", "b=2"; "Content-Type", "text/plain"
                          "Cache-Control", "max-age=60"; "Content-Location", "/x"; "Date", lm; "ETag", "\"spam\""; "Expires", after
                          "Last-Modified", lm; "Content-Length", "5" ]
                let o = Conditional.GetConditionalResponse(request "GET" [ "If-None-Match", "\"spam\"" ], some (tag "\"spam\""), none, some full, now)
                let r = (toOption o.Response).Value
                Expect.equal r.Status 304 "status"
                Expect.equal
                    [ for kv in r.Headers -> kv.Key, kv.Value ]
                    [ "Cache-Control", "max-age=60"; "Content-Location", "/x"; "Date", lm; "ETag", "\"spam\""; "Expires", after
                      "Last-Modified", lm; "Vary", "Cookie"; "Set-Cookie", "a=1\nb=2" ]
                    "kept headers"
            }
            test "a 412 is empty" {
                let o = conditional "DELETE" [ "If-None-Match", "*" ] (Some "\"spam\"") None (Some 200)
                Expect.equal (toOption o.Response) (Some(ResponseHead(412, HeaderMap.Empty))) "412"
            }
            test "methods compare case-insensitively, as Django upper-cases them" {
                Expect.equal (statusOf (conditional "get" [ "If-None-Match", "*" ] (Some "\"spam\"") None (Some 200))) (Some 304) "get"
            } ])

        testList "ConditionalGet (Django's ConditionalGetMiddlewareTest)" [
            let etagOf (o: ConditionalOutcome) = (toOption o.Response).Value |> header "ETag"
            let statusOut (o: ConditionalOutcome) = (toOption o.Response).Value.Status
            test "the middleware calculates an ETag" {
                Expect.equal (etagOf (middleware "GET" [] "content" ResponseHead.Ok)) (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "md5 of content"
            }
            test "the middleware won't overwrite an ETag" {
                Expect.equal (etagOf (middleware "GET" [] "content" (responseWith 200 [ "ETag", "eggs" ]))) (Some "eggs") "kept"
            }
            test "no ETag for an empty body or a streamed one" {
                Expect.equal (etagOf (middleware "GET" [] "" ResponseHead.Ok)) None "empty"
                let streamed = Conditional.ConditionalGet(request "GET" [], ResponseHead.Ok, none, now)
                Expect.equal (etagOf streamed) None "streamed"
            }
            test "a streamed body's own tag is added" {
                let o = Conditional.ConditionalGet(request "GET" [ "If-None-Match", "W/\"v\"" ], ResponseHead.Ok, some (EntityTag.Weak "v"), now)
                Expect.equal (statusOut o, etagOf o) (304, Some "W/\"v\"") "tag added and matched"
            }
            test "no ETag when Cache-Control has no-store in any case" {
                Expect.equal (etagOf (middleware "GET" [] "content" (responseWith 200 [ "Cache-Control", "No-Cache, No-Store, Max-age=0" ]))) None "no-store"
            }
            test "an extension directive mentioning no-store still gets an ETag" {
                Expect.isSome (etagOf (middleware "GET" [] "content" (responseWith 200 [ "Cache-Control", "my-directive=\"my-no-store\"" ]))) "tagged"
            }
            test "If-None-Match without an ETag gives 200" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "spam" ] "" ResponseHead.Ok)) 200 "200"
            }
            test "an ETag without If-None-Match gives 200" {
                Expect.equal (statusOut (middleware "GET" [] "" (responseWith 200 [ "ETag", "eggs" ]))) 200 "200"
            }
            test "If-None-Match equal to the ETag gives 304" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"spam\"" ] "" (responseWith 200 [ "ETag", "\"spam\"" ]))) 304 "304"
            }
            test "If-None-Match different from the ETag gives 200" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"spam\"" ] "" (responseWith 200 [ "ETag", "\"eggs\"" ]))) 200 "200"
            }
            test "a matching tag on a redirect or a client error keeps the status" {
                for status in [ 301; 400 ] do
                    Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"spam\"" ] "" (responseWith status [ "ETag", "\"spam\"" ]))) status (string status)
            }
            test "If-Modified-Since without Last-Modified gives 200" {
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", lm ] "" ResponseHead.Ok)) 200 "200"
            }
            test "Last-Modified without If-Modified-Since gives 200" {
                Expect.equal (statusOut (middleware "GET" [] "" (responseWith 200 [ "Last-Modified", lm ]))) 200 "200"
            }
            test "If-Modified-Since at, after or before Last-Modified" {
                let r = responseWith 200 [ "Last-Modified", lm ]
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", lm ] "" r)) 304 "same"
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", after ] "" r)) 304 "modified in the past"
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", before ] "" r)) 200 "modified in the future"
            }
            test "If-Modified-Since on a redirect or a client error keeps the status" {
                for status in [ 301; 400 ] do
                    Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", lm ] "" (responseWith status [ "Last-Modified", lm ]))) status (string status)
            }
            test "the 304 carries the kept headers and the cookies, not Content-Language" {
                let full =
                    responseWith 200
                        [ "Date", lm; "Last-Modified", lm; "Expires", after; "Vary", "Cookie"; "Cache-Control", "public"
                          "Content-Location", "/alt"; "Content-Language", "en"; "Set-Cookie", "key=value" ]
                let o = middleware "GET" [ "If-None-Match", "*" ] "content" full
                let r = (toOption o.Response).Value
                Expect.equal r.Status 304 "304"
                for name in [ "Date"; "Last-Modified"; "Expires"; "Vary"; "Cache-Control"; "Content-Location"; "Set-Cookie" ] do
                    Expect.equal (header name r) (header name full) name
                Expect.equal (header "ETag" r) (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "the computed ETag"
                Expect.isFalse (r.Headers.Contains "Content-Language") "Content-Language dropped"
            }
            test "an unsafe request is never refused by the middleware" {
                let o = middleware "PUT" [ "If-Match", "\"other\"" ] "content" ResponseHead.Ok
                Expect.equal (statusOut o, etagOf o) (200, None) "untouched"
            }
            test "HEAD gets no ETag" {
                Expect.equal (etagOf (middleware "HEAD" [] "content" ResponseHead.Ok)) None "no ETag"
            }
            test "a GET whose If-Match fails is refused" {
                Expect.equal (statusOut (middleware "GET" [ "If-Match", "\"other\"" ] "content" ResponseHead.Ok)) 412 "412"
            }
            test "hello world's tag matches, an unquoted ETag matches only a star" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"" ] "hello world" ResponseHead.Ok)) 304 "md5"
                let eggs = responseWith 200 [ "ETag", "eggs" ]
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "eggs" ] "" eggs)) 200 "malformed request tag dropped"
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"eggs\"" ] "" eggs)) 200 "no quoting of the response tag"
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "*" ] "" eggs)) 304 "star"
            }
        ]

        testList "conformance" [
            conformanceTests "get_conditional_response.json" 130 (fun e ->
                runConditional e ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE") false)
            conformanceTests "get_conditional_response_grid.json" 193 (fun e ->
                runConditional e ("if_match", "if_none_match", "if_modified_since", "if_unmodified_since") true)
            conformanceTests "conditional_get_middleware.json" 60 runMiddleware
        ]
    ]
