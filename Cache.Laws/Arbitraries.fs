/// The generators the laws draw from: keys (a small alphabet, so operations collide), values, timeouts,
/// size policies, counter edges and F# values. `Generators` registers them with FsCheck (`LawConfig` does it for
/// the runners; a user's own FsCheck config can add `typeof<Generators>` to reuse them).
module FunctionalCache.Laws.Arbitraries

open System
open FsCheck
open FsCheck.FSharp
open FunctionalCache
open FunctionalCache.FSharp

// ---- values ----------------------------------------------------------------------------------

/// A cached value: an int, a text that is never integer-shaped (so only ints can be incremented,
/// in copy stores, where a string "12" and the int 12 have the same bytes, and in reference stores),
/// or an `int option`, whose `None` is a stored null: a hit on every read path.
type Value =
    | I of int
    | S of string
    | O of int option

/// Keys "a", "b", "c" hold ints; "x", "y", "z" texts; "o", "p" int options. A typed API needs the type
/// at the read, so the type goes with the key; Increment on a text key is how NotAnInteger is reached.
let intKeys = [ "a"; "b"; "c" ]
let textKeys = [ "x"; "y"; "z" ]
let optionKeys = [ "o"; "p" ]
let allKeys = intKeys @ textKeys @ optionKeys
let isIntKey (key: string) = List.contains key intKeys
let isOptionKey (key: string) = List.contains key optionKeys

let genInt = Gen.choose (-100, 100)

/// Texts of printable ASCII and a few BMP letters, always starting with a letter.
let genText =
    gen {
        let! head = Gen.elements [ 'v'; 'w'; 'é' ]
        let! tail = Gen.listOf (Gen.elements ([ 'a' .. 'z' ] @ [ '0' .. '9' ] @ [ ' '; ':'; 'ß'; '€' ]))
        return String(Array.ofList (head :: List.truncate 12 tail))
    }

/// A value of the kind the key holds; an option key gets `None` half the time.
let genValueFor (key: string) =
    if isIntKey key then Gen.map I genInt
    elif isOptionKey key then Gen.frequency [ 1, Gen.constant (O None); 1, Gen.map (Some >> O) genInt ]
    else Gen.map S genText

// ---- timeouts --------------------------------------------------------------------------------

/// The timeout argument of a write, as the tests see it; `Omitted` passes null (= Default).
type Timeout =
    | Omitted
    | DefaultTimeout
    | NeverExpires
    | After of TimeSpan

/// The C# value for a timeout.
let toCacheTimeout (t: Timeout) : CacheTimeout =
    match t with
    | Omitted -> null
    | DefaultTimeout -> CacheTimeout.Default
    | NeverExpires -> CacheTimeout.Never
    | After span -> CacheTimeout.After span

/// The timeout as the F# API writes it (`Omitted` is the default there: the functions without `For`).
let toExpire (t: Timeout) : CacheTimeout =
    match t with
    | Omitted | DefaultTimeout -> Expire.byDefault
    | NeverExpires -> Expire.never
    | After span -> Expire.after span

/// After(-5..600 s), zero and the small spans more often, sometimes with a sub-second tick part.
let genSpan =
    gen {
        let! seconds = Gen.frequency [ 3, Gen.choose (-5, 0); 4, Gen.choose (1, 10); 4, Gen.choose (11, 600) ]
        let! ticks = Gen.frequency [ 3, Gen.constant 0L; 1, Gen.choose (1, 9_999_999) |> Gen.map int64 ]
        let span = TimeSpan.FromSeconds(float seconds)
        return if seconds > 0 then span + TimeSpan.FromTicks ticks else span
    }

let genTimeout =
    Gen.frequency [ 1, Gen.constant Omitted; 2, Gen.constant DefaultTimeout; 2, Gen.constant NeverExpires; 6, Gen.map After genSpan ]

let shrinkTimeout t =
    match t with
    | After span when span > TimeSpan.Zero -> seq { NeverExpires; After(TimeSpan.FromSeconds 1.0) } |> Seq.filter ((<>) t)
    | After span when span < TimeSpan.Zero -> seq { After TimeSpan.Zero }
    | Omitted | DefaultTimeout -> seq { NeverExpires }
    | _ -> Seq.empty

/// A strictly positive span (1 tick .. 600 s): the deadline of an `After` that stores.
type PositiveSpan = PositiveSpan of TimeSpan

/// A zero or negative span (-600 s .. 0): "expired now".
type NonPositiveSpan = NonPositiveSpan of TimeSpan

let genPositiveSpan =
    Gen.frequency [
        1, Gen.choose (1, 10_000) |> Gen.map int64
        3, Gen.choose (1, 600) |> Gen.map (fun s -> int64 s * TimeSpan.TicksPerSecond)
        3, Gen.map2 (fun s t -> int64 s * TimeSpan.TicksPerSecond + int64 t) (Gen.choose (0, 599)) (Gen.choose (1, 9_999_999)) ]
    |> Gen.map TimeSpan.FromTicks

