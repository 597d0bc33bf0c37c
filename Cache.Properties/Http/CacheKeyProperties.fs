/// Laws of the page cache keys: equal Vary values (any header-name case) give equal keys, any differing value a
/// different key, absent differs from empty, the same origin gives the same keys and another host or scheme other
/// keys, fragment keys are injective, and on any header text the keys have Django's shape.
module Http.CacheKeyProperties

open System
open System.Text
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open FsCheck.FSharp.PropOperators
open FunctionalCache.Http
open FunctionalCache.FSharp

let private config = { Config.config with maxTest = 1000 }

let private arb g = Arb.fromGen g

let private md5Hex (bytes: byte[]) = Convert.ToHexString(Security.Cryptography.MD5.HashData bytes).ToLowerInvariant()

// ---- generators ------------------------------------------------------------------------------

let private varyNames = [ "Accept-Encoding"; "Cookie"; "Origin"; "X-Requested-With"; "Accept" ]

let private recase (name: string) =
    gen {
        let! flips = Gen.arrayOfLength name.Length (Gen.elements [ false; true ])
        return String(Array.map2 (fun (c: char) up -> if up then Char.ToUpperInvariant c else Char.ToLowerInvariant c) (name.ToCharArray()) flips)
    }

/// Header values: empty, short texts that collide often, separators that tempt a digest to merge them, any text.
let private genValue =
    Gen.frequency
        [ 2, Gen.constant ""
          4, Gen.elements [ "gzip"; "gzip, deflate"; "a"; "ab"; "b"; "-,"; "0:,"; "1:a,"; "é"; "x y" ]
          2, ArbMap.defaults |> ArbMap.generate<NonNull<string>> |> Gen.map (fun s -> s.Get) ]

/// What a request sends for each name: absent (None) or a value.
let private genSent = Gen.collectToList (fun _ -> Gen.optionOf genValue) varyNames

/// Valid hosts (Django's host validation: letters, digits, dots, dashes, a port, or a bracketed IPv6 literal).
let private genHost =
    let label = gen {
        let! n = Gen.choose (1, 6)
        let! cs = Gen.arrayOfLength n (Gen.elements "abcXYZ019-")
        return String cs }
    gen {
        let! labels = Gen.choose (1, 3) |> Gen.bind (fun n -> Gen.listOfLength n label)
        let! port = Gen.optionOf (Gen.choose (1, 65535))
        let! ipv6 = Gen.frequency [ 9, Gen.constant false; 1, Gen.constant true ]
        let host = if ipv6 then "[::1]" else String.concat "." labels
        return match port with Some p -> $"{host}:{p}" | None -> host }

/// A valid host that differs from `host`, often by little: a port added or dropped, one letter in the other case
/// (the host is hashed as sent), or any other host.
let private genOtherHost (host: string) =
    let portToggled =
        match host.LastIndexOf ':' with
        | i when i > 0 && not (host.EndsWith "]") -> host.Substring(0, i)
        | _ -> host + ":8080"
    let recased =
        match host |> Seq.tryFindIndex Char.IsLetter with
        | Some i -> host.Substring(0, i) + (if Char.IsUpper host[i] then Char.ToLowerInvariant host[i] else Char.ToUpperInvariant host[i]).ToString() + host.Substring(i + 1)
        | None -> host
    Gen.oneof [ Gen.constant portToggled; Gen.constant recased; genHost ] |> Gen.filter ((<>) host)

/// How the second request's origin relates to the first's.
type private Origin =
    | SameOrigin
    | OtherHost
    | OtherScheme
    | OtherHostAndScheme

let private genPath = Gen.elements [ "/"; "/cache/test/"; "/a/../b/"; "/a b/"; "/café/"; "//x"; "/100%/"; "/a;b=c/" ]
let private genQuery = Gen.elements [ ""; "test=1"; "a=1&b=2"; "q=caf%C3%A9"; "raw=a b" ]
let private genScheme = Gen.elements [ "http"; "https" ]

