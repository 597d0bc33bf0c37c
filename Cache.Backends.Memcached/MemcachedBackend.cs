using System.Globalization;
using LanguageExt;
using Microsoft.Extensions.Logging;
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
        var problems = Seq<UriProblem>();
        var args = request.Uri.Arguments;
        void Seconds(string name, Func<MemcachedOptions, TimeSpan, MemcachedOptions> apply) =>
            args.Find(name).Iter(text =>
            {
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 86_400) options = apply(options, TimeSpan.FromSeconds(s));
                else problems = problems.Add(new UriProblem($"argument '{name}'", $"Argument '{name}' must be a positive number of seconds under a day, not '{text}'."));
            });
        Seconds("connect_timeout", (o, t) => o.WithConnectTimeout(t));
        Seconds("read_timeout", (o, t) => o.WithReadTimeout(t));
        Seconds("write_timeout", (o, t) => o.WithWriteTimeout(t));
        Seconds("dead_retry", (o, t) => o.WithDeadServerBackOff(t));
        args.Find("pool_size").Iter(text =>
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024) options = options.WithPoolSize(n);
            else problems = problems.Add(new UriProblem("argument 'pool_size'", $"Argument 'pool_size' must be a whole number from 1 to 1024, not '{text}'."));
        });
        bool? Flag(string name)
        {
            var text = args.Find(name).IfNoneUnsafe((string?)null);
            switch (text)
            {
                case null: return null;
                case "true" or "1": return true;
                case "false" or "0": return false;
                default:
                    problems = problems.Add(new UriProblem($"argument '{name}'", $"Argument '{name}' must be 'true' or 'false', not '{text}'."));
                    return null;
            }
        }
        if (Flag("throw_on_failure") is { } throws) options = options.WithThrowOnFailure(throws);
        if (Flag("flush_on_revival") is { } flushes) options = options.WithFlushOnRevival(flushes);
        if (Flag("hash_keys") == true) policy = policy.WithKeyFunction(MemcachedKeys.HashLongOrUnsafe);

        var finalOptions = options;
        var finalPolicy = policy;
        if (problems.IsEmpty) return Validation<UriProblem, ICache>.Success(new MemcachedCache(finalOptions, finalPolicy, request.Context));
        if (request.Strict) return Validation<UriProblem, ICache>.Fail(problems);
        // Lenient: every bad value is logged and its default applies (the good ones stay applied).
        foreach (var problem in problems.Skip(1)) request.Context.Logger.LogWarning("{UriWarning} The default applies.", problem.Message);
        return request.BadValue(problems.Head, () => new MemcachedCache(finalOptions, finalPolicy, request.Context));
    }
}
