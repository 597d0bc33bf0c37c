module Core.BackendUriTests

open System
open System.IO
open System.Text.Json
open Expecto
open FunctionalCache
open FunctionalCache.FSharp

// ---------------------------------------------------------------- helpers

type private Parsed = LanguageExt.Validation<UriProblem, BackendUri>

let private success (v: Parsed) : FunctionalCache.BackendUri =
    match Result.ofValidation v with
    | Ok u -> u
    | Error ps -> failtestf "expected a parsed URI, got problems %A" (ps |> List.map string)

let private failures (v: Parsed) : string list =
    match Result.ofValidation v with
    | Ok u -> failtestf "expected problems, got %s" (u.Format())
    | Error ps -> ps |> List.map (fun p -> p.Message)

let private parse (text: string) = BackendUri.TryParse(text) |> success

let private parseWith (accepted: string list) (text: string) =
    BackendUri.TryParse(text, accepted) |> success

let private args (u: BackendUri) =
    u.Arguments |> Seq.map (fun (struct (k, v)) -> k, v) |> List.ofSeq |> List.sort

/// The message of the FormatException `f` throws.
let private formatError (f: unit -> BackendUri) =
    try
        f () |> ignore
        failtest "expected a FormatException"
    with :? FormatException as ex -> ex.Message

let private warnings (u: BackendUri) = u.Warnings |> Seq.map (fun p -> p.Message) |> List.ofSeq

let private warningParts (u: BackendUri) = u.Warnings |> Seq.map (fun p -> p.Part) |> List.ofSeq


/// The timeout in whole seconds, if given.
let private timeoutSeconds (u: BackendUri) =
    match BackendUri.timeout u with
    | None -> None
    | Some PolicyDefault -> failtest "a URI timeout is never Default"
    | Some NeverExpire -> failtest "a URI timeout is never Never"
    | Some(ExpireAfter s) -> Some(int s.TotalSeconds)

// Our defaults when an argument is absent (CachePolicy's, as DESIGN.md fixes them).
let private effectiveTimeout u = timeoutSeconds u |> Option.defaultValue 300
let private effectiveMaxEntries (u: BackendUri) = BackendUri.maxEntries u |> Option.defaultValue 300
let private effectiveCullFrequency (u: BackendUri) = BackendUri.cullFrequency u |> Option.defaultValue 3

let private known = [ "timeout"; "max_entries"; "cull_frequency"; "cull_percentage" ]
let private acceptedList = "timeout, max_entries, cull_frequency, cull_percentage"

/// The Django vectors file: walk up from the test binaries to a folder holding
/// `shared/reference/django-vectors` (the dev tree: /work/shared beside /work/main) or whose
/// sibling `../shared` holds it (CI: a fresh clone with `shared/` beside it).
let private vectorsPath =
    let rel = Path.Combine("reference", "django-vectors", "cache_backend_uri_1_1_ported.json")
    let rec up (dir: DirectoryInfo) =
        if isNull dir then
            failwith "shared/reference/django-vectors not found above the test binaries; ../shared must sit beside the repository"
        else
            let inside = Path.Combine(dir.FullName, "shared", rel)
            let sibling = if isNull dir.Parent then "" else Path.Combine(dir.Parent.FullName, "shared", rel)
            if File.Exists inside then inside
            elif sibling <> "" && File.Exists sibling then sibling
            else up dir.Parent
    lazy (up (DirectoryInfo AppContext.BaseDirectory))

// ---------------------------------------------------------------- §1.1 table

