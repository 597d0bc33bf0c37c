/// Django's common backend contract (`BaseCacheTests`, reference/django-tests.md section B) is written once, in
/// FunctionalCache.Laws (`Contract.laws`). This file runs it, through the Expecto adapter, on every subject of
/// `Backends.Subjects` that has no test file of its own; the file, db, memcached and chaos test files run it beside
/// their backend's own cases. Also `throws`, the Expecto helper many test files share.
module Backends.BaseCacheTests

open Expecto
open FunctionalCache.Laws
open FunctionalCache.Laws.Expecto

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

/// Django's section B for one subject: a test list named after it, one test per case, grouped as Django groups them.
let contractFor (subject: Subject) : Test = LawTests.ofLaws subject (Contract.laws subject)

/// The subjects whose contract runs in their backend's test file (sequenced with its other server tests there).
let private runWithTheirBackend =
    set [ Subjects.file.Name; Subjects.sqlite.Name; Subjects.postgres.Name; Subjects.memcached.Name; Subjects.calmChaos.Name ]

[<Tests>]
let tests =
    testList "BaseCacheTests" [
        for subject in Subjects.all do
            if not (runWithTheirBackend.Contains subject.Name) then contractFor subject ]
