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

let secs (n: float) = CacheTimeout.Seconds n
let advance (clock: FakeTimeProvider) (seconds: float) = clock.Advance(TimeSpan.FromSeconds seconds)

let get<'T> (c: ICache) (key: string) : 'T option = c.GetAsync<'T>(key) |> run |> toOption
let getV<'T> (c: ICache) (version: int) (key: string) : 'T option = c.GetAsync<'T>(key, version) |> run |> toOption
let set<'T> (c: ICache) (key: string) (value: 'T) = c.SetAsync(key, value) |> runUnit
let setFor<'T> (c: ICache) (timeout: CacheTimeout) (key: string) (value: 'T) = c.SetAsync(key, value, timeout) |> runUnit
let setV<'T> (c: ICache) (version: int) (key: string) (value: 'T) = c.SetAsync(key, value, version = version) |> runUnit
let add<'T> (c: ICache) (key: string) (value: 'T) = c.AddAsync(key, value) |> run
let hasKey (c: ICache) (key: string) = c.HasKeyAsync(key) |> run
let hasKeyV (c: ICache) (version: int) (key: string) = c.HasKeyAsync(key, version) |> run
let delete (c: ICache) (key: string) = c.DeleteAsync(key) |> run
let incr (c: ICache) (key: string) (delta: int64) = c.IncrementAsync(key, delta) |> run |> toResult
let decr (c: ICache) (key: string) (delta: int64) = c.DecrementAsync(key, delta) |> run |> toResult
let pairs (items: ('k * 'v) list) = items |> List.map KeyValuePair
let getMany<'T> (c: ICache) (keys: string seq) : Map<string, 'T> =
    c.GetManyAsync<'T>(keys) |> run |> Seq.map (fun (struct (k, v)) -> k, v) |> Map.ofSeq

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
    Expect.isTrue (e :? CacheError.KeyNotFound) $"a missing key is KeyNotFound, got {e.GetType().Name}"
    Expect.equal e.Message $"Key '{key}' not found" "Django's ValueError text"

let expectNotAnInteger (r: Result<'a, CacheError>) =
    let e = errorOf r
    Expect.isTrue (e :? CacheError.NotAnInteger) $"a non-integer is NotAnInteger, got {e.GetType().Name}"

let keyCharsWarning (madeKey: string) =
    $"Cache key contains characters that will cause errors if used with memcached: '{madeKey}'"

let keyLengthWarning (madeKey: string) =
    $"Cache key will cause errors if used with memcached: '{madeKey}' (longer than 250)"

/// Every public operation that touches a key, as Django's invalid-key tests list them (plus has_key).
let keyedOperations : (string * (ICache -> string -> unit)) list =
    [ "add", (fun c k -> c.AddAsync(k, "value") |> run |> ignore)
      "get", (fun c k -> c.GetAsync<string>(k) |> run |> ignore)
      "set", (fun c k -> c.SetAsync(k, "value") |> runUnit)
      "incr", (fun c k -> c.IncrementAsync(k) |> run |> ignore)
      "decr", (fun c k -> c.DecrementAsync(k) |> run |> ignore)
      "touch", (fun c k -> c.TouchAsync(k) |> run |> ignore)
      "delete", (fun c k -> c.DeleteAsync(k) |> run |> ignore)
      "has_key", (fun c k -> c.HasKeyAsync(k) |> run |> ignore)
      "get_many", (fun c k -> c.GetManyAsync<string>([ k ]) |> run |> ignore)
      "set_many", (fun c k -> c.SetManyAsync(pairs [ k, "value" ]) |> run |> ignore)
      "delete_many", (fun c k -> c.DeleteManyAsync([ k ]) |> runUnit) ]

// ---------------------------------------------------------------- values Django round-trips

/// A record, stored as JSON.
type Person = { Name: string; Age: int; Tags: string list }

/// A mutable class, stored as JSON through its properties.
type Pet() =
    member val Name = "" with get, set
    member val Legs = 0 with get, set

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
      /// The cache under test, with Django's default policy unless the case says otherwise.
      Cache: ICache }

let withFixture (backend: BackendUnderTest) (policy: CachePolicy) (body: Fixture -> unit) =
    let clock, log, context = testContext ()
    let store = backend.Open()
    try
        let make p = store.Make context p
        body { Clock = clock; Log = log; Context = context; Make = make; Cache = make policy }
    finally
        store.Close()

// ---------------------------------------------------------------- the contract

