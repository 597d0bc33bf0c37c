/// The contract's groups about the derived operations: the many-key ones (set_many, delete_many, clear) and get_or_set.
module internal FunctionalCache.Laws.ContractOperations

open System.Threading.Tasks
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture

/// Django's set_many, delete_many and clear cases.
let many (subject: Subject) =
    let case = example subject
    [ case "set_many stores every pair and returns no failed keys" (fun f ->
          let failed = f.Cache |> Cache.setMany [ "key1", "spam"; "key2", "eggs" ] |> run
          Expect.isEmpty failed "no failures"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "key1"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) (Some "eggs") "key2")

      case "set_many of nothing returns no failed keys" (fun f ->
          Expect.isEmpty (f.Cache |> Cache.setMany ([]: (string * string) list) |> run) "empty")

      // Moves the fake clock; on a server's own clock the timeouts group's real-clock examples cover set_many.
      if subject.Capabilities.Clock = FollowsContextClock then
          case "set_many with a timeout expires every pair" (fun f ->
              f.Cache |> Cache.setManyFor (Expire.seconds 1.0) [ "key1", "spam"; "key2", "eggs" ] |> run |> ignore
              advance f.Clock 2.0
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "key1"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) None "key2")

      case "delete_many removes only the keys named, and accepts none" (fun f ->
          f.Cache |> Cache.setMany [ "key1", "spam"; "key2", "eggs"; "key3", "ham" ] |> run |> ignore
          f.Cache |> Cache.deleteMany [ "key1"; "key2" ] |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "key1"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) None "key2"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key3" |> run) (Some "ham") "key3"
          f.Cache |> Cache.deleteMany [] |> run)

      case "clear removes everything" (fun f ->
          f.Cache |> Cache.setMany [ "key1", "spam"; "key2", "eggs" ] |> run |> ignore
          f.Cache |> Cache.clear |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "key1"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) None "key2") ]

/// Django's get_or_set cases.
let getOrSet (subject: Subject) =
    let case = example subject
    let factoryOf (value: 'T) () = Task.FromResult value
    [ case "get_or_set stores and returns the factory's value on a miss" (fun f ->
          Expect.equal (f.Cache |> Cache.tryGet<int> "projector" |> run) None "miss first"
          Expect.equal (f.Cache |> Cache.getOrSet "projector" (factoryOf 42) |> run) 42 "the factory's value"
          Expect.equal (f.Cache |> Cache.tryGet<int> "projector" |> run) (Some 42) "stored")

      if subject.Capabilities.StoresNull then
          case "get_or_set stores a null the factory returns, and serves it after" (fun f ->
              Expect.isNull (f.Cache |> Cache.getOrSet "null" (factoryOf (null: string)) |> run) "null returned"
              Expect.isNull (f.Cache |> Cache.getOr "default" "null" |> run) "the null was stored"
              Expect.isNull (f.Cache |> Cache.getOrSet "null" (factoryOf "other") |> run) "a stored null is a hit: the next factory does not run")

      case "get_or_set runs the factory only on a miss" (fun f ->
          let calls = ref 0
          let factory () = calls.Value <- calls.Value + 1; Task.FromResult "value"
          Expect.equal (f.Cache |> Cache.getOrSet "mykey" factory |> run) "value" "first"
          Expect.equal (f.Cache |> Cache.getOrSet "mykey" (factoryOf "other") |> run) "value" "the stored value wins"
          Expect.equal (f.Cache |> Cache.getOrSet "mykey" factory |> run) "value" "again"
          Expect.equal calls.Value 1 "the factory ran once")

      case "get_or_set addresses one version" (fun f ->
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.getOrSet "brian" (factoryOf 1979) |> run) 1979 "v2"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "brian" |> run) None "v1 empty"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.getOrSet "brian" (factoryOf 42) |> run) 42 "v1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.getOrSet "brian" (factoryOf 7) |> run) 1979 "v2 kept"
          Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<int> "brian" |> run) None "v3 empty")

      case "get_or_set returns a racing writer's value" (fun f ->
          let racing () =
              f.Cache |> Cache.set "key" "writer" |> run
              Task.FromResult "default"
          Expect.equal (f.Cache |> Cache.getOrSet "key" racing |> run) "writer" "the writer wins"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key" |> run) (Some "writer") "and stays") ]
