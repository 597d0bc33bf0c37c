/// Page cache keys and template fragment keys: the reference's §4.8/§4.9 examples, Django's cases (sections I, K,
/// M, S), the anchor keys, and conformance against reference/django-vectors/generate_cache_key.json,
/// learn_cache_key.json and make_template_fragment_key.json.
module Http.CacheKeyTests

open System
open System.IO
open System.Text.Json
open Expecto
open FunctionalCache.Http
open FunctionalCache.FSharp

let private md5Empty = "d41d8cd98f00b204e9800998ecf8427e"
/// md5("-,"): one listed header the request lacks.
let private md5Absent = "4792b9bac48c3f0441b0d9b0d7af8f2c"

/// `HTTP_ACCEPT_ENCODING` → `Accept-Encoding` (the request model holds header names, not WSGI names).
let private headerName (meta: string) =
    meta.Substring(5).Split('_')
    |> Array.map (fun w -> if w = "" then w else w.Substring(0, 1) + w.Substring(1).ToLowerInvariant())
    |> String.concat "-"

type private KeyVector =
    { Index: int
      Request: RequestHead
      Scope: KeyScope
      AbsoluteUri: string
      HeaderKey: string
      DebianDigest: string
      NetstringDigest: string
      Entry: JsonElement }

let private readKeyVectors file =
    let doc = JsonDocument.Parse(File.ReadAllText(vectorFile file))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          let str (name: string) = let p = e.GetProperty name in if p.ValueKind = JsonValueKind.Null then null else p.GetString()
          let settings = e.GetProperty "settings"
          let flag (name: string) = settings.GetProperty(name).GetBoolean()
          let setting (name: string) = match settings.TryGetProperty name with | true, v -> v.GetString() | _ -> null
          let language =
              if flag "USE_I18N" then Option.ofObj (match setting "request_language_code" with | null -> setting "LANGUAGE_CODE" | l -> l) else None
          let timeZone = if flag "USE_TZ" then Option.ofObj (setting "TIME_ZONE") else None
          let headers = [ for p in e.GetProperty("meta").EnumerateObject() -> headerName p.Name, p.Value.GetString() ]
          // No Host header: Django falls back to SERVER_NAME, "testserver" in its test client.
          let host = match str "host" with | null -> "testserver" | h -> h
          let variants = e.GetProperty "headers_md5_variants"
          { Index = i
            Request = RequestHead.create (str "method") (str "scheme") host (str "path") (str "query") headers
            Scope = { Prefix = str "key_prefix"; Language = language; TimeZone = timeZone }
            AbsoluteUri = str "absolute_uri"
            HeaderKey = str "header_key"
            DebianDigest = variants.GetProperty("debian_3_2_25_deb12u7").GetString()
            NetstringDigest = variants.GetProperty("netstring_inferred").GetString()
            Entry = e } ]

let private framing =
    "value framing: a present listed header is hashed as a netstring, compared with the vectors' netstring_inferred digest"

let private fragmentFraming = "fragment framing: vary values as netstrings, compared with the vectors' netstring_variant_6_1"

/// Django's key with its header digest replaced by ours (the only part our framing changes).
let private ourKey (v: KeyVector) (djangoKey: string) = djangoKey.Replace("." + v.DebianDigest, "." + v.NetstringDigest)

let private reasonOf (v: KeyVector) = if v.DebianDigest = v.NetstringDigest then None else Some framing

let private describeKey (v: KeyVector) =
    let r = v.Request
    let i18n =
        [ v.Scope.Language |> Option.map (sprintf " lang %s"); v.Scope.TimeZone |> Option.map (sprintf " tz %s") ]
        |> List.choose id |> String.concat ""
    $"#{v.Index} {r.Method} {r.Scheme}://{r.Host}{r.Path}?{r.QueryString} prefix '{v.Scope.Prefix}'{i18n}"
    + (match reasonOf v with Some _ -> " (deliberate: value framing)" | None -> "")

let private strings (e: JsonElement) = [ for x in e.EnumerateArray() -> x.GetString() ]

let private generateVectors = readKeyVectors "generate_cache_key.json"
let private learnVectors = readKeyVectors "learn_cache_key.json"

/// Every entry is compared (there is no skip): the counts pin how many match Django's key exactly and how many under
/// our framing, so a change in the vectors or in the digest shows up here.
let private countsTest (name: string) (reasons: string option list) exact deliberate =
    testCase $"{name}: every entry is compared, {exact} exactly and {deliberate} under {framing}" <| fun () ->
        Expect.equal (reasons |> List.filter Option.isNone |> List.length) exact "exact"
        Expect.equal (reasons |> List.filter ((=) (Some framing)) |> List.length) deliberate "value framing"
        Expect.equal reasons.Length (exact + deliberate) "entries in the file"

