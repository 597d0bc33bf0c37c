/// Real redis-server processes for the Redis tests: each one a child process on a free loopback port, without
/// persistence (`--save '' --appendonly no`), started on demand and stopped by its PID. A missing binary fails loudly
/// with the install hint.
module Integration.Redis

open System
open System.Diagnostics
open System.IO

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

/// Starts redis-server on `port` with `extra` arguments (`--requirepass x`, `--replicaof …`) and waits until it accepts
/// connections.
let startWith (port: int) (extra: string list) : Server =
    let dir = Directory.CreateTempSubdirectory("fcache-redis-").FullName
    let args =
        [ "--port"; string port; "--bind"; "127.0.0.1"; "--save"; ""; "--appendonly"; "no"; "--dir"; dir; "--daemonize"; "no"; "--protected-mode"; "no" ]
        @ extra
    let p = ServerProcess.start (binary ()) args (Some dir) ignore
    ServerProcess.awaitAccepting $"redis-server on port {port}" p port (fun () -> "")
    { Port = port; Process = p; Directory = dir }

/// Starts redis-server on a free loopback port.
let start () = startWith (freePort ()) []

/// Stops the server by its PID, waits for it to go, and removes its directory.
let stop (server: Server) =
    ServerProcess.stop server.Process
    try Directory.Delete(server.Directory, true) with _ -> ()

/// Freezes the server (SIGSTOP) and returns once every thread has stopped: its connections stay open, it answers nothing.
let pause (server: Server) = ServerProcess.pause server.Process

/// Lets a frozen server run again (SIGCONT).
let resume (server: Server) = ServerProcess.resume server.Process

/// Starts a fresh process on a stopped server's port, with the same extra arguments.
let restartWith (server: Server) (extra: string list) = startWith server.Port extra

/// Runs redis-cli against the server on `port` with `args`, feeding it `input` (commands, one a line) when given; its
/// output, trimmed. A failing redis-cli fails the caller with what it printed.
let cliOn (port: int) (args: string list) (input: string option) : string =
    let run = ServerProcess.runTool (findExecutable "redis-cli" installHint) ([ "-h"; "127.0.0.1"; "-p"; string port ] @ args) input
    if run.ExitCode <> 0 then failwithf "redis-cli %s failed (exit %d): %s%s" (String.Join(" ", args)) run.ExitCode run.Out run.Err
    run.Out.Trim()

/// Runs redis-cli against the server and returns its standard output, trimmed, whatever its exit code (a test may
/// want to see an error reply).
let cli (server: Server) (args: string list) : string =
    (ServerProcess.runTool (findExecutable "redis-cli" installHint) ([ "-h"; "127.0.0.1"; "-p"; string server.Port ] @ args) None).Out.Trim()

/// The server this test process shares, started on first use and stopped at exit.
let shared : Lazy<Server> =
    lazy
        (let server = start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> stop server)
         server)
