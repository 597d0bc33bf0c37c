/// Key making and key rules: Django's make_key/validate_key examples and the recorded vectors
/// (reference/django-vectors/make_key_validate_key.json).
module Core.KeysTests

open System
open System.IO
open System.Text.Json
open Expecto
open FunctionalCache
open FunctionalCache.FSharp

type private KeyVector =
    { Index: int
      Key: string
      Prefix: string
      Version: int option
      MadeKey: string
      LengthInCodePoints: int
      Warnings: string list }

let private vectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "make_key_validate_key.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          { Index = i
            Key = e.GetProperty("key").GetString()
            Prefix = e.GetProperty("key_prefix").GetString()
            Version =
                match e.GetProperty("version") with
                | v when v.ValueKind = JsonValueKind.Null -> None
                // Django renders the version "1" (a string) like 1; our versions are ints.
                | v when v.ValueKind = JsonValueKind.String -> Some(Int32.Parse(v.GetString()))
                | v -> Some(v.GetInt32())
            MadeKey = e.GetProperty("made_key").GetString()
            LengthInCodePoints = e.GetProperty("made_key_len_chars").GetInt32()
            Warnings = [ for w in e.GetProperty("warnings").EnumerateArray() -> w.GetString() ] } ]

/// The vector file's name for each of our warning texts.
let private kind (warning: string) =
    if warning.StartsWith "Cache key will cause errors if used with memcached: '" && warning.EndsWith "' (longer than 250)" then "too_long"
    elif warning.StartsWith "Cache key contains characters that will cause errors if used with memcached: '" then "bad_chars"
    else failtestf "unexpected warning text %s" warning

let private astralCount (text: string) = text |> Seq.filter Char.IsHighSurrogate |> Seq.length

let private describe (v: KeyVector) =
    let key = if v.Key.Length > 12 then $"{v.Key.Substring(0, 8)}… ({v.Key.Length} chars)" else v.Key
    let escaped = key |> String.collect (fun c -> if Char.IsControl c then $"\\u{int c:X4}" else string c)
    let version = v.Version |> Option.map string |> Option.defaultValue "default"
    $"#{v.Index} key '{escaped}', prefix '{v.Prefix}', version {version}"

let private policyFor (v: KeyVector) = Policy.defaults |> Policy.prefix v.Prefix

let private madeKey (v: KeyVector) =
    match v.Version with
    | Some version -> policyFor v |> Policy.version version |> Policy.makeKey v.Key
    | None -> policyFor v |> Policy.makeKey v.Key

let private conformance =
    testList "make_key_validate_key.json" [
        testList "made key and warnings" [
            for v in vectors ->
                testCase (describe v) <| fun () ->
                    let made = madeKey v
                    Expect.equal made v.MadeKey "made key"
                    let warnings = KeyRules.Validate made |> List.ofSeq
                    Expect.equal (warnings |> List.map kind) v.Warnings "warnings, in Django's order"
                    let valid = KeyRules.IsValid(v.Prefix, defaultArg v.Version 1, v.Key)
                    Expect.equal valid v.Warnings.IsEmpty "the allocation-free check agrees" ]
        // Our length counts UTF-16 code units, Django's code points: entries with astral characters
        // (the emoji ones) are left out here and checked against the difference below.
        testList "made key length in characters (entries without astral characters)" [
            for v in vectors do
                if astralCount v.MadeKey = 0 then
                    yield testCase (describe v) <| fun () -> Expect.equal (madeKey v).Length v.LengthInCodePoints "length" ]
        testList "made key length with astral characters: one more UTF-16 unit per character than Django's count" [
            for v in vectors do
                if astralCount v.MadeKey > 0 then
                    yield testCase (describe v) <| fun () ->
                        Expect.equal (madeKey v).Length (v.LengthInCodePoints + astralCount v.MadeKey) "UTF-16 length" ]
    ]

