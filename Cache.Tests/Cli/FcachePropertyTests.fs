/// fcache driven with generated command lines, in-process: commands, backend URIs of every scheme (malformed
/// ones too), keys and values of any characters (control characters, lone surrogates), timeouts and stray
/// tokens. Whatever the line, fcache answers with a documented exit code and, on failure, one readable
/// message: never an exception, never a stack trace.
module Cli.FcachePropertyTests

open System
open System.IO
open System.Text.RegularExpressions
open Expecto
open FsCheck
open FsCheck.FSharp
open Cli.InProcess

/// The places a generated command line may point at: all inside one temporary directory, so no run writes
/// anywhere else (file:// locations and SQLite files are only ever paths in here).
type private World =
    { Dir: string
      /// A regular file: as a file:// location, a db file, a parent directory.
      Plain: string
      /// A SQLite file holding the cache table `t`.
      Database: string
      /// A file cache holding a value that is not text under "binary" (and so does the table `not_text` in
      /// `Database`); only `get` is generated for these two, so the value stays: get's exit 4.
      NotText: string
      /// A port on 127.0.0.1 nobody listens on.
      DeadPort: int }

let private withWorld (body: World -> unit) =
    let dir = Directory.CreateTempSubdirectory("fcache-prop-").FullName
    try
        let plain = Path.Combine(dir, "plain-file")
        File.WriteAllText(plain, "not a directory, not a database")
        let database = Path.Combine(dir, "cache.sqlite")
        let created = fcache [ "createcachetable"; "t"; "--database"; database ]
        if created.Code <> 0 then failwithf "the world's cache table: %A" created
        let notText = Path.Combine(dir, "not-text")
        if (fcache [ "createcachetable"; "not_text"; "--database"; database ]).Code <> 0 then failwith "the world's not_text table"
        for location in [ $"db://not_text?database={database}"; $"file://{notText}" ] do
            let cache = FunctionalCache.FSharp.Cache.fromUri location
            cache |> FunctionalCache.FSharp.Cache.set "binary" [| 0xffuy; 0x00uy |] |> run
            match cache with :? IDisposable as d -> d.Dispose() | _ -> ()
        body { Dir = dir; Plain = plain; Database = database; NotText = notText; DeadPort = freePort () }
    finally
        try Directory.Delete(dir, true) with _ -> ()

// ---------------------------------------------------------------- generators

/// Any character: printable ASCII, C0 and C1 controls, DEL, line separators, BMP letters, lone surrogates.
let private anyChar =
    Gen.frequency
        [ 6, Gen.choose (0x20, 0x7e) |> Gen.map char
          2, Gen.choose (0x00, 0x1f) |> Gen.map char
          1, Gen.elements [ '\u007f'; '\u0085'; '\u009b'; '\u2028'; '\u2029'; '\ufeff' ]
          1, Gen.choose (0xa0, 0xd7ff) |> Gen.map char
          1, Gen.choose (0xd800, 0xdfff) |> Gen.map char ]

let private anyText = Gen.sized (fun size -> Gen.choose (0, max 1 size) |> Gen.bind (fun n -> Gen.arrayOfLength n anyChar)) |> Gen.map String

let private word = Gen.elements [ "k"; "greeting"; "n"; "t"; "a b"; "ключ"; "𝄞" ]

let private key =
    Gen.frequency
        [ 6, word
          3, anyText
          1, Gen.map (fun t -> "-" + t) anyText
          1, Gen.map (fun t -> "@" + t) anyText
          1, Gen.constant ""
          1, Gen.constant (String('k', 300)) ]

let private number =
    Gen.oneof
        [ Gen.elements [ "0"; "1"; "-1"; "30"; "0.5"; "1e3"; "1e999"; "-1e999"; "NaN"; "Infinity"; "never"; "NEVER"; ""; "abc"; "99999999999999"; "9223372036854775808" ]
          ArbMap.defaults |> ArbMap.generate<float> |> Gen.map (fun f -> f.ToString("R", Globalization.CultureInfo.InvariantCulture))
          ArbMap.defaults |> ArbMap.generate<int64> |> Gen.map string
          anyText ]

let private uriArgument =
    Gen.elements
        [ "timeout"; "max_entries"; "cull_frequency"; "key_prefix"; "version"; "colour"; "database"; "provider"; "connection"
          "command_timeout"; "connect_timeout"; "read_timeout"; "dead_retry"; "pool_size"; "throw_on_failure"; "hash_keys"; "" ]

let private query =
    gen {
        let! pairs = Gen.listOfLength 3 (Gen.zip uriArgument (Gen.oneof [ number; anyText; Gen.elements [ "true"; "false"; "sqlite"; "postgres" ] ]))
        let! count = Gen.choose (0, 3)
        let! separator = Gen.elements [ "&"; ";" ]
        let text = pairs |> List.truncate count |> List.map (fun (k, v) -> $"{k}={v}") |> String.concat separator
        return if text = "" then "" else "?" + text
    }

