/// Laws of conditional requests: the 304/412/proceed outcome of both entry points against a pure model of RFC 9110
/// §13.1.1/§13.1.2/§13.2.2 in Django's order (on generated tag lists and dates, and on any header text), the epoch as a
/// date, entity-tag comparison, HTTP-date round trips, what a 304 keeps and non-2xx pass-through.
module Http.ConditionalProperties

open System
open System.Globalization
open System.Text
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open FsCheck.FSharp.PropOperators
open FunctionalCache.Http
open FunctionalCache.FSharp

let private config = { Config.config with maxTest = 1000 }

let private now = DateTimeOffset.FromUnixTimeSeconds 1700000000L

// ---- generators ------------------------------------------------------------------------------

/// Header texts: arbitrary strings (null read as empty) and pieces of real syntax glued together,
/// so tag lists, stars, commas, quotes and dates all turn up.
let private genHeaderText =
    let pieces =
        [ "\""; "W/"; "w/"; "*"; ","; " "; "spam"; "\"spam\""; "W/\"spam\""; "\"eggs\""; "\t"; "\u00e9"; "\x1c"; "\u0000"
          "Sat, 12 Feb 2011 17:38:44 GMT"; "Saturday, 12-Feb-11 17:38:44 GMT"; "Sat Feb 12 17:38:44 2011"; "99:99:99"; "Feb"; "GMT" ]
    Gen.oneof
        [ ArbMap.defaults |> ArbMap.generate<string> |> Gen.map (fun s -> if isNull s then "" else s)
          Gen.listOf (Gen.elements pieces) |> Gen.map (fun ps -> String.Join("", ps)) ]

let private genMethod = Gen.elements [ "GET"; "HEAD"; "POST"; "PUT"; "DELETE"; "get"; ""; "PATCH" ]

let private conditionalNames = [ "If-Match"; "If-None-Match"; "If-Modified-Since"; "If-Unmodified-Since" ]

/// A request with any subset of the four conditional fields, each holding any text.
let private genRequest =
    gen {
        let! methodName = genMethod
        let! fields = Gen.subListOf conditionalNames
        let! values = Gen.listOfLength fields.Length genHeaderText
        return RequestHead.ofUrl methodName "http://h/" |> RequestHead.withHeaders (List.zip fields values)
    }

let private responseNames =
    [ "Cache-Control"; "Content-Location"; "Date"; "ETag"; "Expires"; "Last-Modified"; "Vary"; "Set-Cookie"
      "Content-Type"; "Content-Language"; "Content-Length"; "X-Custom"; "Content-Encoding" ]

let private kept =
    set [ "cache-control"; "content-location"; "date"; "etag"; "expires"; "last-modified"; "vary"; "set-cookie" ]

let private genResponseWith (genStatus: Gen<int>) =
    gen {
        let! status = genStatus
        let! fields = Gen.subListOf responseNames
        let! spelled = Gen.listOfLength fields.Length (Gen.elements [ id; (fun (s: string) -> s.ToLowerInvariant()); (fun (s: string) -> s.ToUpperInvariant()) ])
        let! values = Gen.listOfLength fields.Length genHeaderText
        return
            List.zip3 fields spelled values
            |> List.fold (fun r (n, f, v) -> r |> ResponseHead.withHeader (f n) v) (ResponseHead.ofList status [])
    }

let private genStatus = Gen.frequency [ 3, Gen.elements [ 200; 201; 204; 299 ]; 1, Gen.choose (100, 599) ]
let private genNon2xx = Gen.oneof [ Gen.choose (100, 199); Gen.choose (300, 599) ]

/// Listing over a two-letter alphabet, so equal texts are common.
let private genTag =
    gen {
        let! text = Gen.elements [ ""; "a"; "b"; "ab" ]
        let! weak = Gen.elements [ true; false ]
        return if weak then ETag.weak text else ETag.strong text
    }

