/// The contract's groups about single entries: what is stored reads back (Django's basic cases), a stored None is a
/// hit, values of every kind round-trip (with the F# serializer too), and a value the serializer refuses stores nothing.
module internal FunctionalCache.Laws.ContractEntries

open System
open System.Threading.Tasks
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractValues
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks

/// Django's basic cases: set, add, get, get_many, delete and has_key.
let basics (subject: Subject) =
    let case = example subject
    let storesNull = subject.Capabilities.StoresNull
    [ case "a value set is read back" (fun f ->
          f.Cache |> Cache.set "key" "value" |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "key" |> run) (Some "value") "get after set")

      if storesNull then
          case "a stored null is a hit: get reads Some null, get with a default returns the null, has_key is true" (fun f ->
              f.Cache |> Cache.set<string> "key_default_none" null |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "key_default_none" |> run) (Some null) "a hit holding the null, not a miss"
              Expect.isNull (f.Cache |> Cache.getOr "default" "key_default_none" |> run) "the stored null, not the default"
              Expect.isTrue (f.Cache |> Cache.hasKey "key_default_none" |> run) "has_key sees a stored null")

      case "add stores only when the key is absent" (fun f ->
          Expect.isTrue (f.Cache |> Cache.add "addkey1" "value" |> run) "first add"
          Expect.isFalse (f.Cache |> Cache.add "addkey1" "newvalue" |> run) "second add"
          Expect.equal (f.Cache |> Cache.tryGet<string> "addkey1" |> run) (Some "value") "the first value stays")

      case "a missing key reads None, or the default given" (fun f ->
          Expect.equal (f.Cache |> Cache.tryGet<string> "does_not_exist" |> run) None "miss"
          Expect.equal (f.Cache |> Cache.getOr "bang!" "does_not_exist" |> run) "bang!" "default")

      case "get_many returns the hits only, from a list or a lazy sequence" (fun f ->
          f.Cache |> Cache.setMany [ "a", "a"; "b", "b"; "c", "c"; "d", "d" ] |> run |> ignore
          Expect.equal (f.Cache |> Cache.getMany<string> [ "a"; "c"; "d" ] |> run) (Map [ "a", "a"; "c", "c"; "d", "d" ]) "a c d"
          Expect.equal (f.Cache |> Cache.getMany<string> [ "a"; "b"; "e" ] |> run) (Map [ "a", "a"; "b", "b" ]) "a b, e missing"
          let lazyKeys = seq { yield "a"; yield "b"; yield "e" }
          Expect.equal (f.Cache |> Cache.getMany<string> lazyKeys |> run) (Map [ "a", "a"; "b", "b" ]) "an iterator works too")

      if storesNull then
          case "get_many keeps a stored null, as Django returns {x: None, y: 1}" (fun f ->
              f.Cache |> Cache.setMany [ "x", (null: string); "y", "1" ] |> run |> ignore
              Expect.equal (f.Cache |> Cache.getMany<string> [ "x"; "y"; "z" ] |> run) (Map [ "x", null; "y", "1" ]) "x and y, z missing"
              Expect.isTrue (f.Cache |> Cache.hasKey "x" |> run) "x is stored")

      case "delete removes one key and reports it" (fun f ->
          f.Cache |> Cache.setMany [ "key1", "spam"; "key2", "eggs" ] |> run |> ignore
          Expect.isTrue (f.Cache |> Cache.delete "key1" |> run) "deleted"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "key1 gone"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) (Some "eggs") "key2 stays")

      case "deleting a missing key reports false" (fun f ->
          Expect.isFalse (f.Cache |> Cache.delete "nonexistent_key" |> run) "nothing deleted")

      case "has_key is true for live keys, never-expiring keys and stored nulls" (fun f ->
          f.Cache |> Cache.set "hello1" "goodbye1" |> run
          Expect.isTrue (f.Cache |> Cache.hasKey "hello1" |> run) "hello1"
          Expect.isFalse (f.Cache |> Cache.hasKey "goodbye1" |> run) "goodbye1"
          f.Cache |> Cache.setFor Expire.never "no_expiry" "here" |> run
          Expect.isTrue (f.Cache |> Cache.hasKey "no_expiry" |> run) "no_expiry"
          if storesNull then
              f.Cache |> Cache.set<string> "null" null |> run
              Expect.isTrue (f.Cache |> Cache.hasKey "null" |> run) "null") ]

