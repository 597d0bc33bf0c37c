namespace FunctionalCache.Backends.Database;

/// <summary>The database engine behind a <see cref="DatabaseCache"/>.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file through System.Data.SQLite (the default of <c>db://</c>).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server through Npgsql: the cache shared by several machines.</summary>
    Postgres,
}