let private genOptional (g: Gen<'a>) = Gen.optionOf g

let private genInstant =
    gen {
        let! seconds = Gen.choose (0, Int32.MaxValue) |> Gen.map int64
        return DateTimeOffset.FromUnixTimeSeconds(seconds % 4_102_444_800L)
    }

/// Any representable instant, with any offset that keeps it representable, and the two ends.
let private genAnyInstant =
    let span = DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.MinValue.UtcTicks
    let day = TimeSpan.TicksPerDay
    Gen.frequency
        [ 1, Gen.elements [ DateTimeOffset.MinValue; DateTimeOffset.MaxValue; DateTimeOffset.UnixEpoch ]
          10,
          gen {
              let! hi = Gen.choose (0, Int32.MaxValue)
              let! lo = Gen.choose (0, Int32.MaxValue)
              let! offsetMinutes = Gen.choose (-840, 840)
              // Stay a day inside the range, so every offset's local clock is representable too.
              let ticks = DateTimeOffset.MinValue.UtcTicks + day + ((int64 hi <<< 31) + int64 lo) % (span - 2L * day)
              return DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(float offsetMinutes))
          } ]

let private arb g = Arb.fromGen g

// ---- the model: RFC 9110 §13.1.1, §13.1.2 and §13.2.2 in Django's order ------------------------

/// The current representation's validator as the evaluation sees it.
type private Current =
    | NoTag
    | Tag of weak: bool * opaque: string
    /// An ETag field that is not a well-formed tag: a current representation that no listed tag names.
    | Unreadable

/// An If-Match or If-None-Match field: `*`, or its well-formed tags (none: the field counts as absent).
type private TagField =
    | Star
    | Listing of (bool * string) list

/// What the client gets: the response served, a 304 or a 412.
type private Answer =
    | Serve
    | NotModified304
    | Failed412

/// Python's str.strip(): .NET's white space plus U+001C–U+001F.
let private pyBlanks = [| for c in '\u0000' .. '\uffff' do if Char.IsWhiteSpace c || (c >= '\u001c' && c <= '\u001f') then c |]

let private pyStrip (s: string) = s.Trim pyBlanks

/// Django's ETAG_MATCH: an optional W/ and a quoted text with no quote inside, the whole string.
let private tagPattern = Regex(@"\A(W/)?""([^""]*)""\z", RegexOptions.CultureInvariant)

let private readTag (text: string) =
    let m = tagPattern.Match text
    if m.Success then Some(m.Groups[1].Success, m.Groups[2].Value) else None

/// Django's parse_etags: `*` alone (blanks around it allowed), else each comma-separated entry that is a tag once stripped.
let private readTagField (text: string option) =
    match text with
    | None -> Listing []
    | Some t when pyStrip t = "*" -> Star
    | Some t -> Listing [ for entry in t.Split(',') do match readTag (pyStrip entry) with Some tag -> yield tag | None -> () ]

let private isSafe (methodName: string) =
    String.Equals(methodName, "GET", StringComparison.OrdinalIgnoreCase) || String.Equals(methodName, "HEAD", StringComparison.OrdinalIgnoreCase)

/// Whole seconds since the epoch, rounded down (the precision of an HTTP date).
let private wholeSeconds (t: DateTimeOffset) =
    let ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks
    (if ticks >= 0L then ticks else ticks - TimeSpan.TicksPerSecond + 1L) / TimeSpan.TicksPerSecond

