/// The Django Book's "upstream caches", checked with real ones: nginx `proxy_cache` and Varnish in
/// front of the demo site. Every assertion reads the proxies' own headers, status codes, bodies and
/// the demo's request log (what reached it, and what it answered), never the demo's own cache
/// headers, so the demo may say what it likes about its own layer.
module Http.UpstreamCacheTests

open System
open System.Threading
open Expecto

open Http.AspNetCore.TestServer
open Integration

/// The demo with nginx and Varnish in front of it, started on first use and stopped at exit.
type private Upstreams =
    { Origin: DemoOrigin.Origin
      Nginx: Nginx.Proxy
      Varnish: Varnish.Proxy }

let private upstreams : Lazy<Upstreams> =
    lazy
        (let origin = DemoOrigin.start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> DemoOrigin.stop origin)
         let nginx = Nginx.start origin.Port
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> Nginx.stop nginx)
         let varnish = Varnish.start origin.Port "/stats"
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> Varnish.stop varnish)
         { Origin = origin; Nginx = nginx; Varnish = varnish })

/// One cache in front of the demo: where it listens and how its own headers say "served from my store".
type private Front =
    { Name: string
      Url: unit -> string
      IsHit: Reply -> bool }

let private nginx =
    { Name = "nginx"
      Url = fun () -> upstreams.Value.Nginx.Url
      IsHit = fun r -> r.Header "X-Upstream-Cache" = Some "HIT" }

/// Varnish's `X-Varnish` carries two transaction ids on a hit (this request's and the stored
/// object's), one on a miss or a pass; the VCL adds the object's hit count.
let private varnishHit (r: Reply) =
    let ids = r.Header "X-Varnish" |> Option.map (fun v -> v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length) |> Option.defaultValue 0
    let hits = r.Header "X-Varnish-Hits" |> Option.map int |> Option.defaultValue 0
    ids = 2 && hits > 0

let private varnish =
    { Name = "Varnish"
      Url = fun () -> upstreams.Value.Varnish.Url
      IsHit = varnishHit }

/// A number no other test uses, so every test caches pages of its own.
let private counter = ref 1000

let private fresh () = Interlocked.Increment(&counter.contents)

let private get (front: Front) (target: string) (headers: (string * string) list) = DemoOrigin.get (front.Url () + target) headers

/// How many GETs of `path` reached the demo, once everything sent so far is in its log.
let private arrivals (path: string) =
    DemoOrigin.settle upstreams.Value.Origin
    DemoOrigin.arrivals upstreams.Value.Origin path

let private cachedPageIsHit (front: Front) =
    testCase $"{front.Name}: a cacheable page is a HIT on the second request, and only the first reaches the demo" <| fun () ->
        let path = $"/foo/{fresh ()}/"
        let first = get front path []
        let second = get front path []
        Expect.equal (first.Status, second.Status) (200, 200) "both answered"
        Expect.isFalse (front.IsHit first) $"the first request is not a {front.Name} hit: %A{first.Headers}"
        Expect.isTrue (front.IsHit second) $"the second request is a {front.Name} hit: %A{second.Headers}"
        Expect.equal second.Text first.Text "the stored page"
        Expect.equal (arrivals path) 1 "the demo saw the first request only"

let private uncacheableNeverHit (front: Front) =
    testCase $"{front.Name}: the never-cached page, the cookie-setting login and /stats are never a HIT and always reach the demo" <| fun () ->
        let user = $"login{fresh ()}"
        for path, target in [ "/never", "/never"; "/login", $"/login?user={user}"; "/stats", "/stats" ] do
            let before = arrivals path
            let replies = [ for _ in 1..3 -> get front target [] ]
            Expect.all replies (fun r -> r.Status = 200) $"{target} answered"
            Expect.all replies (front.IsHit >> not) $"{target} is never a {front.Name} hit: %A{replies |> List.map _.Headers}"
            Expect.equal (arrivals path - before) 3 $"every request for {target} reached the demo"
            if path = "/login" then
                Expect.all replies (fun r -> (r.Header "Set-Cookie" |> Option.defaultValue "").Contains $"user={user}") "each login sets its cookie"

let private inboxPerCookie (front: Front) =
    testCase $"{front.Name}: the inbox is stored per cookie (Vary: Cookie), never served to another user" <| fun () ->
        let n = fresh ()
        let ann, ben = $"ann{n}", $"ben{n}"
        let inbox user = get front "/inbox" [ "Cookie", $"user={user}" ]
        let before = arrivals "/inbox"
        let ann1 = inbox ann
        let ann2 = inbox ann
        let ben1 = inbox ben
        let ben2 = inbox ben
        let ann3 = inbox ann
        Expect.stringContains ann1.Text $"inbox of {ann}" "ann's inbox"
        Expect.isFalse (front.IsHit ann1) "ann's first visit is not a hit"
        Expect.isTrue (front.IsHit ann2) $"ann's second visit is a {front.Name} hit: %A{ann2.Headers}"
        Expect.equal ann2.Text ann1.Text "ann gets her stored inbox"
        Expect.stringContains ben1.Text $"inbox of {ben}" "ben gets his own inbox, not ann's"
        Expect.isFalse (front.IsHit ben1) $"ben's first visit is not a hit on ann's entry: %A{ben1.Headers}"
        Expect.isTrue (front.IsHit ben2) "ben's second visit is a hit"
        Expect.equal ben2.Text ben1.Text "ben gets his stored inbox"
        Expect.isTrue (front.IsHit ann3 && ann3.Text = ann1.Text) "ann's entry is still there beside ben's"
        Expect.equal (arrivals "/inbox" - before) 2 "one request per user reached the demo"

