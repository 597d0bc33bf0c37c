/// The database backend: Django's common contract on SQLite and on a throwaway PostgreSQL cluster,
/// the DBCacheTests cases of reference/django-tests.md section E that apply, the schema API the fcache
/// CLI calls, and processes and threads hammering one SQLite file.
module Backends.DatabaseTests

open System
open System.Collections.Generic
open System.Diagnostics
open System.IO
open System.Text.Json
open System.Threading
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open Backends.BaseCacheTests
open Backends.Subjects

// ---------------------------------------------------------------- stores (the contract's are in Backends.Subjects)

/// A cache on a fresh SQLite file with a fake clock; the body gets the cache, the clock, the file and the location.
let withSqlite (table: string) (policy: CachePolicy) (body: DatabaseCache -> Microsoft.Extensions.Time.Testing.FakeTimeProvider -> string -> DatabaseLocation -> unit) =
    let path = tempDatabase ()
    let location = DatabaseLocation.Sqlite path
    let clock, _, context = testContext ()
    try
        createTable location table
        use cache = new DatabaseCache(table, location, policy, context)
        body cache clock path location
    finally
        deleteDatabase path

let private rows (cache: DatabaseCache) = cache.CountAsync() |> run

/// The raw `expires` column of one made key.
let private expiresOf (location: DatabaseLocation) (table: string) (madeKey: string) : int64 option =
    use connection = location.OpenAsync() |> run
    use command = connection.CreateCommand()
    command.CommandText <- $"SELECT \"expires\" FROM {DatabaseCacheTable.Quote table} WHERE \"cache_key\" = @k"
    let p = command.CreateParameter()
    p.ParameterName <- "@k"
    p.Value <- madeKey
    command.Parameters.Add p |> ignore
    match command.ExecuteScalar() with
    | null -> None
    | v -> Some(Convert.ToInt64 v)

// ---------------------------------------------------------------- concurrency (threads and processes)

/// Mixed operations on one SQLite file for `milliseconds` and at least 20 increments (so a writer
/// starved on a busy machine still takes part); the number of increments of "hits" that succeeded. Any exception escapes (the test fails on it); an increment that finds no key is lost.
let hammer (path: string) (table: string) (seed: int) (milliseconds: int) : int64 =
    let policy = Policy.defaults |> Policy.maxEntries 200
    use cache = new DatabaseCache(table, DatabaseLocation.Sqlite(path, TimeSpan.FromSeconds 10.0), policy, CacheContext.Default)
    let c = cache :> ICache
    let random = Random seed
    let key () = $"k{random.Next 300}"
    let minute = Expire.seconds 60.0
    let clock = Stopwatch.StartNew()
    let mutable increments = 0L
    while clock.ElapsedMilliseconds < int64 milliseconds || increments < 20L do
        match random.Next 8 with
        | 0
        | 1 ->
            match c |> Cache.incr "hits" |> run with
            | Ok _ -> increments <- increments + 1L
            | Error e -> failwithf "an increment was lost: %s" e.Message
        | 2 -> c |> Cache.setFor minute (key ()) (random.Next()) |> run
        | 3 -> c |> Cache.tryGet<int> (key ()) |> run |> ignore
        | 4 -> c |> Cache.addFor minute (key ()) 1 |> run |> ignore
        | 5 -> c |> Cache.delete (key ()) |> run |> ignore
        | 6 -> c |> Cache.setManyFor minute [ for i in 0..4 -> key (), i ] |> run |> ignore
        | _ -> c |> Cache.getMany<int> [ for _ in 0..9 -> key () ] |> run |> ignore
    increments

/// Child role `db-writer PATH TABLE SEED MILLISECONDS`: hammers the file and prints its increments.
let dbWriter (args: string list) : int =
    match args with
    | [ path; table; seed; ms ] ->
        try
            printfn "%d" (hammer path table (int seed) (int ms))
            0
        with e ->
            eprintfn "%O" e
            1
    | _ ->
        eprintfn "usage: db-writer PATH TABLE SEED MILLISECONDS"
        2

// ---------------------------------------------------------------- section E and our own decisions

