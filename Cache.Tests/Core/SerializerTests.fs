/// The default serializer: integers as ASCII decimal, strings and bytes raw, the rest as JSON.
module Core.SerializerTests

open System
open System.Text
open System.Text.Json
open Expecto
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractValues
open Backends.BaseCacheTests

let private json = JsonCacheSerializer.Instance :> ICacheSerializer
let private ascii (text: string) = Encoding.ASCII.GetBytes text
let private roundTrip<'T> (value: 'T) : 'T = json.Deserialize<'T>(ReadOnlySpan(json.Serialize value))
let private read<'T> (bytes: byte[]) : 'T = json.Deserialize<'T>(ReadOnlySpan bytes)
let private utf8 (bytes: byte[]) = Encoding.UTF8.GetString bytes
let private parse (text: string) = IntegerText.Parse(ReadOnlySpan(ascii text)) |> Option.ofLanguageExt

/// Bytes allocated on this thread by 1,000 calls of `f`, after 200 to warm it: the steady state, not the first call's
/// one-time set-up.
let private allocated (f: unit -> unit) =
    for _ in 1 .. 200 do f ()
    let before = GC.GetAllocatedBytesForCurrentThread()
    for _ in 1 .. 1000 do f ()
    GC.GetAllocatedBytesForCurrentThread() - before