/// A path segment that stays one level below the world's directory: no separators, dots or escapes.
let private segment =
    Gen.frequency [ 3, word; 1, anyText ]
    |> Gen.map (fun (s: string) -> s.Replace("/", "_").Replace("\\", "_").Replace(".", "_").Replace("%", "_"))
    |> Gen.map (fun s -> "c-" + s)

let private databaseFile (w: World) =
    Gen.elements [ w.Database; Path.Combine(w.Dir, "missing.sqlite"); w.Plain; w.Dir; Path.Combine(w.Plain, "x.sqlite") ]

let private uri (w: World) =
    Gen.frequency
        [ 3, Gen.map2 (fun s q -> $"file://{Path.Combine(w.Dir, s)}{q}") segment query
          2, Gen.constant $"db://t?database={w.Database}"
          1, Gen.map (fun (q: string) -> $"FILE://{w.Dir}/upper{q}") query
          1, Gen.elements [ $"file://{w.Plain}"; $"file://{w.Plain}/cache"; "file://"; "file:"; $"file://{w.Dir}/a#fragment" ]
          3, Gen.map3 (fun (t: string) (f: string) (q: string) -> $"db://{t}?database={f}" + q.Replace("?", "&")) (Gen.oneof [ Gen.constant "t"; Gen.constant "missing"; anyText ]) (databaseFile w) query
          1, Gen.elements [ "db://"; "db://t"; "db://t?provider=mysql"; $"db://t?provider=postgres&connection=Host=127.0.0.1%%3BPort={w.DeadPort}%%3BTimeout=1"
                            "db://t?provider=postgres&connection=%3B%3B=%3D"; "db://bad-name?database=x" ]
          2, Gen.map (fun q -> $"memcached://127.0.0.1:{w.DeadPort}/{q}") query
          1, Gen.elements [ "memcached://"; "memcached://127.0.0.1:99999/"; $"memcached://[::1]:{w.DeadPort}/"; "memcached://host:port/"; "memcached://;;/" ]
          2, Gen.map2 (fun scheme q -> $"{scheme}:///{q}") (Gen.elements [ "locmem"; "dummy"; "LocMem" ]) query
          1, Gen.elements [ "nosuch://x"; "://"; "System.String://x"; "FunctionalCache.Backends.Dummy.DummyCache://"; " "; "file ///x" ]
          2, anyText ]

let private backend (w: World) =
    Gen.frequency
        [ 8, Gen.map (fun u -> [ "--backend"; u ]) (uri w)
          1, Gen.map (fun u -> [ "-b"; u ]) (uri w)
          1, Gen.constant [] ]

let private optional (weight: int) (g: Gen<string list>) = Gen.frequency [ weight, g; 1, Gen.constant [] ]

let private cacheCommand (w: World) =
    gen {
        let! command =
            Gen.oneof
                [ Gen.map (fun k -> [ "get"; k ]) key
                  Gen.map3 (fun k v t -> [ "set"; k; v ] @ t) key anyText (optional 1 (Gen.map2 (fun o n -> [ o; n ]) (Gen.elements [ "--timeout"; "-t" ]) number))
                  Gen.map (fun k -> [ "delete"; k ]) key
                  Gen.map2 (fun k by -> [ "incr"; k ] @ by) key (optional 1 (Gen.map (fun n -> [ "--by"; n ]) number))
                  Gen.constant [ "clear" ]
                  Gen.constant [ "stats" ] ]
        let! target = backend w
        let! strict = Gen.frequency [ 1, Gen.constant [ "--strict" ]; 4, Gen.constant [] ]
        return command @ target @ strict
    }

let private createCacheTable (w: World) =
    gen {
        let! name = Gen.oneof [ Gen.elements [ "t"; "other"; "a table"; "bad-name"; "" ]; anyText ]
        let! where =
            Gen.oneof
                [ Gen.map (fun f -> [ "--database"; f ]) (Gen.oneof [ databaseFile w; Gen.map (fun s -> Path.Combine(w.Dir, s + ".sqlite")) segment ])
                  Gen.map2 (fun c p -> [ "--connection"; c; "--provider"; p ])
                      (Gen.oneof [ Gen.constant $"Data Source={w.Database}"; Gen.constant $"Host=127.0.0.1;Port={w.DeadPort};Timeout=1"; Gen.map (fun (t: string) -> t.Replace("=", "").Replace(";", "")) anyText; Gen.constant "=;=" ])
                      (Gen.elements [ "sqlite"; "postgres"; "mysql" ])
                  Gen.constant [] ]
        let! dry = optional 1 (Gen.constant [ "--dry-run" ])
        return [ "createcachetable"; name ] @ where @ dry
    }

let private noise =
    Gen.oneof
        [ Gen.constant []
          Gen.constant [ "--help" ]
          Gen.constant [ "--version" ]
          Gen.constant [ "frobnicate" ]
          Gen.map List.ofArray (Gen.arrayOf anyText) ]

