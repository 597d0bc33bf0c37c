/// Our own backends and wrappers as subjects of FunctionalCache.Laws: one definition each, shared by Cache.Tests
/// (Django's contract) and Cache.Properties (the model machine and the property laws).
module Backends.Subjects

open System
open System.IO
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.File
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Memcached
open FunctionalCache.Laws

let private locmem name store =
    Subject.create name (fun context policy -> LocMemCache(policy, context, store) :> ICache)
    |> Subject.mapCapabilities (fun c -> { c with Serializes = (store = LocMemStore.Copy); SyncApi = true })

/// LocMem holding serialized copies (the default).
let locMemCopy = locmem "locmem (copy)" LocMemStore.Copy

/// LocMem holding object references.
let locMemReference = locmem "locmem (reference)" LocMemStore.Reference

/// Removes a directory tree, ignoring what is already gone.
let removeTree (path: string) = try Directory.Delete(path, true) with :? DirectoryNotFoundException -> ()

/// The file backend over `cache/` in a fresh temporary directory.
let file =
    Subject.ofStore "file" (fun () ->
        let root = Directory.CreateTempSubdirectory("fcache-test-").FullName
        { Make = fun context policy -> FileBasedCache(Path.Combine(root, "cache"), policy, context) :> ICache
          Close = fun () -> removeTree root })

/// A fresh SQLite file path in the temp directory.
let tempDatabase () = Path.Combine(Path.GetTempPath(), $"fcache-db-{Guid.NewGuid():N}.sqlite")

/// Removes a SQLite file and its WAL companions.
let deleteDatabase (path: string) =
    for suffix in [ ""; "-wal"; "-shm"; "-journal" ] do
        try File.Delete(path + suffix) with _ -> ()

/// Creates the cache table, failing loudly if it was there already.
let createTable (location: DatabaseLocation) (table: string) =
    let status = DatabaseCacheTable.CreateAsync(location, table).GetAwaiter().GetResult()
    if status <> CacheTableStatus.Created then failwithf "table %s: %A, not created" table status

/// Drops a table if it is there.
let dropTable (location: DatabaseLocation) (table: string) =
    use connection = location.OpenAsync().GetAwaiter().GetResult()
    use command = connection.CreateCommand()
    command.CommandText <- $"DROP TABLE IF EXISTS {DatabaseCacheTable.Quote table}"
    command.ExecuteNonQuery() |> ignore

/// One store: a table in `location`, every cache made on it disposed (and the table released) at the end.
let private storeOn (location: DatabaseLocation) (table: string) (release: unit -> unit) : Store =
    createTable location table
    let caches = ResizeArray<DatabaseCache>()
    { Make =
        fun context policy ->
            let cache = new DatabaseCache(table, location, policy, context)
            lock caches (fun () -> caches.Add cache)
            cache :> ICache
      Close = fun () -> (for c in caches do c.Dispose()); release () }

/// A SQLite file of its own with the table in it.
let sqliteStore (table: string) () =
    let path = tempDatabase ()
    storeOn (DatabaseLocation.Sqlite path) table (fun () -> deleteDatabase path)

/// A table of its own in the shared throwaway PostgreSQL cluster.
let postgresStore () =
    let location = DatabaseLocation.Postgres Integration.Postgres.shared.Value.ConnectionString
    let table = $"test cache {Guid.NewGuid():N}".Substring(0, 30)
    storeOn location table (fun () -> dropTable location table)

/// Django runs its DB contract on a table whose name has spaces ("test cache table"): so do we.
let sqlite = Subject.ofStore "db (SQLite)" (sqliteStore "test cache table")

/// db:// on PostgreSQL.
let postgres = Subject.ofStore "db (PostgreSQL)" postgresStore

let private flush (location: string) =
    use client = new MemcachedClient(MemcachedOptions.Parse location)
    client.FlushAllAsync().GetAwaiter().GetResult()

/// The shared memcached server, flushed; the caches made on it are disposed afterwards. The server keeps its own
/// clock, its counters are unsigned, it rejects bad keys and it does not cull by MaxEntries.
let memcached =
    Subject.ofStore "memcached" (fun () ->
        let location = Integration.Memcached.shared.Force().Location
        flush location
        let made = ResizeArray<MemcachedCache>()
        { Make =
            fun context policy ->
                let c = new MemcachedCache(MemcachedOptions.Parse location, policy, context)
                lock made (fun () -> made.Add c)
                c :> ICache
          Close = fun () -> (for c in made do c.Dispose()); flush location })
    |> Subject.mapCapabilities (fun c ->
        { c with Clock = OwnClock; Culls = false; UnsignedCounters = true; RejectsBadKeys = true; Exclusive = true })

/// The storing backends.
let backends = [ locMemCopy; locMemReference; file; sqlite; postgres; memcached ]

/// Metrics around locmem: an instrumented cache must be the cache it wraps.
let instrumentedLocMem = locMemCopy |> Subject.wrap "instrumented" (fun c -> InstrumentedCache(c, "laws") :> ICache)

/// Metrics around a SQLite table: a wrapper over a shared store.
let instrumentedSqlite = sqlite |> Subject.wrap "instrumented" (fun c -> InstrumentedCache(c, "laws") :> ICache)

/// Chaos with a calm schedule around locmem: it must be the cache it wraps.
let calmChaos = locMemCopy |> Subject.wrap "chaos (calm)" (fun c -> new ChaosCache(c, ChaosSchedule.Calm) :> ICache)

/// Wrappers that must be the cache they wrap: metrics, and chaos with a calm schedule.
let wrappers = [ instrumentedLocMem; instrumentedSqlite; calmChaos ]

/// Every subject the laws run on.
let all = backends @ wrappers
