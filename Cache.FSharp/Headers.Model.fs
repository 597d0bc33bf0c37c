namespace FunctionalCache.FSharp

open FunctionalCache.Http

/// Absent header values at the edge of the F# face: the C# functions take null for an absent field.
module internal Interop =

    /// A field value as the C# functions take it: null for an absent field.
    let orNull (value: string option) : string = Option.toObj value

/// Header fields as F# lists and options: `HeaderMap.ofList [ "Vary", "Cookie" ] |> HeaderMap.tryFind "vary"`.
/// Names compare ignoring case; each name keeps its first spelling and position. Every function returns a new map.
[<RequireQualifiedAccess>]
module HeaderMap =

    /// No fields.
    let empty : HeaderMap = FunctionalCache.Http.HeaderMap.Empty

    /// The fields in order; a repeated name is joined to the first (with `", "`, or one value a line for `Set-Cookie`).
    let ofList (fields: (string * string) list) : HeaderMap =
        fields |> List.fold (fun (map: HeaderMap) (name, value) -> map.Append(name, value)) empty

    /// The fields in order, each with its first spelling.
    let toList (map: HeaderMap) : (string * string) list = [ for field in map -> field.Key, field.Value ]

    /// The value of `name` (any case), or `None` when the field is absent; an empty value is `Some ""`.
    let tryFind (name: string) (map: HeaderMap) : string option =
        Option.ofLanguageExt (map.Get name)

    /// True when the field is present, even with an empty value.
    let contains (name: string) (map: HeaderMap) : bool = map.Contains name

    /// The map with `name` set to `value`, replacing an existing value in place.
    let set (name: string) (value: string) (map: HeaderMap) : HeaderMap = map.Set(name, value)

    /// The map with `value` joined to `name`'s existing value, or a new field.
    let append (name: string) (value: string) (map: HeaderMap) : HeaderMap = map.Append(name, value)

    /// The map without `name`.
    let remove (name: string) (map: HeaderMap) : HeaderMap = map.Remove name

/// Response heads (status and fields) built and read from F#: `ResponseHead.ofList 200 [ "Cache-Control", "max-age=60" ]`,
/// `head |> ResponseHead.header "Vary"`. Every function returns a new head; none changes its argument.
[<RequireQualifiedAccess>]
module ResponseHead =

    /// A 200 with no fields.
    let ok : ResponseHead = FunctionalCache.Http.ResponseHead.Ok

    /// A response with `status` and `fields` (a repeated name is joined, as `HeaderMap.ofList` does).
    let ofList (status: int) (fields: (string * string) list) : ResponseHead =
        FunctionalCache.Http.ResponseHead(status, HeaderMap.ofList fields)

    /// The status code.
    let status (head: ResponseHead) : int = head.Status

    /// The value of the field `name` (any case), or `None` when it is absent.
    let header (name: string) (head: ResponseHead) : string option = HeaderMap.tryFind name head.Headers

    /// True when the field `name` is present, even empty.
    let hasHeader (name: string) (head: ResponseHead) : bool = head.Headers.Contains name

    /// The fields in order.
    let headers (head: ResponseHead) : (string * string) list = HeaderMap.toList head.Headers

    /// The head with another status.
    let withStatus (status: int) (head: ResponseHead) : ResponseHead = FunctionalCache.Http.ResponseHead(status, head.Headers)

    /// The head with the field `name` set to `value`, replacing an existing value in place.
    let withHeader (name: string) (value: string) (head: ResponseHead) : ResponseHead = head.WithHeader(name, value)

    /// The head with `value` joined to the field `name` (Set-Cookie values one a line).
    let appendHeader (name: string) (value: string) (head: ResponseHead) : ResponseHead =
        FunctionalCache.Http.ResponseHead(head.Status, head.Headers.Append(name, value))

    /// The head without the field `name`.
    let withoutHeader (name: string) (head: ResponseHead) : ResponseHead = head.WithoutHeader name

/// Request heads built and read from F#: `RequestHead.ofUrl "GET" "http://www.example.com/cache/test/?test=1"`,
/// `|> RequestHead.withHeader "Cookie" "u=a"`. Every function returns a new head.
[<RequireQualifiedAccess>]
module RequestHead =

    /// A request with every part given: method, scheme, Host as sent, decoded path, raw query (no `?`) and fields.
    let create (methodName: string) (scheme: string) (host: string) (path: string) (query: string) (fields: (string * string) list) : RequestHead =
        FunctionalCache.Http.RequestHead(methodName, scheme, host, path, query, HeaderMap.ofList fields)

    /// A request for `url` written `scheme://host/path?query`, with no fields. The parts are taken as written: the host
    /// keeps its case and port, the path is not decoded, a missing path is `/`, the query is what follows the first `?`.
    /// Raises `System.ArgumentException` when `url` has no `://`.
    let ofUrl (methodName: string) (url: string) : RequestHead =
        let at = url.IndexOf "://"
        if at <= 0 then invalidArg (nameof url) $"A request URL must be written scheme://host/path?query, not '{url}'."
        let scheme = url.Substring(0, at)
        let rest = url.Substring(at + 3)
        let target = match rest.IndexOfAny [| '/'; '?' |] with -1 -> rest.Length | i -> i
        let host = rest.Substring(0, target)
        let pathAndQuery = rest.Substring target
        let path, query =
            match pathAndQuery.IndexOf '?' with
            | -1 -> pathAndQuery, ""
            | q -> pathAndQuery.Substring(0, q), pathAndQuery.Substring(q + 1)
        create methodName scheme host (if path.StartsWith "/" then path else "/" + path) query []

    /// The method, as sent.
    let methodName (head: RequestHead) : string = head.Method

    /// The value of the field `name` (any case), or `None` when it is absent.
    let header (name: string) (head: RequestHead) : string option = HeaderMap.tryFind name head.Headers

    /// The fields in order.
    let headers (head: RequestHead) : (string * string) list = HeaderMap.toList head.Headers

    /// The request with another method.
    let withMethod (methodName: string) (head: RequestHead) : RequestHead = head.WithMethod methodName

    /// The request with the field `name` set to `value`, replacing an existing value in place.
    let withHeader (name: string) (value: string) (head: RequestHead) : RequestHead = head.WithHeader(name, value)

    /// The request with each of `fields` set in turn.
    let withHeaders (fields: (string * string) list) (head: RequestHead) : RequestHead =
        fields |> List.fold (fun (r: RequestHead) (name, value) -> r.WithHeader(name, value)) head