let private schema =
    testList "schema (what fcache createcachetable runs)" [
        testCase "the SQLite statements create the table and the <table>_expires index, every identifier quoted" <| fun () ->
            let statements = DatabaseCacheTable.CreateStatements("test cache table", DatabaseProvider.Sqlite) |> List.ofSeq
            Expect.equal statements
                [ "CREATE TABLE \"test cache table\" (\"cache_key\" TEXT NOT NULL PRIMARY KEY, \"value\" BLOB NOT NULL, \"kind\" INTEGER NOT NULL DEFAULT 0, \"expires\" INTEGER NOT NULL) WITHOUT ROWID"
                  "CREATE INDEX \"test cache table_expires\" ON \"test cache table\" (\"expires\")" ] "statements"

        testCase "the PostgreSQL statements use text, bytea and bigint" <| fun () ->
            let statements = DatabaseCacheTable.CreateStatements("my_cache_table", DatabaseProvider.Postgres) |> List.ofSeq
            Expect.equal statements
                [ "CREATE TABLE \"my_cache_table\" (\"cache_key\" text NOT NULL PRIMARY KEY, \"value\" bytea NOT NULL, \"kind\" integer NOT NULL DEFAULT 0, \"expires\" bigint NOT NULL)"
                  "CREATE INDEX \"my_cache_table_expires\" ON \"my_cache_table\" (\"expires\")" ] "statements"

        testCase "a bad table name is an ArgumentException that names it and states the rule" <| fun () ->
            for bad in [ "drop\"table"; "1table"; "a;b"; "ta-ble"; String('x', 56); "" ] do
                let e = throws<ArgumentException> (fun () -> DatabaseCacheTable.CreateStatements(bad, DatabaseProvider.Sqlite) |> ignore)
                if bad = "" then Expect.stringStarts e.Message "Cache table name must not be empty." "empty"
                else
                    Expect.stringStarts e.Message
                        $"Cache table name '{bad}' is invalid: it must be 1 to 55 characters, start with an ASCII letter or underscore, and hold only ASCII letters, digits, underscores and spaces." bad
            let e = throws<ArgumentException> (fun () -> new DatabaseCache("x;y", DatabaseLocation.Sqlite(tempDatabase ()), Policy.defaults, CacheContext.Default) |> ignore)
            Expect.stringContains e.Message "'x;y'" "the constructor checks too"

        testCase "createcachetable creates once, then says the table already exists (Django's second call)" <| fun () ->
            let path = tempDatabase ()
            try
                let location = DatabaseLocation.Sqlite path
                Expect.equal (DatabaseCacheTable.CreateAsync(location, "test cache table") |> run) CacheTableStatus.Created "first"
                Expect.equal (DatabaseCacheTable.CreateAsync(location, "test cache table") |> run) CacheTableStatus.AlreadyExists "second"
                use connection = location.OpenAsync() |> run
                Expect.isTrue (DatabaseCacheTable.ExistsAsync(connection, "test cache table", DatabaseProvider.Sqlite) |> run) "exists"
            finally
                deleteDatabase path

        testCase "a dry run creates nothing and reports that it would create" <| fun () ->
            let path = tempDatabase ()
            try
                let location = DatabaseLocation.Sqlite path
                Expect.equal (DatabaseCacheTable.CreateAsync(location, "dry", dryRun = true) |> run) CacheTableStatus.WouldCreate "dry run"
                use connection = location.OpenAsync() |> run
                Expect.isFalse (DatabaseCacheTable.ExistsAsync(connection, "dry", DatabaseProvider.Sqlite) |> run) "nothing created"
                createTable location "dry"
                Expect.equal (DatabaseCacheTable.CreateAsync(location, "dry", dryRun = true) |> run) CacheTableStatus.AlreadyExists "dry run on an existing table"
            finally
                deleteDatabase path

        testCase "a database file that does not exist is a CacheBackendException naming it on every operation, and no file is created" <| fun () ->
            let path = tempDatabase ()
            try
                use cache = new DatabaseCache("t", DatabaseLocation.Sqlite path, Policy.defaults, CacheContext.Default)
                let operations =
                    [ "get", (fun () -> cache |> Cache.tryGet<string> "k" |> run |> ignore)
                      "get_many", (fun () -> cache |> Cache.getMany<string> [ "k"; "j" ] |> run |> ignore)
                      "has_key", (fun () -> cache |> Cache.hasKey "k" |> run |> ignore)
                      "set", (fun () -> cache |> Cache.set "k" "v" |> run)
                      "add", (fun () -> cache |> Cache.add "k" "v" |> run |> ignore)
                      "delete", (fun () -> cache |> Cache.delete "k" |> run |> ignore)
                      "touch", (fun () -> cache |> Cache.touch Expire.never "k" |> run |> ignore)
                      "incr", (fun () -> cache |> Cache.incr "k" |> run |> ignore)
                      "clear", (fun () -> cache |> Cache.clear |> run)
                      "count", (fun () -> cache.CountAsync() |> run |> ignore) ]
                for name, op in operations do
                    let e = throws<CacheBackendException> op
                    Expect.equal e.Message
                        $"No such database file '{Path.GetFullPath path}' for cache table 't'. Create it with: fcache createcachetable t --database '{Path.GetFullPath path}'" name
                    Expect.isFalse (File.Exists path) $"{name}: no database file created"
            finally
                deleteDatabase path

        testCase "a file that is not a database is a CacheBackendException giving SQLite's reason once, on one line" <| fun () ->
            let path = tempDatabase ()
            try
                File.WriteAllText(path, "hello")
                use cache = new DatabaseCache("t", DatabaseLocation.Sqlite path, Policy.defaults, CacheContext.Default)
                let e = throws<CacheBackendException> (fun () -> cache |> Cache.tryGet<string> "k" |> run |> ignore)
                Expect.equal e.Message $"Cache table 't' in the SQLite database '{Path.GetFullPath path}' failed: file is not a database" "the reason once"
                let opened = throws<CacheBackendException> (fun () -> DatabaseCacheTable.CreateAsync(DatabaseLocation.Sqlite path, "t") |> run |> ignore)
                Expect.stringEnds opened.Message $"SQLite database '{Path.GetFullPath path}': file is not a database" "createcachetable: the reason once, at the end"
                Expect.isFalse (opened.Message.Contains '\n') "createcachetable: one line"
            finally
                deleteDatabase path

        testCase "a missing table is a CacheBackendException naming the table and the command that creates it" <| fun () ->
            let path = tempDatabase ()
            try
                let location = DatabaseLocation.Sqlite path
                createTable location "another_table"
                use cache = new DatabaseCache("missing_table", location, Policy.defaults, CacheContext.Default)
                for name, op in [ "get", (fun () -> cache |> Cache.tryGet<int> "k" |> run |> ignore)
                                  "set", (fun () -> cache |> Cache.set "k" 1 |> run)
                                  "incr", (fun () -> cache |> Cache.incr "k" |> run |> ignore) ] do
                    let e = throws<CacheBackendException> op
                    Expect.equal e.Message
                        $"Cache table 'missing_table' does not exist in the SQLite database '{Path.GetFullPath path}'. Create it with: fcache createcachetable missing_table" name
                    Expect.isNotNull e.InnerException $"{name}: the cause is inside"
                let spaced = new DatabaseCache("test cache table", location, Policy.defaults, CacheContext.Default)
                let e = throws<CacheBackendException> (fun () -> spaced |> Cache.hasKey "k" |> run |> ignore)
                Expect.stringEnds e.Message "Create it with: fcache createcachetable 'test cache table'" "a name with spaces is quoted for the shell"
                spaced.Dispose()
            finally
                deleteDatabase path ]

