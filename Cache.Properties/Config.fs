/// The one FsCheck configuration every property uses. Expecto prints the seed of a failing
/// property (`--fscheck-replay` or `replay = Some (seed, gamma, size)` reruns it): the default
/// callbacks that do so are kept.
module Config

open Expecto

/// 200 cases per property, with the generators of `Arbitraries` registered.
let config =
    { FsCheckConfig.defaultConfig with
        maxTest = 200
        arbitrary = [ typeof<FunctionalCache.Laws.Arbitraries.Generators> ] }

/// Model-based runs are long sequences; fewer of them keep the suite fast.
let machineConfig = { config with maxTest = 150 }