/// Django's "stored None": a stored null, F# None or unit is a hit on every read path.
let storedNone (subject: Subject) =
    let case = example subject
    if not subject.Capabilities.StoresNull then []
    else
        [ case "a stored None reads back as Some None, appears in get_many, and has_key is true" (fun f ->
              f.Cache |> Cache.set<int option> "none" None |> run
              Expect.equal (f.Cache |> Cache.tryGet<int option> "none" |> run) (Some None) "a hit holding None"
              Expect.equal (f.Cache |> Cache.tryGet<int option> "missing" |> run) None "a miss is still None"
              Expect.isTrue (f.Cache |> Cache.hasKey "none" |> run) "has_key"
              f.Cache |> Cache.set<int option> "some" (Some 3) |> run
              Expect.equal (f.Cache |> Cache.getMany<int option> [ "none"; "some"; "missing" ] |> run) (Map [ "none", None; "some", Some 3 ]) "get_many keeps the None")

          case "a stored unit is a hit" (fun f ->
              f.Cache |> Cache.set "done" () |> run
              Expect.equal (f.Cache |> Cache.tryGet<unit> "done" |> run) (Some()) "Some ()"
              Expect.isTrue (f.Cache |> Cache.hasKey "done" |> run) "has_key")

          case "get_or_set with a factory returning None runs it once, then serves the None" (fun f ->
              let calls = ref 0
              let factory () =
                  calls.Value <- calls.Value + 1
                  Task.FromResult(None: int option)
              Expect.equal (f.Cache |> Cache.getOrSet "none" factory |> run) None "the factory's None"
              Expect.equal (f.Cache |> Cache.getOrSet "none" factory |> run) None "served from the cache"
              Expect.equal (f.Cache |> Cache.getOrSet "none" (fun () -> Task.FromResult(Some 7)) |> run) None "a stored None wins over another factory"
              Expect.equal calls.Value 1 "the factory ran once"
              Expect.equal (f.Cache |> Cache.tryGet<int option> "none" |> run) (Some None) "stored")

          case "GetManyAsync gives a plain dictionary of the hits under the caller's keys, a stored null kept" (fun f ->
              f.Cache |> Cache.setMany [ "a", "1"; "n", null ] |> run |> ignore
              let found = f.Cache.GetManyAsync<string>([ "a"; "n"; "missing" ]) |> run
              Expect.equal found.Count 2 "two hits"
              Expect.equal found["a"] "1" "a"
              Expect.isTrue (found.ContainsKey "n") "the stored null is a hit"
              Expect.isNull found["n"] "and holds the null"
              Expect.isFalse (found.ContainsKey "missing") "a miss is left out"
              Expect.equal (Set.ofSeq found.Keys) (set [ "a"; "n" ]) "the caller's keys, not the made keys") ]

/// Django's data-type cases: every kind of value round-trips through set, add and set_many.
let values (subject: Subject) =
    let case = example subject
    [ case "strings, numbers, booleans, lists, maps, records, classes and bytes round-trip" (fun f ->
          f.Cache |> Cache.set "string" "this is a string" |> run
          f.Cache |> Cache.set "int" 42 |> run
          f.Cache |> Cache.set "long" 4200000000L |> run
          f.Cache |> Cache.set "bool" true |> run
          f.Cache |> Cache.set "float" 1.5 |> run
          f.Cache |> Cache.set "list" [ 1; 2; 3; 4 ] |> run
          f.Cache |> Cache.set "array" [| "a"; "b" |] |> run
          f.Cache |> Cache.set "map" (Map [ "a", 1; "b", 2 ]) |> run
          let person = { Name = "Brian"; Age = 1979; Tags = [ "naughty"; "boy" ] }
          f.Cache |> Cache.set "record" person |> run
          f.Cache |> Cache.set "class" (Pet(Name = "Rex", Legs = 4)) |> run
          f.Cache |> Cache.set "bytes" [| 0uy; 1uy; 255uy |] |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "string" |> run) (Some "this is a string") "string"
          Expect.equal (f.Cache |> Cache.tryGet<int> "int" |> run) (Some 42) "int"
          Expect.equal (f.Cache |> Cache.tryGet<int64> "long" |> run) (Some 4200000000L) "long"
          Expect.equal (f.Cache |> Cache.tryGet<bool> "bool" |> run) (Some true) "bool"
          Expect.equal (f.Cache |> Cache.tryGet<float> "float" |> run) (Some 1.5) "float"
          Expect.equal (f.Cache |> Cache.tryGet<int list> "list" |> run) (Some [ 1; 2; 3; 4 ]) "list"
          Expect.equal (f.Cache |> Cache.tryGet<string[]> "array" |> run) (Some [| "a"; "b" |]) "array"
          Expect.equal (f.Cache |> Cache.tryGet<Map<string, int>> "map" |> run) (Some(Map [ "a", 1; "b", 2 ])) "map"
          Expect.equal (f.Cache |> Cache.tryGet<Person> "record" |> run) (Some person) "record"
          match f.Cache |> Cache.tryGet<Pet> "class" |> run with
          | Some pet -> Expect.equal (pet.Name, pet.Legs) ("Rex", 4) "class"
          | None -> failtestf "class: the stored Pet read back as a miss"
          Expect.equal (f.Cache |> Cache.tryGet<byte[]> "bytes" |> run) (Some [| 0uy; 1uy; 255uy |]) "bytes")

      case "unicode keys and values round-trip through set, add and set_many" (fun f ->
          let stuff =
              [ "ascii", "ascii_value"
                "unicode_ascii", "Iñtërnâtiônàlizætiøn1"
                "Iñtërnâtiônàlizætiøn", "Iñtërnâtiônàlizætiøn2"
                "ascii2", "{'x' : 1 }" ]
          for key, value in stuff do
              f.Cache |> Cache.set key value |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) $"set {key}"
          for key, value in stuff do
              f.Cache |> Cache.delete key |> run |> ignore
              Expect.isTrue (f.Cache |> Cache.add key value |> run) $"add {key}"
              Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) $"add {key}"
          for key, _ in stuff do f.Cache |> Cache.delete key |> run |> ignore
          f.Cache |> Cache.setMany stuff |> run |> ignore
          for key, value in stuff do
              Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) $"set_many {key}")

      case "compressed binary data round-trips through set, add and set_many" (fun f ->
          let compressed = zlib "value_to_be_compressed"
          f.Cache |> Cache.set "binary1" compressed |> run
          Expect.equal (f.Cache |> Cache.tryGet<byte[]> "binary1" |> run |> Option.map unzlib) (Some "value_to_be_compressed") "set"
          Expect.isTrue (f.Cache |> Cache.add "binary1-add" compressed |> run) "add"
          Expect.equal (f.Cache |> Cache.tryGet<byte[]> "binary1-add" |> run |> Option.map unzlib) (Some "value_to_be_compressed") "add"
          f.Cache |> Cache.setMany [ "binary1-set_many", compressed ] |> run |> ignore
          Expect.equal (f.Cache |> Cache.tryGet<byte[]> "binary1-set_many" |> run |> Option.map unzlib) (Some "value_to_be_compressed") "set_many") ]

