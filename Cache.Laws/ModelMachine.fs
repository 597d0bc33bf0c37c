/// The model-based machine: one FsCheck state machine runs a cache against a pure map model, for every operation of
/// `ICache`, called as an F# user calls them (FunctionalCache.FSharp; the synchronous twin too when the subject has
/// one). A stored `None` is a hit like any value. On a subject that follows the context's clock the machine owns a
/// fake clock and moves it; on one with its own clock it writes only spans too long to lapse during a run.
///
/// Two runs per subject: with room for every entry (no cull may happen, so a lost entry is a bug), and, for a culling
/// subject, with a small `MaxEntries`: then a write into a store that may be full may cull, and the machine checks
/// what a cull may do (lose entries other than the one being written, never change a value), then deletes the other
/// entries so the model is exact again.
module FunctionalCache.Laws.ModelMachine

open System
open System.Threading.Tasks
open FsCheck
open FsCheck.FSharp
open FsCheck.Experimental
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries

/// The object under test: the cache and the clock it reads.
type Actual =
    { Cache: ICache
      Clock: FakeTimeProvider
      Close: unit -> unit }
    override a.ToString() = sprintf "%s at %O" (a.Cache.GetType().Name) (a.Clock.GetUtcNow())

/// A live entry: its value and its deadline in ticks after the start (None: never expires).
type Entry = { Value: Value; Deadline: int64 option }

/// What the last operation must have returned.
type Outcome =
    | Done
    | Found of Value option
    | Flag of bool
    | Counter of Result<int64, string>
    | NewVersion of Result<int, string>
    | Many of Map<string, Value>
    | Refused of string list
    | Returned of Value
    /// GetOrSet's value and how often its factory ran.
    | Served of Value * factoryRuns: int
    /// A None stored by a GetOrSet factory, read back: the first GetOrSet, then a read, GetMany and a second GetOrSet.
    | ReadsBack of first: Outcome * read: Value option * many: Map<string, Value> * second: Outcome
    /// A write into a store that may be full: the write's own outcome, then every other (key, version) slot either
    /// missing (culled) or holding its value in `others`, and the `kept` slots (the entry just written) as the model
    /// says. The machine then deletes every other slot, so the model is exact again.
    | MayCull of Outcome * others: Map<string * int, Value> * kept: Map<string * int, Value>

/// The model: the clock (ticks since the start), the live entries by (key, version), the outcome.
type Model =
    { Now: int64
      Store: Map<string * int, Entry>
      Expect: Outcome
      /// The culling run's MaxEntries (None: room for every entry, so no cull may happen).
      Capacity: int option
      /// Every slot that may be physically stored: written since the last clear and not deleted, expired or not
      /// (a store counts expired entries it has not collected yet). A write may cull only when these reach MaxEntries.
      Shadow: Set<string * int> }


/// The policy default the machine runs with.
let defaultSpan = TimeSpan.FromSeconds 300.0

/// Every version an entry can reach: ops use 1..3, IncrementVersion moves by -2..2.
let observedVersions = [ -1 .. 5 ]

// ---- model arithmetic ------------------------------------------------------------------------

/// Where a write with `timeout` at `now` leaves the entry: None = not stored, Some None = never expires.
let deadlineOf (now: int64) (timeout: Timeout) : int64 option option =
    match timeout with
    | Omitted | DefaultTimeout -> Some(Some(now + defaultSpan.Ticks))
    | NeverExpires -> Some None
    | After span when span <= TimeSpan.Zero -> None
    | After span -> Some(Some(now + span.Ticks))

let private write key version value timeout (m: Model) =
    match deadlineOf m.Now timeout with
    | None -> Map.remove (key, version) m.Store
    | Some deadline -> Map.add (key, version) { Value = value; Deadline = deadline } m.Store

let private purge now store =
    store |> Map.filter (fun _ e -> match e.Deadline with Some d -> d > now | None -> true)

/// A counter error as the model writes it, `KeyNotFound(a)`.
let errorName (e: CacheError) =
    match e with
    | KeyNotFound key -> sprintf "KeyNotFound(%s)" key
    | NotAnInteger key -> sprintf "NotAnInteger(%s)" key
    | Overflow key -> sprintf "Overflow(%s)" key
    | BackendFailure _ -> e.Message