/// get_conditional_response for a 2xx response: If-Match (strong comparison, `*` needs a current representation),
/// then If-Unmodified-Since only without If-Match, then If-None-Match (weak comparison; 304 for GET and HEAD, 412
/// otherwise), then If-Modified-Since only without If-None-Match and only for GET and HEAD. A last-modified time at
/// the Unix epoch is a time like any other (our documented difference from Django's falsy 0).
let private answer methodName (current: Current) (lastModified: DateTimeOffset option) ifMatch (ifUnmodifiedSince: DateTimeOffset option) ifNoneMatch (ifModifiedSince: DateTimeOffset option) =
    let present field = match field with Star -> true | Listing tags -> not tags.IsEmpty
    let exists = current <> NoTag
    let ifMatchPasses =
        match ifMatch, current with
        | Star, _ -> exists
        | Listing tags, Tag(false, opaque) -> tags |> List.contains (false, opaque)
        | Listing _, _ -> false
    let ifNoneMatchFires =
        match ifNoneMatch, current with
        | Star, _ -> exists
        | Listing tags, Tag(_, opaque) -> tags |> List.exists (fun (_, t) -> t = opaque)
        | Listing _, _ -> false
    let notModifiedSince (date: DateTimeOffset) = lastModified |> Option.exists (fun m -> wholeSeconds m <= wholeSeconds date)
    if present ifMatch && not ifMatchPasses then Failed412
    elif not (present ifMatch) && ifUnmodifiedSince |> Option.exists (notModifiedSince >> not) then Failed412
    elif present ifNoneMatch && ifNoneMatchFires then (if isSafe methodName then NotModified304 else Failed412)
    elif not (present ifNoneMatch) && isSafe methodName && ifModifiedSince |> Option.exists notModifiedSince then NotModified304
    else Serve

/// The model on a request as sent: its fields read as RFC 9110 reads them (dates with our HTTP-date reader, whose
/// formats have their own laws and examples).
let private answerFor (request: RequestHead) (current: Current) (lastModified: DateTimeOffset option) =
    let field name = RequestHead.header name request
    let date name = field name |> Option.bind (HttpDate.parse now)
    answer request.Method current lastModified (readTagField (field "If-Match")) (date "If-Unmodified-Since")
        (readTagField (field "If-None-Match")) (date "If-Modified-Since")

let private currentOf (etag: EntityTag option) =
    match etag with
    | Some t -> Tag(t.IsWeak, t.Opaque)
    | None -> NoTag

/// The outcome `Conditional.response` must give for a response with `status`: a non-2xx one is served unchanged,
/// a 304 keeps what the 304 law checks, a 412 is empty.
let private matches (response: ResponseHead) (expected: Answer) (outcome: ConditionalResponse) =
    match expected, outcome with
    | _, Proceed served when response.Status < 200 || response.Status > 299 -> served = Some response
    | Serve, Proceed served -> served = Some response
    | NotModified304, NotModified r -> r.Status = 304
    | Failed412, PreconditionFailed r -> r = ResponseHead.ofList 412 []
    | _ -> false

/// What the conditional-GET step must give: anything but GET and HEAD untouched; otherwise the model on the
/// response's own ETag (an empty one is none, an unreadable one matches only `*`) and Last-Modified, when it has either.
let private conditionalGetAnswer (request: RequestHead) (tagged: ResponseHead) =
    let current =
        match ResponseHead.header "ETag" tagged with
        | None | Some "" -> NoTag
        | Some text -> match readTag text with Some(weak, opaque) -> Tag(weak, opaque) | None -> Unreadable
    let lastModified = ResponseHead.header "Last-Modified" tagged |> Option.bind (HttpDate.parse now)
    if not (isSafe request.Method) || (current = NoTag && lastModified.IsNone) then Serve
    else answerFor request current lastModified

/// Django's ConditionalGetMiddleware adds the body's tag when the response has no ETag and no no-store piece.
let private taggedBy (bodyTag: string option) (response: ResponseHead) =
    let noStore =
        ResponseHead.header "Cache-Control" response
        |> Option.exists (fun cc -> Regex.Split(cc, @"\s*,\s*") |> Array.exists (fun p -> p.ToLowerInvariant() = "no-store"))
    match bodyTag with
    | Some tag when not (ResponseHead.hasHeader "ETag" response) && not noStore -> response |> ResponseHead.withHeader "ETag" tag
    | _ -> response