/// Every row of the table in django-cache-semantics.md §1.1: uri, scheme, host, params.
let private semanticsTable =
    [ "locmem:///?timeout=30&max_entries=400", "locmem", "", [ "max_entries", "400"; "timeout", "30" ]
      "locmem://", "locmem", "", []
      "file:///var/tmp/django_cache/", "file", "/var/tmp/django_cache", []
      "file:///tmp//", "file", "/tmp/", []
      "file://c:/foo/bar", "file", "c:/foo/bar", []
      "db://my_cache_table", "db", "my_cache_table", []
      "memcached://172.19.26.240:11211;172.19.26.242:11212/", "memcached", "172.19.26.240:11211;172.19.26.242:11212", []
      "memcached://host:11211?timeout=5", "memcached", "host:11211", [ "timeout", "5" ]
      "locmem:///?timeout=30;max_entries=5", "locmem", "", [ "max_entries", "5"; "timeout", "30" ]
      "locmem:///?timeout=1&timeout=2", "locmem", "", [ "timeout", "2" ]
      "locmem:///?timeout=", "locmem", "", []
      "locmem:///?timeout", "locmem", "", []
      "db://table?x=1?y=2", "db", "table", [ "x", "1?y=2" ]
      "file:///tmp/a?b/?timeout=9", "file", "/tmp/a", [ "b/?timeout", "9" ] ]

let private tableTests =
    testList "semantics §1.1 table" [
        for (uri, scheme, host, ps) in semanticsTable do
            yield testCase uri <| fun () ->
                // backend-specific names (x, b/?timeout) are declared as accepted, as a backend would
                let u = parseWith [ "x"; "b/?timeout" ] uri
                Expect.equal u.Scheme scheme "scheme"
                Expect.equal u.Location host "location (Django's host)"
                Expect.equal (args u) ps "arguments"
                Expect.isEmpty (warnings u) "no warnings"
        // `timeout=3+0`: Django keeps the raw "3 0", then int() fails → default. We leave the bad value out.
        yield testCase "locmem:///?timeout=3+0 (value \"3 0\" is not an int: left out with a warning)" <| fun () ->
            let u = parse "locmem:///?timeout=3+0"
            Expect.equal u.Location "" "location"
            Expect.equal (args u) [] "arguments"
            Expect.equal (warnings u)
                [ "Argument 'timeout' must be a whole number of seconds (-2147483648 to 2147483647), not '3 0'." ] "warning"
            Expect.equal (effectiveTimeout u) 300 "default timeout applies"
    ]

// ---------------------------------------------------------------- conformance

let private conformanceTests =
    let entries =
        use doc = JsonDocument.Parse(File.ReadAllText vectorsPath.Value)
        [ for e in doc.RootElement.EnumerateArray() -> e.Clone() ]
    testList "conformance cache_backend_uri_1_1_ported.json" [
        yield testCase "the vectors file holds the entries this list checks" <| fun () ->
            Expect.isGreaterThanOrEqual entries.Length 20 "entries"
        for e in entries do
            let uri = e.GetProperty("uri").GetString()
            match e.TryGetProperty "error" with
            | true, _ ->
                yield testCase (sprintf "%s (error)" uri) <| fun () ->
                    let django = e.GetProperty("message").GetString()
                    let ps = BackendUri.TryParse(uri) |> failures
                    Expect.equal ps [ sprintf "%s: '%s'" django uri ] "Django's message plus the offending input"
            | _ ->
                let ps =
                    [ for p in e.GetProperty("params").EnumerateObject() -> p.Name, p.Value.GetString() ]
                let eff = e.GetProperty "effective"
                let djangoTimeout = eff.GetProperty("default_timeout").GetInt32()
                let djangoMax = eff.GetProperty("max_entries").GetInt32()
                let djangoCull = eff.GetProperty("cull_frequency").GetInt32()
                // DESIGN.md: max_entries must be ≥ 1 (culling law needs room for one entry), so Django's
                // accepted max_entries=0 is, for us, a bad value: left out, warned, default 300.
                let maxEntriesZero = ps |> List.exists (fun (n, v) -> n = "max_entries" && v.Trim() = "0")
                let name =
                    if maxEntriesZero then sprintf "%s (deviation: max_entries=0 rejected, default 300)" uri else uri
                yield testCase name <| fun () ->
                    let djangoValue n = match n with "timeout" -> djangoTimeout | "max_entries" -> djangoMax | _ -> djangoCull
                    // A known argument Django ignored (bad value → its default) is one we leave out and warn about.
                    let dropped =
                        ps
                        |> List.filter (fun (n, v) ->
                            List.contains n known
                            && (match Int32.TryParse(v.Trim()) with
                                | true, i -> i <> djangoValue n || (n = "max_entries" && i = 0)
                                | _ -> true))
                        |> List.map fst
                    // Django hands every other name to the backend: declare them as that backend's accepted names.
                    let extra = ps |> List.map fst |> List.filter (fun n -> not (List.contains n known))
                    let u = parseWith extra uri
                    Expect.equal u.Scheme (e.GetProperty("scheme").GetString()) "scheme"
                    Expect.equal u.Location (e.GetProperty("host").GetString()) "location = host"
                    Expect.equal (args u) (ps |> List.filter (fun (n, _) -> not (List.contains n dropped)) |> List.sort) "arguments = params minus ignored values"
                    Expect.equal (warningParts u |> List.sort) (dropped |> List.map (sprintf "argument '%s'") |> List.sort) "a warning per ignored value"
                    Expect.equal (effectiveTimeout u) djangoTimeout "effective timeout"
                    Expect.equal (effectiveMaxEntries u) (if maxEntriesZero then 300 else djangoMax) "effective max_entries"
                    Expect.equal (effectiveCullFrequency u) djangoCull "effective cull_frequency"
                    match e.TryGetProperty "memcached_servers" with
                    | true, servers ->
                        Expect.equal (List.ofSeq u.Locations) [ for s in servers.EnumerateArray() -> s.GetString() ] "memcached servers"
                    | _ -> ()
    ]

