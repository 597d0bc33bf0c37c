/// Django's common backend contract (`BaseCacheTests`, reference/django-tests.md section B), written
/// once and run for every storing backend. A backend plugs in as a `BackendUnderTest`.
module Backends.BaseCacheTests

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.IO
open System.IO.Compression
open System.Text
open Expecto
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp

// ---------------------------------------------------------------- shared test helpers

/// An ILogger that keeps every formatted message, so tests can pin warning texts.
type RecordingLogger() =
    let messages = ConcurrentQueue<string>()
    /// Every message logged so far, oldest first.
    member _.Messages = List.ofSeq messages
    /// Forgets the messages logged so far.
    member _.Clear() = messages.Clear()
    interface ILogger with
        member _.BeginScope<'TState>(_state: 'TState) : IDisposable = null
        member _.IsEnabled(_level) = true
        member _.Log<'TState>(_level: LogLevel, _id: EventId, state: 'TState, ex: exn, formatter: Func<'TState, exn, string>) =
            messages.Enqueue(formatter.Invoke(state, ex))

/// Django's tests pin time.time() to 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT); so do we.
let epoch = DateTimeOffset.FromUnixTimeSeconds 1700000000L

/// A fresh fake clock at `epoch`.
let fakeClock () = FakeTimeProvider(epoch)

/// A context on a fake clock with a recording logger and JSON values.
let testContext () =
    let clock = fakeClock ()
    let log = RecordingLogger()
    clock, log, CacheContext(clock, log, JsonCacheSerializer.Instance)

let advance (clock: FakeTimeProvider) (seconds: float) = clock.Advance(TimeSpan.FromSeconds seconds)

/// The exception of type 'E that `f` throws; fails the test if it throws none.
let throws<'E when 'E :> exn> (f: unit -> unit) : 'E =
    let outcome =
        try
            f ()
            None
        with :? 'E as e -> Some e
    match outcome with
    | Some e -> e
    | None -> failtestf "expected a %s" typeof<'E>.Name

