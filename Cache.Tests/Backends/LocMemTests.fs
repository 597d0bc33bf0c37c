/// Django's locmem-specific cases (reference/django-tests.md section C) and our copy/reference stores.
module Backends.LocMemTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks
open Backends.BaseCacheTests

let private locMem (context: CacheContext) (policy: CachePolicy) = LocMemCache(policy, context)

// What the sync twins (ISyncCache, a C# convenience with no F# face) return, for comparisons.
let private hit (value: 'T) = LanguageExt.Prelude.SomeUnsafe value
let private miss<'T> = LanguageExt.OptionUnsafe<'T>.None
let private counted (n: int64) = LanguageExt.Either<CacheError, int64>.Right n
let private refused (e: CacheError) = LanguageExt.Either<CacheError, int64>.Left e

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
            let first, other = locMem context Policy.defaults, locMem context Policy.defaults
            first |> Cache.set "value" 42 |> run
            Expect.equal (first |> Cache.tryGet<int> "value" |> run) (Some 42) "default"
            Expect.equal (other |> Cache.tryGet<int> "value" |> run) None "other"

        testCase "values are serialized and deserialized outside the cache's lock (set, add and get)" <| fun () ->
            let clock, log, _ = testContext ()
            let serializer = ProbingSerializer()
            let cache = LocMemCache(Policy.defaults, CacheContext(clock, log, serializer))
            serializer.Attach cache
            cache.Set("set", "pickle me")
            Expect.isTrue (cache.Add("add", "pickle me")) "add"
            Expect.equal (cache.Get<string> "set") (hit "pickle me") "get"
            Expect.equal (cache |> Cache.tryGet<string> "add" |> run) (Some "pickle me") "get async"
            Expect.equal serializer.Probes 4 "every probe ran"
            Expect.equal (cache.Get<string> "probe") (hit "written while serializing") "the probe's write landed"

        testCase "incr and decr keep the entry's expiry" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context Policy.defaults
            cache |> Cache.setFor (Expire.seconds 3000.0) "key" 1 |> run
            Expect.equal (cache |> Cache.incr "key" |> run) (Ok 2L) "incr"
            advance clock 1500.0
            Expect.equal (cache |> Cache.decr "key" |> run) (Ok 1L) "decr"
            advance clock 1499.0
            Expect.equal (cache |> Cache.tryGet<int> "key" |> run) (Some 1) "still there after 2999 s (the default is only 300 s)"
            advance clock 1.0
            Expect.equal (cache |> Cache.tryGet<int> "key" |> run) None "gone at the original deadline"

        testCase "a read makes a key recently used: get 0..5 of 9, then set 9 culls 6, 7, 8" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.maxEntries 9)
            for key in 0..8 do cache |> Cache.setFor Expire.never (string key) key |> run
            for key in 0..5 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) (Some key) "read"
            cache |> Cache.setFor Expire.never "9" 9 |> run
            for key in 0..5 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) (Some key) $"{key} stays"
            for key in 6..8 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) None $"{key} culled"
            Expect.equal (cache |> Cache.tryGet<int> "9" |> run) (Some 9) "9 stored"

        testCase "a write makes a key recently used: re-set 3..8 of 9, then set 9 culls 0, 1, 2" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.maxEntries 9)
            for key in 0..8 do cache |> Cache.setFor Expire.never (string key) key |> run
            for key in 3..8 do cache |> Cache.setFor Expire.never (string key) key |> run
            cache |> Cache.setFor Expire.never "9" 9 |> run
            for key in 3..9 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) (Some key) $"{key} stays"
            for key in 0..2 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) None $"{key} culled"

        testCase "incr makes a key recently used: incr 0..5 of 9, then set 9 culls 6, 7, 8" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.maxEntries 9)
            for key in 0..8 do cache |> Cache.setFor Expire.never (string key) key |> run
            for key in 0..5 do Expect.equal (cache |> Cache.incr (string key) |> run) (Ok(int64 key + 1L)) "incr"
            cache |> Cache.setFor Expire.never "9" 9 |> run
            for key in 0..5 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) (Some(key + 1)) $"{key} stays"
            for key in 6..8 do Expect.equal (cache |> Cache.tryGet<int> (string key) |> run) None $"{key} culled"
            Expect.equal (cache |> Cache.tryGet<int> "9" |> run) (Some 9) "9 stored"

        testCase "has_key and touch do not make a key recently used" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.maxEntries 3)
            for key in 0..2 do cache |> Cache.setFor Expire.never (string key) key |> run
            Expect.isTrue (cache |> Cache.hasKey "0" |> run) "has_key"
            Expect.isTrue (cache |> Cache.touch Expire.never "0" |> run) "touch"
            cache |> Cache.setFor Expire.never "3" 3 |> run
            Expect.isFalse (cache |> Cache.hasKey "0" |> run) "0 was still the least recently used"
            Expect.isTrue (cache |> Cache.hasKey "1" |> run) "1 stays"

        testCase "the copy store isolates the cache from later mutation of the value set or read" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(Policy.defaults, context, LocMemStore.Copy)
            let original = ResizeArray [ 1; 2; 3 ]
            cache.Set("list", original)
            original.Add 4
            let read = cache.Get<ResizeArray<int>>("list").IfNoneUnsafe(fun () -> failtest "a hit")
            Expect.sequenceEqual read [ 1; 2; 3 ] "mutating after Set does not reach the cache"
            read.Add 5
            let again = cache |> Cache.tryGet<ResizeArray<int>> "list" |> run |> Option.get
            Expect.sequenceEqual again [ 1; 2; 3 ] "mutating after Get does not reach the cache"
            Expect.isFalse (obj.ReferenceEquals(read, again)) "each read is a new copy"

        testCase "the reference store returns the very instance that was set" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(Policy.defaults, context, LocMemStore.Reference)
            let original = ResizeArray [ 1; 2; 3 ]
            cache.Set("list", original)
            Expect.isTrue (obj.ReferenceEquals(cache.Get<ResizeArray<int>>("list").IfNoneUnsafe(fun () -> failtest "a hit"), original)) "sync get"
            Expect.isTrue (obj.ReferenceEquals(cache |> Cache.tryGet<ResizeArray<int>> "list" |> run |> Option.get, original)) "async get"
            original.Add 4
            Expect.sequenceEqual (cache |> Cache.tryGet<ResizeArray<int>> "list" |> run |> Option.get) [ 1; 2; 3; 4 ] "so mutation shows (use it for immutable values)"

        testCase "a stored decimal string is a counter in both stores, as on every serializing backend" <| fun () ->
            for store in [ LocMemStore.Copy; LocMemStore.Reference ] do
                let _, _, context = testContext ()
                let cache = LocMemCache(Policy.defaults, context, store)
                cache.Set("hits", "41")
                Expect.equal (cache.Increment "hits") (counted 42L) $"{store}: incremented"
                Expect.equal (cache.Get<string> "hits") (hit "42") $"{store}: still a string"
                cache.Set("word", "forty")
                Expect.equal (cache.Increment "word") (refused (CacheError.NotAnInteger "word")) $"{store}: not a number"

        testCase "?store=reference through Caches.FromUri gives a reference store" <| fun () ->
            let cache = Caches.FromUri("locmem:///?store=reference") :?> LocMemCache
            Expect.equal cache.Store LocMemStore.Reference "store"
            let value = obj ()
            cache |> Cache.set "o" value |> run
            Expect.isTrue (obj.ReferenceEquals(cache |> Cache.tryGet<obj> "o" |> run |> Option.get, value)) "same instance"
            Expect.equal (Caches.FromUri("locmem:///") :?> LocMemCache).Store LocMemStore.Copy "copy is the default"
            Expect.equal (Caches.FromUri("locmem:///?store=copy") :?> LocMemCache).Store LocMemStore.Copy "store=copy"

        testCase "the sync twins behave like the async operations" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context Policy.defaults :> ISyncCache
            cache.Set("key", "value")
            Expect.equal (cache.Get<string> "key") (hit "value") "get"
            Expect.equal (cache |> Cache.tryGet<string> "key" |> run) (Some "value") "get agrees"
            Expect.isFalse (cache.Add("key", "other")) "add over a live key"
            Expect.isTrue (cache.Add("new", "value", Expire.seconds 1.0)) "add"
            Expect.isTrue (cache.HasKey "new") "has_key"
            advance clock 1.0
            Expect.isFalse (cache.HasKey "new") "expired"
            Expect.isTrue (cache.Add("new", "again")) "add over an expired entry"
            Expect.equal (cache.Get<string> "missing") miss "miss"
            cache.Set("answer", 41)
            Expect.equal (cache.Increment "answer") (counted 42L) "increment"
            Expect.equal (cache.Increment("answer", -2L)) (counted 40L) "negative delta"
            Expect.equal (cache |> Cache.tryGet<int> "answer" |> run) (Some 40) "async read of a sync increment"
            Expect.equal (cache.Increment "missing") (refused (CacheError.KeyNotFound "missing")) "a missing key"
            cache.Set("text", "abc")
            Expect.equal (cache.Increment "text") (refused (CacheError.NotAnInteger "text")) "not an integer"
            cache.Set("v", "two", version = 2)
            Expect.equal (cache |> Cache.atVersion 2 |> Cache.tryGet<string> "v" |> run) (Some "two") "versions agree"
            Expect.isFalse (cache.HasKey "v") "default version"
            Expect.isTrue (cache.Delete("v", version = 2)) "delete"
            Expect.isFalse (cache.Delete("v", version = 2)) "delete again"
            cache.Set("zero", "value", Expire.seconds 0.0)
            Expect.isFalse (cache.HasKey "zero") "a zero timeout stores nothing"
            cache.Set<string>("null", null)
            Expect.isTrue (cache.HasKey "null") "a stored null is a hit"
            Expect.equal (cache.Get<string> "null") (hit null) "and reads Some null, as GetAsync does"
            Expect.equal (cache |> Cache.tryGet<string> "null" |> run) (Some null) "the F# read agrees"

        testCase "the sync twins warn about bad keys too" <| fun () ->
            let _, log, context = testContext ()
            let cache = locMem context Policy.defaults :> ISyncCache
            cache.Set("a b", 1)
            cache.Get<int>("a b") |> ignore
            Expect.equal log.Messages [ keyCharsWarning ":1:a b"; keyCharsWarning ":1:a b" ] "one warning each"

        testCase "the default timeout is 300 seconds" <| fun () ->
            let clock, _, context = testContext ()
            Expect.equal (LocMemCache().Policy.DefaultTimeout) (Expire.seconds 300.0) "LocMemCache()"
            Expect.equal Policy.defaults.DefaultTimeout (Expire.seconds 300.0) "Policy.defaults"
            let cache = locMem context Policy.defaults
            cache |> Cache.set "key" "value" |> run
            advance clock 299.0
            Expect.isTrue (cache |> Cache.hasKey "key" |> run) "at 299 s"
            advance clock 1.0
            Expect.isFalse (cache |> Cache.hasKey "key" |> run) "at 300 s"

        testCase "a policy default of Never keeps entries set without a timeout" <| fun () ->
            let clock, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.expire Expire.never)
            cache |> Cache.set "key" "value" |> run
            cache |> Cache.setFor (Expire.seconds 10.0) "short" "value" |> run
            clock.Advance(TimeSpan.FromDays 36500.0)
            Expect.isTrue (cache |> Cache.hasKey "key" |> run) "still there"
            Expect.isFalse (cache |> Cache.hasKey "short" |> run) "an explicit timeout still applies"

        testCase "touch keeps the recency of reads still in the thread's use log: read a, b, a again, touch a, then a new key culls b" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context (Policy.defaults |> Policy.maxEntries 2 |> Policy.cullFrequency 2)
            cache.Set("a", 1, CacheTimeout.Never)
            cache.Set("b", 2, CacheTimeout.Never)
            // The first read of each marks the entry itself; the second read of a goes only to this thread's log.
            for key in [ "a"; "b"; "a" ] do Expect.isTrue (cache.Get<int> key).IsSome $"{key} read"
            Expect.isTrue (cache |> Cache.touch Expire.never "a" |> run) "touch"
            cache.Set("c", 3, CacheTimeout.Never)
            Expect.equal ([ "a"; "b"; "c" ] |> List.filter (fun k -> cache.HasKey k)) [ "a"; "c" ] "b, read before a's last read, is culled"

        testCase "a hit of an entry already marked used writes only the thread's use log, not the entry" <| fun () ->
            let _, _, context = testContext ()
            let cache = locMem context Policy.defaults
            cache.Set("hot", 1, CacheTimeout.Never)
            let writes () = LocMemUseLog.Current.EntryWrites
            let before = writes ()
            Expect.isTrue (cache.Get<int> "hot").IsSome "first hit"
            Expect.equal (writes () - before) 1L "the first hit marks the entry used"
            for _ in 1..1000 do cache.Get<int> "hot" |> ignore
            // Only a hit that finds the entry's own stamp older than the refresh period (10 ms) writes it again, so even a
            // thread descheduled for a while writes a handful of times, where the shared clock wrote on every hit.
            Expect.isLessThan (writes () - before) 20L "1 000 more hits wrote the entry at most a few times"

        testCase "Count never exceeds MaxEntries" <| fun () ->
            let _, _, context = testContext ()
            let cache = LocMemCache(Policy.defaults |> Policy.maxEntries 5 |> Policy.cullFrequency 100, context)
            for i in 1..50 do
                cache |> Cache.set $"k{i}" i |> run
                Expect.isLessThanOrEqual cache.Count 5 "after every write"
    ]
