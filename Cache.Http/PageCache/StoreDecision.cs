namespace FunctionalCache.Http;

/// <summary>
/// What the update half of the page cache does with a response: store it (with its patched headers) for some
/// seconds, or send it without storing. A closed type: <see cref="StoreCase"/> or <see cref="SkipCase"/>.
/// </summary>
/// <remarks>Returned by <see cref="PageCacheRules.DecideUpdate"/>. Immutable and thread-safe.</remarks>
public abstract record StoreDecision
{
    private StoreDecision(ResponseHead response) => Response = response;

    /// <summary>The response to send: the original, or with Expires, Last-Modified, Cache-Control or Vary patched.</summary>
    public ResponseHead Response { get; }

    /// <summary>True when the response is stored.</summary>
    public bool Stores => this is StoreCase;

    /// <summary>Store <paramref name="response"/> for <paramref name="seconds"/> (always positive).</summary>
    public static StoreDecision Store(ResponseHead response, long seconds) => new StoreCase(response, seconds);

    /// <summary>Send <paramref name="response"/> without storing it, for <paramref name="reason"/> (one of <see cref="SkipReason"/>'s texts).</summary>
    public static StoreDecision Skip(ResponseHead response, string reason) => new SkipCase(response, reason);

    /// <summary>The store case.</summary>
    public sealed record StoreCase : StoreDecision
    {
        internal StoreCase(ResponseHead response, long seconds) : base(response) => Seconds = seconds;

        /// <summary>How long the response and its header list are stored.</summary>
        public long Seconds { get; }
    }

    /// <summary>The skip case.</summary>
    public sealed record SkipCase : StoreDecision
    {
        internal SkipCase(ResponseHead response, string reason) : base(response) => Reason = reason;

        /// <summary>Why the response is not stored.</summary>
        public string Reason { get; }
    }
}
