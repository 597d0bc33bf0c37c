namespace FunctionalCache.FSharp

open FunctionalCache.Http

/// What page keys are scoped by: the middleware's key prefix (Django's `CACHE_MIDDLEWARE_KEY_PREFIX`), the request's
/// language when i18n is on (`USE_I18N`) and the time-zone name when time zones are on (`USE_TZ`).
type KeyScope =
    { Prefix: string
      Language: string option
      TimeZone: string option }

/// Building key scopes: `KeyScope.prefix "site1"`, `{ KeyScope.prefix "" with Language = Some "en" }`.
[<RequireQualifiedAccess>]
module KeyScope =

    /// Keys prefixed by `prefix` (may be empty), with no language and no time zone.
    let prefix (prefix: string) : KeyScope = { Prefix = prefix; Language = None; TimeZone = None }

    /// No prefix, no language, no time zone: what `cache_page` uses by default.
    let none : KeyScope = prefix ""

/// What `PageKey.learn` works out for a response: where its header list is stored, the list, and the page key.
type LearnedKey =
    { /// The key to store `HeaderList` under (one per URL).
      HeaderKey: string
      /// The request headers the response varies on, in Django's `HTTP_NAME` form, sorted.
      HeaderList: string list
      /// The key to store the response under, for the request's own method.
      PageKey: string }

/// Page cache keys in Django's format, as pipeable functions: `response |> PageKey.learn scope request` (Django's
/// `learn_cache_key`, without storing) and `request |> PageKey.get scope headerList` (its `get_cache_key`, given the
/// stored list). A listed header the request lacks is hashed differently from one sent empty. Pure.
[<RequireQualifiedAccess>]
module PageKey =

    let private orNull = Interop.orNull

    /// The header list learned from a Vary value: entries upper-cased, `-` as `_`, prefixed `HTTP_`, sorted;
    /// `Accept-Language` left out when `dropAcceptLanguage` (keys with a language suffix).
    let headerList (dropAcceptLanguage: bool) (vary: string option) : string list =
        List.ofSeq (PageCacheKeys.HeaderList(orNull vary, dropAcceptLanguage))

    /// The header list, the header key and the page key for a response (Django's `learn_cache_key` without its
    /// `cache.set`; `Accept-Language` is not listed when the scope has a language).
    let learn (scope: KeyScope) (request: RequestHead) (response: ResponseHead) : LearnedKey =
        let learned = PageCacheKeys.LearnCacheKey(request, response, scope.Prefix, orNull scope.Language, orNull scope.TimeZone)
        { HeaderKey = learned.HeaderKey; HeaderList = List.ofSeq learned.HeaderList; PageKey = learned.PageKey }

    /// The page key of the request's URL for `methodName` and the request's values of `headerList` (Django's
    /// `_generate_cache_key`).
    let getFor (methodName: string) (scope: KeyScope) (headerList: string list) (request: RequestHead) : string =
        PageCacheKeys.GenerateCacheKey(request, methodName, headerList, scope.Prefix, orNull scope.Language, orNull scope.TimeZone)

    /// The page key to look up for a request, given the header list stored under its header key (Django's
    /// `get_cache_key`): the key of a cached GET, so HEAD is served from it.
    let get (scope: KeyScope) (headerList: string list) (request: RequestHead) : string = getFor "GET" scope headerList request

    /// The key the request URL's header list is stored under (Django's `_generate_cache_header_key`).
    let headerKey (scope: KeyScope) (request: RequestHead) : string =
        PageCacheKeys.GenerateCacheHeaderKey(scope.Prefix, request, orNull scope.Language, orNull scope.TimeZone)

    /// The MD5 of the request's values of `headerList`: `-,` for a header it lacks, a netstring for one it sends.
    let headersDigest (headerList: string list) (request: RequestHead) : string = PageCacheKeys.HeadersDigest(request, headerList)

    /// The absolute URI the keys hash (Django's `iri_to_uri(request.build_absolute_uri())`).
    let absoluteUri (request: RequestHead) : string = AbsoluteUri.Build request

/// Template fragment keys (`{% cache 500 "sidebar" user.name %}`).
[<RequireQualifiedAccess>]
module FragmentKey =

    /// `template.cache.<name>.<md5>`, the MD5 over each vary value framed with its length, so `["a:b"]` and
    /// `["a"; "b"]` differ (Django's `make_template_fragment_key`, with upstream's netstring framing).
    let make (name: string) (varyOn: string list) : string = FragmentKeys.MakeTemplateFragmentKey(name, varyOn)