// ---- calls through FunctionalCache.FSharp (the value's type goes with the key) ---------------

/// `Omitted` goes through the function without a timeout (the policy default), any other through its `For` twin.
let setWith (timeout: Timeout) key (value: 'T) cache =
    match timeout with
    | Omitted -> Cache.set key value cache
    | t -> Cache.setFor (toExpire t) key value cache

/// As `setWith`, for `Cache.add`.
let addWith (timeout: Timeout) key (value: 'T) cache =
    match timeout with
    | Omitted -> Cache.add key value cache
    | t -> Cache.addFor (toExpire t) key value cache

/// As `setWith`, for `Cache.setMany`.
let setManyWith (timeout: Timeout) (items: (string * 'T) list) cache =
    match timeout with
    | Omitted -> Cache.setMany items cache
    | t -> Cache.setManyFor (toExpire t) items cache

/// As `setWith`, for `Cache.getOrSet`.
let getOrSetWith (timeout: Timeout) key (factory: unit -> Task<'T>) cache =
    match timeout with
    | Omitted -> Cache.getOrSet key factory cache
    | t -> Cache.getOrSetFor (toExpire t) key factory cache

/// Which API a step goes through.
type Via =
    | Async
    | Sync

/// The cache as a step sees it: at the step's version, or at the policy's when the step names none.
let private at (version: int option) (a: Actual) =
    match version with
    | Some v -> Cache.atVersion v a.Cache
    | None -> a.Cache

/// As `at`, through the synchronous twin.
let private atSync (version: int option) (a: Actual) =
    let sync = a.Cache :?> ISyncCache
    match version with
    | Some v -> Cache.atVersionSync v sync
    | None -> sync

let get via (a: Actual) key version : Value option =
    match via with
    | Async ->
        let c = at version a
        if isIntKey key then c |> Cache.tryGet<int> key |> run |> Option.map I
        elif isOptionKey key then c |> Cache.tryGet<int option> key |> run |> Option.map O
        else c |> Cache.tryGet<string> key |> run |> Option.map S
    | Sync ->
        let c = atSync version a
        if isIntKey key then c |> Cache.tryGetSync<int> key |> Option.map I
        elif isOptionKey key then c |> Cache.tryGetSync<int option> key |> Option.map O
        else c |> Cache.tryGetSync<string> key |> Option.map S

let set via (a: Actual) key version value timeout =
    match via, value with
    | Async, I n -> at version a |> setWith timeout key n |> run
    | Async, S s -> at version a |> setWith timeout key s |> run
    | Async, O o -> at version a |> setWith timeout key o |> run
    | Sync, I n -> (atSync version a).Set(key, n, toCacheTimeout timeout)
    | Sync, S s -> (atSync version a).Set(key, s, toCacheTimeout timeout)
    | Sync, O o -> (atSync version a).Set(key, o, toCacheTimeout timeout)

let add via (a: Actual) key version value timeout =
    match via, value with
    | Async, I n -> at version a |> addWith timeout key n |> run
    | Async, S s -> at version a |> addWith timeout key s |> run
    | Async, O o -> at version a |> addWith timeout key o |> run
    | Sync, I n -> (atSync version a).Add(key, n, toCacheTimeout timeout)
    | Sync, S s -> (atSync version a).Add(key, s, toCacheTimeout timeout)
    | Sync, O o -> (atSync version a).Add(key, o, toCacheTimeout timeout)

/// GetOrSet with a factory that counts its runs: what came back, and the count.
let private getOrSet (a: Actual) key version (value: Value) timeout =
    let runs = ref 0
    let factory (v: 'T) () = runs.Value <- runs.Value + 1; Task.FromResult v
    let c = at version a
    let got =
        match value with
        | I n -> c |> getOrSetWith timeout key (factory n) |> run |> I
        | S s -> c |> getOrSetWith timeout key (factory s) |> run |> S
        | O o -> c |> getOrSetWith timeout key (factory o) |> run |> O
    Served(got, runs.Value)

let private getMany (a: Actual) (keys: string list) version =
    let c = at version a
    match keys with
    | k :: _ when isOptionKey k -> c |> Cache.getMany<int option> keys |> run |> Map.map (fun _ o -> O o)
    | k :: _ when not (isIntKey k) -> c |> Cache.getMany<string> keys |> run |> Map.map (fun _ s -> S s)
    | _ -> c |> Cache.getMany<int> keys |> run |> Map.map (fun _ n -> I n)

// ---- operations ------------------------------------------------------------------------------

/// After a cull may have happened: every slot but the kept ones is missing or unchanged, the kept ones hold their
/// values; then every other slot is deleted, as the model already says.
let private resolveCull (a: Actual) (others: Map<string * int, Value>) (kept: Map<string * int, Value>) =
    let wrong =
        [ for key in allKeys do
              for version in observedVersions do
                  let found = get Async a key (Some version)
                  match Map.tryFind (key, version) kept with
                  | Some v -> if found <> Some v then yield sprintf "(%s, v%d): the entry just written reads %A, not %A" key version found v
                  | None ->
                      match found, Map.tryFind (key, version) others with
                      | None, _ -> ()
                      | Some v, Some expected when v = expected -> ()
                      | Some v, expected -> yield sprintf "(%s, v%d): reads %A after a possible cull; it may only be missing or %A" key version v expected
                      a.Cache |> Cache.atVersion version |> Cache.delete key |> run |> ignore ]
    List.isEmpty wrong |> Prop.label (String.Join("; ", wrong))

let private op name (runModel: Model -> Model) (check: Actual -> Model -> Property) =
    { new Operation<Actual, Model>() with
        member _.Run m = runModel m
        member _.Check(a, m) =
            match m.Expect with
            | MayCull(outcome, others, kept) ->
                let own = check a { m with Expect = outcome }
                let afterCull = resolveCull a others kept
                own .&. afterCull
            | _ -> check a m
        override _.ToString() = name }

/// The model after a write to `slots`: in a culling run whose store may be full, the write may cull, so the outcome
/// becomes `MayCull` and the model keeps only the last slot written. A write may cull only when the entries other
/// than the one it inserts (every slot that may be physically stored, expired or not) reach MaxEntries: an overwrite
/// never culls, and a store that culls one write early loses an entry no step allowed it to.
let private writes (slots: (string * int) list) (before: Model) (after: Model) =
    let touched = Set.union before.Shadow (Set.ofList slots)
    match before.Capacity with
    | Some capacity when not slots.IsEmpty && touched.Count > capacity ->
        let last = List.last slots
        let kept, others = after.Store |> Map.partition (fun slot _ -> slot = last)
        { after with
            Store = kept
            Shadow = kept |> Map.keys |> Set.ofSeq
            Expect = MayCull(after.Expect, others |> Map.map (fun _ e -> e.Value), kept |> Map.map (fun _ e -> e.Value)) }
    | _ -> { after with Shadow = touched }

/// The model after deleting `slots`: they are physically gone.
let private deletes (slots: (string * int) list) (m: Model) = { m with Shadow = Set.difference m.Shadow (Set.ofList slots) }

let private expectOutcome (actual: Outcome) (m: Model) =
    (actual = m.Expect) |> Prop.label (sprintf "expected %A but the backend gave %A" m.Expect actual)

let private live key version (m: Model) = Map.tryFind (key, version) m.Store

let private vName (v: int option) = match v with Some v -> sprintf " v%d" v | None -> ""

let private effective (v: int option) = defaultArg v 1

/// The model of GetOrSet: a live entry is served and the factory does not run; on a miss the factory's value
/// is written (or not, for a timeout that expires at once) and served, and the factory ran once.
let private getOrSetModel key version value timeout (m: Model) =
    match live key (effective version) m with
    | Some e -> m, Served(e.Value, 0)
    | None -> { m with Store = write key (effective version) value timeout m }, Served(value, 1)

let setOp via key version value timeout =
    op (sprintf "Set%s %s%s = %A (%A)" (if via = Sync then "(sync)" else "") key (vName version) value timeout)
        (fun m -> { m with Store = write key (effective version) value timeout m; Expect = Done } |> writes [ key, effective version ] m)
        (fun a m -> set via a key version value timeout; expectOutcome Done m)

let addOp via key version value timeout =
    op (sprintf "Add%s %s%s = %A (%A)" (if via = Sync then "(sync)" else "") key (vName version) value timeout)
        (fun m ->
            match live key (effective version) m with
            | Some _ -> { m with Expect = Flag false }
            | None -> { m with Store = write key (effective version) value timeout m; Expect = Flag true }
            |> writes [ key, effective version ] m)
        (fun a m -> expectOutcome (Flag(add via a key version value timeout)) m)

/// A stored `None` is a hit like any other value: the model needs no special case for it.
let getOp via key version =
    op (sprintf "Get%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m -> { m with Expect = Found(live key (effective version) m |> Option.map _.Value) })
        (fun a m -> expectOutcome (Found(get via a key version)) m)

let getOrDefaultOp key version fallback =
    op (sprintf "GetOrDefault %s%s (default %A)" key (vName version) fallback)
        (fun m -> { m with Expect = Returned(live key (effective version) m |> Option.map _.Value |> Option.defaultValue fallback) })
        (fun a m ->
            let c = at version a
            let got =
                match fallback with
                | I n -> c |> Cache.getOr n key |> run |> I
                | S s -> c |> Cache.getOr s key |> run |> S
                | O o -> c |> Cache.getOr o key |> run |> O
            expectOutcome (Returned got) m)

let getManyOp (keys: string list) version =
    op (sprintf "GetMany %A%s" keys (vName version))
        (fun m ->
            let hits = keys |> List.choose (fun k -> live k (effective version) m |> Option.map (fun e -> k, e.Value))
            { m with Expect = Many(Map.ofList hits) })
        (fun a m -> expectOutcome (Many(getMany a keys version)) m)

let setManyOp (pairs: (string * Value) list) version timeout =
    op (sprintf "SetMany %A%s (%A)" pairs (vName version) timeout)
        (fun m ->
            let store = pairs |> List.fold (fun (s: Model) (k, v) -> { s with Store = write k (effective version) v timeout s }) m
            { store with Expect = Refused [] } |> writes (pairs |> List.map (fun (k, _) -> k, effective version)) m)
        (fun a m ->
            let c = at version a
            let refused =
                match pairs with
                | (k, _) :: _ when isOptionKey k ->
                    c |> setManyWith timeout (pairs |> List.map (fun (k, v) -> k, (match v with O o -> o | _ -> failwith "option key"))) |> run
                | (k, _) :: _ when not (isIntKey k) ->
                    c |> setManyWith timeout (pairs |> List.map (fun (k, v) -> k, (match v with S s -> s | _ -> failwith "text key"))) |> run
                | _ -> c |> setManyWith timeout (pairs |> List.map (fun (k, v) -> k, (match v with I n -> n | _ -> failwith "int key"))) |> run
            expectOutcome (Refused refused) m)

let deleteOp via key version =
    op (sprintf "Delete%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m ->
            { m with
                Store = Map.remove (key, effective version) m.Store
                Expect = Flag(live key (effective version) m |> Option.isSome) }
            |> deletes [ key, effective version ])
        (fun a m ->
            let removed =
                match via with
                | Async -> at version a |> Cache.delete key |> run
                | Sync -> (atSync version a).Delete key
            expectOutcome (Flag removed) m)

let deleteManyOp (keys: string list) version =
    op (sprintf "DeleteMany %A%s" keys (vName version))
        (fun m ->
            { m with Store = keys |> List.fold (fun s k -> Map.remove (k, effective version) s) m.Store; Expect = Done }
            |> deletes (keys |> List.map (fun k -> k, effective version)))
        (fun a m -> at version a |> Cache.deleteMany keys |> run; expectOutcome Done m)

let hasKeyOp via key version =
    op (sprintf "HasKey%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m -> { m with Expect = Flag(live key (effective version) m |> Option.isSome) })
        (fun a m ->
            let has =
                match via with
                | Async -> at version a |> Cache.hasKey key |> run
                | Sync -> (atSync version a).HasKey key
            expectOutcome (Flag has) m)

let touchOp key version timeout =
    op (sprintf "Touch %s%s (%A)" key (vName version) timeout)
        (fun m ->
            match live key (effective version) m with
            | None -> { m with Expect = Flag false }
            | Some e ->
                let store =
                    match deadlineOf m.Now timeout with
                    | None -> Map.remove (key, effective version) m.Store
                    | Some d -> Map.add (key, effective version) { e with Deadline = d } m.Store
                { m with Store = store; Expect = Flag true }
            |> writes [ key, effective version ] m)
        (fun a m -> expectOutcome (Flag(at version a |> Cache.touch (toExpire timeout) key |> run)) m)

/// `unsigned`: the backend's counters are unsigned, as memcached's are: a counter at or above 0 stops at 0.
let incrementOp via key version (delta: int64) decrement unsigned =
    let name = if decrement then "Decrement" else "Increment"
    op (sprintf "%s%s %s%s by %d" name (if via = Sync then "(sync)" else "") key (vName version) delta)
        (fun m ->
            let signed = if decrement then -delta else delta
            match live key (effective version) m with
            | None -> { m with Expect = Counter(Error(sprintf "KeyNotFound(%s)" key)) }
            | Some({ Value = I n } as e) ->
                let sum = if unsigned && n >= 0 && int64 n + signed < 0L then 0L else int64 n + signed
                { m with
                    Store = Map.add (key, effective version) { e with Value = I(int sum) } m.Store
                    Expect = Counter(Ok sum) }
            | Some _ -> { m with Expect = Counter(Error(sprintf "NotAnInteger(%s)" key)) }
            |> writes [ key, effective version ] m)
        (fun a m ->
            let result =
                match via, decrement with
                | Async, false when delta = 1L -> at version a |> Cache.incr key |> run
                | Async, false -> at version a |> Cache.incrBy delta key |> run
                | Async, true when delta = 1L -> at version a |> Cache.decr key |> run
                | Async, true -> at version a |> Cache.decrBy delta key |> run
                | Sync, false -> atSync version a |> Cache.incrBySync delta key
                | Sync, true -> atSync version a |> Cache.incrBySync -delta key
            expectOutcome (Counter(result |> Result.mapError errorName)) m)

let incrementVersionOp key version delta =
    op (sprintf "IncrementVersion %s%s by %d" key (vName version) delta)
        (fun m ->
            let from = effective version
            match live key from m with
            | None -> { m with Expect = NewVersion(Error(sprintf "KeyNotFound(%s)" key)) }
            | Some e ->
                let moved = Map.add (key, from + delta) { e with Deadline = Some(m.Now + defaultSpan.Ticks) } m.Store
                { m with Store = Map.remove (key, from) moved; Expect = NewVersion(Ok(from + delta)) }
                |> writes [ key, from + delta ] m
                |> deletes [ key, from ])
        (fun a m ->
            let c = at version a
            let result =
                match delta with
                | 1 -> c |> Cache.incrVersion key |> run
                | -1 -> c |> Cache.decrVersion key |> run
                | d when d > 0 -> c |> Cache.incrVersionBy d key |> run
                | d -> c |> Cache.decrVersionBy -d key |> run
            expectOutcome (NewVersion(result |> Result.mapError errorName)) m)

let getOrSetOp key version (value: Value) timeout =
    op (sprintf "GetOrSet %s%s (factory %A, %A)" key (vName version) value timeout)
        (fun m ->
            let m', served = getOrSetModel key version value timeout m
            let wrote = match served with Served(_, 1) -> [ key, effective version ] | _ -> []
            { m' with Expect = served } |> writes wrote m)
        (fun a m -> expectOutcome (getOrSet a key version value timeout) m)

/// Deletes an option key, lets a GetOrSet factory answer `None`, and reads it back through a read, GetMany and a
/// second GetOrSet (whose factory would answer `Some 7`): a stored `None` is a hit on every path, so the second
/// factory does not run, unless the timeout stored nothing.
let noneOp via key version timeout =
    op (sprintf "GetOrSet None%s %s%s (%A), then read back" (if via = Sync then " (sync read)" else "") key (vName version) timeout)
        (fun before ->
            let m = { before with Store = Map.remove (key, effective version) before.Store }
            let m, first = getOrSetModel key version (O None) timeout m
            let found = live key (effective version) m |> Option.map _.Value
            let many = found |> Option.map (fun v -> Map.ofList [ key, v ]) |> Option.defaultValue Map.empty
            let m, second = getOrSetModel key version (O(Some 7)) timeout m
            { m with Expect = ReadsBack(first, found, many, second) } |> writes [ key, effective version ] before)
        (fun a m ->
            at version a |> Cache.delete key |> run |> ignore
            let first = getOrSet a key version (O None) timeout
            let found = get via a key version
            let many = getMany a [ key ] version
            let second = getOrSet a key version (O(Some 7)) timeout
            expectOutcome (ReadsBack(first, found, many, second)) m)

/// Every (key, version) slot: HasKey must agree with the model.
let private scan (a: Actual) (m: Model) =
    let wrong =
        [ for key in allKeys do
              for version in observedVersions do
                  let has = a.Cache |> Cache.atVersion version |> Cache.hasKey key |> run
                  if has <> Map.containsKey (key, version) m.Store then yield (key, version, has) ]
    List.isEmpty wrong |> Prop.label (sprintf "HasKey disagrees with the model at (key, version, backend says): %A" wrong)

let clearOp =
    op "Clear" (fun m -> { m with Store = Map.empty; Shadow = Set.empty; Expect = Done }) (fun a m -> a.Cache |> Cache.clear |> run; scan a m)

let advanceOp (ticks: int64) =
    op (sprintf "AdvanceClock %s" (TimeSpan.FromTicks(ticks).ToString("c")))
        (fun m -> let now = m.Now + ticks in { m with Now = now; Store = purge now m.Store; Expect = Done })
        (fun a m -> a.Clock.Advance(TimeSpan.FromTicks ticks); scan a m)

// ---- generation ------------------------------------------------------------------------------

let private genVersion = Gen.frequency [ 1, Gen.constant None; 4, Gen.choose (1, 3) |> Gen.map Some ]

/// Keys of one kind, 0..5 of them, duplicates allowed.
let private genKeysOfOneKind =
    gen {
        let! keys = Gen.elements [ intKeys; textKeys; optionKeys ]
        let! n = Gen.choose (0, 5)
        return! Gen.listOfLength n (Gen.elements keys)
    }

/// Clock steps 0..400 s, and steps landing exactly on a live deadline or one tick before it.
let private genAdvance (m: Model) =
    let random = Gen.choose (0, 400) |> Gen.map (fun s -> int64 s * TimeSpan.TicksPerSecond)
    let toDeadlines = m.Store |> Map.toList |> List.choose (fun (_, e) -> e.Deadline) |> List.map (fun d -> d - m.Now)
    if List.isEmpty toDeadlines then random
    else Gen.frequency [ 2, random; 2, Gen.elements toDeadlines; 1, Gen.elements toDeadlines |> Gen.map (fun d -> d - 1L) ]

/// The operations, weighted, for the current model.
let private next (caps: Capabilities) (m: Model) =
    let followsClock = caps.Clock = FollowsContextClock
    let timeout =
        if followsClock then genTimeout
        else Gen.oneof [ Gen.constant NeverExpires; Gen.constant DefaultTimeout; Gen.constant (After(TimeSpan.FromHours 2.0)); Gen.constant (After TimeSpan.Zero); Gen.constant (After(TimeSpan.FromSeconds -3.0)) ]
    let via = if caps.SyncApi then Gen.elements [ Async; Sync ] else Gen.constant Async
    let key = Gen.elements allKeys
    // A subject that cannot store null gets `Some` under every option key.
    let valueFor k = genValueFor k |> Gen.map (fun v -> if not caps.StoresNull && v = O None then O(Some 0) else v)
    let keyValue = gen { let! k = key in let! v = valueFor k in return k, v }
    let ops = [
        6, gen { let! via = via in let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return setOp via k ver v t }
        4, gen { let! via = via in let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return addOp via k ver v t }
        5, gen { let! via = via in let! k = key in let! ver = genVersion in return getOp via k ver }
        2, gen { let! k, v = keyValue in let! ver = genVersion in return getOrDefaultOp k ver v }
        2, gen { let! ks = genKeysOfOneKind in let! ver = genVersion in return getManyOp ks ver }
        2, gen {
            let! ks = genKeysOfOneKind
            let! pairs = ks |> List.map (fun k -> valueFor k |> Gen.map (fun v -> k, v)) |> Gen.sequenceToList
            let! ver = genVersion
            let! t = timeout
            return setManyOp pairs ver t }
        3, gen { let! via = via in let! k = key in let! ver = genVersion in return deleteOp via k ver }
        1, gen { let! ks = genKeysOfOneKind in let! ver = genVersion in return deleteManyOp ks ver }
        3, gen { let! via = via in let! k = key in let! ver = genVersion in return hasKeyOp via k ver }
        2, gen { let! k = key in let! ver = genVersion in let! t = timeout in return touchOp k ver t }
        4, gen {
            let! via = via
            let! k = Gen.frequency [ 4, Gen.elements intKeys; 1, Gen.elements textKeys ]
            let! ver = genVersion
            let! decrement = Gen.elements [ false; true ]
            let! delta = Gen.choose (-5, 20)
            return incrementOp via k ver (int64 delta) decrement caps.UnsignedCounters }
        2, gen {
            let! k = key
            let! ver = genVersion
            let! delta = Gen.elements [ -2; -1; 1; 2 ]
            return incrementVersionOp k ver delta }
        1, Gen.constant clearOp
        3, gen { let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return getOrSetOp k ver v t } ]
    let ops =
        if caps.StoresNull then
            (2, gen { let! via = via in let! k = Gen.elements optionKeys in let! ver = genVersion in let! t = timeout in return noneOp via k ver t }) :: ops
        else ops
    let ops = if followsClock then (5, genAdvance m |> Gen.map advanceOp) :: ops else ops
    Gen.frequency ops

/// How big the store is in a run.
type private Room =
    /// Room for every slot: no cull may happen.
    | Ample
    /// A small MaxEntries and a CullFrequency: writes into a full store cull.
    | Small of maxEntries: int * cullFrequency: int

let private machineWith (subject: Subject) (room: Gen<Room>) =
    let caps = subject.Capabilities
    { new Machine<Actual, Model>() with
        member _.Setup =
            Gen.zip (Gen.elements [ ""; "site1" ]) room
            |> Gen.map (fun (prefix, room) ->
                { new Setup<Actual, Model>() with
                    member _.Actual() =
                        let clock = FakeTimeProvider()
                        let policy =
                            Policy.defaults
                            |> Policy.expire (Expire.after defaultSpan)
                            |> Policy.prefix prefix
                            |> (match room with
                                | Ample -> Policy.maxEntries (if caps.Culls then 1_000_000 else Policy.defaults.MaxEntries)
                                | Small(maxEntries, frequency) -> Policy.maxEntries maxEntries >> Policy.cullFrequency frequency)
                        let store = subject.Open()
                        let cache =
                            try store.Make (CacheContext.Default.WithTime clock) policy
                            with _ -> store.Close(); reraise ()
                        { Cache = cache; Clock = clock; Close = store.Close }
                    member _.Model() =
                        { Now = 0L
                          Store = Map.empty
                          Expect = Done
                          Capacity = (match room with Small(n, _) -> Some n | Ample -> None)
                          Shadow = Set.empty }
                    override _.ToString() =
                        match room with
                        | Ample -> sprintf "%s, prefix %A" subject.Name prefix
                        | Small(n, f) -> sprintf "%s, prefix %A, MaxEntries %d, CullFrequency %d" subject.Name prefix n f })
            |> Arb.fromGen
        member _.TearDown = { new TearDown<Actual>() with override _.Actual a = a.Close() }
        member _.Next m = next caps m }

/// The machine with room for every entry: any entry the cache loses, or any value it changes, is a counterexample.
let machine (subject: Subject) = machineWith subject (Gen.constant Ample)

/// The machine on a small store (MaxEntries 1..8, CullFrequency 0..3), for a subject that culls.
let cullingMachine (subject: Subject) =
    machineWith subject (Gen.map2 (fun n f -> Small(n, f)) (Gen.elements [ 1; 2; 3; 5; 8 ]) (Gen.choose (0, 3)))

/// The model-based laws of a subject: the machine, and on a culling subject the machine on a small store.
let laws (subject: Subject) : Law list =
    [ Law.propertyWith 150 "agrees with the map model" (StateMachine.toProperty (machine subject))
      if subject.Capabilities.Culls then
          Law.propertyWith 100 "agrees with the map model on a small store that culls" (StateMachine.toProperty (cullingMachine subject)) ]
    |> Law.group "model machine"
