/// The issue's security list, each on a real Kestrel with the per-site cache: one client's page is
/// never served to another.
module Http.AspNetCore.SecurityTests

open System
open System.Security.Claims
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open FunctionalCache.Http.AspNetCore
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

let private site (configure: CacheMiddlewareOptions -> CacheMiddlewareOptions) (routes: WebApplication -> unit) =
    start (fun app ->
        app |> App.useCache configure |> ignore
        routes app)

let private from (host: string) (more: (string * string) list) = ("Host", host) :: more

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Security" [
        testCase "a response with Set-Cookie is never served to another client" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx ->
                let n = counter.Next()
                ctx.Response.Cookies.Append("session", sprintf "secret-%d" n)
                write ctx (sprintf "page %d" n))
            use s = site id (fun app -> mapGet app "/" view |> ignore)
            let a = s.Get("/", from "t" [])
            let b = s.Get("/", from "t" [])
            Expect.equal (a.Header "Set-Cookie" |> Option.map (fun c -> c.StartsWith "session=secret-1")) (Some true) "A's cookie"
            Expect.equal (b.Text, b.XCache) ("page 2", "MISS") "B gets a fresh page"
            Expect.isFalse ((defaultArg (b.Header "Set-Cookie") "").Contains "secret-1") "never A's cookie"

        testCase "user A's cookie-varying page is never served to user B (or to a client without cookies)" <| fun () ->
            let view = handler (fun ctx -> write ctx (sprintf "inbox of %s" (defaultArg (Option.ofObj ctx.Request.Cookies["user"]) "nobody")))
            use s = site id (fun app -> mapGet app "/inbox" view |> fun b -> b.VaryOnCookie() |> ignore)
            let get cookie = s.Get("/inbox", from "t" (cookie |> Option.map (fun c -> "Cookie", c) |> Option.toList))
            let a1, b1, none1, a2, b2 = get (Some "user=a"), get (Some "user=b"), get None, get (Some "user=a"), get (Some "user=b")
            Expect.equal [ a1.Text; b1.Text; none1.Text; a2.Text; b2.Text ] [ "inbox of a"; "inbox of b"; "inbox of nobody"; "inbox of a"; "inbox of b" ] "each their own"
            Expect.equal [ a1.XCache; b1.XCache; none1.XCache; a2.XCache; b2.XCache ] [ "MISS"; "MISS"; "MISS"; "HIT"; "HIT" ] "cached per cookie"

        testCase "a request without the varied header never gets the page of one that sent it empty, and vice versa" <| fun () ->
            let view = handler (fun ctx -> write ctx (if ctx.Request.Headers.ContainsKey "X-Token" then "token:" + string ctx.Request.Headers["X-Token"] else "no token"))
            use s = site id (fun app -> mapGet app "/" view |> fun b -> b.VaryOnHeaders("X-Token") |> ignore)
            let empty = s.Get("/", from "t" [ "X-Token", "" ])
            let absent = s.Get("/", from "t" [])
            Expect.equal (empty.Text, absent.Text, absent.XCache) ("token:", "no token", "MISS") "absent and empty are cached apart"

        testCase "different Host headers never share an entry" <| fun () ->
            let view = handler (fun ctx -> write ctx ("host " + ctx.Request.Host.Value))
            use s = site id (fun app -> mapGet app "/" view |> ignore)
            let a, b, a2 = s.Get("/", from "a.example" []), s.Get("/", from "b.example" []), s.Get("/", from "a.example" [])
            Expect.equal (a.Text, b.Text, a2.Text) ("host a.example", "host b.example", "host a.example") "per host"
            Expect.equal (b.XCache, a2.XCache) ("MISS", "HIT") "b.example is its own entry"

        testCase "a request with Authorization bypasses the cache: never answered from it, its page never stored, Vary: Authorization added" <| fun () ->
            let counter = Counter()
            let view = handler (fun ctx ->
                let who = if ctx.Request.Headers.ContainsKey "Authorization" then "user" else "anonymous"
                write ctx (sprintf "%s %d" who (counter.Next())))
            use s = site id (fun app -> mapGet app "/" view |> ignore)
            let fresh = s.Get("/", from "t" [ "Authorization", "Basic dXNlcjpwdw==" ])
            let anon = s.Get("/", from "t" [])
            let auth = s.Get("/", from "t" [ "Authorization", "Basic dXNlcjpwdw==" ])
            let anon2 = s.Get("/", from "t" [])
            Expect.equal (fresh.Text, anon.Text, auth.Text, anon2.Text) ("user 1", "anonymous 2", "user 3", "anonymous 2") "credentials never share"
            Expect.equal (fresh.Header "Vary") (Some "Authorization") "Vary: Authorization"
            Expect.equal (auth.XCache, anon2.XCache) ("MISS", "HIT") "bypass, then the anonymous entry"

        testCase "an explicitly public response to a request with Authorization is stored for everyone" <| fun () ->
            let counter = Counter()
            use s = site id (fun app -> mapGet app "/" (handler (fun ctx -> write ctx (string (counter.Next())))) |> fun b -> b.CacheControl(fun p -> p.Public()) |> ignore)
            s.Get("/", from "t" [ "Authorization", "Bearer x" ]) |> ignore
            let anon = s.Get("/", from "t" [])
            Expect.equal (anon.Text, anon.XCache) ("1", "HIT") "public page shared"

        testCase "private, no-cache and no-store responses are never stored, in any case and with field names; x-private-ext is" <| fun () ->
            let values = [ "private"; "Private"; "no-store"; "NO-STORE"; "no-cache"; "no-cache=Set-Cookie"; "private=\"Set-Cookie\""; "max-age=60, PRIVATE" ]
            let counter = Counter()
            use s =
                site id (fun app ->
                    for i, cc in List.indexed ("x-private-ext" :: values) do
                        mapGet app (sprintf "/%d" i) (handler (fun ctx -> ctx.Response.Headers.CacheControl <- cc; write ctx (string (counter.Next())))) |> ignore)
            for i, cc in List.indexed ("x-private-ext" :: values) do
                let path = sprintf "/%d" i
                s.Get(path, from "t" []) |> ignore
                let again = s.Get(path, from "t" [])
                Expect.equal again.XCache (if i = 0 then "HIT" else "MISS") cc

        testCase "Vary: * is never stored" <| fun () ->
            use s = site id (fun app -> mapGet app "/" (handler (fun ctx -> ctx.Response.Headers.Vary <- "Cookie, *"; write ctx "x")) |> ignore)
            s.Get("/", from "t" []) |> ignore
            Expect.equal (s.Get("/", from "t" []).XCache) "MISS" "not stored"

        testCase "AnonymousOnly: an authenticated user's requests are neither answered from the cache nor stored" <| fun () ->
            let counter = Counter()
            use s =
                start (fun app ->
                    let signIn (next: View) =
                        View.ofTask (fun ctx ->
                            if ctx.Request.Headers.ContainsKey "X-User" then
                                ctx.User <- ClaimsPrincipal(ClaimsIdentity([ Claim(ClaimTypes.Name, string ctx.Request.Headers["X-User"]) ], "test"))
                            next.Invoke ctx)
                    app |> App.useDecorator signIn |> App.useCache (fun o -> o.WithAnonymousOnly()) |> ignore
                    mapGet app "/" (handler (fun ctx -> write ctx (sprintf "%s %d" ctx.User.Identity.Name (counter.Next())))) |> ignore)
            let bob = s.Get("/", from "t" [ "X-User", "bob" ])
            let anon = s.Get("/", from "t" [])
            let bob2 = s.Get("/", from "t" [ "X-User", "bob" ])
            let anon2 = s.Get("/", from "t" [])
            Expect.equal (bob.Text, anon.Text, bob2.Text, anon2.Text) ("bob 1", " 2", "bob 3", " 2") "only anonymous pages cached"
            Expect.equal (bob.XCache, bob2.XCache, anon2.XCache) ("(none)", "(none)", "HIT") "authenticated requests bypass"
    ]
