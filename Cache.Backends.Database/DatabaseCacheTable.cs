using System.Data.Common;
using Dapper;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// The cache table's schema: the name rule, the statements that create it, and creating it (what
/// <c>fcache createcachetable NAME</c> runs).
/// </summary>
/// <remarks>
/// Django's <c>createcachetable</c>. Columns: <c>cache_key</c> (text primary key: the made key, of any
/// length), <c>value</c> (blob/bytea, not null: the serialized payload), <c>kind</c> (0 = a payload,
/// 1 = a stored null with an empty value), <c>expires</c> (UTC ticks as a 64-bit integer,
/// <see cref="long.MaxValue"/> for never; the entry is gone once <c>expires &lt;= now</c>), and the index
/// <c>&lt;table&gt;_expires</c>. On SQLite the table is <c>WITHOUT ROWID</c>, so a lookup by key reads one
/// b-tree. Every identifier is double-quoted. Thread-safe (stateless).
/// </remarks>
public static class DatabaseCacheTable
{
    /// <summary>The longest table name: PostgreSQL's 63-character identifier limit, less the <c>_expires</c> index suffix.</summary>
    public const int MaxNameLength = 55;

    /// <summary>The name's problem, or None when it is a valid cache table name.</summary>
    public static Option<string> Problem(string? table)
    {
        if (string.IsNullOrEmpty(table)) return Some("Cache table name must not be empty.");
        var ok = table.Length <= MaxNameLength
            && (char.IsAsciiLetter(table[0]) || table[0] == '_')
            && table.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ' ');
        return ok ? None : Some(
            $"Cache table name '{table}' is invalid: it must be 1 to {MaxNameLength} characters, start with an ASCII letter or underscore, and hold only ASCII letters, digits, underscores and spaces.");
    }

    /// <summary>Throws unless <paramref name="table"/> is a valid cache table name; returns it.</summary>
    /// <exception cref="ArgumentException">The name breaks the rule; the message names it and states the rule.</exception>
    public static string Validate(string? table)
    {
        Problem(table).IfSome(problem => throw new ArgumentException(problem, nameof(table)));
        return table!;
    }

    /// <summary>The name double-quoted for SQL (a valid name holds no quote to escape).</summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    internal static string Quote(string table) => $"\"{Validate(table)}\"";

    /// <summary>The CREATE TABLE and CREATE INDEX statements for <paramref name="table"/> on <paramref name="provider"/>, in order.</summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static Seq<string> CreateStatements(string table, DatabaseProvider provider)
    {
        var quoted = Quote(table);
        var create = provider == DatabaseProvider.Sqlite
            ? $"CREATE TABLE {quoted} (\"cache_key\" TEXT NOT NULL PRIMARY KEY, \"value\" BLOB NOT NULL, \"kind\" INTEGER NOT NULL DEFAULT 0, \"expires\" INTEGER NOT NULL) WITHOUT ROWID"
            : $"CREATE TABLE {quoted} (\"cache_key\" text NOT NULL PRIMARY KEY, \"value\" bytea NOT NULL, \"kind\" integer NOT NULL DEFAULT 0, \"expires\" bigint NOT NULL)";
        return Seq(create, $"CREATE INDEX \"{table}_expires\" ON {quoted} (\"expires\")");
    }

    /// <summary>The command that creates the table, as error texts quote it: <c>fcache createcachetable NAME</c>.</summary>
    internal static string CreateCommand(string table) =>
        table.Contains(' ', StringComparison.Ordinal) ? $"fcache createcachetable '{table}'" : $"fcache createcachetable {table}";

    /// <summary>The text of the error a cache raises when its table is missing: it names the table, where it looked, and the command that creates it.</summary>
    internal static string MissingTableMessage(string table, DatabaseLocation location) =>
        $"Cache table '{table}' does not exist in the {Guard.NotNull(location, nameof(location)).Description}. Create it with: {CreateCommand(table)}";

    /// <summary>The text of the error a SQLite cache raises when its database file is missing: it names the file, the table and the command that creates both.</summary>
    internal static string MissingDatabaseMessage(string table, string path) =>
        $"No such database file '{path}' for cache table '{table}'. Create it with: {CreateCommand(table)} --database '{path}'";

    /// <summary>True when <paramref name="table"/> exists in the database <paramref name="connection"/> is open on.</summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static async Task<bool> ExistsAsync(DbConnection connection, string table, DatabaseProvider provider, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(connection, nameof(connection));
        Validate(table);
        var sql = provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { table }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return count > 0;
    }

    /// <summary>
    /// Creates <paramref name="table"/> and its index in one transaction unless it exists. With
    /// <paramref name="dryRun"/> nothing is run: <see cref="CacheTableStatus.WouldCreate"/> says the
    /// statements of <see cref="CreateStatements"/> would be.
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="DbException">The database refused a statement.</exception>
    public static async Task<CacheTableStatus> CreateAsync(DbConnection connection, string table, DatabaseProvider provider, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(connection, table, provider, cancellationToken).ConfigureAwait(false)) return CacheTableStatus.AlreadyExists;
        if (dryRun) return CacheTableStatus.WouldCreate;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in CreateStatements(table, provider))
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return CacheTableStatus.Created;
    }

    /// <summary>Opens <paramref name="location"/> and creates <paramref name="table"/> there, as <see cref="CreateAsync(DbConnection, string, DatabaseProvider, bool, CancellationToken)"/> does.</summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="CacheBackendException">The database cannot be opened or refused a statement; the cause is inside.</exception>
    public static async Task<CacheTableStatus> CreateAsync(DatabaseLocation location, string table, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(location, nameof(location));
        Validate(table);
        await using var connection = await location.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CreateAsync(connection, table, location.Provider, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new CacheBackendException($"Cannot create cache table '{table}' in the {location.Description}: {DriverText.Of(e)}", e);
        }
    }
}
