/// The world one contract example runs in: a fake clock pinned where Django's tests pin theirs, a recording logger,
/// JSON values, and caches over one fresh store of the subject. Public so a backend author's own examples run in the
/// same world as the contract's (`withFixture subject policy (fun f -> ...)`).
module FunctionalCache.Laws.ContractFixture

open System
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp

/// Django's tests pin time.time() to 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT); so do the laws.
let epoch = DateTimeOffset.FromUnixTimeSeconds 1700000000L

/// A fresh fake clock at `epoch`.
let fakeClock () = FakeTimeProvider(epoch)

/// A context on a fresh fake clock with a recording logger and JSON values, with the clock and the logger.
let testContext () =
    let clock = fakeClock ()
    let log = RecordingLogger()
    clock, log, CacheContext(clock, log, JsonCacheSerializer.Instance)

/// Moves a fake clock on by a number of seconds.
let advance (clock: FakeTimeProvider) (seconds: float) = clock.Advance(TimeSpan.FromSeconds seconds)

/// One example's world: a fake clock, a recording logger and caches over one fresh store.
type Fixture =
    { /// The clock of `Context`. Moving it moves expiry only for a subject whose `Clock` is `FollowsContextClock`.
      Clock: FakeTimeProvider
      /// What the caches of this fixture logged.
      Log: RecordingLogger
      /// The context every cache of this fixture is made in, unless made with `MakeIn`.
      Context: CacheContext
      /// Another cache over the same store, with another policy.
      Make: CachePolicy -> ICache
      /// Another cache over the same store, in another context (another serializer).
      MakeIn: CacheContext -> CachePolicy -> ICache
      /// The cache under test, with the policy the example asked for.
      Cache: ICache }

/// Runs `body` with a cache of the subject over a fresh store, with `policy`, and closes the store afterwards.
let withFixture (subject: Subject) (policy: CachePolicy) (body: Fixture -> unit) =
    let clock, log, context = testContext ()
    let store = subject.Open()
    try
        let make p = store.Make context p
        body { Clock = clock; Log = log; Context = context; Make = make; MakeIn = store.Make; Cache = make policy }
    finally
        store.Close()

/// An example law whose body runs in a fresh fixture of the subject with Django's default policy.
let example (subject: Subject) (name: string) (body: Fixture -> unit) =
    Law.example name (fun () -> withFixture subject Policy.defaults body)

/// An example law whose body runs in a fresh fixture of the subject with the given policy.
let exampleWith (subject: Subject) (policy: CachePolicy) (name: string) (body: Fixture -> unit) =
    Law.example name (fun () -> withFixture subject policy body)

/// The spans of the examples that run on a server's own clock (`OwnClock`), where nothing can move time but waiting.
module internal ServerClock =

    /// How long a short-lived entry lives. memcached's clock ticks in whole seconds, so an entry of 2 s lapses between
    /// 1 and 2 s after it was written: an example reads it back at once with a second in hand.
    let short = Expire.seconds 2.0

    /// Waits until every short-lived entry written before has lapsed on the server (2 s and a margin for its tick).
    let waitPastShort () = Threading.Thread.Sleep(TimeSpan.FromSeconds 2.6)
