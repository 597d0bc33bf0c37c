namespace FunctionalCache;

/// <summary>A backend's storage failed (I/O, a database, a server); the cause is the inner exception.</summary>
public sealed class CacheBackendException : Exception
{
    /// <summary>Creates the exception with its cause.</summary>
    public CacheBackendException(string message, Exception? cause = null) : base(message, cause) { }
}
