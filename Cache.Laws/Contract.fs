/// Django's common backend contract (`BaseCacheTests`, written once for every backend) as example laws, grouped as
/// Django's test class groups them. Each case runs in a fresh `ContractFixture` of the subject; the cases that need a
/// capability (a stored null, a serializer, culling, a shared store, a fake clock) run only on subjects that have it,
/// and a subject on its own clock gets real-clock twins of the cases that move time.
module FunctionalCache.Laws.Contract

/// The contract's examples that apply to the subject, under their group names ("basics", "timeouts", ...).
let laws (subject: Subject) : Law list =
    [ "basics", ContractEntries.basics
      "stored None", ContractEntries.storedNone
      "F# values", ContractEntries.fsharpValues
      "incr and decr", ContractCounters.counters
      "values", ContractEntries.values
      "many keys", ContractOperations.many
      "timeouts", ContractTimeouts.timeouts
      "culling", ContractCulling.culling
      "keys", ContractKeys.keys
      "shared store", ContractKeys.sharedStore
      "versions", ContractVersions.versions
      "get_or_set", ContractOperations.getOrSet
      "serialization", ContractEntries.serialization ]
    |> List.collect (fun (group, laws) -> Law.group group (laws subject))
