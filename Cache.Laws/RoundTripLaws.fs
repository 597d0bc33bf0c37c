/// F# values through a subject that serializes, with caches built as an F# user builds them (the F# serializer
/// context, `FunctionalCache.FSharp.Serialization.context`): a record with a union field, a list, a map, a set and an
/// option comes back equal through a read, GetMany and GetOrSet.
module FunctionalCache.Laws.RoundTripLaws

open System.Threading.Tasks
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

/// The round-trip laws of the subject (none for an object store, which hands back the very value it was given).
let laws (subject: Subject) : Law list =
    if not subject.Capabilities.Serializes then []
    else
        [ Law.property "an F# record with a union, a list, a map, a set and an option round-trips"
          <| fun (order: Order) (other: Order) ->
              within subject Serialization.context Policy.defaults (fun cache ->
                  cache |> Cache.set "order" order |> run
                  Expect.equal (cache |> Cache.tryGet<Order> "order" |> run) (Some order) "a read gives the record back"
                  Expect.equal (cache |> Cache.getMany<Order> [ "order"; "missing" ] |> run) (Map.ofList [ "order", order ]) "GetMany gives it back"
                  let runs = ref 0
                  let factory (o: Order) () = runs.Value <- runs.Value + 1; Task.FromResult o
                  Expect.equal (cache |> Cache.getOrSet "order" (factory other) |> run, runs.Value) (order, 0) "GetOrSet serves it"
                  cache |> Cache.delete "order" |> run |> ignore
                  Expect.equal (cache |> Cache.getOrSet "order" (factory other) |> run, runs.Value) (other, 1) "on a miss GetOrSet stores the factory's record"
                  Expect.equal (cache |> Cache.tryGet<Order> "order" |> run) (Some other) "and a read gives that back") ]
        |> Law.group "F# round trip"
