/// Template fragment caching: the Fluid `{% cache %}` tag (Django's CacheTagTests and CacheTests, section N) and the
/// keys it stores under (section M, with our netstring framing), plus Fragment.getOrRender (the F# face of FragmentCache) for other engines.
module Http.FragmentTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open Fluid
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http
open FunctionalCache.Http.Fragments
open FunctionalCache.FSharp

let private newCache () =
    let clock = FakeTimeProvider(DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    LocMemCache(CachePolicy.Default, CacheContext.Default.WithTime clock), clock

let private tryParse (parser: FluidParser) (text: string) : Result<IFluidTemplate, string> =
    let mutable template = Unchecked.defaultof<IFluidTemplate>
    let mutable error = ""
    if parser.TryParse(text, &template, &error) then Ok template else Error error

let private parse parser text =
    match tryParse parser text with
    | Ok template -> template
    | Error error -> failwithf "the template %s did not parse: %s" text error

let private parseError parser text =
    match tryParse parser text with
    | Ok _ -> failwithf "the template %s parsed but should not" text
    | Error error -> error

let private render (parser: FluidParser) (text: string) (values: (string * obj) list) =
    let context = TemplateContext()
    for name, value in values do context.SetValue(name, value) |> ignore
    (parse parser text).RenderAsync(context).AsTask() |> run

let private has (cache: ICache) key = cache.HasKeyAsync key |> run

/// Caches whose backend fails on every call, for real: a db:// table that does not exist, and a file:// location
/// that is a regular file. Each with its name; the temporary directory goes when the test ends.
let private failingCaches (dir: IO.DirectoryInfo) =
    let blocker = IO.Path.Combine(dir.FullName, "a-regular-file")
    IO.File.WriteAllText(blocker, "not a directory")
    [ "db:// with a missing table", Cache.fromUri (sprintf "db://nosuch?database=%s" (IO.Path.Combine(dir.FullName, "x.sqlite")))
      "file:// at a regular file", Cache.fromUri (sprintf "file://%s" blocker) ]

[<Tests>]
let tests =
    testList "Http.Fragments" [
        testCase "cache03/04: a fragment is rendered once and a second template with the same name gets the stored text" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache 2 test %}cache03{% endcache %}" []) "cache03" "first render"
            Expect.equal (render parser "{% cache 2 test %}cache04{% endcache %}" []) "cache03" "served from the cache"

        testCase "cache05/06/07: vary values keep fragments apart and the same values share one" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache 2 test foo %}cache05{% endcache %}" [ "foo", box 1 ]) "cache05" "foo=1"
            Expect.equal (render parser "{% cache 2 test foo %}cache06{% endcache %}" [ "foo", box 2 ]) "cache06" "foo=2"
            Expect.equal (render parser "{% cache 2 test foo %}cache07{% endcache %}" [ "foo", box 1 ]) "cache05" "foo=1 again"

        testCase "cache08: the timeout may be a variable, and it hits the entry stored for the same values" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            render parser "{% cache 2 test foo %}cache06{% endcache %}" [ "foo", box 2 ] |> ignore
            Expect.equal (render parser "{% cache time test foo %}cache08{% endcache %}" [ "foo", box 2; "time", box 2 ]) "cache06" "variable timeout"

        testCase "a numeric string timeout is accepted, as Python's int() accepts \"2\"" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache time t %}x{% endcache %}" [ "time", box "2" ]) "x" "rendered"
            Expect.isTrue (has cache (FragmentKeys.MakeTemplateFragmentKey("t", []))) "stored"

        testCase "cache18: the timeout may be a filter expression" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache time|plus: 1 \"cache18\" %}cache18{% endcache %}" [ "time", box 1 ]) "cache18" "rendered"
            Expect.isTrue (has cache (FragmentKeys.MakeTemplateFragmentKey("cache18", []))) "stored"

        testCase "the stored fragment expires after its timeout on the cache's clock" <| fun () ->
            let cache, clock = newCache ()
            let parser = FragmentCacheParser cache
            render parser "{% cache 2 t %}one{% endcache %}" [] |> ignore
            clock.Advance(TimeSpan.FromSeconds 1.9)
            Expect.equal (render parser "{% cache 2 t %}two{% endcache %}" []) "one" "still fresh"
            clock.Advance(TimeSpan.FromSeconds 0.1)
            Expect.equal (render parser "{% cache 2 t %}three{% endcache %}" []) "three" "expired at 2 s"

        testCase "a zero timeout renders every time and stores nothing" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache 0 t %}a{% endcache %}" []) "a" "first"
            Expect.equal (render parser "{% cache 0 t %}b{% endcache %}" []) "b" "second"
            Expect.isFalse (has cache (FragmentKeys.MakeTemplateFragmentKey("t", []))) "nothing stored"

        testCase "section M: the tag stores under make_template_fragment_key of the name and the rendered vary values" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            render parser "{% cache 500 \"a.fragment\" %}x{% endcache %}" [] |> ignore
            Expect.isTrue (has cache "template.cache.a.fragment.d41d8cd98f00b204e9800998ecf8427e") "no vary values: the empty digest"
            render parser "{% cache 500 \"sidebar\" user.name 42 \"abc\" %}x{% endcache %}" [ "user", box (dict [ "name", "bob" ]) ] |> ignore
            Expect.isTrue (has cache (FragmentKeys.MakeTemplateFragmentKey("sidebar", [ "bob"; "42"; "abc" ]))) "any number of vary values, in order"

        testCase "the fragment name is a literal, never resolved" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            render parser "{% cache 5 regression_20130 %}x{% endcache %}" [ "regression_20130", box "other" ] |> ignore
            Expect.isTrue (has cache (FragmentKeys.MakeTemplateFragmentKey("regression_20130", []))) "keyed by the name as written"

        testCase "vary values that would collide under Django's colon join are kept apart" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache 5 f a %}one{% endcache %}" [ "a", box "x:y" ]) "one" "one value"
            Expect.equal (render parser "{% cache 5 f a b %}two{% endcache %}" [ "a", box "x"; "b", box "y" ]) "two" "two values"

        testCase "cache16: literal vary values, one with spaces, render without error" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            Expect.equal (render parser "{% cache 1 foo bar \"with spaces\" %}{% endcache %}" []) "" "empty block"

        testCase "cache17: a very long vary value keeps the key short" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            let poem = String.replicate 2000 "Now is the time for all good men. "
            Expect.equal (render parser "{% cache 5 long poem %}Some Content{% endcache %}" [ "poem", box poem ]) "Some Content" "rendered"
            Expect.isTrue (has cache (FragmentKeys.MakeTemplateFragmentKey("long", [ poem ]))) "stored under a 48-character key"

        testCase "cache11/12: a tag without a timeout or without a name is a parse error that says what is missing" <| fun () ->
            let parser = FragmentCacheParser(fst (newCache ()))
            Expect.stringContains (parseError parser "{% cache %}x{% endcache %}") "The cache tag needs a timeout and a fragment name" "no arguments"
            Expect.stringContains (parseError parser "{% cache 1 %}x{% endcache %}") "The cache tag needs a fragment name after the timeout" "no name"

        testCase "cache13/14/15: a missing, non-numeric or list timeout is a clear error at render time" <| fun () ->
            let cache, _ = newCache ()
            let parser = FragmentCacheParser cache
            let fails text values =
                Expect.throwsC (fun () -> render parser text values |> ignore) (fun e ->
                    match e with
                    | :? FragmentCacheTagException as e -> e.Message
                    | e -> failwithf "expected FragmentCacheTagException, got %O" e)
            Expect.equal (fails "{% cache foo bar %}{% endcache %}" [])
                "The cache tag for fragment 'bar' needs a timeout in seconds, but it resolved to nothing (a missing or nil variable)." "missing variable"
            Expect.equal (fails "{% cache foo bar %}{% endcache %}" [ "foo", box "fail" ])
                "The cache tag for fragment 'bar' needs a timeout in seconds, but it resolved to 'fail'." "non-numeric"
            fails "{% cache foo bar %}{% endcache %}" [ "foo", box [| 1; 2 |] ] |> ignore

        testCase "a {% cache %} tag whose backend fails renders its block uncached and reports each failure, never throws" <| fun () ->
            let dir = IO.Directory.CreateTempSubdirectory("fc-fragment-")
            try
                for name, cache in failingCaches dir do
                    let failures = Collections.Concurrent.ConcurrentQueue<exn>()
                    let parser = FragmentCacheParser(cache, FluidParserOptions(), Action<exn> failures.Enqueue)
                    let text = "<p>{% cache 500 \"sidebar\" user %}<aside>{{ user }}</aside>{% endcache %}</p>"
                    Expect.equal (render parser text [ "user", box "bob" ]) "<p><aside>bob</aside></p>" $"{name}: rendered uncached"
                    Expect.equal (render parser text [ "user", box "eve" ]) "<p><aside>eve</aside></p>" $"{name}: and again"
                    Expect.isGreaterThanOrEqual failures.Count 2 $"{name}: each render reported its failure"
                    Expect.all failures (fun e -> e :? CacheBackendException) $"{name}: backend failures"
                    let quiet = FragmentCacheParser cache
                    Expect.equal (render quiet text [ "user", box "ann" ]) "<p><aside>ann</aside></p>" $"{name}: without a failure action too"
            finally
                dir.Delete true

        testCase "FragmentCache.GetOrRenderReportingAsync over a failing store renders once, not again after the failed write" <| fun () ->
            let dir = IO.Directory.CreateTempSubdirectory("fc-fragment-")
            try
                let _, cache = failingCaches dir |> List.item 1
                let mutable renders = 0
                let failures = Collections.Concurrent.ConcurrentQueue<exn>()
                let text =
                    FragmentCache.GetOrRenderReportingAsync(cache, "f", [], CacheTimeout.Seconds 60.0,
                        (fun _ -> Interlocked.Increment &renders |> ignore; Task.FromResult "x"), Action<exn> failures.Enqueue) |> run
                Expect.equal (text, renders, failures.Count) ("x", 1, 1) "one render, one reported failure"
            finally
                dir.Delete true

        testCase "Fragment.getOrRender renders once for concurrent callers of one fragment (single flight)" <| fun () ->
            let cache, _ = newCache ()
            let mutable renders = 0
            let gate = TaskCompletionSource<unit>()
            let renderFragment () =
                task {
                    Interlocked.Increment &renders |> ignore
                    do! gate.Task
                    return "<aside>sidebar</aside>"
                }
            let calls =
                [ for _ in 1..16 ->
                    Task.Run<string>(fun () ->
                        cache |> Fragment.getOrRender (Expire.seconds 60.0) "sidebar" [ "bob" ] renderFragment) ]
            Thread.Sleep 200
            gate.SetResult()
            let results = Task.WhenAll(calls) |> run
            Expect.equal renders 1 "rendered once"
            Expect.allEqual results "<aside>sidebar</aside>" "every caller gets the text"
            let again = cache |> Fragment.getOrRender (Expire.seconds 60.0) "sidebar" [ "bob" ] (fun () -> Task.FromResult "new") |> run
            Expect.equal again "<aside>sidebar</aside>" "then served from the cache"

        testCase "Fragment.getOrRender keeps vary values apart and refuses null arguments" <| fun () ->
            let cache, _ = newCache ()
            let get vary text = cache |> Fragment.getOrRender (Expire.seconds 60.0) "f" vary (fun () -> Task.FromResult text) |> run
            Expect.equal (get [ "alice" ] "a") "a" "alice"
            Expect.equal (get [ "bob" ] "b") "b" "bob"
            Expect.equal (get [ "alice" ] "c") "a" "alice again"
            Expect.throwsT<ArgumentNullException> (fun () -> get [ null ] "x" |> ignore) "a null vary value"
            Expect.throwsT<ArgumentNullException> (fun () ->
                Fragment.getOrRender Expire.byDefault "f" [] (fun () -> Task.FromResult "x") null |> run |> ignore) "a null cache"
    ]
