namespace FunctionalCache.Backends.Database;

/// <summary>Every statement the cache runs, for one table on one provider, built once.</summary>
/// <remarks>
/// The statements are the same on SQLite and PostgreSQL except for list parameters: Dapper expands
/// <c>IN @keys</c> on SQLite and passes an array to PostgreSQL (<c>= ANY(@keys)</c>).
/// </remarks>
internal sealed class CacheTableSql
{
    private const string Columns = "\"cache_key\" AS Key, \"value\" AS Value, \"kind\" AS Kind, \"expires\" AS Expires";

    public CacheTableSql(string table, DatabaseProvider provider)
    {
        var t = DatabaseCacheTable.Quote(table);
        var inKeys = provider == DatabaseProvider.Sqlite ? "IN @keys" : "= ANY(@keys)";
        Read = $"SELECT {Columns} FROM {t} WHERE \"cache_key\" = @key";
        ReadMany = $"SELECT {Columns} FROM {t} WHERE \"cache_key\" {inKeys}";
        Contains = $"SELECT COUNT(*) FROM {t} WHERE \"cache_key\" = @key AND \"expires\" > @now";
        Overwrite = $"UPDATE {t} SET \"value\" = @value, \"kind\" = @kind, \"expires\" = @expires WHERE \"cache_key\" = @key";
        OverwriteExpired = Overwrite + " AND \"expires\" <= @now";
        Upsert = $"INSERT INTO {t} (\"cache_key\", \"value\", \"kind\", \"expires\") VALUES (@key, @value, @kind, @expires) " +
                 "ON CONFLICT (\"cache_key\") DO UPDATE SET \"value\" = excluded.\"value\", \"kind\" = excluded.\"kind\", \"expires\" = excluded.\"expires\"";
        // Add's atomic decision: a new row, or a row that has expired, and nothing else.
        InsertUnlessLive = Upsert + $" WHERE {t}.\"expires\" <= @now";
        Touch = $"UPDATE {t} SET \"expires\" = @expires WHERE \"cache_key\" = @key AND \"expires\" > @now";
        CompareAndSwap = $"UPDATE {t} SET \"value\" = @value WHERE \"cache_key\" = @key AND \"kind\" = 0 AND \"value\" = @old AND \"expires\" > @now";
        Remove = $"DELETE FROM {t} WHERE \"cache_key\" = @key RETURNING \"expires\"";
        RemoveMany = $"DELETE FROM {t} WHERE \"cache_key\" {inKeys}";
        RemoveExpiredOf = $"DELETE FROM {t} WHERE \"cache_key\" {inKeys} AND \"expires\" <= @now";
        Count = $"SELECT COUNT(*) FROM {t}";
        RemoveExpired = $"DELETE FROM {t} WHERE \"expires\" <= @now";
        RemoveNearestExpiry = $"DELETE FROM {t} WHERE \"cache_key\" IN (SELECT \"cache_key\" FROM {t} ORDER BY \"expires\" LIMIT @count)";
        Clear = $"DELETE FROM {t}";
    }

    public string Read { get; }
    public string ReadMany { get; }
    public string Contains { get; }
    public string Overwrite { get; }
    public string OverwriteExpired { get; }
    public string Upsert { get; }
    public string InsertUnlessLive { get; }
    public string Touch { get; }
    public string CompareAndSwap { get; }
    public string Remove { get; }
    public string RemoveMany { get; }
    public string RemoveExpiredOf { get; }
    public string Count { get; }
    public string RemoveExpired { get; }
    public string RemoveNearestExpiry { get; }
    public string Clear { get; }
}
