/// Culling laws of locmem: the count never exceeds MaxEntries, CullFrequency 0 empties a full
/// store, a cull removes exactly `CullCount(count)` entries, never-reused ones first and then the
/// least recently used, and overwriting never culls. Checked against an exact two-segment LRU model;
/// the clock stands still, so nothing expires.
module Backends.CullingLaws

open System
open Expecto
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open Backends.BackendMachine

/// The model: values by key, keys from least to most recently used, and the keys used (read or
/// incremented) since they were last written.
type private Lru =
    { Values: Map<string, Value>
      Order: string list
      Reused: Set<string> }

/// The order a cull takes entries in: never-reused ones first, each segment oldest first.
let private cullOrder (reused: Set<'k>) (order: 'k list) =
    let used, fresh = order |> List.partition reused.Contains
    fresh @ used

let private policyOf (p: SizePolicy) =
    Policy.defaults |> Policy.maxEntries p.MaxEntries |> Policy.cullFrequency p.CullFrequency

let private fresh store (p: SizePolicy) =
    LocMemCache(policyOf p, CacheContext.Default.WithTime(FakeTimeProvider()), store)

let private keyName (CullKey k) = sprintf "k%d" k
let private everyKey = [ for k in 0..24 -> keyName (CullKey k) ]

let private recent key (m: Lru) = { m with Order = (m.Order |> List.filter ((<>) key)) @ [ key ] }

let private used key (m: Lru) = { recent key m with Reused = Set.add key m.Reused }

let private remove key (m: Lru) =
    { Values = Map.remove key m.Values; Order = m.Order |> List.filter ((<>) key); Reused = Set.remove key m.Reused }

/// locmem's Put: an overwrite replaces in place; a new key into a full store culls first.
let private put (policy: CachePolicy) key value (m: Lru) =
    let m =
        if Map.containsKey key m.Values || m.Values.Count < policy.MaxEntries then m
        else
            let victims = cullOrder m.Reused m.Order |> List.truncate (policy.CullCount m.Values.Count)
            victims |> List.fold (fun acc k -> remove k acc) m
    recent key { m with Values = Map.add key value m.Values; Reused = Set.remove key m.Reused }

/// False for a zero or negative span: such a write stores nothing.
let private stores timeout = match timeout with After span -> span > TimeSpan.Zero | _ -> true

/// The C# result of a step, for comparison with the model's.
type private Answer =
    | NoAnswer
    | Bool of bool
    | Got of Value option
    | Sum of Result<int64, string>

/// One step on the model: the new model and the answer the cache must give.
let private stepModel (policy: CachePolicy) (m: Lru) (op: CullOp) =
    match op with
    | CSet(k, n, t) ->
        let key = keyName k
        (if stores t then put policy key (I n) m else remove key m), NoAnswer
    | CSetText k -> put policy (keyName k) (S "text") m, NoAnswer
    | CAdd(k, n, t) ->
        let key = keyName k
        if Map.containsKey key m.Values then m, Bool false
        elif stores t then put policy key (I n) m, Bool true
        else m, Bool true
    | CIncr(k, d) ->
        let key = keyName k
        match Map.tryFind key m.Values with
        | None -> m, Sum(Error(sprintf "KeyNotFound(%s)" key))
        | Some(S _ | O _) -> m, Sum(Error(sprintf "NotAnInteger(%s)" key))
        | Some(I n) -> used key (put policy key (I(n + d)) m), Sum(Ok(int64 n + int64 d))
    | CDelete k -> remove (keyName k) m, Bool(Map.containsKey (keyName k) m.Values)
    | CGet k ->
        let key = keyName k
        match Map.tryFind key m.Values with
        | Some v -> used key m, Got(Some v)
        | None -> m, Got None
    | CHasKey k -> m, Bool(Map.containsKey (keyName k) m.Values)
    | CTouch(k, t) ->
        let key = keyName k
        if not (Map.containsKey key m.Values) then m, Bool false
        elif stores t then m, Bool true
        else remove key m, Bool true

/// The same step on the cache.
let private stepCache (cache: LocMemCache) (m: Lru) (op: CullOp) =
    let c = cache :> ICache
    match op with
    | CSet(k, n, t) -> c |> setWith t (keyName k) n |> run; NoAnswer
    | CSetText k -> c |> Cache.setFor Expire.never (keyName k) "text" |> run; NoAnswer
    | CAdd(k, n, t) -> Bool(c |> addWith t (keyName k) n |> run)
    | CIncr(k, d) -> Sum(c |> Cache.incrBy (int64 d) (keyName k) |> run |> Result.mapError errorName)
    | CDelete k -> Bool(c |> Cache.delete (keyName k) |> run)
    | CGet k ->
        match Map.tryFind (keyName k) m.Values with
        | Some(S _) -> Got(c |> Cache.tryGet<string> (keyName k) |> run |> Option.map S)
        | _ -> Got(c |> Cache.tryGet<int> (keyName k) |> run |> Option.map I)
    | CHasKey k -> Bool(c |> Cache.hasKey (keyName k) |> run)
    | CTouch(k, t) -> Bool(c |> Cache.touch (toExpire t) (keyName k) |> run)

