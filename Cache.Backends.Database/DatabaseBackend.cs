using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// The <c>db</c> scheme: <c>db://TABLE?database=PATH</c> (SQLite, the default provider) or
/// <c>db://TABLE?provider=postgres&amp;connection=CONNECTION-STRING</c>, plus the common
/// <c>timeout</c>, <c>max_entries</c> and <c>cull_frequency</c>.
/// </summary>
/// <remarks>
/// Django's query syntax splits pairs at <c>;</c> as well as <c>&amp;</c>, so the semicolons of a
/// connection string must be written <c>%3B</c>. <c>command_timeout</c> (seconds) bounds every lock or
/// server wait. A missing location is an error in both modes: there is no sensible default file.
/// </remarks>
public static class DatabaseBackend
{
    /// <summary>The registration of the <c>db</c> scheme.</summary>
    public static BackendRegistration Registration { get; } =
        new("db", Seq("database", "provider", "connection", "command_timeout"), Create);

    private static Validation<UriProblem, ICache> Create(BackendRequest request)
    {
        var table = request.Uri.Location;
        var problems = DatabaseCacheTable.Problem(table).Map(p => new UriProblem("table", p)).ToSeq();
        var args = request.Uri.Arguments;
        var reader = new UriArgumentReader(request.Uri);
        var commandTimeout = reader.Read("command_timeout", "a positive number of seconds", text =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < int.MaxValue
                    ? Some(TimeSpan.FromSeconds(s))
                    : None)
            .IfNone(DatabaseLocation.DefaultCommandTimeout);
        var provider = args.Find("provider").IfNone("sqlite");
        var location = Locate(args, provider, commandTimeout);
        problems = problems + location.LeftToSeq();
        if (!problems.IsEmpty) return Validation<UriProblem, ICache>.Fail(problems);
        return request.BadValues(reader.Problems, () => new DatabaseCache(table, location.RightToSeq().Head, request.Policy, request.Context));
    }

    private static Either<UriProblem, DatabaseLocation> Locate(Map<string, string> args, string provider, TimeSpan commandTimeout)
    {
        try
        {
            return Where(args, provider, commandTimeout);
        }
        catch (ArgumentException e)
        {
            return Left<UriProblem, DatabaseLocation>(new UriProblem("argument 'connection'", e.Message));
        }
    }

    private static Either<UriProblem, DatabaseLocation> Where(Map<string, string> args, string provider, TimeSpan commandTimeout) =>
        provider switch
        {
            "sqlite" => args.Find("database").Match(
                Some: path => Right<UriProblem, DatabaseLocation>(DatabaseLocation.Sqlite(path, commandTimeout)),
                None: () => args.Find("connection").Match(
                    Some: cs => Right<UriProblem, DatabaseLocation>(DatabaseLocation.Sqlite(new System.Data.SQLite.SQLiteConnectionStringBuilder(cs).DataSource, commandTimeout)),
                    None: () => Left<UriProblem, DatabaseLocation>(new UriProblem("argument 'database'",
                        "A db:// cache on SQLite needs the database file: db://TABLE?database=/path/cache.sqlite.")))),
            "postgres" => args.Find("connection").Match(
                Some: cs => Right<UriProblem, DatabaseLocation>(DatabaseLocation.Postgres(cs, commandTimeout)),
                None: () => Left<UriProblem, DatabaseLocation>(new UriProblem("argument 'connection'",
                    "A db:// cache on PostgreSQL needs a connection string: db://TABLE?provider=postgres&connection=Host=...%3BDatabase=..."))),
            _ => Left<UriProblem, DatabaseLocation>(new UriProblem("argument 'provider'", $"Argument 'provider' must be 'sqlite' or 'postgres', not '{provider}'.")),
        };
}
