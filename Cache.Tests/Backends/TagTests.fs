/// Tags on any cache (TaggedCache, docs/tags.md): the laws of FunctionalCache.Laws on tagged(locmem), tagged(SQLite)
/// and tagged(redis); what a tag eviction does to the entries that carry the tag and to those that do not; a stamp that
/// is culled never brings an entry back; a failed eviction is reported; and properties over any sequence of writes and
/// evictions (and a concurrent run) that an entry written before an eviction of one of its tags never reads as a hit
/// after the eviction returned.
module Backends.TagTests

open System
open System.Collections.Concurrent
open System.Threading
open System.Threading.Tasks
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Chaos
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Tags
open FunctionalCache.FSharp
open FunctionalCache.Laws
open FunctionalCache.Laws.Expecto

/// A subject's every cache wrapped in a TaggedCache that serializes with the context's serializer, as the laws expect.
let tagged (inner: Subject) : Subject =
    { inner with
        Name = $"tagged({inner.Name})"
        Capabilities = { inner.Capabilities with SyncApi = false; Serializes = true }
        Open =
            fun () ->
                let store = inner.Open()
                { store with Make = fun context policy -> TaggedCache(store.Make context policy, context.Serializer) :> ICache } }

let private taggedLocMem = tagged Backends.Subjects.locMemCopy
let private taggedSqlite = tagged Backends.Subjects.sqlite
/// Redis for the tagged laws: database 9 of the shared server, flushed for every store. Not RedisTests' database 1:
/// both law runs flush their database and run at the same time in the full suite.
let private redisForTags =
    let database = 9
    let flush (server: Integration.Redis.Server) = Integration.Redis.cli server [ "-n"; string database; "FLUSHDB" ] |> ignore
    Subject.ofStore "redis" (fun () ->
        let server = Integration.Redis.shared.Force()
        flush server
        let made = ResizeArray<FunctionalCache.Backends.Redis.RedisCache>()
        { Make =
            fun context policy ->
                let c = new FunctionalCache.Backends.Redis.RedisCache((FunctionalCache.Backends.Redis.RedisOptions.Parse server.Location).WithDatabase database, policy, context)
                lock made (fun () -> made.Add c)
                c :> ICache
          Close = fun () -> (for c in made do c.Dispose()); flush server })
    |> Subject.mapCapabilities (fun c -> { c with Clock = OwnClock; Culls = false; Exclusive = true })

let private taggedRedis = tagged redisForTags

let private fresh () = LocMemCache() |> Cache.tagged

let private stampKey tag = "fc:tag:" + tag

// ---- a pure model of tags: an entry is live when no tag of it was evicted after it was written ----------------

type private TagOp =
    | Write of key: int * tags: int list
    | Evict of tag: int
    | DropStamp of tag: int

let private tagName (t: int) = $"t{t}"
let private keyName (k: int) = $"k{k}"

let private opGen =
    let key = Gen.choose (0, 3)
    let tag = Gen.choose (0, 2)
    Gen.frequency
        [ 5, Gen.map2 (fun k ts -> Write(k, List.distinct ts)) key (Gen.listOf tag |> Gen.map (List.truncate 3))
          3, Gen.map Evict tag
          1, Gen.map DropStamp tag ]

/// Runs the operations on a tagged cache and checks after each that every key reads as the model says.
let private followsModel (cache: ITaggedCache) (ops: TagOp list) =
    // key -> (value written, tags, step); tag -> last step it was evicted or its stamp dropped
    let written = Collections.Generic.Dictionary<int, int * int list * int>()
    let evicted = Collections.Generic.Dictionary<int, int>()
    ops
    |> List.mapi (fun step op ->
        match op with
        | Write(k, ts) ->
            cache |> Cache.setTagged (ts |> List.map tagName) (keyName k) step |> run
            written[k] <- (step, ts, step)
        | Evict t ->
            cache |> Cache.removeByTag (tagName t) |> run
            evicted[t] <- step
        | DropStamp t ->
            // A culled stamp: the entry must not come back when a later write creates a new one.
            (cache :?> TaggedCache).Inner |> Cache.delete (stampKey (tagName t)) |> run |> ignore
            evicted[t] <- step
        [ for k in 0..3 ->
              let expected =
                  match written.TryGetValue k with
                  | true, (value, ts, at) when ts |> List.forall (fun t -> match evicted.TryGetValue t with | true, e -> e < at | _ -> true) -> Some value
                  | _ -> None
              let actual = cache |> Cache.tryGet<int> (keyName k) |> run
              expected = actual ])
    |> List.concat
    |> List.forall id

// ---- helpers ------------------------------------------------------------------------------------------------

