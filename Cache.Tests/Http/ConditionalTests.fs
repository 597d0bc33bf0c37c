/// Conditional requests: entity tags, HTTP dates, `Conditional.response` (Django's get_conditional_response, the §4.7 table), the
/// conditional-GET step (Django's ConditionalGetMiddlewareTest) and conformance against
/// reference/django-vectors (get_conditional_response, its grid, conditional_get_middleware).
module Http.ConditionalTests

open System
open System.IO
open System.Text
open System.Text.Json
open Expecto
open FunctionalCache.Http
open FunctionalCache.FSharp

// ---- helpers ---------------------------------------------------------------------------------

/// The vectors' pinned clock: Tue, 14 Nov 2023 22:13:20 GMT.
let private now = DateTimeOffset.FromUnixTimeSeconds 1700000000L

let private tag (text: string) = (ETag.parse text).Value
let private date (text: string) = (HttpDate.parse now text).Value

let private request (methodName: string) (headers: (string * string) list) =
    RequestHead.ofUrl methodName "http://testserver/" |> RequestHead.withHeaders headers

/// A response with the given fields; a repeated name is appended (Set-Cookie keeps one value a line).
let private responseWith status (headers: (string * string) list) = ResponseHead.ofList status headers

/// The status the client sees: the response's, the 304's or the 412's; None when proceeding without a response.
let private statusOf (o: ConditionalResponse) = o.Response |> Option.map ResponseHead.status

let private header name (r: ResponseHead) = ResponseHead.header name r

let private conditional methodName headers (etag: string option) (lastModified: string option) (status: int option) =
    request methodName headers
    |> Conditional.response now (etag |> Option.map tag) (lastModified |> Option.map date) (status |> Option.map (fun s -> responseWith s []))

let private middleware methodName headers (body: string) (response: ResponseHead) =
    response |> Conditional.get now (request methodName headers) (Encoding.UTF8.GetBytes body)

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

/// A vector entry's check: compared with Django's recorded answer, or (a deliberate difference) with our documented
/// rule; each gives the differences it found.
type private Verdict =
    | Compared of failures: string list
    | Deliberate of reason: string * failures: string list

let private headReason = "a HEAD: Django's middleware leaves it alone, we answer it as its GET (RFC 9110 §9.3.2)"

/// True when a date or last-modified time of the entry is the Unix epoch, which Django reads as absent and we as a date.
let private atEpoch (texts: string option list) (epoch: int64 option) =
    epoch = Some 0L
    || texts |> List.exists (fun t -> t |> Option.bind (HttpDate.parse now) |> Option.exists (fun d -> d.ToUnixTimeSeconds() = 0L))

/// get_conditional_response.json and the grid: both describe a request, the current validators and a response.
let private runConditional (e: JsonElement) (names: string * string * string * string) (grid: bool) =
    let im, inm, ims, ius = names
    let headers =
        [ "If-Match", str e im; "If-None-Match", str e inm; "If-Modified-Since", str e ims; "If-Unmodified-Since", str e ius ]
        |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
    let etag = str e "etag"
    let epoch = int e "last_modified_epoch"
    let full =
        int e "response_status"
        |> Option.map (fun s ->
            let extra = [ "Cache-Control", "max-age=60"; "Vary", "Cookie"; "Content-Language", "en"; "Content-Type", "text/html"; "Set-Cookie", "k=v" ]
            responseWith (Operators.int s) (extra @ (etag |> Option.map (fun t -> [ "ETag", t ]) |> Option.defaultValue [])))
    let outcome =
        request (e.GetProperty("method").GetString()) headers
        |> Conditional.response now (etag |> Option.map tag) (epoch |> Option.map DateTimeOffset.FromUnixTimeSeconds) full
    let expectedStatus = int e "status" |> Option.map Operators.int
    let original = e.TryGetProperty "is_original_response" |> function | true, v -> v.GetBoolean() | _ -> false
    [ if statusOf outcome <> expectedStatus then sprintf "status %A, expected %A" (statusOf outcome) expectedStatus
      if original && outcome <> Proceed full then "expected the original response back"
      if expectedStatus = Some 304 && not outcome.IsNotModified then "expected NotModified"
      if expectedStatus = Some 412 && not outcome.IsPreconditionFailed then "expected PreconditionFailed"
      if grid then
          match e.TryGetProperty "headers_304" with
          | true, names when expectedStatus = Some 304 ->
              let expected = [ for n in names.EnumerateArray() -> n.GetString() ] |> List.sort
              let r = outcome.Response.Value
              let got = ResponseHead.headers r |> List.map fst |> List.filter ((<>) "Set-Cookie") |> List.sort
              if got <> expected then sprintf "304 headers %A, expected %A" got expected
              let cookies = [ for c in e.GetProperty("cookies_304").EnumerateArray() -> c.GetString() ]
              if (header "Set-Cookie" r = Some "k=v") <> (cookies = [ "k" ]) then sprintf "304 cookies %A, expected %A" (header "Set-Cookie" r) cookies
          | _ -> () ]
    |> Compared

