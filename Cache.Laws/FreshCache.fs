/// Caches for the property laws: each case opens a fresh store of the subject and closes it afterwards, so no case
/// sees another's entries (and a failing case leaves no directory, file or table behind).
module internal FunctionalCache.Laws.FreshCache

open System
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Laws.Arbitraries

/// Runs `body` on a cache over a fresh store of the subject, made in `context` with `policy`, then closes the store.
let within (subject: Subject) (context: CacheContext) (policy: CachePolicy) (body: ICache -> 'a) : 'a =
    let store = subject.Open()
    try body (store.Make context policy) finally store.Close()

/// As `within`, with a fake clock in the context that `body` moves (it decides expiry on a `FollowsContextClock`
/// subject, and is ignored by one with its own clock).
let clocked (subject: Subject) (policy: CachePolicy) (body: ICache -> FakeTimeProvider -> 'a) : 'a =
    let clock = FakeTimeProvider()
    within subject (CacheContext.Default.WithTime clock) policy (fun cache -> body cache clock)

/// The timeout a law writes with on this subject. A server with its own clock (memcached rounds a span up to whole
/// seconds and may end an entry within its first second) could let a short span lapse between a write and the read
/// that checks it, so there a positive span becomes two hours; on the context's clock nothing lapses unless the law
/// moves the clock.
let lasting (capabilities: Capabilities) (timeout: Timeout) : Timeout =
    match capabilities.Clock, timeout with
    | OwnClock, After span when span > TimeSpan.Zero -> After(TimeSpan.FromHours 2.0)
    | _ -> timeout

/// Whether a write with this timeout stores anything: a zero or negative span stores nothing.
let stores (timeout: Timeout) = match timeout with After span -> span > TimeSpan.Zero | _ -> true