/// A request with the given header values, names in the given spelling.
let private request scheme host path query (sent: (string * string option) list) =
    RequestHead.create "GET" scheme host path query []
    |> RequestHead.withHeaders (sent |> List.choose (fun (name, value) -> value |> Option.map (fun v -> name, v)))

/// The Vary value naming all the header names, in the given spelling.
let private varyOf (names: string list) = String.concat ", " names

let private pageKey (req: RequestHead) (vary: string) =
    let learned = ResponseHead.ofList 200 [ "Vary", vary ] |> PageKey.learn (KeyScope.prefix "p") req
    req |> PageKey.get (KeyScope.prefix "p") learned.HeaderList

let private genSpelling = Gen.collectToList recase varyNames

[<Tests>]
let tests =
    testList "Http.CacheKeyProperties" [
        testPropertyWithConfig config "equal Vary values give equal keys, whatever the case of header names in the request and the Vary" <| fun () ->
            let g = gen {
                let! sent = genSent
                let! spellingA = genSpelling
                let! spellingB = genSpelling
                let! varyA = genSpelling
                let! varyB = Gen.shuffle (List.toArray varyNames) |> Gen.bind (List.ofArray >> Gen.collectToList recase)
                let! host = genHost
                return sent, spellingA, spellingB, varyA, varyB, host }
            Prop.forAll (arb g) (fun (sent, spellingA, spellingB, varyA, varyB, host) ->
                let a = request "http" host "/" "" (List.zip spellingA sent)
                let b = request "http" host "/" "" (List.zip spellingB sent)
                pageKey a (varyOf varyA) = pageKey b (varyOf varyB))

        testPropertyWithConfig config "any differing value of a Vary-listed header gives a different key" <| fun () ->
            let g = gen {
                let! sent = genSent
                let! index = Gen.choose (0, varyNames.Length - 1)
                let! other = Gen.optionOf genValue |> Gen.filter (fun v -> v <> sent.[index])
                return sent, index, other }
            Prop.forAll (arb g) (fun (sent, index, other) ->
                let changed = sent |> List.mapi (fun i v -> if i = index then other else v)
                let a = request "http" "h" "/" "" (List.zip varyNames sent)
                let b = request "http" "h" "/" "" (List.zip varyNames changed)
                pageKey a (varyOf varyNames) <> pageKey b (varyOf varyNames))

        testPropertyWithConfig config "a header absent and the same header sent empty give different keys" <| fun () ->
            Prop.forAll (arb (Gen.zip genSent (Gen.choose (0, varyNames.Length - 1)))) (fun (sent, index) ->
                let withValue value = sent |> List.mapi (fun i v -> if i = index then value else v)
                let absent = request "http" "h" "/" "" (List.zip varyNames (withValue None))
                let empty = request "http" "h" "/" "" (List.zip varyNames (withValue (Some "")))
                pageKey absent (varyOf varyNames) <> pageKey empty (varyOf varyNames))

        testPropertyWithConfig config "the same host and scheme give the same page and header keys, another host or scheme other keys" <| fun () ->
            // The relation is drawn first, a quarter of the cases each, so the "same" half runs as often as the others;
            // two independently generated hosts would almost never be equal.
            let g = gen {
                let! origin = Gen.elements [ SameOrigin; OtherHost; OtherScheme; OtherHostAndScheme ]
                let! hostA = genHost
                let! otherHost = genOtherHost hostA
                let! schemeA = genScheme
                let otherScheme = if schemeA = "http" then "https" else "http"
                let hostB, schemeB =
                    match origin with
                    | SameOrigin -> hostA, schemeA
                    | OtherHost -> otherHost, schemeA
                    | OtherScheme -> hostA, otherScheme
                    | OtherHostAndScheme -> otherHost, otherScheme
                let! path = genPath
                let! query = genQuery
                let! sent = genSent
                let! spelling = genSpelling
                return origin, (schemeA, hostA), (schemeB, hostB), path, query, sent, spelling }
            Prop.forAll (arb g) (fun (origin, (schemeA, hostA), (schemeB, hostB), path, query, sent, spelling) ->
                let a = request schemeA hostA path query (List.zip varyNames sent)
                // The same values under names spelled otherwise: only the origin may tell the two requests apart.
                let b = request schemeB hostB path query (List.zip spelling sent)
                let vary = varyOf varyNames
                let same = (origin = SameOrigin)
                let headerKey r = PageKey.headerKey (KeyScope.prefix "p") r
                ((pageKey a vary = pageKey b vary) = same && (headerKey a = headerKey b) = same)
                |> Prop.label (sprintf "%A: %s://%s and %s://%s" origin schemeA hostA schemeB hostB)
                |> Prop.classify same "same origin")

        testPropertyWithConfig config "HEAD and GET page keys differ only in the method" <| fun () ->
            Prop.forAll (arb (Gen.zip genHost genSent)) (fun (host, sent) ->
                let req = request "http" host "/" "" (List.zip varyNames sent)
                let list = PageKey.headerList false (Some(varyOf varyNames))
                let get = req |> PageKey.get (KeyScope.prefix "p") list
                let head = req |> PageKey.getFor "HEAD" (KeyScope.prefix "p") list
                get <> head && head = get.Replace(".GET.", ".HEAD."))

        testPropertyWithConfig config "different lists of fragment vary values give different fragment keys" <| fun () ->
            let values = Gen.listOf genValue |> Gen.map (List.truncate 4)
            Prop.forAll (arb (Gen.zip values values)) (fun (a, b) ->
                (FragmentKey.make "f" a = FragmentKey.make "f" b) = (a = b))

        testPropertyWithConfig config "on any header text, the keys have Django's shape over the MD5 of the ASCII absolute URI" <| fun (headers: (NonNull<string> * NonNull<string>) list, vary: string, host: NonNull<string>, path: NonNull<string>, query: NonNull<string>, prefix: NonNull<string>) ->
            let req = RequestHead.create "GET" "http" host.Get path.Get query.Get [] |> RequestHead.withHeaders [ for n, v in headers -> n.Get, v.Get ]
            let response = if isNull vary then ResponseHead.ok else ResponseHead.ok |> ResponseHead.withHeader "Vary" vary
            let scope = { Prefix = prefix.Get; Language = Some "en"; TimeZone = Some "UTC" }
            let learned = response |> PageKey.learn scope req
            let key = req |> PageKey.getFor "HEAD" scope learned.HeaderList
            let fragment = FragmentKey.make prefix.Get (headers |> List.map (fun (_, v) -> v.Get))
            let uri = PageKey.absoluteUri req
            let uriDigest = md5Hex (Encoding.ASCII.GetBytes uri)
            let digest = PageKey.headersDigest learned.HeaderList req
            // Django's key shapes: cache_page.<prefix>.<method>.<md5 of the URI>.<header digest>, cache_header.<prefix>.<md5
            // of the URI>, template.cache.<name>.<md5>, each followed by the language and time zone.
            (Prop.label "the absolute URI is ASCII" (uri |> Seq.forall (fun c -> int c < 128)))
            .&. (Prop.label "page key" (key = $"views.decorators.cache.cache_page.{prefix.Get}.HEAD.{uriDigest}.{digest}.en.UTC"))
            .&. (Prop.label "learned key" (learned.PageKey = $"views.decorators.cache.cache_page.{prefix.Get}.GET.{uriDigest}.{digest}.en.UTC"))
            .&. (Prop.label "header key" (learned.HeaderKey = $"views.decorators.cache.cache_header.{prefix.Get}.{uriDigest}.en.UTC"))
            .&. (Prop.label "fragment key" (Regex.IsMatch(fragment, "\\Atemplate\\.cache\\." + Regex.Escape prefix.Get + "\\.[0-9a-f]{32}\\z")))
    ]
