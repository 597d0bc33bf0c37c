module Program
open Expecto
[<EntryPoint>]
let main argv = runTestsWithCLIArgs [] argv (testList "Cache.Properties" [])