// ---------------------------------------------------------------- problems, pinned

let private schemeMessage = sprintf "Backend URI must start with scheme://: %s"
let private tmo v = sprintf "Argument 'timeout' must be a whole number of seconds (-2147483648 to 2147483647), not '%s'." v

/// Malformed URIs: failures in every mode, with the exact text.
let private errorTable : (string * string list) list =
    [ "locmem", [ schemeMessage "'locmem'" ]
      "locmem:", [ schemeMessage "'locmem:'" ]
      "locmem:/x", [ schemeMessage "'locmem:/x'" ]
      "", [ schemeMessage "''" ]
      "//host/", [ schemeMessage "'//host/'" ]
      "http//x:y", [ schemeMessage "'http//x:y'" ]
      "locmem:\\\\x", [ schemeMessage "'locmem:\\\\x'" ]
      "line\nbreak", [ schemeMessage "'line\\nbreak'" ]
      "://host", [ "Backend URI scheme must not be empty: '://host'" ]
      ":///", [ "Backend URI scheme must not be empty: ':///'" ]
      "my cache://", [ "Backend URI scheme 'my cache' must not contain a space except right after a comma: 'my cache://'" ]
      " locmem://", [ "Backend URI scheme ' locmem' must not contain a space except right after a comma: ' locmem://'" ]
      "My.Cache,  MyAssembly://", [ "Backend URI scheme 'My.Cache,  MyAssembly' must not contain a space except right after a comma: 'My.Cache,  MyAssembly://'" ]
      "loc\tmem://", [ "Backend URI scheme 'loc\\tmem' must not contain control character U+0009: 'loc\\tmem://'" ]
      "locmem\u00A0://", [ "Backend URI scheme 'locmem\u00A0' must not contain whitespace U+00A0: 'locmem\u00A0://'" ]
      "a/b://x", [ "Backend URI scheme 'a/b' must not contain '/': 'a/b://x'" ]
      "a?b://x", [ "Backend URI scheme 'a?b' must not contain '?': 'a?b://x'" ]
      "a#b:///", [ "Backend URI scheme 'a#b' must not contain '#': 'a#b:///'" ] ]

