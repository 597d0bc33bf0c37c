/// Caches.FromUri and the scheme registry: built-in schemes, policy arguments, custom schemes by
/// registration or by .NET type name, strict vs lenient, and the error texts.
module Backends.RegistryTests

open System
open System.IO
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.Database
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.Dummy
open FunctionalCache.Backends.File
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Memcached
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractValues
open FunctionalCache.Laws.ContractFixture
open Backends.BaseCacheTests

/// A custom backend found by type name: it stores nothing and keeps the request it was built from.
type CustomCache(request: BackendRequest) =
    inherit CacheBase(request.Policy, request.Context, KeyCheck.Warn)
    member _.Request = request
    override _.ReadCore(_key, _ct) = ValueTask<LanguageExt.Option<obj>>(LanguageExt.Option<obj>.None)
    override _.WriteCore(_key, _payload, _expiry, _ct) = ValueTask.CompletedTask
    override _.AddCore(_key, _payload, _expiry, _ct) = ValueTask<bool>(true)
    override _.TouchCore(_key, _expiry, _ct) = ValueTask<bool>(false)
    override _.RemoveCore(_key, _ct) = ValueTask<bool>(false)
    override _.ContainsCore(_key, _ct) = ValueTask<bool>(false)
    override _.IncrementCore(key, _delta, _ct) =
        ValueTask<LanguageExt.Either<CacheError, int64>>(LanguageExt.Either<CacheError, int64>.Left(CacheError.KeyNotFound key.Key))
    override _.ClearCore(_ct) = ValueTask.CompletedTask

/// A type with the right shape but no (BackendRequest) constructor.
type NoRequestConstructor() =
    inherit CacheBase(Policy.defaults, CacheContext.Default, KeyCheck.Warn)
    override _.ReadCore(_key, _ct) = ValueTask<LanguageExt.Option<obj>>(LanguageExt.Option<obj>.None)
    override _.WriteCore(_key, _payload, _expiry, _ct) = ValueTask.CompletedTask
    override _.AddCore(_key, _payload, _expiry, _ct) = ValueTask<bool>(true)
    override _.TouchCore(_key, _expiry, _ct) = ValueTask<bool>(false)
    override _.RemoveCore(_key, _ct) = ValueTask<bool>(false)
    override _.ContainsCore(_key, _ct) = ValueTask<bool>(false)
    override _.IncrementCore(key, _delta, _ct) =
        ValueTask<LanguageExt.Either<CacheError, int64>>(LanguageExt.Either<CacheError, int64>.Left(CacheError.KeyNotFound key.Key))
    override _.ClearCore(_ct) = ValueTask.CompletedTask

let private formatError (f: unit -> ICache) =
    (throws<FormatException> (fun () -> f () |> ignore)).Message

let private seconds (timeout: CacheTimeout) =
    match timeout with
    | ExpireAfter span -> Some span.TotalSeconds
    | PolicyDefault | NeverExpire -> None

let private tempDatabase () = Path.Combine(Path.GetTempPath(), $"fcache-registry-{Guid.NewGuid():N}.sqlite")

let private deleteDatabase (path: string) =
    for suffix in [ ""; "-wal"; "-shm"; "-journal" ] do
        if File.Exists(path + suffix) then File.Delete(path + suffix)

let private builtinSchemes () = String.Join(", ", CacheRegistry.Builtin.Schemes)

let private registration scheme (arguments: string list) (create: BackendRequest -> ICache) =
    BackendRegistration(
        scheme,
        LanguageExt.Prelude.toSeq arguments,
        Func<BackendRequest, LanguageExt.Validation<UriProblem, ICache>>(fun r -> LanguageExt.Validation<UriProblem, ICache>.Success(create r)))