/// Django's section B for one backend.
let contractFor (backend: BackendUnderTest) : Test =
    let caps = backend.Capabilities
    let case name body = testCase name (fun () -> withFixture backend CachePolicy.Default body)
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
              set f.Cache "key" "value"
              Expect.equal (get<string> f.Cache "key") (Some "value") "get after set")

          case "a stored null is a hit: GetOrDefault returns the null and HasKey is true, but GetAsync reads None (deliberate: Option cannot carry null)" (fun f ->
              set<string> f.Cache "key_default_none" null
              Expect.isNull (f.Cache.GetOrDefaultAsync("key_default_none", "default") |> run) "the stored null, not the default"
              Expect.isTrue (hasKey f.Cache "key_default_none") "has_key sees a stored null"
              Expect.equal (get<string> f.Cache "key_default_none") None "GetAsync cannot tell a stored null from a miss")

          case "add stores only when the key is absent" (fun f ->
              Expect.isTrue (add f.Cache "addkey1" "value") "first add"
              Expect.isFalse (add f.Cache "addkey1" "newvalue") "second add"
              Expect.equal (get<string> f.Cache "addkey1") (Some "value") "the first value stays")

          case "a missing key reads None, or the default given" (fun f ->
              Expect.equal (get<string> f.Cache "does_not_exist") None "miss"
              Expect.equal (f.Cache.GetOrDefaultAsync("does_not_exist", "bang!") |> run) "bang!" "default")

          case "get_many returns the hits only, from a list or a lazy sequence" (fun f ->
              f.Cache.SetManyAsync(pairs [ "a", "a"; "b", "b"; "c", "c"; "d", "d" ]) |> run |> ignore
              Expect.equal (getMany<string> f.Cache [ "a"; "c"; "d" ]) (Map [ "a", "a"; "c", "c"; "d", "d" ]) "a c d"
              Expect.equal (getMany<string> f.Cache [ "a"; "b"; "e" ]) (Map [ "a", "a"; "b", "b" ]) "a b, e missing"
              let lazyKeys = seq { yield "a"; yield "b"; yield "e" }
              Expect.equal (getMany<string> f.Cache lazyKeys) (Map [ "a", "a"; "b", "b" ]) "an iterator works too")

          case "get_many leaves out a stored null, though has_key sees it (deliberate: LanguageExt's HashMap cannot hold null; Django returns {x: None, y: 1})" (fun f ->
              f.Cache.SetManyAsync(pairs [ "x", (null: string); "y", "1" ]) |> run |> ignore
              Expect.equal (getMany<string> f.Cache [ "x"; "y" ]) (Map [ "y", "1" ]) "only y"
              Expect.isTrue (hasKey f.Cache "x") "x is stored")

          case "delete removes one key and reports it" (fun f ->
              f.Cache.SetManyAsync(pairs [ "key1", "spam"; "key2", "eggs" ]) |> run |> ignore
              Expect.isTrue (delete f.Cache "key1") "deleted"
              Expect.equal (get<string> f.Cache "key1") None "key1 gone"
              Expect.equal (get<string> f.Cache "key2") (Some "eggs") "key2 stays")

          case "deleting a missing key reports false" (fun f ->
              Expect.isFalse (delete f.Cache "nonexistent_key") "nothing deleted")

          case "has_key is true for live keys, never-expiring keys and stored nulls" (fun f ->
              set f.Cache "hello1" "goodbye1"
              Expect.isTrue (hasKey f.Cache "hello1") "hello1"
              Expect.isFalse (hasKey f.Cache "goodbye1") "goodbye1"
              setFor f.Cache CacheTimeout.Never "no_expiry" "here"
              Expect.isTrue (hasKey f.Cache "no_expiry") "no_expiry"
              set<string> f.Cache "null" null
              Expect.isTrue (hasKey f.Cache "null") "null") ]

    let counters =
        [ case "incr adds to a stored integer and returns the new value" (fun f ->
              set f.Cache "answer" 41
              Expect.equal (incr f.Cache "answer" 1L) (Ok 42L) "incr"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "stored"
              Expect.equal (incr f.Cache "answer" 10L) (Ok 52L) "incr 10"
              Expect.equal (get<int> f.Cache "answer") (Some 52) "stored"
              Expect.equal (incr f.Cache "answer" -10L) (Ok 42L) "incr -10"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "stored")

          case "incr on a missing key is KeyNotFound with Django's message" (fun f ->
              expectKeyNotFound "does_not_exist" (incr f.Cache "does_not_exist" 1L)
              expectKeyNotFound "does_not_exist" (incr f.Cache "does_not_exist" -1L))

          case "incr on a stored null or a non-integer is NotAnInteger" (fun f ->
              set<string> f.Cache "null" null
              expectNotAnInteger (incr f.Cache "null" 1L)
              set f.Cache "text" "abc"
              expectNotAnInteger (incr f.Cache "text" 1L)
              Expect.equal (get<string> f.Cache "text") (Some "abc") "the value is untouched")

          case "incr past Int64.MaxValue is Overflow and leaves the value" (fun f ->
              set f.Cache "big" Int64.MaxValue
              let e = errorOf (incr f.Cache "big" 1L)
              Expect.isTrue (e :? CacheError.Overflow) "Overflow"
              Expect.equal e.Message "Incrementing key 'big' overflows its integer type" "message"
              Expect.equal (get<int64> f.Cache "big") (Some Int64.MaxValue) "unchanged"
              set f.Cache "small" Int64.MinValue
              Expect.isTrue (errorOf (decr f.Cache "small" 1L) :? CacheError.Overflow) "decr below MinValue")

          case "decr subtracts from a stored integer" (fun f ->
              set f.Cache "answer" 43
              Expect.equal (decr f.Cache "answer" 1L) (Ok 42L) "decr"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "stored"
              Expect.equal (decr f.Cache "answer" 10L) (Ok 32L) "decr 10"
              Expect.equal (decr f.Cache "answer" -10L) (Ok 42L) "decr -10"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "stored"
              expectKeyNotFound "does_not_exist" (decr f.Cache "does_not_exist" 1L)
              set<string> f.Cache "null" null
              expectNotAnInteger (decr f.Cache "null" 1L)) ]

    let values =
        [ case "strings, numbers, booleans, lists, maps, records, classes and bytes round-trip" (fun f ->
              set f.Cache "string" "this is a string"
              set f.Cache "int" 42
              set f.Cache "long" 4200000000L
              set f.Cache "bool" true
              set f.Cache "float" 1.5
              set f.Cache "list" [ 1; 2; 3; 4 ]
              set f.Cache "array" [| "a"; "b" |]
              set f.Cache "map" (Map [ "a", 1; "b", 2 ])
              let person = { Name = "Brian"; Age = 1979; Tags = [ "naughty"; "boy" ] }
              set f.Cache "record" person
              set f.Cache "class" (Pet(Name = "Rex", Legs = 4))
              set f.Cache "bytes" [| 0uy; 1uy; 255uy |]
              Expect.equal (get<string> f.Cache "string") (Some "this is a string") "string"
              Expect.equal (get<int> f.Cache "int") (Some 42) "int"
              Expect.equal (get<int64> f.Cache "long") (Some 4200000000L) "long"
              Expect.equal (get<bool> f.Cache "bool") (Some true) "bool"
              Expect.equal (get<float> f.Cache "float") (Some 1.5) "float"
              Expect.equal (get<int list> f.Cache "list") (Some [ 1; 2; 3; 4 ]) "list"
              Expect.equal (get<string[]> f.Cache "array") (Some [| "a"; "b" |]) "array"
              Expect.equal (get<Map<string, int>> f.Cache "map") (Some(Map [ "a", 1; "b", 2 ])) "map"
              Expect.equal (get<Person> f.Cache "record") (Some person) "record"
              let pet = get<Pet> f.Cache "class" |> Option.get
              Expect.equal (pet.Name, pet.Legs) ("Rex", 4) "class"
              Expect.equal (get<byte[]> f.Cache "bytes") (Some [| 0uy; 1uy; 255uy |]) "bytes")

          case "unicode keys and values round-trip through set, add and set_many" (fun f ->
              let stuff =
                  [ "ascii", "ascii_value"
                    "unicode_ascii", "Iñtërnâtiônàlizætiøn1"
                    "Iñtërnâtiônàlizætiøn", "Iñtërnâtiônàlizætiøn2"
                    "ascii2", "{'x' : 1 }" ]
              for key, value in stuff do
                  set f.Cache key value
                  Expect.equal (get<string> f.Cache key) (Some value) $"set {key}"
              for key, value in stuff do
                  delete f.Cache key |> ignore
                  Expect.isTrue (add f.Cache key value) $"add {key}"
                  Expect.equal (get<string> f.Cache key) (Some value) $"add {key}"
              for key, _ in stuff do delete f.Cache key |> ignore
              f.Cache.SetManyAsync(pairs stuff) |> run |> ignore
              for key, value in stuff do
                  Expect.equal (get<string> f.Cache key) (Some value) $"set_many {key}")

          case "compressed binary data round-trips through set, add and set_many" (fun f ->
              let compressed = zlib "value_to_be_compressed"
              set f.Cache "binary1" compressed
              Expect.equal (get<byte[]> f.Cache "binary1" |> Option.map unzlib) (Some "value_to_be_compressed") "set"
              Expect.isTrue (add f.Cache "binary1-add" compressed) "add"
              Expect.equal (get<byte[]> f.Cache "binary1-add" |> Option.map unzlib) (Some "value_to_be_compressed") "add"
              f.Cache.SetManyAsync(pairs [ "binary1-set_many", compressed ]) |> run |> ignore
              Expect.equal (get<byte[]> f.Cache "binary1-set_many" |> Option.map unzlib) (Some "value_to_be_compressed") "set_many") ]

    let many =
        [ case "set_many stores every pair and returns no failed keys" (fun f ->
              let failed = f.Cache.SetManyAsync(pairs [ "key1", "spam"; "key2", "eggs" ]) |> run
              Expect.isEmpty failed "no failures"
              Expect.equal (get<string> f.Cache "key1") (Some "spam") "key1"
              Expect.equal (get<string> f.Cache "key2") (Some "eggs") "key2")

          case "set_many of nothing returns no failed keys" (fun f ->
              Expect.isEmpty (f.Cache.SetManyAsync(pairs ([]: (string * string) list)) |> run) "empty")

          case "set_many with a timeout expires every pair" (fun f ->
              f.Cache.SetManyAsync(pairs [ "key1", "spam"; "key2", "eggs" ], secs 1.0) |> run |> ignore
              advance f.Clock 2.0
              Expect.equal (get<string> f.Cache "key1") None "key1"
              Expect.equal (get<string> f.Cache "key2") None "key2")

          case "delete_many removes only the keys named, and accepts none" (fun f ->
              f.Cache.SetManyAsync(pairs [ "key1", "spam"; "key2", "eggs"; "key3", "ham" ]) |> run |> ignore
              f.Cache.DeleteManyAsync([ "key1"; "key2" ]) |> runUnit
              Expect.equal (get<string> f.Cache "key1") None "key1"
              Expect.equal (get<string> f.Cache "key2") None "key2"
              Expect.equal (get<string> f.Cache "key3") (Some "ham") "key3"
              f.Cache.DeleteManyAsync([]) |> runUnit)

          case "clear removes everything" (fun f ->
              f.Cache.SetManyAsync(pairs [ "key1", "spam"; "key2", "eggs" ]) |> run |> ignore
              f.Cache.ClearAsync() |> runUnit
              Expect.equal (get<string> f.Cache "key1") None "key1"
              Expect.equal (get<string> f.Cache "key2") None "key2") ]

    let timeouts =
        [ case "entries expire at their deadline: visible just before, gone from it on" (fun f ->
              setFor f.Cache (secs 1.0) "expire1" "very quickly"
              setFor f.Cache (secs 1.0) "expire2" "very quickly"
              setFor f.Cache (secs 1.0) "expire3" "very quickly"
              f.Clock.Advance(TimeSpan.FromSeconds 1.0 - TimeSpan.FromTicks 1L)
              Expect.equal (get<string> f.Cache "expire1") (Some "very quickly") "one tick before the deadline"
              f.Clock.Advance(TimeSpan.FromTicks 1L)
              Expect.equal (get<string> f.Cache "expire1") None "at the deadline"
              advance f.Clock 1.0
              Expect.isTrue (add f.Cache "expire2" "newvalue") "add over an expired entry"
              Expect.equal (get<string> f.Cache "expire2") (Some "newvalue") "the new value"
              Expect.isFalse (hasKey f.Cache "expire3") "expired")

          case "touch gives a live entry a new timeout, the default when none is given" (fun f ->
              setFor f.Cache (secs 1.0) "expire1" "very quickly"
              Expect.isTrue (f.Cache.TouchAsync("expire1", secs 4.0) |> run) "touched"
              advance f.Clock 2.0
              Expect.isTrue (hasKey f.Cache "expire1") "still there after 2 s"
              advance f.Clock 3.0
              Expect.isFalse (hasKey f.Cache "expire1") "gone after 5 s"
              setFor f.Cache (secs 1.0) "expire1" "very quickly"
              Expect.isTrue (f.Cache.TouchAsync("expire1") |> run) "touched with the default"
              advance f.Clock 2.0
              Expect.isTrue (hasKey f.Cache "expire1") "the default timeout (300 s) applies"
              Expect.isFalse (f.Cache.TouchAsync("nonexistent") |> run) "a missing key is not touched")

          case "a timeout over 30 days works for set, add and set_many" (fun f ->
              let long = secs 2592001.0
              setFor f.Cache long "key1" "eggs"
              Expect.equal (get<string> f.Cache "key1") (Some "eggs") "set"
              Expect.isTrue (f.Cache.AddAsync("key2", "ham", long) |> run) "add"
              Expect.equal (get<string> f.Cache "key2") (Some "ham") "add"
              f.Cache.SetManyAsync(pairs [ "key3", "sausage"; "key4", "lobster bisque" ], long) |> run |> ignore
              Expect.equal (get<string> f.Cache "key3") (Some "sausage") "set_many"
              advance f.Clock 2592000.0
              Expect.equal (get<string> f.Cache "key4") (Some "lobster bisque") "30 days later"
              advance f.Clock 1.0
              Expect.equal (get<string> f.Cache "key4") None "30 days and 1 s later")

          case "Never keeps entries forever, and touch with Never makes an entry permanent" (fun f ->
              setFor f.Cache CacheTimeout.Never "key1" "eggs"
              Expect.isTrue (f.Cache.AddAsync("key2", "ham", CacheTimeout.Never) |> run) "add"
              Expect.isFalse (f.Cache.AddAsync("key1", "new eggs", CacheTimeout.Never) |> run) "add over a live key"
              f.Cache.SetManyAsync(pairs [ "key3", "sausage"; "key4", "lobster bisque" ], CacheTimeout.Never) |> run |> ignore
              setFor f.Cache (secs 1.0) "key5" "belgian fries"
              Expect.isTrue (f.Cache.TouchAsync("key5", CacheTimeout.Never) |> run) "touch to Never"
              f.Clock.Advance(TimeSpan.FromDays 36500.0)
              for key, value in [ "key1", "eggs"; "key2", "ham"; "key3", "sausage"; "key4", "lobster bisque"; "key5", "belgian fries" ] do
                  Expect.equal (get<string> f.Cache key) (Some value) $"{key} after a century")

          case "a zero timeout stores nothing and touch with zero expires the entry" (fun f ->
              setFor f.Cache (secs 0.0) "key1" "eggs"
              Expect.equal (get<string> f.Cache "key1") None "set"
              Expect.isTrue (f.Cache.AddAsync("key2", "ham", secs 0.0) |> run) "add reports success"
              Expect.equal (get<string> f.Cache "key2") None "but stores nothing"
              f.Cache.SetManyAsync(pairs [ "key3", "sausage"; "key4", "lobster bisque" ], secs 0.0) |> run |> ignore
              Expect.equal (get<string> f.Cache "key3") None "set_many"
              setFor f.Cache (secs 5.0) "key5" "belgian fries"
              Expect.isTrue (f.Cache.TouchAsync("key5", secs 0.0) |> run) "touch reports success"
              Expect.equal (get<string> f.Cache "key5") None "and expires it")

          case "a zero timeout on set removes a live entry" (fun f ->
              set f.Cache "key1" "eggs"
              setFor f.Cache (secs 0.0) "key1" "spam"
              Expect.isFalse (hasKey f.Cache "key1") "removed")

          case "a fractional timeout keeps its fraction" (fun f ->
              setFor f.Cache (secs 100.2) "key1" "spam"
              Expect.equal (get<string> f.Cache "key1") (Some "spam") "set"
              advance f.Clock 100.1
              Expect.equal (get<string> f.Cache "key1") (Some "spam") "at 100.1 s"
              advance f.Clock 0.1
              Expect.equal (get<string> f.Cache "key1") None "at 100.2 s") ]

    let culling =
        if not caps.Culls then []
        else
            let writeFortyNine (cache: ICache) =
                for i in 1..49 do setFor cache (secs 1000.0) $"cull{i}" "value"
                [ 1..49 ] |> List.filter (fun i -> hasKey cache $"cull{i}") |> List.length
            [ caseWith "a full cache culls a third: 49 writes with MaxEntries 30 leave 29" (CachePolicy.Default.WithMaxEntries 30) (fun f ->
                  Expect.equal (writeFortyNine f.Cache) 29 "remaining")
              caseWith "CullFrequency 0 empties a full cache: 49 writes with MaxEntries 30 leave 19" (CachePolicy.Default.WithMaxEntries(30).WithCullFrequency 0) (fun f ->
                  Expect.equal (writeFortyNine f.Cache) 19 "remaining")
              caseWith "culling never removes the entry being written (MaxEntries 1)" (CachePolicy.Default.WithMaxEntries 1) (fun f ->
                  set f.Cache "first" "value"
                  set f.Cache "force_cull_delete" "value"
                  Expect.isTrue (hasKey f.Cache "force_cull_delete") "the new key"
                  Expect.isFalse (hasKey f.Cache "first") "the old key was culled") ]

    let keys =
        let identity = KeyFunction(fun key _ _ -> key)
        [ caseWith "a key with spaces or control characters warns on every operation, naming the made key" (CachePolicy.Default.WithKeyFunction identity) (fun f ->
              let key = "key with spaces and 清"
              expectKeyProblem f f.Cache key key (keyCharsWarning key))

          caseWith "a made key over 250 characters warns on every operation" (CachePolicy.Default.WithKeyFunction identity) (fun f ->
              let key = String('a', 250) + "清"
              expectKeyProblem f f.Cache key key (keyLengthWarning key))

          caseWith "the length rule applies to the made key, version suffix included" (CachePolicy.Default.WithKeyFunction(KeyFunction(fun key _ _ -> key + ":1"))) (fun f ->
              let key = String('a', 249)
              expectKeyProblem f f.Cache key (key + ":1") (keyLengthWarning (key + ":1")))

          case "the default made key is what the warning names" (fun f ->
              expectKeyProblem f f.Cache "key with spaces" ":1:key with spaces" (keyCharsWarning ":1:key with spaces")
              let key = String('a', 248)
              expectKeyProblem f f.Cache key (":1:" + key) (keyLengthWarning (":1:" + key)))

          caseWith "the key prefix reaches the made key" (CachePolicy.Default.WithKeyPrefix "site1") (fun f ->
              expectKeyProblem f f.Cache "key with spaces" "site1:1:key with spaces" (keyCharsWarning "site1:1:key with spaces")
              set f.Cache "somekey" "value"
              Expect.equal (get<string> f.Cache "somekey") (Some "value") "a prefixed cache stores normally")

          case "a good key logs nothing" (fun f ->
              set f.Cache "good" "value"
              get<string> f.Cache "good" |> ignore
              Expect.isEmpty f.Log.Messages "no warnings") ]

    let sharedStore =
        if caps.SharesNothingBetweenInstances then []
        else
            [ case "caches with different prefixes on one store do not see each other" (fun f ->
                  let prefixed = f.Make(CachePolicy.Default.WithKeyPrefix "cacheprefix")
                  set f.Cache "somekey" "value"
                  Expect.isFalse (hasKey prefixed "somekey") "the prefixed cache misses"
                  set prefixed "somekey" "value2"
                  Expect.equal (get<string> f.Cache "somekey") (Some "value") "default"
                  Expect.equal (get<string> prefixed "somekey") (Some "value2") "prefixed")
              case "a cache with version 2 on one store reads version 1 only when asked" (fun f ->
                  let v2 = f.Make(CachePolicy.Default.WithVersion 2)
                  set f.Cache "answer1" 42
                  Expect.equal (get<int> v2 "answer1") None "v2 default"
                  Expect.equal (getV<int> v2 1 "answer1") (Some 42) "v2 version 1"
                  set v2 "answer3" 42
                  Expect.equal (get<int> f.Cache "answer3") None "default"
                  Expect.equal (getV<int> f.Cache 2 "answer3") (Some 42) "version 2")
              case "caches with one custom key function see each other, the default one does not" (fun f ->
                  let custom () = f.Make(CachePolicy.Default.WithKeyFunction(KeyFunction(fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}")))
                  let custom1, custom2 = custom (), custom ()
                  set f.Cache "answer1" 42
                  Expect.equal (get<int> custom1 "answer1") None "custom misses the default's key"
                  set custom1 "answer2" 42
                  Expect.equal (get<int> f.Cache "answer2") None "default misses the custom key"
                  Expect.equal (get<int> custom2 "answer2") (Some 42) "the other custom cache hits") ]

    let versions =
        [ case "get and set address one version at a time" (fun f ->
              set f.Cache "answer1" 42
              Expect.equal (get<int> f.Cache "answer1") (Some 42) "default"
              Expect.equal (getV<int> f.Cache 1 "answer1") (Some 42) "version 1"
              Expect.equal (getV<int> f.Cache 2 "answer1") None "version 2"
              setV f.Cache 2 "answer2" 42
              Expect.equal (get<int> f.Cache "answer2") None "default"
              Expect.equal (getV<int> f.Cache 1 "answer2") None "version 1"
              Expect.equal (getV<int> f.Cache 2 "answer2") (Some 42) "version 2")

          caseWith "a cache whose policy version is 2 uses it by default and version 1 when asked" (CachePolicy.Default.WithVersion 2) (fun f ->
              set f.Cache "answer3" 42
              Expect.equal (get<int> f.Cache "answer3") (Some 42) "default"
              Expect.equal (getV<int> f.Cache 1 "answer3") None "version 1"
              Expect.equal (getV<int> f.Cache 2 "answer3") (Some 42) "version 2"
              setV f.Cache 1 "answer4" 42
              Expect.equal (get<int> f.Cache "answer4") None "default"
              Expect.equal (getV<int> f.Cache 1 "answer4") (Some 42) "version 1")

          case "add is independent per version" (fun f ->
              Expect.isTrue (f.Cache.AddAsync("answer1", 42, version = 2) |> run) "add v2"
              Expect.equal (getV<int> f.Cache 2 "answer1") (Some 42) "v2"
              Expect.isFalse (f.Cache.AddAsync("answer1", 37, version = 2) |> run) "add v2 again"
              Expect.equal (getV<int> f.Cache 2 "answer1") (Some 42) "v2 kept"
              Expect.isTrue (f.Cache.AddAsync("answer1", 37, version = 1) |> run) "add v1"
              Expect.equal (getV<int> f.Cache 1 "answer1") (Some 37) "v1"
              Expect.equal (getV<int> f.Cache 2 "answer1") (Some 42) "v2 still")

          case "has_key looks at one version" (fun f ->
              set f.Cache "answer1" 42
              Expect.isTrue (hasKey f.Cache "answer1") "default"
              Expect.isTrue (hasKeyV f.Cache 1 "answer1") "version 1"
              Expect.isFalse (hasKeyV f.Cache 2 "answer1") "version 2")

          case "delete removes one version only" (fun f ->
              setV f.Cache 1 "answer1" 37
              setV f.Cache 2 "answer1" 42
              Expect.isTrue (delete f.Cache "answer1") "delete default"
              Expect.equal (getV<int> f.Cache 1 "answer1") None "v1 gone"
              Expect.equal (getV<int> f.Cache 2 "answer1") (Some 42) "v2 stays"
              setV f.Cache 1 "answer2" 37
              setV f.Cache 2 "answer2" 42
              Expect.isTrue (f.Cache.DeleteAsync("answer2", version = 2) |> run) "delete v2"
              Expect.equal (getV<int> f.Cache 1 "answer2") (Some 37) "v1 stays"
              Expect.equal (getV<int> f.Cache 2 "answer2") None "v2 gone")

          case "incr and decr change one version only" (fun f ->
              setV f.Cache 1 "answer1" 37
              setV f.Cache 2 "answer1" 42
              Expect.equal (incr f.Cache "answer1" 1L) (Ok 38L) "incr default"
              Expect.equal (getV<int> f.Cache 2 "answer1") (Some 42) "v2 untouched"
              Expect.equal (decr f.Cache "answer1" 1L) (Ok 37L) "decr default"
              Expect.equal (f.Cache.IncrementAsync("answer1", version = 2) |> run |> toResult) (Ok 43L) "incr v2"
              Expect.equal (getV<int> f.Cache 1 "answer1") (Some 37) "v1 untouched"
              Expect.equal (f.Cache.DecrementAsync("answer1", version = 2) |> run |> toResult) (Ok 42L) "decr v2")

          case "get_many and set_many follow the version rules" (fun f ->
              f.Cache.SetManyAsync(pairs [ "ford1", 37; "arthur1", 42 ]) |> run |> ignore
              Expect.equal (getMany<int> f.Cache [ "ford1"; "arthur1" ]) (Map [ "ford1", 37; "arthur1", 42 ]) "default"
              Expect.equal (f.Cache.GetManyAsync<int>([ "ford1"; "arthur1" ], version = 2) |> run |> Seq.length) 0 "version 2"
              f.Cache.SetManyAsync(pairs [ "ford2", 37; "arthur2", 42 ], version = 2) |> run |> ignore
              Expect.equal (getMany<int> f.Cache [ "ford2"; "arthur2" ]) Map.empty "default"
              let v2 = f.Cache.GetManyAsync<int>([ "ford2"; "arthur2" ], version = 2) |> run |> Seq.map (fun (struct (k, v)) -> k, v) |> Map.ofSeq
              Expect.equal v2 (Map [ "ford2", 37; "arthur2", 42 ]) "version 2")

          case "incr_version moves the value to the next version" (fun f ->
              setV f.Cache 2 "answer" 42
              Expect.equal (f.Cache.IncrementVersionAsync("answer", version = 2) |> run |> toResult) (Ok 3) "new version"
              Expect.equal (getV<int> f.Cache 1 "answer") None "v1"
              Expect.equal (getV<int> f.Cache 2 "answer") None "v2 gone"
              Expect.equal (getV<int> f.Cache 3 "answer") (Some 42) "v3"
              expectKeyNotFound "does_not_exist" (f.Cache.IncrementVersionAsync("does_not_exist") |> run |> toResult))

          caseWith "incr_version on a cache with version 2 moves to 3" (CachePolicy.Default.WithVersion 2) (fun f ->
              set f.Cache "answer2" 42
              Expect.equal (f.Cache.IncrementVersionAsync("answer2") |> run |> toResult) (Ok 3) "new version"
              Expect.equal (get<int> f.Cache "answer2") None "v2 gone"
              Expect.equal (getV<int> f.Cache 3 "answer2") (Some 42) "v3")

          case "incr_version by 0 is a caller mistake that leaves the entry alone" (fun f ->
              set f.Cache "answer" 42
              let e = throws<ArgumentException> (fun () -> f.Cache.IncrementVersionAsync("answer", 0) |> run |> ignore)
              Expect.stringStarts e.Message "Version delta must not be 0." "rule"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "still there")

          case "incr_version moves a stored null" (fun f ->
              set<string> f.Cache "null" null
              Expect.equal (f.Cache.IncrementVersionAsync("null") |> run |> toResult) (Ok 2) "moved"
              Expect.isFalse (hasKey f.Cache "null") "gone from v1"
              Expect.isTrue (hasKeyV f.Cache 2 "null") "stored at v2"
              Expect.isNull (f.Cache.GetOrDefaultAsync("null", "default", version = 2) |> run) "still a null")

          case "decr_version moves the value to the previous version" (fun f ->
              setV f.Cache 2 "answer" 42
              Expect.equal (f.Cache.DecrementVersionAsync("answer", version = 2) |> run |> toResult) (Ok 1) "new version"
              Expect.equal (get<int> f.Cache "answer") (Some 42) "at the default version"
              Expect.equal (getV<int> f.Cache 2 "answer") None "v2 gone"
              expectKeyNotFound "does_not_exist" (f.Cache.DecrementVersionAsync("does_not_exist", version = 2) |> run |> toResult)
              setV<string> f.Cache 2 "null" null
              Expect.equal (f.Cache.DecrementVersionAsync("null", version = 2) |> run |> toResult) (Ok 1) "a stored null moves"
              Expect.isTrue (hasKey f.Cache "null") "at v1")

          caseWith "decr_version on a cache with version 2 moves to 1" (CachePolicy.Default.WithVersion 2) (fun f ->
              set f.Cache "answer2" 42
              Expect.equal (f.Cache.DecrementVersionAsync("answer2") |> run |> toResult) (Ok 1) "new version"
              Expect.equal (get<int> f.Cache "answer2") None "v2 gone"
              Expect.equal (getV<int> f.Cache 1 "answer2") (Some 42) "v1")

          caseWith "a custom key function makes the stored key" (CachePolicy.Default.WithKeyFunction(KeyFunction(fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}"))) (fun f ->
              set f.Cache "answer1" 42
              Expect.equal (get<int> f.Cache "answer1") (Some 42) "read back"
              Expect.equal (getV<int> f.Cache 2 "answer1") None "another version"
              expectKeyProblem f f.Cache "a b" "CUSTOM--1-a b" (keyCharsWarning "CUSTOM--1-a b"))

          caseWith "keys that one custom key function maps together are one entry" (CachePolicy.Default.WithKeyFunction(KeyFunction(fun key _ _ -> key.ToLowerInvariant()))) (fun f ->
              setV f.Cache 1 "Answer" 42
              Expect.equal (getV<int> f.Cache 7 "ANSWER") (Some 42) "same made key"
              Expect.isTrue (f.Cache.DeleteAsync("answer", version = 3) |> run) "deleted through the other spelling"
              Expect.isFalse (hasKey f.Cache "Answer") "gone") ]

    let getOrSet =
        let factoryOf (value: 'T) = Func<Threading.CancellationToken, Threading.Tasks.Task<'T>>(fun _ -> Threading.Tasks.Task.FromResult value)
        [ case "get_or_set stores and returns the factory's value on a miss" (fun f ->
              Expect.equal (get<int> f.Cache "projector") None "miss first"
              Expect.equal (f.Cache.GetOrSetAsync("projector", factoryOf 42) |> run) 42 "the factory's value"
              Expect.equal (get<int> f.Cache "projector") (Some 42) "stored")

          case "get_or_set stores a null the factory returns" (fun f ->
              Expect.isNull (f.Cache.GetOrSetAsync("null", factoryOf (null: string)) |> run) "null returned"
              Expect.isNull (f.Cache.GetOrDefaultAsync("null", "default") |> run) "the null was stored")

          case "get_or_set runs the factory only on a miss" (fun f ->
              let calls = ref 0
              let factory = Func<Threading.CancellationToken, Threading.Tasks.Task<string>>(fun _ -> calls.Value <- calls.Value + 1; Threading.Tasks.Task.FromResult "value")
              Expect.equal (f.Cache.GetOrSetAsync("mykey", factory) |> run) "value" "first"
              Expect.equal (f.Cache.GetOrSetAsync("mykey", factoryOf "other") |> run) "value" "the stored value wins"
              Expect.equal (f.Cache.GetOrSetAsync("mykey", factory) |> run) "value" "again"
              Expect.equal calls.Value 1 "the factory ran once")

          case "get_or_set addresses one version" (fun f ->
              Expect.equal (f.Cache.GetOrSetAsync("brian", factoryOf 1979, version = 2) |> run) 1979 "v2"
              Expect.equal (getV<int> f.Cache 1 "brian") None "v1 empty"
              Expect.equal (f.Cache.GetOrSetAsync("brian", factoryOf 42, version = 1) |> run) 42 "v1"
              Expect.equal (f.Cache.GetOrSetAsync("brian", factoryOf 7, version = 2) |> run) 1979 "v2 kept"
              Expect.equal (getV<int> f.Cache 3 "brian") None "v3 empty")

          case "get_or_set returns a racing writer's value" (fun f ->
              let racing =
                  Func<Threading.CancellationToken, Threading.Tasks.Task<string>>(fun _ ->
                      set f.Cache "key" "writer"
                      Threading.Tasks.Task.FromResult "default")
              Expect.equal (f.Cache.GetOrSetAsync("key", racing) |> run) "writer" "the writer wins"
              Expect.equal (get<string> f.Cache "key") (Some "writer") "and stays") ]

    let serialization =
        if not caps.Serializes then []
        else
            [ case "a value System.Text.Json cannot serialize fails set and add with CacheSerializationException" (fun f ->
                  let loop = Loop()
                  loop.Next <- loop
                  throws<CacheSerializationException> (fun () -> set f.Cache "loop" loop) |> ignore
                  throws<CacheSerializationException> (fun () -> add f.Cache "loop" loop |> ignore) |> ignore
                  Expect.isFalse (hasKey f.Cache "loop") "nothing stored")
              case "reading stored bytes as the wrong type fails with CacheSerializationException" (fun f ->
                  set f.Cache "text" "not a number"
                  throws<CacheSerializationException> (fun () -> get<int> f.Cache "text" |> ignore) |> ignore) ]

    testList backend.Name
        [ testList "basics" basics
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