let private conditionalAnsweredByFront (front: Front) =
    testCase $"{front.Name}: a conditional request for a stored page is answered 304 by {front.Name} itself" <| fun () ->
        let path = $"/foo/{fresh ()}/"
        let stored = get front path []
        Expect.equal stored.Status 200 "stored"
        let etag = stored.Header "ETag" |> Option.defaultWith (fun () -> failwithf "no ETag through %s: %A" front.Name stored.Headers)
        let lastModified = stored.Header "Last-Modified" |> Option.defaultWith (fun () -> failwithf "no Last-Modified through %s" front.Name)
        let byTag = get front path [ "If-None-Match", etag ]
        let byDate = get front path [ "If-Modified-Since", lastModified ]
        let otherTag = get front path [ "If-None-Match", "\"another-version\"" ]
        Expect.equal byTag.Status 304 "If-None-Match with the stored ETag: 304"
        Expect.isEmpty byTag.Body "a 304 has no body"
        Expect.isTrue (front.IsHit byTag) $"answered from the {front.Name} store: %A{byTag.Headers}"
        Expect.equal byDate.Status 304 "If-Modified-Since the stored Last-Modified: 304"
        Expect.equal otherTag.Status 200 "another ETag: the full page"
        Expect.equal otherTag.Text stored.Text "the stored page"
        Expect.equal (arrivals path) 1 "only the first request reached the demo"

let private varnishRevalidates =
    testCase "Varnish: a soft-purged page is revalidated with a conditional request, which the demo answers 304" <| fun () ->
        let path = $"/foo/{fresh ()}/"
        let stored = get varnish path []
        Expect.isTrue (varnishHit (get varnish path [])) "stored at Varnish"
        let purged = DemoOrigin.send "PURGE" (varnish.Url () + path) []
        Expect.equal purged.Status 200 "soft-purged"
        let refreshed = get varnish path []
        Expect.equal refreshed.Status 200 "the client gets the full page"
        Expect.isFalse (varnishHit refreshed) "the expired object is not served as a hit"
        DemoOrigin.settle upstreams.Value.Origin
        Expect.equal (DemoOrigin.answers upstreams.Value.Origin path) [ 200; 304 ] "the demo answered the fetch 200 and the revalidation 304"
        Expect.equal (refreshed.Header "X-Varnish-Revalidated") (Some "true") $"Varnish refreshed its object with the 304: %A{refreshed.Headers}"
        Expect.equal refreshed.Text stored.Text "the stored body, kept by the 304"
        Expect.isTrue (varnishHit (get varnish path [])) "the refreshed object is a hit again"

let private varnishHonoursAge =
    testCase "Varnish: the demo's Age counts against the object's lifetime (Age is honoured)" <| fun () ->
        let path = $"/foo/{fresh ()}/"
        // The demo keys its cache on the Host it is asked for: warm the entry Varnish will ask for.
        let asVarnish = [ "Host", $"127.0.0.1:{upstreams.Value.Varnish.Port}" ]
        let origin = upstreams.Value.Origin.Url
        Expect.equal (DemoOrigin.get (origin + path) asVarnish).Status 200 "stored at the demo"
        // Age is in whole seconds: after two, the demo's stored copy is at least a second old.
        Thread.Sleep 2000
        let demoAge = (DemoOrigin.get (origin + path) asVarnish).Header "Age" |> Option.map int |> Option.defaultValue 0
        Expect.isGreaterThanOrEqual demoAge 1 "the demo serves its stored copy with its age"
        let fetched = get varnish path []
        Expect.equal (fetched.Header "X-Varnish-Hits") (Some "0") "a fetch at Varnish, not a hit"
        let varnishAge = fetched.Header "Age" |> Option.map int |> Option.defaultValue -1
        Expect.isGreaterThanOrEqual varnishAge demoAge "Varnish counts the object's age from the demo's Age, not from its own fetch"

[<Tests>]
let tests =
    testSequenced <| testList "Http.UpstreamCache" [
        for front in [ nginx; varnish ] do
            cachedPageIsHit front
            uncacheableNeverHit front
            inboxPerCookie front
            conditionalAnsweredByFront front
        varnishRevalidates
        varnishHonoursAge
    ]
