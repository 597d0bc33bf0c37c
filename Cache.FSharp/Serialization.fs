namespace FunctionalCache.FSharp

open System.Text.Json
open System.Text.Json.Serialization
open FunctionalCache
open FunctionalCache.Backends

/// F# values as cached bytes: records, unions, options, lists, maps and sets as JSON (FSharp.SystemTextJson, no type
/// names), strings and byte arrays raw, integers as ASCII decimal (so counters agree on every backend).
[<RequireQualifiedAccess>]
module Serialization =

    /// System.Text.Json's general defaults plus the F# converter: what every cache of this package writes with.
    let options () : JsonSerializerOptions =
        let options = JsonSerializerOptions(JsonSerializerDefaults.General)
        options.Converters.Add(JsonFSharpConverter())
        options

    /// The F# serializer with `options` (add your own converters there first).
    let withOptions (options: JsonSerializerOptions) : ICacheSerializer = JsonCacheSerializer(options)

    /// The shared F# serializer.
    let serializer : ICacheSerializer = withOptions (options ())

    /// The default backend context (system clock, warnings on standard error) with the F# serializer.
    let context : CacheContext = CacheContext.Default.WithSerializer serializer