// ---- keys for the key rules ------------------------------------------------------------------

/// Any caller key: safe text, control characters, spaces, DEL, non-ASCII, and lengths around 250.
type AnyKey = AnyKey of string

/// A key prefix, sometimes with an unsafe character.
type AnyPrefix = AnyPrefix of string

/// A version, including negative ones and the extremes (they change the made key's length).
type AnyVersion = AnyVersion of int

let private safeChars = [ 'a' .. 'z' ] @ [ '0' .. '9' ] @ [ ':'; '-'; '_'; '!'; '~'; 'é'; 'ü' ]
let private unsafeChars = [ '\000'; '\t'; '\n'; '\r'; ' '; '\031'; '\127' ]

let genAnyKey =
    gen {
        let! length = Gen.frequency [ 4, Gen.choose (0, 20); 3, Gen.choose (235, 255); 1, Gen.choose (21, 300) ]
        let! unsafeRate = Gen.elements [ 0; 0; 1; 20 ]
        let! chars =
            Gen.arrayOfLength length (Gen.frequency [ 100, Gen.elements safeChars; unsafeRate, Gen.elements unsafeChars ])
        return String chars
    }

let genAnyPrefix =
    Gen.frequency [
        3, Gen.constant ""
        2, Gen.elements [ "site1"; "p"; "tenant-42" ]
        1, Gen.elements [ "with space"; "tab\there"; String('p', 120) ] ]

let genAnyVersion =
    Gen.frequency [ 4, Gen.choose (1, 3); 2, Gen.choose (-1000, 100_000); 1, Gen.elements [ 0; -1; 9; 10; 99; 100; Int32.MaxValue; Int32.MinValue ] ]

let private shrinkString (s: string) =
    seq {
        if s.Length > 0 then
            yield s.Substring(0, s.Length / 2)
            yield s.Substring(1)
            yield s.Substring(0, s.Length - 1)
    }

/// A key from the small alphabet.
type SmallKey = SmallKey of string

// ---- culling ---------------------------------------------------------------------------------

/// A locmem size policy: MaxEntries 1..20, CullFrequency 0..5.
type SizePolicy = { MaxEntries: int; CullFrequency: int }

/// One of 25 keys, so sequences overflow the small MaxEntries values.
type CullKey = CullKey of int

/// A step of a culling run. Ints are written under every key; `SetText` writes a text so that
/// Increment meets NotAnInteger.
type CullOp =
    | CSet of CullKey * int * Timeout
    | CSetText of CullKey
    | CAdd of CullKey * int * Timeout
    | CIncr of CullKey * int
    | CDelete of CullKey
    | CGet of CullKey
    | CHasKey of CullKey
    | CTouch of CullKey * Timeout

// ---- F# values for the F# serializer ---------------------------------------------------------

/// How an order travels: a union case without fields, one with a field, one with two.
type Delivery =
    | Pickup
    | Courier of days: int
    | Post of country: string * tracked: bool

/// An F# value of every shape `Serialization.serializer` writes: a record with a union field, a list, a map,
/// a set and an option.
type Order =
    { Id: int
      Customer: string
      Delivery: Delivery
      Lines: string list
      Quantities: Map<string, int>
      Tags: Set<string>
      Coupon: string option }

/// Texts JSON must escape or encode: empty, quotes, backslashes, control characters, non-ASCII and an emoji
/// (a valid surrogate pair). Never null: an F# string field is not nullable.
let genJsonText =
    Gen.frequency [
        1, Gen.constant ""
        4, genText
        2, Gen.listOf (Gen.elements [ "a"; "\""; "\\"; "\n"; "\t"; "\u0000"; "é"; "€"; "😀"; "</"; "{}"; "null" ]) |> Gen.map (String.concat "") ]

let genOrder =
    gen {
        let! id = Gen.frequency [ 4, Gen.choose (-1_000_000, 1_000_000); 1, Gen.elements [ Int32.MinValue; 0; Int32.MaxValue ] ]
        let! customer = genJsonText
        let! delivery =
            Gen.oneof [
                Gen.constant Pickup
                Gen.choose (0, 30) |> Gen.map Courier
                Gen.map2 (fun c t -> Post(c, t)) genJsonText (Gen.elements [ true; false ]) ]
        let! lines = Gen.listOf genJsonText |> Gen.map (List.truncate 6)
        let! quantities = Gen.listOf (Gen.zip genJsonText genInt) |> Gen.map (List.truncate 6 >> Map.ofList)
        let! tags = Gen.listOf genJsonText |> Gen.map (List.truncate 6 >> Set.ofList)
        let! coupon = Gen.optionOf genJsonText
        return { Id = id; Customer = customer; Delivery = delivery; Lines = lines; Quantities = quantities; Tags = tags; Coupon = coupon }
    }

