/// The built demo site (samples/Cache.Demo) run as its own process on backends that fail for real, driven by curl:
/// every page still answers, and each failure is logged and counted on /stats.
module Http.AspNetCore.DemoFailureTests

open System
open System.IO
open Expecto

open Http.AspNetCore.SampleSites

/// Every page the demo serves, as the home page links them.
let private demoPages = [ "/"; "/foo/1/"; "/foo/23/"; "/inbox"; "/login?user=bob"; "/never"; "/stats" ]

/// Runs the demo on `backend` and passes it and its address to `check`; stops it afterwards.
let private withDemo (backend: string) (check: CapturedSite -> string -> unit) =
    let url = sprintf "http://127.0.0.1:%d" (freePort ())
    let demo = startCapturing [ "CACHE_BACKEND", backend ] (sampleDll "Cache.Demo") url "/stats"
    try check demo url
    finally stop demo.Process

let private failingBackends (dir: DirectoryInfo) =
    let blocker = Path.Combine(dir.FullName, "a-regular-file")
    File.WriteAllText(blocker, "not a directory")
    [ "db:// with a missing table", sprintf "db://nosuch?database=%s" (Path.Combine(dir.FullName, "x.sqlite"))
      "file:// at a regular file", sprintf "file://%s" blocker ]

/// Runs the demo with CACHE_BACKEND=`backend` until it exits (at most a minute): its exit code, stdout and stderr.
let private runToExit (backend: string) =
    let info = Diagnostics.ProcessStartInfo("dotnet", sprintf "\"%s\" --urls http://127.0.0.1:%d" (sampleDll "Cache.Demo") (freePort ()),
                                            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    info.Environment["CACHE_BACKEND"] <- backend
    use demo = Diagnostics.Process.Start info
    let stdout = demo.StandardOutput.ReadToEndAsync()
    let stderr = demo.StandardError.ReadToEndAsync()
    if not (demo.WaitForExit 60_000) then
        demo.Kill true
        failwithf "the demo kept running on CACHE_BACKEND=%s instead of refusing it" backend
    demo.ExitCode, stdout.Result, stderr.Result

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.DemoFailure" [
        testCase "on a backend that fails every call, every demo page answers (no 500), the sidebar renders uncached, failures are logged and counted" <| fun () ->
            let dir = Directory.CreateTempSubdirectory("fc-demo-failing-")
            try
                for name, backend in failingBackends dir do
                    withDemo backend (fun demo url ->
                        for page in demoPages do
                            let reply = curl (url + page)
                            Expect.isTrue (status reply >= 200 && status reply < 500) (sprintf "%s: GET %s answers %d, not an error page:\n%s" name page (status reply) reply)
                        let home = curl (url + "/")
                        Expect.stringContains home "<aside>Sidebar of the demo" $"{name}: the sidebar fragment is rendered uncached"
                        Expect.stringContains home "primes below" $"{name}: the page around it"
                        let stats = curl (url + "/stats")
                        Expect.isGreaterThanOrEqual (statsNumber "" "total backend failures" stats) 2L $"{name}: /stats counts the failures"
                        Expect.isGreaterThanOrEqual (statsNumber "fragment cache" "backend failures" stats) 1L $"{name}: the sidebar's failures among them"
                        Expect.stringContains demo.Log "Fragment cache failed" $"{name}: the fragment's failure is logged")
            finally
                dir.Delete true

        testCase "a CACHE_BACKEND that is no usable cache URI: one line on stderr naming it and the problem, exit 2, no stack trace" <| fun () ->
            for backend, problem in [ "nonsense", "scheme://"
                                      "mongodb://127.0.0.1/", "mongodb"
                                      "db://demo_cache", "database" ] do
                let code, stdout, stderr = runToExit backend
                let lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                Expect.equal code 2 (sprintf "%s: exit 2 (stderr: %s)" backend stderr)
                Expect.equal lines.Length 1 (sprintf "%s: one line on stderr:\n%s" backend stderr)
                Expect.stringContains lines[0] (sprintf "CACHE_BACKEND '%s'" backend) $"{backend}: names the variable and its value"
                Expect.stringContains lines[0] problem $"{backend}: says what is wrong"
                Expect.isFalse (stderr.Contains "Unhandled exception" || stdout.Contains "   at ") $"{backend}: no stack trace"
    ]
