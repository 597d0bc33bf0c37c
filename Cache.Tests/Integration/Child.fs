/// Starting this same test executable as a child process that plays one named role (a writer
/// hammering a cache, a process to kill mid-write), for tests that need more than one process.
module Integration.Child

open System
open System.Diagnostics
open System.IO
open System.Reflection

/// The command line that re-runs this executable: the apphost itself, or `dotnet <dll>` when the
/// tests were started through the dotnet host.
let private self () =
    let path = Environment.ProcessPath
    if Path.GetFileNameWithoutExtension(path) = "dotnet" then path, [ Assembly.GetEntryAssembly().Location ]
    else path, []

/// Starts `role` with `args` in a child process (output captured; the caller waits or kills it).
let start (role: string) (args: string list) : Process =
    let exe, prefix = self ()
    let info = ProcessStartInfo(exe, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    for a in prefix @ [ "--child"; role ] @ args do info.ArgumentList.Add a
    Process.Start info

/// Starts `role` with `args` in a child process that also reads commands from its standard input (the caller writes
/// lines to `StandardInput` and reads answers from `StandardOutput`).
let startInteractive (role: string) (args: string list) : Process =
    let exe, prefix = self ()
    let info = ProcessStartInfo(exe, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    for a in prefix @ [ "--child"; role ] @ args do info.ArgumentList.Add a
    Process.Start info
