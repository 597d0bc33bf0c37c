using System.Collections.Concurrent;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tags;

/// <summary>
/// A decorator that adds tags to any cache: <see cref="ITaggedCache.SetAsync{T}(string, T, IEnumerable{string}, CacheTimeout?, int?, CancellationToken)"/>
/// with tags, and <see cref="RemoveByTagAsync"/> that evicts every entry of a tag. Untagged operations keep the
/// <see cref="ICache"/> contract of the inner cache.
/// </summary>
/// <remarks>
/// Each tag has a stamp (a random nonce, see docs/tags.md) under the key <c>fc:tag:&lt;tag&gt;</c> in the inner cache,
/// never expiring; evicting the tag stores a fresh nonce. A tagged entry records the nonce each of its tags held when
/// it was written, and reads as a hit only while every tag still holds it (one get-many for the stamps); a missing
/// stamp is a miss, so a culled stamp never brings an old entry back. The wrapper serializes values itself with
/// the serializer it is given and hands the inner cache bytes, so any backend can hold envelopes; untagged values are
/// the serializer's plain bytes, so counters work as before. Delete, touch and increment make one call to the inner
/// cache and act on what is stored: deleting a tag-evicted entry answers true, touching one answers true but it stays a
/// miss, and incrementing a tagged entry answers <see cref="CacheError.NotAnInteger"/> (an envelope is not a number).
/// Thread-safe when the inner cache is.
/// </remarks>
public sealed partial class TaggedCache : ITaggedCache
{
    private readonly ICache _inner;
    private readonly ICacheSerializer _serializer;

    // Get-or-set callers that found a tag-evicted entry share one factory run per key (the inner cache's single
    // flight only covers absent keys, and the evicted entry is still present).
    private readonly ConcurrentDictionary<(string Key, int? Version), Lazy<Task<object?>>> _refills = new();

    /// <summary>Wraps <paramref name="inner"/>; values are serialized with <paramref name="serializer"/>.</summary>
    /// <param name="inner">The cache that stores entries and tag stamps.</param>
    /// <param name="serializer">Turns values into the bytes handed to <paramref name="inner"/>.</param>
    /// <value>The default serializer is <see cref="JsonCacheSerializer.Instance"/>; pass the backend's own if it has another, so entries read alike through both.</value>
    public TaggedCache(ICache inner, ICacheSerializer? serializer = null)
    {
        _inner = Guard.NotNull(inner, nameof(inner));
        _serializer = serializer ?? JsonCacheSerializer.Instance;
    }

    /// <summary>The wrapped cache.</summary>
    public ICache Inner => _inner;

    /// <inheritdoc/>
    public CachePolicy Policy => _inner.Policy;

    /// <summary>What a key holds, read through its tags' stamps.</summary>
    private readonly record struct Stored(bool Found, bool Live, byte[]? Bytes, TaggedEntry? Envelope)
    {
        public static Stored Missing => new(false, false, null, null);

        /// <summary>Present but unreadable as a hit: a tag was evicted since it was written.</summary>
        public bool Evicted => Found && !Live;
    }

    private async Task<Stored> ReadAsync(string key, int? version, CancellationToken cancellationToken)
    {
        var raw = await _inner.GetAsync<byte[]>(key, version, cancellationToken).ConfigureAwait(false);
        if (raw.IsNone) return Stored.Missing;
        var bytes = raw.IfNoneUnsafe((byte[])null!);
        if (bytes is null || !TaggedEntry.IsEnvelope(bytes)) return new Stored(true, true, bytes, null);
        var envelope = TaggedEntry.Decode(bytes);
        var stamps = await ReadStampsAsync(envelope.Stamps.Select(s => s.Tag), cancellationToken).ConfigureAwait(false);
        return new Stored(true, IsLive(envelope, stamps), bytes, envelope);
    }

    private static bool IsLive(TaggedEntry envelope, IReadOnlyDictionary<string, long> stamps) =>
        envelope.Stamps.All(s => stamps.TryGetValue(s.Tag, out var now) && now == s.Nonce);

    private Task<IReadOnlyDictionary<string, long>> ReadStampsAsync(IEnumerable<string> tags, CancellationToken cancellationToken) =>
        TagStamps.ReadAsync(_inner, tags, cancellationToken);

    private Task<IReadOnlyList<(string Tag, long Nonce)>> StampsForWriteAsync(string[] tags, CancellationToken cancellationToken) =>
        TagStamps.ForWriteAsync(_inner, tags, cancellationToken);

    /// <summary>The bytes to store for an untagged value (null for a null value, stored as the backend's null).</summary>
    private byte[]? Encode<T>(T value)
    {
        if (value is null) return null;
        var bytes = _serializer.Serialize(value);
        return TaggedEntry.IsEnvelope(bytes) ? TaggedEntry.Encode([], bytes) : bytes;
    }

    /// <summary>The bytes to store for a tagged value.</summary>
    private byte[]? Encode<T>(T value, IReadOnlyList<(string Tag, long Nonce)> stamps) =>
        stamps.Count == 0 ? Encode(value) : TaggedEntry.Encode(stamps, value is null ? null : _serializer.Serialize(value));

    private T Decode<T>(Stored stored) =>
        stored.Envelope is { } envelope
            ? envelope.IsNull ? default! : _serializer.Deserialize<T>(envelope.Value.Span)
            : stored.Bytes is null ? default! : _serializer.Deserialize<T>(stored.Bytes);

    private async Task<OptionUnsafe<T>> LiveValueAsync<T>(string key, int? version, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(key, version, cancellationToken).ConfigureAwait(false);
        return stored.Live ? SomeUnsafe(Decode<T>(stored)) : OptionUnsafe<T>.None;
    }
}