/// Odd but parseable URIs whose values Django ignores: lenient warnings, with the exact text.
let private warningTable : (string * string list) list =
    [ "locmem:///?timeout=abc", [ tmo "abc" ]
      "locmem:///?timeout=30.5", [ tmo "30.5" ]
      "locmem:///?timeout=1_000", [ tmo "1_000" ]
      "locmem:///?timeout=99999999999", [ tmo "99999999999" ]
      "locmem:///?timeout=%2B-5", [ tmo "+-5" ]
      "locmem:///?timeout=%005", [ tmo "\\x005" ]
      "locmem:///?timeout=%C2%B9", [ tmo "\u00B9" ]
      "locmem:///?max_entries=0", [ "Argument 'max_entries' must be a whole number from 1 to 2147483647, not '0'." ]
      "locmem:///?max_entries=-3", [ "Argument 'max_entries' must be a whole number from 1 to 2147483647, not '-3'." ]
      "locmem:///?cull_frequency=-1", [ "Argument 'cull_frequency' must be a whole number from 0 to 2147483647, not '-1'." ]
      "locmem:///?cull_percentage=x", [ "Argument 'cull_percentage' must be a whole number from 0 to 2147483647, not 'x'." ]
      "locmem:///?cull_percentage=2&cull_frequency=4",
        [ "Argument 'cull_percentage' ('2') is ignored because 'cull_frequency' is also given; cull_percentage is only its alias." ]
      "locmem:///?Timeout=30", [ sprintf "Unknown argument 'Timeout' ('30'); accepted arguments: %s." acceptedList ]
      "locmem:///?store=reference", [ sprintf "Unknown argument 'store' ('reference'); accepted arguments: %s." acceptedList ]
      "locmem:///?=5", [ sprintf "Unknown argument '' ('5'); accepted arguments: %s." acceptedList ]
      "locmem:///?timeout=x&max_entries=y;z=1",
        [ tmo "x"
          "Argument 'max_entries' must be a whole number from 1 to 2147483647, not 'y'."
          sprintf "Unknown argument 'z' ('1'); accepted arguments: %s." acceptedList ] ]

let private problemTests =
    testList "problems" [
        testList "malformed URIs are failures (lenient and strict)" [
            for (uri, expected) in errorTable ->
                testCase (sprintf "%A" uri) <| fun () ->
                    Expect.equal (BackendUri.TryParse(uri) |> failures) expected "lenient"
                    Expect.equal (BackendUri.TryParse(uri, true) |> failures) expected "strict"
        ]
        testCase "null is a failure, not an exception" <| fun () ->
            Expect.equal (BackendUri.TryParse(null) |> failures) [ "Backend URI must not be null." ] "null"
            Expect.equal (BackendUri.TryParse(null, [ "store" ], true) |> failures) [ "Backend URI must not be null." ] "null, strict"
        testList "ignored values are lenient warnings and strict failures" [
            for (uri, expected) in warningTable ->
                testCase uri <| fun () ->
                    let u = parse uri
                    Expect.equal (warnings u) expected "lenient warnings"
                    Expect.equal (BackendUri.TryParse(uri, true) |> failures) expected "strict failures"
        ]
        testCase "warnings name the part" <| fun () ->
            let u = parse "locmem:///?timeout=x&Timeout=1&cull_percentage=1&cull_frequency=2"
            Expect.equal (warningParts u) [ "argument 'timeout'"; "argument 'Timeout'"; "argument 'cull_percentage'" ] "parts"
            Expect.equal (string u.Warnings.Head) u.Warnings.Head.Message "ToString is the message"
        testCase "strict mode reports every problem, scheme first" <| fun () ->
            Expect.equal (BackendUri.TryParse("a b:///?timeout=x&y=1", true) |> failures)
                [ "Backend URI scheme 'a b' must not contain a space except right after a comma: 'a b:///?timeout=x&y=1'"
                  tmo "x"
                  sprintf "Unknown argument 'y' ('1'); accepted arguments: %s." acceptedList ] "all problems"
        testCase "lenient mode fails with the errors only" <| fun () ->
            Expect.equal (BackendUri.TryParse("a b:///?timeout=x") |> failures)
                [ "Backend URI scheme 'a b' must not contain a space except right after a comma: 'a b:///?timeout=x'" ] "errors only"
        testCase "strict mode accepts a clean URI, with no warnings" <| fun () ->
            let u = BackendUri.TryParse("locmem:///?timeout=30&store=reference", [ "store" ], true) |> success
            Expect.equal (args u) [ "store", "reference"; "timeout", "30" ] "arguments"
            Expect.isTrue u.Warnings.IsEmpty "no warnings"
        testCase "the accepted names list in messages includes the caller's names" <| fun () ->
            let u = parseWith [ "store"; "timeout"; "store" ] "locmem:///?database=x"
            Expect.equal (warnings u)
                [ sprintf "Unknown argument 'database' ('x'); accepted arguments: %s, store." acceptedList ] "message"
        testCase "Parse throws FormatException with a header line and one line per problem" <| fun () ->
            Expect.equal (formatError (fun () -> BackendUri.Parse("locmem:///?timeout=x&max_entries=0", true)))
                ("Invalid cache backend URI 'locmem:///?timeout=x&max_entries=0':\n"
                 + "- Argument 'timeout' must be a whole number of seconds (-2147483648 to 2147483647), not 'x'.\n"
                 + "- Argument 'max_entries' must be a whole number from 1 to 2147483647, not '0'.") "message"
        testCase "Parse throws on a malformed URI even when lenient" <| fun () ->
            Expect.equal (formatError (fun () -> BackendUri.Parse("locmem"))) "Invalid cache backend URI 'locmem':\n- Backend URI must start with scheme://: 'locmem'" "message"
            Expect.equal (formatError (fun () -> BackendUri.Parse(null, [ "store" ]))) "Invalid cache backend URI (null):\n- Backend URI must not be null." "null message"
        testCase "Parse returns lenient warnings instead of throwing" <| fun () ->
            let u = BackendUri.Parse("locmem:///?timeout=x")
            Expect.equal (warnings u) [ tmo "x" ] "warning kept"
            Expect.equal (effectiveTimeout u) 300 "default"
        testCase "a null accepted-names list is a caller mistake" <| fun () ->
            Expect.throwsT<ArgumentException> (fun () -> BackendUri.TryParse("locmem://", (null: string seq)) |> ignore) "null list"
            Expect.throwsT<ArgumentException> (fun () -> BackendUri.TryParse("locmem://", [ "a"; null ]) |> ignore) "null name"
    ]

