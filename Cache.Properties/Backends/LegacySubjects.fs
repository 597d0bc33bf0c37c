/// Transitional: the property files not yet moved into FunctionalCache.Laws see the subjects through the old
/// `BackendUnderTest` shape. Removed when they move.
module Backends.BackendMachine

open FunctionalCache
open FunctionalCache.Laws

type BackendUnderTest =
    { Name: string
      Make: FunctionalCache.Backends.CacheContext -> CachePolicy -> ICache
      UnsignedCounters: bool
      Exclusive: bool
      Release: ICache -> unit }

let private closes = System.Collections.Concurrent.ConcurrentDictionary<ICache, unit -> unit>(HashIdentity.Reference)

let ofSubject (s: Subject) =
    { Name = s.Name
      Make = fun context policy -> let store = s.Open() in let c = store.Make context policy in closes[c] <- store.Close; c
      UnsignedCounters = s.Capabilities.UnsignedCounters
      Exclusive = s.Capabilities.Exclusive
      Release = fun c -> match closes.TryRemove c with | true, close -> close () | _ -> () }

let storingBackends = Backends.Subjects.backends |> List.map ofSubject

let sequencedIfShared (b: BackendUnderTest) (test: Expecto.Test) =
    if b.Exclusive then Expecto.Tests.testSequencedGroup $"{b.Name} server" test else test

let errorName = ModelMachine.errorName
let setWith t k v c = ModelMachine.setWith t k v c
let addWith t k v c = ModelMachine.addWith t k v c
let getOrSetWith t k f c = ModelMachine.getOrSetWith t k f c
