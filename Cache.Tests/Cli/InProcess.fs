/// fcache run inside the test process: the CLI's entry point with its output and error captured, so that
/// hundreds of command lines cost milliseconds each (FcacheTests runs the built tool as a child process instead).
module Cli.InProcess

open System
open System.IO
open System.Threading.Tasks

/// What one in-process fcache run printed and returned.
type Run = { Code: int; Out: string; Err: string }

/// Runs `fcache args`; a run that has not finished after `patience` fails the test (a hang, not a slow run).
let fcacheWithin (patience: TimeSpan) (args: string list) : Run =
    use out = new StringWriter()
    use err = new StringWriter()
    let running = FunctionalCache.Cli.Fcache.RunAsync(List.toArray args, out, err)
    if not (running.Wait patience) then
        failwithf "fcache %A did not finish within %.0f s" args patience.TotalSeconds
    { Code = running.Result; Out = out.ToString().Replace("\r\n", "\n"); Err = err.ToString().Replace("\r\n", "\n") }

/// Runs `fcache args`, allowing it a minute.
let fcache (args: string list) : Run = fcacheWithin (TimeSpan.FromMinutes 1.0) args
