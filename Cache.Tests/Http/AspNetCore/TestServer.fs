/// A real Kestrel server on 127.0.0.1 (a free port) with a given pipeline, and a real HttpClient that
/// neither decompresses nor keeps cookies, so tests see exactly what went over the wire.
module Http.AspNetCore.TestServer

open System
open System.Net.Http
open System.Threading
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Hosting
open Microsoft.AspNetCore.Hosting.Server
open Microsoft.AspNetCore.Hosting.Server.Features
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.Http.AspNetCore

/// What a response brought back: status, every header field (response and content fields, joined
/// with ", " except Set-Cookie, joined with "\n"), and the body bytes.
type Reply =
    { Status: int
      Headers: Map<string, string>
      Body: byte[] }
    member r.Text = Text.Encoding.UTF8.GetString r.Body
    member r.Header(name: string) = r.Headers |> Map.tryFind (name.ToLowerInvariant())
    member r.XCache = r.Header "X-Cache" |> Option.defaultValue "(none)"

/// A running server; disposing stops it.
type Server =
    { App: WebApplication
      Client: HttpClient
      BaseUri: Uri
      Clock: FakeTimeProvider }
    member s.Counters = s.App.Services.GetRequiredService<CacheCounters>()
    /// Sends `methodName path` with `headers` (a "Host" entry overrides the Host header).
    member s.Send(methodName: string, path: string, ?headers: (string * string) list) : Reply =
        use request = new HttpRequestMessage(HttpMethod(methodName), Uri(s.BaseUri, path))
        for (name, value) in defaultArg headers [] do
            if name.Equals("Host", StringComparison.OrdinalIgnoreCase) then request.Headers.Host <- value
            else request.Headers.TryAddWithoutValidation(name, value) |> ignore
        use response = s.Client.Send(request)
        let body = response.Content.ReadAsByteArrayAsync() |> run
        let fields =
            Seq.append (response.Headers.NonValidated |> Seq.map (fun kv -> kv.Key, Seq.toList kv.Value))
                       (response.Content.Headers.NonValidated |> Seq.map (fun kv -> kv.Key, Seq.toList kv.Value))
            |> Seq.map (fun (k, vs) ->
                k.ToLowerInvariant(), String.Join((if k.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) then "\n" else ", "), vs))
            |> Map.ofSeq
        { Status = int response.StatusCode; Headers = fields; Body = body }
    member s.Get(path: string, ?headers) = s.Send("GET", path, defaultArg headers [])
    member s.Head(path: string, ?headers) = s.Send("HEAD", path, defaultArg headers [])
    interface IDisposable with
        member s.Dispose() =
            s.Client.Dispose()
            s.App.StopAsync() |> runUnit
            (s.App :> IAsyncDisposable).DisposeAsync().AsTask() |> runUnit

/// The clock every server starts on (tests that pin a date pass their own).
let defaultStart = DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero)

/// A locmem cache that follows `clock`.
let locmemOn (clock: TimeProvider) : ICache =
    LocMemCache(CachePolicy.Default.WithMaxEntries(10000), CacheContext.Default.WithTime(clock)) :> ICache

/// Starts a server: `services` may register more (keyed caches…), `build` adds middleware and
/// endpoints. The default ICache is a fresh locmem on the fake clock unless `cache` is given.
let startWith (clock: FakeTimeProvider) (cache: ICache option) (services: IServiceCollection -> unit) (build: WebApplication -> unit) : Server =
    let builder = WebApplication.CreateSlimBuilder()
    builder.WebHost.UseUrls("http://127.0.0.1:0") |> ignore
    builder.Logging.ClearProviders() |> ignore
    builder.Services.AddSingleton<TimeProvider>(clock) |> ignore
    builder.Services.AddFunctionalCache(cache |> Option.defaultWith (fun () -> locmemOn clock)) |> ignore
    services builder.Services
    let app = builder.Build()
    build app
    app.StartAsync() |> runUnit
    let address =
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses |> Seq.head
    let handler = new SocketsHttpHandler(UseCookies = false, AutomaticDecompression = Net.DecompressionMethods.None, AllowAutoRedirect = false)
    { App = app; Client = new HttpClient(handler, Timeout = TimeSpan.FromSeconds 30.0); BaseUri = Uri address; Clock = clock }

/// Starts a server on a fresh fake clock at `defaultStart` with a fresh locmem cache.
let start (build: WebApplication -> unit) : Server =
    startWith (FakeTimeProvider(defaultStart)) None ignore build

/// A view that counts its calls and answers "Hello World <n>" (Django's hello_world_view).
type Counter() =
    let mutable calls = 0
    member _.Calls = calls
    member _.Next() = Interlocked.Increment(&calls)

/// A RequestDelegate from a function of the context (F# lambdas to the delegate type).
let handler (f: HttpContext -> Threading.Tasks.Task) = RequestDelegate(f)

/// Writes `text` as text/plain.
let write (ctx: HttpContext) (text: string) : Threading.Tasks.Task =
    ctx.Response.ContentType <- "text/plain"
    ctx.Response.WriteAsync(text)

/// Maps GET (and HEAD) `path` to `view`, returning the endpoint's convention builder.
let mapGet (app: WebApplication) (path: string) (view: RequestDelegate) : IEndpointConventionBuilder =
    app.MapMethods(path, [ "GET"; "HEAD" ], view)
