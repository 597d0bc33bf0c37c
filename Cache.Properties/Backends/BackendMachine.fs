/// The model-based test: one FsCheck state machine runs a storing backend against a pure map model
/// under a fake clock, for every operation of `ICache`. Backends plug in as `BackendUnderTest`.
module Backends.BackendMachine

open System
open System.Collections.Generic
open System.Threading
open System.Threading.Tasks
open Expecto
open FsCheck
open FsCheck.FSharp
open FsCheck.Experimental
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Dummy
open Arbitraries

/// A storing backend the machine can run.
type BackendUnderTest =
    { Name: string
      /// Builds a fresh, empty cache in the given context (clock, logger) with the given policy.
      Make: CacheContext -> CachePolicy -> ICache
      /// The store culls when full. The machine then uses a MaxEntries far above anything its
      /// small key alphabet can fill, so no cull happens here: culling has its own laws.
      Evicts: bool
      /// Expiry follows `CacheContext.Time` (false for a server with its own clock: the machine then
      /// never advances the clock and only writes spans too long to lapse during a run).
      FollowsFakeClock: bool
      /// Counters are unsigned, as memcached's are: a decrement of a non-negative counter stops at 0.
      UnsignedCounters: bool
      /// Also drive the synchronous twin (`ISyncCache`) for the operations it offers.
      HasSyncApi: bool
      /// Releases what `Make` created (files, tables).
      Release: ICache -> unit }

/// The object under test: the cache and the clock it reads.
type Actual =
    { Cache: ICache
      Clock: FakeTimeProvider }
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

/// The model: the clock (ticks since the start), the live entries by (key, version), the outcome.
type Model =
    { Now: int64
      Store: Map<string * int, Entry>
      Expect: Outcome }


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

let private errorName (e: CacheError) =
    match e with
    | :? CacheError.KeyNotFound as x -> sprintf "KeyNotFound(%s)" x.Key
    | :? CacheError.NotAnInteger as x -> sprintf "NotAnInteger(%s)" x.Key
    | :? CacheError.Overflow as x -> sprintf "Overflow(%s)" x.Key
    | other -> other.Message

// ---- typed calls (the value's type goes with the key) ----------------------------------------

let private ver (v: int option) = match v with Some v -> Nullable v | None -> Nullable()

/// Which API a step goes through.
type Via =
    | Async
    | Sync

let private sync (a: Actual) = a.Cache :?> ISyncCache

let get via (a: Actual) key version : Value option =
    match via, isIntKey key with
    | Async, true -> a.Cache.GetAsync<int>(key, ver version) |> run |> toOption |> Option.map I
    | Async, false -> a.Cache.GetAsync<string>(key, ver version) |> run |> toOption |> Option.map S
    | Sync, true -> (sync a).Get<int>(key, ver version) |> toOption |> Option.map I
    | Sync, false -> (sync a).Get<string>(key, ver version) |> toOption |> Option.map S

let set via (a: Actual) key version value timeout =
    let t = toCacheTimeout timeout
    match via, value with
    | Async, I n -> a.Cache.SetAsync<int>(key, n, t, ver version) |> runUnit
    | Async, S s -> a.Cache.SetAsync<string>(key, s, t, ver version) |> runUnit
    | Sync, I n -> (sync a).Set<int>(key, n, t, ver version)
    | Sync, S s -> (sync a).Set<string>(key, s, t, ver version)

let add via (a: Actual) key version value timeout =
    let t = toCacheTimeout timeout
    match via, value with
    | Async, I n -> a.Cache.AddAsync<int>(key, n, t, ver version) |> run
    | Async, S s -> a.Cache.AddAsync<string>(key, s, t, ver version) |> run
    | Sync, I n -> (sync a).Add<int>(key, n, t, ver version)
    | Sync, S s -> (sync a).Add<string>(key, s, t, ver version)

let hashMapToMap (m: LanguageExt.HashMap<string, 'T>) (wrap: 'T -> Value) =
    m.Keys |> Seq.map (fun k -> k, wrap (m.Find(k) |> toOption).Value) |> Map.ofSeq

// ---- operations ------------------------------------------------------------------------------

let private op name (runModel: Model -> Model) (check: Actual -> Model -> Property) =
    { new Operation<Actual, Model>() with
        member _.Run m = runModel m
        member _.Check(a, m) = check a m
        override _.ToString() = name }

