/// The checks the contract's examples share: Django's error and warning texts, every operation that takes a key, and
/// what a bad key must do. Each failed check throws `LawViolation` saying what the cache did.
module FunctionalCache.Laws.ContractChecks

open System
open System.IO
open System.IO.Compression
open System.Text
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture

/// The warning Django logs for a made key with characters memcached cannot take (spaces, control characters).
let keyCharsWarning (madeKey: string) =
    $"Cache key contains characters that will cause errors if used with memcached: '{madeKey}'"

/// The warning Django logs for a made key longer than memcached's 250 characters.
let keyLengthWarning (madeKey: string) =
    $"Cache key will cause errors if used with memcached: '{madeKey}' (longer than 250)"

/// Every public operation that takes a key, by Django's name, as Django's invalid-key tests list them (plus has_key).
let keyedOperations : (string * (ICache -> string -> unit)) list =
    [ "add", (fun c k -> c |> Cache.add k "value" |> run |> ignore)
      "get", (fun c k -> c |> Cache.tryGet<string> k |> run |> ignore)
      "set", (fun c k -> c |> Cache.set k "value" |> run)
      "incr", (fun c k -> c |> Cache.incr k |> run |> ignore)
      "decr", (fun c k -> c |> Cache.decr k |> run |> ignore)
      "touch", (fun c k -> c |> Cache.touch Expire.byDefault k |> run |> ignore)
      "delete", (fun c k -> c |> Cache.delete k |> run |> ignore)
      "has_key", (fun c k -> c |> Cache.hasKey k |> run |> ignore)
      "get_many", (fun c k -> c |> Cache.getMany<string> [ k ] |> run |> ignore)
      "set_many", (fun c k -> c |> Cache.setMany [ k, "value" ] |> run |> ignore)
      "delete_many", (fun c k -> c |> Cache.deleteMany [ k ] |> run) ]

/// The error of an `Error`; a violation on `Ok`.
let errorOf (r: Result<'a, CacheError>) : CacheError =
    match r with
    | Error e -> e
    | Ok v -> failtestf "expected a CacheError, but the cache gave Ok %A" v

/// The result is `KeyNotFound` naming the key, with Django's ValueError text.
let expectKeyNotFound (key: string) (r: Result<'a, CacheError>) =
    let e = errorOf r
    match e with
    | KeyNotFound k -> Expect.equal k key "the error names the key"
    | _ -> failtestf "a missing key is KeyNotFound, but the cache gave %s" e.Message
    Expect.equal e.Message $"Key '{key}' not found" "Django's ValueError text"

/// The result is `NotAnInteger`, with its message naming the key.
let expectNotAnInteger (r: Result<'a, CacheError>) =
    match errorOf r with
    | NotAnInteger key -> Expect.equal (errorOf r).Message $"Value of key '{key}' is not an integer" "message"
    | e -> failtestf "a non-integer is NotAnInteger, but the cache gave %s" e.Message

/// The result is `Overflow`.
let expectOverflow (r: Result<'a, CacheError>) =
    match errorOf r with
    | Overflow _ -> ()
    | e -> failtestf "an integer past its range is Overflow, but the cache gave %s" e.Message

/// The exception of type 'E that `f` throws; a violation if it throws none.
let internal throws<'E when 'E :> exn> (f: unit -> unit) : 'E =
    let outcome =
        try
            f ()
            None
        with :? 'E as e -> Some e
    match outcome with
    | Some e -> e
    | None -> failtestf "expected a %s, but the cache threw none" typeof<'E>.Name

/// The text starts with `start`.
let internal expectStartsWith (actual: string) (start: string) (message: string) =
    if isNull actual || not (actual.StartsWith start) then failtestf "%s. Expected a text starting %A, got %A" message start actual

/// A bad key warns once per operation with Django's text, or, on a subject that rejects bad keys, every operation
/// throws `InvalidCacheKeyException` naming the made key.
let internal expectKeyProblem (subject: Subject) (f: Fixture) (cache: ICache) (key: string) (madeKey: string) (warning: string) =
    for name, op in keyedOperations do
        f.Log.Clear()
        if subject.Capabilities.RejectsBadKeys then
            let e = throws<InvalidCacheKeyException> (fun () -> op cache key)
            Expect.stringContains e.Message madeKey $"{name}: the error names the made key"
        else
            op cache key
            Expect.equal f.Log.Messages [ warning ] $"{name} warns once with Django's text"

/// Text compressed with zlib, as Django's binary-data case stores it.
let internal zlib (text: string) =
    let output = new MemoryStream()
    let z = new ZLibStream(output, CompressionLevel.Optimal)
    z.Write(Encoding.UTF8.GetBytes text)
    z.Dispose()
    output.ToArray()

/// The text back out of zlib bytes.
let internal unzlib (bytes: byte[]) =
    use z = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress)
    use reader = new StreamReader(z, Encoding.UTF8)
    reader.ReadToEnd()