let private runMiddleware (e: JsonElement) =
    let headers =
        [ "If-None-Match", str e "if_none_match"; "If-Modified-Since", str e "if_modified_since" ]
        |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
    let response =
        [ "ETag", str e "etag_in"; "Last-Modified", str e "last_modified_in"; "Cache-Control", str e "cache_control_in" ]
        |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
        |> responseWith (e.GetProperty("status_in").GetInt32())
    let answer methodName = (middleware methodName headers (e.GetProperty("content").GetString()) response).Response.Value
    let methodName = e.GetProperty("method").GetString()
    let out = answer methodName
    if methodName = "HEAD" then
        // Our rule: the HEAD gets exactly the GET's status and ETag. Django's answer is the response untouched.
        let asGet = answer "GET"
        [ if (out.Status, header "ETag" out) <> (asGet.Status, header "ETag" asGet) then
              sprintf "HEAD answered %d %A, its GET %d %A" out.Status (header "ETag" out) asGet.Status (header "ETag" asGet)
          if e.GetProperty("status_out").GetInt32() <> e.GetProperty("status_in").GetInt32() then "Django's HEAD was not left alone" ]
        |> fun failures -> Deliberate(headReason, failures)
    else
        let expectedStatus = e.GetProperty("status_out").GetInt32()
        [ if out.Status <> expectedStatus then sprintf "status %d, expected %d" out.Status expectedStatus
          if header "ETag" out <> str e "etag_out" then sprintf "ETag %A, expected %A" (header "ETag" out) (str e "etag_out") ]
        |> Compared

let private conformanceTests (file: string) (expected: (string * int) list) (runOne: JsonElement -> Verdict) =
    let entries = load file
    let verdicts = entries |> List.map runOne
    let labelOf v = match v with Compared _ -> "compared with Django" | Deliberate(reason, _) -> reason
    testList file [
        test "every entry is checked: the counts per comparison are pinned" {
            Expect.equal (verdicts |> List.countBy labelOf |> List.sort) (List.sort expected) "entries per comparison"
        }
        test "every entry gives Django's answer, or our documented rule's where it deliberately differs" {
            let failures =
                verdicts
                |> List.indexed
                |> List.collect (fun (i, v) ->
                    match v with
                    | Compared fs -> fs |> List.map (sprintf "entry %d: %s" i)
                    | Deliberate(reason, fs) -> fs |> List.map (sprintf "entry %d (%s): %s" i reason))
            Expect.isEmpty failures "entries that differ"
        }
        test "the recorded sample holds no epoch date and no malformed current ETag" {
            // Those entries are our deliberate differences (an epoch is a date; a malformed ETag matches only *). This
            // sample of the vectors has none, so the examples below and ConditionalProperties pin both rules; a fuller
            // set of vectors must add their own checks here.
            let epoch =
                entries |> List.filter (fun e ->
                    let date (name: string) = match e.TryGetProperty name with | true, v when v.ValueKind = JsonValueKind.String -> Some(v.GetString()) | _ -> None
                    let lastModified = match e.TryGetProperty "last_modified_epoch" with | true, v when v.ValueKind = JsonValueKind.Number -> Some(v.GetInt64()) | _ -> None
                    atEpoch [ for n in [ "HTTP_IF_MODIFIED_SINCE"; "HTTP_IF_UNMODIFIED_SINCE"; "if_modified_since"; "if_unmodified_since"; "last_modified_in" ] -> date n ] lastModified)
            // Only get_conditional_response takes the current tag as an argument (our EntityTag); the middleware reads
            // it from the response, where an unreadable one is compared with Django like any other.
            let malformed =
                entries |> List.filter (fun e ->
                    match e.TryGetProperty "etag" with
                    | true, v when v.ValueKind = JsonValueKind.String -> (ETag.parse (v.GetString())).IsNone
                    | _ -> false)
            Expect.equal (epoch.Length, malformed.Length) (0, 0) "entries at the epoch, entries with a malformed current ETag"
        }
    ]