// ---- generators of structured preconditions ---------------------------------------------------

let private opaques = [ ""; "a"; "b"; "ab" ]

let private genCurrent = Gen.frequency [ 1, Gen.constant NoTag; 4, Gen.map2 (fun w o -> Tag(w, o)) (Gen.elements [ true; false ]) (Gen.elements opaques) ]

let private render (weak: bool, opaque: string) = (if weak then "W/\"" else "\"") + opaque + "\""

/// Entries Django's parse_etags drops: unquoted, half-quoted, a lower-case w/, a star inside a list, nothing.
let private genNoise = Gen.elements [ "spam"; "\"a"; "a\""; "w/\"a\""; "W/a"; "*"; ""; "\"a\"b\"" ]

/// A tag field and the text a client sends for it (None: the field is not sent), absent `absentWeight` times in 8.
let private genTagField absentWeight =
    let listed =
        gen {
            let! tags = Gen.choose (0, 3) |> Gen.bind (fun n -> Gen.listOfLength n (Gen.zip (Gen.elements [ true; false ]) (Gen.elements opaques)))
            let! noise = Gen.choose (0, 2) |> Gen.bind (fun n -> Gen.listOfLength n genNoise)
            // A star alone, blanks and all, is the whole-field `*`; among tags it is only noise.
            let noise = if tags.IsEmpty then List.filter ((<>) "*") noise else noise
            let! entries = Gen.shuffle (Array.ofList (List.map render tags @ noise))
            let! separator = Gen.elements [ ","; ", "; " , "; ",\t" ]
            let! pad = Gen.elements [ ""; " "; "\t" ]
            return Listing tags, pad + String.Join(separator, entries) + pad
        }
    Gen.frequency
        [ absentWeight, Gen.constant (Listing [], None)
          1, Gen.elements [ "*"; " * "; "*\t" ] |> Gen.map (fun s -> Star, Some s)
          7 - absentWeight, listed |> Gen.map (fun (field, text) -> field, Some text) ]

/// The instant a case turns on: the Unix epoch (read as "unknown" by Django) or a date of Django's own tests.
let private genBase = Gen.elements [ DateTimeOffset.UnixEpoch; DateTimeOffset(2011, 2, 12, 17, 38, 44, TimeSpan.Zero) ]

/// A date field's text for an instant: IMF-fixdate or asctime, both written here (not by the library), or a text
/// that is no date (absent for the model).
let private genDateText (instant: DateTimeOffset) =
    Gen.frequency
        [ 4, Gen.constant (Some instant, instant.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture))
          1, Gen.constant (Some instant, instant.UtcDateTime.ToString("ddd MMM ", CultureInfo.InvariantCulture) + instant.UtcDateTime.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + instant.UtcDateTime.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture))
          1, Gen.constant (None, "not a date") ]

/// One conditional request against one resource state, every instant within seconds of one base instant so that
/// "later", "same second" and "earlier" all come up.
type private Preconditions =
    { Method: string
      Current: Current
      LastModified: DateTimeOffset option
      IfMatch: TagField
      IfUnmodifiedSince: DateTimeOffset option
      IfNoneMatch: TagField
      IfModifiedSince: DateTimeOffset option
      Request: RequestHead }

