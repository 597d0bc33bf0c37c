/// Helpers every test file shares: running tasks, free ports and the reference folder.
[<AutoOpen>]
module Support

open System
open System.IO

/// Runs a task to completion (tests are synchronous Expecto cases).
let run (t: Threading.Tasks.Task<'a>) : 'a = t.GetAwaiter().GetResult()

/// Runs a unit task to completion.
let runUnit (t: Threading.Tasks.Task) : unit = t.GetAwaiter().GetResult()

/// The shared reference folder (`../shared/reference` beside the repository).
let referenceDir =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then failwith "shared/reference not found above the test binaries; the repository must have ../shared beside it"
        else
            let candidate = Path.Combine(dir.FullName, "shared", "reference")
            if Directory.Exists candidate then candidate else up dir.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

/// A TCP port on 127.0.0.1 that nothing listens on right now, for a server a test starts.
let freePort () =
    let listener = new Net.Sockets.TcpListener(Net.IPAddress.Loopback, 0)
    listener.Start()
    let port = (listener.LocalEndpoint :?> Net.IPEndPoint).Port
    listener.Stop()
    port

/// A file of recorded Django outputs.
let vectorFile name = Path.Combine(referenceDir, "django-vectors", name)

/// The executable `name` on PATH, else in the system directories a non-root PATH may lack (Debian puts nginx and
/// varnishd in /usr/sbin); fails with `installHint` when it is nowhere.
let findExecutable (name: string) (installHint: string) =
    let dirs = (Environment.GetEnvironmentVariable "PATH" |> Option.ofObj |> Option.defaultValue "").Split(':') |> List.ofArray
    dirs @ [ "/usr/bin"; "/usr/local/bin"; "/usr/sbin"; "/usr/local/sbin" ]
    |> List.map (fun d -> Path.Combine(d, name))
    |> List.tryFind File.Exists
    |> Option.defaultWith (fun () -> failwith installHint)
