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
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open Backends.BackendMachine

let private keyName (CullKey k) = sprintf "k%d" k
let private everyKey = [ for k in 0..24 -> keyName (CullKey k) ]

/// A file cache in a fresh directory, deleted after `body`.
let private withFileCache (p: SizePolicy) (body: FileBasedCache -> string -> unit) =
    let dir = Directory.CreateTempSubdirectory("fcache-law-").FullName
    try
        let policy = Policy.defaults |> Policy.maxEntries p.MaxEntries |> Policy.cullFrequency p.CullFrequency
        body (FileBasedCache(dir, policy, CacheContext.Default.WithTime(FakeTimeProvider()))) dir
    finally
        Directory.Delete(dir, true)

let private entryFiles dir = Directory.GetFiles(dir, "*.fcache").Length

let private stores timeout = match timeout with After span -> span > TimeSpan.Zero | _ -> true

let private read (c: ICache) key (last: Map<string, Value>) =
    match Map.tryFind key last with
    | Some(S _) -> c |> Cache.tryGet<string> key |> run |> Option.map S
    | _ -> c |> Cache.tryGet<int> key |> run |> Option.map I

/// One step; `last` is the last value written per key (a cull may have removed it since).
let private step (c: ICache) (last: Map<string, Value>) (op: CullOp) =
    match op with
    | CSet(k, n, t) -> c |> setWith t (keyName k) n |> run; (if stores t then Map.add (keyName k) (I n) last else Map.remove (keyName k) last)
    | CSetText k -> c |> Cache.setFor Expire.never (keyName k) "text" |> run; Map.add (keyName k) (S "text") last
    | CAdd(k, n, t) -> if c |> addWith t (keyName k) n |> run && stores t then Map.add (keyName k) (I n) last else last
    | CIncr(k, d) ->
        match c |> Cache.incrBy (int64 d) (keyName k) |> run with
        | Ok sum -> Map.add (keyName k) (I(int sum)) last
        | Error _ -> last
    | CDelete k -> c |> Cache.delete (keyName k) |> run |> ignore; Map.remove (keyName k) last
    | CGet _ | CHasKey _ -> last
    | CTouch(k, t) -> if c |> Cache.touch (toExpire t) (keyName k) |> run && not (stores t) then Map.remove (keyName k) last else last

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
                for i in 0 .. p.MaxEntries - 1 do c |> Cache.setFor Expire.never (sprintf "k%d" i) i |> run
                Expect.equal (entryFiles dir) p.MaxEntries "full"
                c |> Cache.setFor Expire.never "new" -1 |> run
                Expect.equal (entryFiles dir) 1 "only the new entry is left"
                Expect.equal (c |> Cache.tryGet<int> "new" |> run) (Some -1) "and it is the new key")

        testPropertyWithConfig Config.config "overwriting a key in a full directory never culls" <| fun (p: SizePolicy) (CullKey k) (value: int) ->
            let value = value % 1_000_000
            withFileCache p (fun cache dir ->
                let c = cache :> ICache
                for i in 0 .. p.MaxEntries - 1 do c |> Cache.setFor Expire.never (sprintf "k%d" i) i |> run
                let key = sprintf "k%d" (k % p.MaxEntries)
                c |> Cache.setFor Expire.never key value |> run
                c |> Cache.incr key |> run |> ignore
                Expect.equal (entryFiles dir) p.MaxEntries "still full, nothing culled"
                Expect.equal (c |> Cache.tryGet<int> key |> run) (Some(value + 1)) "the overwrite took effect")
    ]
