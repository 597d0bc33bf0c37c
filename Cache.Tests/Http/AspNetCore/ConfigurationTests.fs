/// Named caches from configuration: `AddFunctionalCache(section)` binding a Django CACHES-like section
/// (URI strings and objects, from JSON and the environment), the exact validation messages, and the
/// page cache resolving a configured alias through the same provider.
module Http.AspNetCore.ConfigurationTests

open System
open System.IO
open System.Text
open Expecto
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open FunctionalCache
open FunctionalCache.Backends.Diagnostics
open FunctionalCache.Backends.LocMem
open FunctionalCache.Backends.Dummy
open FunctionalCache.Http.AspNetCore
open Http.AspNetCore.TestServer

let private fromJson (json: string) : IConfiguration =
    ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes json)).Build() :> IConfiguration

let private servicesFor (section: IConfiguration) : ServiceProvider =
    ServiceCollection().AddFunctionalCache(section).BuildServiceProvider()

let private inner (cache: ICache) =
    match cache with
    | :? InstrumentedCache as i -> i.Inner
    | other -> other

let private problemsOf (json: string) : string =
    let e = Backends.BaseCacheTests.throws<ArgumentException> (fun () -> ServiceCollection().AddFunctionalCache((fromJson json).GetSection "Caches") |> ignore)
    e.Message

let private goodJson = """
{ "Caches": {
    "default": "locmem:///?max_entries=500&timeout=30",
    "pages": { "backend": "locmem", "timeout": 60, "options": { "max_entries": "7", "cull_frequency": "0" },
               "key_prefix": "site", "version": 3 },
    "forever": { "backend": "locmem", "timeout": "none" },
    "nothing": { "backend": "dummy" } } }"""

