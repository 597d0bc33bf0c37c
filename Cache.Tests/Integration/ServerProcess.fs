/// What every real server a test starts has in common (memcached, redis-server, nginx, varnishd, PostgreSQL's tools):
/// a child process with its output drained, a wait until it is ready that fails with what the process said, a stop by
/// its PID, signals that freeze and resume it, and command-line tools run to completion. Compiled into Cache.Tests
/// and, linked, into Cache.Properties.
module Integration.ServerProcess

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Net.Sockets
open System.Threading

/// True when something accepts a TCP connection on the loopback port.
let accepts (port: int) =
    try
        use client = new TcpClient()
        client.Connect(IPAddress.Loopback, port)
        true
    with _ -> false

/// Starts `binary` with `args` (in `workingDirectory` when given), every line it writes handed to `onLine`: a server's
/// output must be read, or the pipe fills and the server blocks on its next log line.
let start (binary: string) (args: string list) (workingDirectory: string option) (onLine: string -> unit) : Process =
    let info = ProcessStartInfo(binary, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true)
    workingDirectory |> Option.iter (fun dir -> info.WorkingDirectory <- dir)
    for a in args do info.ArgumentList.Add a
    let p = Process.Start info
    let record (e: DataReceivedEventArgs) = if not (isNull e.Data) then onLine e.Data
    p.OutputDataReceived.Add record
    p.ErrorDataReceived.Add record
    p.BeginOutputReadLine()
    p.BeginErrorReadLine()
    p

/// Stops the process and its children by PID and waits (at most 10 s) for it to go; one already gone is fine.
let stop (p: Process) =
    try
        if not p.HasExited then
            p.Kill true
            p.WaitForExit 10_000 |> ignore
    with :? InvalidOperationException -> ()

/// Waits at most 10 s until `isReady ()`. A process that exits first, or is not ready in time (then it is stopped),
/// fails the caller with `what` and `detail ()` (its log, say), so a broken start says why.
let awaitReady (what: string) (p: Process) (isReady: unit -> bool) (detail: unit -> string) =
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not p.HasExited && not (isReady ()) && DateTime.UtcNow < deadline do Thread.Sleep 20
    let withDetail text = match detail () with "" -> text | more -> $"{text}:\n{more}"
    if p.HasExited then failwith (withDetail $"{what} exited at once (code {p.ExitCode}); is its port taken?")
    if not (isReady ()) then
        stop p
        failwith (withDetail $"{what} was not ready within 10 s")

/// Waits until the process accepts connections on `port` (see `awaitReady`).
let awaitAccepting (what: string) (p: Process) (port: int) (detail: unit -> string) =
    awaitReady what p (fun () -> accepts port) detail

/// Sends `signal` (`STOP`, `CONT`) to the process with kill(1) and waits for kill to finish.
let signal (name: string) (p: Process) =
    let info = ProcessStartInfo("kill", UseShellExecute = false)
    info.ArgumentList.Add("-" + name)
    info.ArgumentList.Add(string p.Id)
    use kill = Process.Start info
    kill.WaitForExit()
    if kill.ExitCode <> 0 then failwithf "kill -%s %d failed (exit %d)" name p.Id kill.ExitCode

/// True when every thread of the process is stopped (state T in /proc/<pid>/task/*/stat).
let private isStopped (pid: int) =
    Directory.GetDirectories($"/proc/{pid}/task")
    |> Array.forall (fun task ->
        let stat = File.ReadAllText(Path.Combine(task, "stat"))
        // The state follows the command name, which is in parentheses and may itself hold spaces.
        let state = stat[stat.LastIndexOf(')') + 2]
        state = 'T' || state = 't')

/// Freezes the process (SIGSTOP): its connections stay open and its socket buffers fill, but it answers nothing, as a
/// stalled host does. Returns once every thread has stopped: kill(1) only queues the signal, and a thread already
/// awake would otherwise still answer a request or two.
let pause (p: Process) =
    signal "STOP" p
    let deadline = DateTime.UtcNow.AddSeconds 10.0
    while not (isStopped p.Id) && DateTime.UtcNow < deadline do Thread.Sleep 5
    if not (isStopped p.Id) then failwithf "process %d did not stop within 10 s of SIGSTOP" p.Id

/// Lets a frozen process run again (SIGCONT): it works through whatever reached its sockets meanwhile.
let resume (p: Process) = signal "CONT" p

/// What a command-line tool run to completion printed.
type ToolRun = { ExitCode: int; Out: string; Err: string }

/// Runs `file` with `args`, feeding it `input` when given, and waits (at most 60 s, then it is stopped and the caller
/// fails) for it to finish.
let runTool (file: string) (args: string list) (input: string option) : ToolRun =
    let info = ProcessStartInfo(file, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
                                RedirectStandardInput = input.IsSome)
    for a in args do info.ArgumentList.Add a
    use p = Process.Start info
    input |> Option.iter (fun text ->
        p.StandardInput.Write text
        p.StandardInput.Close())
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEndAsync()
    if not (p.WaitForExit 60_000) then
        stop p
        failwithf "%s %s did not finish within 60 s" file (String.Join(" ", args))
    p.WaitForExit()
    { ExitCode = p.ExitCode; Out = out.Result; Err = err.Result }
