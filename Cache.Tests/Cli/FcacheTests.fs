/// fcache end to end: the real built CLI (FunctionalCache.Cli.dll) run as a child process, each command against
/// real backends in a temporary directory, with its exit code, standard output and standard error checked.
module Cli.FcacheTests

open System
open System.Diagnostics
open System.IO
open Expecto
open FunctionalCache.FSharp

/// What one fcache run printed and returned.
type Outcome = { Code: int; Out: string; Err: string }

/// FunctionalCache.Cli.dll of the same configuration and framework as this test assembly: the CLI project's own
/// output (beside its deps.json), else the copy the project reference puts beside the tests.
let private cliDll =
    lazy (
        let here = DirectoryInfo AppContext.BaseDirectory
        let framework, configuration = here.Name, here.Parent.Name
        let rec repoRoot (dir: DirectoryInfo) =
            if isNull dir then None
            elif File.Exists(Path.Combine(dir.FullName, "Cache.Cli", "Cache.Cli.csproj")) then Some dir.FullName
            else repoRoot dir.Parent
        let candidates =
            [ match repoRoot here with
              | Some root -> Path.Combine(root, "Cache.Cli", "bin", configuration, framework, "FunctionalCache.Cli.dll")
              | None -> ()
              Path.Combine(here.FullName, "FunctionalCache.Cli.dll") ]
        match candidates |> List.tryFind (fun p -> File.Exists p && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json"))) with
        | Some path -> path
        | None -> failwithf "FunctionalCache.Cli.dll not found (looked at %s); build the solution first: dotnet build FunctionalCache.sln -c %s" (String.Join(", ", candidates)) configuration)

/// The dotnet host running these tests (so the child uses the same runtime), else `dotnet` on the PATH.
let private dotnetHost () =
    let path = Environment.ProcessPath
    if not (isNull path) && Path.GetFileNameWithoutExtension(path) = "dotnet" then path else "dotnet"

/// Runs `fcache args` in `dir` with CACHE_BACKEND set to `backendVariable` (or removed); at most a minute.
let fcacheIn (dir: string) (backendVariable: string option) (args: string list) : Outcome =
    let info = ProcessStartInfo(dotnetHost (), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir)
    info.ArgumentList.Add cliDll.Value
    for a in args do info.ArgumentList.Add a
    info.Environment.Remove "CACHE_BACKEND" |> ignore
    backendVariable |> Option.iter (fun uri -> info.Environment["CACHE_BACKEND"] <- uri)
    use p = Process.Start info
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEndAsync()
    if not (p.WaitForExit 60_000) then
        p.Kill true
        failwithf "fcache %s did not finish within a minute" (String.Join(" ", args))
    p.WaitForExit()
    { Code = p.ExitCode; Out = out.Result.Replace("\r\n", "\n"); Err = err.Result.Replace("\r\n", "\n") }

/// A fresh temporary directory for one test, removed afterwards.
let private inTempDir (body: string -> unit) =
    let dir = Path.Combine(Path.GetTempPath(), "fcache-tests-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory dir |> ignore
    try body dir
    finally
        try Directory.Delete(dir, true) with _ -> ()

let private case name (body: (string list -> Outcome) -> (string option -> string list -> Outcome) -> string -> unit) =
    testCase name (fun () -> inTempDir (fun dir -> body (fcacheIn dir None) (fcacheIn dir) dir))

let private expectCode (expected: int) (o: Outcome) what =
    if o.Code <> expected then
        failtestf "%s: expected exit code %d, got %d\nstdout: %s\nstderr: %s" what expected o.Code o.Out o.Err

let private expectErr (fragment: string) (o: Outcome) what =
    Expect.stringContains o.Err fragment (sprintf "%s: stderr names it" what)

let private ok o what = expectCode 0 o what

/// The tests every backend URI passes, whatever it stores.
let private harnessTests =
    [
        case "fcache with no command is a usage error naming the missing command" <| fun fcache _ _ ->
            let o = fcache []
            expectCode 2 o "no command"
            expectErr "Required command was not provided" o "no command"
            expectErr "Usage: fcache [command] [options]" o "no command"
            expectErr "Run 'fcache --help' for more." o "no command"

        case "--help lists every command and the exit codes" <| fun fcache _ _ ->
            let o = fcache [ "--help" ]
            ok o "--help"
            for command in [ "createcachetable"; "get"; "set"; "delete"; "incr"; "clear"; "stats" ] do
                Expect.stringContains o.Out command "command listed"
            Expect.stringContains (o.Out.Replace("\n", " ").Replace("  ", " "))
                "0 ok, 1 miss or not found, 2 usage or configuration error, 3 backend failure, 4 the stored value is not text" "exit codes"

        case "every command has --help of its own, and the cache commands explain --backend and locmem" <| fun fcache _ _ ->
            for command in [ "createcachetable"; "get"; "set"; "delete"; "incr"; "clear"; "stats" ] do
                let o = fcache [ command; "--help" ]
                ok o (command + " --help")
                Expect.stringContains o.Out ("fcache " + command) "usage line names fcache and the command"
                if command <> "createcachetable" then
                    Expect.stringContains o.Out "--backend" "option listed"
                    Expect.stringContains o.Out "CACHE_BACKEND" "environment variable named"
                    Expect.stringContains o.Out "locmem:/// lives inside one process" "locmem caveat"

        case "an unknown command is a usage error" <| fun fcache _ _ ->
            let o = fcache [ "frobnicate" ]
            expectCode 2 o "unknown command"
            expectErr "frobnicate" o "unknown command"

        case "without --backend or CACHE_BACKEND a cache command is a usage error naming both" <| fun fcache _ _ ->
            for args in [ [ "get"; "k" ]; [ "set"; "k"; "v" ]; [ "delete"; "k" ]; [ "incr"; "k" ]; [ "clear" ]; [ "stats" ] ] do
                let o = fcache args
                expectCode 2 o (String.Join(" ", args))
                expectErr "No cache backend: pass --backend URI or set the CACHE_BACKEND environment variable." o "missing backend"

        case "an unknown backend scheme is a usage error naming the scheme" <| fun fcache _ _ ->
            let o = fcache [ "get"; "k"; "--backend"; "nosuchbackend:///" ]
            expectCode 2 o "unknown scheme"
            expectErr "--backend: Invalid cache backend URI 'nosuchbackend:///'" o "unknown scheme"
            expectErr "Unknown cache backend scheme 'nosuchbackend'" o "unknown scheme"

        case "a URI without scheme:// is a usage error, blamed on CACHE_BACKEND when it came from there" <| fun _ fcacheWith _ ->
            let o = fcacheWith (Some "locmem") [ "stats" ]
            expectCode 2 o "malformed"
            expectErr "CACHE_BACKEND: Invalid cache backend URI 'locmem'" o "malformed"
            expectErr "scheme://" o "malformed"

        case "CACHE_BACKEND is used when --backend is absent, and --backend wins over it" <| fun _ fcacheWith _ ->
            let fromVariable = fcacheWith (Some "locmem:///?timeout=42") [ "stats" ]
            ok fromVariable "from the variable"
            Expect.stringContains fromVariable.Out "uri: locmem:///?timeout=42" "the variable's URI"
            let fromOption = fcacheWith (Some "not a uri") [ "stats"; "--backend"; "dummy:///" ]
            ok fromOption "option wins"
            Expect.stringContains fromOption.Out "backend: dummy" "the option's URI"

        case "an unknown URI argument is a warning on stderr, and an error with --strict" <| fun fcache _ _ ->
            let lenient = fcache [ "set"; "k"; "v"; "--backend"; "locmem:///?colour=blue" ]
            ok lenient "lenient"
            expectErr "fcache: warning: Unknown argument 'colour' ('blue')" lenient "warning"
            let strict = fcache [ "set"; "k"; "v"; "--backend"; "locmem:///?colour=blue"; "--strict" ]
            expectCode 2 strict "strict"
            expectErr "Unknown argument 'colour'" strict "strict"

        case "a bad --timeout is a usage error naming the option and the value" <| fun fcache _ _ ->
            for bad in [ "soon"; "1e999"; "-1e999"; "NaN"; "Infinity"; "" ] do
                let o = fcache [ "set"; "k"; "v"; "--timeout"; bad; "--backend"; "dummy:///" ]
                expectCode 2 o ("timeout " + bad)
                expectErr (sprintf "Option '--timeout' must be a number of seconds or 'never', not '%s'." bad) o "bad timeout"

        case "a bad --by is a usage error naming the option" <| fun fcache _ _ ->
            let o = fcache [ "incr"; "k"; "--by"; "two"; "--backend"; "dummy:///" ]
            expectCode 2 o "bad --by"
            expectErr "'--by'" o "bad --by"

        case "a missing VALUE argument is a usage error showing the usage line" <| fun fcache _ _ ->
            let o = fcache [ "set"; "k"; "--backend"; "dummy:///" ]
            expectCode 2 o "missing VALUE"
            expectErr "Usage: fcache set <KEY> <VALUE> [options]" o "missing VALUE"

        case "missing arguments are named in one message, printed once, then the usage line" <| fun fcache _ _ ->
            let both = fcache [ "set"; "--backend"; "dummy:///" ]
            expectCode 2 both "set with no KEY and VALUE"
            Expect.equal both.Err
                "fcache: Required arguments KEY and VALUE missing for command 'set'.\nUsage: fcache set <KEY> <VALUE> [options]\nRun 'fcache set --help' for more.\n" "set"
            let one = fcache [ "get" ]
            expectCode 2 one "get with no KEY"
            Expect.equal one.Err "fcache: Required argument KEY missing for command 'get'.\nUsage: fcache get <KEY> [options]\nRun 'fcache get --help' for more.\n" "get"

        case "on dummy:/// set succeeds, get misses, delete and incr find nothing, clear succeeds" <| fun fcache _ _ ->
            let b = [ "--backend"; "dummy:///" ]
            ok (fcache ([ "set"; "k"; "v"; "--timeout"; "never" ] @ b)) "set"
            let get = fcache ([ "get"; "k" ] @ b)
            expectCode 1 get "get"
            Expect.equal get.Err "miss\n" "get prints miss on stderr"
            Expect.equal get.Out "" "nothing on stdout"
            let delete = fcache ([ "delete"; "k" ] @ b)
            expectCode 1 delete "delete"
            expectErr "Key 'k' not found" delete "delete"
            let incr = fcache ([ "incr"; "k" ] @ b)
            expectCode 1 incr "incr on a missing key"
            expectErr "Key 'k' not found" incr "incr"
            ok (fcache ([ "clear" ] @ b)) "clear"

        case "stats reports the backend type, URI and policy, and a locmem entry count" <| fun fcache _ _ ->
            let o = fcache [ "stats"; "--backend"; "locmem:///?timeout=30&max_entries=400&cull_frequency=4" ]
            ok o "stats"
            let lines = o.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> List.ofArray
            Expect.equal lines
                [ "backend: locmem (FunctionalCache.Backends.LocMem.LocMemCache)"
                  "uri: locmem:///?timeout=30&max_entries=400&cull_frequency=4"
                  "default timeout: 30 s"
                  "max entries: 400"
                  "cull frequency: 4"
                  "key prefix: \"\""
                  "version: 1"
                  "entries: 0" ] "stats lines"
    ]

/// A storing backend under test: its name and, for a fresh temp directory, the URI of an empty cache
/// (after whatever set-up it needs).
type private Persistent = { Name: string; Prepare: (string list -> Outcome) -> string -> string }

/// The commands against a backend that keeps its entries between fcache runs.
let private persistentTests (backend: Persistent) =
    let case name body =
        case (sprintf "%s: %s" backend.Name name) (fun fcache _ dir ->
            let uri = backend.Prepare fcache dir
            body (fun args -> fcache (args @ [ "--backend"; uri ])) uri dir)
    [
        case "a value set by one run is read back by the next, byte for byte" <| fun fcache _ _ ->
            let value = "héllo wörld ✓ \"quoted\" 𝄞"
            ok (fcache [ "set"; "greeting"; value ]) "set"
            let o = fcache [ "get"; "greeting" ]
            ok o "get"
            Expect.equal o.Out (value + "\n") "the value and a newline"
            Expect.equal o.Err "" "nothing on stderr"

        case "get of a key never set exits 1 with miss on stderr" <| fun fcache _ _ ->
            let o = fcache [ "get"; "absent" ]
            expectCode 1 o "miss"
            Expect.equal o.Err "miss\n" "miss"
            Expect.equal o.Out "" "nothing on stdout"

        case "set overwrites, and a zero or negative --timeout removes the key" <| fun fcache _ _ ->
            ok (fcache [ "set"; "k"; "one" ]) "set"
            ok (fcache [ "set"; "k"; "two"; "--timeout"; "never" ]) "overwrite"
            Expect.equal (fcache [ "get"; "k" ]).Out "two\n" "overwritten"
            ok (fcache [ "set"; "k"; "three"; "--timeout"; "0" ]) "timeout 0"
            expectCode 1 (fcache [ "get"; "k" ]) "removed by timeout 0"
            ok (fcache [ "set"; "k"; "four" ]) "set again"
            ok (fcache [ "set"; "k"; "five"; "--timeout"; "-3" ]) "negative timeout"
            expectCode 1 (fcache [ "get"; "k" ]) "removed by a negative timeout"

        case "an entry set with a short --timeout is read at once and gone after it" <| fun fcache _ _ ->
            // Starting a process can take seconds on a loaded machine: the window is wide enough for the read to
            // fall inside it. The deadline is fixed inside the set process, at some moment before it exits, so the
            // wait for it counts from the set's return (counting from before the set missed it by the start-up time).
            ok (fcache [ "set"; "brief"; "v"; "--timeout"; "10" ]) "set"
            let sinceSet = Stopwatch.StartNew()
            ok (fcache [ "get"; "brief" ]) "read before the deadline"
            let left = TimeSpan.FromSeconds 10.1 - sinceSet.Elapsed
            if left > TimeSpan.Zero then Threading.Thread.Sleep left
            expectCode 1 (fcache [ "get"; "brief" ]) "gone after the deadline"

        case "a timeout beyond TimeSpan's range is accepted: a huge one keeps the entry, a hugely negative one removes it" <| fun fcache _ _ ->
            ok (fcache [ "set"; "long"; "v"; "--timeout"; "99999999999999" ]) "huge timeout"
            Expect.equal (fcache [ "get"; "long" ]).Out "v\n" "stored"
            ok (fcache [ "set"; "long"; "w"; "--timeout"; "-99999999999999" ]) "hugely negative timeout"
            expectCode 1 (fcache [ "get"; "long" ]) "removed"

        case "delete removes a live entry (exit 0) and reports a missing one (exit 1)" <| fun fcache _ _ ->
            ok (fcache [ "set"; "k"; "v" ]) "set"
            ok (fcache [ "delete"; "k" ]) "delete"
            expectCode 1 (fcache [ "get"; "k" ]) "gone"
            let again = fcache [ "delete"; "k" ]
            expectCode 1 again "delete again"
            expectErr "Key 'k' not found" again "delete again"

        case "incr adds 1 or --by N and prints the new value" <| fun fcache _ _ ->
            ok (fcache [ "set"; "n"; "5" ]) "set"
            let once = fcache [ "incr"; "n" ]
            ok once "incr"
            Expect.equal once.Out "6\n" "6"
            Expect.equal (fcache [ "incr"; "n"; "--by"; "10" ]).Out "16\n" "16"
            Expect.equal (fcache [ "incr"; "n"; "--by"; "-20" ]).Out "-4\n" "-4"
            Expect.equal (fcache [ "get"; "n" ]).Out "-4\n" "stored as decimal text"

        case "incr on a missing key exits 1 with the library's text" <| fun fcache _ _ ->
            let o = fcache [ "incr"; "nope" ]
            expectCode 1 o "missing"
            Expect.equal o.Err "fcache: Key 'nope' not found\n" "error text"
            Expect.equal o.Out "" "nothing on stdout"

        case "incr on a value that is not an integer exits 1 with the library's text" <| fun fcache _ _ ->
            ok (fcache [ "set"; "word"; "ten" ]) "set"
            let o = fcache [ "incr"; "word" ]
            expectCode 1 o "not an integer"
            expectErr "Value of key 'word' is not an integer" o "error text"
            Expect.equal (fcache [ "get"; "word" ]).Out "ten\n" "untouched"

        case "clear removes every entry" <| fun fcache _ _ ->
            for k in [ "a"; "b"; "c" ] do ok (fcache [ "set"; k; k ]) "set"
            ok (fcache [ "clear" ]) "clear"
            for k in [ "a"; "b"; "c" ] do expectCode 1 (fcache [ "get"; k ]) ("cleared " + k)

        case "keys that look like paths or hold spaces are ordinary keys" <| fun fcache _ _ ->
            for k in [ "../../etc/passwd"; "/abs/path"; "with space" ] do
                ok (fcache [ "set"; k; "v:" + k ]) ("set " + k)
                Expect.equal (fcache [ "get"; k ]).Out ("v:" + k + "\n") ("get " + k)

        case "values interoperate with the library's strings and integers" <| fun fcache uri _ ->
            let cache = Cache.fromUri uri
            try
                ok (fcache [ "set"; "from-cli"; "text ✓" ]) "cli set"
                Expect.equal (cache |> Cache.tryGet<string> "from-cli" |> run) (Some "text ✓") "library reads the CLI's string"
                cache |> Cache.set "from-lib" "library ✓" |> run
                Expect.equal (fcache [ "get"; "from-lib" ]).Out "library ✓\n" "CLI reads the library's string"
                cache |> Cache.set "counter" 41L |> run
                Expect.equal (fcache [ "incr"; "counter" ]).Out "42\n" "CLI increments the library's integer"
                Expect.equal (cache |> Cache.tryGet<int64> "counter" |> run) (Some 42L) "library reads the CLI's increment"
            finally
                match box cache with
                | :? IDisposable as d -> d.Dispose()
                | _ -> ()
    ]

let private fileBackend =
    { Name = "file"; Prepare = fun _ dir -> "file://" + Path.Combine(dir, "cache") }

let private fileTests =
    [
        case "file: stats reports the policy, the directory and the approximate count" <| fun fcache _ dir ->
            let cacheDir = Path.Combine(dir, "cache")
            let uri = sprintf "file://%s?max_entries=50" cacheDir
            for k in [ "a"; "b" ] do ok (fcache [ "set"; k; k; "--backend"; uri ]) "set"
            let o = fcache [ "stats"; "--backend"; uri ]
            ok o "stats"
            let lines = o.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> List.ofArray
            Expect.equal lines
                [ "backend: file (FunctionalCache.Backends.File.FileBasedCache)"
                  "uri: " + uri
                  "default timeout: 300 s"
                  "max entries: 50"
                  "cull frequency: 3"
                  "key prefix: \"\""
                  "version: 1"
                  "directory: " + cacheDir
                  "entries (approximate): 2" ] "stats lines"

        case "file: a stored value that is not UTF-8 text exits 4 with one line giving its size, and prints nothing" <| fun fcache _ dir ->
            let uri = "file://" + Path.Combine(dir, "cache")
            let cache = Cache.fromUri uri
            let big = Array.zeroCreate<byte> (2 * 1024 * 1024)
            Random(13).NextBytes big
            big[0] <- 0xffuy
            for key, value, size in [ "binary", [| 0xffuy; 0xfeuy; 0x00uy |], "3 bytes"; "one", [| 0xc3uy |], "1 byte"; "big", big, "2.1 MB" ] do
                cache |> Cache.set key value |> run
                let o = fcache [ "get"; key; "--backend"; uri ]
                expectCode 4 o ("not text: " + key)
                Expect.equal o.Err (sprintf "fcache: the value under '%s' is not UTF-8 text (%s); fcache reads and writes text only\n" key size) "one line naming the key and the size"
                Expect.equal o.Out "" "nothing printed"

        case "file: a directory that cannot be created is a backend failure (exit 3) naming the path" <| fun fcache _ dir ->
            let blocker = Path.Combine(dir, "plain-file")
            File.WriteAllText(blocker, "not a directory")
            let o = fcache [ "set"; "k"; "v"; "--backend"; "file://" + Path.Combine(blocker, "cache") ]
            expectCode 3 o "unwritable"
            expectErr "fcache: backend failure:" o "unwritable"
            expectErr blocker o "names the path"

        case "file: a location that is a regular file fails every command with exit 3 and one line naming it" <| fun fcache _ dir ->
            let plain = Path.Combine(dir, "plain-file")
            File.WriteAllText(plain, "not a directory")
            for args in [ [ "get"; "k" ]; [ "set"; "k"; "v" ]; [ "delete"; "k" ]; [ "incr"; "k" ]; [ "clear" ]; [ "stats" ] ] do
                let what = String.Join(" ", args)
                let o = fcache (args @ [ "--backend"; "file://" + plain ])
                expectCode 3 o what
                Expect.equal o.Err (sprintf "fcache: backend failure: The file cache directory '%s' is unusable: '%s' is not a directory.\n" plain plain) (what + ": one line naming the path")
                Expect.equal o.Out "" (what + ": nothing on stdout")
    ]

/// The statements the Database backend's schema API gives, as fcache prints them.
let private ddl table provider =
    FunctionalCache.Backends.Database.DatabaseCacheTable.CreateStatements(table, provider)
    |> Seq.map (fun s -> s + ";\n")
    |> String.concat ""

let private sqliteBackend =
    { Name = "db (SQLite)"
      Prepare = fun fcache dir ->
        let database = Path.Combine(dir, "cache.sqlite")
        ok (fcache [ "createcachetable"; "cli_cache"; "--database"; database ]) "createcachetable"
        sprintf "db://cli_cache?database=%s" database }

/// A connection string as a URI argument value: Django's query syntax splits at ';' and '&'.
let private uriValue (text: string) =
    text.Replace("%", "%25").Replace(";", "%3B").Replace("&", "%26").Replace("+", "%2B").Replace(" ", "%20")

let private postgresTable () = "fcache_cli_" + Guid.NewGuid().ToString("N").Substring(0, 12)

let private postgresBackend =
    { Name = "db (PostgreSQL)"
      Prepare = fun fcache _ ->
        let cs = Integration.Postgres.shared.Value.ConnectionString
        let table = postgresTable ()
        ok (fcache [ "createcachetable"; table; "--connection"; cs; "--provider"; "postgres" ]) "createcachetable"
        sprintf "db://%s?provider=postgres&connection=%s" table (uriValue cs) }

let private sqliteOnly = FunctionalCache.Backends.Database.DatabaseProvider.Sqlite
let private postgresOnly = FunctionalCache.Backends.Database.DatabaseProvider.Postgres

let private createCacheTableTests =
    [
        case "createcachetable --dry-run with no database prints the SQLite statements" <| fun fcache _ dir ->
            let o = fcache [ "createcachetable"; "my_cache_table"; "--dry-run" ]
            ok o "dry run"
            Expect.equal o.Out (ddl "my_cache_table" sqliteOnly) "the schema API's statements"
            Expect.stringContains o.Out "CREATE TABLE \"my_cache_table\"" "create table"
            Expect.stringContains o.Out "CREATE INDEX \"my_cache_table_expires\"" "expiry index"
            Expect.isEmpty (Directory.GetFileSystemEntries dir) "nothing written"

        case "createcachetable --dry-run --provider postgres prints the PostgreSQL statements" <| fun fcache _ _ ->
            let o = fcache [ "createcachetable"; "my_cache_table"; "--dry-run"; "--provider"; "postgres" ]
            ok o "dry run"
            Expect.equal o.Out (ddl "my_cache_table" postgresOnly) "the schema API's statements"
            Expect.stringContains o.Out "bytea" "PostgreSQL types"

        case "createcachetable --dry-run on a database file that does not exist prints the SQL and creates no file" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "later.sqlite")
            let o = fcache [ "createcachetable"; "t"; "--database"; database; "--dry-run" ]
            ok o "dry run"
            Expect.equal o.Out (ddl "t" sqliteOnly) "statements"
            Expect.isFalse (File.Exists database) "no database file"

        case "createcachetable creates the table, then says it already exists, with or without --dry-run" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "cache.sqlite")
            let first = fcache [ "createcachetable"; "my_cache_table"; "--database"; database ]
            ok first "create"
            Expect.equal first.Out (sprintf "Cache table 'my_cache_table' created in the SQLite database '%s'.\n" database) "created"
            let second = fcache [ "createcachetable"; "my_cache_table"; "--database"; database ]
            ok second "twice"
            Expect.equal second.Out "Cache table 'my_cache_table' already exists.\n" "already exists"
            let dry = fcache [ "createcachetable"; "my_cache_table"; "--database"; database; "--dry-run" ]
            ok dry "dry run of an existing table"
            Expect.equal dry.Out "Cache table 'my_cache_table' already exists.\n" "already exists"

        case "createcachetable --dry-run on an existing database prints the SQL and creates nothing" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "cache.sqlite")
            ok (fcache [ "createcachetable"; "first"; "--database"; database ]) "another table"
            let dry = fcache [ "createcachetable"; "second"; "--database"; database; "--dry-run" ]
            ok dry "dry run"
            Expect.equal dry.Out (ddl "second" sqliteOnly) "statements"
            let real = fcache [ "createcachetable"; "second"; "--database"; database ]
            Expect.stringContains real.Out "Cache table 'second' created" "the dry run created nothing"

        case "createcachetable --connection 'Data Source=…' --provider sqlite uses that file" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "cs.sqlite")
            let o = fcache [ "createcachetable"; "t"; "--connection"; sprintf "Data Source=%s" database; "--provider"; "sqlite" ]
            ok o "create"
            Expect.isTrue (File.Exists database) "the file"
            ok (fcache [ "set"; "k"; "v"; "--backend"; sprintf "db://t?database=%s" database ]) "usable"

        case "createcachetable usage errors name the bad part" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "cache.sqlite")
            let cases =
                [ [ "createcachetable"; "bad-name"; "--database"; database ], "Cache table name 'bad-name' is invalid"
                  [ "createcachetable"; "t" ], "createcachetable needs a database: --database PATH (SQLite) or --connection STRING --provider sqlite|postgres."
                  [ "createcachetable"; "t"; "--database"; database; "--connection"; "x" ], "Give either --database PATH or --connection STRING, not both."
                  [ "createcachetable"; "t"; "--connection"; "Host=localhost" ], "--connection needs --provider sqlite|postgres."
                  [ "createcachetable"; "t"; "--database"; database; "--provider"; "postgres" ], "--database names a SQLite file"
                  [ "createcachetable"; "t"; "--dry-run"; "--provider"; "mysql" ], "'mysql'"
                  [ "createcachetable" ], "Usage: fcache createcachetable <NAME> [options]" ]
            for args, text in cases do
                let o = fcache args
                expectCode 2 o (String.Join(" ", args))
                expectErr text o (String.Join(" ", args))
            Expect.isFalse (File.Exists database) "nothing created"

        case "a database that cannot be opened is a backend failure (exit 3)" <| fun fcache _ dir ->
            let blocker = Path.Combine(dir, "plain-file")
            File.WriteAllText(blocker, "not a directory")
            let o = fcache [ "createcachetable"; "t"; "--database"; Path.Combine(blocker, "cache.sqlite") ]
            expectCode 3 o "unopenable"
            expectErr "fcache: backend failure: Cannot open the SQLite database" o "names the database"

        case "a db cache whose table is missing fails with exit 3 naming the command that creates it" <| fun fcache _ dir ->
            ok (fcache [ "createcachetable"; "another_table"; "--database"; Path.Combine(dir, "cache.sqlite") ]) "the database, without the table"
            let uri = sprintf "db://missing_table?database=%s" (Path.Combine(dir, "cache.sqlite"))
            for args in [ [ "get"; "k" ]; [ "set"; "k"; "v" ]; [ "stats" ] ] do
                let o = fcache (args @ [ "--backend"; uri ])
                expectCode 3 o (String.Join(" ", args))
                expectErr "Cache table 'missing_table' does not exist" o "names the table"
                expectErr "Create it with: fcache createcachetable missing_table" o "names the command"
                Expect.isFalse (o.Err.TrimEnd('\n').Contains '\n') "one line"

        case "a db cache whose database file does not exist fails every command with exit 3 naming the file, and creates none" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "new.sqlite")
            for args in [ [ "get"; "k" ]; [ "set"; "k"; "v" ]; [ "delete"; "k" ]; [ "incr"; "k" ]; [ "clear" ]; [ "stats" ] ] do
                let what = String.Join(" ", args)
                let o = fcache (args @ [ "--backend"; sprintf "db://t?database=%s" database ])
                expectCode 3 o what
                Expect.equal o.Err
                    (sprintf "fcache: backend failure: No such database file '%s' for cache table 't'. Create it with: fcache createcachetable t --database '%s'\n" database database)
                    (what + ": one line naming the file and the command that creates it")
                Expect.equal o.Out "" (what + ": nothing on stdout")
                Expect.isEmpty (Directory.GetFileSystemEntries dir) (what + ": no file created")

        case "a db file that is not a database fails with exit 3, SQLite's reason said once" <| fun fcache _ dir ->
            let database = Path.Combine(dir, "plain.txt")
            File.WriteAllText(database, "hello")
            let o = fcache [ "get"; "k"; "--backend"; sprintf "db://t?database=%s" database ]
            expectCode 3 o "not a database"
            Expect.equal o.Err (sprintf "fcache: backend failure: Cache table 't' in the SQLite database '%s' failed: file is not a database\n" database) "one line, the reason once"

        case "db: stats reports the table and its row count" <| fun fcache _ dir ->
            let uri = sqliteBackend.Prepare fcache dir
            for k in [ "a"; "b"; "c" ] do ok (fcache [ "set"; k; k; "--backend"; uri ]) "set"
            let o = fcache [ "stats"; "--backend"; uri ]
            ok o "stats"
            Expect.stringContains o.Out "backend: db (FunctionalCache.Backends.Database.DatabaseCache)\n" "type"
            Expect.stringContains o.Out (sprintf "table: cli_cache in the SQLite database '%s'\n" (Path.Combine(dir, "cache.sqlite"))) "table"
            Expect.stringContains o.Out "rows (live and expired): 3\n" "rows"

        case "createcachetable on PostgreSQL creates the table, then says it already exists" <| fun fcache _ _ ->
            let cs = Integration.Postgres.shared.Value.ConnectionString
            let table = postgresTable ()
            let args = [ "createcachetable"; table; "--connection"; cs; "--provider"; "postgres" ]
            let dryBefore = fcache (args @ [ "--dry-run" ])
            ok dryBefore "dry run"
            Expect.equal dryBefore.Out (ddl table postgresOnly) "statements"
            let first = fcache args
            ok first "create"
            Expect.stringContains first.Out (sprintf "Cache table '%s' created in the PostgreSQL database" table) "created"
            let second = fcache args
            ok second "twice"
            Expect.equal second.Out (sprintf "Cache table '%s' already exists.\n" table) "already exists"
    ]

[<Tests>]
let tests =
    testSequenced <| testList "FcacheTests" (
        harnessTests
        @ persistentTests fileBackend @ fileTests
        @ createCacheTableTests @ persistentTests sqliteBackend @ persistentTests postgresBackend)