let private behaviour =
    testList "DBCacheTests" [
        testCase "get_many of live keys and an expired one returns the live ones and deletes the expired row" <| fun () ->
            withSqlite "test cache table" Policy.defaults (fun cache clock _ _ ->
                let c = cache :> ICache
                c |> Cache.set "a" 1 |> run
                c |> Cache.set "b" 2 |> run
                c |> Cache.setFor (Expire.seconds 0.01) "expired" 3 |> run
                advance clock 0.02
                Expect.equal (c |> Cache.getMany<int> [ "a"; "b"; "expired" ] |> run) (Map [ "a", 1; "b", 2 ]) "the live ones"
                Expect.equal (rows cache) 2L "the expired row was deleted")

        testCase "a lazy get deletes the expired row it finds" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache clock _ _ ->
                let c = cache :> ICache
                c |> Cache.setFor (Expire.seconds 1.0) "a" 1 |> run
                advance clock 1.0
                Expect.equal (c |> Cache.tryGet<int> "a" |> run) None "expired"
                Expect.equal (rows cache) 0L "deleted on the way")

        testCase "delete and delete_many report and remove rows" <| fun () ->
            withSqlite "test cache table" Policy.defaults (fun cache _ _ _ ->
                let c = cache :> ICache
                c |> Cache.setMany [ "a", 1; "b", 2; "c", 3; "d", 4 ] |> run |> ignore
                Expect.isTrue (c |> Cache.delete "a" |> run) "delete a"
                c |> Cache.deleteMany [ "b"; "c"; "zzz" ] |> run
                Expect.equal (rows cache) 1L "only d is left")

        testCase "culling removes expired rows first and keeps every live one when that makes room (deliberate: Django then culls alphabetically)" <| fun () ->
            withSqlite "t" (Policy.defaults |> Policy.maxEntries 10) (fun cache clock _ _ ->
                let c = cache :> ICache
                for i in 0..7 do c |> Cache.setFor (Expire.seconds 1000.0) $"live{i}" i |> run
                c |> Cache.setFor (Expire.seconds 1.0) "a-short1" 0 |> run
                c |> Cache.setFor (Expire.seconds 1.0) "a-short2" 0 |> run
                advance clock 2.0
                c |> Cache.setFor (Expire.seconds 1000.0) "new" 99 |> run
                Expect.equal (rows cache) 9L "the two expired rows went, nothing else"
                for i in 0..7 do Expect.isTrue (c |> Cache.hasKey $"live{i}" |> run) $"live{i} kept"
                Expect.isTrue (c |> Cache.hasKey "new" |> run) "the new row")

        testCase "culling then removes the rows nearest expiry, not the alphabetically smallest keys" <| fun () ->
            withSqlite "t" (Policy.defaults |> Policy.maxEntries 9) (fun cache _ _ _ ->
                let c = cache :> ICache
                // Keys in reverse alphabetical order of their expiry: z expires first.
                let names = [ "z"; "y"; "x"; "w"; "v"; "u"; "t"; "s"; "r" ]
                names |> List.iteri (fun i k -> c |> Cache.setFor (Expire.seconds (float (100 + i))) k i |> run)
                c |> Cache.setFor Expire.never "a" 99 |> run
                // 9 rows, none expired: a third (3) nearest expiry go, then "a" goes in.
                Expect.equal (rows cache) 7L "9 - 3 + 1"
                for k in [ "z"; "y"; "x" ] do Expect.isFalse (c |> Cache.hasKey k |> run) $"{k} (nearest expiry) culled"
                for k in [ "w"; "v"; "u"; "t"; "s"; "r"; "a" ] do Expect.isTrue (c |> Cache.hasKey k |> run) $"{k} kept")

        testCase "CullFrequency 0 empties a full table: 49 writes with MaxEntries 30 leave 19 (deliberate: Django's db leaves 18)" <| fun () ->
            withSqlite "test cache table" (Policy.defaults |> Policy.maxEntries 30 |> Policy.cullFrequency 0) (fun cache _ _ _ ->
                let c = cache :> ICache
                for i in 1..49 do c |> Cache.setFor (Expire.seconds 1000.0) $"cull{i}" "value" |> run
                Expect.equal (rows cache) 19L "rows")

        testCase "the row count never exceeds MaxEntries through set, add, set_many and overwrites" <| fun () ->
            withSqlite "t" (Policy.defaults |> Policy.maxEntries 20) (fun cache _ _ _ ->
                let c = cache :> ICache
                let random = Random 7
                for step in 1..400 do
                    match random.Next 4 with
                    | 0 -> c |> Cache.set $"k{random.Next 60}" step |> run
                    | 1 -> c |> Cache.add $"k{random.Next 60}" step |> run |> ignore
                    | 2 -> c |> Cache.setMany [ for _ in 1..5 -> $"k{random.Next 60}", step ] |> run |> ignore
                    | _ -> c |> Cache.set "k0" step |> run
                    Expect.isLessThanOrEqual (rows cache) 20L $"step {step}")

        testCase "an add that fails on a full table culls nothing" <| fun () ->
            withSqlite "t" (Policy.defaults |> Policy.maxEntries 3) (fun cache _ _ _ ->
                let c = cache :> ICache
                for k in [ "a"; "b"; "c" ] do c |> Cache.set k 1 |> run
                Expect.isFalse (c |> Cache.add "a" 2 |> run) "a is live"
                Expect.equal (rows cache) 3L "nothing culled")

        testCase "a hit on the pooled connection's prepared read leaves no read transaction open: another connection's checkpoint completes" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache _ _ location ->
                let c = cache :> ICache
                c |> Cache.set "a" 1 |> run
                Expect.equal (c |> Cache.tryGet<int> "a" |> run) (Some 1) "hit"
                Expect.equal (c |> Cache.tryGet<int> "missing" |> run) None "miss"
                use other = location.OpenAsync() |> run
                use command = other.CreateCommand()
                command.CommandText <- "PRAGMA wal_checkpoint(TRUNCATE)"
                use reader = command.ExecuteReader()
                Expect.isTrue (reader.Read()) "a result row"
                Expect.equal (reader.GetInt64 0) 0L "not busy: no reader holds a snapshot")

        testCase "the table dropped and created again under the pooled connections: the prepared read fails as a missing table, then works" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache _ _ location ->
                let c = cache :> ICache
                c |> Cache.set "a" 1 |> run
                Expect.equal (c |> Cache.tryGet<int> "a" |> run) (Some 1) "hit"
                dropTable location "t"
                let e = throws<CacheBackendException> (fun () -> c |> Cache.tryGet<int> "a" |> run |> ignore)
                Expect.stringContains e.Message "does not exist" "a missing table"
                createTable location "t"
                Expect.equal (c |> Cache.tryGet<int> "a" |> run) None "an empty table"
                c |> Cache.set "a" 2 |> run
                Expect.equal (c |> Cache.tryGet<int> "a" |> run) (Some 2) "hit again"
                dropTable location "t"
                createTable location "t"
                c |> Cache.set "b" 3 |> run
                Expect.equal (c |> Cache.tryGet<int> "b" |> run) (Some 3) "a table recreated between two hits: the statement is prepared again")

        testCase "a made key longer than 255 characters is stored and read back (deliberate: Django's varchar(255) silently fails)" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache _ _ _ ->
                let c = cache :> ICache
                let key = String('k', 1000)
                c |> Cache.set key "long" |> run
                Expect.equal (c |> Cache.tryGet<string> key |> run) (Some "long") "read back")

        testCase "the made key is what goes into cache_key, and expires holds UTC ticks (Never = Int64.MaxValue)" <| fun () ->
            withSqlite "t" (Policy.defaults |> Policy.prefix "site1") (fun cache clock _ location ->
                let c = cache :> ICache
                c |> Cache.setFor (Expire.seconds 30.0) "answer" 42 |> run
                c |> Cache.setFor Expire.never "forever" 1 |> run
                Expect.equal (expiresOf location "t" "site1:1:answer") (Some (clock.GetUtcNow().AddSeconds(30.0).UtcTicks)) "30 s"
                Expect.equal (expiresOf location "t" "site1:1:forever") (Some Int64.MaxValue) "never")

        testCase "increment keeps the expiry" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache clock _ location ->
                let c = cache :> ICache
                c |> Cache.setFor (Expire.seconds 3000.0) "n" 1 |> run
                let before = expiresOf location "t" ":1:n"
                advance clock 10.0
                Expect.equal (c |> Cache.incrBy 5L "n" |> run) (Ok 6L) "incremented"
                Expect.equal (expiresOf location "t" ":1:n") before "same expiry")

        testCase "two caches on one file share entries, and a stored null survives a new instance" <| fun () ->
            withSqlite "t" Policy.defaults (fun cache _ _ location ->
                let c = cache :> ICache
                // The other instance runs on the system clock: entries that never expire are live for both.
                c |> Cache.setFor Expire.never "shared" "value" |> run
                c |> Cache.setFor<string> Expire.never "null" null |> run
                use other = new DatabaseCache("t", location, Policy.defaults, CacheContext.Default)
                let o = other :> ICache
                Expect.equal (o |> Cache.tryGet<string> "shared" |> run) (Some "value") "the other instance reads it"
                Expect.isTrue (o |> Cache.hasKey "null" |> run) "the stored null is a hit"
                Expect.equal (o |> Cache.tryGet<string> "null" |> run) (Some null) "read as a hit holding the null"
                Expect.isNull (o |> Cache.getOr "default" "null" |> run) "and reads as null, not the default"
                Expect.isTrue (o |> Cache.add "fresh" 1 |> run) "add through the other"
                Expect.isFalse (c |> Cache.add "fresh" 2 |> run) "seen by the first")

        testCase "backend_timeouts.json: the expires column is now + timeout, Int64.MaxValue for None, and no row for zero or negative" <| fun () ->
            use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "backend_timeouts.json"))
            withSqlite "t" Policy.defaults (fun _ clock _ location ->
                let now = clock.GetUtcNow()
                for i, v in Seq.indexed (doc.RootElement.EnumerateArray()) do
                    let resolved = v.GetProperty "default_timeout_resolved"
                    let policyDefault = if resolved.ValueKind = JsonValueKind.Null then Expire.never else Expire.seconds (resolved.GetDouble())
                    let argument =
                        match v.TryGetProperty "timeout_arg" with
                        | false, _ -> Expire.byDefault
                        | true, a when a.ValueKind = JsonValueKind.Null -> Expire.never
                        | true, a when a.ValueKind = JsonValueKind.String -> Expire.byDefault
                        | true, a -> Expire.seconds (a.GetDouble())
                    let _, _, context = testContext ()
                    use cache = new DatabaseCache("t", location, Policy.defaults |> Policy.expire policyDefault, context)
                    cache |> Cache.setFor argument $"v{i}" i |> run
                    let stored = expiresOf location "t" $":1:v{i}"
                    let expected = v.GetProperty "locmem_expiry_minus_now"
                    if expected.ValueKind = JsonValueKind.Null then Expect.equal stored (Some Int64.MaxValue) $"#{i} never"
                    elif expected.GetDouble() > 0.0 then
                        Expect.equal stored (Some(now.UtcTicks + int64 (Math.Round(expected.GetDouble() * float TimeSpan.TicksPerSecond)))) $"#{i} deadline"
                    else Expect.equal stored None $"#{i} not stored (Django stores an expired row)")

        testCase "db:// URIs build the cache; a missing location or a bad provider is an error naming the argument" <| fun () ->
            let path = tempDatabase ()
            try
                let _, _, context = testContext ()
                let cache = Caches.FromUri($"db://my_cache_table?database={path}&max_entries=50&command_timeout=2", context)
                Expect.isTrue (cache :? DatabaseCache) "a DatabaseCache"
                let db = cache :?> DatabaseCache
                Expect.equal (db.Table, db.Location.Provider, db.Location.CommandTimeout, db.Policy.MaxEntries)
                    ("my_cache_table", DatabaseProvider.Sqlite, TimeSpan.FromSeconds 2.0, 50) "parsed"
                createTable db.Location "my_cache_table"
                cache |> Cache.set "k" "v" |> run
                Expect.equal (cache |> Cache.tryGet<string> "k" |> run) (Some "v") "works"
                db.Dispose()
                let pg = Caches.FromUri("db://t?provider=postgres&connection=Host=127.0.0.1%3BPort=5999%3BUsername=postgres", context) :?> DatabaseCache
                Expect.equal pg.Location.Provider DatabaseProvider.Postgres "postgres"
                pg.Dispose()
                let messages (v: LanguageExt.Validation<UriProblem, ICache>) =
                    match Result.ofValidation v with
                    | Ok _ -> []
                    | Error ps -> [ for p in ps -> p.Message ]
                let problems uri = messages (Caches.TryFromUri(uri, context))
                Expect.equal (problems "db://my_cache_table") [ "A db:// cache on SQLite needs the database file: db://TABLE?database=/path/cache.sqlite." ] "no database"
                Expect.equal (problems "db://t?provider=oracle") [ "Argument 'provider' must be 'sqlite' or 'postgres', not 'oracle'." ] "provider"
                Expect.equal (problems "db://t?provider=postgres") [ "A db:// cache on PostgreSQL needs a connection string: db://TABLE?provider=postgres&connection=Host=...%3BDatabase=..." ] "no connection"
                Expect.equal (problems $"db://bad-name?database={path}" |> List.length) 1 "bad table name"
                Expect.equal (problems $"db://t?database={path}&command_timeout=x") [] "lenient: a bad command_timeout is a warning"
                Expect.equal (messages (Caches.TryFromUri($"db://t?database={path}&command_timeout=x", context, true)))
                    [ "Argument 'command_timeout' must be a positive number of seconds, not 'x'." ] "strict: an error"
            finally
                deleteDatabase path ]

