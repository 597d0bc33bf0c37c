using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// The <c>memcached</c> scheme: <c>memcached://h1:11211;h2:11212/</c> (<c>,</c> also separates servers,
/// <c>unix:/path</c> names a socket), plus the common <c>timeout</c> and these arguments:
/// <c>connect_timeout</c>, <c>read_timeout</c>, <c>write_timeout</c> and <c>dead_retry</c> (seconds),
/// <c>pool_size</c> (connections per server), <c>throw_on_failure</c> (<c>true</c>/<c>false</c>),
/// <c>hash_keys</c> (<c>true</c>: <see cref="MemcachedKeys.HashLongOrUnsafe"/>) and <c>flush_on_revival</c>
/// (<c>false</c>: see <see cref="MemcachedOptions.FlushOnRevival"/>).
/// </summary>
/// <remarks><c>max_entries</c> and <c>cull_frequency</c> are accepted and have no effect: memcached evicts by itself.</remarks>
public static class MemcachedBackend
{
    /// <summary>The registration of the <c>memcached</c> scheme.</summary>
    public static BackendRegistration Registration { get; } =
        new("memcached", Seq("connect_timeout", "read_timeout", "write_timeout", "dead_retry", "pool_size", "throw_on_failure", "hash_keys", "flush_on_revival"), Create);

    private static Validation<UriProblem, ICache> Create(BackendRequest request)
    {
        var servers = request.Uri.Locations.Map(MemcachedServer.TryParse);
        var broken = servers.Bind(s => s.LeftToSeq()).Map(p => new UriProblem("location", p));
        if (request.Uri.Locations.IsEmpty) broken = Seq1(new UriProblem("location", "The memcached backend needs at least one server, as in 'memcached://127.0.0.1:11211/'."));
        if (!broken.IsEmpty) return Validation<UriProblem, ICache>.Fail(broken);

        var options = MemcachedOptions.For(servers.Bind(s => s.RightToSeq()));
        var policy = request.Policy;
        var args = new UriArgumentReader(request.Uri);
        args.Seconds("connect_timeout").Iter(t => options = options.WithConnectTimeout(t));
        args.Seconds("read_timeout").Iter(t => options = options.WithReadTimeout(t));
        args.Seconds("write_timeout").Iter(t => options = options.WithWriteTimeout(t));
        args.Seconds("dead_retry").Iter(t => options = options.WithDeadServerBackOff(t));
        args.WholeNumber("pool_size", 1, 1024).Iter(n => options = options.WithPoolSize(n));
        args.Flag("throw_on_failure").Iter(throws => options = options.WithThrowOnFailure(throws));
        args.Flag("flush_on_revival").Iter(flushes => options = options.WithFlushOnRevival(flushes));
        if (args.Flag("hash_keys").IfNone(false)) policy = policy.WithKeyFunction(MemcachedKeys.HashLongOrUnsafe);

        var finalOptions = options;
        var finalPolicy = policy;
        return request.BadValues(args.Problems, () => new MemcachedCache(finalOptions, finalPolicy, request.Context));
    }
}
