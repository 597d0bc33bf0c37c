/// Culling laws of the file backend: after every write the directory holds at most MaxEntries entry
/// files and the instance's count agrees with the directory; every surviving key holds the last value
/// written for it; CullFrequency 0 empties a full directory; overwriting never culls. Which entries a
/// cull picks (expired, then nearest deadline) is pinned by examples in Cache.Tests; here the clock
/// stands still, so nothing expires.
module Backends.FileLaws

open System
open System.IO
open Expecto
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.File
open Arbitraries

let private keyName (CullKey k) = sprintf "k%d" k
let private everyKey = [ for k in 0..24 -> keyName (CullKey k) ]

/// A file cache in a fresh directory, deleted after `body`.
let private withFileCache (p: SizePolicy) (body: FileBasedCache -> string -> unit) =
    let dir = Directory.CreateTempSubdirectory("fcache-law-").FullName
    try
        let policy = CachePolicy.Default.WithMaxEntries(p.MaxEntries).WithCullFrequency(p.CullFrequency)
        body (FileBasedCache(dir, policy, CacheContext.Default.WithTime(FakeTimeProvider()))) dir
    finally
        Directory.Delete(dir, true)

let private entryFiles dir = Directory.GetFiles(dir, "*.fcache").Length

let private stores timeout = match timeout with After span -> span > TimeSpan.Zero | _ -> true

let private read (c: ICache) key (last: Map<string, Value>) =
    match Map.tryFind key last with
    | Some(S _) -> c.GetAsync<string>(key) |> run |> toOption |> Option.map S
    | _ -> c.GetAsync<int>(key) |> run |> toOption |> Option.map I

/// One step; `last` is the last value written per key (a cull may have removed it since).
let private step (c: ICache) (last: Map<string, Value>) (op: CullOp) =
    match op with
    | CSet(k, n, t) -> c.SetAsync(keyName k, n, toCacheTimeout t) |> runUnit; (if stores t then Map.add (keyName k) (I n) last else Map.remove (keyName k) last)
    | CSetText k -> c.SetAsync(keyName k, "text", CacheTimeout.Never) |> runUnit; Map.add (keyName k) (S "text") last
    | CAdd(k, n, t) -> if c.AddAsync(keyName k, n, toCacheTimeout t) |> run && stores t then Map.add (keyName k) (I n) last else last
    | CIncr(k, d) ->
        match c.IncrementAsync(keyName k, int64 d) |> run |> toResult with
        | Ok sum -> Map.add (keyName k) (I(int sum)) last
        | Error _ -> last
    | CDelete k -> c.DeleteAsync(keyName k) |> run |> ignore; Map.remove (keyName k) last
    | CGet _ | CHasKey _ -> last
    | CTouch(k, t) -> if c.TouchAsync(keyName k, toCacheTimeout t) |> run && not (stores t) then Map.remove (keyName k) last else last

[<Tests>]
let tests =
    testList "Backends.FileLaws" [
        testPropertyWithConfig { Config.config with maxTest = 100 } "after every step the directory holds at most MaxEntries files, the count agrees, and survivors hold their last value"
        <| fun (p: SizePolicy) (ops: CullOp list) ->
            withFileCache p (fun cache dir ->
                let c = cache :> ICache
                ops
                |> List.fold (fun (last, i) op ->
                    let last = step c last op
                    let files = entryFiles dir
                    Expect.isLessThanOrEqual files p.MaxEntries $"step {i} ({op}): files <= MaxEntries"
                    Expect.equal cache.ApproximateCount files $"step {i} ({op}): the count is exact for a single writer"
                    for key in everyKey do
                        match read c key last with
                        | Some v -> Expect.equal (Some v) (Map.tryFind key last) $"step {i} ({op}): {key} holds its last value"
                        | None -> ()
                    last, i + 1)
                    (Map.empty, 0)
                |> ignore)

        testPropertyWithConfig Config.config "CullFrequency 0 empties a full directory when a new key arrives" <| fun (p: SizePolicy) ->
            withFileCache { p with CullFrequency = 0 } (fun cache dir ->
                let c = cache :> ICache
                for i in 0 .. p.MaxEntries - 1 do c.SetAsync(sprintf "k%d" i, i, CacheTimeout.Never) |> runUnit
                Expect.equal (entryFiles dir) p.MaxEntries "full"
                c.SetAsync("new", -1, CacheTimeout.Never) |> runUnit
                Expect.equal (entryFiles dir) 1 "only the new entry is left"
                Expect.equal (c.GetAsync<int>("new") |> run |> toOption) (Some -1) "and it is the new key")

        testPropertyWithConfig Config.config "overwriting a key in a full directory never culls" <| fun (p: SizePolicy) (CullKey k) (value: int) ->
            let value = value % 1_000_000
            withFileCache p (fun cache dir ->
                let c = cache :> ICache
                for i in 0 .. p.MaxEntries - 1 do c.SetAsync(sprintf "k%d" i, i, CacheTimeout.Never) |> runUnit
                let key = sprintf "k%d" (k % p.MaxEntries)
                c.SetAsync(key, value, CacheTimeout.Never) |> runUnit
                c.IncrementAsync(key, 1L) |> run |> ignore
                Expect.equal (entryFiles dir) p.MaxEntries "still full, nothing culled"
                Expect.equal (c.GetAsync<int>(key) |> run |> toOption) (Some(value + 1)) "the overwrite took effect")
    ]