/// The error of a Left; fails the test on a Right.
let errorOf (r: Result<'a, CacheError>) : CacheError =
    match r with
    | Error e -> e
    | Ok v -> failtestf "expected a CacheError, got Ok %A" v

let expectKeyNotFound (key: string) (r: Result<'a, CacheError>) =
    let e = errorOf r
    match e with
    | KeyNotFound k -> Expect.equal k key "the error names the key"
    | _ -> failtestf "a missing key is KeyNotFound, got %s" e.Message
    Expect.equal e.Message $"Key '{key}' not found" "Django's ValueError text"

let expectNotAnInteger (r: Result<'a, CacheError>) =
    match errorOf r with
    | NotAnInteger key -> Expect.equal (errorOf r).Message $"Value of key '{key}' is not an integer" "message"
    | e -> failtestf "a non-integer is NotAnInteger, got %s" e.Message

let expectOverflow (r: Result<'a, CacheError>) =
    match errorOf r with
    | Overflow _ -> ()
    | e -> failtestf "an integer past its range is Overflow, got %s" e.Message

let keyCharsWarning (madeKey: string) =
    $"Cache key contains characters that will cause errors if used with memcached: '{madeKey}'"

let keyLengthWarning (madeKey: string) =
    $"Cache key will cause errors if used with memcached: '{madeKey}' (longer than 250)"

/// Every public operation that touches a key, as Django's invalid-key tests list them (plus has_key).
let keyedOperations : (string * (ICache -> string -> unit)) list =
    [ "add", (fun c k -> c |> Cache.add k "value" |> run |> ignore)
      "get", (fun c k -> c |> Cache.tryGet<string> k |> run |> ignore)
      "set", (fun c k -> c |> Cache.set k "value" |> run)
      "incr", (fun c k -> c |> Cache.incr k |> run |> ignore)
      "decr", (fun c k -> c |> Cache.decr k |> run |> ignore)
      "touch", (fun c k -> c |> Cache.touch Expire.byDefault k |> run |> ignore)
      "delete", (fun c k -> c |> Cache.delete k |> run |> ignore)
      "has_key", (fun c k -> c |> Cache.hasKey k |> run |> ignore)
      "get_many", (fun c k -> c |> Cache.getMany<string> [ k ] |> run |> ignore)
      "set_many", (fun c k -> c |> Cache.setMany [ k, "value" ] |> run |> ignore)
      "delete_many", (fun c k -> c |> Cache.deleteMany [ k ] |> run) ]

// ---------------------------------------------------------------- values Django round-trips

/// A record, stored as JSON.
type Person = { Name: string; Age: int; Tags: string list }

/// A mutable class, stored as JSON through its properties.
type Pet() =
    member val Name = "" with get, set
    member val Legs = 0 with get, set

/// A union, which System.Text.Json alone refuses and the F# serializer writes.
type Shape =
    | Circle of radius: float
    | Rectangle of width: float * height: float
    | Dot

/// A record holding a union, lists, a map, a set and options: what an F# application caches.
type Drawing =
    { Title: string
      Main: Shape
      Layers: Shape list
      Tags: Set<string>
      Sizes: Map<string, int>
      Caption: string option
      Missing: int option }

/// A drawing that uses every field.
let drawing =
    { Title = "plan"
      Main = Rectangle(2.0, 3.5)
      Layers = [ Circle 1.5; Dot; Rectangle(0.5, 0.25) ]
      Tags = set [ "draft"; "a4" ]
      Sizes = Map [ "width", 210; "height", 297 ]
      Caption = Some "ground floor"
      Missing = None }

/// A value System.Text.Json cannot serialize: it refers to itself.
[<AllowNullLiteral>]
type Loop() =
    member val Next: Loop = null with get, set

let private zlib (text: string) =
    let output = new MemoryStream()
    let z = new ZLibStream(output, CompressionLevel.Optimal)
    z.Write(Encoding.UTF8.GetBytes text)
    z.Dispose()
    output.ToArray()

let private unzlib (bytes: byte[]) =
    use z = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress)
    use reader = new StreamReader(z, Encoding.UTF8)
    reader.ReadToEnd()

// ---------------------------------------------------------------- the backend seam

/// What a backend can do, so the contract runs only the cases that apply to it.
type Capabilities =
    { /// Every instance owns its store (locmem): two caches never see each other's entries, so
      /// Django's cross-alias cases (prefix, version and key-function isolation between two caches)
      /// are trivially true and replaced by checks on the made key.
      SharesNothingBetweenInstances: bool
      /// Values go through the serializer (false for locmem's reference store).
      Serializes: bool
      /// The store is bounded by MaxEntries and culls (locmem, file, db; not memcached).
      Culls: bool
      /// A bad key throws InvalidCacheKeyException (memcached) instead of logging a warning.
      RejectsBadKeys: bool }

/// One fresh, empty store; every cache made from it shares it (if the backend can share at all).
type StoreUnderTest =
    { Make: CacheContext -> CachePolicy -> ICache
      /// Releases the store (deletes a directory, drops a table, flushes a server).
      Close: unit -> unit }

/// A backend as the contract sees it: later the file, db and memcached backends add one each.
type BackendUnderTest =
    { Name: string
      Open: unit -> StoreUnderTest
      Capabilities: Capabilities }

let private locmem name store =
    { Name = name
      Open = fun () -> { Make = (fun context policy -> LocMemCache(policy, context, store) :> ICache); Close = ignore }
      Capabilities =
        { SharesNothingBetweenInstances = true
          Serializes = (store = LocMemStore.Copy)
          Culls = true
          RejectsBadKeys = false } }

/// LocMem holding serialized copies (the default).
let locMemCopy = locmem "locmem (copy)" LocMemStore.Copy

/// LocMem holding object references.
let locMemReference = locmem "locmem (reference)" LocMemStore.Reference

/// One test's world: a fake clock, a recording logger and caches over one fresh store.
type Fixture =
    { Clock: FakeTimeProvider
      Log: RecordingLogger
      Context: CacheContext
      /// Another cache over the same store, with another policy.
      Make: CachePolicy -> ICache
      /// Another cache over the same store, in another context (another serializer).
      MakeIn: CacheContext -> CachePolicy -> ICache
      /// The cache under test, with Django's default policy unless the case says otherwise.
      Cache: ICache }

let withFixture (backend: BackendUnderTest) (policy: CachePolicy) (body: Fixture -> unit) =
    let clock, log, context = testContext ()
    let store = backend.Open()
    try
        let make p = store.Make context p
        body { Clock = clock; Log = log; Context = context; Make = make; MakeIn = store.Make; Cache = make policy }
    finally
        store.Close()

// ---------------------------------------------------------------- the contract

/// Django's section B for one backend.
let contractFor (backend: BackendUnderTest) : Test =
    let caps = backend.Capabilities
    let case name body = testCase name (fun () -> withFixture backend Policy.defaults body)
    let caseWith name policy body = testCase name (fun () -> withFixture backend policy body)

    /// A bad key warns once per operation (or is rejected, on memcached).
    let expectKeyProblem (f: Fixture) (cache: ICache) (key: string) (madeKey: string) (warning: string) =
        for name, op in keyedOperations do
            f.Log.Clear()
            if caps.RejectsBadKeys then
                let e = throws<InvalidCacheKeyException> (fun () -> op cache key)
                Expect.stringContains e.Message madeKey $"{name}: the error names the made key"
            else
                op cache key
                Expect.equal f.Log.Messages [ warning ] $"{name} warns once with Django's text"

    let basics =
        [ case "a value set is read back" (fun f ->
              f.Cache |> Cache.set "key" "value" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "key" |> run) (Some "value") "get after set")

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
              f.Cache |> Cache.set<string> "null" null |> run
              Expect.isTrue (f.Cache |> Cache.hasKey "null" |> run) "null") ]

    let counters =
        [ case "incr adds to a stored integer and returns the new value" (fun f ->
              f.Cache |> Cache.set "answer" 41 |> run
              Expect.equal (f.Cache |> Cache.incr "answer" |> run) (Ok 42L) "incr"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
              Expect.equal (f.Cache |> Cache.incrBy 10L "answer" |> run) (Ok 52L) "incr 10"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 52) "stored"
              Expect.equal (f.Cache |> Cache.incrBy (-10L) "answer" |> run) (Ok 42L) "incr -10"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored")

          case "incr on a missing key is KeyNotFound with Django's message" (fun f ->
              expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incr "does_not_exist" |> run)
              expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incrBy (-1L) "does_not_exist" |> run))

          case "incr on a stored null or a non-integer is NotAnInteger" (fun f ->
              f.Cache |> Cache.set<string> "null" null |> run
              expectNotAnInteger (f.Cache |> Cache.incr "null" |> run)
              f.Cache |> Cache.set "text" "abc" |> run
              expectNotAnInteger (f.Cache |> Cache.incr "text" |> run)
              Expect.equal (f.Cache |> Cache.tryGet<string> "text" |> run) (Some "abc") "the value is untouched")

          case "incr past Int64.MaxValue is Overflow and leaves the value" (fun f ->
              f.Cache |> Cache.set "big" Int64.MaxValue |> run
              expectOverflow (f.Cache |> Cache.incr "big" |> run)
              Expect.equal (errorOf (f.Cache |> Cache.incr "big" |> run)).Message "Incrementing key 'big' overflows its integer type" "message"
              Expect.equal (f.Cache |> Cache.tryGet<int64> "big" |> run) (Some Int64.MaxValue) "unchanged"
              f.Cache |> Cache.set "small" Int64.MinValue |> run
              expectOverflow (f.Cache |> Cache.decr "small" |> run))

          case "decr subtracts from a stored integer" (fun f ->
              f.Cache |> Cache.set "answer" 43 |> run
              Expect.equal (f.Cache |> Cache.decr "answer" |> run) (Ok 42L) "decr"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
              Expect.equal (f.Cache |> Cache.decrBy 10L "answer" |> run) (Ok 32L) "decr 10"
              Expect.equal (f.Cache |> Cache.decrBy (-10L) "answer" |> run) (Ok 42L) "decr -10"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "stored"
              expectKeyNotFound "does_not_exist" (f.Cache |> Cache.decr "does_not_exist" |> run)
              f.Cache |> Cache.set<string> "null" null |> run
              expectNotAnInteger (f.Cache |> Cache.decr "null" |> run)) ]

    let values =
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
              let pet = f.Cache |> Cache.tryGet<Pet> "class" |> run |> Option.get
              Expect.equal (pet.Name, pet.Legs) ("Rex", 4) "class"
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

    let many =
        [ case "set_many stores every pair and returns no failed keys" (fun f ->
              let failed = f.Cache |> Cache.setMany [ "key1", "spam"; "key2", "eggs" ] |> run
              Expect.isEmpty failed "no failures"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "key1"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) (Some "eggs") "key2")

          case "set_many of nothing returns no failed keys" (fun f ->
              Expect.isEmpty (f.Cache |> Cache.setMany ([]: (string * string) list) |> run) "empty")

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

    let timeouts =
        [ case "entries expire at their deadline: visible just before, gone from it on" (fun f ->
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire2" "very quickly" |> run
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire3" "very quickly" |> run
              f.Clock.Advance(TimeSpan.FromSeconds 1.0 - TimeSpan.FromTicks 1L)
              Expect.equal (f.Cache |> Cache.tryGet<string> "expire1" |> run) (Some "very quickly") "one tick before the deadline"
              f.Clock.Advance(TimeSpan.FromTicks 1L)
              Expect.equal (f.Cache |> Cache.tryGet<string> "expire1" |> run) None "at the deadline"
              advance f.Clock 1.0
              Expect.isTrue (f.Cache |> Cache.add "expire2" "newvalue" |> run) "add over an expired entry"
              Expect.equal (f.Cache |> Cache.tryGet<string> "expire2" |> run) (Some "newvalue") "the new value"
              Expect.isFalse (f.Cache |> Cache.hasKey "expire3" |> run) "expired")

          case "touch gives a live entry a new timeout, the default when none is given" (fun f ->
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
              Expect.isTrue (f.Cache |> Cache.touch (Expire.seconds 4.0) "expire1" |> run) "touched"
              advance f.Clock 2.0
              Expect.isTrue (f.Cache |> Cache.hasKey "expire1" |> run) "still there after 2 s"
              advance f.Clock 3.0
              Expect.isFalse (f.Cache |> Cache.hasKey "expire1" |> run) "gone after 5 s"
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
              Expect.isTrue (f.Cache |> Cache.touch Expire.byDefault "expire1" |> run) "touched with the default"
              advance f.Clock 2.0
              Expect.isTrue (f.Cache |> Cache.hasKey "expire1" |> run) "the default timeout (300 s) applies"
              Expect.isFalse (f.Cache |> Cache.touch Expire.byDefault "nonexistent" |> run) "a missing key is not touched")

          case "a timeout over 30 days works for set, add and set_many" (fun f ->
              let long = Expire.seconds 2592001.0
              f.Cache |> Cache.setFor long "key1" "eggs" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "eggs") "set"
              Expect.isTrue (f.Cache |> Cache.addFor long "key2" "ham" |> run) "add"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) (Some "ham") "add"
              f.Cache |> Cache.setManyFor long [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
              Expect.equal (f.Cache |> Cache.tryGet<string> "key3" |> run) (Some "sausage") "set_many"
              advance f.Clock 2592000.0
              Expect.equal (f.Cache |> Cache.tryGet<string> "key4" |> run) (Some "lobster bisque") "30 days later"
              advance f.Clock 1.0
              Expect.equal (f.Cache |> Cache.tryGet<string> "key4" |> run) None "30 days and 1 s later")

          case "Never keeps entries forever, and touch with Never makes an entry permanent" (fun f ->
              f.Cache |> Cache.setFor Expire.never "key1" "eggs" |> run
              Expect.isTrue (f.Cache |> Cache.addFor Expire.never "key2" "ham" |> run) "add"
              Expect.isFalse (f.Cache |> Cache.addFor Expire.never "key1" "new eggs" |> run) "add over a live key"
              f.Cache |> Cache.setManyFor Expire.never [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
              f.Cache |> Cache.setFor (Expire.seconds 1.0) "key5" "belgian fries" |> run
              Expect.isTrue (f.Cache |> Cache.touch Expire.never "key5" |> run) "touch to Never"
              f.Clock.Advance(TimeSpan.FromDays 36500.0)
              for key, value in [ "key1", "eggs"; "key2", "ham"; "key3", "sausage"; "key4", "lobster bisque"; "key5", "belgian fries" ] do
                  Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) $"{key} after a century")

          case "a zero timeout stores nothing and touch with zero expires the entry" (fun f ->
              f.Cache |> Cache.setFor (Expire.seconds 0.0) "key1" "eggs" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "set"
              Expect.isTrue (f.Cache |> Cache.addFor (Expire.seconds 0.0) "key2" "ham" |> run) "add reports success"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) None "but stores nothing"
              f.Cache |> Cache.setManyFor (Expire.seconds 0.0) [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
              Expect.equal (f.Cache |> Cache.tryGet<string> "key3" |> run) None "set_many"
              f.Cache |> Cache.setFor (Expire.seconds 5.0) "key5" "belgian fries" |> run
              Expect.isTrue (f.Cache |> Cache.touch (Expire.seconds 0.0) "key5" |> run) "touch reports success"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key5" |> run) None "and expires it")

          case "a zero timeout on set removes a live entry" (fun f ->
              f.Cache |> Cache.set "key1" "eggs" |> run
              f.Cache |> Cache.setFor (Expire.seconds 0.0) "key1" "spam" |> run
              Expect.isFalse (f.Cache |> Cache.hasKey "key1" |> run) "removed")

          case "a fractional timeout keeps its fraction" (fun f ->
              f.Cache |> Cache.setFor (Expire.seconds 100.2) "key1" "spam" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "set"
              advance f.Clock 100.1
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "at 100.1 s"
              advance f.Clock 0.1
              Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "at 100.2 s") ]

    let culling =
        if not caps.Culls then []
        else
            let writeFortyNine (cache: ICache) =
                for i in 1..49 do cache |> Cache.setFor (Expire.seconds 1000.0) $"cull{i}" "value" |> run
                [ 1..49 ] |> List.filter (fun i -> cache |> Cache.hasKey $"cull{i}" |> run) |> List.length
            [ caseWith "a full cache culls a third: 49 writes with MaxEntries 30 leave 29" (Policy.defaults |> Policy.maxEntries 30) (fun f ->
                  Expect.equal (writeFortyNine f.Cache) 29 "remaining")
              caseWith "CullFrequency 0 empties a full cache: 49 writes with MaxEntries 30 leave 19" (Policy.defaults |> Policy.maxEntries 30 |> Policy.cullFrequency 0) (fun f ->
                  Expect.equal (writeFortyNine f.Cache) 19 "remaining")
              caseWith "culling never removes the entry being written (MaxEntries 1)" (Policy.defaults |> Policy.maxEntries 1) (fun f ->
                  f.Cache |> Cache.set "first" "value" |> run
                  f.Cache |> Cache.set "force_cull_delete" "value" |> run
                  Expect.isTrue (f.Cache |> Cache.hasKey "force_cull_delete" |> run) "the new key"
                  Expect.isFalse (f.Cache |> Cache.hasKey "first" |> run) "the old key was culled") ]

    let keys =
        let identity = Policy.defaults |> Policy.keyFunction (fun key _ _ -> key)
        [ caseWith "a key with spaces or control characters warns on every operation, naming the made key" identity (fun f ->
              let key = "key with spaces and 清"
              expectKeyProblem f f.Cache key key (keyCharsWarning key))

          caseWith "a made key over 250 characters warns on every operation" identity (fun f ->
              let key = String('a', 250) + "清"
              expectKeyProblem f f.Cache key key (keyLengthWarning key))

          caseWith "the length rule applies to the made key, version suffix included" (Policy.defaults |> Policy.keyFunction (fun key _ _ -> key + ":1")) (fun f ->
              let key = String('a', 249)
              expectKeyProblem f f.Cache key (key + ":1") (keyLengthWarning (key + ":1")))

          case "the default made key is what the warning names" (fun f ->
              expectKeyProblem f f.Cache "key with spaces" ":1:key with spaces" (keyCharsWarning ":1:key with spaces")
              let key = String('a', 248)
              expectKeyProblem f f.Cache key (":1:" + key) (keyLengthWarning (":1:" + key)))

          caseWith "the key prefix reaches the made key" (Policy.defaults |> Policy.prefix "site1") (fun f ->
              expectKeyProblem f f.Cache "key with spaces" "site1:1:key with spaces" (keyCharsWarning "site1:1:key with spaces")
              f.Cache |> Cache.set "somekey" "value" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "somekey" |> run) (Some "value") "a prefixed cache stores normally")

          case "a good key logs nothing" (fun f ->
              f.Cache |> Cache.set "good" "value" |> run
              f.Cache |> Cache.tryGet<string> "good" |> run |> ignore
              Expect.isEmpty f.Log.Messages "no warnings") ]

    let sharedStore =
        if caps.SharesNothingBetweenInstances then []
        else
            [ case "caches with different prefixes on one store do not see each other" (fun f ->
                  let prefixed = f.Make(Policy.defaults |> Policy.prefix "cacheprefix")
                  f.Cache |> Cache.set "somekey" "value" |> run
                  Expect.isFalse (prefixed |> Cache.hasKey "somekey" |> run) "the prefixed cache misses"
                  prefixed |> Cache.set "somekey" "value2" |> run
                  Expect.equal (f.Cache |> Cache.tryGet<string> "somekey" |> run) (Some "value") "default"
                  Expect.equal (prefixed |> Cache.tryGet<string> "somekey" |> run) (Some "value2") "prefixed")
              case "a cache with version 2 on one store reads version 1 only when asked" (fun f ->
                  let v2 = f.Make(Policy.defaults |> Policy.version 2)
                  f.Cache |> Cache.set "answer1" 42 |> run
                  Expect.equal (v2 |> Cache.tryGet<int> "answer1" |> run) None "v2 default"
                  Expect.equal (v2 |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 version 1"
                  v2 |> Cache.set "answer3" 42 |> run
                  Expect.equal (f.Cache |> Cache.tryGet<int> "answer3" |> run) None "default"
                  Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer3" |> run) (Some 42) "version 2")
              case "caches with one custom key function see each other, the default one does not" (fun f ->
                  let custom () = f.Make(Policy.defaults |> Policy.keyFunction (fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}"))
                  let custom1, custom2 = custom (), custom ()
                  f.Cache |> Cache.set "answer1" 42 |> run
                  Expect.equal (custom1 |> Cache.tryGet<int> "answer1" |> run) None "custom misses the default's key"
                  custom1 |> Cache.set "answer2" 42 |> run
                  Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "default misses the custom key"
                  Expect.equal (custom2 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "the other custom cache hits") ]

    let versions =
        [ case "get and set address one version at a time" (fun f ->
              f.Cache |> Cache.set "answer1" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer1" |> run) (Some 42) "default"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "version 1"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) None "version 2"
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer2" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "default"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) None "version 1"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "version 2")

          caseWith "a cache whose policy version is 2 uses it by default and version 1 when asked" (Policy.defaults |> Policy.version 2) (fun f ->
              f.Cache |> Cache.set "answer3" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer3" |> run) (Some 42) "default"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer3" |> run) None "version 1"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer3" |> run) (Some 42) "version 2"
              f.Cache |> Cache.atVersion 1 |> Cache.set "answer4" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer4" |> run) None "default"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer4" |> run) (Some 42) "version 1")

          case "add is independent per version" (fun f ->
              Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.add "answer1" 42 |> run) "add v2"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2"
              Expect.isFalse (f.Cache |> Cache.atVersion 2 |> Cache.add "answer1" 37 |> run) "add v2 again"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 kept"
              Expect.isTrue (f.Cache |> Cache.atVersion 1 |> Cache.add "answer1" 37 |> run) "add v1"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 37) "v1"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 still")

          case "has_key looks at one version" (fun f ->
              f.Cache |> Cache.set "answer1" 42 |> run
              Expect.isTrue (f.Cache |> Cache.hasKey "answer1" |> run) "default"
              Expect.isTrue (f.Cache |> Cache.atVersion 1 |> Cache.hasKey "answer1" |> run) "version 1"
              Expect.isFalse (f.Cache |> Cache.atVersion 2 |> Cache.hasKey "answer1" |> run) "version 2")

          case "delete removes one version only" (fun f ->
              f.Cache |> Cache.atVersion 1 |> Cache.set "answer1" 37 |> run
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer1" 42 |> run
              Expect.isTrue (f.Cache |> Cache.delete "answer1" |> run) "delete default"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) None "v1 gone"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 stays"
              f.Cache |> Cache.atVersion 1 |> Cache.set "answer2" 37 |> run
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer2" 42 |> run
              Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.delete "answer2" |> run) "delete v2"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) (Some 37) "v1 stays"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer2" |> run) None "v2 gone")

          case "incr and decr change one version only" (fun f ->
              f.Cache |> Cache.atVersion 1 |> Cache.set "answer1" 37 |> run
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer1" 42 |> run
              Expect.equal (f.Cache |> Cache.incr "answer1" |> run) (Ok 38L) "incr default"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 untouched"
              Expect.equal (f.Cache |> Cache.decr "answer1" |> run) (Ok 37L) "decr default"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.incr "answer1" |> run) (Ok 43L) "incr v2"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 37) "v1 untouched"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decr "answer1" |> run) (Ok 42L) "decr v2")

          case "get_many and set_many follow the version rules" (fun f ->
              f.Cache |> Cache.setMany [ "ford1", 37; "arthur1", 42 ] |> run |> ignore
              Expect.equal (f.Cache |> Cache.getMany<int> [ "ford1"; "arthur1" ] |> run) (Map [ "ford1", 37; "arthur1", 42 ]) "default"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.getMany<int> [ "ford1"; "arthur1" ] |> run |> Seq.length) 0 "version 2"
              f.Cache |> Cache.atVersion 2 |> Cache.setMany [ "ford2", 37; "arthur2", 42 ] |> run |> ignore
              Expect.equal (f.Cache |> Cache.getMany<int> [ "ford2"; "arthur2" ] |> run) Map.empty "default"
              let v2 = f.Cache |> Cache.atVersion 2 |> Cache.getMany<int> [ "ford2"; "arthur2" ] |> run
              Expect.equal v2 (Map [ "ford2", 37; "arthur2", 42 ]) "version 2")

          case "incr_version moves the value to the next version" (fun f ->
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer" 42 |> run
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.incrVersion "answer" |> run) (Ok 3) "new version"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer" |> run) None "v1"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer" |> run) None "v2 gone"
              Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<int> "answer" |> run) (Some 42) "v3"
              expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incrVersion "does_not_exist" |> run))

          caseWith "incr_version on a cache with version 2 moves to 3" (Policy.defaults |> Policy.version 2) (fun f ->
              f.Cache |> Cache.set "answer2" 42 |> run
              Expect.equal (f.Cache |> Cache.incrVersion "answer2" |> run) (Ok 3) "new version"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "v2 gone"
              Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "v3")

          case "incr_version by 0 is a caller mistake that leaves the entry alone" (fun f ->
              f.Cache |> Cache.set "answer" 42 |> run
              let e = throws<ArgumentException> (fun () -> f.Cache |> Cache.incrVersionBy 0 "answer" |> run |> ignore)
              Expect.stringStarts e.Message "Version delta must not be 0." "rule"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "still there")

          case "incr_version moves a stored null" (fun f ->
              f.Cache |> Cache.set<string> "null" null |> run
              Expect.equal (f.Cache |> Cache.incrVersion "null" |> run) (Ok 2) "moved"
              Expect.isFalse (f.Cache |> Cache.hasKey "null" |> run) "gone from v1"
              Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.hasKey "null" |> run) "stored at v2"
              Expect.isNull (f.Cache |> Cache.atVersion 2 |> Cache.getOr "default" "null" |> run) "still a null")

          case "decr_version moves the value to the previous version" (fun f ->
              f.Cache |> Cache.atVersion 2 |> Cache.set "answer" 42 |> run
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "answer" |> run) (Ok 1) "new version"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "at the default version"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer" |> run) None "v2 gone"
              expectKeyNotFound "does_not_exist" (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "does_not_exist" |> run)
              f.Cache |> Cache.atVersion 2 |> Cache.set<string> "null" null |> run
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "null" |> run) (Ok 1) "a stored null moves"
              Expect.isTrue (f.Cache |> Cache.hasKey "null" |> run) "at v1")

          caseWith "decr_version on a cache with version 2 moves to 1" (Policy.defaults |> Policy.version 2) (fun f ->
              f.Cache |> Cache.set "answer2" 42 |> run
              Expect.equal (f.Cache |> Cache.decrVersion "answer2" |> run) (Ok 1) "new version"
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "v2 gone"
              Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "v1")

          caseWith "a custom key function makes the stored key" (Policy.defaults |> Policy.keyFunction (fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}")) (fun f ->
              f.Cache |> Cache.set "answer1" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer1" |> run) (Some 42) "read back"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) None "another version"
              expectKeyProblem f f.Cache "a b" "CUSTOM--1-a b" (keyCharsWarning "CUSTOM--1-a b"))

          caseWith "keys that one custom key function maps together are one entry" (Policy.defaults |> Policy.keyFunction (fun key _ _ -> key.ToLowerInvariant())) (fun f ->
              f.Cache |> Cache.atVersion 1 |> Cache.set "Answer" 42 |> run
              Expect.equal (f.Cache |> Cache.atVersion 7 |> Cache.tryGet<int> "ANSWER" |> run) (Some 42) "same made key"
              Expect.isTrue (f.Cache |> Cache.atVersion 3 |> Cache.delete "answer" |> run) "deleted through the other spelling"
              Expect.isFalse (f.Cache |> Cache.hasKey "Answer" |> run) "gone") ]

    let getOrSet =
        let factoryOf (value: 'T) () = Threading.Tasks.Task.FromResult value
        [ case "get_or_set stores and returns the factory's value on a miss" (fun f ->
              Expect.equal (f.Cache |> Cache.tryGet<int> "projector" |> run) None "miss first"
              Expect.equal (f.Cache |> Cache.getOrSet "projector" (factoryOf 42) |> run) 42 "the factory's value"
              Expect.equal (f.Cache |> Cache.tryGet<int> "projector" |> run) (Some 42) "stored")

          case "get_or_set stores a null the factory returns, and serves it after" (fun f ->
              Expect.isNull (f.Cache |> Cache.getOrSet "null" (factoryOf (null: string)) |> run) "null returned"
              Expect.isNull (f.Cache |> Cache.getOr "default" "null" |> run) "the null was stored"
              Expect.isNull (f.Cache |> Cache.getOrSet "null" (factoryOf "other") |> run) "a stored null is a hit: the next factory does not run")

          case "get_or_set runs the factory only on a miss" (fun f ->
              let calls = ref 0
              let factory () = calls.Value <- calls.Value + 1; Threading.Tasks.Task.FromResult "value"
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
                  Threading.Tasks.Task.FromResult "default"
              Expect.equal (f.Cache |> Cache.getOrSet "key" racing |> run) "writer" "the writer wins"
              Expect.equal (f.Cache |> Cache.tryGet<string> "key" |> run) (Some "writer") "and stays") ]

    let serialization =
        if not caps.Serializes then []
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

    // Django's "stored None": a stored null, F# None or unit is a hit on every read path.
    let storedNone =
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
                  Threading.Tasks.Task.FromResult(None: int option)
              Expect.equal (f.Cache |> Cache.getOrSet "none" factory |> run) None "the factory's None"
              Expect.equal (f.Cache |> Cache.getOrSet "none" factory |> run) None "served from the cache"
              Expect.equal (f.Cache |> Cache.getOrSet "none" (fun () -> Threading.Tasks.Task.FromResult(Some 7)) |> run) None "a stored None wins over another factory"
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

    // F# values through the F# serializer (FunctionalCache.FSharp.Serialization) on every storing backend.
    let fsharpValues =
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

    testList backend.Name
        [ testList "basics" basics
          testList "stored None" storedNone
          testList "F# values" fsharpValues
          testList "incr and decr" counters
          testList "values" values
          testList "many keys" many
          testList "timeouts" timeouts
          testList "culling" culling
          testList "keys" keys
          testList "shared store" sharedStore
          testList "versions" versions
          testList "get_or_set" getOrSet
          testList "serialization" serialization ]

/// Django's section B for a backend given only by name and factory (each call of `make` owns its store).
let contract (name: string) (make: CacheContext -> CachePolicy -> ICache) : Test =
    contractFor
        { Name = name
          Open = fun () -> { Make = make; Close = ignore }
          Capabilities = { SharesNothingBetweenInstances = true; Serializes = true; Culls = true; RejectsBadKeys = false } }

[<Tests>]
let tests =
    testList "BaseCacheTests" [ contractFor locMemCopy; contractFor locMemReference ]