// ---- counters at the edge of int64 ----------------------------------------------------------

/// What a counter key holds before an increment: an integer written as an int64, or a decimal text written as a
/// string, which may lie outside int64's range (2^63, 2^64 - 1, 30 digits).
type CounterStart =
    | StoredInt64 of int64
    | StoredText of string

/// An increment's delta: mostly at or next to a boundary of int64.
type CounterDelta = CounterDelta of int64

/// int64's boundaries and their neighbours.
let int64Edges = [ 0L; 1L; -1L; 2L; -2L; Int64.MaxValue; Int64.MaxValue - 1L; Int64.MinValue; Int64.MinValue + 1L; 1L <<< 62; -(1L <<< 62) ]

/// Decimal texts at and beyond int64's range, and memcached's unsigned 64-bit range.
let counterTexts =
    [ "9223372036854775807"; "-9223372036854775808"; "9223372036854775808"; "-9223372036854775809"
      "18446744073709551614"; "18446744073709551615"; "18446744073709551616"
      "123456789012345678901234567890"; "-123456789012345678901234567890" ]

/// An edge, a number a little inside an edge, or any int64.
let genInt64NearEdges =
    Gen.frequency [
        3, Gen.elements int64Edges
        2, Gen.map2 (fun edge (k: int) -> if edge >= 0L then edge - int64 k else edge + int64 k) (Gen.elements [ Int64.MaxValue; Int64.MinValue; 0L ]) (Gen.choose (0, 1000))
        2, ArbMap.defaults |> ArbMap.generate<int64> ]

let genCounterStart =
    Gen.frequency [ 3, Gen.map StoredInt64 genInt64NearEdges; 2, Gen.map StoredText (Gen.elements counterTexts) ]

/// The arbitraries of the types above, for FsCheck's config (`arbitrary = [ typeof<Generators> ]`).
type Generators =
    static member Timeout() = Arb.fromGenShrink (genTimeout, shrinkTimeout)

    static member PositiveSpan() =
        Arb.fromGenShrink (
            Gen.map PositiveSpan genPositiveSpan,
            fun (PositiveSpan s) -> seq { if s.Ticks > 1L then PositiveSpan(TimeSpan.FromTicks(s.Ticks / 2L)) })

    static member NonPositiveSpan() =
        Arb.fromGenShrink (
            Gen.choose (-600, 0) |> Gen.map (fun s -> NonPositiveSpan(TimeSpan.FromSeconds(float s))),
            fun (NonPositiveSpan s) -> seq { if s < TimeSpan.Zero then NonPositiveSpan TimeSpan.Zero })

    static member AnyKey() =
        Arb.fromGenShrink (Gen.map AnyKey genAnyKey, fun (AnyKey k) -> shrinkString k |> Seq.map AnyKey)

    static member AnyPrefix() = Arb.fromGen (Gen.map AnyPrefix genAnyPrefix)

    static member AnyVersion() =
        Arb.fromGenShrink (Gen.map AnyVersion genAnyVersion, fun (AnyVersion v) -> seq { if v <> 1 then AnyVersion 1 })

    static member SizePolicy() =
        Arb.fromGenShrink (
            Gen.map2 (fun m c -> { MaxEntries = m; CullFrequency = c }) (Gen.choose (1, 20)) (Gen.choose (0, 5)),
            fun p ->
                seq {
                    if p.MaxEntries > 1 then { p with MaxEntries = p.MaxEntries / 2 }
                    if p.CullFrequency > 1 then { p with CullFrequency = 1 }
                })

    static member CullKey() =
        Arb.fromGenShrink (Gen.choose (0, 24) |> Gen.map CullKey, fun (CullKey k) -> seq { if k > 0 then CullKey 0 })

    static member SmallKey() =
        Arb.fromGenShrink (Gen.elements allKeys |> Gen.map SmallKey, fun (SmallKey k) -> seq { if k <> "a" then SmallKey "a" })

    static member Order() =
        Arb.fromGenShrink (
            genOrder,
            fun o ->
                seq {
                    if not o.Lines.IsEmpty then { o with Lines = [] }
                    if not o.Quantities.IsEmpty then { o with Quantities = Map.empty }
                    if not o.Tags.IsEmpty then { o with Tags = Set.empty }
                    if o.Coupon.IsSome then { o with Coupon = None }
                    if o.Delivery <> Pickup then { o with Delivery = Pickup }
                })

    static member CounterStart() = Arb.fromGen genCounterStart

    static member CounterDelta() = Arb.fromGen (Gen.map CounterDelta genInt64NearEdges)
