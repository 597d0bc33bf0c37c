/// Real memcached servers for the memcached tests: each one a child process on a free loopback port
/// (`-l 127.0.0.1 -U 0`), started on demand and stopped by its PID. A missing binary fails loudly with the
/// install hint. Compiled into Cache.Tests and, linked, into Cache.Properties.
module Integration.Memcached

open System
open System.Diagnostics

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

/// Starts memcached on `port` (memory in MB) and waits until it accepts connections.
let startOn (port: int) (megabytes: int) : Server =
    // As root memcached refuses to start without -u.
    let args =
        [ "-p"; string port; "-l"; "127.0.0.1"; "-U"; "0"; "-m"; string megabytes; "-t"; "2"; "-c"; "1024" ]
        @ (if Environment.UserName = "root" then [ "-u"; "root" ] else [])
    let p = ServerProcess.start (binary ()) args None ignore
    ServerProcess.awaitAccepting $"memcached on port {port}" p port (fun () -> "")
    { Port = port; Process = p }

/// Starts memcached on a free loopback port with 64 MB.
let start () = startOn (freePort ()) 64

/// Stops the server by its PID and waits for it to go.
let stop (server: Server) = ServerProcess.stop server.Process

/// Freezes the server (SIGSTOP) and returns once every thread has stopped; see `ServerProcess.pause`.
let pause (server: Server) = ServerProcess.pause server.Process

/// Lets a frozen server run again (SIGCONT): it works through whatever reached its sockets meanwhile.
let resume (server: Server) = ServerProcess.resume server.Process

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
