module Program

open Expecto

/// Runs every [<Tests>] value in this assembly.
[<EntryPoint>]
let main argv = runTestsInAssemblyWithCLIArgs [] argv
