/// FunctionalCache.Laws as Expecto tests: one test per law, nested by the law's path, properties run by
/// Expecto.FsCheck (so `--filter`, `--fscheck-replay` and shrinking work as for any Expecto property).
module FunctionalCache.Laws.Expecto.LawTests

open Expecto
open FunctionalCache.Laws

/// The Expecto.FsCheck configuration of a property law: the laws' generators, and `maxTest` cases.
let fsCheckConfig (maxTest: int) =
    { FsCheckConfig.defaultConfig with
        maxTest = maxTest
        arbitrary = [ typeof<Arbitraries.Generators> ] }

let private testOf (maxTest: int) (name: string) (check: LawCheck) =
    match check with
    | Example body -> testCase name (fun () -> try body () with LawViolation text -> failtest text)
    | Generated(property, own) -> testPropertyWithConfig (fsCheckConfig (defaultArg own maxTest)) name property

/// Nests laws into test lists by their paths.
let rec private tree (maxTest: int) (laws: (string list * LawCheck) list) : Test list =
    laws
    |> List.groupBy (fun (path, _) -> List.head path)
    |> List.map (fun (head, members) ->
        match members with
        | [ [ _ ], check ] -> testOf maxTest head check
        | _ ->
            let leaves = members |> List.filter (fun (path, _) -> path.Length = 1)
            let deeper = members |> List.filter (fun (path, _) -> path.Length > 1) |> List.map (fun (path, c) -> List.tail path, c)
            testList head ((leaves |> List.map (fun (_, c) -> testOf maxTest head c)) @ tree maxTest deeper))

/// The laws as a test list named `name`, with `maxTest` cases per property law that sets none. Laws of an exclusive
/// subject run one at a time.
let ofLawsWith (maxTest: int) (subject: Subject) (laws: Law list) : Test =
    let list = testList subject.Name (tree maxTest (laws |> List.map (fun l -> l.Path, l.Check)))
    if subject.Capabilities.Exclusive then testSequencedGroup $"{subject.Name} store" list else list

/// The laws as a test list, 100 cases per property.
let ofLaws (subject: Subject) (laws: Law list) : Test = ofLawsWith 100 subject laws

/// Every law that applies to the subject (`Laws.all`) as a test list, 100 cases per property.
let forSubject (subject: Subject) : Test = ofLaws subject (Laws.all subject)
