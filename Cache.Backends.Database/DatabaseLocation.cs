using System.Data.Common;
using System.Data.SQLite;
using Npgsql;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// Where a cache table lives: the provider, its connection string and the bound on every lock or
/// network wait. Immutable; build it with <see cref="Sqlite"/> or <see cref="Postgres"/>.
/// </summary>
/// <remarks>
/// The SQLite connection string always turns on WAL (readers never block the writer),
/// <c>synchronous=NORMAL</c> (a cache may lose its last writes on power loss, never its integrity) and
/// a busy timeout equal to <see cref="CommandTimeout"/>: System.Data.SQLite's own retry on a locked
/// database is bounded by the command timeout, so both are set.
/// </remarks>
public sealed record DatabaseLocation
{
    /// <summary>The wait bound used when none is given: 5 seconds.</summary>
    public static TimeSpan DefaultCommandTimeout { get; } = TimeSpan.FromSeconds(5);

    private DatabaseLocation(DatabaseProvider provider, string connectionString, TimeSpan commandTimeout, string description, string? sqliteFile = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        CommandTimeout = commandTimeout;
        Description = description;
        SqliteFile = sqliteFile;
    }

    /// <summary>The database engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The provider's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>How long one statement may wait for a lock or the server.</summary>
    /// <value>5 seconds unless given.</value>
    public TimeSpan CommandTimeout { get; }

    /// <summary>A human description for error texts: the SQLite file or the PostgreSQL host and database.</summary>
    public string Description { get; }

    /// <summary>The absolute path of the SQLite file; null on PostgreSQL.</summary>
    internal string? SqliteFile { get; }

    /// <summary>
    /// The SQLite database in the file at <paramref name="path"/>: <see cref="OpenAsync"/> (and so
    /// <see cref="DatabaseCacheTable.CreateAsync(DatabaseLocation, string, bool, CancellationToken)"/>) creates the
    /// file; a <see cref="DatabaseCache"/> never does (a new file holds no cache table).
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or the timeout is not positive.</exception>
    public static DatabaseLocation Sqlite(string path, TimeSpan? commandTimeout = null)
    {
        Guard.That(!string.IsNullOrWhiteSpace(path), nameof(path), "The SQLite database path must not be empty.");
        var timeout = Positive(commandTimeout);
        var builder = new SQLiteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            JournalMode = SQLiteJournalModeEnum.Wal,
            SyncMode = SynchronizationModes.Normal,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            BusyTimeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds),
            Pooling = false,
            FailIfMissing = false,
        };
        return new(DatabaseProvider.Sqlite, builder.ConnectionString, timeout, $"SQLite database '{builder.DataSource}'", builder.DataSource);
    }

    /// <summary>The PostgreSQL database <paramref name="connectionString"/> names (Npgsql syntax, e.g. <c>Host=…;Port=…;Username=…;Database=…</c>).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or the timeout is not positive.</exception>
    public static DatabaseLocation Postgres(string connectionString, TimeSpan? commandTimeout = null)
    {
        Guard.That(!string.IsNullOrWhiteSpace(connectionString), nameof(connectionString), "The PostgreSQL connection string must not be empty.");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The PostgreSQL connection string is malformed: {e.Message}", nameof(connectionString), e);
        }
        return new(DatabaseProvider.Postgres, builder.ConnectionString, Positive(commandTimeout),
            $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}");
    }

    /// <summary>This location with another wait bound.</summary>
    /// <exception cref="ArgumentException">The timeout is not positive.</exception>
    public DatabaseLocation WithCommandTimeout(TimeSpan commandTimeout) =>
        Provider == DatabaseProvider.Sqlite
            ? Sqlite(new SQLiteConnectionStringBuilder(ConnectionString).DataSource, commandTimeout)
            : Postgres(ConnectionString, commandTimeout);

    /// <summary>A new, open connection (the caller disposes it). The cache itself pools its connections.</summary>
    /// <exception cref="CacheBackendException">The database cannot be opened.</exception>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SQLiteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new CacheBackendException($"Cannot open the {Description}: {DriverText.Of(e)}", e);
        }
    }

    /// <summary>The description.</summary>
    public override string ToString() => Description;

    private static TimeSpan Positive(TimeSpan? timeout)
    {
        var value = timeout ?? DefaultCommandTimeout;
        Guard.That(value > TimeSpan.Zero, nameof(timeout), "The command timeout must be greater than zero.");
        return value;
    }
}
