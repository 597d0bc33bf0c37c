/// The demo site (samples/Cache.Demo) as the origin behind the upstream caches: the built sample run
/// as the demo tests run it (`dotnet Cache.Demo.dll --urls …`) on a free loopback port, on `locmem:///`
/// so every run starts empty, with its request log captured so a test can see which requests reached
/// it and what it answered. Stopped by its PID.
module Integration.DemoOrigin

open System
open System.Collections.Concurrent
open System.Diagnostics
open System.Net.Http
open System.Text.Json
open System.Threading

open Http.AspNetCore.SampleSites
open Http.AspNetCore.TestServer

/// One request as ASP.NET Core's hosting log saw it: started (EventId 1) or finished (EventId 2,
/// with the status code the demo answered).
type LoggedRequest =
    { Finished: bool
      Method: string
      Path: string
      Status: int option }

/// A running demo.
type Origin =
    { Port: int
      Process: Process
      Log: ConcurrentQueue<LoggedRequest>
      Output: ConcurrentQueue<string> }
    /// `http://127.0.0.1:port`.
    member o.Url = $"http://127.0.0.1:{o.Port}"

/// A client that neither decompresses, keeps cookies nor follows redirects: tests see the wire.
let client =
    lazy (new HttpClient(new SocketsHttpHandler(UseCookies = false, AutomaticDecompression = Net.DecompressionMethods.None, AllowAutoRedirect = false),
                         Timeout = TimeSpan.FromSeconds 30.0))

/// Sends `methodName url` with `headers` (a "Host" entry overrides the Host header).
let send (methodName: string) (url: string) (headers: (string * string) list) : Reply =
    use request = new HttpRequestMessage(HttpMethod(methodName), url)
    for (name, value) in headers do
        if name.Equals("Host", StringComparison.OrdinalIgnoreCase) then request.Headers.Host <- value
        else request.Headers.TryAddWithoutValidation(name, value) |> ignore
    use response = client.Value.Send(request)
    let body = response.Content.ReadAsByteArrayAsync() |> run
    let fields =
        Seq.append (response.Headers.NonValidated |> Seq.map (fun kv -> kv.Key, Seq.toList kv.Value))
                   (response.Content.Headers.NonValidated |> Seq.map (fun kv -> kv.Key, Seq.toList kv.Value))
        |> Seq.map (fun (k, vs) ->
            k.ToLowerInvariant(), String.Join((if k.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) then "\n" else ", "), vs))
        |> Map.ofSeq
    { Status = int response.StatusCode; Headers = fields; Body = body }

/// A GET of `url` with `headers`.
let get (url: string) (headers: (string * string) list) = send "GET" url headers

/// The hosting log's request entries, from the JSON console formatter's one-object-per-line output.
let private parse (line: string) : LoggedRequest option =
    if not (line.StartsWith "{") then None
    else
        try
            use doc = JsonDocument.Parse line
            let root = doc.RootElement
            let text (e: JsonElement) (name: string) =
                match e.TryGetProperty name with
                | true, v when v.ValueKind = JsonValueKind.String -> v.GetString()
                | true, v when v.ValueKind = JsonValueKind.Number -> v.GetRawText()
                | _ -> ""
            if text root "Category" <> "Microsoft.AspNetCore.Hosting.Diagnostics" then None
            else
                let state = root.GetProperty "State"
                match root.GetProperty("EventId").GetInt32() with
                | 1 | 2 as id ->
                    Some { Finished = (id = 2)
                           Method = text state "Method"
                           Path = text state "Path"
                           Status = (match Int32.TryParse(text state "StatusCode") with | true, s -> Some s | _ -> None) }
                | _ -> None
        with :? JsonException -> None

/// Starts the demo on a free port and waits until `/stats` answers 200 (at most a minute).
let start () : Origin =
    let port = freePort ()
    let url = $"http://127.0.0.1:{port}"
    let info = ProcessStartInfo("dotnet", RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    for a in [ sampleDll "Cache.Demo"; "--urls"; url ] do info.ArgumentList.Add a
    info.Environment["CACHE_BACKEND"] <- "locmem:///"
    // The request log, whatever the demo's own logging settings say: one JSON object a line, only
    // the hosting category, so "which requests reached the demo, and with what status" is readable.
    info.Environment["Logging__Console__FormatterName"] <- "json"
    info.Environment["Logging__LogLevel__Default"] <- "Warning"
    info.Environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] <- "Information"
    let log = ConcurrentQueue<LoggedRequest>()
    let output = ConcurrentQueue<string>()
    let p = Process.Start info
    let record (e: DataReceivedEventArgs) =
        if not (isNull e.Data) then
            output.Enqueue e.Data
            parse e.Data |> Option.iter log.Enqueue
    p.OutputDataReceived.Add record
    p.ErrorDataReceived.Add record
    p.BeginOutputReadLine()
    p.BeginErrorReadLine()
    let origin = { Port = port; Process = p; Log = log; Output = output }
    let ready () = try (get (url + "/stats") []).Status = 200 with _ -> false
    let deadline = DateTime.UtcNow.AddSeconds 60.0
    while not p.HasExited && not (ready ()) && DateTime.UtcNow < deadline do Thread.Sleep 100
    if p.HasExited || not (ready ()) then
        if not p.HasExited then p.Kill true
        failwithf "the demo did not answer %s/stats within 60 s; its output:\n%s" url (String.Join("\n", output))
    origin

/// Stops the demo by its PID.
let stop (origin: Origin) =
    try
        if not origin.Process.HasExited then
            origin.Process.Kill true
            origin.Process.WaitForExit 10_000 |> ignore
    with :? InvalidOperationException -> ()

/// Waits until the demo has logged every request that reached it before this call: a request of its
/// own, sent straight to the demo after those were answered, must be logged as finished, and the
/// console logger writes in order.
let settle (origin: Origin) =
    let marker = Guid.NewGuid().ToString("N")
    // A path of its own (the demo answers 404), so it is never counted as a request for a page.
    let path = $"/settle/{marker}"
    (get (origin.Url + path) []).Status |> ignore
    let logged () = origin.Log |> Seq.exists (fun r -> r.Finished && r.Path = path)
    let deadline = DateTime.UtcNow.AddSeconds 30.0
    while not (logged ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
    if not (logged ()) then
        failwithf "the demo's request log did not show the settle request within 30 s; its output:\n%s" (String.Join("\n", origin.Output))

/// How many GETs of `path` reached the demo so far (call `settle` first).
let arrivals (origin: Origin) (path: string) =
    origin.Log |> Seq.filter (fun r -> not r.Finished && r.Method = "GET" && r.Path = path) |> Seq.length

/// The status codes the demo answered to GETs of `path`, in order (call `settle` first).
let answers (origin: Origin) (path: string) =
    origin.Log |> Seq.filter (fun r -> r.Finished && r.Method = "GET" && r.Path = path) |> Seq.choose _.Status |> List.ofSeq
