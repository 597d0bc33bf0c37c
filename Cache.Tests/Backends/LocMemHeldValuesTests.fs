/// locmem's copy store holding immutable values as they are (issue 17): the same instance back where the type cannot be
/// mutated, a fresh copy for everything else, and every read answering exactly what the serialized copy answered.
module Backends.LocMemHeldValuesTests

open System
open System.ComponentModel
open System.IO
open System.Text.Json
open System.Text.Json.Serialization
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.LocMem
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture

/// A value its type declares immutable: sealed (an F# record) and marked, so the copy store holds it.
[<ImmutableObject(true)>]
type Money = { Amount: decimal; Currency: string }

/// The same shape, unmarked: copied.
type Price = { Amount: decimal; Currency: string }

/// Marked but not sealed: a subclass could be mutable, so copied.
[<ImmutableObject(true)>]
[<AllowNullLiteral>]
type OpenLabel(text: string) =
    member _.Text = text
    override _.ToString() = $"OpenLabel {text}"

/// A mutable value, what copying is for.
[<AllowNullLiteral>]
type Basket() =
    member val Items = ResizeArray<string>() with get, set

/// The default serializer behind a type of its own: a custom serializer, which the copy store copies through as it
/// always did, so a cache made with it answers what the copy store answered before holding anything.
type Copying(inner: ICacheSerializer) =
    interface ICacheSerializer with
        member _.Serialize<'T>(value: 'T) = inner.Serialize value
        member _.Deserialize<'T>(payload: ReadOnlySpan<byte>) = inner.Deserialize<'T> payload

/// Writes DateTime as its date only: a converter that changes the JSON form, so the round trip is not the identity.
type private DateOnlyConverter() =
    inherit JsonConverter<DateTime>()
    override _.Read(reader, _, _) = DateTime.ParseExact(reader.GetString(), "yyyy-MM-dd", Globalization.CultureInfo.InvariantCulture)
    override _.Write(writer, value, _) = writer.WriteStringValue(value.ToString("yyyy-MM-dd", Globalization.CultureInfo.InvariantCulture))

let private copyStore (serializer: ICacheSerializer) =
    let _, _, context = testContext ()
    LocMemCache(Policy.defaults, context.WithSerializer serializer, LocMemStore.Copy)

/// What a value reads as, precisely enough that two reads agree only if they are the same value: bits for floats and
/// decimals (the sign of zero, the scale), ticks and kind for times, raw text for JSON.
let rec private render (value: obj) : string =
    match value with
    | null -> "null"
    | :? JsonElement as e -> $"JsonElement {e.ValueKind} {e.GetRawText()}"
    | :? float as d -> $"double {BitConverter.DoubleToInt64Bits d}"
    | :? float32 as f -> $"single {BitConverter.SingleToInt32Bits f}"
    | :? decimal as m -> $"decimal %A{Decimal.GetBits m}"
    | :? DateTime as t -> $"DateTime {t.Ticks} {t.Kind}"
    | :? DateTimeOffset as t -> $"DateTimeOffset {t.Ticks} {t.Offset}"
    | :? TimeOnly as t -> $"TimeOnly {t.Ticks}"
    | :? DateOnly as d -> $"DateOnly {d.DayNumber}"
    | :? TimeSpan as t -> $"TimeSpan {t.Ticks}"
    | :? char as c -> $"char U+{int c:X4}"
    | :? string as s -> $"string %A{s} of %A{s.ToCharArray() |> Array.map int}"
    | :? (byte[]) as b -> $"bytes {Convert.ToHexString b}"
    | :? Basket as b -> $"Basket %A{List.ofSeq b.Items}"
    | v -> $"{v.GetType().FullName} %A{v}"

