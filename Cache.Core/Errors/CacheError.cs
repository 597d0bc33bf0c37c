namespace FunctionalCache;

/// <summary>
/// Why a cache operation that returns <c>Either</c> produced no value. A closed type: <see cref="KeyNotFound"/>,
/// <see cref="NotAnInteger"/>, <see cref="Overflow"/> or <see cref="BackendFailure"/>.
/// </summary>
public abstract record CacheError
{
    private CacheError() { }

    /// <summary>A sentence naming the key and what went wrong.</summary>
    public abstract string Message { get; }

    /// <inheritdoc/>
    public sealed override string ToString() => Message;

    /// <summary>The key is absent or expired (Django: <c>ValueError("Key '…' not found")</c>).</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record KeyNotFound(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Key '{Key}' not found";
    }

    /// <summary>The stored value is not an integer, so it cannot be incremented.</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record NotAnInteger(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Value of key '{Key}' is not an integer";
    }

    /// <summary>The new value would not fit in the stored integer type.</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record Overflow(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Incrementing key '{Key}' overflows its integer type";
    }

    /// <summary>The backend failed (a dead server, a lost connection); the cause is inside.</summary>
    /// <param name="Key">The caller's key.</param>
    /// <param name="Cause">What the backend threw.</param>
    public sealed record BackendFailure(string Key, Exception Cause) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Backend failed on key '{Key}': {Cause.Message}";
    }
}