let private throws<'e when 'e :> exn> (f: unit -> unit) : 'e =
    try
        f ()
        failtestf "expected %s, nothing was thrown" typeof<'e>.Name
    with
    | :? 'e as e -> e
    | :? AggregateException as a when (a.InnerException :? 'e) -> a.InnerException :?> 'e

let private failingSets (lenient: bool) =
    new ChaosCache(LocMemCache(), ChaosSchedule.EveryNth(1L).Only(ChaosOperation.Set), lenient = lenient)

[<Tests>]
let tests =
    testList "Backends.TagTests" [
        testList "laws" [
            LawTests.ofLawsWith 40 taggedLocMem (Laws.all taggedLocMem)
            LawTests.ofLawsWith 10 taggedSqlite (Laws.all taggedSqlite)
        ]
        testSequenced <| testList "laws on redis" [ LawTests.ofLawsWith 10 taggedRedis (Laws.all taggedRedis) ]

        testList "eviction" [
            testCase "removing a tag evicts its entries and leaves the others" <| fun () ->
                let cache = fresh ()
                cache |> Cache.setTagged [ "articles" ] "a1" "first" |> run
                cache |> Cache.setTagged [ "articles"; "front" ] "a2" "second" |> run
                cache |> Cache.setTagged [ "users" ] "u1" "ann" |> run
                cache |> Cache.set "plain" "untagged" |> run
                cache |> Cache.removeByTag "articles" |> run
                Expect.equal (cache |> Cache.tryGet<string> "a1" |> run) None "a1 evicted"
                Expect.equal (cache |> Cache.tryGet<string> "a2" |> run) None "a2 evicted by either of its tags"
                Expect.equal (cache |> Cache.tryGet<string> "u1" |> run) (Some "ann") "another tag's entry stays"
                Expect.equal (cache |> Cache.tryGet<string> "plain" |> run) (Some "untagged") "an untagged entry stays"
                Expect.isFalse (cache |> Cache.hasKey "a1" |> run) "has_key agrees"
                Expect.equal (cache |> Cache.getMany<string> [ "a1"; "a2"; "u1"; "plain" ] |> run) (Map [ "u1", "ann"; "plain", "untagged" ]) "get_many agrees"

            testCase "an entry written after the eviction is a hit, and a second eviction evicts it" <| fun () ->
                let cache = fresh ()
                cache |> Cache.setTagged [ "t" ] "k" 1 |> run
                cache |> Cache.removeByTag "t" |> run
                cache |> Cache.setTagged [ "t" ] "k" 2 |> run
                Expect.equal (cache |> Cache.tryGet<int> "k" |> run) (Some 2) "written after: live"
                cache |> Cache.removeByTag "t" |> run
                Expect.equal (cache |> Cache.tryGet<int> "k" |> run) None "evicted again"

            testCase "a deleted (culled) stamp never brings an entry back when a new write recreates it" <| fun () ->
                let cache = fresh () :?> TaggedCache
                cache |> Cache.setTagged [ "t" ] "old" "before" |> run
                cache.Inner |> Cache.delete (stampKey "t") |> run |> ignore
                Expect.equal (cache |> Cache.tryGet<string> "old" |> run) None "a missing stamp is a miss"
                cache |> Cache.setTagged [ "t" ] "new" "after" |> run
                Expect.equal (cache |> Cache.tryGet<string> "old" |> run) None "the recreated stamp has a new nonce"
                Expect.equal (cache |> Cache.tryGet<string> "new" |> run) (Some "after") "the new entry is live"

            testCase "get-or-set with tags runs the factory again after an eviction, once for concurrent callers" <| fun () ->
                let cache = fresh ()
                let runs = ref 0
                let factory () =
                    task {
                        let n = Interlocked.Increment runs
                        do! Task.Delay 20
                        return n
                    }
                Expect.equal (cache |> Cache.getOrSetTagged [ "t" ] "k" factory |> run) 1 "first run"
                Expect.equal (cache |> Cache.getOrSetTagged [ "t" ] "k" factory |> run) 1 "a hit"
                cache |> Cache.removeByTag "t" |> run
                let all = Task.WhenAll [ for _ in 1..8 -> cache |> Cache.getOrSetTagged [ "t" ] "k" factory ] |> run
                Expect.equal (all |> Array.distinct) [| 2 |] "one refill, shared"
                Expect.equal runs.Value 2 "the factory ran twice in all"

            testCase "add takes the place of an evicted entry; touching one does not bring it back" <| fun () ->
                let cache = fresh ()
                cache |> Cache.setTagged [ "t" ] "k" "old" |> run
                cache |> Cache.setTagged [ "t" ] "d" "old" |> run
                cache |> Cache.removeByTag "t" |> run
                Expect.isTrue (cache |> Cache.add "k" "new" |> run) "evicted counts as absent"
                Expect.equal (cache |> Cache.tryGet<string> "k" |> run) (Some "new") "added"
                cache |> Cache.touch CacheTimeout.Never "d" |> run |> ignore
                Expect.equal (cache |> Cache.tryGet<string> "d" |> run) None "still evicted"

            testCase "a counter is untagged; a tagged entry is not a number" <| fun () ->
                let cache = fresh ()
                cache |> Cache.set "hits" 41 |> run
                Expect.equal (cache |> Cache.incr "hits" |> run) (Ok 42L) "untagged counters work"
                cache |> Cache.setTagged [ "t" ] "tagged" 1 |> run
                Expect.equal (cache |> Cache.incr "tagged" |> run) (Error(CacheError.NotAnInteger "tagged")) "an envelope is no number"
                cache |> Cache.removeByTag "t" |> run
                Expect.equal (cache |> Cache.tryGet<int> "tagged" |> run) None "evicted"

            testCase "untagged bytes that begin like an envelope come back as they were" <| fun () ->
                let cache = fresh ()
                let bytes = [| 0uy; 0x66uy; 0x63uy; 0x74uy; 0x67uy; 1uy; 0uy; 0uy; 0uy; 42uy |]
                cache |> Cache.set "b" bytes |> run
                Expect.equal (cache |> Cache.tryGet<byte[]> "b" |> run) (Some bytes) "round trip"
                cache |> Cache.setTagged [] "none" (None: int option) |> run
                Expect.equal (cache |> Cache.tryGet<int option> "none" |> run) (Some None) "a stored None through the tagged path"
                cache |> Cache.setTagged [ "t" ] "tagged-none" (None: int option) |> run
                Expect.equal (cache |> Cache.tryGet<int option> "tagged-none" |> run) (Some None) "a tagged None is a hit"

            testCase "TryGet of a stored null through the tagged cache is a hit, not an error" <| fun () ->
                let cache = fresh ()
                cache |> Cache.set<string> "n" null |> run
                let read = (cache :> ICache).TryGetAsync<string>("n") |> run
                Expect.isTrue read.IsRight "no failure"
                Expect.isTrue (read.IfLeft(LanguageExt.OptionUnsafe<string>.None)).IsSome "a hit"

            testCase "a bad tag is refused with a message naming the rule" <| fun () ->
                let cache = fresh ()
                let e = throws<ArgumentException> (fun () -> cache |> Cache.setTagged [ "two words" ] "k" 1 |> run)
                Expect.stringContains e.Message "whitespace" "names the rule"
                throws<ArgumentException> (fun () -> cache |> Cache.removeByTag "" |> run) |> ignore

            testCase "a failed eviction is reported: Error from tryRemoveByTag, CacheBackendException from removeByTag" <| fun () ->
                for lenient in [ false; true ] do
                    use chaos = failingSets lenient
                    let cache = chaos |> Cache.tagged
                    match cache |> Cache.tryRemoveByTag "t" |> run with
                    | Error(:? CacheError.BackendFailure) -> ()
                    | other -> failtestf "lenient=%b: expected a backend failure, got %A" lenient other
                    throws<CacheBackendException> (fun () -> cache |> Cache.removeByTag "t" |> run) |> ignore

            testCase "the F# face: Cache.tagged returns a tagged cache as it is" <| fun () ->
                let cache = fresh ()
                Expect.isTrue (obj.ReferenceEquals(cache |> Cache.tagged, cache)) "not wrapped twice"
        ]

        testList "properties" [
            testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 200 } "any sequence of tagged writes, evictions and culled stamps reads as the model says" <|
                Prop.forAll (Arb.fromGen (Gen.listOf opGen)) (fun ops -> followsModel (fresh ()) ops)

            testCase "concurrently: an entry written before an eviction began never reads as a hit after it returned" <| fun () ->
                let cache = fresh ()
                let started = ref 0
                let finished = ref 0
                // id -> evictions started when its write returned (eviction started+1 began after the write)
                let startedAtWrite = ConcurrentDictionary<int, int>()
                let violations = ConcurrentBag<string>()
                use stop = new CancellationTokenSource()
                let writer (w: int) =
                    task {
                        let mutable i = 0
                        while not stop.IsCancellationRequested do
                            let id = w * 1_000_000 + i
                            do! cache.SetAsync($"k{i % 8}", id, [ "t" ])
                            startedAtWrite[id] <- Volatile.Read(&started.contents)
                            i <- i + 1
                            // locmem completes synchronously: without a yield this loop would never let the others run.
                            do! Task.Yield()
                    }
                let reader () =
                    task {
                        while not stop.IsCancellationRequested do
                            for k in 0..7 do
                                let doneBefore = Volatile.Read(&finished.contents)
                                match! cache |> Cache.tryGet<int> $"k{k}" with
                                | Some id ->
                                    match startedAtWrite.TryGetValue id with
                                    | true, s when doneBefore >= s + 1 -> violations.Add $"entry {id} served after eviction {s + 1} returned"
                                    | _ -> ()
                                | None -> ()
                            do! Task.Yield()
                    }
                let evictor () =
                    task {
                        for _ in 1..300 do
                            Interlocked.Increment started |> ignore
                            do! cache.RemoveByTagAsync "t"
                            Interlocked.Increment finished |> ignore
                            do! Task.Yield()
                        stop.Cancel()
                    }
                Task.WhenAll [ writer 1; writer 2; reader (); reader (); evictor () ] |> runUnit
                Expect.isEmpty violations "no entry outlives an eviction that began after it was written"
        ]
    ]
