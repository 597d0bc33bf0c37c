using System.CommandLine;
using System.Data.Common;
using FunctionalCache.Backends.Database;

namespace FunctionalCache.Cli.Commands;

/// <summary>
/// <c>fcache createcachetable NAME [--database PATH | --connection STRING --provider sqlite|postgres] [--dry-run]</c>:
/// Django's <c>createcachetable</c>, creating the table a <c>db://NAME</c> cache reads and writes.
/// </summary>
/// <remarks>The schema is the Database backend's (<see cref="DatabaseCacheTable"/>); this command only chooses the database and reports.</remarks>
internal static class CreateCacheTableCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The cache table, as in db://NAME." };
        var database = new Option<string>("--database")
        {
            Description = "The SQLite database file (created if missing), as in db://NAME?database=PATH.",
            HelpName = "PATH",
        };
        var connection = new Option<string>("--connection")
        {
            Description = "A connection string (needs --provider). For sqlite its Data Source names the file.",
            HelpName = "STRING",
        };
        var provider = new Option<string>("--provider")
        {
            Description = "The database engine of --connection, or the SQL dialect of a --dry-run with no database (default sqlite).",
            HelpName = "sqlite|postgres",
        };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that would create the table instead of running it." };
        var command = new Command("createcachetable",
            "Create the cache table NAME and its expiry index, unless it exists (then say so and exit 0). " +
            "With --dry-run, print the statements instead (nothing is created; an existing table is still reported).")
        {
            name, database, connection, provider, dryRun,
        };
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            var table = parse.GetRequiredValue(name);
            DatabaseCacheTable.Problem(table).IfSome(problem => throw new UsageException(problem));
            var dry = parse.GetValue(dryRun);
            var location = Location(parse.GetValue(database), parse.GetValue(connection), parse.GetValue(provider), dry);
            if (location is null)
            {
                PrintStatements(Terminal.Output(parse), table, Provider(parse.GetValue(provider)));
                return ExitCodes.Ok;
            }
            var status = await DatabaseCacheTable.CreateAsync(location, table, dry, ct).ConfigureAwait(false);
            switch (status)
            {
                case CacheTableStatus.AlreadyExists:
                    Terminal.Output(parse).WriteLine($"Cache table '{table}' already exists.");
                    break;
                case CacheTableStatus.WouldCreate:
                    PrintStatements(Terminal.Output(parse), table, location.Provider);
                    break;
                default:
                    Terminal.Output(parse).WriteLine($"Cache table '{table}' created in the {location.Description}.");
                    break;
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The database to use, or null for a dry run that needs none (no database given, or a SQLite file
    /// that does not exist yet: opening it would create it, and it cannot hold the table).
    /// </summary>
    private static DatabaseLocation? Location(string? database, string? connection, string? provider, bool dryRun)
    {
        if (database is not null && connection is not null)
            throw new UsageException("Give either --database PATH or --connection STRING, not both.");
        if (database is not null)
        {
            if (provider is not null && Provider(provider) != DatabaseProvider.Sqlite)
                throw new UsageException("--database names a SQLite file; for --provider postgres give --connection STRING.");
            if (string.IsNullOrWhiteSpace(database)) throw new UsageException("--database must not be empty.");
            return dryRun && !File.Exists(database) ? null : DatabaseLocation.Sqlite(database);
        }
        if (connection is not null)
        {
            if (provider is null) throw new UsageException("--connection needs --provider sqlite|postgres.");
            if (Provider(provider) == DatabaseProvider.Postgres) return DatabaseLocation.Postgres(connection);
            var path = SqlitePath(connection);
            return dryRun && !File.Exists(path) ? null : DatabaseLocation.Sqlite(path);
        }
        if (dryRun) return null;
        throw new UsageException("createcachetable needs a database: --database PATH (SQLite) or --connection STRING --provider sqlite|postgres.");
    }

    private static DatabaseProvider Provider(string? provider) =>
        provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    private static string SqlitePath(string connection)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connection;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--connection is not a connection string: {e.Message}", e);
        }
        foreach (var key in new[] { "Data Source", "DataSource", "Filename" })
            if (builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } path) return path;
        throw new UsageException("--connection for sqlite must name the file with Data Source=PATH.");
    }

    private static void PrintStatements(TextWriter output, string table, DatabaseProvider provider)
    {
        foreach (var statement in DatabaseCacheTable.CreateStatements(table, provider)) output.WriteLine(statement + ";");
    }
}
