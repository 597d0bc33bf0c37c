/// Laws of conditional requests: entity-tag comparison, HTTP-date round trips, what a 304 keeps,
/// non-2xx pass-through, and no exception on any header text.
module Http.ConditionalProperties

open System
open System.Text
open Expecto
open FsCheck
open FsCheck.FSharp
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

/// Tags over a two-letter alphabet, so equal texts are common.
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

// ---- properties ------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.ConditionalProperties" [
        testPropertyWithConfig config "nothing throws on arbitrary header strings" <| fun () ->
            let inputs =
                Gen.zip3 genRequest (genResponseWith genStatus) (Gen.zip3 (genOptional genTag) (genOptional genInstant) genHeaderText)
            Prop.forAll (arb inputs) (fun (request, response, (etag, lastModified, text)) ->
                let a = request |> Conditional.response now etag lastModified (Some response)
                let b = response |> Conditional.get now request (Encoding.UTF8.GetBytes text)
                let c = response |> Conditional.getTagged now request etag
                ETag.parse text |> ignore
                ETag.parseList text |> ignore
                HttpDate.parse now text |> ignore
                // Every outcome is one of the three cases and names the response to send.
                [ a; b; c ] |> List.forall (fun o -> (o.IsProceed || o.IsNotModified || o.IsPreconditionFailed) && o.Response.IsSome))

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