let private genPreconditions =
    gen {
        let! methodName = Gen.frequency [ 3, Gen.elements [ "GET"; "HEAD"; "get" ]; 2, Gen.elements [ "POST"; "PUT"; "DELETE"; "PATCH" ] ]
        let! current = genCurrent
        let! at = genBase
        let near = Gen.choose (-2, 2) |> Gen.map (fun s -> at.AddSeconds(float s))
        let! lastModified = Gen.optionOf (Gen.map2 (fun (d: DateTimeOffset) ms -> d.AddMilliseconds(float ms)) near (Gen.choose (0, 999)))
        // If-Match and If-Unmodified-Since are rarer, so that their 412s leave room for 304s and served responses.
        let! ifMatch, ifMatchText = genTagField 5
        let! ifNoneMatch, ifNoneMatchText = genTagField 2
        let dateField present = Gen.frequency [ 3 - present, Gen.constant None; present, near |> Gen.bind genDateText |> Gen.map Some ]
        let! ius = dateField 1
        let! ims = dateField 2
        let fields =
            [ "If-Match", ifMatchText
              "If-None-Match", ifNoneMatchText
              "If-Unmodified-Since", ius |> Option.map snd
              "If-Modified-Since", ims |> Option.map snd ]
            |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))
        return
            { Method = methodName
              Current = current
              LastModified = lastModified
              IfMatch = ifMatch
              IfUnmodifiedSince = ius |> Option.bind fst
              IfNoneMatch = ifNoneMatch
              IfModifiedSince = ims |> Option.bind fst
              Request = RequestHead.ofUrl methodName "http://h/" |> RequestHead.withHeaders fields }
    }

let private expectedOf (p: Preconditions) =
    answer p.Method p.Current p.LastModified p.IfMatch p.IfUnmodifiedSince p.IfNoneMatch p.IfModifiedSince

let private tagOf (current: Current) =
    match current with
    | Tag(true, o) -> Some(ETag.weak o)
    | Tag(false, o) -> Some(ETag.strong o)
    | NoTag | Unreadable -> None

let private statusOfAnswer a = match a with Serve -> 200 | NotModified304 -> 304 | Failed412 -> 412

let private statusOf (o: ConditionalResponse) = o.Response |> Option.map ResponseHead.status |> Option.defaultValue 200

let private showCase (p: Preconditions) =
    sprintf "%s current %A last-modified %A, request %A" p.Method p.Current p.LastModified (RequestHead.headers p.Request)