[<Tests>]
let tests =
    testList "RegistryTests" [
        testCase "locmem:/// is a copying LocMemCache with Django's default policy" <| fun () ->
            let cache = Caches.FromUri("locmem:///") :?> LocMemCache
            Expect.equal cache.Store LocMemStore.Copy "store"
            Expect.equal cache.Policy Policy.defaults "policy"

        testCase "both locmem stores can be chosen" <| fun () ->
            Expect.equal (Caches.FromUri("locmem:///?store=copy") :?> LocMemCache).Store LocMemStore.Copy "copy"
            Expect.equal (Caches.FromUri("locmem:///?store=reference") :?> LocMemCache).Store LocMemStore.Reference "reference"

        testCase "timeout, max_entries and cull_frequency reach the policy" <| fun () ->
            let cache = Caches.FromUri("locmem:///?timeout=30&max_entries=400&cull_frequency=4&store=reference")
            Expect.equal (seconds cache.Policy.DefaultTimeout) (Some 30.0) "timeout"
            Expect.equal cache.Policy.MaxEntries 400 "max_entries"
            Expect.equal cache.Policy.CullFrequency 4 "cull_frequency"
            Expect.equal (cache :?> LocMemCache).Store LocMemStore.Reference "store"
            Expect.equal cache.Policy.KeyPrefix "" "prefix"
            Expect.equal cache.Policy.Version 1 "version"

        testCase "cull_percentage is an alias of cull_frequency, and 0 empties the cache when full" <| fun () ->
            Expect.equal (Caches.FromUri("locmem:///?cull_percentage=5").Policy.CullFrequency) 5 "alias"
            let cache = Caches.FromUri("locmem:///?cull_frequency=0&max_entries=2")
            Expect.equal cache.Policy.CullFrequency 0 "zero"
            for key in [ "a"; "b"; "c" ] do cache |> Cache.set key key |> run
            Expect.equal (cache |> Cache.getMany<string> [ "a"; "b"; "c" ] |> run) (Map [ "c", "c" ]) "emptied, then c written"

        testCase "a URI cache runs in the given context" <| fun () ->
            let clock, _, context = testContext ()
            let cache = Caches.FromUri("locmem:///?timeout=10", context)
            cache |> Cache.set "key" "value" |> run
            advance clock 10.0
            Expect.isFalse (cache |> Cache.hasKey "key" |> run) "the context's clock decides expiry"

        testCase "dummy:/// is a DummyCache with the URI's policy" <| fun () ->
            let cache = Caches.FromUri("dummy:///?timeout=60")
            Expect.isTrue (cache :? DummyCache) "type"
            Expect.equal (seconds cache.Policy.DefaultTimeout) (Some 60.0) "timeout"

        testCase "the known schemes are the four in FunctionalCache.Backends and the two packaged ones, sorted" <| fun () ->
            Expect.equal (List.ofSeq CacheRegistry.Builtin.Schemes) [ "chaos"; "db"; "dummy"; "file"; "locmem"; "memcached" ] "schemes"
            Expect.equal [ for r in BuiltinBackends.All -> r.Scheme ] [ "locmem"; "dummy"; "file"; "chaos" ] "registered in this package"
            Expect.equal [ for p in BuiltinBackends.Packaged -> p.Scheme, p.Package ]
                [ "db", "FunctionalCache.Backends.Database"; "memcached", "FunctionalCache.Backends.Memcached" ] "found by package"

        testCase "each registration lives with its backend" <| fun () ->
            for registration, scheme in [ LocMemBackend.Registration, "locmem"; DummyBackend.Registration, "dummy"; FileBackend.Registration, "file"
                                          DatabaseBackend.Registration, "db"; MemcachedBackend.Registration, "memcached" ] do
                Expect.equal registration.Scheme scheme scheme
                Expect.isTrue (CacheRegistry.Builtin.Find(scheme).Exists(fun found -> obj.ReferenceEquals(found, registration))) $"{scheme}: the registry finds this registration"

        testCase "a packaged scheme whose package is referenced is found by name and builds its cache" <| fun () ->
            let path = tempDatabase ()
            try
                Expect.isTrue (CacheRegistry.Builtin.UnknownScheme("db").IsNone) "db is known"
                Expect.isTrue (CacheRegistry.Builtin.UnknownScheme("memcached").IsNone) "memcached is known"
                use db = Caches.FromUri($"db://t?database={path}") :?> DatabaseCache
                Expect.equal db.Table "t" "a DatabaseCache"
                use mc = Caches.FromUri("memcached://127.0.0.1:11211/") :?> MemcachedCache
                Expect.equal (mc.Client.Options.Servers |> Seq.map string |> List.ofSeq) [ "127.0.0.1:11211" ] "a MemcachedCache"
            finally deleteDatabase path

        testCase "a packaged scheme whose package is missing says which package to add and what to register instead" <| fun () ->
            let nope = PackagedBackend("x", "FunctionalCache.Backends.Nope", "FunctionalCache.Backends.Nope.NopeBackend")
            Expect.equal nope.MissingMessage
                ("The 'x' backend is in the package FunctionalCache.Backends.Nope: add it to the project (dotnet add package FunctionalCache.Backends.Nope), "
                 + "or register FunctionalCache.Backends.Nope.NopeBackend.Registration with CacheRegistry.With.") "message"
            Expect.equal nope.AssemblyQualifiedName "FunctionalCache.Backends.Nope.NopeBackend, FunctionalCache.Backends.Nope" "where the registry looks"
            let db = BuiltinBackends.Packaged |> Seq.find (fun p -> p.Scheme = "db")
            Expect.equal db.MissingMessage
                ("The 'db' backend is in the package FunctionalCache.Backends.Database: add it to the project (dotnet add package FunctionalCache.Backends.Database), "
                 + "or register FunctionalCache.Backends.Database.DatabaseBackend.Registration with CacheRegistry.With.") "the db text"
            Expect.equal db.AssemblyQualifiedName (typedefof<DatabaseCache>.Namespace + ".DatabaseBackend, " + typedefof<DatabaseCache>.Assembly.GetName().Name) "names the real type and assembly"

        testCase "UnknownScheme gives the reason for a scheme that names no backend, and None for a known one" <| fun () ->
            Expect.isTrue (CacheRegistry.Builtin.UnknownScheme("locmem").IsNone) "locmem"
            Expect.isTrue (CacheRegistry.Builtin.UnknownScheme(typeof<CustomCache>.FullName).IsNone) "a loaded custom type"
            let problems = [ for p in CacheRegistry.Builtin.UnknownScheme "bogus" -> p.Part, p.Message ]
            Expect.equal problems [ "scheme", $"Unknown cache backend scheme 'bogus': it is not one of {builtinSchemes ()}, and no type of that name is loaded." ] "bogus"

        testCase "Cache.fromUri builds with the F# serializer, fromUriWith adjusts the policy, tryFromUri lists every problem" <| fun () ->
            let cache = Cache.fromUri "locmem:///?max_entries=50"
            cache |> Cache.set "shape" (Rectangle(1.0, 2.0)) |> run
            Expect.equal (cache |> Cache.tryGet<Shape> "shape" |> run) (Some(Rectangle(1.0, 2.0))) "a union round-trips"
            Expect.equal (Cache.policy cache).MaxEntries 50 "the URI's policy"
            let shop = "locmem:///?timeout=30" |> Cache.fromUriWith (Policy.prefix "shop" >> Policy.version 2)
            Expect.equal (Cache.policy shop |> Policy.makeKey "k") "shop:2:k" "the adjustment"
            Expect.equal (seconds (Cache.policy shop).DefaultTimeout) (Some 30.0) "over the URI's own arguments"
            let _, _, context = testContext ()
            match Cache.tryFromUri true context "locmem:///?colour=blue&timeout=abc" with
            | Error [ colour; timeout ] ->
                Expect.stringContains colour "'colour'" "the unknown argument"
                Expect.stringContains timeout "'timeout'" "the bad value"
            | other -> failtestf "strict: expected both problems, got %A" other
            match Cache.tryFromUri false context "locmem:///?colour=blue" with
            | Ok built -> Expect.equal (Cache.policy built) Policy.defaults "lenient: built, the unknown argument ignored"
            | Error problems -> failtestf "lenient: expected a cache, got %A" problems

        testCase "every built-in cache names its scheme for metrics, also behind InstrumentedCache; any other cache its type" <| fun () ->
            let dir = Directory.CreateTempSubdirectory("fcache-names-").FullName
            let path = tempDatabase ()
            try
                for scheme, uri in [ "locmem", "locmem:///"; "dummy", "dummy:///"; "file", $"file://{dir}"
                                     "db", $"db://t?database={path}"; "memcached", "memcached://127.0.0.1:11211/" ] do
                    let cache = Caches.FromUri uri
                    Expect.equal (CacheMetrics.BackendName cache) scheme uri
                    Expect.equal (CacheMetrics.BackendName(InstrumentedCache(cache, "alias"))) scheme $"{uri} instrumented"
                    match cache with :? IDisposable as d -> d.Dispose() | _ -> ()
                Expect.equal (CacheMetrics.BackendName(Caches.FromUri $"{typeof<CustomCache>.FullName}:///")) "CustomCache" "a custom CacheBase"
            finally
                deleteDatabase path
                Directory.Delete(dir, true)

        testCase "an unknown scheme is a FormatException naming the scheme and the known ones" <| fun () ->
            Expect.equal
                (formatError (fun () -> Caches.FromUri "bogus:///"))
                ("Invalid cache backend URI 'bogus:///':" + "\n"
                 + $"- Unknown cache backend scheme 'bogus': it is not one of {builtinSchemes ()}, and no type of that name is loaded.")
                "message"

        testCase "TryFromUri returns the problem instead of throwing" <| fun () ->
            let _, _, context = testContext ()
            let problems =
                match Caches.TryFromUri("bogus:///", context) |> Result.ofValidation with
                | Ok _ -> failtest "expected a failure"
                | Error problems -> problems
            Expect.equal (problems |> List.map (fun p -> p.Part)) [ "scheme" ] "one problem, in the scheme"

        testCase "a malformed URI is a FormatException with a header line and the problem" <| fun () ->
            Expect.equal
                (formatError (fun () -> Caches.FromUri "locmem"))
                ("Invalid cache backend URI 'locmem':\n- Backend URI must start with scheme://: 'locmem'")
                "message"

        testCase "a custom type is found by its full name and built from the request" <| fun () ->
            let _, _, context = testContext ()
            let name = typeof<CustomCache>.FullName
            Expect.equal name "Backends.RegistryTests+CustomCache" "the F# module nests the type"
            let cache = Caches.FromUri($"{name}://here/?timeout=7", context) :?> CustomCache
            Expect.equal cache.Request.Uri.Scheme name "scheme"
            Expect.equal cache.Request.Uri.Location "here" "location"
            Expect.equal (seconds cache.Request.Policy.DefaultTimeout) (Some 7.0) "policy"
            Expect.isTrue (obj.ReferenceEquals(cache.Request.Context, context)) "context"
            Expect.isFalse cache.Request.Strict "lenient by default"

        testCase "a custom type sees every argument written in its URI, even in strict mode" <| fun () ->
            let _, log, context = testContext ()
            let name = typeof<CustomCache>.FullName
            let cache = Caches.FromUri($"{name}:///?colour=blue&timeout=5", context, true) :?> CustomCache
            Expect.equal (cache.Request.Uri.Arguments.Find "colour") (LanguageExt.Prelude.Some "blue") "its own argument"
            Expect.equal (seconds cache.Request.Policy.DefaultTimeout) (Some 5.0) "the common one"
            Expect.isEmpty log.Messages "nothing to warn about"

        testCase "a custom type is found by its assembly-qualified name" <| fun () ->
            let name = $"{typeof<CustomCache>.FullName}, {typeof<CustomCache>.Assembly.GetName().Name}"
            Expect.equal name "Backends.RegistryTests+CustomCache, Cache.Tests" "name"
            let cache = Caches.FromUri($"{name}:///")
            Expect.isTrue (cache :? CustomCache) "type"

        testCase "a type that is no ICache, or lacks the (BackendRequest) constructor, is refused with the reason" <| fun () ->
            Expect.equal
                (formatError (fun () -> Caches.FromUri "System.Text.StringBuilder:///"))
                ("Invalid cache backend URI 'System.Text.StringBuilder:///':" + "\n"
                 + $"- Unknown cache backend scheme 'System.Text.StringBuilder': it is not one of {builtinSchemes ()}, and type System.Text.StringBuilder does not implement ICache.")
                "not a cache"
            let name = typeof<NoRequestConstructor>.FullName
            Expect.equal
                (formatError (fun () -> Caches.FromUri $"{name}:///"))
                ($"Invalid cache backend URI '{name}:///':" + "\n"
                 + $"- Unknown cache backend scheme '{name}': it is not one of {builtinSchemes ()}, and type {name} has no public constructor taking a BackendRequest.")
                "no constructor"

        testCase "a registered scheme builds its backend and reads its own arguments" <| fun () ->
            let _, log, context = testContext ()
            let registry = CacheRegistry.Builtin.With(registration "mine" [ "colour" ] (fun r -> CustomCache r :> ICache))
            let cache = registry.FromUri("mine://somewhere/?colour=blue&timeout=5", context) :?> CustomCache
            Expect.equal (cache.Request.Uri.Arguments.Find "colour") (LanguageExt.Prelude.Some "blue") "its argument"
            Expect.equal cache.Request.Uri.Location "somewhere" "location"
            Expect.equal (seconds cache.Policy.DefaultTimeout) (Some 5.0) "timeout"
            Expect.isEmpty log.Messages "nothing ignored"
            Expect.contains registry.Schemes "mine" "listed"
            Expect.isFalse (Seq.contains "mine" CacheRegistry.Builtin.Schemes) "Builtin itself is unchanged"

        testCase "a policy adjustment sets what a URI cannot say, over the URI's own arguments" <| fun () ->
            let _, _, context = testContext ()
            let cache =
                CacheRegistry.Builtin.FromUri("locmem:///?timeout=30&max_entries=40", context,
                                              Func<CachePolicy, CachePolicy>(fun p -> p.WithKeyPrefix("site1").WithVersion(2)))
            Expect.equal (seconds cache.Policy.DefaultTimeout) (Some 30.0) "the URI's timeout"
            Expect.equal cache.Policy.MaxEntries 40 "the URI's max_entries"
            Expect.equal (cache.Policy.KeyPrefix, cache.Policy.Version) ("site1", 2) "the adjustment"
            Expect.equal (cache.Policy.MakeKey "k") "site1:2:k" "made keys follow"

        testCase "registering a built-in scheme replaces it in the new registry only" <| fun () ->
            let registry = CacheRegistry.Builtin.With(registration "locmem" [] (fun r -> CustomCache r :> ICache))
            Expect.isTrue (registry.FromUri("locmem:///", CacheContext.Default) :? CustomCache) "replaced"
            Expect.isTrue (Caches.FromUri("locmem:///") :? LocMemCache) "Builtin still has the original"

        testCase "lenient: a bad store value is logged and the default store applies" <| fun () ->
            let _, log, context = testContext ()
            let cache = Caches.FromUri("locmem:///?store=bogus", context) :?> LocMemCache
            Expect.equal cache.Store LocMemStore.Copy "default store"
            Expect.equal log.Messages [ "Argument 'store' must be 'copy' or 'reference', not 'bogus'. The default applies." ] "warning"

        testCase "strict: a bad store value is a FormatException" <| fun () ->
            let _, _, context = testContext ()
            Expect.equal
                (formatError (fun () -> Caches.FromUri("locmem:///?store=bogus", context, strict = true)))
                ("Invalid cache backend URI 'locmem:///?store=bogus':\n- Argument 'store' must be 'copy' or 'reference', not 'bogus'.")
                "message"

        testCase "lenient: unknown arguments and bad values are logged and ignored" <| fun () ->
            let _, log, context = testContext ()
            let cache = Caches.FromUri("locmem:///?colour=blue&timeout=abc", context)
            Expect.equal cache.Policy Policy.defaults "defaults apply"
            Expect.equal log.Messages.Length 2 "one warning each"
            Expect.stringContains log.Messages[0] "'colour'" "names the unknown argument"
            Expect.stringEnds log.Messages[0] " It is ignored." "says it is ignored"
            Expect.stringContains log.Messages[1] "'timeout'" "names the bad value's argument"
            Expect.stringEnds log.Messages[1] " It is ignored." "says it is ignored"

        testCase "built-in and packaged schemes match in any case; a custom type name matches exactly" <| fun () ->
            let dir = Path.Combine(Path.GetTempPath(), "fcache-case")
            Expect.equal (Caches.FromUri($"FILE://{dir}") :?> FileBasedCache).CacheDirectory dir "FILE"
            Expect.isTrue (Caches.FromUri("LocMem:///") :? LocMemCache) "LocMem"
            Expect.isTrue (CacheRegistry.Builtin.Find("DB").IsSome) "DB, packaged"
            use mc = Caches.FromUri("Memcached://127.0.0.1:11211/") :?> MemcachedCache
            Expect.equal mc.BackendName "memcached" "Memcached"
            let mine = CacheRegistry.Builtin.With(registration "Mine" [] (fun r -> CustomCache r :> ICache))
            Expect.isTrue (mine.FromUri("mINE:///", CacheContext.Default) :? CustomCache) "a registered scheme too"
            Expect.isTrue (mine.With(registration "MINE" [] (fun r -> CustomCache r :> ICache)).Schemes |> Seq.filter (fun s -> s.ToLowerInvariant() = "mine") |> Seq.toList = [ "MINE" ]) "one entry per scheme, the last spelling"
            let lower = typeof<CustomCache>.FullName.ToLowerInvariant()
            Expect.stringContains (formatError (fun () -> Caches.FromUri $"{lower}:///")) "no type of that name is loaded" "type names are case-sensitive"

        testCase "file://localhost/p is the directory /p (RFC 8089), in any case of localhost" <| fun () ->
            let _, log, context = testContext ()
            for uri in [ "file://localhost/tmp/fcache-x"; "file://LOCALHOST/tmp/fcache-x"; "file:///tmp/fcache-x" ] do
                Expect.equal (Caches.FromUri(uri, context, true) :?> FileBasedCache).CacheDirectory "/tmp/fcache-x" uri
            Expect.isEmpty log.Messages "an absolute directory is no warning"
            Expect.equal
                (formatError (fun () -> Caches.FromUri("file://localhost/", context)))
                "Invalid cache backend URI 'file://localhost/':\n- The file backend needs a directory, as in 'file:///var/tmp/cache'; the location is empty."
                "localhost alone names no directory"

        testCase "file:///a%20c is the directory '/a c'; db and memcached locations decode too" <| fun () ->
            Expect.equal (Caches.FromUri("file:///tmp/a%20c%23d") :?> FileBasedCache).CacheDirectory "/tmp/a c#d" "file"
            let path = tempDatabase ()
            try
                use db = Caches.FromUri($"db://my%%20table?database={path}") :?> DatabaseCache
                Expect.equal db.Table "my table" "db table"
            finally deleteDatabase path
            Expect.equal
                (formatError (fun () -> Caches.FromUri("file:///tmp/100%")))
                "Invalid cache backend URI 'file:///tmp/100%':\n- Backend URI location '/tmp/100%' has a malformed percent escape '%': write %25 for a '%' that belongs to it."
                "a malformed escape: one line naming it"
            Expect.equal
                (formatError (fun () -> Caches.FromUri("file:///tmp/x#top")))
                "Invalid cache backend URI 'file:///tmp/x#top':\n- Backend URI must not have a fragment ('#top'): write %23 for a '#' in a location or a value: 'file:///tmp/x#top'"
                "a fragment: one line naming it"

        testCase "a relative file location is accepted with a warning naming the directory it resolves to; strict refuses it" <| fun () ->
            let _, log, context = testContext ()
            let cache = Caches.FromUri("file://relative/cache", context) :?> FileBasedCache
            let full = Path.GetFullPath "relative/cache"
            Expect.equal cache.CacheDirectory full "resolved against the working directory, as Django does"
            Expect.equal log.Messages
                [ $"The file cache location 'relative/cache' is a relative path: it resolves against the working directory, to '{full}'. Write an absolute path, as in 'file:///var/tmp/cache'." ]
                "warned"
            Expect.equal
                (formatError (fun () -> Caches.FromUri("file://relative/cache", context, true)))
                ($"Invalid cache backend URI 'file://relative/cache':\n- The file cache location 'relative/cache' is a relative path: it resolves against the working directory, to '{full}'. Write an absolute path, as in 'file:///var/tmp/cache'.")
                "strict: refused"
            Expect.equal
                (formatError (fun () -> Caches.FromUri("file:///tmp/a%00b")))
                "Invalid cache backend URI 'file:///tmp/a%00b':\n- The file cache location '/tmp/a\\x00b' holds a NUL character, which no path can hold."
                "a NUL is refused, not an ArgumentException"

        testCase "strict: unknown arguments and bad values are a FormatException listing each" <| fun () ->
            let _, log, context = testContext ()
            let message = formatError (fun () -> Caches.FromUri("locmem:///?colour=blue&timeout=abc", context, true))
            let lines = message.Split('\n')
            Expect.equal lines[0] "Invalid cache backend URI 'locmem:///?colour=blue&timeout=abc':" "header"
            Expect.equal lines.Length 3 "one line per problem"
            Expect.stringContains lines[1] "'colour'" "unknown argument"
            Expect.stringContains lines[2] "'timeout'" "bad value"
            Expect.isEmpty log.Messages "nothing logged in strict mode"
    ]
