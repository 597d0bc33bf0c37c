/// Django's locmem-specific cases (reference/django-tests.md section C) and our copy/reference stores.
module Backends.LocMemTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open Backends.BaseCacheTests

let private locMem (context: CacheContext) (policy: CachePolicy) = LocMemCache(policy, context)

/// A serializer that, while it works, has another thread write to the same cache: if the cache held
/// its lock during serialization, that write would block and the probe would time out.
type private ProbingSerializer() =
    let mutable cache: ISyncCache = Unchecked.defaultof<_>
    let mutable probes = 0
    member _.Attach(c: ISyncCache) = cache <- c
    member _.Probes = probes
    member private _.Probe() =
        let write = Task.Run(fun () -> cache.Set("probe", "written while serializing"))
        if not (write.Wait(TimeSpan.FromSeconds 10.0)) then failtest "a write blocked while a value was being serialized"
        probes <- probes + 1
    interface ICacheSerializer with
        member this.Serialize<'T>(value: 'T) =
            if box value = box "pickle me" then this.Probe()
            JsonCacheSerializer.Instance.Serialize value
        member this.Deserialize<'T>(payload: ReadOnlySpan<byte>) =
            let value = JsonCacheSerializer.Instance.Deserialize<'T> payload
            if box value = box "pickle me" then this.Probe()
            value

