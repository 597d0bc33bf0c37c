/// A throwaway PostgreSQL 15 cluster for the database tests: `initdb` and `pg_ctl` as the `postgres`
/// user (initdb refuses root) in a temp directory, on a free loopback port, started once per test
/// run on first use and stopped when the process exits. Missing binaries fail loudly with the hint.
module Integration.Postgres

open System
open System.IO
open System.Net
open System.Net.Sockets

/// Where Debian's PostgreSQL 15 keeps its server binaries.
let binDir = "/usr/lib/postgresql/15/bin"

/// What to do when they are missing.
let installHint =
    $"PostgreSQL 15 server binaries are missing ({binDir}/initdb, pg_ctl). Install them: apt-get install -y postgresql-15"

/// A running cluster.
type Cluster =
    { Directory: string
      Port: int
      /// Npgsql connection string for the `postgres` database as superuser `postgres` (trust auth).
      ConnectionString: string }

let private isRoot () = Environment.UserName = "root"

let private exec (file: string) (args: string list) =
    let run = ServerProcess.runTool file args None
    run.ExitCode, run.Out + run.Err

/// Runs a PostgreSQL binary as the `postgres` user (directly when not root); fails with its output.
let private pg (binary: string) (args: string list) =
    let path = Path.Combine(binDir, binary)
    let code, output =
        if isRoot () then
            let quoted = args |> List.map (fun a -> "'" + a.Replace("'", "'\\''") + "'") |> String.concat " "
            exec "su" [ "postgres"; "-s"; "/bin/sh"; "-c"; $"'{path}' {quoted}" ]
        else exec path args
    if code <> 0 then failwithf "%s failed (exit %d):\n%s" binary code output

/// Starts a fresh cluster (about 1.5 s).
let start () : Cluster =
    if not (File.Exists(Path.Combine(binDir, "initdb")) && File.Exists(Path.Combine(binDir, "pg_ctl"))) then failwith installHint
    let dir = Directory.CreateTempSubdirectory("fcache-pg-").FullName
    if isRoot () then
        let code, output = exec "chown" [ "postgres:postgres"; dir ]
        if code <> 0 then failwithf "chown postgres %s failed: %s" dir output
    let data = Path.Combine(dir, "data")
    pg "initdb" [ "-D"; data; "-U"; "postgres"; "-A"; "trust"; "--no-sync"; "-E"; "UTF8" ]
    let port = freePort ()
    pg "pg_ctl" [ "-D"; data; "-l"; Path.Combine(dir, "pg.log"); "-w"; "-t"; "30"
                  "-o"; $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                  "start" ]
    { Directory = dir
      Port = port
      ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20" }

/// Stops the cluster and removes its directory.
let stop (cluster: Cluster) =
    try pg "pg_ctl" [ "-D"; Path.Combine(cluster.Directory, "data"); "-m"; "immediate"; "-w"; "stop" ]
    finally
        try Directory.Delete(cluster.Directory, true) with _ -> ()

/// The cluster this test process shares, started on first use and stopped at exit.
let shared : Lazy<Cluster> =
    lazy
        (let cluster = start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> stop cluster)
         cluster)
