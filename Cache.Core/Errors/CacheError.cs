namespace FunctionalCache;

/// <summary>
/// Why a cache operation that returns <c>Either</c> produced no value. A closed type: <see cref="KeyNotFound"/>,
/// <see cref="NotAnInteger"/>, <see cref="Overflow"/> or <see cref="BackendFailure"/>.
/// </summary>
public abstract record CacheError
{
    private CacheError() { }

    /// <summary>
    /// A sentence naming the key and what went wrong, on one line: the key (and a backend's cause) with control
    /// characters shown as escapes, so that a hostile key cannot forge log lines.
    /// </summary>
    public abstract string Message { get; }

    /// <inheritdoc/>
    public sealed override string ToString() => Message;

    /// <summary>The result of the function for this error's case: every case handled, no type tests.</summary>
    /// <param name="keyNotFound">Called with the key for <see cref="KeyNotFound"/>.</param>
    /// <param name="notAnInteger">Called with the key for <see cref="NotAnInteger"/>.</param>
    /// <param name="overflow">Called with the key for <see cref="Overflow"/>.</param>
    /// <param name="backendFailure">Called with the key and the cause for <see cref="BackendFailure"/>.</param>
    public TResult Match<TResult>(
        Func<string, TResult> keyNotFound,
        Func<string, TResult> notAnInteger,
        Func<string, TResult> overflow,
        Func<string, Exception, TResult> backendFailure) => this switch
    {
        KeyNotFound e => Guard.NotNull(keyNotFound, nameof(keyNotFound))(e.Key),
        NotAnInteger e => Guard.NotNull(notAnInteger, nameof(notAnInteger))(e.Key),
        Overflow e => Guard.NotNull(overflow, nameof(overflow))(e.Key),
        BackendFailure e => Guard.NotNull(backendFailure, nameof(backendFailure))(e.Key, e.Cause),
        _ => throw new InvalidOperationException("CacheError is a closed type."),
    };

    /// <summary>The key a <see cref="BackendFailure"/> names when the operation was on the whole cache (a clear).</summary>
    public const string AllKeys = "*";

    /// <summary>A <see cref="BackendFailure"/> on <paramref name="key"/>, caused by <paramref name="cause"/>.</summary>
    public static CacheError Failed(string key, CacheBackendException cause) => new BackendFailure(key, cause);

    /// <summary>The key is absent or expired (Django: <c>ValueError("Key '…' not found")</c>).</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record KeyNotFound(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Key {MessageText.Quoted(Key)} not found";
    }

    /// <summary>The stored value is not an integer, so it cannot be incremented.</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record NotAnInteger(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Value of key {MessageText.Quoted(Key)} is not an integer";
    }

    /// <summary>The new value would not fit in the stored integer type.</summary>
    /// <param name="Key">The caller's key.</param>
    public sealed record Overflow(string Key) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => $"Incrementing key {MessageText.Quoted(Key)} overflows its integer type";
    }

    /// <summary>The backend failed (a dead server, a lost connection); the cause is inside.</summary>
    /// <param name="Key">The caller's key.</param>
    /// <param name="Cause">What the backend threw.</param>
    public sealed record BackendFailure(string Key, Exception Cause) : CacheError
    {
        /// <inheritdoc/>
        public override string Message => Key == AllKeys
            ? $"Backend failed: {MessageText.Escaped(Cause.Message)}"
            : $"Backend failed on key {MessageText.Quoted(Key)}: {MessageText.Escaped(Cause.Message)}";
    }
}