[<Tests>]
let tests =
    testList "KeysTests" [
        testCase "the default made key is prefix:version:key" <| fun () ->
            Expect.equal (Policy.defaults |> Policy.makeKey "key") ":1:key" "defaults"
            Expect.equal (Policy.defaults |> Policy.prefix "site1" |> Policy.version 2 |> Policy.makeKey "key") "site1:2:key" "prefix and version"
            Expect.equal ((Policy.defaults |> Policy.prefix "site1").MakeKey("key", 3)) "site1:3:key" "an explicit version wins"
            Expect.equal (Policy.defaults.MakeKey(CacheKey("key", 7))) ":7:key" "from a CacheKey"
            Expect.equal (CacheKeys.DefaultKeyFunction.Invoke("key", "p", -1)) "p:-1:key" "negative versions"

        testCase "a custom key function replaces the formatting completely" <| fun () ->
            let policy = Policy.defaults |> Policy.prefix "cacheprefix" |> Policy.keyFunction (fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}")
            Expect.equal (policy |> Policy.makeKey "answer1") "CUSTOM-cacheprefix-1-answer1" "custom"
            Expect.isFalse (CacheKeys.IsDefault policy.KeyFunction) "not the default"
            Expect.isTrue (CacheKeys.IsDefault Policy.defaults.KeyFunction) "the default"

        testCase "a key of exactly 250 characters is fine, 251 is too long" <| fun () ->
            Expect.isEmpty (KeyRules.Validate(String('a', 250))) "250"
            let long = String('a', 251)
            Expect.equal (KeyRules.Validate long |> List.ofSeq) [ $"Cache key will cause errors if used with memcached: '{long}' (longer than 250)" ] "251"

        testCase "length is counted in characters, not UTF-8 bytes: 215 × é passes" <| fun () ->
            let key = Policy.defaults |> Policy.makeKey (String('é', 215))
            Expect.isEmpty (KeyRules.Validate key) "218 characters, 433 bytes"
            Expect.isTrue (KeyRules.IsValid("", 1, String('é', 215))) "fast check"

        testCase "a 248-character user key is too long once ':1:' is added" <| fun () ->
            Expect.isFalse (KeyRules.IsValid("", 1, String('a', 248))) "251 made"
            Expect.isTrue (KeyRules.IsValid("", 1, String('a', 247))) "250 made"

        testCase "control characters, space and DEL are unsafe; other characters are not" <| fun () ->
            for c in [ 0 .. 32 ] @ [ 127 ] do
                Expect.isTrue (KeyRules.HasUnsafeCharacter(String(char c, 1))) $"U+{c:X4}"
            for c in [ 33; 126; 128; 160; 0x6E05; 0x2028 ] do
                Expect.isFalse (KeyRules.HasUnsafeCharacter(String(char c, 1))) $"U+{c:X4}"

        testCase "a key can break both rules: the length warning comes first" <| fun () ->
            let key = String('a', 250) + " "
            Expect.equal
                (KeyRules.Validate key |> List.ofSeq)
                [ $"Cache key will cause errors if used with memcached: '{key}' (longer than 250)"
                  $"Cache key contains characters that will cause errors if used with memcached: '{key}'" ]
                "both, Django's order"

        testCase "the allocation-free check agrees with validating the made key around the limit" <| fun () ->
            for version in [ Int32.MinValue; -100; -10; -9; -1; 0; 1; 9; 10; 99; 100; 12345; Int32.MaxValue ] do
                for prefix in [ ""; "site1"; "p p" ] do
                    for length in 230..250 do
                        let key = String('k', length)
                        let made = Policy.defaults |> Policy.prefix prefix |> Policy.version version |> Policy.makeKey key
                        Expect.equal (KeyRules.IsValid(prefix, version, key)) (KeyRules.Validate made).IsEmpty $"version {version}, prefix '{prefix}', length {length}"

        testCase "astral characters count as two here (UTF-16), one in Django: 124 emoji after ':1:' warn here only" <| fun () ->
            let key = String.replicate 124 "😀"
            let made = Policy.defaults |> Policy.makeKey key
            Expect.equal made.Length 251 "UTF-16 units; Django counts 127 code points and does not warn"
            Expect.equal (KeyRules.Validate made |> List.ofSeq |> List.map kind) [ "too_long" ] "we warn"

        testCase "a key with ESC, BEL, CR, LF, NEL or U+2028 is quoted with visible escapes, one line per warning" <| fun () ->
            let key = "\u001B[2J\u0007evil\r\nINFO forged\u0085\u2028\u202Eend\u007F"
            let shown = @"'\x1B[2J\x07evil\r\nINFO forged\x85\u2028\u202Eend\x7F'"
            Expect.equal (KeyRules.Validate key |> List.ofSeq)
                [ $"Cache key contains characters that will cause errors if used with memcached: {shown}" ] "the warning"
            let long = String('a', 250) + "\n"
            Expect.equal (KeyRules.Validate long |> List.ofSeq |> List.map kind) [ "too_long"; "bad_chars" ] "both rules"
            Expect.stringEnds (KeyRules.Validate long).Head @"a\n' (longer than 250)" "the long one too"

        testCase "a warning backend logs the escaped key" <| fun () ->
            let _, log, context = FunctionalCache.Laws.ContractFixture.testContext ()
            let cache = FunctionalCache.Backends.LocMem.LocMemCache(Policy.defaults, context) :> ICache
            cache.SetAsync("a\r\nb", 1).GetAwaiter().GetResult()
            Expect.equal log.Messages [ @"Cache key contains characters that will cause errors if used with memcached: ':1:a\r\nb'" ] "logged once, on one line"

        testCase "CacheError texts quote the key with visible escapes" <| fun () ->
            let key = "k\u001B]0;pwned\u0007"
            Expect.equal (CacheError.KeyNotFound key).Message @"Key 'k\x1B]0;pwned\x07' not found" "KeyNotFound"
            Expect.equal (CacheError.NotAnInteger key).Message @"Value of key 'k\x1B]0;pwned\x07' is not an integer" "NotAnInteger"
            Expect.equal (CacheError.Overflow key).Message @"Incrementing key 'k\x1B]0;pwned\x07' overflows its integer type" "Overflow"
            Expect.equal (CacheError.BackendFailure(key, CacheBackendException "first\nsecond")).Message
                @"Backend failed on key 'k\x1B]0;pwned\x07': first\nsecond" "BackendFailure, the cause on the same line"
            Expect.equal (CacheError.KeyNotFound "plain").Message "Key 'plain' not found" "a plain key: Django's text"

        conformance
    ]