[<Tests>]
let tests =
    testList "Http.AspNetCore.ConfigurationTests" [
        testCase "a section of URI strings and objects binds every alias with its policy" <| fun () ->
            use services = servicesFor ((fromJson goodJson).GetSection "Caches")
            let provider = services.GetRequiredService<ICacheProvider>()
            Expect.equal (List.ofSeq provider.Aliases) [ "default"; "forever"; "nothing"; "pages" ] "aliases in ordinal order"
            let d = provider.["default"].Policy
            Expect.equal (d.MaxEntries, d.DefaultTimeout) (500, CacheTimeout.After(TimeSpan.FromSeconds 30.0)) "URI string arguments"
            let p = provider.["pages"].Policy
            Expect.equal (p.MaxEntries, p.CullFrequency, p.KeyPrefix, p.Version) (7, 0, "site", 3) "object options, prefix and version"
            Expect.equal p.DefaultTimeout (CacheTimeout.After(TimeSpan.FromSeconds 60.0)) "object timeout"
            Expect.equal (p.MakeKey(CacheKey("k", 3))) "site:3:k" "made keys use the configured prefix and version"
            Expect.equal provider.["forever"].Policy.DefaultTimeout CacheTimeout.Never "timeout none is Never"
            Expect.isTrue (inner provider.["pages"] :? LocMemCache) "locmem backend"
            Expect.isTrue (inner provider.["nothing"] :? DummyCache) "dummy backend"

        testCase "the default ICache, the keyed ICache services and the provider are the same instances" <| fun () ->
            use services = servicesFor ((fromJson goodJson).GetSection "Caches")
            let provider = services.GetRequiredService<ICacheProvider>()
            Expect.isTrue (obj.ReferenceEquals(services.GetRequiredService<ICache>(), provider.Default)) "default"
            Expect.isTrue (obj.ReferenceEquals(provider.Default, provider.["default"])) "Default is [\"default\"]"
            for alias in provider.Aliases do
                Expect.isTrue (obj.ReferenceEquals(services.GetRequiredKeyedService<ICache>(alias), provider.[alias])) alias
            Expect.isTrue (provider.Default :? InstrumentedCache) "configured caches are instrumented"

        testCase "an object's location is a plain path: %, ? and # in it are escaped into the URI, and the backend in any case" <| fun () ->
            let dir = Path.Combine(Path.GetTempPath(), "fcache 100% #1?x")
            let json = $$"""{ "Caches": { "default": "locmem:///", "files": { "backend": "FILE", "location": {{Text.Json.JsonSerializer.Serialize dir}} },
                                          "mem": { "backend": "LocMem" } } }"""
            use services = servicesFor ((fromJson json).GetSection "Caches")
            let provider = services.GetRequiredService<ICacheProvider>()
            Expect.equal (inner provider.["files"] :?> FunctionalCache.Backends.File.FileBasedCache).CacheDirectory dir "the directory as configured"
            Expect.isTrue (inner provider.["mem"] :? LocMemCache) "LocMem gets its slash and its backend"

        testCase "configuration replaces a default cache registered before it" <| fun () ->
            let services = ServiceCollection()
            services.AddFunctionalCache(LocMemCache() :> ICache).AddFunctionalCache((fromJson goodJson).GetSection "Caches") |> ignore
            use built = services.BuildServiceProvider()
            Expect.isTrue (obj.ReferenceEquals(built.GetRequiredService<ICache>(), built.GetRequiredService<ICacheProvider>().Default)) "agree"

        testCase "caches come from environment variables too (Caches__alias and Caches__alias__setting)" <| fun () ->
            let prefix = $"FCTEST_{Guid.NewGuid():N}_"
            let vars = [ prefix + "Caches__default", "locmem:///?timeout=42"
                         prefix + "Caches__sessions__backend", "locmem"
                         prefix + "Caches__sessions__key_prefix", "s" ]
            try
                for (k, v) in vars do Environment.SetEnvironmentVariable(k, v)
                let config = ConfigurationBuilder().AddEnvironmentVariables(prefix).Build()
                use services = servicesFor (config.GetSection "Caches")
                let provider = services.GetRequiredService<ICacheProvider>()
                Expect.equal provider.Default.Policy.DefaultTimeout (CacheTimeout.After(TimeSpan.FromSeconds 42.0)) "default"
                Expect.equal provider.["sessions"].Policy.KeyPrefix "s" "sessions"
            finally
                for (k, _) in vars do Environment.SetEnvironmentVariable(k, null)

        testCase "an unknown alias is an error naming it and the configured aliases" <| fun () ->
            use services = servicesFor ((fromJson goodJson).GetSection "Caches")
            let provider = services.GetRequiredService<ICacheProvider>()
            let e = Backends.BaseCacheTests.throws<ArgumentException> (fun () -> provider.["sesions"] |> ignore)
            Expect.equal e.Message "No cache is configured under the alias 'sesions'; the configured aliases are default, forever, nothing, pages." "message"

        testCase "every problem of a bad section is reported in one message, one line each" <| fun () ->
            let json = """
{ "Caches": {
    "pages": { "backend": "locmem", "locaton": "x", "timeout": "soon", "version": "two" },
    "blank": "",
    "nobackend": { "location": "/tmp/x" },
    "typo": "locmen:///",
    "broken": "no-scheme-here" } }"""
            Expect.equal (problemsOf json)
                ("Invalid cache configuration 'Caches':\n"
                 + "- No 'default' cache is configured; the configured aliases are blank, broken, nobackend, pages, typo.\n"
                 + "- 'blank': the cache URI is empty.\n"
                 + "- 'broken': Backend URI must start with scheme://: 'no-scheme-here'\n"
                 + "- 'nobackend': 'backend' is required (a scheme such as locmem, file, db, memcached or dummy).\n"
                 + "- 'pages': unknown setting 'locaton'; the settings are backend, location, timeout, options, key_prefix, version, tiers, backplane, fail_safe.\n"
                 + "- 'pages': timeout 'soon' is not a whole number of seconds or 'none'.\n"
                 + "- 'pages': version 'two' is not a whole number.\n"
                 + "- 'typo': Unknown cache backend scheme 'locmen': it is not one of chaos, db, dummy, file, locmem, memcached, redis, rediss, and no type of that name is loaded.")
                "the whole message"

        testCase "a missing section says so" <| fun () ->
            Expect.equal (problemsOf """{ "Other": 1 }""")
                "Invalid cache configuration 'Caches':\n- No 'default' cache is configured (the section is empty or missing)." "message"

        testCase "the page cache and the CachePage decorator resolve a configured alias through the provider" <| fun () ->
            let clock = FakeTimeProvider(defaultStart)
            let json = """{ "Caches": { "default": "locmem:///", "pages": { "backend": "locmem", "key_prefix": "p" } } }"""
            let counter = Counter()
            use server =
                startWith clock None (fun s -> s.AddFunctionalCache((fromJson json).GetSection "Caches") |> ignore) (fun app ->
                    (mapGet app "/view" (handler (fun ctx -> write ctx $"Hello {counter.Next()}"))).CachePage(TimeSpan.FromSeconds 60.0, "pages", "")
                    |> ignore)
            let first = server.Get "/view"
            let second = server.Get "/view"
            Expect.equal (first.Text, second.Text) ("Hello 1", "Hello 1") "the second request is served from the cache"
            Expect.equal second.XCache "HIT" "hit"
            let provider = server.App.Services.GetRequiredService<ICacheProvider>()
            Expect.equal ((inner provider.["pages"] :?> LocMemCache).Count) 3 "the header list, the URL stamp (docs/tags.md) and the page went into 'pages'"
            Expect.equal ((inner provider.Default :?> LocMemCache).Count) 0 "nothing went into 'default'"
    ]
