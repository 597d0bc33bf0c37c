namespace FunctionalCache.Backends.Database;

/// <summary>
/// The SQLite file a cache names does not exist: <see cref="ConnectionSource"/> throws it and
/// <see cref="DatabaseCache"/> turns it into a <see cref="CacheBackendException"/> naming the table and the
/// command that creates both.
/// </summary>
internal sealed class MissingDatabaseFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>, with what SQLite said inside.</summary>
    public MissingDatabaseFileException(string path, Exception cause) : base($"No such database file '{path}'.", cause) => Path = path;

    /// <summary>The absolute path of the missing file.</summary>
    public string Path { get; }
}
