module Core.BackendUriProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.FSharp

// ---------------------------------------------------------------- helpers

type private Parsed = LanguageExt.Validation<UriProblem, BackendUri>

let private extraNames = [ "store"; "database"; "x y"; "é"; "a=b"; "p;q&r" ]

let private tryParse strict (text: string) = BackendUri.TryParse(text, extraNames, strict)

/// The parsed URI, if any.
let private parsed (v: Parsed) : FunctionalCache.BackendUri option = v |> Result.ofValidation |> Result.toOption

let private problems (v: Parsed) : string list =
    match Result.ofValidation v with
    | Ok _ -> []
    | Error ps -> ps |> List.map (fun p -> p.Message)

let private args (u: BackendUri) =
    u.Arguments |> Seq.map (fun (struct (k, v)) -> k, v) |> List.ofSeq

let private warnings (u: BackendUri) = u.Warnings |> Seq.map (fun p -> p.Message) |> List.ofSeq

/// Percent-encodes every UTF-8 byte except unreserved ASCII (so any generated text survives the query).
let private encode (s: string) = Uri.EscapeDataString s

let private config = { FsCheckConfig.defaultConfig with maxTest = 500 }

// ---------------------------------------------------------------- generators

/// Pieces that exercise every branch of the parser, glued together at random.
let private fragments =
    [ "locmem"; "memcached"; "My.Cache, Asm"; ":"; "//"; "/"; "?"; "&"; ";"; "="; "%"; "%4"; "%41"; "%zz"; "%C3%A9"; "%FF"
      "+"; ","; "#"; " "; "\t"; "\n"; "\u0000"; "\u007F"; "\u00A0"; "é"; "\u2028"; "\uD800"; "\uDC00"; "😀"
      "timeout"; "max_entries"; "cull_frequency"; "cull_percentage"; "store"; "Timeout"; "0"; "-1"; "30"; "abc"
      "99999999999"; "x" ]

let private charsFrom (alphabet: string) minLength =
    gen {
        let! n = Gen.choose (minLength, 12)
        let! cs = Gen.arrayOfLength n (Gen.elements alphabet)
        return String cs
    }

/// Schemes a .NET type name could use: dotted, nested, generic, optionally assembly-qualified.
let private scheme =
    gen {
        let! name = charsFrom "abcXYZ019._-+`" 1
        let! assembly = Gen.oneof [ Gen.constant ""; charsFrom "abcXYZ09." 1 |> Gen.map (fun a -> ", " + a) ]
        return name + assembly
    }

let private uriish =
    Gen.oneof [
        Gen.listOf (Gen.elements fragments) |> Gen.map (String.concat "")
        ArbMap.defaults |> ArbMap.generate<string> |> Gen.map (fun s -> if isNull s then "" else s)
        Gen.map2 (fun a b -> a + "://" + b) (Gen.listOf (Gen.elements fragments) |> Gen.map (String.concat ""))
                                            (Gen.listOf (Gen.elements fragments) |> Gen.map (String.concat ""))
        // a valid scheme, so that the argument branches are reached often
        Gen.map2 (fun a b -> a + "://" + b) scheme (Gen.listOf (Gen.elements fragments) |> Gen.map (String.concat "")) ]

let private anyText = Arb.fromGen uriish

/// Any location as written: everything but `?` and `#`, including `/`, `;`, `,`, `+`, blanks, unicode, a lone
/// surrogate, and well-formed escapes (`%41`, `%25`, `%C3%A9`, `%3B`).
let private location =
    gen {
        let! n = Gen.choose (0, 12)
        let! pieces = Gen.listOfLength n (Gen.elements [ "a"; "b"; "/"; ":"; ";"; ","; "."; "_"; "-"; " "; "+"; "="; "&"; "é"; "\uD800"; "\t"; "%41"; "%25"; "%C3%A9"; "%3B"; "%23"; "%3F" ])
        return String.concat "" pieces
    }

/// A value text of any shape (non-empty once encoded; empty values are skipped by the parser).
let private freeValue = charsFrom "ab +%&;=?/#é\u0001" 1

