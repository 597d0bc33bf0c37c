/// The roles a child process can play (see Integration.Child). Each backend's test files define
/// their role functions; this one match dispatches to them.
module Integration.Roles

/// Runs `role`; the exit code of the child process.
let run (role: string) (args: string list) : int =
    match role with
    | "db-writer" -> Backends.DatabaseTests.dbWriter args
    | "file-writer" -> Backends.FileTests.fileWriterRole args
    | "redis-incrementer" -> Backends.RedisTests.redisIncrementer args
    | "tier-node" -> Backends.TieredTests.tierNode args
    | unknown -> eprintfn "unknown child role '%s'" unknown; 2