// ---------------------------------------------------------------- values

let private valueTests =
    testList "values" [
        testCase "timeout follows Python int(): blanks, sign, leading zeros" <| fun () ->
            let t uri = timeoutSeconds (parse uri)
            Expect.equal (t "locmem:///?timeout=+30") (Some 30) "'+' is a space: ' 30'"
            Expect.equal (t "locmem:///?timeout=%2B30") (Some 30) "explicit plus"
            Expect.equal (t "locmem:///?timeout=%0A5%09") (Some 5) "blanks around"
            Expect.equal (t "locmem:///?timeout=007") (Some 7) "leading zeros"
            Expect.equal (t "locmem:///?timeout=-5") (Some -5) "negative: born expired"
            Expect.equal (t "locmem:///?timeout=0") (Some 0) "zero"
            Expect.equal (t "locmem:///?timeout=2147483647") (Some Int32.MaxValue) "int max"
            Expect.equal (t "locmem:///?timeout=-2147483648") (Some Int32.MinValue) "int min"
            Expect.equal (t "locmem:///") None "absent"
        testCase "the raw (decoded) value is kept in Arguments" <| fun () ->
            Expect.equal (args (parse "locmem:///?timeout=+30")) [ "timeout", " 30" ] "raw value"
        testCase "timeout is CacheTimeout.After" <| fun () ->
            let u = parse "locmem:///?timeout=-5"
            Expect.equal (u.Timeout.IfNone CacheTimeout.Never) (CacheTimeout.After(TimeSpan.FromSeconds -5.0)) "After(-5 s)"
        testCase "max_entries and cull_frequency bounds" <| fun () ->
            let u = parse "locmem:///?max_entries=1&cull_frequency=0"
            Expect.equal (BackendUri.maxEntries u) (Some 1) "max_entries 1"
            Expect.equal (BackendUri.cullFrequency u) (Some 0) "cull_frequency 0 (empty when full)"
        testCase "cull_percentage is an alias, stored as cull_frequency" <| fun () ->
            let u = parse "locmem:///?cull_percentage=2"
            Expect.equal (BackendUri.cullFrequency u) (Some 2) "value"
            Expect.equal (args u) [ "cull_frequency", "2" ] "normalised name"
            Expect.isTrue u.Warnings.IsEmpty "no warning for the alias alone"
            Expect.equal u (parse "locmem:///?cull_frequency=2") "same as cull_frequency"
        testCase "cull_frequency wins over the alias in either order, even when bad" <| fun () ->
            Expect.equal (BackendUri.cullFrequency (parse "locmem:///?cull_frequency=4&cull_percentage=2")) (Some 4) "after"
            Expect.equal (BackendUri.cullFrequency (parse "locmem:///?cull_percentage=2&cull_frequency=4")) (Some 4) "before"
            let u = parse "locmem:///?cull_percentage=2&cull_frequency=bad"
            Expect.equal (BackendUri.cullFrequency u) None "bad cull_frequency still wins: default applies"
            Expect.equal (warningParts u) [ "argument 'cull_percentage'"; "argument 'cull_frequency'" ] "both warned"
        testCase "last wins, and an earlier bad value leaves no trace" <| fun () ->
            let u = parse "locmem:///?timeout=abc&timeout=5"
            Expect.equal (timeoutSeconds u) (Some 5) "last"
            Expect.isTrue u.Warnings.IsEmpty "no warning"
            let u = parse "locmem:///?timeout=5&timeout=abc"
            Expect.equal (timeoutSeconds u) None "last is bad: default"
            Expect.equal (warnings u) [ tmo "abc" ] "warned"
        testCase "decoding: + then %XX, UTF-8, a bad % stays" <| fun () ->
            let u = parseWith [ "x"; "a=b"; "y"; "z"; "w" ] "locmem:///?x=%zz&a%3Db=c&y=%C3%A9+%41&z=%FF&w=100%"
            Expect.equal (args u) [ "a=b", "c"; "w", "100%"; "x", "%zz"; "y", "é A"; "z", "\uFFFD" ] "decoded"
        testCase "names are case-sensitive" <| fun () ->
            let u = parseWith [ "Store" ] "locmem:///?Store=a&store=b"
            Expect.equal (args u) [ "Store", "a" ] "only the declared spelling"
        testCase "custom schemes: dotted and assembly-qualified type names" <| fun () ->
            Expect.equal (parse "My.Namespace.MyCache://x").Scheme "My.Namespace.MyCache" "dotted"
            Expect.equal (parse "My.Cache, MyAssembly:///").Scheme "My.Cache, MyAssembly" "assembly-qualified"
            Expect.equal (parse "Outer+Inner`1, Asm, Version=1.0.0.0://").Scheme "Outer+Inner`1, Asm, Version=1.0.0.0" "nested generic, versioned"
            Expect.equal (parse "LOCMEM:///").Scheme "LOCMEM" "case kept"
        testCase "Locations: split on ; and , trimmed, empties dropped" <| fun () ->
            Expect.equal (List.ofSeq (parse "memcached:// h1:11211 ;, h2:11212;;/").Locations) [ "h1:11211"; "h2:11212" ] "servers"
            Expect.isTrue (parse "locmem:///").Locations.IsEmpty "none"
        testCase "Format is canonical, ToString is Format" <| fun () ->
            let f uri = (parseWith [ "b"; "a" ] uri).Format()
            Expect.equal (f "locmem://") "locmem:///" "trailing slash added"
            Expect.equal (f "file:///tmp//") "file:///tmp//" "one slash kept in the location"
            Expect.equal (f "db://t?b=2&a=x+y;timeout=7") "db://t/?a=x%20y&b=2&timeout=7" "sorted, encoded"
            Expect.equal (f "locmem:///?a=%26%3D%3B%2B%25%3F") "locmem:///?a=%26%3D%3B%2B%25%3F" "separators encoded"
            Expect.equal (f "locmem:///?cull_percentage=2") "locmem:///?cull_frequency=2" "alias normalised"
            Expect.equal (f "locmem:///?timeout=x") "locmem:///" "rejected argument dropped"
            let u = parse "memcached://h:1?timeout=5"
            Expect.equal (string u) (u.Format()) "ToString"
        testCase "equality is structural" <| fun () ->
            let a = parse "locmem:///?timeout=30&max_entries=5"
            let b = parse "locmem://?max_entries=5;timeout=30"
            Expect.equal a b "equal"
            Expect.equal (a.GetHashCode()) (b.GetHashCode()) "same hash"
            Expect.notEqual a (parse "locmem:///?timeout=31&max_entries=5") "timeout differs"
            Expect.notEqual a (parse "locmem:///?timeout=30&max_entries=5&x=1") "warnings differ"
            Expect.notEqual (parse "file:///a") (parse "file:///b") "location differs"
            Expect.equal (BackendUri.Parse(a.Format())) a "parses back"
    ]