// ---- tests -----------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.ConditionalTests" [
        testList "EntityTag" [
            test "a strong and a weak tag parse with their text" {
                Expect.equal (ETag.parse "\"spam\"") (Some(ETag.strong "spam")) "strong"
                Expect.equal (ETag.parse "W/\"spam\"") (Some(ETag.weak "spam")) "weak"
                Expect.equal (ETag.parse "\"\"") (Some(ETag.strong "")) "empty text"
            }
            test "malformed tags do not parse" {
                for text in [ "spam"; "\"spam"; "spam\""; "\"a\"b\""; "w/\"a\""; "W/spam"; "*"; ""; " \"a\""; "\""; "W/\"" ] do
                    Expect.equal (ETag.parse text) None text
            }
            test "a tag formats as it is written" {
                Expect.equal (string (ETag.weak "x")) "W/\"x\"" "weak"
                Expect.equal (string (ETag.strong "x")) "\"x\"" "strong"
            }
            test "a text with a quote is refused with the rule" {
                let message =
                    try
                        ETag.strong "a\"b" |> ignore
                        ""
                    with :? ArgumentException as ex -> ex.Message
                Expect.stringStarts message "An entity tag's text must not contain a double quote." "message"
            }
            test "a list keeps well-formed entries and drops the rest" {
                let l = ETag.parseList " \"a\" , W/\"b\",spam,\"c\"d\", \"\" "
                Expect.equal l (Listed [ ETag.strong "a"; ETag.weak "b"; ETag.strong "" ]) "tags, and not *"
            }
            test "star with blanks is any; star in a list is dropped" {
                Expect.equal (ETag.parseList " * ") AnyTag "star"
                Expect.equal (ETag.parseList "\"a\", *") (Listed [ ETag.strong "a" ]) "one tag, not any"
            }
            test "a list of only malformed entries is empty, like an absent field" {
                for text in [ "spam, eggs"; ""; "\"a,b\"" ] do
                    Expect.equal (ETag.parseList text) (Listed []) (sprintf "%s (a comma splits even a quoted tag, as in Django)" text)
            }
            test "strong comparison needs two strong tags, weak comparison ignores weakness" {
                let s, w = ETag.strong "1", ETag.weak "1"
                Expect.isTrue (s.StrongEquals s) "strong = strong"
                Expect.isFalse (s.StrongEquals w) "strong vs weak"
                Expect.isFalse (w.StrongEquals w) "weak vs weak"
                Expect.isTrue (w.WeakEquals s && s.WeakEquals w && w.WeakEquals w) "weak comparison"
                Expect.isFalse (s.WeakEquals(ETag.strong "2")) "different text"
            }
        ]

        testList "HttpDate" [
            let expected = DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero)
            test "the three formats of RFC 9110's example read as the same instant" {
                for text in [ "Sun, 06 Nov 1994 08:49:37 GMT"; "Sunday, 06-Nov-94 08:49:37 GMT"; "Sun Nov  6 08:49:37 1994"; "Sun Nov 06 08:49:37 1994" ] do
                    Expect.equal (HttpDate.parse now text) (Some expected) text
            }
            test "format writes IMF-fixdate and truncates to the second" {
                Expect.equal (HttpDate.format(expected.AddMilliseconds 999.0)) "Sun, 06 Nov 1994 08:49:37 GMT" "truncated"
                Expect.equal (HttpDate.format now) "Tue, 14 Nov 2023 22:13:20 GMT" "the pinned clock"
                Expect.equal (HttpDate.format(DateTimeOffset(2011, 2, 12, 18, 38, 44, TimeSpan.FromHours 1.0))) lm "converted to GMT"
            }
            test "an RFC 850 year more than 50 years ahead of now is in the past century" {
                Expect.equal ((date "Thursday, 31-Dec-73 00:00:00 GMT").Year) 2073 "2073 is 50 years ahead of 2023"
                Expect.equal ((date "Monday, 01-Jan-74 00:00:00 GMT").Year) 1974 "2074 is 51 years ahead"
                Expect.equal ((date "Saturday, 12-Feb-11 17:38:44 GMT").Year) 2011 "this century"
                Expect.equal ((date "Saturday, 01-Jan-00 00:00:00 GMT").Year) 2000 "00 in 2023"
                let in2080 = DateTimeOffset(2080, 6, 1, 0, 0, 0, TimeSpan.Zero)
                Expect.equal ((HttpDate.parse in2080 "Monday, 01-Jan-29 00:00:00 GMT").Value.Year) 2129 "2029 is 51 years before 2080"
                Expect.equal ((HttpDate.parse in2080 "Monday, 01-Jan-31 00:00:00 GMT").Value.Year) 2031 "2031 is 49 years before 2080"
            }
            test "month names are read in any case, as Django does" {
                Expect.equal (HttpDate.parse now "Sun, 06 nov 1994 08:49:37 GMT") (Some expected) "lower case"
            }
            test "invalid dates are None" {
                for text in
                    [ "garbage"; ""; "Sat, 12 Feb 2011 17:38:44 +0000"; "Sat, 31 Feb 2011 17:38:44 GMT"; "Sat, 12 Feb 2011 24:00:00 GMT"
                      "Sat, 12 Feb 2011 23:59:60 GMT"; "Sat, 12 Foo 2011 17:38:44 GMT"; "Sat, 12-Feb-2011 17:38:44 GMT"; "Sat, 00 Feb 2011 17:38:44 GMT"
                      "Sat, 12 Feb 0000 17:38:44 GMT"; "Sat, 12 Feb 2011 17:38:44 UTC"; "Sat, 1 Feb 2011 17:38:44 GMT"; "Sa, 12 Feb 2011 17:38:44 GMT"
                      "Sat, 12 Feb 2011 17:38 GMT"; "Sat,  12 Feb 2011 17:38:44 GMT"; "Sat., 12-Feb-11 17:38:44 GMT"; "Sat Feb 12 17:38:44 11"
                      "Sat Feb 1 17:38:44 2011"; "12 Feb 2011 17:38:44 GMT"; "Sat, 12 Feb 2011 17:38:44 GMT junk" ] do
                    Expect.equal (HttpDate.parse now text) None text
                Expect.equal (HttpDate.parse now null) None "null"
            }
            test "blanks around a date are ignored" {
                Expect.equal (HttpDate.parse now "  Sun, 06 Nov 1994 08:49:37 GMT ") (Some expected) "trimmed"
            }
            test "the first and last representable seconds round-trip" {
                for d in [ DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero); DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) ] do
                    Expect.equal (HttpDate.parse now (HttpDate.format d)) (Some d) (HttpDate.format d)
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
                    request "GET" [ "If-Modified-Since", lm ] |> Conditional.response now None (Some((date lm).AddMilliseconds 900.0)) (Some ResponseHead.ok)
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
                Expect.equal nm (NotModified(ResponseHead.ofList 304 [])) "bare 304"
            }
            test "a non-2xx response is returned unchanged whatever the preconditions" {
                for status in [ 301; 404; 500 ] do
                    let r = responseWith status [ "ETag", "\"spam\"" ]
                    let o = request "PUT" [ "If-Match", "\"eggs\"" ] |> Conditional.response now (Some(tag "\"spam\"")) None (Some r)
                    Expect.equal (match o with Proceed p -> p | NotModified _ | PreconditionFailed _ -> None) (Some r) (string status)
            }
            test "a 304 keeps only its headers and the cookies, in a fixed order" {
                let full =
                    responseWith 200
                        [ "Content-Language", "de"; "Vary", "Cookie"; "Set-Cookie", "a=1"; "Set-Cookie", "b=2"; "Content-Type", "text/plain"
                          "Cache-Control", "max-age=60"; "Content-Location", "/x"; "Date", lm; "ETag", "\"spam\""; "Expires", after
                          "Last-Modified", lm; "Content-Length", "5" ]
                let o = request "GET" [ "If-None-Match", "\"spam\"" ] |> Conditional.response now (Some(tag "\"spam\"")) None (Some full)
                let r = o.Response.Value
                Expect.equal r.Status 304 "status"
                Expect.equal
                    (ResponseHead.headers r)
                    [ "Cache-Control", "max-age=60"; "Content-Location", "/x"; "Date", lm; "ETag", "\"spam\""; "Expires", after
                      "Last-Modified", lm; "Vary", "Cookie"; "Set-Cookie", "a=1\nb=2" ]
                    "kept headers"
            }
            test "a 412 is empty" {
                let o = conditional "DELETE" [ "If-None-Match", "*" ] (Some "\"spam\"") None (Some 200)
                Expect.equal o (PreconditionFailed(ResponseHead.ofList 412 [])) "412"
            }
            test "deliberate: a last-modified time at the Unix epoch is a date, not unknown (Django reads 0 as absent)" {
                let status methodName headers lastModified =
                    statusOf (request methodName headers |> Conditional.response now None (Some lastModified) (Some(responseWith 200 [])))
                let epoch = DateTimeOffset.UnixEpoch
                Expect.equal (status "GET" [ "If-Modified-Since", lm ] epoch) (Some 304) "not modified since 2011 (Django: 200)"
                Expect.equal (status "HEAD" [ "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT" ] epoch) (Some 304) "the same second (Django: 200)"
                Expect.equal (status "GET" [ "If-Modified-Since", "Wed, 31 Dec 1969 23:59:59 GMT" ] epoch) (Some 200) "modified since the second before"
                Expect.equal (status "PUT" [ "If-Unmodified-Since", lm ] epoch) (Some 200) "unmodified since 2011 (Django: 412)"
                Expect.equal (status "PUT" [ "If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT" ] (date lm)) (Some 412) "an If-Unmodified-Since at the epoch is a date (Django ignores it: 200)"
            }
            test "the epoch reads as a date in IMF-fixdate and asctime" {
                for text in [ "Thu, 01 Jan 1970 00:00:00 GMT"; "Thu Jan  1 00:00:00 1970" ] do
                    Expect.equal (HttpDate.parse now text) (Some DateTimeOffset.UnixEpoch) text
            }
            test "methods compare case-insensitively, as Django upper-cases them" {
                Expect.equal (statusOf (conditional "get" [ "If-None-Match", "*" ] (Some "\"spam\"") None (Some 200))) (Some 304) "get"
            } ])

        testList "ConditionalGet (Django's ConditionalGetMiddlewareTest)" [
            let etagOf (o: ConditionalResponse) = o.Response.Value |> header "ETag"
            let statusOut (o: ConditionalResponse) = o.Response.Value.Status
            test "the middleware calculates an ETag" {
                Expect.equal (etagOf (middleware "GET" [] "content" ResponseHead.ok)) (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "md5 of content"
            }
            test "the middleware won't overwrite an ETag" {
                Expect.equal (etagOf (middleware "GET" [] "content" (responseWith 200 [ "ETag", "eggs" ]))) (Some "eggs") "kept"
            }
            test "no ETag for an empty body or a streamed one" {
                Expect.equal (etagOf (middleware "GET" [] "" ResponseHead.ok)) None "empty"
                let streamed = ResponseHead.ok |> Conditional.getTagged now (request "GET" []) None
                Expect.equal (etagOf streamed) None "streamed"
            }
            test "a streamed body's own tag is added" {
                let o = ResponseHead.ok |> Conditional.getTagged now (request "GET" [ "If-None-Match", "W/\"v\"" ]) (Some(ETag.weak "v"))
                Expect.equal (statusOut o, etagOf o) (304, Some "W/\"v\"") "tag added and matched"
            }
            test "no ETag when Cache-Control has no-store in any case" {
                Expect.equal (etagOf (middleware "GET" [] "content" (responseWith 200 [ "Cache-Control", "No-Cache, No-Store, Max-age=0" ]))) None "no-store"
            }
            test "an extension directive mentioning no-store still gets an ETag" {
                Expect.isSome (etagOf (middleware "GET" [] "content" (responseWith 200 [ "Cache-Control", "my-directive=\"my-no-store\"" ]))) "tagged"
            }
            test "If-None-Match without an ETag gives 200" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "spam" ] "" ResponseHead.ok)) 200 "200"
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
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", lm ] "" ResponseHead.ok)) 200 "200"
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
                let r = o.Response.Value
                Expect.equal r.Status 304 "304"
                for name in [ "Date"; "Last-Modified"; "Expires"; "Vary"; "Cache-Control"; "Content-Location"; "Set-Cookie" ] do
                    Expect.equal (header name r) (header name full) name
                Expect.equal (header "ETag" r) (Some "\"9a0364b9e99bb480dd25e1f0284c8555\"") "the computed ETag"
                Expect.isFalse (ResponseHead.hasHeader "Content-Language" r) "Content-Language dropped"
            }
            test "an unsafe request is never refused by the middleware" {
                let o = middleware "PUT" [ "If-Match", "\"other\"" ] "content" ResponseHead.ok
                Expect.equal (statusOut o, etagOf o) (200, None) "untouched"
            }
            test "HEAD is tagged as its GET (Django tags only GET), and a matching If-None-Match is 304" {
                Expect.equal (etagOf (middleware "HEAD" [] "content" ResponseHead.ok)) (etagOf (middleware "GET" [] "content" ResponseHead.ok)) "the GET's ETag"
                Expect.equal (statusOut (middleware "HEAD" [ "If-None-Match", "\"9a0364b9e99bb480dd25e1f0284c8555\"" ] "content" ResponseHead.ok)) 304 "304"
            }
            test "deliberate: a Last-Modified at the Unix epoch is a validator (Django: none, so 200)" {
                let r = responseWith 200 [ "Last-Modified", "Thu, 01 Jan 1970 00:00:00 GMT" ]
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", lm ] "" r)) 304 "not modified since 2011"
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT" ] "" r)) 304 "the same second"
                Expect.equal (statusOut (middleware "GET" [ "If-Modified-Since", "Wed, 31 Dec 1969 23:59:59 GMT" ] "" r)) 200 "modified since the second before"
            }
            test "an unreadable ETag is a current representation that only * names, for If-Match too" {
                let eggs = responseWith 200 [ "ETag", "eggs" ]
                Expect.equal (statusOut (middleware "GET" [ "If-Match", "*" ] "" eggs)) 200 "* passes"
                Expect.equal (statusOut (middleware "GET" [ "If-Match", "\"eggs\"" ] "" eggs)) 412 "a listed tag does not name it"
            }
            test "a GET whose If-Match fails is refused" {
                Expect.equal (statusOut (middleware "GET" [ "If-Match", "\"other\"" ] "content" ResponseHead.ok)) 412 "412"
            }
            test "hello world's tag matches, an unquoted ETag matches only a star" {
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"" ] "hello world" ResponseHead.ok)) 304 "md5"
                let eggs = responseWith 200 [ "ETag", "eggs" ]
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "eggs" ] "" eggs)) 200 "malformed request tag dropped"
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "\"eggs\"" ] "" eggs)) 200 "no quoting of the response tag"
                Expect.equal (statusOut (middleware "GET" [ "If-None-Match", "*" ] "" eggs)) 304 "star"
            }
        ]

        testList "conformance" [
            conformanceTests "get_conditional_response.json" [ "compared with Django", 130 ] (fun e ->
                runConditional e ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE") false)
            conformanceTests "get_conditional_response_grid.json" [ "compared with Django", 193 ] (fun e ->
                runConditional e ("if_match", "if_none_match", "if_modified_since", "if_unmodified_since") true)
            conformanceTests "conditional_get_middleware.json" [ "compared with Django", 48; headReason, 12 ] runMiddleware
        ]
    ]
