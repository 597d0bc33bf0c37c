/// Real redis-server processes for the Redis tests: each one a child process on a free loopback port, without
/// persistence (`--save '' --appendonly no`), started on demand and stopped by its PID. A missing binary fails loudly
/// with the install hint.
module Integration.Redis

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Net.Sockets
open System.Threading

/// What to do when redis-server is missing.
let installHint = "redis-server is not installed (no `redis-server` on PATH). Install it: apt-get install -y redis-server"

/// The redis-server binary on PATH.
let binary () = findExecutable "redis-server" installHint

/// A running redis-server process.
type Server =
    { Port: int
      Process: Process
      /// The directory it runs in (its working files, none of them persistent).
      Directory: string }
    /// The PID, for logs.
    member s.Pid = s.Process.Id
    /// `127.0.0.1:port`.
    member s.Location = $"127.0.0.1:{s.Port}"
    /// `redis://127.0.0.1:port/`.
    member s.Uri = $"redis://127.0.0.1:{s.Port}/"

let private accepts (port: int) =
    try
        use client = new TcpClient()
        client.Connect(IPAddress.Loopback, port)
        true
    with _ -> false

/// Starts redis-server on `port` with `extra` arguments (`--requirepass x`, `--replicaof …`) and waits until it accepts
/// connections.
let startWith (port: int) (extra: string list) : Server =
    let dir = Directory.CreateTempSubdirectory("fcache-redis-").FullName
    let info = ProcessStartInfo(binary (), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir)
    for a in [ "--port"; string port; "--bind"; "127.0.0.1"; "--save"; ""; "--appendonly"; "no"; "--dir"; dir; "--daemonize"; "no"; "--protected-mode"; "no" ] @ extra do
        info.ArgumentList.Add a
    let p = Process.Start info
    p.OutputDataReceived.Add ignore
    p.ErrorDataReceived.Add ignore
    p.BeginOutputReadLine()
    p.BeginErrorReadLine()
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not (accepts port) && not p.HasExited && DateTime.UtcNow < deadline do Thread.Sleep 20
    if p.HasExited then failwithf "redis-server on port %d exited at once (code %d); is the port taken?" port p.ExitCode
    if not (accepts port) then
        p.Kill()
        failwithf "redis-server on port %d did not accept connections within 10 s" port
    { Port = port; Process = p; Directory = dir }

/// Starts redis-server on a free loopback port.
let start () = startWith (freePort ()) []

/// Stops the server by its PID, waits for it to go, and removes its directory.
let stop (server: Server) =
    try
        if not server.Process.HasExited then
            server.Process.Kill()
            server.Process.WaitForExit 10_000 |> ignore
    with :? InvalidOperationException -> ()
    try Directory.Delete(server.Directory, true) with _ -> ()

/// Sends `signal` (`STOP`, `CONT`) to the server's process with kill(1).
let private signal (name: string) (server: Server) =
    let info = ProcessStartInfo("kill", UseShellExecute = false)
    info.ArgumentList.Add("-" + name)
    info.ArgumentList.Add(string server.Pid)
    use kill = Process.Start info
    kill.WaitForExit()
    if kill.ExitCode <> 0 then failwithf "kill -%s %d failed (exit %d)" name server.Pid kill.ExitCode

/// Freezes the server (SIGSTOP): its connections stay open, it answers nothing.
let pause (server: Server) = signal "STOP" server

/// Lets a frozen server run again (SIGCONT).
let resume (server: Server) = signal "CONT" server

/// Starts a fresh process on a stopped server's port, with the same extra arguments.
let restartWith (server: Server) (extra: string list) = startWith server.Port extra

/// Runs redis-cli against the server and returns its standard output, trimmed.
let cli (server: Server) (args: string list) : string =
    let info = ProcessStartInfo(findExecutable "redis-cli" installHint, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true)
    for a in [ "-h"; "127.0.0.1"; "-p"; string server.Port ] @ args do info.ArgumentList.Add a
    use p = Process.Start info
    let out = p.StandardOutput.ReadToEnd()
    p.WaitForExit()
    out.Trim()

/// The server this test process shares, started on first use and stopped at exit.
let shared : Lazy<Server> =
    lazy
        (let server = start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> stop server)
         server)
