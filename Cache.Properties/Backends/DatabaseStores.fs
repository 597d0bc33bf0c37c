/// The database backend's stores for the model-based machine: a fresh SQLite file, or a fresh table in
/// the throwaway PostgreSQL cluster (Integration/Postgres.fs, shared with Cache.Tests), per run.
module Backends.DatabaseStores

open System
open System.Collections.Concurrent
open System.IO
open FunctionalCache
open FunctionalCache.Backends.Database

let private releases = ConcurrentDictionary<ICache, unit -> unit>(HashIdentity.Reference)

let private open' (location: DatabaseLocation) (table: string) (cleanUp: unit -> unit) (context: FunctionalCache.Backends.CacheContext) (policy: CachePolicy) : ICache =
    if DatabaseCacheTable.CreateAsync(location, table) |> run <> CacheTableStatus.Created then failwithf "table %s was not created" table
    let cache = new DatabaseCache(table, location, policy, context)
    releases[cache] <- fun () -> cache.Dispose(); cleanUp ()
    cache :> ICache

/// A cache over a table in a fresh SQLite file.
let makeSqlite context policy =
    let path = Path.Combine(Path.GetTempPath(), $"fcache-machine-{Guid.NewGuid():N}.sqlite")
    let cleanUp () = for suffix in [ ""; "-wal"; "-shm" ] do (try File.Delete(path + suffix) with _ -> ())
    open' (DatabaseLocation.Sqlite path) "machine cache" cleanUp context policy

/// A cache over a fresh table in the shared PostgreSQL cluster.
let makePostgres context policy =
    let location = DatabaseLocation.Postgres Integration.Postgres.shared.Value.ConnectionString
    let table = $"machine {Guid.NewGuid():N}".Substring(0, 30)
    let drop () =
        use connection = location.OpenAsync() |> run
        use command = connection.CreateCommand()
        command.CommandText <- $"DROP TABLE IF EXISTS {DatabaseCacheTable.Quote table}"
        command.ExecuteNonQuery() |> ignore
    open' location table drop context policy

/// Disposes the cache and removes its file or table.
let release (cache: ICache) =
    match releases.TryRemove cache with
    | true, cleanUp -> cleanUp ()
    | _ -> ()
