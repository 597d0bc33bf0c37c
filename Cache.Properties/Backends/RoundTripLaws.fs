/// F# values through every storing backend the machine runs on, with caches built as an F# user builds them
/// (`Serialization.context`: FSharp.SystemTextJson): a record with a union field, a list, a map, a set and an
/// option comes back equal through a read, GetMany and GetOrSet.
module Backends.RoundTripLaws

open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open Backends.BackendMachine

/// A fresh store of `b` with the F# serializer, released after `body`.
let private withFSharpCache (b: BackendUnderTest) (body: ICache -> unit) =
    let cache = b.Make Serialization.context Policy.defaults
    try body cache finally b.Release cache

let private lawFor (b: BackendUnderTest) =
    let law (order: Order) (other: Order) =
        withFSharpCache b (fun cache ->
            cache |> Cache.set "order" order |> run
            Expect.equal (cache |> Cache.tryGet<Order> "order" |> run) (Some order) "a read gives the record back"
            Expect.equal (cache |> Cache.getMany<Order> [ "order"; "missing" ] |> run) (Map.ofList [ "order", order ]) "GetMany gives it back"
            let runs = ref 0
            let factory (o: Order) () = runs.Value <- runs.Value + 1; Task.FromResult o
            Expect.equal (cache |> Cache.getOrSet "order" (factory other) |> run, runs.Value) (order, 0) "GetOrSet serves it"
            cache |> Cache.delete "order" |> run |> ignore
            Expect.equal (cache |> Cache.getOrSet "order" (factory other) |> run, runs.Value) (other, 1) "on a miss GetOrSet stores the factory's record"
            Expect.equal (cache |> Cache.tryGet<Order> "order" |> run) (Some other) "and a read gives that back")
    testPropertyWithConfig { Config.config with maxTest = 100 } $"{b.Name}: an F# record with a union, a list, a map, a set and an option round-trips" law
    |> sequencedIfShared b

[<Tests>]
let tests = testList "Backends.RoundTripLaws" [ for b in storingBackends -> lawFor b ]