/// The keys HasKey reports (HasKey does not change recency).
let private survivors (cache: LocMemCache) = everyKey |> List.filter (fun k -> cache.HasKey k) |> Set.ofList

let private fill (cache: LocMemCache) count = for i in 0 .. count - 1 do cache.Set(sprintf "k%d" i, i, CacheTimeout.Never)

let private lawsFor store =
    testList (sprintf "%A" store) [
        testPropertyWithConfig Config.config "after any sequence the count is at most MaxEntries and the survivors are the LRU model's"
        <| fun (p: SizePolicy) (ops: CullOp list) ->
            let cache = fresh store p
            let policy = policyOf p
            ops
            |> List.fold (fun (m, i) op ->
                let m', expected = stepModel policy m op
                let answer = stepCache cache m op
                Expect.equal answer expected $"step {i} ({op}): the answer"
                Expect.isLessThanOrEqual cache.Count p.MaxEntries $"step {i} ({op}): Count <= MaxEntries"
                Expect.equal cache.Count m'.Values.Count $"step {i} ({op}): Count"
                Expect.equal (survivors cache) (m'.Values |> Map.keys |> Set.ofSeq) $"step {i} ({op}): the surviving keys"
                m', i + 1)
                ({ Values = Map.empty; Order = []; Reused = Set.empty }, 0)
            |> ignore

        testPropertyWithConfig Config.config "CullFrequency 0 empties a full store when a new key arrives" <| fun (p: SizePolicy) ->
            let p = { p with CullFrequency = 0 }
            let cache = fresh store p
            fill cache p.MaxEntries
            Expect.equal cache.Count p.MaxEntries "the store is full"
            cache.Set("new", -1, CacheTimeout.Never)
            Expect.equal cache.Count 1 "only the new entry is left"
            Expect.equal (cache |> Cache.tryGetSync<int> "new") (Some -1) "and it is the new key"

        testPropertyWithConfig Config.config "a cull removes exactly CullCount(count) entries, never-read ones first, then the least recently used"
        <| fun (p: SizePolicy) (reads: CullKey list) ->
            let cache = fresh store p
            fill cache p.MaxEntries
            let policy = policyOf p
            // reading a key makes it the most recently used, and a reused one
            let readKeys = reads |> List.map (fun (CullKey k) -> k % p.MaxEntries)
            let order =
                readKeys
                |> List.fold (fun order k -> cache.Get<int>(sprintf "k%d" k) |> ignore; (order |> List.filter ((<>) k)) @ [ k ]) [ 0 .. p.MaxEntries - 1 ]
            cache.Set("new", -1, CacheTimeout.Never)
            let culled =
                cullOrder (Set.ofList readKeys) order |> List.truncate (policy.CullCount p.MaxEntries) |> List.map (sprintf "k%d") |> Set.ofList
            let expected = (order |> List.map (sprintf "k%d") |> Set.ofList) - culled + Set.singleton "new"
            let actual = ("new" :: [ for i in 0 .. p.MaxEntries - 1 -> sprintf "k%d" i ]) |> List.filter (fun k -> cache.HasKey k) |> Set.ofList
            Expect.equal actual expected "the first CullCount entries in cull order are gone, the rest and the new key stay"

        testPropertyWithConfig Config.config "overwriting a key in a full store never culls" <| fun (p: SizePolicy) (CullKey k) (value: int) ->
            let cache = fresh store p
            fill cache p.MaxEntries
            let key = sprintf "k%d" (k % p.MaxEntries)
            cache.Set(key, value, CacheTimeout.Never)
            cache |> Cache.incr key |> run |> ignore
            Expect.equal cache.Count p.MaxEntries "still full, nothing culled"
            Expect.equal (survivors cache) (Set.ofList [ for i in 0 .. p.MaxEntries - 1 -> sprintf "k%d" i ]) "every key survives"
            Expect.equal (cache |> Cache.tryGetSync<int> key) (Some(value + 1)) "the overwrite took effect"
    ]

[<Tests>]
let tests = testList "Backends.CullingLaws" [ lawsFor LocMemStore.Copy; lawsFor LocMemStore.Reference ]
