/// Django's dummy backend cases (reference/django-tests.md section A): stores nothing, still checks keys.
module Backends.DummyTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Dummy
open Backends.BaseCacheTests

let private dummy () =
    let clock, log, context = testContext ()
    clock, log, (DummyCache(CachePolicy.Default, context) :> ICache)

let private case name (body: RecordingLogger -> ICache -> unit) =
    testCase name (fun () ->
        let _, log, cache = dummy ()
        body log cache)

let private factoryOf (value: 'T) = Func<CancellationToken, Task<'T>>(fun _ -> Task.FromResult value)

[<Tests>]
let tests =
    testList "DummyTests" [
        case "a value set is never read back" <| fun _ cache ->
            set cache "key" "value"
            Expect.equal (get<string> cache "key") None "miss"

        case "add always reports success and stores nothing" <| fun _ cache ->
            Expect.isTrue (add cache "addkey1" "value") "first add"
            Expect.isTrue (add cache "addkey1" "newvalue") "second add"
            Expect.equal (get<string> cache "addkey1") None "miss"

        case "a missing key reads None, or the default given" <| fun _ cache ->
            Expect.equal (get<string> cache "does_not_exist") None "miss"
            Expect.equal (cache.GetOrDefaultAsync("does_not_exist", "bang!") |> run) "bang!" "default"

        case "get_many is always empty" <| fun _ cache ->
            cache.SetManyAsync(pairs [ "a", "a"; "b", "b"; "c", "c"; "d", "d" ]) |> run |> ignore
            Expect.equal (getMany<string> cache [ "a"; "c"; "d" ]) Map.empty "a c d"
            Expect.equal (getMany<string> cache [ "a"; "b"; "e" ]) Map.empty "a b e"

        case "get_many, set_many and delete_many warn about a key with spaces, naming the made key" <| fun log cache ->
            let warning = "Cache key contains characters that will cause errors if used with memcached: ':1:key with spaces'"
            cache.GetManyAsync<string>([ "key with spaces" ]) |> run |> ignore
            Expect.equal log.Messages [ warning ] "get_many"
            log.Clear()
            cache.SetManyAsync(pairs [ "key with spaces", "foo" ]) |> run |> ignore
            Expect.equal log.Messages [ warning ] "set_many"
            log.Clear()
            cache.DeleteManyAsync([ "key with spaces" ]) |> runUnit
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
            set cache "key1" "spam"
            set cache "key2" "eggs"
            Expect.isFalse (delete cache "key1") "delete"
            Expect.equal (get<string> cache "key1") None "key1"
            Expect.equal (get<string> cache "key2") None "key2"

        case "has_key is always false" <| fun _ cache ->
            set cache "hello1" "goodbye1"
            Expect.isFalse (hasKey cache "hello1") "hello1"
            Expect.isFalse (hasKey cache "goodbye1") "goodbye1"

        case "incr is KeyNotFound for set and missing keys alike" <| fun _ cache ->
            set cache "answer" 42
            expectKeyNotFound "answer" (incr cache "answer" 1L)
            expectKeyNotFound "does_not_exist" (incr cache "does_not_exist" 1L)
            expectKeyNotFound "does_not_exist" (incr cache "does_not_exist" -1L)

        case "decr is KeyNotFound for set and missing keys alike" <| fun _ cache ->
            set cache "answer" 42
            expectKeyNotFound "answer" (decr cache "answer" 1L)
            expectKeyNotFound "does_not_exist" (decr cache "does_not_exist" 1L)
            expectKeyNotFound "does_not_exist" (decr cache "does_not_exist" -1L)

        case "touch reports false" <| fun _ cache ->
            Expect.isFalse (cache.TouchAsync("whatever") |> run) "touch"

        case "no data type is ever read back" <| fun _ cache ->
            set cache "string" "this is a string"
            set cache "int" 42
            set cache "bool" true
            set cache "list" [ 1; 2; 3; 4 ]
            set cache "map" (Map [ "A", 1; "B", 2 ])
            set cache "record" { Name = "Brian"; Age = 1979; Tags = [] }
            set cache "class" (Pet(Name = "Rex"))
            Expect.equal (get<string> cache "string") None "string"
            Expect.equal (get<int> cache "int") None "int"
            Expect.equal (get<bool> cache "bool") None "bool"
            Expect.equal (get<int list> cache "list") None "list"
            Expect.equal (get<Map<string, int>> cache "map") None "map"
            Expect.equal (get<Person> cache "record") None "record"
            Expect.isTrue (get<Pet> cache "class" |> Option.isNone) "class"

        testCase "expired or not, nothing is ever stored" <| fun () ->
            let clock, _, cache = dummy ()
            setFor cache (secs 1.0) "expire1" "very quickly"
            setFor cache (secs 1.0) "expire2" "very quickly"
            setFor cache (secs 1.0) "expire3" "very quickly"
            advance clock 2.0
            Expect.equal (get<string> cache "expire1") None "expire1"
            Expect.isTrue (add cache "expire2" "newvalue") "add"
            Expect.equal (get<string> cache "expire2") None "expire2"
            Expect.isFalse (hasKey cache "expire3") "expire3"

        case "unicode keys and values are accepted and never read back" <| fun log cache ->
            let stuff =
                [ "ascii", "ascii_value"
                  "unicode_ascii", "Iñtërnâtiônàlizætiøn1"
                  "Iñtërnâtiônàlizætiøn", "Iñtërnâtiônàlizætiøn2"
                  "ascii2", "{'x' : 1 }" ]
            for key, value in stuff do
                set cache key value
                Expect.equal (get<string> cache key) None key
            Expect.isEmpty log.Messages "unicode keys are valid"

        case "set_many reports no failed keys, with or without a timeout and version" <| fun _ cache ->
            Expect.isEmpty (cache.SetManyAsync(pairs [ "a", 1; "b", 2 ]) |> run) "plain"
            Expect.isEmpty (cache.SetManyAsync(pairs [ "a", 1; "b", 2 ], secs 2.0, 1) |> run) "timeout 2, version 1"

        case "delete_many and clear succeed" <| fun _ cache ->
            cache.DeleteManyAsync([ "a"; "b" ]) |> runUnit
            cache.DeleteManyAsync([]) |> runUnit
            cache.ClearAsync() |> runUnit

        case "incr_version and decr_version are KeyNotFound, at any version" <| fun _ cache ->
            set cache "answer" 42
            expectKeyNotFound "answer" (cache.IncrementVersionAsync("answer") |> run |> toResult)
            expectKeyNotFound "does_not_exist" (cache.IncrementVersionAsync("does_not_exist") |> run |> toResult)
            expectKeyNotFound "answer" (cache.IncrementVersionAsync("answer", version = 2) |> run |> toResult)
            expectKeyNotFound "answer" (cache.DecrementVersionAsync("answer") |> run |> toResult)
            expectKeyNotFound "does_not_exist" (cache.DecrementVersionAsync("does_not_exist") |> run |> toResult)
            expectKeyNotFound "answer" (cache.DecrementVersionAsync("answer", version = 2) |> run |> toResult)

        case "get_or_set returns the factory's value, a null included" <| fun _ cache ->
            Expect.equal (cache.GetOrSetAsync("mykey", factoryOf "default") |> run) "default" "value"
            Expect.isNull (cache.GetOrSetAsync("mykey", factoryOf (null: string)) |> run) "null"

        case "get_or_set runs the factory on every call, since nothing is stored" <| fun _ cache ->
            let calls = ref 0
            let factory = Func<CancellationToken, Task<string>>(fun _ -> calls.Value <- calls.Value + 1; Task.FromResult "default")
            Expect.equal (cache.GetOrSetAsync("mykey", factory) |> run) "default" "first"
            Expect.equal (cache.GetOrSetAsync("mykey", factory) |> run) "default" "second"
            Expect.equal calls.Value 2 "two runs"

        case "a zero timeout still reports add as a success" <| fun _ cache ->
            Expect.isTrue (cache.AddAsync("key", "value", secs 0.0) |> run) "add"
            Expect.isTrue (cache.TouchAsync("key", secs 0.0) |> run |> not) "touch of nothing"

        testCase "DummyCache() uses Django's default policy" <| fun () ->
            Expect.equal (DummyCache().Policy) CachePolicy.Default "policy"
    ]
