module Program

open Expecto

/// Runs every [<Tests>] value in this assembly, or, with `--child ROLE ARGS…`, plays one role of a
/// multi-process test (see Integration.Child).
[<EntryPoint>]
let main argv =
    match List.ofArray argv with
    | "--child" :: role :: args -> Integration.Roles.run role args
    | _ -> runTestsInAssemblyWithCLIArgs [] argv
