using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// One member of a Cache-Status field: what one cache did with the request (RFC 9211): answered it (<see cref="Hit"/>,
/// with the response's remaining freshness in <see cref="Ttl"/>) or sent it on (<see cref="Forward"/>, and whether it
/// <see cref="Stored"/> the response), plus an implementation's <see cref="Detail"/>.
/// </summary>
/// <remarks>
/// Build one with <see cref="ForHit"/> or <see cref="ForForward"/> and the <c>With…</c> methods:
/// <c>CacheStatusEntry.ForForward("FunctionalCache", CacheStatusForward.UriMiss).WithStored(true)</c> is written
/// <c>FunctionalCache; fwd=uri-miss; stored</c> by <see cref="CacheStatus.Format(CacheStatusEntry)"/>. Texts are
/// checked when set: an invalid one is an <see cref="ArgumentException"/> stating the rule. Immutable and thread-safe.
/// </remarks>
public sealed record CacheStatusEntry
{
    private CacheStatusEntry(string cache) => Cache = cache;

    /// <summary>The cache's identifier (<c>FunctionalCache</c>): printable ASCII, written as a token when it is one, else quoted.</summary>
    public string Cache { get; private init; }

    /// <summary>True when the cache answered the request from its store (the <c>hit</c> parameter).</summary>
    public bool Hit { get; private init; }

    /// <summary>Why the request went on to the origin (the <c>fwd</c> parameter, one of <see cref="CacheStatusForward"/>'s values), or None.</summary>
    public Option<string> Forward { get; private init; }

    /// <summary>The status of the response the next hop returned (<c>fwd-status</c>), or None.</summary>
    public Option<int> ForwardStatus { get; private init; }

    /// <summary>The response's remaining freshness in seconds when sent (<c>ttl</c>; negative when stale), or None.</summary>
    public Option<long> Ttl { get; private init; }

    /// <summary>Whether the cache stored the response (<c>stored</c>), or None when it does not say.</summary>
    public Option<bool> Stored { get; private init; }

    /// <summary>True when the request was collapsed into another one going to the origin (<c>collapsed</c>).</summary>
    public bool Collapsed { get; private init; }

    /// <summary>The cache key, as the implementation shows it (<c>key</c>), or None.</summary>
    public Option<string> Key { get; private init; }

    /// <summary>Anything else the implementation says, such as why a response was not stored (<c>detail</c>), or None.</summary>
    public Option<string> Detail { get; private init; }

    /// <summary>A member with neither <c>hit</c> nor <c>fwd</c>: only the cache's name.</summary>
    /// <param name="cache">The cache's identifier: printable ASCII, not empty.</param>
    /// <exception cref="ArgumentException">The identifier is empty or not printable ASCII.</exception>
    public static CacheStatusEntry Of(string cache) => new(Checked(cache, nameof(cache), "A cache identifier"));

    /// <summary>The cache answered the request from its store: <c>cache; hit</c>.</summary>
    /// <param name="cache">The cache's identifier: printable ASCII, not empty.</param>
    /// <exception cref="ArgumentException">The identifier is empty or not printable ASCII.</exception>
    public static CacheStatusEntry ForHit(string cache) => Of(cache) with { Hit = true };

    /// <summary>The cache sent the request on for <paramref name="reason"/>: <c>cache; fwd=reason</c>.</summary>
    /// <param name="cache">The cache's identifier: printable ASCII, not empty.</param>
    /// <param name="reason">One of <see cref="CacheStatusForward"/>'s values (any structured-field token is accepted).</param>
    /// <exception cref="ArgumentException">The identifier is not printable ASCII, or the reason is not a token.</exception>
    public static CacheStatusEntry ForForward(string cache, string reason)
    {
        Guard.NotNull(reason, nameof(reason));
        Guard.That(StructuredFields.IsToken(reason), nameof(reason), $"A Cache-Status fwd value must be a token (a letter or '*', then letters, digits and !#$%&'*+-.^_`|~:/), not '{reason}'.");
        return Of(cache) with { Forward = reason };
    }

    /// <summary>A copy with <see cref="Ttl"/> set.</summary>
    /// <exception cref="ArgumentException">The number has more than 15 digits (RFC 8941's integer range).</exception>
    public CacheStatusEntry WithTtl(long seconds)
    {
        Guard.That(Math.Abs(seconds) <= StructuredFields.MaxInteger, nameof(seconds), "A Cache-Status ttl must have at most 15 digits.");
        return this with { Ttl = seconds };
    }

    /// <summary>A copy with <see cref="Stored"/> set.</summary>
    public CacheStatusEntry WithStored(bool stored) => this with { Stored = stored };

    /// <summary>A copy with <see cref="Collapsed"/> set.</summary>
    public CacheStatusEntry WithCollapsed(bool collapsed = true) => this with { Collapsed = collapsed };

    /// <summary>A copy with <see cref="ForwardStatus"/> set.</summary>
    /// <exception cref="ArgumentException">The status is not between 100 and 999.</exception>
    public CacheStatusEntry WithForwardStatus(int status)
    {
        Guard.That(status is >= 100 and <= 999, nameof(status), "A Cache-Status fwd-status must be an HTTP status code, from 100 to 999.");
        return this with { ForwardStatus = status };
    }

    /// <summary>A copy with <see cref="Key"/> set.</summary>
    /// <exception cref="ArgumentException">The key is not printable ASCII.</exception>
    public CacheStatusEntry WithKey(string key) => this with { Key = Checked(key, nameof(key), "A Cache-Status key", allowEmpty: true) };

    /// <summary>A copy with <see cref="Detail"/> set.</summary>
    /// <exception cref="ArgumentException">The detail is not printable ASCII.</exception>
    public CacheStatusEntry WithDetail(string detail) => this with { Detail = Checked(detail, nameof(detail), "A Cache-Status detail", allowEmpty: true) };

    // For the parser, which reads the parameters one at a time; a parsed fwd is a token already.
    internal CacheStatusEntry WithHit(bool hit) => this with { Hit = hit };

    internal CacheStatusEntry WithForward(string reason) => this with { Forward = reason };

    // A structured-field string holds printable ASCII only (RFC 8941 §3.3.3): no control characters, nothing beyond '~'.
    private static string Checked(string text, string parameter, string what, bool allowEmpty = false)
    {
        Guard.NotNull(text, parameter);
        Guard.That(allowEmpty || text.Length > 0, parameter, $"{what} must not be empty.");
        Guard.That(StructuredFields.IsPrintableAscii(text), parameter, $"{what} must be printable ASCII (space to '~').");
        return text;
    }

    /// <summary>The member as written in the field (see <see cref="CacheStatus.Format(CacheStatusEntry)"/>).</summary>
    public override string ToString() => CacheStatus.Format(this);
}
