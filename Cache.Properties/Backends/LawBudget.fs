/// How many cases this suite gives the laws of each subject. A server's subject pays a round trip per call (and on
/// PostgreSQL a table per case), so its property laws run fewer cases: the whole Cache.Properties run stays within a few
/// minutes on a 2-core machine. The laws themselves are the same on every subject.
module Backends.LawBudget

open FunctionalCache.Laws

/// Cases of a property law that sets none (LawTests.ofLaws's default).
let private standard = 100

/// The fewest cases a property law gets, however slow its subject.
let private floor = 10

/// What each server's case counts are divided by.
let private divisors = Map.ofList [ Backends.Subjects.postgres.Name, 5; Backends.Subjects.memcached.Name, 2 ]

/// The laws with every property's case count divided by `divisor` (but at least `floor`).
let scaled (divisor: int) (laws: Law list) : Law list =
    laws
    |> List.map (fun law ->
        match law.Check with
        | Generated(property, maxTest) -> { law with Check = Generated(property, Some(max floor (defaultArg maxTest standard / divisor))) }
        | Example _ -> law)

/// The laws as this suite runs them on the subject.
let forSubject (subject: Subject) (laws: Law list) : Law list =
    match Map.tryFind subject.Name divisors with
    | Some divisor -> scaled divisor laws
    | None -> laws