// ---- properties ------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.ConditionalProperties" [
        testPropertyWithConfig config "on any header text, every outcome is the model's and the readers read as Django's do" <| fun () ->
            let inputs =
                Gen.zip3 genRequest (genResponseWith genStatus) (Gen.zip3 (genOptional genTag) (genOptional genInstant) genHeaderText)
            Prop.forAll (arb inputs) (fun (request, response, (etag, lastModified, text)) ->
                let body = Encoding.UTF8.GetBytes text
                let a = request |> Conditional.response now etag lastModified (Some response)
                let b = response |> Conditional.get now request body
                let c = response |> Conditional.getTagged now request etag
                let viaGet (bodyTag: string option) (outcome: ConditionalResponse) =
                    if not (isSafe request.Method) then outcome = Proceed(Some response)
                    else
                        let tagged = taggedBy bodyTag response
                        matches tagged (conditionalGetAnswer request tagged) outcome
                let readsDate = HttpDate.parse now text |> Option.forall (fun d -> d.Offset = TimeSpan.Zero && d.UtcTicks % TimeSpan.TicksPerSecond = 0L)
                let readsTag = ETag.parse text = (readTag text |> Option.map (fun (w, o) -> if w then ETag.weak o else ETag.strong o))
                let readsList =
                    match readTagField (Some text), ETag.parseList text with
                    | Star, AnyTag -> true
                    | Listing tags, Listed parsed -> parsed = [ for w, o in tags -> if w then ETag.weak o else ETag.strong o ]
                    | _ -> false
                (Prop.label "Conditional.response" (matches response (answerFor request (currentOf etag) lastModified) a))
                .&. (Prop.label "Conditional.get" (viaGet (ETag.forBody body) b))
                .&. (Prop.label "Conditional.getTagged" (viaGet (etag |> Option.map string) c))
                .&. (Prop.label "HttpDate.parse gives a whole second in UTC" readsDate)
                .&. (Prop.label "ETag.parse is Django's ETAG_MATCH" readsTag)
                .&. (Prop.label "ETag.parseList is Django's parse_etags" readsList))

        testPropertyWithConfig config "If-Match and If-None-Match answer as RFC 9110's strong and weak comparisons say, before the dates" <| fun () ->
            Prop.forAll (arb genPreconditions) (fun p ->
                let outcome =
                    p.Request |> Conditional.response now (tagOf p.Current) p.LastModified (Some(ResponseHead.ofList 200 [ "X-Origin", "1" ]))
                let expected = expectedOf p
                statusOf outcome = statusOfAnswer expected
                |> Prop.label (sprintf "%s: got %d, the model says %A" (showCase p) (statusOf outcome) expected)
                |> Prop.classify (expected = Serve) "served"
                |> Prop.classify (expected = NotModified304) "304"
                |> Prop.classify (expected = Failed412) "412")

        testPropertyWithConfig config "the conditional-GET step answers from the response's own ETag and Last-Modified as the model says" <| fun () ->
            let genCase =
                gen {
                    let! p = genPreconditions
                    let! unreadable = Gen.elements [ None; None; None; Some "spam"; Some "W/a"; Some "\"a" ]
                    return p, unreadable
                }
            Prop.forAll (arb genCase) (fun (p, unreadable) ->
                let etagText =
                    match unreadable, p.Current with
                    | Some text, _ -> Some text
                    | None, Tag(w, o) -> Some(render (w, o))
                    | None, _ -> None
                // The Last-Modified field is written here, not by the library, and truncates to the second as HTTP dates do.
                let lastModifiedText = p.LastModified |> Option.map (fun t -> t.UtcDateTime.ToString("R", CultureInfo.InvariantCulture))
                let response =
                    ResponseHead.ofList 200
                        [ match etagText with Some t -> "ETag", t | None -> ()
                          match lastModifiedText with Some t -> "Last-Modified", t | None -> () ]
                let outcome = response |> Conditional.getTagged now p.Request None
                let current = if unreadable.IsSome then Unreadable else p.Current
                let expected =
                    if not (isSafe p.Method) || (current = NoTag && p.LastModified.IsNone) then Serve
                    else answer p.Method current p.LastModified p.IfMatch p.IfUnmodifiedSince p.IfNoneMatch p.IfModifiedSince
                matches response expected outcome
                |> Prop.label (sprintf "%s, ETag field %A: got %A, the model says %A" (showCase p) etagText outcome expected))

        testPropertyWithConfig config "a last-modified time at the Unix epoch is a time like any other, in both conditional entry points" <| fun () ->
            // Django reads a last-modified of 0 as unknown (Python's falsy 0); we read a date (README, "HTTP helpers").
            let nearEpoch = Gen.choose (-3, 3) |> Gen.map (fun s -> DateTimeOffset.UnixEpoch.AddSeconds(float s))
            let genCase =
                gen {
                    let! lastModified = Gen.frequency [ 2, Gen.constant DateTimeOffset.UnixEpoch; 3, Gen.map2 (fun (d: DateTimeOffset) ms -> d.AddMilliseconds(float ms)) nearEpoch (Gen.choose (0, 999)) ]
                    let! date = Gen.frequency [ 2, Gen.constant DateTimeOffset.UnixEpoch; 3, nearEpoch ]
                    let! safe = Gen.elements [ "GET"; "HEAD" ]
                    return lastModified, date, safe
                }
            Prop.forAll (arb genCase) (fun (lastModified, date, safe) ->
                let dateText = date.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)
                let notLater = wholeSeconds lastModified <= wholeSeconds date
                let ims = RequestHead.ofUrl safe "http://h/" |> RequestHead.withHeader "If-Modified-Since" dateText
                let ius = RequestHead.ofUrl "PUT" "http://h/" |> RequestHead.withHeader "If-Unmodified-Since" dateText
                let stamped = ResponseHead.ofList 200 [ "Last-Modified", lastModified.UtcDateTime.ToString("R", CultureInfo.InvariantCulture) ]
                let viaResponse (request: RequestHead) = request |> Conditional.response now None (Some lastModified) (Some ResponseHead.ok)
                (Prop.label "If-Modified-Since through Conditional.response" (statusOf (viaResponse ims) = (if notLater then 304 else 200)))
                .&. (Prop.label "If-Unmodified-Since through Conditional.response" (statusOf (viaResponse ius) = (if notLater then 200 else 412)))
                .&. (Prop.label "If-Modified-Since against the Last-Modified field" (statusOf (stamped |> Conditional.getTagged now ims None) = (if notLater then 304 else 200)))
                |> Prop.label (sprintf "last-modified %O, date %s" lastModified dateText))

        testPropertyWithConfig config "weak comparison is symmetric and strong comparison implies weak" <| fun () ->
            Prop.forAll (arb (Gen.zip genTag genTag)) (fun (x, y) ->
                x.WeakEquals y = y.WeakEquals x
                && x.StrongEquals y = y.StrongEquals x
                && (not (x.StrongEquals y) || x.WeakEquals y)
                && x.StrongEquals y = (not x.IsWeak && not y.IsWeak && x.Opaque = y.Opaque))

        testPropertyWithConfig config "a formatted tag parses back to itself, alone or in a list" <| fun () ->
            Prop.forAll (arb (Gen.listOf genTag)) (fun tags ->
                let list = ETag.parseList (String.Join(" , ", tags |> List.map string))
                (tags |> List.forall (fun t -> ETag.parse (string t) = Some t))
                && list = Listed tags)

        testPropertyWithConfig config "Parse(Format d) is d truncated to the second" <| fun () ->
            Prop.forAll (arb genAnyInstant) (fun d ->
                let truncated = DateTimeOffset(d.UtcTicks - d.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero)
                HttpDate.parse now (HttpDate.format d) = Some truncated)

        testPropertyWithConfig config "a 304 carries only the allowed headers, each as the response had it" <| fun () ->
            let inputs =
                gen {
                    let! response = genResponseWith (Gen.elements [ 200; 203; 206 ])
                    let! tag = genTag
                    let! methodName = Gen.elements [ "GET"; "HEAD" ]
                    let! star = Gen.elements [ true; false ]
                    let request = RequestHead.ofUrl methodName "http://h/" |> RequestHead.withHeader "If-None-Match" (if star then "*" else string tag)
                    return request, response, tag
                }
            Prop.forAll (arb inputs) (fun (request, response, tag) ->
                match request |> Conditional.response now (Some tag) None (Some response) with
                | NotModified r ->
                    r.Status = 304
                    && (ResponseHead.headers r |> List.forall (fun (name, value) -> kept.Contains(name.ToLowerInvariant()) && ResponseHead.header name response = Some value))
                    && (ResponseHead.headers response |> List.forall (fun (name, value) -> not (kept.Contains(name.ToLowerInvariant())) || ResponseHead.header name r = Some value))
                | Proceed _ | PreconditionFailed _ -> false)

        testPropertyWithConfig config "a non-2xx response always passes through" <| fun () ->
            let inputs = Gen.zip3 genRequest (genResponseWith genNon2xx) (Gen.zip (genOptional genTag) (genOptional genInstant))
            Prop.forAll (arb inputs) (fun (request, response, (etag, lastModified)) ->
                let o = request |> Conditional.response now etag lastModified (Some response)
                let g = response |> Conditional.get now request (Encoding.UTF8.GetBytes "body")
                o = Proceed(Some response)
                // The conditional-GET step may add an ETag (Django tags any status), nothing else.
                && (match g with
                    | Proceed(Some served) ->
                        served.Status = response.Status && ResponseHead.withoutHeader "ETag" served = ResponseHead.withoutHeader "ETag" response
                    | _ -> false))
    ]