let private generateConformance =
    testList "generate_cache_key.json" [
        for v in generateVectors do
          yield testCase (describeKey v) <| fun () ->
                let e = v.Entry
                let headerList = strings (e.GetProperty "headerlist")
                Expect.equal (PageKey.absoluteUri v.Request) v.AbsoluteUri "absolute URI"
                Expect.equal (PageKey.headerKey v.Scope v.Request) v.HeaderKey "header key (Django's, exactly)"
                Expect.equal (PageKey.headersDigest headerList v.Request) v.NetstringDigest "header digest = netstring_inferred"
                let key = v.Request |> PageKey.getFor (e.GetProperty("method_for_key").GetString()) v.Scope headerList
                Expect.equal key (ourKey v (e.GetProperty("cache_key").GetString())) "page key"
        yield countsTest "generate_cache_key.json counts" (generateVectors |> List.map reasonOf) 88 44
    ]

let private learnConformance =
    testList "learn_cache_key.json" [
        for v in learnVectors do
          yield testCase (describeKey v) <| fun () ->
                let e = v.Entry
                let response =
                    match e.GetProperty "vary" with
                    | x when x.ValueKind = JsonValueKind.Null -> ResponseHead.ok
                    | x -> ResponseHead.ofList 200 [ "Vary", x.GetString() ]
                let learned = response |> PageKey.learn v.Scope v.Request
                Expect.equal learned.HeaderKey v.HeaderKey "header key"
                Expect.equal learned.HeaderList (strings (e.GetProperty "stored_headerlist")) "stored header list"
                Expect.equal learned.PageKey (ourKey v (e.GetProperty("returned_key").GetString())) "returned page key"
                if v.Request.Method = "GET" then
                    Expect.equal (v.Request |> PageKey.get v.Scope learned.HeaderList) learned.PageKey "PageKey.get is the GET key"
                for method, column in [ "GET", "get_cache_key_GET"; "HEAD", "get_cache_key_HEAD" ] do
                    let key = v.Request |> PageKey.getFor method v.Scope learned.HeaderList
                    Expect.equal key (ourKey v (e.GetProperty(column).GetString())) column
        yield countsTest "learn_cache_key.json counts" (learnVectors |> List.map reasonOf) 49 26
    ]

type private FragmentVector = { Index: int; Name: string; Values: string list; Django: string; Netstring: string }

let private fragmentVectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "make_template_fragment_key.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          let values =
              match e.GetProperty "vary_on" with
              | x when x.ValueKind = JsonValueKind.Null -> []
              | x -> [ for item in x.EnumerateArray() -> item.GetProperty("str").GetString() ]
          { Index = i
            Name = e.GetProperty("fragment_name").GetString()
            Values = values
            Django = e.GetProperty("result").GetString()
            Netstring = e.GetProperty("netstring_variant_6_1").GetString() } ]

let private fragmentConformance =
    let reasons = fragmentVectors |> List.map (fun v -> if v.Django = v.Netstring then None else Some fragmentFraming)
    testList "make_template_fragment_key.json" [
        for v in fragmentVectors do
            let suffix = if v.Django = v.Netstring then "" else " (deliberate: fragment framing)"
            yield testCase $"#{v.Index} '{v.Name}' with {v.Values.Length} values{suffix}" <| fun () ->
                Expect.equal (FragmentKey.make v.Name v.Values) v.Netstring "netstring_variant_6_1"
        yield testCase $"every entry is compared: 24 exactly (no values), 96 under {fragmentFraming}" <| fun () ->
            Expect.equal (reasons |> List.filter Option.isNone |> List.length) 24 "exact"
            Expect.equal (reasons |> List.filter ((=) (Some fragmentFraming)) |> List.length) 96 "fragment framing"
            Expect.equal reasons.Length 120 "entries in the file"
    ]

let private get host path query = RequestHead.create "GET" "http" host path query []

let private pageKey (request: RequestHead) (vary: string) prefix =
    let response = if isNull vary then ResponseHead.ok else ResponseHead.ofList 200 [ "Vary", vary ]
    let learned = response |> PageKey.learn (KeyScope.prefix prefix) request
    request |> PageKey.get (KeyScope.prefix prefix) learned.HeaderList