[<Tests>]
let tests =
    testList "SerializerTests" [
        testCase "values round-trip" <| fun () ->
            Expect.equal (roundTrip "text") "text" "string"
            Expect.equal (roundTrip "Iñtërnâtiônàlizætiøn 清 😀") "Iñtërnâtiônàlizætiøn 清 😀" "unicode"
            Expect.equal (roundTrip 42) 42 "int"
            Expect.equal (roundTrip Int64.MinValue) Int64.MinValue "long"
            Expect.equal (roundTrip 7uy) 7uy "byte"
            Expect.equal (roundTrip true) true "bool"
            Expect.equal (roundTrip 1.25) 1.25 "float"
            Expect.equal (roundTrip 3.5m) 3.5m "decimal"
            Expect.equal (roundTrip [ 1; 2; 3 ]) [ 1; 2; 3 ] "list"
            Expect.equal (roundTrip (Some 3)) (Some 3) "option"
            Expect.equal (roundTrip (Map [ "a", 1 ])) (Map [ "a", 1 ]) "map"
            let person = { Name = "Brian"; Age = 1979; Tags = [ "a" ] }
            Expect.equal (roundTrip person) person "record"
            Expect.equal (roundTrip [| 1uy; 2uy |]) [| 1uy; 2uy |] "bytes"
            Expect.equal (roundTrip (DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero))) (DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero)) "date"

        testCase "integers are stored as ASCII decimal" <| fun () ->
            Expect.equal (json.Serialize 42) (ascii "42") "int"
            Expect.equal (json.Serialize -7L) (ascii "-7") "negative long"
            Expect.equal (json.Serialize Int64.MinValue) (ascii "-9223372036854775808") "long min"
            Expect.equal (json.Serialize Int64.MaxValue) (ascii "9223372036854775807") "long max"
            Expect.equal (json.Serialize 200uy) (ascii "200") "byte"
            Expect.equal (json.Serialize -3s) (ascii "-3") "short"
            Expect.equal (json.Serialize UInt32.MaxValue) (ascii "4294967295") "uint"
            Expect.equal (json.Serialize -128y) (ascii "-128") "sbyte"
            Expect.equal (json.Serialize UInt16.MaxValue) (ascii "65535") "ushort"
            Expect.equal (json.Serialize Int32.MinValue) (ascii "-2147483648") "int min"
            Expect.equal (json.Serialize (box 42)) (ascii "42") "an int behind object"
            Expect.equal (json.Serialize (box UInt32.MaxValue)) (ascii "4294967295") "a uint behind object"
            Expect.equal (IntegerText.Format 0L) (ascii "0") "Format"

        testCase "an integer is written as its decimal bytes and nothing else: no box" <| fun () ->
            // A byte array on a 64-bit runtime: header, method table and length, then the bytes, in 8-byte steps.
            let arrays length = 1000L * int64 ((24 + length + 7) / 8 * 8)
            Expect.equal (allocated (fun () -> json.Serialize -1815 |> ignore)) (arrays 5) "int: the 5-byte array alone"
            Expect.equal (allocated (fun () -> json.Serialize 7L |> ignore)) (arrays 1) "long: the 1-byte array alone"
            Expect.equal (allocated (fun () -> json.Serialize 200uy |> ignore)) (arrays 3) "byte: the 3-byte array alone"

        testCase "stored decimal bytes read as any integer type that holds them" <| fun () ->
            Expect.equal (read<int> (ascii "42")) 42 "int"
            Expect.equal (read<int64> (ascii "-9223372036854775808")) Int64.MinValue "long"
            Expect.equal (read<byte> (ascii "255")) 255uy "byte"

        testCase "stored decimal bytes narrow to every integer type that holds them, and a value outside the type is unreadable" <| fun () ->
            Expect.equal (read<uint32> (ascii "4294967295")) UInt32.MaxValue "uint max"
            Expect.equal (read<uint16> (ascii "65535")) UInt16.MaxValue "ushort max"
            Expect.equal (read<int16> (ascii "-32768")) Int16.MinValue "short min"
            Expect.equal (read<sbyte> (ascii "-128")) SByte.MinValue "sbyte min"
            Expect.equal (read<int> (ascii "-2147483648")) Int32.MinValue "int min"
            let unreadable name (f: unit -> unit) =
                let e = throws<CacheSerializationException> f
                Expect.equal e.Message $"The stored bytes are not a {name}." name
            unreadable "UInt32" (fun () -> read<uint32> (ascii "4294967296") |> ignore)
            unreadable "UInt32" (fun () -> read<uint32> (ascii "-1") |> ignore)
            unreadable "UInt16" (fun () -> read<uint16> (ascii "65536") |> ignore)
            unreadable "Int16" (fun () -> read<int16> (ascii "32768") |> ignore)
            unreadable "SByte" (fun () -> read<sbyte> (ascii "-129") |> ignore)
            unreadable "Int32" (fun () -> read<int> (ascii "-2147483649") |> ignore)

        testCase "a stored integer reads without allocating, and a stored string allocates only the string" <| fun () ->
            let number = ascii "-1815"
            Expect.equal (allocated (fun () -> read<int> number |> ignore)) 0L "int"
            Expect.equal (allocated (fun () -> read<int64> number |> ignore)) 0L "long"
            let seven = ascii "7"
            Expect.equal (allocated (fun () -> read<byte> seven |> ignore)) 0L "byte"
            for text in [ "{\"name\":\"Ada Lovelace\",\"id\":1815}"; "Iñtërnâtiônàlizætiøn 清 😀"; "" ] do
                let stored = Encoding.UTF8.GetBytes text
                Expect.equal (allocated (fun () -> read<string> stored |> ignore)) (allocated (fun () -> Encoding.UTF8.GetString stored |> ignore)) $"'{text}': the string alone"

        testCase "a serializer whose first use is a read decodes JSON (the bytes were written by another process)" <| fun () ->
            let fresh = JsonCacheSerializer() :> ICacheSerializer
            let stored = Encoding.UTF8.GetBytes """{"Name":"B","Age":1,"Tags":["t"]}"""
            Expect.equal (fresh.Deserialize<Person>(ReadOnlySpan stored)) { Name = "B"; Age = 1; Tags = [ "t" ] } "a record, before any write"
            let fsharp = JsonCacheSerializer(Serialization.options ()) :> ICacheSerializer
            Expect.equal (fsharp.Deserialize<Shape>(ReadOnlySpan(Encoding.UTF8.GetBytes """{"Case":"Dot"}"""))) Dot "a union, before any write"

        testCase "two serializers with different options, used in turn on one type, each read with their own options" <| fun () ->
            let camel = JsonCacheSerializer(JsonSerializerOptions(PropertyNamingPolicy = JsonNamingPolicy.CamelCase)) :> ICacheSerializer
            let person = { Name = "B"; Age = 1; Tags = [ "t" ] }
            let pascalBytes = json.Serialize person
            let camelBytes = camel.Serialize person
            for _ in 1 .. 3 do
                Expect.equal (json.Deserialize<Person>(ReadOnlySpan pascalBytes)) person "the default options"
                Expect.equal (camel.Deserialize<Person>(ReadOnlySpan camelBytes)).Name "B" "camel case"
                // Each reads the other's JSON by its own naming: the default options are case-sensitive and miss "name".
                Expect.isNull (json.Deserialize<Person>(ReadOnlySpan camelBytes)).Name "the default options do not see camelCase names"

        testCase "strings are raw UTF-8 and byte arrays raw copies" <| fun () ->
            Expect.equal (json.Serialize "café") (Encoding.UTF8.GetBytes "café") "no JSON quoting"
            Expect.equal (read<string> (ascii "42")) "42" "any bytes read as a string"
            let original = [| 1uy; 2uy; 3uy |]
            let stored = json.Serialize original
            original[0] <- 99uy
            Expect.equal stored [| 1uy; 2uy; 3uy |] "a copy, not the caller's array"
            let back = read<byte[]> stored
            back[1] <- 99uy
            Expect.equal stored [| 1uy; 2uy; 3uy |] "reading copies too"

        testCase "other values are JSON without type names" <| fun () ->
            Expect.equal (json.Serialize true |> Encoding.UTF8.GetString) "true" "bool"
            Expect.equal (json.Serialize { Name = "B"; Age = 1; Tags = [] } |> Encoding.UTF8.GetString) """{"Name":"B","Age":1,"Tags":[]}""" "record"

        testCase "bytes that are not the asked type fail with CacheSerializationException" <| fun () ->
            for bytes in [ ascii "abc"; ascii ""; ascii "+1"; ascii "1.0"; ascii " 1" ] do
                let e = throws<CacheSerializationException> (fun () -> read<int> bytes |> ignore)
                Expect.equal e.Message "The stored bytes are not a Int32." "message"
            throws<CacheSerializationException> (fun () -> read<int> (ascii "2147483648") |> ignore) |> ignore
            throws<CacheSerializationException> (fun () -> read<byte> (ascii "-1") |> ignore) |> ignore
            let e = throws<CacheSerializationException> (fun () -> read<Person> (ascii "{ not json") |> ignore)
            Expect.isNotNull e.InnerException "the JSON error is the cause"
            throws<CacheSerializationException> (fun () -> read<bool> (ascii "maybe") |> ignore) |> ignore

        testCase "a value JSON cannot write fails with CacheSerializationException naming its type" <| fun () ->
            let loop = Loop()
            loop.Next <- loop
            let e = throws<CacheSerializationException> (fun () -> json.Serialize loop |> ignore)
            Expect.stringStarts e.Message "A value of type Loop cannot be serialized to JSON: " "message"
            Expect.isNotNull e.InnerException "cause"

        testCase "the default serializer refuses an F# union, alone or inside a record, with CacheSerializationException naming the cause" <| fun () ->
            let e = throws<CacheSerializationException> (fun () -> json.Serialize(Rectangle(1.0, 2.0)) |> ignore)
            Expect.stringStarts e.Message "A value of type Rectangle cannot be serialized to JSON: " "names the value's type"
            Expect.stringContains e.Message "F# discriminated union" "says why (System.Text.Json's reason)"
            Expect.stringContains e.Message "Use FunctionalCache.FSharp's Serialization.serializer" "says where the fix is"
            Expect.isNotNull e.InnerException "the cause is inside"
            let e = throws<CacheSerializationException> (fun () -> json.Serialize drawing |> ignore)
            Expect.stringStarts e.Message "A value of type Drawing cannot be serialized to JSON: " "a record holding a union"
            let e = throws<CacheSerializationException> (fun () -> read<Shape> (ascii "{\"Case\":\"Dot\"}") |> ignore)
            Expect.equal e.Message "The stored bytes are not a Shape." "reading a union is refused too"

        testCase "JsonCacheSerializer(options) writes JSON with the caller's options, and strings, bytes and integers stay raw" <| fun () ->
            let camel = JsonCacheSerializer(JsonSerializerOptions(PropertyNamingPolicy = JsonNamingPolicy.CamelCase)) :> ICacheSerializer
            let person = { Name = "B"; Age = 1; Tags = [ "t" ] }
            Expect.equal (camel.Serialize person |> utf8) """{"name":"B","age":1,"tags":["t"]}""" "the naming policy applies"
            Expect.equal (camel.Deserialize<Person>(ReadOnlySpan(camel.Serialize person))) person "and reads back"
            Expect.equal (camel.Serialize "text" |> utf8) "text" "a string stays raw UTF-8"
            Expect.equal (camel.Serialize 42L) (ascii "42") "an integer stays ASCII decimal"
            Expect.equal (camel.Serialize [| 1uy; 2uy |]) [| 1uy; 2uy |] "bytes stay raw"

        testCase "with the F# converter in the caller's options a union round-trips" <| fun () ->
            let fsharp = JsonCacheSerializer(Serialization.options ()) :> ICacheSerializer
            let back (value: 'T) = fsharp.Deserialize<'T>(ReadOnlySpan(fsharp.Serialize value))
            Expect.equal (back (Rectangle(1.0, 2.0))) (Rectangle(1.0, 2.0)) "a union"
            Expect.equal (back drawing) drawing "a record with unions, lists, a set, a map and options"
            Expect.equal (back [ Some Dot; None ]) [ Some Dot; None ] "a list of options of a union"

        testCase "the F# serializer (Serialization.serializer) is the JSON serializer with the F# converter: unions as JSON, integers and strings raw" <| fun () ->
            let fsharp = Serialization.serializer
            Expect.equal (fsharp.Serialize Dot |> utf8) """{"Case":"Dot"}""" "a union case as JSON, no type names"
            Expect.equal (fsharp.Serialize 7) (ascii "7") "counters agree with every backend"
            Expect.equal (fsharp.Serialize "café") (Encoding.UTF8.GetBytes "café") "strings raw"
            Expect.equal (fsharp.Deserialize<Drawing>(ReadOnlySpan(fsharp.Serialize drawing))) drawing "round trip"

        testCase "a string with a lone surrogate is refused, not silently altered" <| fun () ->
            let e = throws<CacheSerializationException> (fun () -> json.Serialize("a" + string '\uD800' + "b") |> ignore)
            Expect.equal e.Message "A string with a lone surrogate cannot be stored: it is not valid Unicode text." "message"
            let e = throws<CacheSerializationException> (fun () -> read<string> [| 0x61uy; 0xFFuy |] |> ignore)
            Expect.equal e.Message "The stored bytes are not a String." "invalid UTF-8 is unreadable, not replaced"

        testCase "IntegerText reads an optional '-' and ASCII digits that fit a long, nothing else" <| fun () ->
            Expect.equal (parse "0") (Some 0L) "0"
            Expect.equal (parse "-0") (Some 0L) "-0"
            Expect.equal (parse "007") (Some 7L) "leading zeros"
            Expect.equal (parse "9223372036854775807") (Some Int64.MaxValue) "max"
            Expect.equal (parse "-9223372036854775808") (Some Int64.MinValue) "min"
            for bad in [ ""; "+1"; "-"; "--1"; " 1"; "1 "; "1.0"; "1e3"; "0x10"; "9223372036854775808"; "-9223372036854775809"; "١" ] do
                Expect.equal (parse bad) None $"'{bad}'"
            Expect.equal (IntegerText.Parse(ReadOnlySpan(Encoding.UTF8.GetBytes "١")) |> Option.ofLanguageExt) None "non-ASCII digits"
    ]