let private concurrency =
    testSequenced <| testList "concurrency" [
        testCase "two processes and three threads hammer one SQLite file: no exception escapes and no increment is lost" <| fun () ->
            let path = tempDatabase ()
            let table = "test cache table"
            try
                let location = DatabaseLocation.Sqlite path
                createTable location table
                use seed = new DatabaseCache(table, location, Policy.defaults, CacheContext.Default)
                seed |> Cache.setFor Expire.never "hits" 0L |> run
                let ms = 3000
                let children = [ for i in 1..2 -> Integration.Child.start "db-writer" [ path; table; string (100 + i); string ms ] ]
                let outputs = [ for p in children -> p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync() ]
                let threads = [ for i in 1..3 -> Tasks.Task.Run(fun () -> hammer path table i ms) ]
                let inProcess = threads |> List.sumBy (fun t -> t.Result)
                let fromChildren =
                    [ for p, (out, err) in List.zip children outputs ->
                          if not (p.WaitForExit 60_000) then
                              p.Kill true
                              failtest "a db-writer did not finish within 60 s"
                          Expect.equal p.ExitCode 0 $"db-writer failed:\n{err.Result}"
                          int64 (out.Result.Trim()) ]
                let total = inProcess + List.sum fromChildren
                Expect.isGreaterThan total 0L "some increments ran"
                Expect.isTrue (List.forall (fun n -> n > 0L) fromChildren) "both processes incremented"
                Expect.equal (seed |> Cache.tryGet<int64> "hits" |> run) (Some total) "every increment counted"
            finally
                deleteDatabase path ]

