using FunctionalCache.Backends.Dummy;
using FunctionalCache.Backends.File;
using FunctionalCache.Backends.LocMem;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>The backends the registry knows: those in this package, and those in packages of their own.</summary>
internal static class BuiltinBackends
{
    /// <summary>The registrations of the backends in this package: <c>locmem</c>, <c>dummy</c>, <c>file</c> and <c>chaos</c>.</summary>
    public static Seq<BackendRegistration> All { get; } = Seq(LocMemBackend.Registration, DummyBackend.Registration, FileBackend.Registration, Chaos.ChaosBackend.Registration);

    /// <summary>The schemes whose backends ship in their own packages: <c>db</c>, <c>memcached</c>, <c>redis</c> and <c>rediss</c>.</summary>
    public static Seq<PackagedBackend> Packaged { get; } = Seq(
        new PackagedBackend("db", "FunctionalCache.Backends.Database", "FunctionalCache.Backends.Database.DatabaseBackend"),
        new PackagedBackend("memcached", "FunctionalCache.Backends.Memcached", "FunctionalCache.Backends.Memcached.MemcachedBackend"),
        new PackagedBackend("redis", "FunctionalCache.Backends.Redis", "FunctionalCache.Backends.Redis.RedisBackend"),
        new PackagedBackend("rediss", "FunctionalCache.Backends.Redis", "FunctionalCache.Backends.Redis.RedisTlsBackend"));
}
