/// How many cases this suite gives the laws of each subject. A store behind a server or a file pays for every call and
/// for every case's fresh store (a table on PostgreSQL, a database file on SQLite), so its property laws run fewer
/// cases, and a wrapper over such a store fewer still (what the wrapper adds is the same on any store): the whole
/// Cache.Properties run stays within a few minutes on a 2-core machine. The laws themselves are the same everywhere.
module Backends.LawBudget

open FunctionalCache.Laws

/// Cases of a property law that sets none (LawTests.ofLaws's default).
let private standard = 100

/// The fewest cases a property law gets, however slow its subject.
let private floor = 10

/// What the case counts of each slow store's laws are divided by.
let private storeDivisors =
    [ Backends.Subjects.postgres.Name, 5; Backends.Subjects.memcached.Name, 2; Backends.Subjects.sqlite.Name, 2 ]

/// The divisor of a subject: its store's, doubled for a wrapper (named `wrapper(store)`), 1 for a fast store.
let private divisorOf (subject: Subject) =
    storeDivisors
    |> List.tryPick (fun (store, divisor) ->
        if subject.Name = store then Some divisor
        elif subject.Name.EndsWith $"({store})" then Some(divisor * 2)
        else None)
    |> Option.defaultValue 1

/// The laws with every property's case count divided by `divisor` (but at least `floor`).
let scaled (divisor: int) (laws: Law list) : Law list =
    laws
    |> List.map (fun law ->
        match law.Check with
        | Generated(property, maxTest) -> { law with Check = Generated(property, Some(max floor (defaultArg maxTest standard / divisor))) }
        | Example _ -> law)

/// The laws as this suite runs them on the subject.
let forSubject (subject: Subject) (laws: Law list) : Law list =
    match divisorOf subject with
    | 1 -> laws
    | divisor -> scaled divisor laws