let private renderOption (found: 'T option) =
    match found with
    | Some v -> $"hit {render (box v)}"
    | None -> "miss"

/// The value or the exception (its type and message) a call gave.
let private outcome (call: unit -> string) =
    try call () with e -> $"{e.GetType().Name}: {e.Message}"

/// One read type, by every read path of locmem: the sync get, the typed view, the async get, get-many and the sync
/// get-or-set's hit.
let private reader<'T> : string * (LocMemCache -> string) =
    typeof<'T>.Name,
    fun cache ->
        let sync = cache :> ISyncCache
        [ outcome (fun () -> sync |> Cache.tryGetSync<'T> "k" |> renderOption)
          outcome (fun () -> Cache.typed<'T> sync |> TypedCache.tryGet "k" |> renderOption)
          outcome (fun () -> cache |> Cache.tryGet<'T> "k" |> run |> renderOption)
          outcome (fun () -> cache |> Cache.getMany<'T> [ "k" ] |> run |> Map.tryFind "k" |> renderOption)
          outcome (fun () -> sync |> Cache.getOrSetSync<'T> "k" (fun () -> failwith "a hit runs no factory") |> box |> render) ]
        |> String.concat " | "

let private readers =
    [ reader<string>; reader<obj>; reader<JsonElement>; reader<int>; reader<int64>; reader<uint64>; reader<Nullable<int>>
      reader<float>; reader<float32>; reader<decimal>; reader<bool>; reader<char>; reader<byte[]>; reader<DateTime>
      reader<DateTimeOffset>; reader<TimeSpan>; reader<Guid>; reader<DateOnly>; reader<TimeOnly>; reader<DayOfWeek>
      reader<FileAccess>; reader<Money>; reader<Price>; reader<Basket> ]

/// One written value, at its own static type, and what the write answered.
let private writer (name: string) (value: 'T) : string * (LocMemCache -> string) =
    name, fun cache -> outcome (fun () -> cache |> Cache.set "k" value |> run |> box |> render)

let private writers =
    let instant = DateTime(2026, 12, 4, 8, 48, 0, DateTimeKind.Utc).AddTicks 1234567L
    [ writer "a word" "hello"
      writer "a decimal string" "5"
      writer "a negative decimal string" "-12"
      writer "the empty string" ""
      writer "a JSON string literal" "\"quoted\""
      writer "a JSON object as text" """{"Amount":1.5,"Currency":"EUR"}"""
      writer "the text true" "true"
      writer "the text null" "null"
      writer "non-ASCII text" "😀 naïve"
      writer "a lone surrogate" (String([| '\uD800'; ' ' |]))
      writer "a null string" (null: string)
      writer "int" 5
      writer "negative int64" -7L
      writer "int64 max" Int64.MaxValue
      writer "int16" 3s
      writer "sbyte" -3y
      writer "byte" 200uy
      writer "uint16" 60000us
      writer "uint32" 4000000000u
      writer "uint64 max" UInt64.MaxValue
      writer "nullable int" (Nullable 5)
      writer "bool" true
      writer "char" 'x'
      writer "a lone surrogate char" '\uD800'
      writer "double" 1.5
      writer "negative zero" -0.0
      writer "NaN" nan
      writer "infinity" infinity
      writer "double max" Double.MaxValue
      writer "double epsilon" Double.Epsilon
      writer "single" 0.1f
      writer "decimal with scale" 1.10m
      writer "decimal negative zero" (Decimal(0, 0, 0, true, 1uy))
      writer "decimal max" Decimal.MaxValue
      writer "UTC DateTime" instant
      writer "local DateTime" (instant.ToLocalTime())
      writer "unspecified DateTime" (DateTime.SpecifyKind(instant, DateTimeKind.Unspecified))
      writer "DateTimeOffset" (DateTimeOffset(instant.Ticks, TimeSpan.FromHours 5.5))
      writer "TimeSpan" (TimeSpan.FromTicks 123456789012L)
      writer "TimeSpan min" TimeSpan.MinValue
      writer "Guid" (Guid.Parse "0f8fad5b-d9cb-469f-a165-70867728950e")
      writer "DateOnly" (DateOnly(2026, 12, 4))
      writer "TimeOnly" (TimeOnly(123456789L))
      writer "enum" DayOfWeek.Friday
      writer "undefined enum value" (enum<DayOfWeek> 42)
      writer "flags" (FileAccess.Read ||| FileAccess.Write)
      writer "nativeint" 5n
      writer "marked sealed record" { Money.Amount = 2.50m; Currency = "EUR" }
      writer "unmarked record" { Price.Amount = 2.50m; Currency = "EUR" }
      writer "marked unsealed class" (OpenLabel "sale")
      writer "mutable class" (Basket(Items = ResizeArray [ "apple" ]))
      writer "byte array" [| 1uy; 2uy |]
      writer "int array" [| 1; 2 |]
      writer "list" (ResizeArray [ 1; 2 ]) ]

/// What a counter operation after the write answers, then every read.
let private counterSteps =
    [ "no counter step", (fun (_: LocMemCache) -> "")
      "incr", (fun cache -> outcome (fun () -> cache |> Cache.incr "k" |> run |> sprintf "%A"))
      "decr by 10 (sync)", (fun cache -> outcome (fun () -> cache |> Cache.incrBySync -10L "k" |> sprintf "%A"))
      "incr past int64", (fun cache -> outcome (fun () -> cache |> Cache.incrBy Int64.MaxValue "k" |> run |> sprintf "%A")) ]

/// For every written value, counter step and read type: what the cache answers, next to what a copying cache answers.
let private answers (cache: unit -> LocMemCache) =
    [ for writeName, write in writers do
          for stepName, step in counterSteps do
              let c = cache ()
              let wrote = write c
              let stepped = step c
              for readName, read in readers -> $"{writeName}, {stepName}, read as {readName}", $"{wrote} / {stepped} / {read c}" ]

/// The held cache answers, case by case, what the copying one answers.
let private agreesWithCopying (serializer: ICacheSerializer) =
    let held = answers (fun () -> copyStore serializer)
    let copied = answers (fun () -> copyStore (Copying serializer))
    let differences =
        [ for (case, answer), (_, expected) in List.zip held copied do
              if answer <> expected then $"{case}:\n  held:   {answer}\n  copied: {expected}" ]
    let shown = differences |> String.concat "\n"
    Expect.isEmpty differences $"{differences.Length} of {held.Length} cases answer otherwise than the copy:\n{shown}\n"

let private datesAsDays =
    let options = JsonSerializerOptions(JsonSerializerDefaults.General)
    options.Converters.Add(DateOnlyConverter())
    JsonCacheSerializer(options) :> ICacheSerializer

[<Tests>]
let tests =
    testList "LocMemHeldValuesTests" [
        testCase "every read of every value answers what the serialized copy answered (default serializer)" <| fun () ->
            agreesWithCopying JsonCacheSerializer.Instance

        testCase "every read of every value answers what the serialized copy answered (the F# serializer)" <| fun () ->
            agreesWithCopying Serialization.serializer

        testCase "every read of every value answers what the serialized copy answered (a converter that changes a JSON form)" <| fun () ->
            agreesWithCopying datesAsDays

        testCase "the type rule: immutable BCL types, enums, nullables and marked sealed types are held; the rest copied" <| fun () ->
            let verdicts =
                [ "string", ImmutableType<string>.Is; "int", ImmutableType<int>.Is; "uint64", ImmutableType<uint64>.Is
                  "double", ImmutableType<float>.Is; "char", ImmutableType<char>.Is; "bool", ImmutableType<bool>.Is
                  "decimal", ImmutableType<decimal>.Is; "DateTime", ImmutableType<DateTime>.Is
                  "DateTimeOffset", ImmutableType<DateTimeOffset>.Is; "TimeSpan", ImmutableType<TimeSpan>.Is
                  "Guid", ImmutableType<Guid>.Is; "DateOnly", ImmutableType<DateOnly>.Is; "TimeOnly", ImmutableType<TimeOnly>.Is
                  "enum", ImmutableType<DayOfWeek>.Is; "nullable int", ImmutableType<Nullable<int>>.Is
                  "marked sealed record", ImmutableType<Money>.Is
                  "nativeint", ImmutableType<nativeint>.Is; "obj", ImmutableType<obj>.Is; "IComparable", ImmutableType<IComparable>.Is
                  "unmarked record", ImmutableType<Price>.Is; "marked unsealed class", ImmutableType<OpenLabel>.Is
                  "mutable class", ImmutableType<Basket>.Is; "byte[]", ImmutableType<byte[]>.Is; "int[]", ImmutableType<int[]>.Is
                  "list", ImmutableType<ResizeArray<int>>.Is; "JsonElement", ImmutableType<JsonElement>.Is ]
            let held = verdicts |> List.filter snd |> List.map fst
            Expect.equal held [ "string"; "int"; "uint64"; "double"; "char"; "bool"; "decimal"; "DateTime"; "DateTimeOffset"; "TimeSpan"
                                "Guid"; "DateOnly"; "TimeOnly"; "enum"; "nullable int"; "marked sealed record" ] "held types"

        testCase "the value rule: the default and F# serializers hold what reads back equal; the rest stays a copy" <| fun () ->
            let fsharp = Serialization.serializer :?> JsonCacheSerializer
            let days = datesAsDays :?> JsonCacheSerializer
            let instant = DateTime(2026, 12, 4, 8, 48, 0, DateTimeKind.Utc)
            let verdicts =
                [ "default: UTC DateTime", ImmutableType<DateTime>.Holds(instant, JsonCacheSerializer.Instance)
                  "F#: UTC DateTime", ImmutableType<DateTime>.Holds(instant, fsharp)
                  "F#: enum", ImmutableType<DayOfWeek>.Holds(DayOfWeek.Friday, fsharp)
                  "F#: double", ImmutableType<float>.Holds(1.5, fsharp)
                  "F#: marked record", ImmutableType<Money>.Holds({ Money.Amount = 1m; Currency = "EUR" }, fsharp)
                  "days: DateTimeOffset", ImmutableType<DateTimeOffset>.Holds(DateTimeOffset instant, days)
                  "days: string", ImmutableType<string>.Holds("text", days)
                  "default: surrogate pair", ImmutableType<string>.Holds("😀", JsonCacheSerializer.Instance)
                  "days: UTC DateTime", ImmutableType<DateTime>.Holds(instant, days)
                  "default: local DateTime", ImmutableType<DateTime>.Holds(instant.ToLocalTime(), JsonCacheSerializer.Instance)
                  "default: NaN", ImmutableType<float>.Holds(nan, JsonCacheSerializer.Instance)
                  "default: negative-zero decimal", ImmutableType<decimal>.Holds(Decimal(0, 0, 0, true, 1uy), JsonCacheSerializer.Instance)
                  "default: lone surrogate char", ImmutableType<char>.Holds('\uDC00', JsonCacheSerializer.Instance)
                  "default: lone surrogate", ImmutableType<string>.Holds(String([| 'a'; '\uD800' |]), JsonCacheSerializer.Instance) ]
            let held = verdicts |> List.filter snd |> List.map fst
            Expect.equal held [ "default: UTC DateTime"; "F#: UTC DateTime"; "F#: enum"; "F#: double"; "F#: marked record"
                                "days: DateTimeOffset"; "days: string"; "default: surrogate pair" ] "held values"

        testCase "a stored string read as obj answers as the copy always did: parsed as JSON, or refused" <| fun () ->
            let cache = copyStore JsonCacheSerializer.Instance
            cache |> Cache.set "word" "hello" |> run
            cache |> Cache.set "number" "5" |> run
            Expect.throwsT<CacheSerializationException> (fun () -> cache |> Cache.tryGet<obj> "word" |> run |> ignore) "hello is not JSON"
            let number = cache |> Cache.tryGet<obj> "number" |> run |> Option.get
            Expect.equal (render number) "JsonElement Number 5" "the text 5 reads as the JSON number 5"
            Expect.equal (cache |> Cache.tryGet<int> "number" |> run) (Some 5) "and as the int 5"

        testCase "a string comes back as the very instance stored, by every read path" <| fun () ->
            let cache = copyStore JsonCacheSerializer.Instance
            let sync = cache :> ISyncCache
            let value = String('x', 33)
            cache |> Cache.set "a" value |> run
            sync.Set("b", value)
            for key in [ "a"; "b" ] do
                let same (read: string) what = Expect.isTrue (obj.ReferenceEquals(read, value)) $"{key}: {what}"
                same (sync |> Cache.tryGetSync<string> key |> Option.get) "sync get"
                same (Cache.typed<string> sync |> TypedCache.tryGet key |> Option.get) "typed view"
                same (cache |> Cache.tryGet<string> key |> run |> Option.get) "async get"
                same (cache |> Cache.getMany<string> [ key ] |> run |> Map.find key) "get-many"
                same (sync |> Cache.getOrSetSync<string> key (fun () -> "not run")) "sync get-or-set hit"

        testCase "immutable values of other types come back as they were stored" <| fun () ->
            let cache = copyStore JsonCacheSerializer.Instance
            let money = { Money.Amount = 2.50m; Currency = "EUR" }
            cache |> Cache.set "money" money |> run
            Expect.isTrue (obj.ReferenceEquals(cache |> Cache.tryGet<Money> "money" |> run |> Option.get, money)) "a marked sealed record is held"
            cache |> Cache.set "when" (DateTimeOffset(2026, 12, 4, 8, 48, 0, TimeSpan.FromHours 1.0)) |> run
            Expect.equal (cache |> Cache.tryGet<DateTimeOffset> "when" |> run) (Some(DateTimeOffset(2026, 12, 4, 8, 48, 0, TimeSpan.FromHours 1.0))) "a DateTimeOffset"

        testCase "a mutable value, an unmarked or unsealed type and a byte array still come back as fresh copies" <| fun () ->
            let cache = copyStore JsonCacheSerializer.Instance
            let fresh (key: string) (value: 'T) =
                cache |> Cache.set key value |> run
                let first = cache |> Cache.tryGet<'T> key |> run |> Option.get
                let second = cache |> Cache.tryGet<'T> key |> run |> Option.get
                Expect.isFalse (obj.ReferenceEquals(first, value)) $"{key}: not the stored instance"
                Expect.isFalse (obj.ReferenceEquals(first, second)) $"{key}: each read a copy of its own"
            fresh "basket" (Basket(Items = ResizeArray [ "apple" ]))
            fresh "price" { Price.Amount = 2.50m; Currency = "EUR" }
            fresh "label" (OpenLabel "sale")
            fresh "bytes" [| 1uy; 2uy |]
            let basket = Basket(Items = ResizeArray [ "apple" ])
            cache |> Cache.set "isolated" basket |> run
            basket.Items.Add "pear"
            let read = cache |> Cache.tryGet<Basket> "isolated" |> run |> Option.get
            read.Items.Add "plum"
            Expect.sequenceEqual (cache |> Cache.tryGet<Basket> "isolated" |> run |> Option.get).Items [ "apple" ] "mutation after set or get never reaches the cache"

        testCase "a custom serializer still copies everything, strings too" <| fun () ->
            let cache = copyStore (Copying JsonCacheSerializer.Instance)
            let value = String('x', 33)
            cache |> Cache.set "s" value |> run
            let read = cache |> Cache.tryGet<string> "s" |> run |> Option.get
            Expect.equal read value "the same text"
            Expect.isFalse (obj.ReferenceEquals(read, value)) "a copy: the serializer's round trip is the user's"

        testCase "a held integer counts as a serialized one: Django's incr and decr cases" <| fun () ->
            let cache = copyStore JsonCacheSerializer.Instance
            cache |> Cache.set "answer" 42 |> run
            Expect.equal (cache |> Cache.incr "answer" |> run) (Ok 43L) "incr"
            Expect.equal (cache |> Cache.tryGet<int> "answer" |> run) (Some 43) "read back"
            Expect.equal (cache |> Cache.incrBy 10L "answer" |> run) (Ok 53L) "incr by 10"
            Expect.equal (cache |> Cache.decr "answer" |> run) (Ok 52L) "decr"
            Expect.equal (cache |> Cache.decrBy 10L "answer" |> run) (Ok 42L) "decr by 10"
            Expect.equal (cache |> Cache.tryGet<string> "answer" |> run) (Some "42") "its text form is the ASCII decimal"
            cache |> Cache.set "small" Int32.MaxValue |> run
            Expect.equal (cache |> Cache.incr "small" |> run) (Ok 2147483648L) "a stored int counts past int's range, as its decimal text did"
            cache |> Cache.set "word" "forty" |> run
            Expect.equal (cache |> Cache.incr "word" |> run) (Error(CacheError.NotAnInteger "word")) "not a number" ]
