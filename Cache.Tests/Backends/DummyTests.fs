/// Django's dummy backend cases (reference/django-tests.md section A): stores nothing, still checks keys.
module Backends.DummyTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Dummy
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.ContractValues
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks
open Backends.BaseCacheTests

let private dummy () =
    let clock, log, context = testContext ()
    clock, log, (DummyCache(Policy.defaults, context) :> ICache)

let private case name (body: RecordingLogger -> ICache -> unit) =
    testCase name (fun () ->
        let _, log, cache = dummy ()
        body log cache)

[<Tests>]
let tests =
    testList "DummyTests" [
        case "a value set is never read back" <| fun _ cache ->
            cache |> Cache.set "key" "value" |> run
            Expect.equal (cache |> Cache.tryGet<string> "key" |> run) None "miss"

        case "add always reports success and stores nothing" <| fun _ cache ->
            Expect.isTrue (cache |> Cache.add "addkey1" "value" |> run) "first add"
            Expect.isTrue (cache |> Cache.add "addkey1" "newvalue" |> run) "second add"
            Expect.equal (cache |> Cache.tryGet<string> "addkey1" |> run) None "miss"

        case "a missing key reads None, or the default given" <| fun _ cache ->
            Expect.equal (cache |> Cache.tryGet<string> "does_not_exist" |> run) None "miss"
            Expect.equal (cache |> Cache.getOr "bang!" "does_not_exist" |> run) "bang!" "default"

        case "get_many is always empty" <| fun _ cache ->
            cache |> Cache.setMany [ "a", "a"; "b", "b"; "c", "c"; "d", "d" ] |> run |> ignore
            Expect.equal (cache |> Cache.getMany<string> [ "a"; "c"; "d" ] |> run) Map.empty "a c d"
            Expect.equal (cache |> Cache.getMany<string> [ "a"; "b"; "e" ] |> run) Map.empty "a b e"

        case "get_many, set_many and delete_many warn about a key with spaces, naming the made key" <| fun log cache ->
            let warning = "Cache key contains characters that will cause errors if used with memcached: ':1:key with spaces'"
            cache |> Cache.getMany<string> [ "key with spaces" ] |> run |> ignore
            Expect.equal log.Messages [ warning ] "get_many"
            log.Clear()
            cache |> Cache.setMany [ "key with spaces", "foo" ] |> run |> ignore
            Expect.equal log.Messages [ warning ] "set_many"
            log.Clear()
            cache |> Cache.deleteMany [ "key with spaces" ] |> run
            Expect.equal log.Messages [ warning ] "delete_many"

        case "every keyed operation still warns about bad keys" <| fun log cache ->
            let key = String('a', 248)
            for name, op in keyedOperations do
                log.Clear()
                op cache "key with spaces"
                Expect.equal log.Messages [ keyCharsWarning ":1:key with spaces" ] $"{name}: characters"
                log.Clear()
                op cache key
                Expect.equal log.Messages [ keyLengthWarning (":1:" + key) ] $"{name}: length"

        case "delete reports false and nothing changes" <| fun _ cache ->
            cache |> Cache.set "key1" "spam" |> run
            cache |> Cache.set "key2" "eggs" |> run
            Expect.isFalse (cache |> Cache.delete "key1" |> run) "delete"
            Expect.equal (cache |> Cache.tryGet<string> "key1" |> run) None "key1"
            Expect.equal (cache |> Cache.tryGet<string> "key2" |> run) None "key2"

        case "has_key is always false" <| fun _ cache ->
            cache |> Cache.set "hello1" "goodbye1" |> run
            Expect.isFalse (cache |> Cache.hasKey "hello1" |> run) "hello1"
            Expect.isFalse (cache |> Cache.hasKey "goodbye1" |> run) "goodbye1"

        case "incr is KeyNotFound for set and missing keys alike" <| fun _ cache ->
            cache |> Cache.set "answer" 42 |> run
            expectKeyNotFound "answer" (cache |> Cache.incr "answer" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.incr "does_not_exist" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.incrBy (-1L) "does_not_exist" |> run)

        case "decr is KeyNotFound for set and missing keys alike" <| fun _ cache ->
            cache |> Cache.set "answer" 42 |> run
            expectKeyNotFound "answer" (cache |> Cache.decr "answer" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.decr "does_not_exist" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.decrBy (-1L) "does_not_exist" |> run)

        case "touch reports false" <| fun _ cache ->
            Expect.isFalse (cache |> Cache.touch Expire.byDefault "whatever" |> run) "touch"

        case "no data type is ever read back" <| fun _ cache ->
            cache |> Cache.set "string" "this is a string" |> run
            cache |> Cache.set "int" 42 |> run
            cache |> Cache.set "bool" true |> run
            cache |> Cache.set "list" [ 1; 2; 3; 4 ] |> run
            cache |> Cache.set "map" (Map [ "A", 1; "B", 2 ]) |> run
            cache |> Cache.set "record" { Name = "Brian"; Age = 1979; Tags = [] } |> run
            cache |> Cache.set "class" (Pet(Name = "Rex")) |> run
            Expect.equal (cache |> Cache.tryGet<string> "string" |> run) None "string"
            Expect.equal (cache |> Cache.tryGet<int> "int" |> run) None "int"
            Expect.equal (cache |> Cache.tryGet<bool> "bool" |> run) None "bool"
            Expect.equal (cache |> Cache.tryGet<int list> "list" |> run) None "list"
            Expect.equal (cache |> Cache.tryGet<Map<string, int>> "map" |> run) None "map"
            Expect.equal (cache |> Cache.tryGet<Person> "record" |> run) None "record"
            Expect.isTrue (cache |> Cache.tryGet<Pet> "class" |> run |> Option.isNone) "class"

        testCase "expired or not, nothing is ever stored" <| fun () ->
            let clock, _, cache = dummy ()
            cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
            cache |> Cache.setFor (Expire.seconds 1.0) "expire2" "very quickly" |> run
            cache |> Cache.setFor (Expire.seconds 1.0) "expire3" "very quickly" |> run
            advance clock 2.0
            Expect.equal (cache |> Cache.tryGet<string> "expire1" |> run) None "expire1"
            Expect.isTrue (cache |> Cache.add "expire2" "newvalue" |> run) "add"
            Expect.equal (cache |> Cache.tryGet<string> "expire2" |> run) None "expire2"
            Expect.isFalse (cache |> Cache.hasKey "expire3" |> run) "expire3"

        case "unicode keys and values are accepted and never read back" <| fun log cache ->
            let stuff =
                [ "ascii", "ascii_value"
                  "unicode_ascii", "Iñtërnâtiônàlizætiøn1"
                  "Iñtërnâtiônàlizætiøn", "Iñtërnâtiônàlizætiøn2"
                  "ascii2", "{'x' : 1 }" ]
            for key, value in stuff do
                cache |> Cache.set key value |> run
                Expect.equal (cache |> Cache.tryGet<string> key |> run) None key
            Expect.isEmpty log.Messages "unicode keys are valid"

        case "set_many reports no failed keys, with or without a timeout and version" <| fun _ cache ->
            Expect.isEmpty (cache |> Cache.setMany [ "a", 1; "b", 2 ] |> run) "plain"
            Expect.isEmpty (cache |> Cache.atVersion 1 |> Cache.setManyFor (Expire.seconds 2.0) [ "a", 1; "b", 2 ] |> run) "timeout 2, version 1"

        case "delete_many and clear succeed" <| fun _ cache ->
            cache |> Cache.deleteMany [ "a"; "b" ] |> run
            cache |> Cache.deleteMany [] |> run
            cache |> Cache.clear |> run

        case "incr_version and decr_version are KeyNotFound, at any version" <| fun _ cache ->
            cache |> Cache.set "answer" 42 |> run
            expectKeyNotFound "answer" (cache |> Cache.incrVersion "answer" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.incrVersion "does_not_exist" |> run)
            expectKeyNotFound "answer" (cache |> Cache.atVersion 2 |> Cache.incrVersion "answer" |> run)
            expectKeyNotFound "answer" (cache |> Cache.decrVersion "answer" |> run)
            expectKeyNotFound "does_not_exist" (cache |> Cache.decrVersion "does_not_exist" |> run)
            expectKeyNotFound "answer" (cache |> Cache.atVersion 2 |> Cache.decrVersion "answer" |> run)

        case "get_or_set returns the factory's value, a null included" <| fun _ cache ->
            Expect.equal (cache |> Cache.getOrSet "mykey" (fun () -> Task.FromResult "default") |> run) "default" "value"
            Expect.isNull (cache |> Cache.getOrSet "mykey" (fun () -> Task.FromResult(null: string)) |> run) "null"

        case "get_or_set runs the factory on every call, since nothing is stored" <| fun _ cache ->
            let calls = ref 0
            let factory () = calls.Value <- calls.Value + 1; Task.FromResult "default"
            Expect.equal (cache |> Cache.getOrSet "mykey" factory |> run) "default" "first"
            Expect.equal (cache |> Cache.getOrSet "mykey" factory |> run) "default" "second"
            Expect.equal calls.Value 2 "two runs"

        case "a zero timeout still reports add as a success" <| fun _ cache ->
            Expect.isTrue (cache |> Cache.addFor (Expire.seconds 0.0) "key" "value" |> run) "add"
            Expect.isTrue (cache |> Cache.touch (Expire.seconds 0.0) "key" |> run |> not) "touch of nothing"

        testCase "DummyCache() uses Django's default policy" <| fun () ->
            Expect.equal (DummyCache().Policy) Policy.defaults "policy"
    ]
