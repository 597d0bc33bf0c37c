using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// The <c>redis</c> scheme: <c>redis://[user:password@]host:6379/0</c>, several servers <c>redis://h1:6379;h2:6380/</c>
/// (the first the primary for writes, the others replicas for reads, as Django 4.0), plus the common <c>timeout</c> and
/// these arguments: <c>db</c> (the database number), <c>cluster</c> (<c>true</c>: the servers are Redis Cluster nodes),
/// <c>connect_timeout</c> and <c>sync_timeout</c> (seconds), <c>throw_on_failure</c> and <c>flush_db</c>
/// (<c>true</c>/<c>false</c>), <c>user</c> and <c>password</c> (what a configuration's <c>options</c> section gives) and
/// <c>password_env</c> (the name of an environment variable that holds the password).
/// </summary>
/// <remarks>
/// <c>rediss://</c> (<see cref="RedisTlsBackend"/>) is the same over TLS. <c>max_entries</c> and <c>cull_frequency</c>
/// are accepted and have no effect: Redis evicts by its own <c>maxmemory-policy</c>. No problem text quotes a password.
/// </remarks>
public static class RedisBackend
{
    /// <summary>The argument names the scheme reads besides the common ones.</summary>
    internal static Seq<string> ArgumentNames { get; } =
        Seq("db", "cluster", "connect_timeout", "sync_timeout", "throw_on_failure", "flush_db", "user", "password", "password_env");

    /// <summary>The registration of the <c>redis</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("redis", ArgumentNames, request => Create(request, useTls: false));

    /// <summary>Builds a cache for a <c>redis://</c> or <c>rediss://</c> request.</summary>
    internal static Validation<UriProblem, ICache> Create(BackendRequest request, bool useTls)
    {
        var built = OptionsFor(request.Uri.Locations);
        if (built.IsFail) return built.Match(Succ: _ => throw new InvalidOperationException(), Fail: problems => Validation<UriProblem, ICache>.Fail(problems));
        var options = built.Match(o => o, _ => throw new InvalidOperationException()).WithTls(useTls);

        var hard = Seq<UriProblem>();
        var reader = new UriArgumentReader(request.Uri);
        var args = request.Uri.Arguments;
        reader.Seconds("connect_timeout").Iter(t => options = options.WithConnectTimeout(t));
        reader.Seconds("sync_timeout").Iter(t => options = options.WithSyncTimeout(t));
        reader.Flag("throw_on_failure").Iter(throws => options = options.WithThrowOnFailure(throws));
        reader.Flag("flush_db").Iter(flush => options = options.WithFlushDatabaseOnClear(flush));
        reader.Flag("cluster").Iter(cluster => options = options.WithCluster(cluster));
        var soft = reader.Problems;

        // A database or a credential that cannot be used would reach the wrong data or none: never lenient.
        args.Find("db").Iter(text =>
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
                hard = hard.Add(new UriProblem("argument 'db'", $"Argument 'db' must be a whole number from 0, not '{text}'."));
            else if (request.Uri.Locations.Exists(l => RedisLocation.TryParse(l).Exists(p => p.Database is { } d && d != db)))
                hard = hard.Add(new UriProblem("argument 'db'", $"Argument 'db' ({db}) names another database than the location's path ({options.Database})."));
            else options = options.WithDatabase(db);
        });
        if (options.Cluster && options.Database != 0)
            hard = hard.Add(new UriProblem("argument 'db'", $"Redis Cluster has only database 0, not {options.Database}."));

        var password = args.Find("password");
        args.Find("password_env").Iter(variable =>
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(fromEnvironment))
                hard = hard.Add(new UriProblem("argument 'password_env'", $"Argument 'password_env' names the environment variable '{variable}', which is not set."));
            else if (password.IsSome || options.HasPassword)
                hard = hard.Add(new UriProblem("argument 'password_env'", "Argument 'password_env' and a password in the URI or the 'password' argument are both given; give one."));
            else password = fromEnvironment;
        });
        var user = args.Find("user");
        if (password.IsSome && options.HasPassword)
            hard = hard.Add(new UriProblem("argument 'password'", "Argument 'password' and a password in the location are both given; give one."));
        else if (password.IsSome || user.IsSome)
        {
            if (user.IsSome && options.User.IsSome && user != options.User)
                hard = hard.Add(new UriProblem("argument 'user'", "Argument 'user' names another user than the location."));
            else if (password.IsNone && !options.HasPassword)
                hard = hard.Add(new UriProblem("argument 'user'", "Argument 'user' needs a password (in the location, 'password' or 'password_env')."));
            else
            {
                var name = user.IsSome ? user.IfNone("") : options.User.IsSome ? options.User.IfNone("") : null;
                options = options.WithCredentials(name, password.IsSome ? password.IfNone("") : options.Password!);
            }
        }
        if (!hard.IsEmpty) return Validation<UriProblem, ICache>.Fail(request.Strict ? hard + soft : hard);

        var finalOptions = options;
        return request.BadValues(soft, () => new RedisCache(finalOptions, request.Policy, request.Context));
    }

    /// <summary>The options for the parts of a location: servers, database and credentials, or every problem with them.</summary>
    internal static Validation<UriProblem, RedisOptions> OptionsFor(Seq<string> parts)
    {
        if (parts.IsEmpty)
            return Validation<UriProblem, RedisOptions>.Fail(Seq1(new UriProblem("location", "The redis backend needs at least one server, as in 'redis://127.0.0.1:6379/0'.")));
        var parsed = parts.Map(RedisLocation.TryParse).Strict();
        var problems = parsed.Bind(p => p.LeftToSeq()).Map(m => new UriProblem("location", m));
        var locations = parsed.Bind(p => p.RightToSeq());
        var databases = locations.Choose(l => Optional(l.Database)).Distinct();
        if (databases.Count > 1)
            problems = problems.Add(new UriProblem("location", $"The servers name different databases ({string.Join(", ", databases)}); a cache uses one."));
        // Credentials written on any one server apply to all of them; two different ones are a mistake.
        var users = locations.Choose(l => Optional(l.User)).Distinct();
        var passwords = locations.Choose(l => Optional(l.Password)).Distinct();
        if (users.Count > 1 || passwords.Count > 1)
            problems = problems.Add(new UriProblem("location", "The servers are given different users or passwords; a cache authenticates the same way on every server."));
        if (!problems.IsEmpty) return Validation<UriProblem, RedisOptions>.Fail(problems);
        var options = RedisOptions.For(locations.Map(l => l.Endpoint)).WithDatabase(databases.HeadOrNone().IfNone(0));
        if (!passwords.IsEmpty) options = options.WithCredentials(users.HeadOrNone().IfNoneUnsafe((string?)null), passwords.Head);
        else if (!users.IsEmpty) return Validation<UriProblem, RedisOptions>.Fail(Seq1(new UriProblem("location", "The location names a user without a password (write user:password@host).")));
        return Validation<UriProblem, RedisOptions>.Success(options);
    }
}