let private expectOutcome (actual: Outcome) (m: Model) =
    (actual = m.Expect) |> Prop.label (sprintf "expected %A but the backend gave %A" m.Expect actual)

let private live key version (m: Model) = Map.tryFind (key, version) m.Store

let private vName (v: int option) = match v with Some v -> sprintf " v%d" v | None -> ""

let private effective (v: int option) = defaultArg v 1

let setOp via key version value timeout =
    op (sprintf "Set%s %s%s = %A (%A)" (if via = Sync then "(sync)" else "") key (vName version) value timeout)
        (fun m -> { m with Store = write key (effective version) value timeout m; Expect = Done })
        (fun a m -> set via a key version value timeout; expectOutcome Done m)

let addOp via key version value timeout =
    op (sprintf "Add%s %s%s = %A (%A)" (if via = Sync then "(sync)" else "") key (vName version) value timeout)
        (fun m ->
            match live key (effective version) m with
            | Some _ -> { m with Expect = Flag false }
            | None -> { m with Store = write key (effective version) value timeout m; Expect = Flag true })
        (fun a m -> expectOutcome (Flag(add via a key version value timeout)) m)

let getOp via key version =
    op (sprintf "Get%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m -> { m with Expect = Found(live key (effective version) m |> Option.map _.Value) })
        (fun a m -> expectOutcome (Found(get via a key version)) m)

let getOrDefaultOp key version fallback =
    op (sprintf "GetOrDefault %s%s (default %A)" key (vName version) fallback)
        (fun m -> { m with Expect = Returned(live key (effective version) m |> Option.map _.Value |> Option.defaultValue fallback) })
        (fun a m ->
            let got =
                match fallback with
                | I n -> a.Cache.GetOrDefaultAsync<int>(key, n, ver version) |> run |> I
                | S s -> a.Cache.GetOrDefaultAsync<string>(key, s, ver version) |> run |> S
            expectOutcome (Returned got) m)

let getManyOp (keys: string list) version =
    op (sprintf "GetMany %A%s" keys (vName version))
        (fun m ->
            let hits = keys |> List.choose (fun k -> live k (effective version) m |> Option.map (fun e -> k, e.Value))
            { m with Expect = Many(Map.ofList hits) })
        (fun a m ->
            let got =
                if keys |> List.forall isIntKey then hashMapToMap (a.Cache.GetManyAsync<int>(keys, ver version) |> run) I
                else hashMapToMap (a.Cache.GetManyAsync<string>(keys, ver version) |> run) S
            expectOutcome (Many got) m)

let setManyOp (pairs: (string * Value) list) version timeout =
    op (sprintf "SetMany %A%s (%A)" pairs (vName version) timeout)
        (fun m ->
            let store = pairs |> List.fold (fun (s: Model) (k, v) -> { s with Store = write k (effective version) v timeout s }) m
            { store with Expect = Refused [] })
        (fun a m ->
            let t = toCacheTimeout timeout
            let refused =
                if pairs |> List.forall (fst >> isIntKey) then
                    let items = pairs |> List.map (fun (k, v) -> KeyValuePair(k, (match v with I n -> n | S _ -> failwith "int key")))
                    a.Cache.SetManyAsync<int>(items, t, ver version) |> run
                else
                    let items = pairs |> List.map (fun (k, v) -> KeyValuePair(k, (match v with S s -> s | I _ -> failwith "text key")))
                    a.Cache.SetManyAsync<string>(items, t, ver version) |> run
            expectOutcome (Refused(List.ofSeq refused)) m)

let deleteOp via key version =
    op (sprintf "Delete%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m ->
            { m with
                Store = Map.remove (key, effective version) m.Store
                Expect = Flag(live key (effective version) m |> Option.isSome) })
        (fun a m ->
            let removed =
                match via with
                | Async -> a.Cache.DeleteAsync(key, ver version) |> run
                | Sync -> (sync a).Delete(key, ver version)
            expectOutcome (Flag removed) m)

let deleteManyOp (keys: string list) version =
    op (sprintf "DeleteMany %A%s" keys (vName version))
        (fun m -> { m with Store = keys |> List.fold (fun s k -> Map.remove (k, effective version) s) m.Store; Expect = Done })
        (fun a m -> a.Cache.DeleteManyAsync(keys, ver version) |> runUnit; expectOutcome Done m)

let hasKeyOp via key version =
    op (sprintf "HasKey%s %s%s" (if via = Sync then "(sync)" else "") key (vName version))
        (fun m -> { m with Expect = Flag(live key (effective version) m |> Option.isSome) })
        (fun a m ->
            let has =
                match via with
                | Async -> a.Cache.HasKeyAsync(key, ver version) |> run
                | Sync -> (sync a).HasKey(key, ver version)
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
                { m with Store = store; Expect = Flag true })
        (fun a m -> expectOutcome (Flag(a.Cache.TouchAsync(key, toCacheTimeout timeout, ver version) |> run)) m)

/// `unsigned`: the backend's counters are unsigned, as memcached's are: a counter at or above 0 stops at 0.
let incrementOp via key version (delta: int64) decrement unsigned =
    let name = if decrement then "Decrement" else "Increment"
    op (sprintf "%s%s %s%s by %d" name (if via = Sync then "(sync)" else "") key (vName version) delta)
        (fun m ->
            let signed = if decrement then -delta else delta
            match live key (effective version) m with
            | None -> { m with Expect = Counter(Error(sprintf "KeyNotFound(%s)" key)) }
            | Some { Value = S _ } -> { m with Expect = Counter(Error(sprintf "NotAnInteger(%s)" key)) }
            | Some({ Value = I n } as e) ->
                let sum = if unsigned && n >= 0 && int64 n + signed < 0L then 0L else int64 n + signed
                { m with
                    Store = Map.add (key, effective version) { e with Value = I(int sum) } m.Store
                    Expect = Counter(Ok sum) })
        (fun a m ->
            let result =
                match via, decrement with
                | Async, false -> a.Cache.IncrementAsync(key, delta, ver version) |> run
                | Async, true -> a.Cache.DecrementAsync(key, delta, ver version) |> run
                | Sync, false -> (sync a).Increment(key, delta, ver version)
                | Sync, true -> (sync a).Increment(key, -delta, ver version)
            expectOutcome (Counter(toResult result |> Result.mapError errorName)) m)

let incrementVersionOp key version delta =
    op (sprintf "IncrementVersion %s%s by %d" key (vName version) delta)
        (fun m ->
            let from = effective version
            match live key from m with
            | None -> { m with Expect = NewVersion(Error(sprintf "KeyNotFound(%s)" key)) }
            | Some e ->
                let moved = Map.add (key, from + delta) { e with Deadline = Some(m.Now + defaultSpan.Ticks) } m.Store
                { m with Store = Map.remove (key, from) moved; Expect = NewVersion(Ok(from + delta)) })
        (fun a m ->
            let result =
                if delta >= 0 then a.Cache.IncrementVersionAsync(key, delta, ver version) |> run
                else a.Cache.DecrementVersionAsync(key, -delta, ver version) |> run
            expectOutcome (NewVersion(toResult result |> Result.mapError errorName)) m)

let getOrSetOp key version (value: Value) timeout =
    op (sprintf "GetOrSet %s%s (factory %A, %A)" key (vName version) value timeout)
        (fun m ->
            match live key (effective version) m with
            | Some e -> { m with Expect = Returned e.Value }
            | None -> { m with Store = write key (effective version) value timeout m; Expect = Returned value })
        (fun a m ->
            let t = toCacheTimeout timeout
            let got =
                match value with
                | I n -> a.Cache.GetOrSetAsync<int>(key, Func<_, _>(fun _ -> Task.FromResult n), t, ver version) |> run |> I
                | S s -> a.Cache.GetOrSetAsync<string>(key, Func<_, _>(fun _ -> Task.FromResult s), t, ver version) |> run |> S
            expectOutcome (Returned got) m)

/// Every (key, version) slot: HasKey must agree with the model.
let private scan (a: Actual) (m: Model) =
    let wrong =
        [ for key in allKeys do
              for version in observedVersions do
                  let has = a.Cache.HasKeyAsync(key, Nullable version) |> run
                  if has <> Map.containsKey (key, version) m.Store then yield (key, version, has) ]
    List.isEmpty wrong |> Prop.label (sprintf "HasKey disagrees with the model at (key, version, backend says): %A" wrong)

let clearOp =
    op "Clear" (fun m -> { m with Store = Map.empty; Expect = Done }) (fun a m -> a.Cache.ClearAsync() |> runUnit; scan a m)

let advanceOp (ticks: int64) =
    op (sprintf "AdvanceClock %s" (TimeSpan.FromTicks(ticks).ToString("c")))
        (fun m -> let now = m.Now + ticks in { m with Now = now; Store = purge now m.Store; Expect = Done })
        (fun a m -> a.Clock.Advance(TimeSpan.FromTicks ticks); scan a m)

// ---- generation ------------------------------------------------------------------------------

let private genVersion = Gen.frequency [ 1, Gen.constant None; 4, Gen.choose (1, 3) |> Gen.map Some ]

/// Keys of one kind, 0..5 of them, duplicates allowed.
let private genKeysOfOneKind =
    gen {
        let! keys = Gen.elements [ intKeys; textKeys ]
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
let private next (b: BackendUnderTest) (m: Model) =
    let timeout =
        if b.FollowsFakeClock then genTimeout
        else Gen.oneof [ Gen.constant NeverExpires; Gen.constant DefaultTimeout; Gen.constant (After(TimeSpan.FromHours 2.0)); Gen.constant (After TimeSpan.Zero); Gen.constant (After(TimeSpan.FromSeconds -3.0)) ]
    let via = if b.HasSyncApi then Gen.elements [ Async; Sync ] else Gen.constant Async
    let key = Gen.elements allKeys
    let keyValue = gen { let! k = key in let! v = genValueFor k in return k, v }
    let ops = [
        6, gen { let! via = via in let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return setOp via k ver v t }
        4, gen { let! via = via in let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return addOp via k ver v t }
        5, gen { let! via = via in let! k = key in let! ver = genVersion in return getOp via k ver }
        2, gen { let! k, v = keyValue in let! ver = genVersion in return getOrDefaultOp k ver v }
        2, gen { let! ks = genKeysOfOneKind in let! ver = genVersion in return getManyOp ks ver }
        2, gen {
            let! ks = genKeysOfOneKind
            let! pairs = ks |> List.map (fun k -> genValueFor k |> Gen.map (fun v -> k, v)) |> Gen.sequenceToList
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
            return incrementOp via k ver (int64 delta) decrement b.UnsignedCounters }
        2, gen {
            let! k = key
            let! ver = genVersion
            let! delta = Gen.elements [ -2; -1; 1; 2 ]
            return incrementVersionOp k ver delta }
        1, Gen.constant clearOp
        3, gen { let! k, v = keyValue in let! ver = genVersion in let! t = timeout in return getOrSetOp k ver v t } ]
    let ops = if b.FollowsFakeClock then (5, genAdvance m |> Gen.map advanceOp) :: ops else ops
    Gen.frequency ops

/// The machine for one backend. Prefix varies per run: it must not change what the model sees.
let machine (b: BackendUnderTest) =
    { new Machine<Actual, Model>() with
        member _.Setup =
            Gen.elements [ ""; "site1" ]
            |> Gen.map (fun prefix ->
                { new Setup<Actual, Model>() with
                    member _.Actual() =
                        let clock = FakeTimeProvider()
                        let policy =
                            CachePolicy.Default
                                .WithDefaultTimeout(CacheTimeout.After defaultSpan)
                                .WithMaxEntries(if b.Evicts then 1_000_000 else CachePolicy.Default.MaxEntries)
                                .WithKeyPrefix(prefix)
                        { Cache = b.Make (CacheContext.Default.WithTime clock) policy; Clock = clock }
                    member _.Model() = { Now = 0L; Store = Map.empty; Expect = Done }
                    override _.ToString() = sprintf "%s, prefix %A" b.Name prefix })
            |> Arb.fromGen
        member _.TearDown = { new TearDown<Actual>() with override _.Actual a = b.Release a.Cache }
        member _.Next m = next b m }

// ---- the backends ----------------------------------------------------------------------------

let locMem store =
    { Name = sprintf "locmem (%A)" store
      Make = fun context policy -> LocMemCache(policy, context, store) :> ICache
      Evicts = true
      FollowsFakeClock = true
      UnsignedCounters = false
      HasSyncApi = true
      Release = ignore }

/// The file backend, each run in a fresh temporary directory that `Release` deletes.
let fileBased =
    { Name = "file"
      Make = fun context policy -> FunctionalCache.Backends.File.FileBasedCache(System.IO.Directory.CreateTempSubdirectory("fcache-machine-").FullName, policy, context) :> ICache
      Evicts = true
      FollowsFakeClock = true
      UnsignedCounters = false
      HasSyncApi = false
      Release = fun cache -> System.IO.Directory.Delete((cache :?> FunctionalCache.Backends.File.FileBasedCache).CacheDirectory, true) }

/// The storing backends the machine runs on. File, database and memcached join here.
let storingBackends = [ locMem LocMemStore.Copy; locMem LocMemStore.Reference; fileBased
                        { Name = "db (SQLite)"; Make = DatabaseStores.makeSqlite; Evicts = true; FollowsFakeClock = true; UnsignedCounters = false; HasSyncApi = false; Release = DatabaseStores.release }
                        { Name = "db (PostgreSQL)"; Make = DatabaseStores.makePostgres; Evicts = true; FollowsFakeClock = true; UnsignedCounters = false; HasSyncApi = false; Release = DatabaseStores.release }
                        { Name = "memcached"; Make = Integration.Memcached.makeFlushed; Evicts = false; FollowsFakeClock = false; UnsignedCounters = true; HasSyncApi = false; Release = fun c -> (c :?> IDisposable).Dispose() } ]

// ---- the dummy backend -----------------------------------------------------------------------

let private dummyStep (cache: ICache) (step: DummyOp) =
    let t = toCacheTimeout
    let notFound key (e: LanguageExt.Either<CacheError, 'a>) =
        Expect.equal (toResult e |> Result.mapError errorName) (Error(sprintf "KeyNotFound(%s)" key)) $"{step}: KeyNotFound"
    match step with
    | DSet(SmallKey k, n, timeout) -> cache.SetAsync(k, n, t timeout) |> runUnit
    | DAdd(SmallKey k, n, timeout) -> Expect.isTrue (cache.AddAsync(k, n, t timeout) |> run) $"{step}: Add reports success"
    | DGet(SmallKey k) -> Expect.equal (cache.GetAsync<int>(k) |> run |> toOption) None $"{step}: every read misses"
    | DGetOrDefault(SmallKey k, n) -> Expect.equal (cache.GetOrDefaultAsync(k, n) |> run) n $"{step}: the default comes back"
    | DGetMany ks ->
        let got = cache.GetManyAsync<int>(ks |> List.map (fun (SmallKey k) -> k)) |> run
        Expect.equal got.Count 0 $"{step}: GetMany finds nothing"
    | DSetMany(pairs, timeout) ->
        let items = pairs |> List.map (fun (SmallKey k, n) -> KeyValuePair(k, n))
        Expect.isEmpty (cache.SetManyAsync(items, t timeout) |> run) $"{step}: SetMany refuses nothing"
    | DDelete(SmallKey k) -> Expect.isFalse (cache.DeleteAsync k |> run) $"{step}: nothing to delete"
    | DHasKey(SmallKey k) -> Expect.isFalse (cache.HasKeyAsync k |> run) $"{step}: no key is there"
    | DTouch(SmallKey k, timeout) -> Expect.isFalse (cache.TouchAsync(k, t timeout) |> run) $"{step}: nothing to touch"
    | DIncr(SmallKey k, d) -> notFound k (cache.IncrementAsync(k, int64 d) |> run)
    | DDecr(SmallKey k, d) -> notFound k (cache.DecrementAsync(k, int64 (abs d)) |> run)
    | DIncrVersion(SmallKey k, d) -> notFound k (cache.IncrementVersionAsync(k, (if d = 0 then 1 else d)) |> run) // delta 0 is a caller mistake (ArgumentException)
    | DGetOrSet(SmallKey k, n, timeout) ->
        let calls = ref 0
        let got = cache.GetOrSetAsync(k, Func<_, _>(fun _ -> calls.Value <- calls.Value + 1; Task.FromResult n), t timeout) |> run
        Expect.equal (got, calls.Value) (n, 1) $"{step}: the factory runs once and its value comes back"
    | DClear -> cache.ClearAsync() |> runUnit

[<Tests>]
let tests =
    testList "Backends.BackendMachine" [
        for b in storingBackends do
            testPropertyWithConfig Config.machineConfig $"{b.Name} agrees with the map model under a fake clock" (StateMachine.toProperty (machine b))

        testPropertyWithConfig Config.config "dummy: every read misses, Add succeeds, counters miss, GetOrSet gives the factory value" <| fun (steps: DummyOp list) ->
            let cache = DummyCache(CachePolicy.Default, CacheContext.Default.WithTime(FakeTimeProvider())) :> ICache
            for step in steps do dummyStep cache step
    ]
