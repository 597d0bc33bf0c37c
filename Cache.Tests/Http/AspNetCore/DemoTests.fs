/// The demo site, started as the README says (the built samples/Cache.Demo on a free port, its
/// embedded db:// default), driven by curl: MISS then HIT, per-view pages apart, the cookie inbox,
/// the never-cached page and /stats.
module Http.AspNetCore.DemoTests

open System
open System.Diagnostics
open System.IO
open Expecto

/// The built demo beside this test binary's configuration (…/bin/<Configuration>/net10.0/).
let private demoDll () =
    let testDir = DirectoryInfo AppContext.BaseDirectory
    let configuration = testDir.Parent.Name
    let rec repo (dir: DirectoryInfo) =
        if isNull dir then failwith "repository root not found above the test binaries"
        elif File.Exists(Path.Combine(dir.FullName, "FunctionalCache.sln")) then dir.FullName
        else repo dir.Parent
    let dll = Path.Combine(repo testDir, "samples", "Cache.Demo", "bin", configuration, "net10.0", "Cache.Demo.dll")
    if not (File.Exists dll) then failwithf "the demo is not built: %s is missing (dotnet build FunctionalCache.sln -c %s)" dll configuration
    dll

/// Runs curl; the response header block and body as one text.
let private curl (args: string) =
    let info = ProcessStartInfo("curl", "-s -i --max-time 20 " + args, RedirectStandardOutput = true, UseShellExecute = false)
    use p =
        try Process.Start info
        with e -> failwithf "curl is needed by the demo test (apt-get install -y curl): %s" e.Message
    let out = p.StandardOutput.ReadToEnd()
    p.WaitForExit()
    out

let private xcache (reply: string) =
    reply.Split('\n') |> Array.tryPick (fun l -> if l.StartsWith("X-Cache:", StringComparison.OrdinalIgnoreCase) then Some (l.Substring(8).Trim()) else None)
    |> Option.defaultValue "(none)"

[<Tests>]
let tests =
    testSequenced <| testList "Http.AspNetCore.Demo" [
        testCase "the demo starts on its db:// default and a scripted curl run shows MISS then HIT" <| fun () ->
            let port = freePort ()
            let url = sprintf "http://127.0.0.1:%d" port
            let dir = Directory.CreateTempSubdirectory("fc-demo-")
            let dll = demoDll ()
            // A copy, so the SQLite file lands in a fresh directory of its own.
            for f in Directory.GetFiles(Path.GetDirectoryName dll) do File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName f))
            for d in Directory.GetDirectories(Path.GetDirectoryName dll) do
                let target = Path.Combine(dir.FullName, Path.GetFileName d)
                Directory.CreateDirectory target |> ignore
                for f in Directory.GetFiles(d, "*", SearchOption.AllDirectories) do
                    let t = Path.Combine(target, Path.GetRelativePath(d, f))
                    Directory.CreateDirectory(Path.GetDirectoryName t) |> ignore
                    File.Copy(f, t)
            let info = ProcessStartInfo("dotnet", sprintf "\"%s\" --urls %s" (Path.Combine(dir.FullName, "Cache.Demo.dll")) url,
                                        RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
            info.Environment.Remove "CACHE_BACKEND" |> ignore
            use demo = Process.Start info
            demo.BeginOutputReadLine()
            demo.BeginErrorReadLine()
            try
                let deadline = DateTime.UtcNow.AddSeconds 60.0
                while not ((curl (url + "/stats")).StartsWith "HTTP/1.1 200") && DateTime.UtcNow < deadline do
                    Threading.Thread.Sleep 200
                let first = curl (url + "/")
                let second = curl (url + "/")
                Expect.equal (xcache first, xcache second) ("MISS", "HIT") "MISS then HIT"
                Expect.stringContains second "primes below" "the expensive page"
                Expect.isTrue (File.Exists(Path.Combine(dir.FullName, "demo.sqlite"))) "the db:// default in a SQLite file beside the app"
                let foo = [ "/foo/1/"; "/foo/23/"; "/foo/1/" ] |> List.map (fun p -> curl (url + p))
                Expect.equal (foo |> List.map xcache) [ "MISS"; "MISS"; "HIT" ] "per-view pages cached apart"
                let login = curl (url + "/login?user=bob")
                Expect.stringContains login "Set-Cookie: user=bob" "the login page sets a cookie"
                Expect.equal (xcache (curl (url + "/login?user=bob"))) "MISS" "and is never stored"
                let bob = curl ("-H \"Cookie: user=bob\" " + url + "/inbox")
                let bob2 = curl ("-H \"Cookie: user=bob\" " + url + "/inbox")
                let eve = curl ("-H \"Cookie: user=eve\" " + url + "/inbox")
                Expect.equal (xcache bob, xcache bob2, xcache eve) ("MISS", "HIT", "MISS") "the inbox varies on Cookie"
                Expect.stringContains eve "inbox of eve" "eve's inbox"
                Expect.equal [ xcache (curl (url + "/never")); xcache (curl (url + "/never")) ] [ "MISS"; "MISS" ] "never cached"
                let stats = curl (url + "/stats")
                Expect.stringContains stats "hits 3" "three hits counted"
            finally
                if not demo.HasExited then demo.Kill true
                demo.WaitForExit()
                try dir.Delete true with _ -> ()
    ]