// ---------------------------------------------------------------- where the RFCs win (issue 13, item 9)

let private rfcTests =
    testList "RFC 3986 over Django" [
        testCase "the location is percent-decoded as a path: %20 is a space, + stays a plus; RawLocation keeps the text" <| fun () ->
            let u = parse "file:///a%20c/d+e/%C3%A9"
            Expect.equal u.Location "/a c/d+e/é" "decoded"
            Expect.equal u.RawLocation "/a%20c/d+e/%C3%A9" "as written"
            Expect.equal (u.Format()) "file:///a%20c/d+e/%C3%A9/" "Format writes the raw text back"
            Expect.equal (BackendUri.Parse(u.Format())) u "and parses back"
            Expect.equal (parse "file:///tmp/100%25").Location "/tmp/100%" "%25 is a percent sign"
        testCase "memcached parts split before decoding: an escaped %3B stays inside its part" <| fun () ->
            Expect.equal (List.ofSeq (parse "memcached://unix:/tmp/a%3Bb.sock;h%31:11211/").Locations) [ "unix:/tmp/a;b.sock"; "h1:11211" ] "parts"
        testCase "a malformed escape is a one-line failure naming it, lenient or strict" <| fun () ->
            for strict in [ false; true ] do
                Expect.equal (BackendUri.TryParse("file:///tmp/100%", strict) |> failures)
                    [ "Backend URI location '/tmp/100%' has a malformed percent escape '%': write %25 for a '%' that belongs to it." ] "a bare %"
                Expect.equal (BackendUri.TryParse("file:///a%zzb", strict) |> failures)
                    [ "Backend URI location '/a%zzb' has a malformed percent escape '%zz': write %25 for a '%' that belongs to it." ] "%zz"
                Expect.equal (BackendUri.TryParse("file:///a%FFb", strict) |> failures)
                    [ "Backend URI location '/a%FFb' has percent escapes that are not UTF-8 text: '%FF'." ] "not UTF-8"
        testCase "query values keep Python's lenient decoding (a bad % stays)" <| fun () ->
            Expect.equal (args (parseWith [ "x" ] "locmem:///?x=100%")) [ "x", "100%" ] "unchanged"
        testCase "a fragment is a one-line failure naming it, lenient or strict" <| fun () ->
            for strict in [ false; true ] do
                Expect.equal (BackendUri.TryParse("file:///tmp/x#frag", strict) |> failures)
                    [ "Backend URI must not have a fragment ('#frag'): write %23 for a '#' in a location or a value: 'file:///tmp/x#frag'" ] "in the location"
                Expect.equal (BackendUri.TryParse("locmem:///?timeout=30#x", strict) |> failures |> List.map (fun m -> m.Substring(0, 45)))
                    [ "Backend URI must not have a fragment ('#x'): " ] "after the query"
            Expect.equal (parse "file:///tmp/a%23b").Location "/tmp/a#b" "%23 is a '#' in the path"
        testCase "scheme case is kept as written (the registry matches built-in schemes in any case)" <| fun () ->
            Expect.equal (parse "FILE:///x").Scheme "FILE" "kept"
    ]

[<Tests>]
let tests =
    testList "BackendUri" [ tableTests; conformanceTests; problemTests; valueTests; rfcTests ]