/// One accepted argument with a valid value: (name, raw value, decoded value).
let private validArgument =
    Gen.oneof [
        Gen.choose (-1000, 100000) |> Gen.map (fun n -> "timeout", string n)
        Gen.choose (1, 100000) |> Gen.map (fun n -> "max_entries", string n)
        Gen.choose (0, 100) |> Gen.map (fun n -> "cull_frequency", string n)
        Gen.map2 (fun n v -> n, v) (Gen.elements extraNames) freeValue ]

let private validUri =
    gen {
        let! s = scheme
        let! l = location
        let! pairs = Gen.listOf validArgument
        let! sep = Gen.elements [ "&"; ";" ]
        let query =
            if pairs.IsEmpty then ""
            else "?" + (pairs |> List.map (fun (n, v) -> encode n + "=" + encode v) |> String.concat sep)
        return s + "://" + l + "/" + query
    }
    |> Arb.fromGen

/// Location text of any characters but NUL (no path holds one).
let private anyLocationText =
    Gen.oneof [
        ArbMap.defaults |> ArbMap.generate<string> |> Gen.map (fun s -> if isNull s then "" else s.Replace("\000", ""))
        Gen.listOf (Gen.elements [ "a"; "/"; "%"; "%41"; "?"; "#"; "+"; " "; ";"; ","; "é"; "😀"; "\n"; "\u2028"; "\uD800" ]) |> Gen.map (String.concat "") ]

/// Only what the URI would otherwise read as syntax: `%` (an escape), `?` (the query), `#` (a fragment).
let private minimalEscape (text: string) = text.Replace("%", "%25").Replace("?", "%3F").Replace("#", "%23")

let private noLoneSurrogates (text: string) =
    String(text.ToCharArray() |> Array.mapi (fun i c ->
        if Char.IsHighSurrogate c && not (i + 1 < text.Length && Char.IsLowSurrogate text[i + 1]) then 'x'
        elif Char.IsLowSurrogate c && not (i > 0 && Char.IsHighSurrogate text[i - 1]) then 'x'
        else c))

let private segment = charsFrom "abcé %#?+;,=&-_." 1 |> Gen.map (fun s -> if s.Trim('.') = "" then "d" else s)

/// An absolute Unix path of one to three segments.
let private absolutePath = Gen.listOfLength 3 segment |> Gen.map (fun parts -> "/tmp/fcache-uri/" + String.concat "/" parts)

/// A relative path that does not begin with the host name localhost.
let private relativePath = Gen.nonEmptyListOf segment |> Gen.map (fun parts -> "rel-" + String.concat "/" (List.truncate 3 parts))

/// A logger that keeps every formatted message.
type private Recorder() =
    let messages = Collections.Concurrent.ConcurrentQueue<string>()
    member _.Messages = List.ofSeq messages
    interface Microsoft.Extensions.Logging.ILogger with
        member _.Log<'TState>(_: Microsoft.Extensions.Logging.LogLevel, _: Microsoft.Extensions.Logging.EventId, state: 'TState, error: exn, formatter: Func<'TState, exn, string>) =
            messages.Enqueue(formatter.Invoke(state, error))
        member _.IsEnabled _ = true
        member _.BeginScope<'TState>(_: 'TState) : IDisposable = null

// ---------------------------------------------------------------- laws

