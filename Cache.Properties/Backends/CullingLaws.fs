/// Culling laws of locmem, beside the culling laws every culling subject obeys (FunctionalCache.Laws' CullingLaws):
/// locmem's own order. A cull removes exactly `CullCount(count)` entries, those never used (read or incremented) since
/// they were written first, then the least recently used, checked against an exact two-segment LRU model. Plain LRU
/// differs when a key is read and another written after it: two-segment culls the unread newer key first, plain LRU
/// the read older one; an example and the generated uses both reach that case. The clock stands still, so nothing
/// expires.
module Backends.CullingLaws

open System
open Expecto
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.Arbitraries


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
    | CSet(k, n, t) -> c |> ModelMachine.setWith t (keyName k) n |> run; NoAnswer
    | CSetText k -> c |> Cache.setFor Expire.never (keyName k) "text" |> run; NoAnswer
    | CAdd(k, n, t) -> Bool(c |> ModelMachine.addWith t (keyName k) n |> run)
    | CIncr(k, d) -> Sum(c |> Cache.incrBy (int64 d) (keyName k) |> run |> Result.mapError ModelMachine.errorName)
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

/// A use of a key in a full store: a read makes it most recent and reused; a rewrite (a new value) makes it most
/// recent and not reused, as a new entry is.
type private Use =
    | Read of string
    | Rewrite of string
    override u.ToString() = match u with Read k -> $"read {k}" | Rewrite k -> $"rewrite {k}"

let private useKey (cache: LocMemCache) (u: Use) =
    match u with
    | Read key -> cache.Get<int> key |> ignore
    | Rewrite key -> cache.Set(key, -2, CacheTimeout.Never)

let private useModel (u: Use) (m: Lru) =
    match u with
    | Read key -> used key m
    | Rewrite key -> recent key { m with Reused = Set.remove key m.Reused }

/// The model of a store `fill` filled: k0 the least recently used, nothing reused.
let private filled count =
    let keys = [ for i in 0 .. count - 1 -> sprintf "k%d" i ]
    { Values = keys |> List.map (fun k -> k, I 0) |> Map.ofList; Order = keys; Reused = Set.empty }

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

        testPropertyWithConfig Config.config "a cull removes exactly CullCount(count) entries, never-used ones first, then the least recently used"
        <| fun (p: SizePolicy) (uses: (CullKey * bool) list) ->
            let cache = fresh store p
            fill cache p.MaxEntries
            let uses = uses |> List.map (fun (CullKey k, read) -> (if read then Read else Rewrite) (sprintf "k%d" (k % p.MaxEntries)))
            let m = uses |> List.fold (fun m u -> useKey cache u; useModel u m) (filled p.MaxEntries)
            cache.Set("new", -1, CacheTimeout.Never)
            let culled = cullOrder m.Reused m.Order |> List.truncate ((policyOf p).CullCount p.MaxEntries) |> Set.ofList
            let expected = Set.ofList m.Order - culled + Set.singleton "new"
            let actual = "new" :: everyKey |> List.filter (fun k -> cache.HasKey k) |> Set.ofList
            Expect.equal actual expected
                $"""after the uses {String.Join(", ", uses)}, the first CullCount entries in two-segment order are gone, the rest and the new key stay"""

        testCase "a key read before another is written outlives it: MaxEntries 2, CullFrequency 2, set a, read a, set b, set c" <| fun () ->
            let cache = fresh store { MaxEntries = 2; CullFrequency = 2 }
            cache.Set("a", 1, CacheTimeout.Never)
            Expect.equal (cache |> Cache.tryGetSync<int> "a") (Some 1) "a is read"
            cache.Set("b", 2, CacheTimeout.Never)
            cache.Set("c", 3, CacheTimeout.Never)
            Expect.equal ([ "a"; "b"; "c" ] |> List.filter (fun k -> cache.HasKey k)) [ "a"; "c" ] "the never-read b is culled (plain LRU would cull the older a)"
    ]

[<Tests>]
let tests = testList "Backends.CullingLaws" [ lawsFor LocMemStore.Copy; lawsFor LocMemStore.Reference ]
