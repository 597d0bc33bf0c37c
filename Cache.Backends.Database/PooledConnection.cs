using System.Data;
using System.Data.Common;
using System.Data.SQLite;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// An open connection as <see cref="ConnectionSource"/> lends it, with the SQLite commands kept
/// prepared on it.
/// </summary>
/// <remarks>
/// System.Data.SQLite prepares a command's statement on its first execution and keeps it until the
/// command is disposed, but a new command (Dapper makes one per call) is prepared again: on a cache hit
/// that <c>sqlite3_prepare_v2</c> cost more than the lookup. So the hot statements live here, one
/// command each, prepared once per connection and disposed with it. On PostgreSQL nothing is kept:
/// Npgsql pools its physical connections and prepares statements itself. Lent to one operation at a
/// time, so not thread-safe.
/// </remarks>
internal sealed class PooledConnection : IDisposable
{
    private SQLiteCommand? _read;

    public PooledConnection(DbConnection connection) => Connection = connection;

    /// <summary>The open connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>
    /// On SQLite, the command for <paramref name="sql"/> (one row by <c>@key</c>) kept on this connection,
    /// its key bound to <paramref name="key"/>; null on PostgreSQL. The command is made by the first call,
    /// so every call passes the same statement (a pool serves one cache table).
    /// </summary>
    public SQLiteCommand? Read(string sql, string key, int commandTimeout)
    {
        if (Connection is not SQLiteConnection sqlite) return null;
        if (_read is null)
        {
            var command = new SQLiteCommand(sql, sqlite) { CommandTimeout = commandTimeout };
            command.Parameters.Add(new SQLiteParameter("@key", DbType.String));
            _read = command;
        }
        _read.Parameters[0].Value = key;
        return _read;
    }

    /// <summary>Disposes the prepared commands, then the connection.</summary>
    public void Dispose()
    {
        _read?.Dispose();
        Connection.Dispose();
    }
}
