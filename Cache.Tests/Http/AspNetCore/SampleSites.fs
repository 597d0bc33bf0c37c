/// Running the built sample sites (samples/*) as their own processes and talking to them with curl,
/// as a user following the README would.
module Http.AspNetCore.SampleSites

open System
open System.Diagnostics
open System.IO

/// The built sample `name` beside this test binary's configuration (…/bin/<Configuration>/net10.0/).
let sampleDll (name: string) =
    let testDir = DirectoryInfo AppContext.BaseDirectory
    let configuration = testDir.Parent.Name
    let rec repo (dir: DirectoryInfo) =
        if isNull dir then failwith "repository root not found above the test binaries"
        elif File.Exists(Path.Combine(dir.FullName, "FunctionalCache.sln")) then dir.FullName
        else repo dir.Parent
    let dll = Path.Combine(repo testDir, "samples", name, "bin", configuration, "net10.0", name + ".dll")
    if not (File.Exists dll) then failwithf "the sample is not built: %s is missing (dotnet build FunctionalCache.sln -c %s)" dll configuration
    dll

/// Runs curl; the response header block and body as one text.
let curl (args: string) =
    let info = ProcessStartInfo("curl", "-s -i --max-time 20 " + args, RedirectStandardOutput = true, UseShellExecute = false)
    use p =
        try Process.Start info
        with e -> failwithf "curl is needed by the sample-site tests (apt-get install -y curl): %s" e.Message
    let out = p.StandardOutput.ReadToEnd()
    p.WaitForExit()
    out

/// The X-Cache header of a curl reply, or "(none)".
let xcache (reply: string) =
    reply.Split('\n') |> Array.tryPick (fun l -> if l.StartsWith("X-Cache:", StringComparison.OrdinalIgnoreCase) then Some (l.Substring(8).Trim()) else None)
    |> Option.defaultValue "(none)"

/// The value of the header `name` in a curl reply, if present.
let header (name: string) (reply: string) =
    reply.Split('\n')
    |> Array.takeWhile (fun l -> l.Trim() <> "")
    |> Array.tryPick (fun l -> if l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) then Some (l.Substring(name.Length + 1).Trim()) else None)

/// Starts `dotnet dll --urls url` (CACHE_BACKEND removed so the site uses its own default) and waits
/// until `readyPath` answers 200, for at most a minute.
let start (dll: string) (url: string) (readyPath: string) : Process =
    let info = ProcessStartInfo("dotnet", sprintf "\"%s\" --urls %s" dll url,
                                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    info.Environment.Remove "CACHE_BACKEND" |> ignore
    let site = Process.Start info
    site.BeginOutputReadLine()
    site.BeginErrorReadLine()
    let deadline = DateTime.UtcNow.AddSeconds 60.0
    while not ((curl (url + readyPath)).StartsWith "HTTP/1.1 200") && DateTime.UtcNow < deadline && not site.HasExited do
        Threading.Thread.Sleep 200
    site

/// A site started by `startCapturing`: the process and everything it has written to stdout and stderr so far.
type CapturedSite =
    { Process: Process
      Output: Collections.Concurrent.ConcurrentQueue<string> }
    member s.Log = String.Join("\n", s.Output)

/// Starts `dotnet dll --urls url` with the environment `env` (CACHE_BACKEND removed unless `env` sets it), keeping its
/// output, and waits until `readyPath` answers 200, for at most a minute.
let startCapturing (env: (string * string) list) (dll: string) (url: string) (readyPath: string) : CapturedSite =
    let info = ProcessStartInfo("dotnet", sprintf "\"%s\" --urls %s" dll url,
                                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    info.Environment.Remove "CACHE_BACKEND" |> ignore
    for name, value in env do info.Environment[name] <- value
    let output = Collections.Concurrent.ConcurrentQueue<string>()
    let site = Process.Start info
    site.OutputDataReceived.Add(fun e -> if not (isNull e.Data) then output.Enqueue e.Data)
    site.ErrorDataReceived.Add(fun e -> if not (isNull e.Data) then output.Enqueue e.Data)
    site.BeginOutputReadLine()
    site.BeginErrorReadLine()
    let deadline = DateTime.UtcNow.AddSeconds 60.0
    while not ((curl (url + readyPath)).StartsWith "HTTP/1.1 200") && DateTime.UtcNow < deadline && not site.HasExited do
        Threading.Thread.Sleep 200
    { Process = site; Output = output }

/// The status code of a curl reply ("HTTP/1.1 200 OK" → 200), or 0 when there is none.
let status (reply: string) =
    match reply.Split(' ') with
    | parts when parts.Length > 1 && parts[0].StartsWith "HTTP/" -> int parts[1]
    | _ -> 0

/// The number after `label` on the demo's /stats page, in the section whose title starts with `section` ("": the
/// first such line anywhere).
let statsNumber (section: string) (label: string) (stats: string) : int64 =
    let lines = stats.Split('\n') |> Array.map (fun l -> l.Trim())
    let from = if section = "" then 0 else defaultArg (lines |> Array.tryFindIndex (fun l -> l.StartsWith section)) lines.Length
    lines
    |> Array.skip from
    |> Array.tryPick (fun l ->
        if l.StartsWith(label + " ", StringComparison.Ordinal) then Some (int64 (l.Substring(label.Length + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries).[0]))
        else None)
    |> Option.defaultWith (fun () -> failwithf "no '%s' line in section '%s' of /stats:\n%s" label section stats)

/// Stops a site started by `start`.
let stop (site: Process) =
    if not site.HasExited then site.Kill true
    site.WaitForExit()