/// F# values through the F# serializer (`FunctionalCache.FSharp.Serialization`): a cache made in a context that uses it.
let fsharpValues (subject: Subject) =
    let case = example subject
    let fsharp (f: Fixture) = f.MakeIn (f.Context.WithSerializer Serialization.serializer) Policy.defaults
    [ case "a record with a union, lists, a map, a set and options round-trips with the F# serializer" (fun f ->
          let cache = fsharp f
          cache |> Cache.set "drawing" drawing |> run
          Expect.equal (cache |> Cache.tryGet<Drawing> "drawing" |> run) (Some drawing) "the record"
          Expect.equal (cache |> Cache.getMany<Drawing> [ "drawing" ] |> run) (Map [ "drawing", drawing ]) "through get_many")

      case "unions, options of unions and lists of records round-trip with the F# serializer" (fun f ->
          let cache = fsharp f
          cache |> Cache.setMany [ "circle", Circle 2.0; "dot", Dot ] |> run |> ignore
          cache |> Cache.set "maybe" (Some(Rectangle(1.0, 2.0))) |> run
          cache |> Cache.set "drawings" [ drawing; { drawing with Main = Dot; Caption = None } ] |> run
          Expect.equal (cache |> Cache.getMany<Shape> [ "circle"; "dot" ] |> run) (Map [ "circle", Circle 2.0; "dot", Dot ]) "unions"
          Expect.equal (cache |> Cache.tryGet<Shape option> "maybe" |> run) (Some(Some(Rectangle(1.0, 2.0)))) "an option of a union"
          Expect.equal (cache |> Cache.tryGet<Drawing list> "drawings" |> run) (Some [ drawing; { drawing with Main = Dot; Caption = None } ]) "a list of records")

      case "the F# serializer keeps counters: integers stay ASCII decimal" (fun f ->
          let cache = fsharp f
          cache |> Cache.set "hits" 41 |> run
          Expect.equal (cache |> Cache.incr "hits" |> run) (Ok 42L) "incremented"
          Expect.equal (cache |> Cache.tryGet<int> "hits" |> run) (Some 42) "read back") ]

/// What the default JSON serializer refuses fails loudly and stores nothing (a subject that serializes only).
let serialization (subject: Subject) =
    let case = example subject
    if not subject.Capabilities.Serializes then []
    else
        [ case "a value System.Text.Json cannot serialize fails set and add with CacheSerializationException" (fun f ->
              let loop = Loop()
              loop.Next <- loop
              throws<CacheSerializationException> (fun () -> f.Cache |> Cache.set "loop" loop |> run) |> ignore
              throws<CacheSerializationException> (fun () -> f.Cache |> Cache.add "loop" loop |> run |> ignore) |> ignore
              Expect.isFalse (f.Cache |> Cache.hasKey "loop" |> run) "nothing stored")
          case "the default JSON serializer refuses an F# union with CacheSerializationException and stores nothing" (fun f ->
              let e = throws<CacheSerializationException> (fun () -> f.Cache |> Cache.set "shape" (Circle 1.0) |> run)
              Expect.stringContains e.Message "cannot be serialized to JSON" "says what failed"
              throws<CacheSerializationException> (fun () -> f.Cache |> Cache.set "drawing" drawing |> run) |> ignore
              Expect.isFalse (f.Cache |> Cache.hasKey "shape" |> run) "nothing stored")
          case "reading stored bytes as the wrong type fails with CacheSerializationException" (fun f ->
              f.Cache |> Cache.set "text" "not a number" |> run
              throws<CacheSerializationException> (fun () -> f.Cache |> Cache.tryGet<int> "text" |> run |> ignore) |> ignore) ]