/// A command line: mostly well-formed commands, sometimes with a stray token inserted or appended.
let private commandLine (w: World) =
    gen {
        let binary = Gen.map (fun uri -> [ "get"; "binary"; "--backend"; uri ]) (Gen.elements [ "file://" + w.NotText; $"db://not_text?database={w.Database}" ])
        let! line = Gen.frequency [ 12, cacheCommand w; 4, createCacheTable w; 2, noise; 1, binary ]
        let! stray = Gen.frequency [ 9, Gen.constant None; 1, Gen.map Some (Gen.zip (Gen.choose (0, 8)) (Gen.oneof [ anyText; Gen.elements [ "--"; "-x"; "--timeout"; "--by"; "@args" ] ])) ]
        return
            match stray with
            | Some (at, token) when at <= line.Length -> List.insertAt at token line
            | _ -> line
    }

// ---------------------------------------------------------------- the law

/// A line a terminal shows as it is: no control character, no lone surrogate.
let private readable (line: string) =
    let mutable ok = true
    let mutable i = 0
    while ok && i < line.Length do
        let c = line[i]
        if Char.IsHighSurrogate c && i + 1 < line.Length && Char.IsLowSurrogate line[i + 1] then i <- i + 2
        else
            ok <- not (Char.IsControl c || Char.IsSurrogate c || c = '\u2028' || c = '\u2029')
            i <- i + 1
    ok

let private exceptionName = Regex(@"\b[A-Z][A-Za-z.]*Exception\b")

/// The problems with one run's outcome, none when it obeys the law.
let private problems (r: Run) =
    let lines = r.Err.Split('\n') |> Array.filter (fun l -> l <> "")
    let messages = lines |> Array.filter (fun l -> not (l.StartsWith "fcache: warning: " || l.StartsWith "Usage: " || l.StartsWith "Run '"))
    [ if r.Code < 0 || r.Code > 4 then $"exit code {r.Code} is not one of 0, 1, 2, 3, 4"
      for l in lines do
          if not (readable l) then $"unreadable line: {l}"
          if l.Contains "   at " then $"a stack trace line: {l}"
          if exceptionName.IsMatch l then $"an exception type named: {l}"
      if r.Code = 0 && messages.Length > 0 then $"exit 0 with a message: {r.Err}"
      if r.Code <> 0 && messages.Length <> 1 then $"exit {r.Code} with {messages.Length} messages (one expected): {r.Err}" ]

[<Tests>]
let tests =
    testList "FcachePropertyTests" [
        testCase "any generated command line exits 0, 1, 2, 3 or 4 with one readable message on failure, never a stack trace" <| fun () ->
            withWorld (fun w ->
                let codes = Collections.Generic.Dictionary<int, int>()
                let deadServer = $"memcached://127.0.0.1:{w.DeadPort}/"
                let law (args: string list) =
                    let r = fcacheWithin (TimeSpan.FromMinutes 1.0) args
                    codes[r.Code] <- (match codes.TryGetValue r.Code with | true, n -> n + 1 | _ -> 1)
                    // A command that reached the dead server cannot have done its work, nor found the key absent.
                    // A help request (System.CommandLine reads "-h…" bundled with junk as -h) prints usage and exits 0.
                    let needsServer =
                        not args.IsEmpty && List.contains args.Head [ "get"; "set"; "delete"; "incr"; "clear" ] && not (r.Out.Contains "Usage:")
                    let silent =
                        if needsServer && args |> List.exists (fun a -> a.StartsWith deadServer) && r.Code <= 1 then
                            [ $"exit {r.Code} against a dead memcached server" ]
                        else []
                    match problems r @ silent with
                    | [] -> ()
                    | found -> failwithf "fcache %A:\n%s" args (String.Join("\n", found))
                let config = Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true)
                Check.One(config, Prop.forAll (Arb.fromGen (commandLine w)) law)
                // Every outcome is reached, so the law is checked on each: a generator that stopped reaching one would say so here.
                let seen = codes |> Seq.map (fun p -> p.Key, p.Value) |> Map.ofSeq
                printfn "fcache exit codes over the generated lines: %A" seen
                Expect.equal (Set.ofSeq seen.Keys) (Set.ofList [ 0; 1; 2; 3; 4 ]) "every exit code reached")

        testCase "the law holds for the lines that broke it once" <| fun () ->
            withWorld (fun w ->
                let cache = "file://" + Path.Combine(w.Dir, "c")
                // Each joined message must not hold an escaped line break: its lines are joined, not escaped.
                for args, joined in [ [ "get"; "@k"; "--backend"; cache ], true
                                      [ "get"; "a\nb\u001b[31m\u0007"; "--backend"; cache ], false
                                      [ "set"; "k"; "\ud800"; "--backend"; cache ], true
                                      [ "stats"; "--backend"; "System.String://x" ], true
                                      [ "createcachetable"; "t"; "--dry-run"; "--provider"; "mysql" ], true ] do
                    let r = fcache args
                    Expect.equal (problems r) [] (sprintf "%A" args)
                    if joined then Expect.isFalse (r.Err.Contains @"\n") (sprintf "%A: a message of several lines is joined into one line" args)
                let atKey = fcache [ "get"; "@k"; "--backend"; cache ]
                Expect.equal (atKey.Code, atKey.Err) (1, "miss\n") "a key starting with @ is a key, not a response file")
    ]