let private postgresSpecific =
    testList "PostgreSQL" [
        testCase "a missing table names the table, the database and the command" <| fun () ->
            let cluster = Integration.Postgres.shared.Value
            use cache = new DatabaseCache("no_such_table", DatabaseLocation.Postgres cluster.ConnectionString, Policy.defaults, CacheContext.Default)
            let e = throws<CacheBackendException> (fun () -> cache |> Cache.tryGet<int> "k" |> run |> ignore)
            Expect.equal e.Message
                $"Cache table 'no_such_table' does not exist in the PostgreSQL database 'postgres' on 127.0.0.1:{cluster.Port}. Create it with: fcache createcachetable no_such_table" "text"
        testCase "createcachetable creates once, then the table already exists" <| fun () ->
            let location = DatabaseLocation.Postgres Integration.Postgres.shared.Value.ConnectionString
            let table = $"created {Guid.NewGuid():N}".Substring(0, 20)
            try
                Expect.equal (DatabaseCacheTable.CreateAsync(location, table, dryRun = true) |> run) CacheTableStatus.WouldCreate "dry run"
                Expect.equal (DatabaseCacheTable.CreateAsync(location, table) |> run) CacheTableStatus.Created "first"
                Expect.equal (DatabaseCacheTable.CreateAsync(location, table) |> run) CacheTableStatus.AlreadyExists "second"
            finally
                dropTable location table
        testCase "two instances increment one counter concurrently without losing any" <| fun () ->
            let store = postgresStore ()
            try
                let a, b = store.Make CacheContext.Default Policy.defaults, store.Make CacheContext.Default Policy.defaults
                a |> Cache.set "n" 0 |> run
                let work (c: ICache) = Tasks.Task.Run(fun () -> for _ in 1..200 do c |> Cache.incr "n" |> run |> ignore)
                Tasks.Task.WaitAll [| work a; work b; work a; work b |]
                Expect.equal (b |> Cache.tryGet<int> "n" |> run) (Some 800) "800 increments"
            finally
                store.Close() ]

[<Tests>]
let tests =
    testList "DatabaseTests" [
        contractFor Subjects.sqlite
        schema
        behaviour
        concurrency
        testSequenced (testList "PostgreSQL server" [ contractFor Subjects.postgres; postgresSpecific ]) ]
