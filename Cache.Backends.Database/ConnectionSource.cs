using System.Collections.Concurrent;
using System.Data.SQLite;
using Npgsql;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// Open connections for one cache. SQLite: a small pool of open connections of our own (opening
/// runs the WAL and busy-timeout pragmas, which costs more than most cache operations), opened with
/// <c>FailIfMissing</c>: a cache operation never creates the database file (only createcachetable does:
/// a new file holds no cache table, so a read would leave an empty database behind and fail anyway).
/// PostgreSQL: Npgsql's data source, which pools by itself. Thread-safe.
/// </summary>
internal sealed class ConnectionSource : IDisposable
{
    private readonly DatabaseLocation _location;
    private readonly ConcurrentBag<PooledConnection> _idle = [];
    private readonly NpgsqlDataSource? _postgres;
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private int _disposed;

    private readonly string _sqlite = "";

    public ConnectionSource(DatabaseLocation location)
    {
        _location = location;
        if (location.Provider == DatabaseProvider.Postgres) _postgres = NpgsqlDataSource.Create(location.ConnectionString);
        else _sqlite = new SQLiteConnectionStringBuilder(location.ConnectionString) { FailIfMissing = true }.ConnectionString;
    }

    /// <summary>An open connection for one operation: give it back with <see cref="Return"/>.</summary>
    /// <exception cref="MissingDatabaseFileException">The SQLite file does not exist (it is not created).</exception>
    public async ValueTask<PooledConnection> Rent(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_postgres is not null) return new PooledConnection(await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false));
        if (_idle.TryTake(out var idle)) return idle;
        var connection = new SQLiteConnection(_sqlite);
        try
        {
            connection.Open();
            return new PooledConnection(connection);
        }
        catch (SQLiteException e) when (!System.IO.File.Exists(_location.SqliteFile))
        {
            connection.Dispose();
            throw new MissingDatabaseFileException(_location.SqliteFile!, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Gives a healthy connection back; a connection that failed is disposed instead.</summary>
    public void Return(PooledConnection connection, bool healthy)
    {
        if (_postgres is null && healthy && Volatile.Read(ref _disposed) == 0 && _idle.Count < _maxIdle) _idle.Add(connection);
        else connection.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        while (_idle.TryTake(out var connection)) connection.Dispose();
        _postgres?.Dispose();
    }
}
