namespace FunctionalCache;

/// <summary>
/// A made key breaks <see cref="KeyRules"/> on a backend that cannot store it (memcached). A caller
/// mistake, so an <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>Django's <c>InvalidCacheKey</c>; the message is Django's warning text and names the made key, its control characters shown as escapes.</remarks>
public sealed class InvalidCacheKeyException : ArgumentException
{
    /// <summary>Creates the exception for a key and the rules it breaks.</summary>
    public InvalidCacheKeyException(string madeKey, string message) : base(message, "key") => MadeKey = madeKey;

    /// <summary>The made key that was rejected.</summary>
    public string MadeKey { get; }
}
