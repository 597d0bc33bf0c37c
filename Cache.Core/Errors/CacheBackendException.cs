namespace FunctionalCache;

/// <summary>A backend's storage failed (I/O, a database, a server); the cause is the inner exception.</summary>
/// <remarks>
/// Two kinds: the store could not be reached or could not answer (a dead server, a lost connection, a timeout),
/// which a lenient backend answers as a miss; and a <see cref="IsRefusal">refusal</see> of this value or key by a
/// store that works (a value over memcached's item size limit), which always reaches the caller: retrying the same
/// call cannot succeed, so answering it as a miss would hide a bug.
/// </remarks>
public sealed class CacheBackendException : Exception
{
    /// <summary>Creates the exception with its cause: the store could not be reached or could not answer.</summary>
    public CacheBackendException(string message, Exception? cause = null) : base(message, cause) { }

    private CacheBackendException(string message, bool isRefusal) : base(message) => IsRefusal = isRefusal;

    /// <summary>True when a working store refused this value or key; false when the store failed.</summary>
    public bool IsRefusal { get; }

    /// <summary>A working store refused this value or key (<see cref="IsRefusal"/>): <paramref name="message"/> says why.</summary>
    public static CacheBackendException Refusal(string message) => new(message, isRefusal: true);
}
