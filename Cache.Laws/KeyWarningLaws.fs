/// The key-warning law, for subjects that warn about a key memcached could not take rather than reject it: a write
/// logs one warning per rule the made key breaks (`KeyRules.Validate`), exactly those and nothing else, whatever the
/// prefix, the version (the policy's or the call's) and the key function, and whether or not the store can hold the key.
module FunctionalCache.Laws.KeyWarningLaws

open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

/// Not the default function, so the cache must build and check the made key itself.
let private customKeyFunction key prefix (version: int) = prefix + "|" + string version + "|" + key

/// The key-warning laws of the subject (none for a subject that rejects bad keys).
let laws (subject: Subject) : Law list =
    if subject.Capabilities.RejectsBadKeys then []
    else
        [ Law.property "a key warning is logged iff KeyRules.Validate(made key) is non-empty"
          <| fun (AnyKey key) (AnyPrefix prefix) (AnyVersion version) (custom: bool) (explicitVersion: bool) ->
              let logger = RecordingLogger()
              let policy =
                  Policy.defaults
                  |> Policy.prefix prefix
                  |> (if explicitVersion then id else Policy.version version)
                  |> (if custom then Policy.keyFunction customKeyFunction else id)
              let context = CacheContext.Default.WithLogger(logger).WithTime(FakeTimeProvider())
              within subject context policy (fun cache ->
                  let cache = if explicitVersion then cache |> Cache.atVersion version else cache
                  // The law is about the warnings, which come before the store is asked: a store that cannot hold the key
                  // (PostgreSQL's text holds no NUL) answers the checked write with a backend failure, and that is its
                  // own limit, not this law's concern.
                  cache |> Cache.Checked.setFor Expire.never key 1 |> run |> ignore
                  let made = policy |> Policy.version version |> Policy.makeKey key
                  let expected = KeyRules.Validate made |> List.ofSeq |> List.map (fun text -> LogLevel.Warning, text)
                  Expect.equal logger.Records expected "the warnings logged are exactly the rules the made key breaks") ]
        |> Law.group "key warnings"
