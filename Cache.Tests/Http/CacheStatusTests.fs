/// The Cache-Status field (RFC 9211): members written as the RFC writes them, the RFC's examples read back, values
/// that break RFC 8941's grammar refused whole, and a cache's member appended after the ones already there.
module Http.CacheStatusTests

open System
open Expecto
open FunctionalCache.Http

let private parse (text: string) : CacheStatusEntry list option =
    let parsed = CacheStatus.TryParse text
    if parsed.IsSome then Some (parsed.IfNone(LanguageExt.Seq<CacheStatusEntry>.Empty) |> List.ofSeq) else None

let private hit cache = CacheStatusEntry.ForHit cache
let private fwd cache reason = CacheStatusEntry.ForForward(cache, reason)

[<Tests>]
let tests =
    testList "Http.CacheStatus" [
        testCase "members are written as RFC 9211 writes them: identifier, then hit or fwd, ttl, stored, detail" <| fun () ->
            Expect.equal (CacheStatus.Format((hit "FunctionalCache").WithTtl 376L)) "FunctionalCache; hit; ttl=376" "a hit"
            Expect.equal (CacheStatus.Format((fwd "FunctionalCache" CacheStatusForward.UriMiss).WithStored true)) "FunctionalCache; fwd=uri-miss; stored" "a stored miss"
            Expect.equal (CacheStatus.Format((fwd "FunctionalCache" CacheStatusForward.UriMiss).WithStored(false).WithDetail "response sets a cookie"))
                "FunctionalCache; fwd=uri-miss; stored=?0; detail=\"response sets a cookie\"" "not stored, with a quoted detail"
            Expect.equal (CacheStatus.Format((fwd "FunctionalCache" CacheStatusForward.Bypass).WithDetail "authorization")) "FunctionalCache; fwd=bypass; detail=authorization" "a token detail stays bare"
            Expect.equal (CacheStatus.Format((fwd "CDN Company \"X\"" CacheStatusForward.Stale).WithForwardStatus(304).WithCollapsed().WithKey "k\\1"))
                "\"CDN Company \\\"X\\\"\"; fwd=stale; fwd-status=304; collapsed; key=\"k\\\\1\"" "a non-token identifier is quoted, with escapes"
            Expect.equal (CacheStatus.Format [ hit "A"; fwd "B" "miss" ]) "A; hit, B; fwd=miss" "a list, nearest the origin first"

        testCase "RFC 9211's examples read back" <| fun () ->
            Expect.equal (parse "ExampleCache; hit") (Some [ hit "ExampleCache" ]) "a hit"
            Expect.equal (parse "ExampleCache; fwd=uri-miss") (Some [ fwd "ExampleCache" "uri-miss" ]) "a miss"
            Expect.equal (parse "ExampleCache; fwd=uri-miss; stored") (Some [ (fwd "ExampleCache" "uri-miss").WithStored true ]) "stored"
            Expect.equal (parse "ExampleCache; fwd=uri-miss; collapsed") (Some [ (fwd "ExampleCache" "uri-miss").WithCollapsed() ]) "collapsed"
            Expect.equal (parse "ExampleCache; hit; ttl=-412") (Some [ (hit "ExampleCache").WithTtl -412L ]) "stale hit"
            Expect.equal (parse "ExampleCache; fwd=stale; fwd-status=304") (Some [ (fwd "ExampleCache" "stale").WithForwardStatus 304 ]) "revalidated"
            Expect.equal (parse "ExampleCache; fwd=request; fwd-status=200; stored=?0") (Some [ (fwd "ExampleCache" "request").WithForwardStatus(200).WithStored false ]) "not stored"
            Expect.equal (parse "OriginCache; hit; ttl=1100, \"CDN Company Here\"; hit; ttl=545")
                (Some [ (hit "OriginCache").WithTtl 1100L; (hit "CDN Company Here").WithTtl 545L ]) "two caches, the origin's first"
            Expect.equal (parse "ReverseProxyCache; hit, ForwardProxyCache; fwd=uri-miss; key=\"/x\"; detail=abc")
                (Some [ hit "ReverseProxyCache"; (fwd "ForwardProxyCache" "uri-miss").WithKey("/x").WithDetail "abc" ]) "key and a token detail"

        testCase "blanks, unknown parameters, wrong types and repeats are read as RFC 8941 says" <| fun () ->
            Expect.equal (parse "") (Some []) "an empty field is an empty list"
            Expect.equal (parse "  A;hit ,\tB; fwd=miss  ") (Some [ hit "A"; fwd "B" "miss" ]) "blanks around members and after ';'"
            Expect.equal (parse "A; foo=tok; bar=:aGk=:; baz=1.5; qux; hit") (Some [ hit "A" ]) "unknown parameters of any type are ignored"
            Expect.equal (parse "A; hit=1; ttl=\"5\"; stored=yes; fwd=\"miss\"") (Some [ CacheStatusEntry.Of "A" ]) "defined parameters of the wrong type are ignored"
            Expect.equal (parse "A; ttl=1; ttl=2") (Some [ (CacheStatusEntry.Of "A").WithTtl 2L ]) "a repeated parameter takes its last value"
            Expect.equal (parse "A; hit=?0") (Some [ CacheStatusEntry.Of "A" ]) "hit=?0 is no hit"

        testCase "a value that breaks the grammar, or a member that is no cache identifier, is refused whole" <| fun () ->
            for text in [ "A,"; ", A"; "A,,B"; "A;"; "A; HIT"; "A; ttl="; "\"unterminated"; "\"bad \\escape\""; "A B"; "A; hit, 12"
                          "(A B)"; "A; foo=(1 2)"; "A; ttl=1234567890123456"; "A; x=1.2345"; "\"\""; "A; hit\r\n"; "A; hit, ?1"; "é" ] do
                Expect.isNone (parse text) (sprintf "%A is refused" text)

        testCase "appending adds this cache's member after the ones already there, kept as they were" <| fun () ->
            let ours = (fwd "FunctionalCache" CacheStatusForward.UriMiss).WithStored true
            Expect.equal (CacheStatus.Append("", ours)) "FunctionalCache; fwd=uri-miss; stored" "no field yet"
            Expect.equal (CacheStatus.Append("  ", ours)) "FunctionalCache; fwd=uri-miss; stored" "a blank field"
            Expect.equal (CacheStatus.Append("Upstream;hit", ours)) "Upstream;hit, FunctionalCache; fwd=uri-miss; stored" "after the upstream member, untouched"
            let head = ResponseHead.Ok.WithHeader("Cache-Status", "Upstream; hit")
            Expect.equal ((CacheStatus.Append(head, ours)).Headers.Get("Cache-Status").IfNone "")
                "Upstream; hit, FunctionalCache; fwd=uri-miss; stored" "on a response head"

        testCase "texts that cannot be written are refused with the rule" <| fun () ->
            let message (f: unit -> obj) = Expect.throwsC (fun () -> f () |> ignore) (fun e -> e.Message)
            Expect.stringStarts (message (fun () -> box (fwd "A" "uri miss"))) "A Cache-Status fwd value must be a token" "fwd"
            Expect.stringStarts (message (fun () -> box (CacheStatusEntry.Of ""))) "A cache identifier must not be empty." "empty identifier"
            Expect.stringStarts (message (fun () -> box (CacheStatusEntry.Of "naïve"))) "A cache identifier must be printable ASCII" "non-ASCII identifier"
            Expect.stringStarts (message (fun () -> box ((hit "A").WithDetail "line\nbreak"))) "A Cache-Status detail must be printable ASCII" "control character"
            Expect.stringStarts (message (fun () -> box ((hit "A").WithForwardStatus 42))) "A Cache-Status fwd-status must be an HTTP status code" "status"
            Expect.stringStarts (message (fun () -> box ((hit "A").WithTtl Int64.MaxValue))) "A Cache-Status ttl must have at most 15 digits." "ttl"
    ]
