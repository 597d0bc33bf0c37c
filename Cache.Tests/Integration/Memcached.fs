/// Real memcached servers for the memcached tests: each one a child process on a free loopback port
/// (`-l 127.0.0.1 -U 0`), started on demand and stopped by its PID. A missing binary fails loudly with the
/// install hint. Compiled into Cache.Tests and, linked, into Cache.Properties.
module Integration.Memcached

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Net.Sockets
open System.Threading

/// What to do when memcached is missing.
let installHint = "memcached is not installed (no `memcached` on PATH). Install it: apt-get install -y memcached"

/// The memcached binary on PATH.
let binary () = findExecutable "memcached" installHint

/// A running memcached process.
type Server =
    { Port: int
      Process: Process }
    /// The PID, for logs.
    member s.Pid = s.Process.Id
    /// `127.0.0.1:port`.
    member s.Location = $"127.0.0.1:{s.Port}"

let private accepts (port: int) =
    try
        use client = new TcpClient()
        client.Connect(IPAddress.Loopback, port)
        true
    with _ -> false

/// Starts memcached on `port` (memory in MB) and waits until it accepts connections.
let startOn (port: int) (megabytes: int) : Server =
    let info = ProcessStartInfo(binary (), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true)
    // As root memcached refuses to start without -u.
    for a in [ "-p"; string port; "-l"; "127.0.0.1"; "-U"; "0"; "-m"; string megabytes; "-t"; "2"; "-c"; "1024" ] @ (if Environment.UserName = "root" then [ "-u"; "root" ] else []) do
        info.ArgumentList.Add a
    let p = Process.Start info
    p.OutputDataReceived.Add ignore
    p.ErrorDataReceived.Add ignore
    p.BeginOutputReadLine()
    p.BeginErrorReadLine()
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not (accepts port) && not p.HasExited && DateTime.UtcNow < deadline do Thread.Sleep 20
    if p.HasExited then failwithf "memcached on port %d exited at once (code %d); is the port taken?" port p.ExitCode
    if not (accepts port) then
        p.Kill()
        failwithf "memcached on port %d did not accept connections within 10 s" port
    { Port = port; Process = p }

/// Starts memcached on a free loopback port with 64 MB.
let start () = startOn (freePort ()) 64

/// Stops the server by its PID and waits for it to go.
let stop (server: Server) =
    try
        if not server.Process.HasExited then
            server.Process.Kill()
            server.Process.WaitForExit 10_000 |> ignore
    with :? InvalidOperationException -> ()

/// Sends `signal` (`STOP`, `CONT`) to the server's process with kill(1) and waits for kill to finish.
let private signal (name: string) (server: Server) =
    let info = ProcessStartInfo("kill", UseShellExecute = false)
    info.ArgumentList.Add("-" + name)
    info.ArgumentList.Add(string server.Pid)
    use kill = Process.Start info
    kill.WaitForExit()
    if kill.ExitCode <> 0 then failwithf "kill -%s %d failed (exit %d)" name server.Pid kill.ExitCode

/// True when every thread of the process is stopped (state T in /proc/<pid>/task/*/stat).
let private isStopped (pid: int) =
    Directory.GetDirectories($"/proc/{pid}/task")
    |> Array.forall (fun task ->
        let stat = File.ReadAllText(Path.Combine(task, "stat"))
        // The state follows the command name, which is in parentheses and may itself hold spaces.
        let state = stat[stat.LastIndexOf(')') + 2]
        state = 'T' || state = 't')

/// Freezes the server (SIGSTOP): its connections stay open and its socket buffers fill, but it answers nothing,
/// as a stalled host or a long GC-like pause does. Returns once every thread has stopped: kill(1) only queues the
/// signal, and a worker thread already awake would otherwise still answer a request or two.
let pause (server: Server) =
    signal "STOP" server
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not (isStopped server.Pid) && DateTime.UtcNow < deadline do Thread.Sleep 5
    if not (isStopped server.Pid) then failwithf "memcached (PID %d) did not stop within 10 s of SIGSTOP" server.Pid

/// Lets a frozen server run again (SIGCONT): it works through whatever reached its sockets meanwhile.
let resume (server: Server) = signal "CONT" server

/// Starts a fresh process on the stopped server's port.
let restart (server: Server) = startOn server.Port 64

/// The server this test process shares, started on first use and stopped at exit.
let shared : Lazy<Server> =
    lazy
        (let server = start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> stop server)
         server)

/// A memcached cache on the shared server, emptied first (`flush_all`): the model-based machine's fresh store.
let makeFlushed (context: FunctionalCache.Backends.CacheContext) (policy: FunctionalCache.CachePolicy) : FunctionalCache.ICache =
    let cache = new FunctionalCache.Backends.Memcached.MemcachedCache(FunctionalCache.Backends.Memcached.MemcachedOptions.Parse shared.Value.Location, policy, context)
    cache.Client.FlushAllAsync().GetAwaiter().GetResult()
    cache :> FunctionalCache.ICache
