namespace FunctionalCache;

/// <summary>A value could not be turned into bytes, or stored bytes could not be read as the asked type.</summary>
public sealed class CacheSerializationException : Exception
{
    /// <summary>Creates the exception with its cause.</summary>
    public CacheSerializationException(string message, Exception? cause = null) : base(message, cause) { }
}