[<Tests>]
let tests =
    testList "LocMemTests" [
        testCase "two instances do not share entries" <| fun () ->
            let _, _, context = testContext ()
            let first, other = locMem context CachePolicy.Default, locMem context CachePolicy.Default
            set first "value" 42
            Expect.equal (get<int> first "value") (Some 42) "default"
            Expect.equal (get<int> other "value") None "other"

        testCase "values are serialized and deserialized outside the cache's lock (set, add and get)" <| fun () ->
            let clock, log, _ = testContext ()
            let serializer = ProbingSerializer()
            let cache = LocMemCache(CachePolicy.Default, CacheContext(clock, log, serializer))
            serializer.Attach cache
            cache.Set("set", "pickle me")
            Expect.isTrue (cache.Add("add", "pickle me")) "add"
            Expect.equal (cache.Get<string>("set") |> toOption) (Some "pickle me") "get"
            Expect.equal (get<string> cache "add") (Some "pickle me") "get async"
            Expect.equal serializer.Probes 4 "every probe ran"
            Expect.equal (cache.Get<string>("probe") |> toOption) (Some "written while serializing") "the probe's write landed"

        testCase "incr and decr keep the entry's expiry" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context CachePolicy.Default
            setFor cache (secs 3000.0) "key" 1
            Expect.equal (incr cache "key" 1L) (Ok 2L) "incr"
            advance clock 1500.0
            Expect.equal (decr cache "key" 1L) (Ok 1L) "decr"
            advance clock 1499.0
            Expect.equal (get<int> cache "key") (Some 1) "still there after 2999 s (the default is only 300 s)"
            advance clock 1.0
            Expect.equal (get<int> cache "key") None "gone at the original deadline"

        testCase "a read makes a key recently used: get 0..5 of 9, then set 9 culls 6, 7, 8" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (CachePolicy.Default.WithMaxEntries 9)
            for key in 0..8 do setFor cache CacheTimeout.Never (string key) key
            for key in 0..5 do Expect.equal (get<int> cache (string key)) (Some key) "read"
            setFor cache CacheTimeout.Never "9" 9
            for key in 0..5 do Expect.equal (get<int> cache (string key)) (Some key) $"{key} stays"
            for key in 6..8 do Expect.equal (get<int> cache (string key)) None $"{key} culled"
            Expect.equal (get<int> cache "9") (Some 9) "9 stored"

        testCase "a write makes a key recently used: re-set 3..8 of 9, then set 9 culls 0, 1, 2" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (CachePolicy.Default.WithMaxEntries 9)
            for key in 0..8 do setFor cache CacheTimeout.Never (string key) key
            for key in 3..8 do setFor cache CacheTimeout.Never (string key) key
            setFor cache CacheTimeout.Never "9" 9
            for key in 3..9 do Expect.equal (get<int> cache (string key)) (Some key) $"{key} stays"
            for key in 0..2 do Expect.equal (get<int> cache (string key)) None $"{key} culled"

        testCase "incr makes a key recently used: incr 0..5 of 9, then set 9 culls 6, 7, 8" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (CachePolicy.Default.WithMaxEntries 9)
            for key in 0..8 do setFor cache CacheTimeout.Never (string key) key
            for key in 0..5 do Expect.equal (incr cache (string key) 1L) (Ok(int64 key + 1L)) "incr"
            setFor cache CacheTimeout.Never "9" 9
            for key in 0..5 do Expect.equal (get<int> cache (string key)) (Some(key + 1)) $"{key} stays"
            for key in 6..8 do Expect.equal (get<int> cache (string key)) None $"{key} culled"
            Expect.equal (get<int> cache "9") (Some 9) "9 stored"

        testCase "has_key and touch do not make a key recently used" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (CachePolicy.Default.WithMaxEntries 3)
            for key in 0..2 do setFor cache CacheTimeout.Never (string key) key
            Expect.isTrue (hasKey cache "0") "has_key"
            Expect.isTrue (cache.TouchAsync("0", CacheTimeout.Never) |> run) "touch"
            setFor cache CacheTimeout.Never "3" 3
            Expect.isFalse (hasKey cache "0") "0 was still the least recently used"
            Expect.isTrue (hasKey cache "1") "1 stays"

        testCase "the copy store isolates the cache from later mutation of the value set or read" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(CachePolicy.Default, context, LocMemStore.Copy)
            let original = ResizeArray [ 1; 2; 3 ]
            cache.Set("list", original)
            original.Add 4
            let read = cache.Get<ResizeArray<int>>("list") |> toOption |> Option.get
            Expect.sequenceEqual read [ 1; 2; 3 ] "mutating after Set does not reach the cache"
            read.Add 5
            let again = get<ResizeArray<int>> cache "list" |> Option.get
            Expect.sequenceEqual again [ 1; 2; 3 ] "mutating after Get does not reach the cache"
            Expect.isFalse (obj.ReferenceEquals(read, again)) "each read is a new copy"

        testCase "the reference store returns the very instance that was set" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(CachePolicy.Default, context, LocMemStore.Reference)
            let original = ResizeArray [ 1; 2; 3 ]
            cache.Set("list", original)
            Expect.isTrue (obj.ReferenceEquals(cache.Get<ResizeArray<int>>("list") |> toOption |> Option.get, original)) "sync get"
            Expect.isTrue (obj.ReferenceEquals(get<ResizeArray<int>> cache "list" |> Option.get, original)) "async get"
            original.Add 4
            Expect.sequenceEqual (get<ResizeArray<int>> cache "list" |> Option.get) [ 1; 2; 3; 4 ] "so mutation shows (use it for immutable values)"

        testCase "a stored decimal string is a counter in both stores, as on every serializing backend" <| fun () ->
            for store in [ LocMemStore.Copy; LocMemStore.Reference ] do
                let _, _, context = testContext ()
                let cache = LocMemCache(CachePolicy.Default, context, store)
                cache.Set("hits", "41")
                Expect.equal (cache.Increment("hits") |> toResult) (Ok 42L) $"{store}: incremented"
                Expect.equal (cache.Get<string>("hits") |> toOption) (Some "42") $"{store}: still a string"
                cache.Set("word", "forty")
                Expect.equal (cache.Increment("word") |> toResult |> Result.mapError (fun e -> e.Message)) (Error "Value of key 'word' is not an integer") $"{store}: not a number"

        testCase "?store=reference through Caches.FromUri gives a reference store" <| fun () ->
            let cache = Caches.FromUri("locmem:///?store=reference") :?> LocMemCache
            Expect.equal cache.Store LocMemStore.Reference "store"
            let value = obj ()
            set cache "o" value
            Expect.isTrue (obj.ReferenceEquals(get<obj> cache "o" |> Option.get, value)) "same instance"
            Expect.equal (Caches.FromUri("locmem:///") :?> LocMemCache).Store LocMemStore.Copy "copy is the default"
            Expect.equal (Caches.FromUri("locmem:///?store=copy") :?> LocMemCache).Store LocMemStore.Copy "store=copy"

        testCase "the sync twins behave like the async operations" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context CachePolicy.Default :> ISyncCache
            cache.Set("key", "value")
            Expect.equal (cache.Get<string>("key") |> toOption) (get<string> cache "key") "get agrees"
            Expect.equal (cache.Get<string>("key") |> toOption) (Some "value") "get"
            Expect.isFalse (cache.Add("key", "other")) "add over a live key"
            Expect.isTrue (cache.Add("new", "value", secs 1.0)) "add"
            Expect.isTrue (cache.HasKey "new") "has_key"
            advance clock 1.0
            Expect.isFalse (cache.HasKey "new") "expired"
            Expect.isTrue (cache.Add("new", "again")) "add over an expired entry"
            Expect.equal (cache.Get<string>("missing") |> toOption) None "miss"
            cache.Set("answer", 41)
            Expect.equal (cache.Increment("answer") |> toResult) (Ok 42L) "increment"
            Expect.equal (cache.Increment("answer", -2L) |> toResult) (Ok 40L) "negative delta"
            Expect.equal (get<int> cache "answer") (Some 40) "async read of a sync increment"
            expectKeyNotFound "missing" (cache.Increment("missing") |> toResult)
            cache.Set("text", "abc")
            expectNotAnInteger (cache.Increment("text") |> toResult)
            cache.Set("v", "two", version = 2)
            Expect.equal (getV<string> cache 2 "v") (Some "two") "versions agree"
            Expect.isFalse (cache.HasKey "v") "default version"
            Expect.isTrue (cache.Delete("v", version = 2)) "delete"
            Expect.isFalse (cache.Delete("v", version = 2)) "delete again"
            cache.Set("zero", "value", secs 0.0)
            Expect.isFalse (cache.HasKey "zero") "a zero timeout stores nothing"
            cache.Set<string>("null", null)
            Expect.isTrue (cache.HasKey "null") "a stored null is a hit"
            Expect.equal (cache.Get<string>("null") |> toOption) None "and reads None, as GetAsync does"

        testCase "the sync twins warn about bad keys too" <| fun () ->
            let _, log, context = testContext ()
            let cache = locMem context CachePolicy.Default :> ISyncCache
            cache.Set("a b", 1)
            cache.Get<int>("a b") |> ignore
            Expect.equal log.Messages [ keyCharsWarning ":1:a b"; keyCharsWarning ":1:a b" ] "one warning each"

        testCase "the default timeout is 300 seconds" <| fun () ->
            let clock, _, context = testContext ()
            Expect.equal (LocMemCache().Policy.DefaultTimeout) (CacheTimeout.Seconds 300.0) "LocMemCache()"
            Expect.equal CachePolicy.Default.DefaultTimeout (CacheTimeout.Seconds 300.0) "CachePolicy.Default"
            let cache = locMem context CachePolicy.Default
            set cache "key" "value"
            advance clock 299.0
            Expect.isTrue (hasKey cache "key") "at 299 s"
            advance clock 1.0
            Expect.isFalse (hasKey cache "key") "at 300 s"

        testCase "a policy default of Never keeps entries set without a timeout" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context (CachePolicy.Default.WithDefaultTimeout CacheTimeout.Never)
            set cache "key" "value"
            setFor cache (secs 10.0) "short" "value"
            clock.Advance(TimeSpan.FromDays 36500.0)
            Expect.isTrue (hasKey cache "key") "still there"
            Expect.isFalse (hasKey cache "short") "an explicit timeout still applies"

        testCase "Count never exceeds MaxEntries" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(CachePolicy.Default.WithMaxEntries(5).WithCullFrequency 100, context)
            for i in 1..50 do
                set cache $"k{i}" i
                Expect.isLessThanOrEqual cache.Count 5 "after every write"
    ]
