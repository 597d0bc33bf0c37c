using System.Data;
using System.Data.Common;
using System.Data.SQLite;
using Npgsql;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// The database cache (<c>db://table?database=/path/cache.sqlite</c>, or
/// <c>db://table?provider=postgres&amp;connection=…</c>): one row per entry in a table made by
/// <c>fcache createcachetable NAME</c> (<see cref="DatabaseCacheTable"/>), on an embedded SQLite file or
/// a shared PostgreSQL server, every query through Dapper but one: on SQLite the single-key read runs
/// a command kept prepared on each pooled connection (see <see cref="PooledConnection"/>).
/// </summary>
/// <remarks>
/// <para>Django's <c>DatabaseCache</c>, with these differences: the made key of any length is stored (a
/// key over 255 characters works instead of silently failing); <c>Add</c> and <c>Increment</c> are
/// atomic across processes (a conditional upsert; a compare-and-swap that keeps the expiry); culling
/// removes expired rows first, then the rows nearest expiry (not the alphabetically smallest keys)
/// and keeps the row count at most <see cref="CachePolicy.MaxEntries"/>.</para>
/// <para>Counting: Django counts every row on every write. This cache counts only when a write inserts
/// a new row and its estimate (the last count plus this instance's own inserts, less its deletes) has
/// reached <see cref="CachePolicy.MaxEntries"/>, or after half the room left at the last count has been
/// inserted (so other processes' inserts are noticed). The bound is exact for one writing instance, also when
/// its threads write new keys at once (its new rows go in one at a time, each after its count and cull; overwrites
/// and reads are not held back), and approximate across instances and processes.</para>
/// <para>Waits are bounded: a locked SQLite database or a PostgreSQL serialization failure is retried a
/// few times, each wait bounded by <see cref="DatabaseLocation.CommandTimeout"/>, then reported as a
/// <see cref="CacheBackendException"/>. A missing table, or a missing SQLite file (which the cache never
/// creates: only <c>createcachetable</c> does), is a <see cref="CacheBackendException"/> that names the table
/// (and the file) and the command that creates it. Thread-safe; dispose it to close its connections.</para>
/// </remarks>
public sealed partial class DatabaseCache : CacheBase, IDisposable
{
    /// <inheritdoc/>
    public override string BackendName => "db";

    private const int MaxAttempts = 4;
    private readonly ConnectionSource _connections;
    private readonly CacheTableSql _sql;
    private readonly int _commandTimeout;

    /// <summary>A cache over <paramref name="table"/> at <paramref name="location"/>. Nothing is opened until the first operation.</summary>
    /// <exception cref="ArgumentException">The table name is invalid (the message names it and states the rule).</exception>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public DatabaseCache(string table, DatabaseLocation location, CachePolicy policy, CacheContext context)
        : base(policy, context, KeyCheck.Warn)
    {
        Table = DatabaseCacheTable.Validate(table);
        Location = Guard.NotNull(location, nameof(location));
        _sql = new CacheTableSql(table, location.Provider);
        _connections = new ConnectionSource(location);
        _commandTimeout = Math.Max(1, (int)Math.Ceiling(location.CommandTimeout.TotalSeconds));
    }

    /// <summary>The cache table's name.</summary>
    public string Table { get; }

    /// <summary>The database the table is in.</summary>
    public DatabaseLocation Location { get; }

    /// <summary>
    /// The table in its database (the SQLite file, or the PostgreSQL connection string as given): every db cache on
    /// it in this process shares get-or-set flights.
    /// </summary>
    internal override object StoreIdentity => $"db:{Location.Provider}:{Location.SqliteFile ?? Location.ConnectionString}:{Table}";

    /// <summary>The rows in the table, live or expired but not yet removed.</summary>
    /// <exception cref="CacheBackendException">The database failed or the table is missing.</exception>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Run((c, ct) => Scalar(c, null, _sql.Count, null, ct), cancellationToken).AsTask();

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _connections.Dispose();

    private string Made(CacheKey key) => Policy.MakeKey(key);

    private static (byte[] Value, long Kind) Stored(object payload) =>
        payload is byte[] bytes ? (bytes, 0L) : ([], StoredRow.NullKind);

    private Dapper.CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, _commandTimeout, cancellationToken: cancellationToken);

    private async ValueTask<long> Scalar(PooledConnection connection, DbTransaction? transaction, string sql, object? parameters, CancellationToken cancellationToken) =>
        await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection.Connection, Command(sql, parameters, transaction, cancellationToken)).ConfigureAwait(false);

    private async ValueTask<int> Execute(PooledConnection connection, DbTransaction? transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        await Dapper.SqlMapper.ExecuteAsync(connection.Connection, Command(sql, parameters, transaction, cancellationToken)).ConfigureAwait(false);

    /// <summary>The row of <paramref name="key"/> (live or not), or null: on SQLite through the connection's prepared command.</summary>
    private async ValueTask<StoredRow?> ReadRow(PooledConnection connection, string key, CancellationToken cancellationToken)
    {
        var prepared = connection.Read(_sql.Read, key, _commandTimeout);
        if (prepared is null)
            return await Dapper.SqlMapper.QueryFirstOrDefaultAsync<StoredRow>(connection.Connection, Command(_sql.Read, new { key }, null, cancellationToken)).ConfigureAwait(false);
        // System.Data.SQLite runs synchronously whatever the API; the columns are those of CacheTableSql.Read, in order.
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = prepared.ExecuteReader(CommandBehavior.SingleRow);
        if (!reader.Read()) return null;
        return new StoredRow { Key = key, Value = (byte[])reader.GetValue(1), Kind = reader.GetInt64(2), Expires = reader.GetInt64(3) };
    }

    /// <summary>
    /// Runs one operation on a pooled connection. A lock or serialization conflict is retried (each wait
    /// bounded by the command timeout); every other database failure becomes a
    /// <see cref="CacheBackendException"/>.
    /// </summary>
    private async ValueTask<T> Run<T>(Func<PooledConnection, CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            PooledConnection? connection = null;
            var healthy = false;
            try
            {
                connection = await _connections.Rent(cancellationToken).ConfigureAwait(false);
                var result = await operation(connection, cancellationToken).ConfigureAwait(false);
                healthy = true;
                return result;
            }
            catch (Exception e) when (IsConflict(e) && attempt < MaxAttempts)
            {
                // Another writer held the lock for a whole command timeout, or PostgreSQL chose us as a
                // deadlock victim: back off a little and try again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50) * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (MissingDatabaseFileException e)
            {
                throw new CacheBackendException(DatabaseCacheTable.MissingDatabaseMessage(Table, e.Path), e.InnerException);
            }
            catch (Exception e) when (IsMissingTable(e))
            {
                throw new CacheBackendException(DatabaseCacheTable.MissingTableMessage(Table, Location), e);
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                throw new CacheBackendException($"Cache table '{Table}' in the {Location.Description} failed: {DriverText.Of(e)}", e);
            }
            finally
            {
                if (connection is not null) _connections.Return(connection, healthy);
            }
        }
    }

    private static bool IsConflict(Exception e) => e switch
    {
        SQLiteException s => ((int)s.ResultCode & 0xFF) is (int)SQLiteErrorCode.Busy or (int)SQLiteErrorCode.Locked,
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    private static bool IsMissingTable(Exception e) => e switch
    {
        SQLiteException s => s.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase),
        PostgresException p => p.SqlState == PostgresErrorCodes.UndefinedTable,
        _ => false,
    };
}
