/// The model-based machine of FunctionalCache.Laws on every backend and wrapper of ours, and the dummy backend's
/// own property (a cache that stores nothing is no subject for the machine).
module Backends.MachineTests

open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Dummy
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.ModelMachine
open FunctionalCache.Laws.Expecto
open DummyArbitraries

// ---- the dummy backend -----------------------------------------------------------------------

let private dummyStep (cache: ICache) (step: DummyOp) =
    let notFound key (result: Result<'a, CacheError>) =
        Expect.equal (result |> Result.mapError errorName) (Error(sprintf "KeyNotFound(%s)" key)) $"{step}: KeyNotFound"
    match step with
    | DSet(SmallKey k, n, timeout) -> cache |> setWith timeout k n |> run
    | DAdd(SmallKey k, n, timeout) -> Expect.isTrue (cache |> addWith timeout k n |> run) $"{step}: Add reports success"
    | DGet(SmallKey k) -> Expect.equal (cache |> Cache.tryGet<int> k |> run) None $"{step}: every read misses"
    | DGetOrDefault(SmallKey k, n) -> Expect.equal (cache |> Cache.getOr n k |> run) n $"{step}: the default comes back"
    | DGetMany ks ->
        let got = cache |> Cache.getMany<int> (ks |> List.map (fun (SmallKey k) -> k)) |> run
        Expect.equal got Map.empty $"{step}: GetMany finds nothing"
    | DSetMany(pairs, timeout) ->
        let items = pairs |> List.map (fun (SmallKey k, n) -> k, n)
        Expect.isEmpty (cache |> setManyWith timeout items |> run) $"{step}: SetMany refuses nothing"
    | DDelete(SmallKey k) -> Expect.isFalse (cache |> Cache.delete k |> run) $"{step}: nothing to delete"
    | DHasKey(SmallKey k) -> Expect.isFalse (cache |> Cache.hasKey k |> run) $"{step}: no key is there"
    | DTouch(SmallKey k, timeout) -> Expect.isFalse (cache |> Cache.touch (toExpire timeout) k |> run) $"{step}: nothing to touch"
    | DIncr(SmallKey k, d) -> notFound k (cache |> Cache.incrBy (int64 d) k |> run)
    | DDecr(SmallKey k, d) -> notFound k (cache |> Cache.decrBy (int64 (abs d)) k |> run)
    | DIncrVersion(SmallKey k, d) -> notFound k (cache |> Cache.incrVersionBy (if d = 0 then 1 else d) k |> run) // delta 0 is a caller mistake (ArgumentException)
    | DGetOrSet(SmallKey k, n, timeout) ->
        let calls = ref 0
        let got = cache |> getOrSetWith timeout k (fun () -> calls.Value <- calls.Value + 1; Task.FromResult n) |> run
        Expect.equal (got, calls.Value) (n, 1) $"{step}: the factory runs once and its value comes back"
    | DClear -> cache |> Cache.clear |> run

[<Tests>]
let tests =
    testList "Backends.BackendMachine" [
        for subject in Backends.Subjects.all do
            LawTests.ofLaws subject (ModelMachine.laws subject |> LawBudget.forSubject subject)

        testPropertyWithConfig Config.config "dummy: every read misses, Add succeeds, counters miss, GetOrSet gives the factory value" <| fun (steps: DummyOp list) ->
            let cache = DummyCache(Policy.defaults, CacheContext.Default.WithTime(FakeTimeProvider())) :> ICache
            for step in steps do dummyStep cache step
    ]
