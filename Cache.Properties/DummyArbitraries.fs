/// Generators for the dummy backend's property (a cache that stores nothing is no subject for the laws).
module DummyArbitraries

open FunctionalCache.Laws.Arbitraries

/// A step against the dummy cache.
type DummyOp =
    | DSet of SmallKey * int * Timeout
    | DAdd of SmallKey * int * Timeout
    | DGet of SmallKey
    | DGetOrDefault of SmallKey * int
    | DGetMany of SmallKey list
    | DSetMany of (SmallKey * int) list * Timeout
    | DDelete of SmallKey
    | DHasKey of SmallKey
    | DTouch of SmallKey * Timeout
    | DIncr of SmallKey * int
    | DDecr of SmallKey * int
    | DIncrVersion of SmallKey * int
    | DGetOrSet of SmallKey * int * Timeout
    | DClear