[<Tests>]
let tests =
    testList "BackendUri laws" [
        testPropertyWithConfig config "TryParse never throws on any string; strict success implies lenient success" <|
            Prop.forAll anyText (fun text ->
                (tryParse false text).IsSuccess || not (tryParse true text).IsSuccess)

        testProperty "TryParse never throws on null" <| fun (strict: bool) ->
            not (BackendUri.TryParse(null, strict).IsSuccess)

        testPropertyWithConfig config "generated valid URIs parse cleanly and Parse(Format x) = x" <|
            Prop.forAll validUri (fun text ->
                let x = BackendUri.Parse(text, extraNames, true)
                let y = BackendUri.Parse(x.Format(), extraNames, true)
                (y = x) |> Prop.label (sprintf "%s -> %s -> %s" text (x.Format()) (y.Format())))

        testPropertyWithConfig config "for any parsed x, Parse(Format x) = x minus its warnings" <|
            Prop.forAll anyText (fun text ->
                match parsed (tryParse false text) with
                | None -> true |> Prop.label "not parsed"
                | Some x ->
                    let y = BackendUri.Parse(x.Format(), extraNames, true)
                    (y.Scheme = x.Scheme && y.Location = x.Location && y.Arguments = x.Arguments
                     && y.Timeout = x.Timeout && y.MaxEntries = x.MaxEntries && y.CullFrequency = x.CullFrequency
                     && y.Locations = x.Locations && y.Warnings.IsEmpty && y.Format() = x.Format())
                    |> Prop.label (sprintf "%A -> %s" text (x.Format())))

        testPropertyWithConfig config "strict fails iff lenient fails or warns; strict failures = lenient errors then warnings" <|
            Prop.forAll anyText (fun text ->
                let lenient = tryParse false text
                let strict = tryParse true text
                match parsed lenient with
                | None ->
                    // strict reports the same errors first, then the argument problems lenient never reached
                    let l, st = problems lenient, problems strict
                    not strict.IsSuccess && not l.IsEmpty && st.Length >= l.Length && List.take l.Length st = l
                | Some x when x.Warnings.IsEmpty -> parsed strict = Some x
                | Some x -> not strict.IsSuccess && problems strict = warnings x)

        testPropertyWithConfig config "repeated arguments: the last one wins" <|
            Prop.forAll (Arb.fromGen (Gen.zip (Gen.elements [ "store"; "database"; "é"; "p;q&r" ]) (Gen.nonEmptyListOf freeValue))) (fun (name, values) ->
                let text = "locmem:///?" + (values |> List.map (fun v -> encode name + "=" + encode v) |> String.concat "&")
                let x = BackendUri.Parse(text, extraNames, true)
                args x = [ name, List.last values ])

        testPropertyWithConfig config "repeated timeouts: the last one wins, earlier bad ones leave no trace" <|
            Prop.forAll (Arb.fromGen (Gen.zip (Gen.listOf (Gen.elements [ "abc"; "1.5"; "-0"; "7" ])) (Gen.choose (-100, 100)))) (fun (earlier, last) ->
                let text = "locmem:///?" + String.concat ";" [ for v in earlier @ [ string last ] -> "timeout=" + v ]
                let x = BackendUri.Parse(text, true)
                x.Timeout = LanguageExt.Option<CacheTimeout>.Some(CacheTimeout.After(TimeSpan.FromSeconds(float last))))

        testPropertyWithConfig config "cull_percentage alone is the same as cull_frequency" <|
            Prop.forAll (Arb.fromGen (Gen.oneof [ Gen.choose (-5, 1000) |> Gen.map string; freeValue ])) (fun value ->
                let alias = BackendUri.TryParse("locmem:///?cull_percentage=" + encode value)
                let plain = BackendUri.TryParse("locmem:///?cull_frequency=" + encode value)
                match parsed alias, parsed plain with
                | Some a, Some p when p.Warnings.IsEmpty -> a = p
                | Some a, Some p ->
                    a.Arguments = p.Arguments && a.CullFrequency = p.CullFrequency && a.Warnings.Count = p.Warnings.Count
                | _ -> false)

        testPropertyWithConfig config "cull_frequency beats cull_percentage in either order" <|
            Prop.forAll (Arb.fromGen (Gen.zip3 (Gen.choose (0, 50)) (Gen.choose (0, 50)) (Gen.elements [ true; false ]))) (fun (f, p, aliasFirst) ->
                let pairs = [ sprintf "cull_percentage=%d" p; sprintf "cull_frequency=%d" f ]
                let text = "locmem:///?" + String.concat "&" (if aliasFirst then pairs else List.rev pairs)
                let x = BackendUri.Parse(text)
                x.CullFrequency = LanguageExt.Option<int>.Some f
                && args x = [ "cull_frequency", string f ]
                && (x.Warnings |> Seq.map (fun w -> w.Part) |> List.ofSeq) = [ "argument 'cull_percentage'" ])

        // ---- where RFC 3986 / RFC 8089 win over Django (issue 13, item 9) ----

        testPropertyWithConfig config "a location escaped only where the URI needs it (%, ?, #) decodes to itself" <|
            Prop.forAll (Arb.fromGen anyLocationText) (fun path ->
                let raw = minimalEscape path
                let x = BackendUri.Parse("x://" + raw + "/", true)
                (x.Location = path && x.RawLocation = raw && x.Format() = "x://" + raw + "/")
                |> Prop.label (sprintf "%A -> %A" raw x.Location))

        testPropertyWithConfig config "a fully percent-encoded location decodes to itself, as one memcached part" <|
            Prop.forAll (Arb.fromGen anyLocationText) (fun path ->
                let path = noLoneSurrogates path
                let x = BackendUri.Parse("memcached://" + encode path + "/", true)
                (x.Location = path && List.ofSeq x.Locations = (if path = "" then [] else [ path ]))
                |> Prop.label (sprintf "%A" path))

        testPropertyWithConfig config "a '#' after the scheme is a fragment: a failure naming it, lenient or strict" <|
            Prop.forAll (Arb.fromGen (Gen.zip (validUri.Generator) (Gen.oneof [ location; Gen.constant "" ]))) (fun (uri, fragment) ->
                [ false; true ]
                |> List.forall (fun strict ->
                    match Result.ofValidation (tryParse strict (uri + "#" + fragment)) with
                    | Ok _ -> false
                    | Error ps -> ps |> List.exists (fun p -> p.Part = "fragment" && p.Message.Contains("('#"))))

        testPropertyWithConfig config "a '%' without two hex digits in the location is a failure naming the location" <|
            Prop.forAll (Arb.fromGen (Gen.zip location (Gen.elements [ "%"; "%g"; "%4"; "%4g"; "% 1"; "%/"; "%;" ]))) (fun (before, bad) ->
                let text = "file://" + before + bad + "/"
                [ false; true ]
                |> List.forall (fun strict ->
                    match Result.ofValidation (tryParse strict text) with
                    | Ok _ -> false
                    | Error ps -> ps |> List.exists (fun p -> p.Part = "location" && p.Message.Contains "malformed percent escape")))

        testPropertyWithConfig config "built-in schemes match in any case" <|
            Prop.forAll (Arb.fromGen (Gen.zip (Gen.elements [ "locmem", "locmem:///"; "dummy", "dummy:///"; "file", "file:///tmp/fcache-case"; "memcached", "memcached://127.0.0.1:1/" ]) (Gen.listOfLength 9 (Gen.elements [ true; false ])))) (fun ((scheme, uri), upper) ->
                let variant = String(Array.init scheme.Length (fun i -> if upper[i] then Char.ToUpperInvariant scheme[i] else scheme[i]))
                let build (text: string) = FunctionalCache.Backends.Caches.FromUri(text, FunctionalCache.Backends.CacheContext.Default.WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), true)
                let plain = build uri
                let varied = build (variant + uri.Substring scheme.Length)
                let same = plain.GetType() = varied.GetType() && plain.Policy = varied.Policy
                for c in [ plain; varied ] do match c with :? IDisposable as d -> d.Dispose() | _ -> ()
                same |> Prop.label variant)

        testPropertyWithConfig config "file://localhost/p, file:///p and FILE:///p name the directory p" <|
            Prop.forAll (Arb.fromGen absolutePath) (fun path ->
                let raw = minimalEscape path
                let directory (text: string) =
                    (FunctionalCache.Backends.Caches.FromUri(text, FunctionalCache.Backends.CacheContext.Default, true) :?> FunctionalCache.Backends.File.FileBasedCache).CacheDirectory
                let expected = IO.Path.GetFullPath path
                [ "file://localhost" + raw; "file://LocalHost" + raw; "file://" + raw; "FILE://" + raw; "file://localhost" + encode path |> fun t -> t.Replace("%2F", "/") ]
                |> List.forall (fun text -> directory text = expected)
                |> Prop.label (sprintf "%A" path))

        testPropertyWithConfig config "a relative file location warns with the directory it resolves to (lenient) and fails (strict)" <|
            Prop.forAll (Arb.fromGen relativePath) (fun path ->
                let log = Recorder()
                let context = FunctionalCache.Backends.CacheContext.Default.WithLogger(log)
                let text = "file://" + minimalEscape path
                let cache = FunctionalCache.Backends.Caches.FromUri(text, context) :?> FunctionalCache.Backends.File.FileBasedCache
                let full = IO.Path.GetFullPath path
                let strict = FunctionalCache.Backends.Caches.TryFromUri(text, context, true) |> Result.ofValidation
                (cache.CacheDirectory = full
                 && log.Messages.Length = 1 && log.Messages.Head.Contains(MessageText.Quoted full)
                 && (match strict with Error [ p ] -> p.Part = "location" | _ -> false))
                |> Prop.label (sprintf "%A -> %A" path log.Messages))
    ]