[<Tests>]
let tests =
    testList "Http.CacheKeyTests" [
        testCase "Django's test_get_cache_key: the anchor key 18a03f9c… (section I)" <| fun () ->
            let request = get "www.example.com" "/cache/test/" ""
            Expect.equal (pageKey request null "settingsprefix")
                $"views.decorators.cache.cache_page.settingsprefix.GET.18a03f9c9649f7d684af5db3524f5c99.{md5Empty}" "settingsprefix"
            Expect.equal (pageKey request null "localprefix")
                $"views.decorators.cache.cache_page.localprefix.GET.18a03f9c9649f7d684af5db3524f5c99.{md5Empty}" "localprefix"

        testCase "Django's test_get_cache_key_with_query: beaf87a9… (section I)" <| fun () ->
            Expect.equal (pageKey (get "www.example.com" "/cache/test/" "test=1") null "settingsprefix")
                $"views.decorators.cache.cache_page.settingsprefix.GET.beaf87a9a99ee81c673ea2d67ccbec2a.{md5Empty}" "with ?test=1"

        testCase "Django's TestWithTemplateResponse keys on host testserver: 58a0a05c… and 0f1c2d56… (section L)" <| fun () ->
            Expect.equal (pageKey (get "testserver" "/cache/test/" "") null "settingsprefix")
                $"views.decorators.cache.cache_page.settingsprefix.GET.58a0a05c8a5620f813686ff969c26853.{md5Empty}" "no query"
            Expect.equal (pageKey (get "testserver" "/cache/test/" "test=1") null "settingsprefix")
                $"views.decorators.cache.cache_page.settingsprefix.GET.0f1c2d56633c943073c4569d9a9502fe.{md5Empty}" "?test=1"

        testCase "the header key is cache_header.<prefix>.<md5(uri)>" <| fun () ->
            Expect.equal (PageKey.headerKey (KeyScope.prefix "settingsprefix") (get "www.example.com" "/cache/test/" ""))
                "views.decorators.cache.cache_header.settingsprefix.18a03f9c9649f7d684af5db3524f5c99" "header key"

        testCase "Django's test_cache_key_varies_by_url: different hosts give different keys (section I)" <| fun () ->
            Expect.notEqual (pageKey (get "sub-1.example.com" "/cache/test/" "") null "")
                            (pageKey (get "sub-2.example.com" "/cache/test/" "") null "") "hosts"

        testCase "Django's test_learn_cache_key: a HEAD learns Vary: Pony, and GET is looked up (section I, 2026 digest)" <| fun () ->
            let request = get "www.example.com" "/cache/test/" "" |> RequestHead.withMethod "HEAD"
            let learned = ResponseHead.ofList 200 [ "Vary", "Pony" ] |> PageKey.learn (KeyScope.prefix "settingsprefix") request
            Expect.equal learned.HeaderList [ "HTTP_PONY" ] "learned list"
            Expect.equal learned.PageKey $"views.decorators.cache.cache_page.settingsprefix.HEAD.18a03f9c9649f7d684af5db3524f5c99.{md5Absent}" "HEAD key"
            // Django ≤ 6.0.9 expects d41d8cd9… here; with the absent marker (CVE-2026-113593) it is md5("-,").
            Expect.equal (request |> PageKey.get (KeyScope.prefix "settingsprefix") learned.HeaderList)
                $"views.decorators.cache.cache_page.settingsprefix.GET.18a03f9c9649f7d684af5db3524f5c99.{md5Absent}" "GET key"

        testCase "the host is hashed as sent: case and port matter (§4.8)" <| fun () ->
            let uri host = PageKey.absoluteUri (get host "/" "")
            Expect.equal (uri "WWW.Example.COM") "http://WWW.Example.COM/" "case kept"
            Expect.notEqual (pageKey (get "WWW.Example.COM" "/" "") null "") (pageKey (get "www.example.com" "/" "") null "") "case"
            Expect.notEqual (pageKey (get "example.com:8080" "/" "") null "") (pageKey (get "example.com" "/" "") null "") "port"

        testCase "schemes give different keys" <| fun () ->
            Expect.notEqual (pageKey (RequestHead.ofUrl "GET" "https://h/") null "") (pageKey (RequestHead.ofUrl "GET" "http://h/") null "") "scheme"

        testCase "the path is re-escaped with Django's escape_uri_path (§4.8)" <| fun () ->
            Expect.equal (PageKey.absoluteUri (get "h" "/100%/a;b=c/x y/café/~u/+$,!*'()@:" "")) "http://h/100%25/a%3Bb%3Dc/x%20y/caf%C3%A9/~u/+$,!*'()@:" "escaped"
            Expect.equal (AbsoluteUri.EscapePath "/😀") "/%F0%9F%98%80" "astral characters as 4 UTF-8 bytes"

        testCase "the raw query keeps %XX, &, =, ; and escapes only what a URI cannot hold (§4.8)" <| fun () ->
            Expect.equal (PageKey.absoluteUri (get "h" "/" "x=a%20b&c=d;e=f")) "http://h/?x=a%20b&c=d;e=f" "kept"
            Expect.equal (PageKey.absoluteUri (get "h" "/" "raw=a b&q=café")) "http://h/?raw=a%20b&q=caf%C3%A9" "escaped"
            Expect.equal (PageKey.absoluteUri (get "h" "/" "")) "http://h/" "no '?' for an empty query"

        testCase "/./ and /../ are resolved; a leading // keeps both slashes (§4.8)" <| fun () ->
            Expect.equal (PageKey.absoluteUri (get "h" "/a/../b/" "")) "http://h/b/" ".."
            Expect.equal (PageKey.absoluteUri (get "h" "/a/./b/" "q=1")) "http://h/a/b/?q=1" "."
            Expect.equal (PageKey.absoluteUri (get "h" "/../../x" "")) "http://h/x" ".. above the root"
            Expect.equal (PageKey.absoluteUri (get "h" "//double/slash" "")) "http://h//double/slash" "//"
            Expect.equal (PageKey.absoluteUri (get "h" "/a/.." "")) "http://h/a/.." "no resolution without /./ or /../, as in Django"

        testCase "a Vary-listed header absent vs sent empty gives different keys (CVE-2026-113593, section S)" <| fun () ->
            let request = get "h" "/" ""
            Expect.notEqual (pageKey request "Cookie" "") (pageKey (request |> RequestHead.withHeader "Cookie" "") "Cookie" "") "absent vs empty"
            Expect.notEqual (pageKey request "Cookie" "") (pageKey (request |> RequestHead.withHeader "Cookie" "-,") "Cookie" "") "absent vs a value that is the marker"

        testCase "values are framed: 'ab'+'c' and 'a'+'bc', 'xy'+'' and 'x'+'y' give different keys (PR #21516, section S)" <| fun () ->
            let request (a: string) (b: string) = get "h" "/" "" |> RequestHead.withHeaders [ "A", a; "B", b ]
            Expect.notEqual (pageKey (request "ab" "c") "A, B" "") (pageKey (request "a" "bc") "A, B" "") "ab+c"
            Expect.notEqual (pageKey (request "xy" "") "A, B" "") (pageKey (request "x" "y") "A, B" "") "xy+empty"
            Expect.equal (PageKey.headersDigest [ "HTTP_A" ] (request "" "")) "3b59035bd3b34e30981dc990dd93acbb" "md5(\"0:,\")"

        testCase "request header names match the learned list in any case" <| fun () ->
            let a = get "h" "/" "" |> RequestHead.withHeader "accept-encoding" "gzip"
            let b = get "h" "/" "" |> RequestHead.withHeader "ACCEPT-ENCODING" "gzip"
            Expect.equal (pageKey a "Accept-Encoding" "") (pageKey b "accept-encoding" "") "same key"

        testCase "the learned list is upper-cased, WSGI-named, sorted, with duplicates and blanks kept (§4.8)" <| fun () ->
            Expect.equal (PageKey.headerList false (Some "cookie, Accept-Encoding, X-Foo,Accept-Encoding"))
                [ "HTTP_ACCEPT_ENCODING"; "HTTP_ACCEPT_ENCODING"; "HTTP_COOKIE"; "HTTP_X_FOO" ] "sorted"
            Expect.equal (PageKey.headerList false (Some " Cookie")) [ "HTTP_ COOKIE" ] "blank kept, as Django"
            Expect.isEmpty (PageKey.headerList true None) "no Vary"

        testCase "Vary: * is learned as HTTP_*, which no request sends: it only adds the absent marker" <| fun () ->
            let learned = ResponseHead.ofList 200 [ "Vary", "*" ] |> PageKey.learn KeyScope.none (get "h" "/" "")
            Expect.equal learned.HeaderList [ "HTTP_*" ] "list"
            Expect.stringEnds learned.PageKey ("." + md5Absent) "digest of one absent header"

        testCase "Django's test_cache_key_i18n_translation: the language suffix, equal to get_cache_key (section K)" <| fun () ->
            let request = get "www.example.com" "/cache/test/" ""
            let english = { KeyScope.none with Language = Some "en" }
            let learned = ResponseHead.ok |> PageKey.learn english request
            Expect.stringEnds learned.PageKey $".{md5Empty}.en" "page key"
            Expect.stringEnds learned.HeaderKey "18a03f9c9649f7d684af5db3524f5c99.en" "header key"
            Expect.equal (request |> PageKey.get english learned.HeaderList) learned.PageKey "get_cache_key"

        testCase "Django's test_cache_key_i18n_translation_accept_language: Accept-Language never changes the key (section K)" <| fun () ->
            let keys =
                [ for lang in [ "en-us"; "en-US"; "en-US,en;q=0.8"; "en-US,en;q=0.8,ko;q=0.6"; "ko-kr,ko;q=0.8,en-us;q=0.5,en;q=0.3 "
                                "ko-KR,ko;q=0.8,en-US;q=0.6,en;q=0.4"; "ko;q=1.0,en;q=0.5"; "ko, en"; "ko-KR, en-US" ] do
                      for vary in [ "accept-encoding"; "cookie, accept-language, accept-encoding"; "accept-encoding, cookie, accept-language"
                                    "accept-language, accept-encoding, cookie" ] do
                          let request =
                              get "www.example.com" "/cache/test/" ""
                              |> RequestHead.withHeaders [ "Accept-Encoding", "gzip;q=1.0, identity; q=0.5, *;q=0"; "Accept-Language", lang ]
                          let learned = ResponseHead.ofList 200 [ "Vary", vary ] |> PageKey.learn { KeyScope.none with Language = Some "en" } request
                          if vary = "accept-encoding" then yield learned.PageKey
                          else
                              // No Cookie header is sent, and Accept-Language is dropped: the list differs only by HTTP_COOKIE.
                              Expect.equal learned.HeaderList [ "HTTP_ACCEPT_ENCODING"; "HTTP_COOKIE" ] "list" ]
            Expect.equal (List.distinct keys).Length 1 "one key for every Accept-Language"
            Expect.equal (PageKey.headerList false (Some "Accept-Language")) [ "HTTP_ACCEPT_LANGUAGE" ] "kept without i18n"

        testCase "Django's test_cache_key_i18n_timezone and no_i18n (section K)" <| fun () ->
            let request = get "www.example.com" "/cache/test/" ""
            let tz = ResponseHead.ok |> PageKey.learn { KeyScope.none with TimeZone = Some "America/Chicago" } request
            Expect.stringEnds tz.PageKey $".{md5Empty}.America/Chicago" "tz"
            let both = ResponseHead.ok |> PageKey.learn { KeyScope.none with Language = Some "de"; TimeZone = Some "UTC" } request
            Expect.stringEnds both.HeaderKey ".de.UTC" "language then time zone"
            let plain = ResponseHead.ok |> PageKey.learn KeyScope.none request
            Expect.stringEnds plain.PageKey ("." + md5Empty) "no suffix"

        testList "Django's TestMakeTemplateFragmentKey under netstring framing (section M)" [
            for i, (name, values, digest) in List.indexed
                [ "a.fragment", [], md5Empty
                  "foo", [ "abc" ], "a6360ec2c58ecc4b23fd5bd00216fccd"
                  "bar", [ "abc"; "def" ], "250310c146db454966b64f5fc265a540"
                  "spam", [ "abc:def%" ], "bf6c24ef2576004284e0522c15314d8c"
                  "foo", [ "1"; "2"; "3"; "4"; "5" ], "087c006c1b99e0d147f624b4921f8a13"
                  "foo", [ "42º"; "😀" ], "ab66482052ab2084b9d25bdd04bc9b10"
                  "foo", [ String('x', 10000) ], "abff8a6702abde497feae7f61de2ef1e" ] ->
                testCase $"case {i + 1}: {name} with {values.Length} values" <| fun () ->
                    Expect.equal (FragmentKey.make name values) $"template.cache.{name}.{digest}" "key" ]

        testCase "fragment keys: ['a:b'] and ['a', 'b'] differ (DESIGN.md deliberate difference)" <| fun () ->
            Expect.equal (FragmentKey.make "x" [ "a:b" ]) "template.cache.x.dc16319ae166c8df116bd88f10ca9d6e" "one value"
            Expect.equal (FragmentKey.make "x" [ "a"; "b" ]) "template.cache.x.85e2d709642419eb2d254542ec75556a" "two values"

        testCase "null arguments are caller mistakes" <| fun () ->
            Expect.throwsT<ArgumentNullException> (fun () -> FragmentKey.make "x" [ null ] |> ignore) "null value"
            Expect.throwsT<ArgumentNullException> (fun () -> PageKey.headerKey (KeyScope.prefix null) (get "h" "/" "") |> ignore) "null prefix"

        generateConformance
        learnConformance
        fragmentConformance
    ]
