/// The F# sample site: the per-view cache and the header decorators composed as a list, outermost first.
/// Cache: CACHE_BACKEND from the environment, else locmem:///. Address: --urls, else http://127.0.0.1:5001.
module FSharpSite.Program

open System
open System.Globalization
open System.Threading.Tasks
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Hosting
open Microsoft.AspNetCore.Http
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore

let private now () = DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)

/// A page worth caching for everyone: same text for every visitor.
let private article : View =
    textView (fun context -> Task.FromResult(sprintf "article %O, rendered at %s\n" context.Request.RouteValues["id"] (now ())))

/// A page per visitor: its text depends on the `user` cookie, so its cache must vary on Cookie.
let private inbox : View =
    textView (fun context ->
        let user = match context.Request.Cookies.TryGetValue "user" with | true, u -> u | _ -> "nobody"
        Task.FromResult(sprintf "inbox of %s, rendered at %s\n" user (now ())))

/// A page with a cached fragment inside an uncached page.
let private home : View =
    textView (fun context ->
        task {
            let! sidebar = context |> fragment "sidebar" [ "fsharp-site" ] 500 (fun () -> Task.FromResult(sprintf "sidebar rendered at %s" (now ())))
            return sprintf "FunctionalCache F# site (page rendered at %s)\n%s\n/articles/1  /inbox  /never\n" (now ()) sidebar
        })

/// Never stored anywhere.
let private never : View = textView (fun _ -> Task.FromResult(sprintf "never cached: %s\n" (now ())))

[<EntryPoint>]
let main args =
    let builder = WebApplication.CreateBuilder(args)
    if String.IsNullOrEmpty builder.Configuration["urls"] then builder.WebHost.UseUrls("http://127.0.0.1:5001") |> ignore
    let backend = match Environment.GetEnvironmentVariable "CACHE_BACKEND" with | null | "" -> "locmem:///" | uri -> uri
    builder.Services |> Services.addCache backend |> ignore
    let app = builder.Build()
    // Every page answers HEAD as its GET, without the body (ASP.NET Core answers 405 to a HEAD on a MapGet route).
    let getAndHead = [| HttpMethods.Get; HttpMethods.Head |]
    app.MapMethods("/", getAndHead, home) |> ignore
    app.MapMethods("/articles/{id:int}", getAndHead, article |> View.decorate [ cachePage 900; cacheControl [ Public ] ]) |> ignore
    app.MapMethods("/inbox", getAndHead, inbox |> View.decorate [ cachePage 900; varyOnCookie ]) |> ignore
    app.MapMethods("/never", getAndHead, neverCache never) |> ignore
    app.Run()
    0
